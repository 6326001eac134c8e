"""Small inline SVG charts for the HTML reports: no JavaScript library, no CDN, no server.

Two pictures are enough: a distribution per row (latency per operation: box from p25 to p75,
median line, whiskers to min and max, every sample as a dot) and a line over time (pass rate
or latency across the run history).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from html import escape

__all__ = ["distribution_chart", "line_chart", "percentile"]

_FONT = 'font-family="system-ui,-apple-system,Segoe UI,sans-serif" font-size="12"'
_BOX = "#4f7cac"
_DOT = "#1f3b57"
_GRID = "#e3e6ea"
_LABEL = "#555"


def percentile(values: Sequence[float], q: float) -> float:
    """Linear-interpolated percentile (``q`` in 0..100) of a non-empty sequence."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def _value(value: float | str) -> str:
    return f"{value:.1f}" if isinstance(value, float) else escape(str(value))


def _tag(name: str, text: str | None = None, **attrs: float | str) -> str:
    """One SVG element; numbers get one decimal, ``stroke_width`` becomes ``stroke-width``."""
    rendered = " ".join(
        f'{key.rstrip("_").replace("_", "-")}="{_value(value)}"' for key, value in attrs.items()
    )
    return f"<{name} {rendered}/>" if text is None else f"<{name} {rendered}>{text}</{name}>"


def _open(width: int, height: int, title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" {_FONT}><title>{escape(title)}</title>'
    )


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def _fmt(value: float, unit: str) -> str:
    return f"{value:,.0f} {unit}" if value >= 100 else f"{value:,.1f} {unit}"


def distribution_chart(series: Mapping[str, Sequence[float]], *, unit: str = "ms", title: str = "") -> str:
    """One row per label: box plot plus samples, with p50 / p90 / n written beside it."""
    rows = [(label, [float(v) for v in values]) for label, values in series.items() if values]
    if not rows:
        return ""
    label_w, plot_w, stats_w, row_h, top = 230, 420, 270, 34, 28
    width, height = label_w + plot_w + stats_w, top + row_h * len(rows) + 26
    top_value = _nice_max(max(max(v) for _, v in rows))

    def x(value: float) -> float:
        return label_w + plot_w * value / top_value

    parts = [_open(width, height, title)]
    for tick in (top_value * n / 4 for n in range(5)):
        parts.append(_tag("line", x1=x(tick), x2=x(tick), y1=top - 8, y2=height - 22, stroke=_GRID))
        parts.append(
            _tag("text", _fmt(tick, unit), x=x(tick), y=height - 8, text_anchor="middle", fill=_LABEL)
        )
    for index, (label, values) in enumerate(rows):
        mid = top + row_h * index + row_h / 2
        p25, p50, p75, p90 = (percentile(values, q) for q in (25, 50, 75, 90))
        shown = label if len(label) <= 32 else label[:31] + "…"
        parts.append(_tag("text", escape(shown), x=label_w - 10, y=mid + 4, text_anchor="end", fill="#222"))
        parts.append(_tag("line", x1=x(min(values)), x2=x(max(values)), y1=mid, y2=mid, stroke=_BOX))
        box: dict[str, float | str] = {
            "x": x(p25),
            "y": mid - 9,
            "width": max(1.5, x(p75) - x(p25)),
            "height": 18.0,
        }
        parts.append(_tag("rect", None, **box, fill=_BOX, fill_opacity="0.25", stroke=_BOX))
        parts.append(
            _tag("line", x1=x(p50), x2=x(p50), y1=mid - 10, y2=mid + 10, stroke=_DOT, stroke_width="2.5")
        )
        for n, value in enumerate(values[:200]):
            jitter = ((n * 7) % 11 - 5) * 1.1  # deterministic spread so equal values stay visible
            parts.append(_tag("circle", cx=x(value), cy=mid + jitter, r="2", fill=_DOT, fill_opacity="0.55"))
        stats = f"p50 {_fmt(p50, unit)} · p90 {_fmt(p90, unit)} · n={len(values)}"
        parts.append(_tag("text", escape(stats), x=label_w + plot_w + 10, y=mid + 4, fill="#333"))
    parts.append("</svg>")
    return "".join(parts)


def line_chart(
    points: Sequence[tuple[str, float | None]],
    *,
    title: str = "",
    value_format: str = "{:.0f}",
    y_max: float | None = None,
) -> str:
    """A line over time, the last point in red; ``None`` values leave a gap (nothing measured)."""
    known = [v for _, v in points if v is not None]
    if not known:
        return ""
    left, right, top, bottom, width, height = 96, 16, 24, 58, 760, 230
    plot_w, plot_h = width - left - right, height - top - bottom
    high = y_max if y_max is not None else _nice_max(max(known))
    step = plot_w / max(1, len(points) - 1)

    def xy(index: int, value: float) -> tuple[float, float]:
        x = left + step * index if len(points) > 1 else left + plot_w / 2
        return float(x), float(top + plot_h * (1 - value / high))

    parts = [_open(width, height, title)]
    for tick in (high * n / 4 for n in range(5)):
        _, y = xy(0, tick)
        parts.append(_tag("line", x1=left, x2=width - right, y1=y, y2=y, stroke=_GRID))
        tick_label = escape(value_format.format(tick))
        parts.append(_tag("text", tick_label, x=left - 6, y=y + 4, text_anchor="end", fill=_LABEL))
    segments: list[list[str]] = [[]]
    for index, (label, value) in enumerate(points):
        if value is None:
            segments.append([])
            continue
        cx, cy = xy(index, value)
        segments[-1].append(f"{cx:.1f},{cy:.1f}")
        last = index == len(points) - 1
        tip = f"<title>{escape(label)}: {escape(value_format.format(value))}</title>"
        parts.append(_tag("circle", tip, cx=cx, cy=cy, r=4 if last else 3, fill="#c0392b" if last else _DOT))
    for segment in (s for s in segments if len(s) > 1):
        parts.append(_tag("polyline", fill="none", stroke=_BOX, stroke_width="2", points=" ".join(segment)))
    every = max(1, math.ceil(len(points) / 8))
    for index, (label, _) in enumerate(points):
        if index % every == 0 or index == len(points) - 1:
            cx, _ = xy(index, 0)
            y = height - bottom + 16
            turn = f"rotate(-30 {cx:.1f} {y})"
            parts.append(
                _tag("text", escape(label[:16]), x=cx, y=y, text_anchor="end", fill=_LABEL, transform=turn)
            )
    parts.append("</svg>")
    return "".join(parts)
