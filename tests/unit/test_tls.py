"""Every httpx transport gatecheck makes shares one TLS context: building one costs ~20-50 ms of
CPU (certifi's bundle), and a run makes a client per test and a mock reset per stateful example."""

from __future__ import annotations

from gatecheck import tls
from gatecheck.http import make_client
from gatecheck.retry import RetryTransport


def test_every_client_and_transport_shares_one_tls_context() -> None:
    tls.default_context.cache_clear()
    for _ in range(3):
        make_client("https://gw.test/v1", "k" * 12).close()
    RetryTransport().close()
    info = tls.default_context.cache_info()
    assert (info.misses, info.hits) == (1, 3)
