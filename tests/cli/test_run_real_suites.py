"""``gatecheck run`` with a real suite against the real built-in mock, end to end.

The ``errors`` suite is small and fast; the ``bad-error-envelope`` fault mode makes the mock
answer errors as plain text, which the suite must catch.  Expectations are derived from the
run itself (which tests failed), so the suite can grow without this test changing, but the
gate must hold: clean passes, the fault fails, the baseline accepts exactly those failures, and
drift lists exactly them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_run_helpers import gatecheck

from gatecheck._paths import project_dir
from gatecheck.errors import UsageError


def _has_errors_suite() -> bool:
    try:
        return (project_dir("suites") / "errors").is_dir()
    except UsageError:
        return False


pytestmark = [
    pytest.mark.slow,  # runs gatecheck in a subprocess
    pytest.mark.skipif(not _has_errors_suite(), reason="the errors suite is not in this checkout"),
]


def test_errors_suite_gates_the_mock_and_drift_names_what_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    clean = gatecheck("run", "--suites", "errors", "--seed", "3")
    assert clean.exit_code == 0, clean.stdout + clean.stderr
    assert set(clean.outcomes().values()) <= {"passed", "not-applicable", "skipped"}

    faulty = gatecheck("run", "--suites", "errors", "--seed", "3", "--mock-fault", "bad-error-envelope")
    assert faulty.exit_code == 1, faulty.stdout + faulty.stderr
    failing = {i for i, o in faulty.outcomes().items() if o == "failed"}
    assert failing and all(i.startswith("errors::") for i in failing)
    summary = (faulty.run_dir / "summary.md").read_text()
    assert all(f"`{i}`" in summary for i in failing)
    assert faulty.results["targets"][0]["mock"] == {"flavor": "requesty", "faults": ["bad-error-envelope"]}

    assert (
        gatecheck("baseline", "update", "--from", str(faulty.run_dir), "--output", "accepted.yaml").exit_code
        == 0
    )
    gated = gatecheck(
        "run",
        "--suites",
        "errors",
        "--seed",
        "3",
        "--mock-fault",
        "bad-error-envelope",
        "--baseline",
        "accepted.yaml",
    )
    assert gated.exit_code == 0, gated.stdout
    assert {i for i, o in gated.outcomes().items() if o == "baselined"} == failing

    drift = gatecheck("drift", str(clean.run_dir), str(faulty.run_dir), "--json", "drift.json")
    assert drift.exit_code == 1
    report = json.loads(Path("drift.json").read_text())
    assert {e["id"] for e in report["newly_failing"]} == failing
    assert report["newly_passing"] == report["other_changes"] == []
