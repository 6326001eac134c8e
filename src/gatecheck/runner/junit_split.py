"""pytest's one JUnit file for the whole session, cut into one part per suite.

The report writer (:mod:`gatecheck.reports.junit`) merges parts keyed by ``(target, suite)``,
as it did when each suite had its own process; a testcase belongs to the suite whose records
hold its node id.
"""

from __future__ import annotations

import copy
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from pathlib import Path

from gatecheck.reports.junit import mangle

__all__ = ["split_junit"]


def split_junit(
    source: Path, nodeids: Mapping[str, list[str]], durations: Mapping[str, float], out_dir: Path
) -> dict[str, Path]:
    """Write ``out_dir/<suite>.junit.xml`` for each suite of ``nodeids``; returns their paths.

    A missing or half-written source (a crashed session) yields no parts: the writer then
    builds every testcase from the records.
    """
    try:
        root = ET.parse(source).getroot()
    except (OSError, ET.ParseError):
        return {}
    whole = root if root.tag == "testsuite" else root.find("testsuite")
    if whole is None:
        return {}
    cases = {(c.get("classname", ""), c.get("name", "")): c for c in whole.findall("testcase")}
    out_dir.mkdir(parents=True, exist_ok=True)
    parts = {}
    for suite, ids in nodeids.items():
        part = ET.Element("testsuite", {k: v for k, v in whole.attrib.items() if k != "time"})
        part.set("name", suite)
        part.set("time", f"{durations.get(suite, 0.0):.3f}")
        for nodeid in ids:
            if (case := cases.get(mangle(nodeid))) is not None:
                part.append(copy.deepcopy(case))
        path = out_dir / f"{suite}.junit.xml"
        ET.ElementTree(part).write(path, encoding="utf-8", xml_declaration=True)
        parts[suite] = path
    return parts
