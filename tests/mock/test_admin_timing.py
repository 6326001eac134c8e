"""``/_mock/timing`` (validation and pacing: test_inference_routing.py): restored by reset, admin
only; the suites' ``paced_streams`` fixture treats a mock without it as a harness error, never as
a silent unpaced run."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from gatecheck.errors import GatecheckError

if TYPE_CHECKING:
    from conftest import MakeMock, MockClient

SUITES_CONFTEST = Path(__file__).resolve().parents[2] / "suites" / "conftest.py"


def test_reset_restores_the_startup_timing(make_mock: MakeMock) -> None:
    mock = make_mock("openrouter", first_token_delay=0.5)
    mock.admin("PUT", "/timing", {"first_token": 0, "chunk_gap": 1})
    assert mock.admin("POST", "/reset").status == 200
    assert mock.admin("GET", "/timing").json() == {"first_token": 0.5, "chunk_gap": 0.0}


def test_timing_needs_the_admin_key(requesty: MockClient) -> None:
    assert requesty.request("GET", "/_mock/timing", root=True).status == 401


def _timing_helper() -> Any:
    spec = importlib.util.spec_from_file_location("suites_conftest_for_test", SUITES_CONFTEST)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module._timing


@pytest.mark.parametrize(("method", "status"), [("GET", 404), ("PUT", 400)])
def test_suites_fixture_fails_loudly_without_timing(method: str, status: int) -> None:
    response = httpx.Response(status, request=httpx.Request(method, "http://127.0.0.1/_mock/timing"))
    with pytest.raises(GatecheckError, match=f"{method} /_mock/timing answered HTTP {status}"):
        _timing_helper()(response)
