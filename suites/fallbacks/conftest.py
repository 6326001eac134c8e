"""Failing primaries and fallback routes, from ``profile.fallback``, on the mock and on real targets.

On the built-in mock the primary model really fails: its simulated upstreams answer 500, 429,
time out or cut the stream before the first token (the fault plan), and each way is a separate
case of the scenarios that take ``trigger``.  A real target cannot be made to fail, so there the
primary is a model the profile names as unavailable (``fallback.unavailable``): the route and the
assertions are the same, only the reason the primary fails differs.

How a request names its candidates is profile data too: a ``models`` array, or a fallback policy
``policy/<name>`` the target must know (the suite installs it on the mock).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from gatecheck.check_ids import MOCK_CONTROL
from gatecheck.checks.stream import content_chunks
from gatecheck.failures import excerpt
from gatecheck.plugin.fixtures import Gateway, target_for
from gatecheck.profiles import Profile
from gatecheck.scenario import (
    capture_stream,
    chat_request,
    describe,
    dig,
    error_text,
    expect_status,
    json_body,
    operation,
)
from gatecheck.verdicts import not_applicable

#: How the mock's primary fails, one case each; the names are the fault plan's failures.
MOCK_TRIGGERS = ("500", "429", "timeout", "cut-before-first-token")
#: The one case on a real target: the primary is a model the target cannot serve.
REAL_TRIGGER = "unavailable-model"


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """``trigger`` cases: every injectable failure on the mock, the unavailable model elsewhere."""
    if "trigger" in metafunc.fixturenames:
        triggers = MOCK_TRIGGERS if target_for(metafunc.config).is_mock else (REAL_TRIGGER,)
        # an upstream 429 is the point of that case: one that reaches us is the fallback's failure
        metafunc.parametrize(
            "trigger",
            [pytest.param(t, marks=pytest.mark.rate_limit_evidence) if t == "429" else t for t in triggers],
        )


@dataclass(frozen=True)
class Answer:
    """What came back for a chat request, streamed or not, in the terms the scenarios judge."""

    status: int
    models: tuple[str, ...]  # the ``model`` of the answer, or of every stream chunk
    usage: Any  # the answer's (or the usage chunk's) usage object; None when absent
    described: str  # one line for failure messages: status, content type, body excerpt
    message: str = ""  # an error answer's error.message

    @property
    def ok(self) -> bool:
        return self.status == 200


def _answer(client: httpx.Client, path: str, body: dict[str, Any], op: str) -> Answer:
    if not body.get("stream"):
        response = client.post(path, json=body)
        parsed = json_body(response, op) if response.status_code == 200 else None
        model = dig(parsed, "model", None)
        models = (model,) if isinstance(model, str) else ()
        message = error_text(response) if response.status_code != 200 else ""
        return Answer(response.status_code, models, dig(parsed, "usage", None), describe(response), message)
    capture = capture_stream(client, path, body, operation=op)
    body_text = capture.body.decode("utf-8", "replace")
    described = (
        f"HTTP {capture.status} {capture.content_type or '(no content type)'}: {excerpt(body_text, 300)}"
    )
    if capture.status != 200:
        error = httpx.Response(capture.status, content=capture.body)
        return Answer(capture.status, (), None, described, error_text(error))
    chunks = [chunk for _, chunk in content_chunks(capture)]
    models = tuple(str(chunk.get("model")) for chunk in chunks if "choices" in chunk)
    usage = next((chunk["usage"] for chunk in reversed(chunks) if chunk.get("usage")), None)
    return Answer(capture.status, models, usage, described)


@dataclass(repr=False)
class Fallbacks:
    """Routes that name fallback candidates, and (on the mock) the failures that exercise them."""

    gateway: Gateway
    control: httpx.Client | None  # the mock's /_mock/ admin API; None on a real target

    def __repr__(self) -> str:
        return f"Fallbacks(profile={self.profile.name!r}, mock={self.control is not None})"

    @property
    def profile(self) -> Profile:
        return self.gateway.profile

    @property
    def spec(self) -> dict[str, Any]:
        assert self.profile.fallback is not None, (
            "fallbacks is claimed but the profile has no fallback section"
        )
        return dict(self.profile.fallback)

    @property
    def primary(self) -> str:
        """The model that fails: the profile's primary on the mock, an unavailable one elsewhere."""
        return self.spec["primary"] if self.control else self.spec["unavailable"][0]

    @property
    def secondary(self) -> str:
        """The model that should answer once the primary failed."""
        return str(self.spec["secondary"])

    @property
    def default_trigger(self) -> str:
        return MOCK_TRIGGERS[0] if self.control else REAL_TRIGGER

    def chain(self, role: str) -> list[str]:
        """The candidates, in order: ``fallback`` ends with the secondary, ``exhausted`` cannot answer."""
        if self.control:
            return [self.primary, self.secondary]  # on the mock, failures decide who cannot answer
        return [self.primary, self.secondary] if role == "fallback" else list(self.spec["unavailable"])

    def route(self, role: str) -> dict[str, Any]:
        """The request fields that ask for the ``role`` chain (``fallback`` or ``exhausted``)."""
        models = self.chain(role)
        if self.spec["mechanism"] == "models-array":
            return {"model": models[0], self.spec["field"]: models}
        return {"model": self.spec["policy_prefix"] + self.spec["policies"][role]}

    @property
    def chat_op(self) -> str:
        return operation("POST", self.profile.path("chat"))

    @property
    def asked(self) -> list[str]:
        """Every policy and model this suite may name: an answer saying one of them is missing
        on the account is a setup problem (gatecheck.scenario.setup), not a fallback failure."""
        spec = self.spec
        policies = [spec.get("policy_prefix", "") + name for name in (spec.get("policies") or {}).values()]
        policies += list((spec.get("policies") or {}).values())
        return [*policies, spec["primary"], self.secondary, *spec.get("unavailable", ())]

    def setup_missing(self, status: int, message: str) -> None:
        """Not applicable when the target says the route's policy or model is not set up."""
        if reason := self.profile.missing_setup(status, message, self.asked):
            not_applicable(reason)

    def ask(self, fields: dict[str, Any], *, stream: bool = False) -> Answer:
        """Send a small chat request with ``fields`` (a route, switches) and read the answer."""
        body = chat_request(self.profile, stream=stream, include_usage=stream, **fields)
        with self.gateway.client() as client:
            return _answer(client, self.profile.path("chat"), body, self.chat_op)

    def post(self, fields: dict[str, Any]) -> httpx.Response:
        """The raw answer to a small non-streamed chat request with ``fields``."""
        with self.gateway.client() as client:
            response = client.post(self.profile.path("chat"), json=chat_request(self.profile, **fields))
            response.read()
            return response

    # -- the mock's controls ---------------------------------------------------------------

    def fail(self, trigger: str, *, models: list[str], provider: str | None = None) -> None:
        """Make ``models`` fail with ``trigger`` (on ``provider`` only, if given); nothing on real targets."""
        if self.control is None:
            return
        entries = [
            {"model": m, "failure": trigger, **({"provider": provider} if provider else {})} for m in models
        ]
        response = self.control.put("fault-plan", json={"fault_plan": entries})
        expect_status(response, 200, "PUT /_mock/fault-plan", check=MOCK_CONTROL)

    def install_policies(self) -> None:
        """Give the mock the profile's fallback policies, each as [primary, secondary]."""
        if self.control is None or self.spec["mechanism"] != "policy":
            return
        chain = [self.spec["primary"], self.spec["secondary"]]
        policies = {name: chain for name in self.spec["policies"].values()}
        response = self.control.put("fallback-policies", json={"fallback_policies": policies})
        expect_status(response, 200, "PUT /_mock/fallback-policies", check=MOCK_CONTROL)


@pytest.fixture
def fallbacks(gateway: Gateway, request: pytest.FixtureRequest) -> Iterator[Fallbacks]:
    """Fallback routes for this target; on the mock, with its fault plan and policies at hand."""
    control: httpx.Client | None = request.getfixturevalue("mock_control") if gateway.is_mock else None
    helper = Fallbacks(gateway, control)
    helper.install_policies()
    yield helper
    if control is not None:
        control.put("fault-plan", json={"fault_plan": []})


@pytest.fixture
def needs_injection(gateway: Gateway) -> None:
    """Skip where no upstream can be made to fail: a real target fails only the way it wants."""
    if not gateway.is_mock:
        pytest.skip("needs the built-in mock's fault injection: a real target cannot fail one provider")
