"""The contract checks judge what the target meant, whatever Content-Encoding carried it.

A gzip-encoded 5xx once made the error-envelope check rebuild the answer with its gzip header
over the already-decoded body, so httpx tried to decompress plain JSON and raised
DecodingError, which the run counted as the gateway's failure.  These tests send real encoded
answers from a loopback server through ``requests`` (schemathesis' transport) and check the
verdicts, and that a check's own crash leaves as gatecheck's error, not a contract failure.
"""

from __future__ import annotations

import gzip
import json
import threading
import zlib
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import brotli
import pytest
import requests
from contract_spec_fixtures import case, response
from schemathesis.core.transport import Response

from gatecheck.checks.schemathesis_checks import GatecheckFailure, error_envelope
from gatecheck.errors import HarnessBug

ENCODERS: dict[str, Callable[[bytes], bytes]] = {
    "gzip": gzip.compress,
    "deflate": zlib.compress,
    "br": brotli.compress,
}
ENVELOPE = json.dumps({"error": {"message": "upstream provider failed", "code": 500}}).encode()
NOT_AN_ENVELOPE = b"<html><body>502 Bad Gateway (nginx)</body></html>"


@pytest.fixture(scope="module")
def encoded_server() -> Iterator[str]:
    """``GET /<encoding>/<envelope|html>`` answers 500 with that body, encoded that way."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            return

        def do_GET(self) -> None:
            _, encoding, kind = self.path.split("/")
            body = ENVELOPE if kind == "envelope" else NOT_AN_ENVELOPE
            self.send_response(500)
            self.send_header("Content-Type", "application/json" if kind == "envelope" else "text/html")
            self.send_header("Content-Encoding", encoding)
            wire = ENCODERS[encoding](body)
            self.send_header("Content-Length", str(len(wire)))
            self.end_headers()
            self.wfile.write(wire)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def _fetch(url: str) -> Response:
    with requests.Session() as session:
        return Response.from_requests(session.get(url, timeout=5), verify=False)


@pytest.mark.parametrize("encoding", ENCODERS)
def test_an_encoded_error_envelope_passes(encoded_server: str, encoding: str) -> None:
    error_envelope(None, _fetch(f"{encoded_server}/{encoding}/envelope"), case(body={}))


@pytest.mark.parametrize("encoding", ENCODERS)
def test_an_encoded_non_envelope_is_reported_with_its_decoded_body(
    encoded_server: str, encoding: str
) -> None:
    with pytest.raises(GatecheckFailure) as caught:
        error_envelope(None, _fetch(f"{encoded_server}/{encoding}/html"), case(body={}))
    assert "502 Bad Gateway (nginx)" in caught.value.message


def test_a_crash_inside_a_check_is_gatecheck_s_error_not_a_contract_failure() -> None:
    # A Response whose headers are not lists makes the adapter itself raise (TypeError).
    broken = response(500, "{}", "application/json")
    broken.headers = {"content-type": None}  # type: ignore[dict-item]
    with pytest.raises(HarnessBug) as caught:
        error_envelope(None, broken, case(body={}))
    assert not isinstance(caught.value, AssertionError)
    assert "contract check error_envelope" in str(caught.value) and "not the gateway's" in str(caught.value)
