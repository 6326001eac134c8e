"""The README's capability matrix is the registries' own output, never hand-kept."""

from __future__ import annotations

import os
import re
from pathlib import Path

from gatecheck.reports.coverage import capability_matrix, suite_coverage

README = Path(__file__).parents[2] / "README.md"
BLOCK = re.compile(r"(<!-- capability-matrix:start -->\n)(.*?)(<!-- capability-matrix:end -->)", re.S)


def test_readme_matrix_is_current() -> None:
    """Regenerate with GATECHECK_UPDATE_README=1 after changing profiles or suite markers."""
    text = README.read_text(encoding="utf-8")
    match = BLOCK.search(text)
    assert match, "README.md lost its capability-matrix markers"
    expected = capability_matrix()
    if os.environ.get("GATECHECK_UPDATE_README"):
        README.write_text(BLOCK.sub(lambda m: m.group(1) + expected + m.group(3), text), encoding="utf-8")
    else:
        assert match.group(2) == expected, (
            "run: GATECHECK_UPDATE_README=1 pytest tests/unit/test_readme_matrix.py"
        )


def test_coverage_reads_markers_of_any_form(tmp_path: Path) -> None:
    suite = tmp_path / "alpha"
    suite.mkdir()
    (suite / "test_a.py").write_text(
        "import pytest\npytestmark = [pytest.mark.capability('chat')]\n"
        "@pytest.mark.capability('rerank')\ndef test_x(): pass\n"
    )
    (suite / "helper.py").write_text("pytest.mark.capability('models')\n")
    assert suite_coverage(tmp_path) == {"chat": ["alpha"], "rerank": ["alpha"]}
