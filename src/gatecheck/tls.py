"""One TLS context per process, for every httpx transport gatecheck makes.

Building a context loads certifi's CA bundle: about 50 ms of CPU each time.  httpx builds one
per client unless it is given one, and a run makes a client per test (and the stateful phase
one per mock reset), which cost several CPU seconds of the main job.  This is the context httpx
would build itself (``httpx.create_ssl_context()``: certifi, or ``SSL_CERT_FILE`` /
``SSL_CERT_DIR``), made once; an ``SSLContext`` may serve any number of connections and threads.
"""

from __future__ import annotations

import functools
import ssl

import httpx

__all__ = ["default_context", "transport"]


@functools.cache
def default_context() -> ssl.SSLContext:
    """The process's verifying client context (what ``verify=True`` means to httpx)."""
    return httpx.create_ssl_context()


def transport() -> httpx.HTTPTransport:
    """A fresh connection pool over the shared context."""
    return httpx.HTTPTransport(verify=default_context())
