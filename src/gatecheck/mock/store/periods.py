"""Time in the store: one UTC text format, and the windows that spend limits reset on.

Windows follow OpenRouter's documented rule ("resets happen automatically at midnight UTC,
and weeks are Monday through Sunday"); Requesty documents no reset, and gets the same rule
for the mock's ``limit_reset`` extension.  Every "now" comes from ``settings.clock()``, so
tests move time instead of sleeping.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Literal, overload

__all__ = ["PERIODS", "Period", "as_utc", "day_bounds", "iso", "parse_time", "window_start"]

Period = Literal["daily", "weekly", "monthly"]
PERIODS: tuple[Period, ...] = ("daily", "weekly", "monthly")


def as_utc(moment: datetime) -> datetime:
    """``moment`` in UTC; a naive datetime is taken to be UTC already (clients send both)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


@overload
def iso(moment: datetime) -> str: ...
@overload
def iso(moment: None) -> None: ...
def iso(moment: datetime | None) -> str | None:
    """The wire and storage form: ISO 8601 in UTC with a ``Z``, sortable as text."""
    if moment is None:
        return None
    return as_utc(moment).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_time(text: str | None) -> datetime | None:
    """Inverse of :func:`iso`, lenient about what clients send; ValueError when not a date-time."""
    if text is None:
        return None
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"not a date-time: {text!r}")
    return as_utc(datetime.fromisoformat(text.strip()))


def window_start(period: str | None, now: datetime) -> datetime | None:
    """Start of the window containing ``now``; None for no reset (the window is all time)."""
    now = as_utc(now)
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    if period == "daily":
        return midnight
    if period == "weekly":
        return midnight - timedelta(days=now.weekday())
    if period == "monthly":
        return midnight.replace(day=1)
    if period is None:
        return None
    raise ValueError(f"unknown reset period {period!r}; known: {', '.join(PERIODS)}")


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The UTC instants a calendar day starts and ends at, for activity queries."""
    start = datetime(day.year, day.month, day.day, tzinfo=UTC)
    return start, start + timedelta(days=1)
