"""Write a run folder's reports, each atomically and each through the run's redactor.

Called after every suite (so a run that dies leaves reports saying how far it got) and once at
the end.  results.json is redacted as data before anything renders from it, so the Markdown,
HTML and JUnit cannot reintroduce a secret; files other tools wrote (allure-results) are
scrubbed in place.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from gatecheck.redact import Redactor
from gatecheck.reports.allure import ALLURE_DIR, write_allure_extras
from gatecheck.reports.atomic import write_text
from gatecheck.reports.html import render_html
from gatecheck.reports.junit import write_junit
from gatecheck.reports.markdown import render_summary
from gatecheck.reports.results import finalize, write_results
from gatecheck.reports.scrub import scrub_tree

__all__ = ["LATEST", "REPORT_FILES", "update_latest", "write_reports"]

REPORT_FILES = ("results.json", "summary.md", "report.html", "junit.xml")
LATEST = "latest"


def write_reports(
    run_dir: Path,
    results: dict[str, Any],
    redactor: Redactor,
    *,
    junit_parts: Mapping[tuple[str, str], Path] | None = None,
    final: bool = True,
) -> dict[str, Any]:
    """Write results.json, summary.md, report.html and junit.xml; returns the redacted results."""
    clean = redactor.data(finalize(results))
    write_results(run_dir, clean)
    write_text(run_dir / "summary.md", render_summary(clean))
    write_text(run_dir / "report.html", render_html(clean))
    write_junit(run_dir / "junit.xml", clean, junit_parts or {}, redactor)
    if final:
        write_allure_extras(run_dir / ALLURE_DIR, clean)
        scrub_tree(run_dir / ALLURE_DIR, redactor)
    return clean


def update_latest(report_root: Path, run_dir: Path) -> Path:
    """Point ``report_root/latest`` at ``run_dir``: a relative symlink, else a pointer file."""
    link = report_root / LATEST
    try:
        if link.exists() and not link.is_symlink():
            raise OSError("a real folder named latest is in the way")
        tmp = report_root / f".{LATEST}.{os.getpid()}"
        tmp.unlink(missing_ok=True)
        os.symlink(run_dir.name, tmp, target_is_directory=True)
        os.replace(tmp, link)
        return link
    except OSError:
        pointer = report_root / "LATEST"
        write_text(pointer, run_dir.name + "\n")
        return pointer
