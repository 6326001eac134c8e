"""The SSE decoder against the WHATWG rules, fed in every possible split."""

from __future__ import annotations

import pytest

from gatecheck.sse import SSEComment, SSEDecoder, SSEEvent, decode_all

FRAME = (
    ": OPENROUTER PROCESSING\n"
    "\n"
    'data: {"a": 1}\n'
    "\n"
    "event: response.created\n"
    "id: 7\n"
    "data: line one\n"
    "data: line two\n"
    "\n"
    "data: [DONE]\n"
    "\n"
)
EXPECTED = [
    SSEComment("OPENROUTER PROCESSING"),
    SSEEvent('{"a": 1}'),
    SSEEvent("line one\nline two", event="response.created", id="7"),
    SSEEvent("[DONE]", id="7"),  # last-event-id persists, per the spec
]


def _feed_split(body: bytes, *cuts: int) -> list[object]:
    decoder = SSEDecoder()
    items: list[object] = []
    last = 0
    for cut in (*cuts, len(body)):
        items += decoder.feed(body[last:cut])
        last = cut
    rest, unterminated = decoder.close()
    assert unterminated is None
    return items + rest


@pytest.mark.parametrize("newline", ["\n", "\r", "\r\n"], ids=["LF", "CR", "CRLF"])
def test_every_single_split_gives_the_same_events(newline: str) -> None:
    body = FRAME.replace("\n", newline).encode()
    for cut in range(len(body) + 1):
        assert _feed_split(body, cut) == EXPECTED, f"split at byte {cut}"


@pytest.mark.parametrize("newline", ["\n", "\r", "\r\n"], ids=["LF", "CR", "CRLF"])
def test_byte_by_byte_feeding(newline: str) -> None:
    body = FRAME.replace("\n", newline).encode()
    assert _feed_split(body, *range(1, len(body))) == EXPECTED


def test_multibyte_utf8_split_inside_a_character() -> None:
    body = "data: héllo ✓\n\n".encode()
    for cut in range(len(body) + 1):
        assert _feed_split(body, cut) == [SSEEvent("héllo ✓")]


def test_bom_is_stripped_only_at_the_start() -> None:
    items, _ = decode_all("\ufeffdata: x\n\n".encode())
    assert items == [SSEEvent("x")]


def test_field_without_colon_and_without_space() -> None:
    items, _ = decode_all(b"data\n\ndata:x\n\n")
    assert items == [SSEEvent(""), SSEEvent("x")]


def test_comment_inside_data_is_not_a_comment() -> None:
    """A payload 'data: : PROCESSING' is data, which checks must flag as non-JSON."""
    items, _ = decode_all(b"data: : PROCESSING\n\n")
    assert items == [SSEEvent(": PROCESSING")]


def test_retry_field_and_event_without_data_is_not_dispatched() -> None:
    items, _ = decode_all(b"retry: 1500\nevent: ping\n\nretry: 10\ndata: y\n\n")
    assert items == [SSEEvent("y", retry=10)]


def test_unterminated_trailing_event_is_reported() -> None:
    items, unterminated = decode_all(b'data: {"a": 1}\n\ndata: {"cut": ')
    assert items == [SSEEvent('{"a": 1}')]
    assert unterminated == '{"cut": '


def test_terminated_line_without_blank_line_is_reported() -> None:
    _, unterminated = decode_all(b"data: half\n")
    assert unterminated == "half"
