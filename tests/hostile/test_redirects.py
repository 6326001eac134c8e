"""gatecheck's HTTP clients never follow a redirect: a loop ends at its first hop, judged as a 302."""

from __future__ import annotations

from hostile_servers import hostile_server

from gatecheck.budget import Budget
from gatecheck.http import make_client
from gatecheck.limited_session import LimitedSession


def test_the_suites_client_answers_the_redirect_itself() -> None:
    """httpx (the suites' client): one request reaches the server, the 302 comes back as is"""
    with hostile_server("redirect-loop") as (url, counter), make_client(url, "k") as client:
        response = client.get("chat/completions")
        assert (response.status_code, len(counter)) == (302, 1)
        assert response.headers["location"].endswith("/v1/chat/completions")


def test_schemathesis_session_answers_the_redirect_itself() -> None:
    """requests (schemathesis' session): one request, charged once, the 302 comes back as is"""
    budget = Budget()
    with hostile_server("redirect-loop") as (url, counter), LimitedSession(budget, timeout=5) as session:
        response = session.get(url + "/chat/completions")
        assert (response.status_code, len(counter)) == (302, 1)
    assert budget.spent().requests == 1
