"""A header value read from the environment is a secret: no file a run writes holds it.

The synthetic suite fails on purpose with the header value in its message and its output, the
worst case for a report writer; every file under the run folder must show it masked.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_run_helpers import gatecheck, make_home

pytestmark = pytest.mark.slow  # the suite runs in a subprocess

TENANT_TOKEN = "tenant-" + "7" * 24
LEAKY_SUITE = '''
def test_leaks_the_header(gateway):
    """The tenant header goes out with every request."""
    with gateway.client() as client:
        value = client.headers["X-Tenant-Token"]
    print("sending", value)
    assert value == "something else", f"header was {value}"
'''


def test_header_from_the_environment_is_redacted_everywhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_home(tmp_path / "home", {"leaky": {"test_leaky.py": LEAKY_SUITE}})
    monkeypatch.setenv("GATECHECK_HOME", str(root))
    monkeypatch.setenv("TENANT_TOKEN", TENANT_TOKEN)
    monkeypatch.chdir(tmp_path)
    outcome = gatecheck("run", "--header", "X-Tenant-Token: ${TENANT_TOKEN}", "--seed", "1")
    assert outcome.exit_code == 1, outcome.stdout + outcome.stderr
    assert outcome.outcomes() == {"leaky::test_leaky::test_leaks_the_header": "failed"}
    assert "${TENANT_TOKEN}" in " ".join(outcome.results["run"]["command"])  # the name, not the value
    written = [p for p in outcome.run_dir.rglob("*") if p.is_file()]
    assert written
    for path in written:
        assert TENANT_TOKEN not in path.read_text(errors="replace"), path
    assert TENANT_TOKEN not in outcome.stdout + outcome.stderr
