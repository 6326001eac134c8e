"""A failure shows the body as the target sent it: decoded as declared, raw bytes where not text."""

from __future__ import annotations

import gzip
import zlib

import brotli
import httpx
import pytest

from gatecheck.scenario.responses import describe


@pytest.mark.parametrize(
    ("coding", "encode"),
    [("gzip", gzip.compress), ("deflate", zlib.compress), ("br", brotli.compress)],
)
def test_an_encoded_error_body_is_shown_decoded(coding: str, encode: object) -> None:
    body = b'{"error": {"message": "upstream down"}}'
    headers = {"content-encoding": coding, "content-type": "application/json"}
    shown = describe(httpx.Response(502, headers=headers, content=encode(body)))  # type: ignore[operator]
    assert shown == f"HTTP 502 application/json ({coding}-decoded): {body.decode()}"


def test_the_declared_charset_decodes_the_body() -> None:
    headers = {"content-type": "text/plain; charset=iso-8859-1"}
    shown = describe(httpx.Response(500, headers=headers, content="café fermé".encode("latin-1")))
    assert shown.endswith(": café fermé")


def test_bytes_that_are_not_text_are_shown_as_bytes() -> None:
    headers = {"content-type": "text/plain"}
    shown = describe(httpx.Response(500, headers=headers, content=b"\xff\xfeoops"))
    assert "6 bytes that are not utf-8 text: b'\\xff\\xfeoops'" in shown and "\ufffd" not in shown


def test_an_unknown_charset_falls_back_to_the_bytes() -> None:
    headers = {"content-type": "text/plain; charset=x-no-such-charset"}
    shown = describe(httpx.Response(500, headers=headers, content=b"abc"))
    assert "bytes that are not x-no-such-charset text: b'abc'" in shown


def test_an_empty_body_says_so() -> None:
    assert describe(httpx.Response(503)) == "HTTP 503 (no content type): (empty body)"
