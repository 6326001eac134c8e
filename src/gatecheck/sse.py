"""The one Server-Sent Events decoder every gatecheck client uses.

Written to the WHATWG "event stream interpretation" algorithm rather than taken from
httpx-sse because gatecheck must *see* what a tolerant client hides: comment lines (OpenRouter's
``: OPENROUTER PROCESSING``) are returned as :class:`SSEComment` items, and an event left
unterminated when the stream ends is reported by :meth:`SSEDecoder.close` instead of being
dropped silently.  It is fed raw bytes in whatever pieces the network delivers; tests split
frames at every byte position for ``\\n``, ``\\r`` and ``\\r\\n`` line endings.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

__all__ = ["SSEComment", "SSEDecoder", "SSEEvent", "decode_all"]


_LINE_END = re.compile(r"[\r\n]")


@dataclass(frozen=True)
class SSEEvent:
    """A dispatched event; ``data`` joins multi-line ``data:`` fields with ``\\n``."""

    data: str
    event: str = "message"
    id: str | None = None
    retry: int | None = None


@dataclass(frozen=True)
class SSEComment:
    """A comment line (``: text``), kept so checks can tell keep-alives from data."""

    text: str


SSEItem = SSEEvent | SSEComment


class SSEDecoder:
    """Incremental decoder: ``feed`` bytes as they arrive, ``close`` at end of stream."""

    def __init__(self) -> None:
        self._utf8 = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._buffer = ""
        self._pending_cr = False
        self._started = False
        self._data: list[str] = []
        self._event = ""
        self._id: str | None = None
        self._retry: int | None = None
        self._dirty = False  # a field was seen since the last dispatch
        self.last_event_id: str | None = None

    def feed(self, chunk: bytes) -> list[SSEItem]:
        """Decode a piece of the stream and return every item it completes."""
        text = self._utf8.decode(chunk)
        if not self._started and text:
            self._started = True
            text = text.removeprefix("\ufeff")
        return self._lines(text)

    def close(self) -> tuple[list[SSEItem], str | None]:
        """Flush; returns remaining items and the text of an unterminated trailing event, if any.

        Per the spec an event is dispatched only on a blank line, so trailing fields are not an
        event; gatecheck reports them because a stream that stops there was cut.
        """
        items = self._lines(self._utf8.decode(b"", final=True))
        leftover = self._buffer
        self._buffer = ""
        if leftover:
            items += self._line(leftover)
        unterminated = None
        if self._dirty:
            unterminated = "\n".join(self._data) if self._data else (leftover or self._event)
        self._reset_event()
        return items, unterminated

    def _lines(self, text: str) -> list[SSEItem]:
        # A line ends at \r\n, \n or \r; a \r may be the last byte of one read and its \n the
        # first of the next, so "skip a leading \n" is state carried across calls.  Line ends are
        # found by a regex, not a loop over characters: a hostile stream may send megabytes.
        items: list[SSEItem] = []
        start = 0
        for match in _LINE_END.finditer(text):
            index = match.start()
            char = text[index]
            if char == "\n" and self._pending_cr and index == start:
                self._pending_cr = False
                start = index + 1
                continue
            items += self._line(self._buffer + text[start:index])
            self._buffer = ""
            start = index + 1
            self._pending_cr = char == "\r"
        if start < len(text):
            self._pending_cr = False
            self._buffer += text[start:]
        return items

    def _line(self, line: str) -> list[SSEItem]:
        if line == "":
            return self._dispatch()
        if line.startswith(":"):
            return [SSEComment(line[1:].removeprefix(" "))]
        name, sep, value = line.partition(":")
        value = value.removeprefix(" ") if sep else ""
        self._dirty = True
        if name == "data":
            self._data.append(value)
        elif name == "event":
            self._event = value
        elif name == "id":
            if "\0" not in value:
                self._id = value
        elif name == "retry" and value.isdigit():
            self._retry = int(value)
        return []

    def _dispatch(self) -> list[SSEItem]:
        if self._id is not None:
            self.last_event_id = self._id
        if not self._data:
            self._reset_event()
            return []
        event = SSEEvent("\n".join(self._data), self._event or "message", self.last_event_id, self._retry)
        self._reset_event()
        return [event]

    def _reset_event(self) -> None:
        self._data, self._event, self._id, self._retry, self._dirty = [], "", None, None, False


def decode_all(body: bytes) -> tuple[list[SSEItem], str | None]:
    """Decode a whole body at once (tests, recorded cassettes)."""
    decoder = SSEDecoder()
    items = decoder.feed(body)
    rest, unterminated = decoder.close()
    return items + rest, unterminated
