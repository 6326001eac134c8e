"""Every suite gives the same verdicts through each conformant variation.

The mock runs once; each variation gets a loopback proxy in front of it, and every suite
(the contract suite with one example per operation and a fixed seed) runs through the proxy as
against any real target, in one separate pytest process, as users run them.  The reference is
the same run through a proxy that changes nothing, so only the variation differs.  Two
variations run in the quick loop; the rest are marked slow.
"""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from proxy import serve_proxy

from gatecheck.mock.server import MockServer
from gatecheck.mock.settings import MockSettings
from gatecheck.runner.plan import available_suites
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
]


@pytest.fixture(scope="module")
def mock() -> Iterator[MockServer]:
    with MockServer(MockSettings(flavor="requesty")) as server:
        yield server


def _verdicts(mock: MockServer, variation: Variation, workdir: Path) -> dict[str, str]:
    junit = workdir / f"{variation.name}.xml"
    with serve_proxy(mock.root_url, variation) as url:
        args = [sys.executable, "-m", "pytest", *(str(ROOT / "suites" / s) for s in SUITES), "-q"]
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
        done = subprocess.run(args, cwd=workdir, env=env, capture_output=True, text=True, timeout=300)
    assert junit.exists(), done.stdout[-3000:] + done.stderr[-2000:]
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
def reference(mock: MockServer, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    verdicts = _verdicts(mock, Variation("identity", "no change"), tmp_path_factory.mktemp("identity"))
    assert sum(v == "passed" for v in verdicts.values()) >= 10, verdicts  # the reference really judged
    return verdicts


@pytest.mark.parametrize(
    "variation",
    [pytest.param(v, id=v.name, marks=() if v.name in QUICK else pytest.mark.slow) for v in VARIATIONS],
)
def test_a_conformant_variation_changes_no_verdict(
    mock: MockServer, reference: dict[str, str], variation: Variation, tmp_path: Path
) -> None:
    varied = _verdicts(mock, variation, tmp_path)
    changed = {t: (reference.get(t), v) for t, v in varied.items() if reference.get(t) != v}
    assert not changed and set(varied) == set(reference), f"{variation.spec}: {changed}"


def test_the_kit_sees_a_change_that_is_not_conformant(
    mock: MockServer, reference: dict[str, str], tmp_path: Path
) -> None:
    """A control: dropping the [DONE] sentinel is no variation, and the comparison must notice."""
    dropped = Variation(
        "no-done", "not conformant", stream=lambda body: body.replace(b"data: [DONE]\n\n", b"")
    )
    varied = _verdicts(mock, dropped, tmp_path)
    changed = {t for t, v in varied.items() if reference.get(t) != v}
    assert "suites.streaming.test_framing::test_done_sentinel_ends_the_stream" in changed, varied
