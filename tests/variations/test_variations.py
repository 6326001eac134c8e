"""Every suite gives the same verdicts through each conformant variation.

The mock runs once; each variation gets a loopback proxy in front of it, and every suite
(the contract suite with one example per operation and a fixed seed) runs through the proxy as
against any real target, in one separate pytest process, as users run them.  The reference is
the same run through a proxy that changes nothing, so only the variation differs.  Two
variations run in the quick loop; the rest are marked slow.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from proxy import serve_proxy

from fork_server import ForkServers
from gatecheck.mock.server import MockServer
from gatecheck.mock.settings import MockSettings
from gatecheck.runner.plan import available_suites
from suite_runs import FOREIGN_PLUGINS, run_pytest
from variations import VARIATIONS, Variation

ROOT = Path(__file__).resolve().parents[2]
SUITES = tuple(suite.name for suite in available_suites())
SEED = "1"
QUICK = {"crlf", "one-byte"}
KEY_ENV = "GATECHECK_VARIATION_KEY"
#: Scenarios that time the wire: on an unpaced target their verdict follows how reads happen to
#: coalesce (passed with several reads, inconclusive with one), so only "never failed" is compared.
TIMED = {"test_stream_is_not_buffered"}
UNUSED = [
    a for n in ("allure_pytest", "hypothesispytest", "schemathesis", "xdist") for a in ("-p", f"no:{n}")
] + list(FOREIGN_PLUGINS)


@pytest.fixture(scope="module")
def mock() -> Iterator[MockServer]:
    with MockServer(MockSettings(flavor="requesty")) as server:
        yield server


def _verdicts(
    mock: MockServer, variation: Variation, workdir: Path, servers: ForkServers | None
) -> dict[str, str]:
    junit = workdir / f"{variation.name}.xml"
    with serve_proxy(mock.root_url, variation) as url:
        args = [*(str(ROOT / "suites" / s) for s in SUITES), "-q"]
        args += [
            "--gateway-url",
            url + mock.settings.prefix,
            "--profile",
            "requesty",
            "--api-key-env",
            KEY_ENV,
            "--examples",
            "1",
            "--gatecheck-seed",
            SEED,
        ]
        args += [*UNUSED, "-p", "no:cacheprovider", f"--junitxml={junit}"]
        env = {k: v for k, v in os.environ.items() if not k.startswith(("GATECHECK_", "PYTEST_"))}
        env[KEY_ENV] = mock.settings.api_key
        _, output = run_pytest(args, cwd=workdir, env=env, timeout=300, servers=servers)
    assert junit.exists(), output[-5000:]
    verdicts = {}
    for case in ET.parse(junit).getroot().iter("testcase"):
        kind = next((k for k in ("failure", "error", "skipped") if case.find(k) is not None), "passed")
        node = case.find(kind)
        reason = (node.get("message", "") if node is not None else "").split(":")[0]
        verdict = f"{kind} {reason}".strip()
        if case.get("name") in TIMED and verdict in ("passed", "skipped inconclusive"):
            verdict = "not failed"
        verdicts[f"{case.get('classname')}::{case.get('name')}"] = verdict
    return verdicts


@pytest.fixture(scope="module")
def reference(
    mock: MockServer, tmp_path_factory: pytest.TempPathFactory, fork_servers: ForkServers | None
) -> dict[str, str]:
    identity = Variation("identity", "no change")
    verdicts = _verdicts(mock, identity, tmp_path_factory.mktemp("identity"), fork_servers)
    assert sum(v == "passed" for v in verdicts.values()) >= 10, verdicts  # the reference really judged
    return verdicts


@pytest.mark.parametrize(
    "variation",
    [pytest.param(v, id=v.name, marks=() if v.name in QUICK else pytest.mark.slow) for v in VARIATIONS],
)
def test_a_conformant_variation_changes_no_verdict(
    mock: MockServer,
    reference: dict[str, str],
    variation: Variation,
    tmp_path: Path,
    fork_servers: ForkServers | None,
) -> None:
    varied = _verdicts(mock, variation, tmp_path, fork_servers)
    changed = {t: (reference.get(t), v) for t, v in varied.items() if reference.get(t) != v}
    assert not changed and set(varied) == set(reference), f"{variation.spec}: {changed}"


def test_the_kit_sees_a_change_that_is_not_conformant(
    mock: MockServer, reference: dict[str, str], tmp_path: Path, fork_servers: ForkServers | None
) -> None:
    """A control: dropping the [DONE] sentinel is no variation, and the comparison must notice."""
    dropped = Variation(
        "no-done", "not conformant", stream=lambda body: body.replace(b"data: [DONE]\n\n", b"")
    )
    varied = _verdicts(mock, dropped, tmp_path, fork_servers)
    changed = {t for t, v in varied.items() if reference.get(t) != v}
    assert "suites.streaming.test_framing::test_done_sentinel_ends_the_stream" in changed, varied
