"""results.json: its schema, its derived parts, and reading it back with helpful errors."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from reports_factory import record, results

from gatecheck.reports.outcomes import NO_CAPABILITY
from gatecheck.reports.results import (
    SCHEMA_VERSION,
    ResultsFileError,
    finalize,
    load_results,
    schema,
    validate,
    write_results,
)


def test_the_schema_is_valid_draft_2020_12_and_versioned() -> None:
    jsonschema.Draft202012Validator.check_schema(schema())
    assert jsonschema.Draft202012Validator(schema()).is_valid(
        {**results([]), "schema_version": SCHEMA_VERSION}
    )


def test_summary_matrix_and_suite_counts_are_derived_from_the_tests() -> None:
    doc = results(
        [
            record("chat::t::test_a", capabilities=("chat",)),
            record("chat::t::test_b", "failed", capabilities=("chat", "usage-cost")),
            record("chat::t::test_c", "not-applicable", capabilities=("pkce",)),
            record("keys::t::test_d", "baselined"),
            record("keys::t::test_e", "fixed"),
        ]
    )
    assert doc["summary"]["total"] == 5
    assert doc["summary"]["pass_rate"] == 0.5  # 2 passing of 4 judged; n/a is not judged
    cells = {c["capability"]: c["status"] for c in doc["matrix"]}
    assert cells == {
        "chat": "failing",
        "usage-cost": "failing",
        "pkce": "not-applicable",
        NO_CAPABILITY: "baselined",
    }
    assert [c["capability"] for c in doc["matrix"]][-1] == NO_CAPABILITY
    chat = next(s for s in doc["suites"] if s["name"] == "chat")
    assert (chat["counts"]["passed"], chat["counts"]["failed"], chat["counts"]["not-applicable"]) == (1, 1, 1)


def test_a_document_that_breaks_the_schema_is_refused_on_write(tmp_path: Path) -> None:
    doc = results([record("chat::t::test_a")])
    doc["tests"][0]["outcome"] = "sort-of"
    with pytest.raises(ValueError, match="tests/0/outcome"):
        write_results(tmp_path, doc)
    assert not (tmp_path / "results.json").exists()


def test_results_round_trip_through_a_run_folder_or_a_pointer(tmp_path: Path) -> None:
    doc = finalize(results([record("chat::t::test_a")]))
    run_dir = tmp_path / "reports" / "20260101T000000Z-aaaaaa"
    write_results(run_dir, doc)
    assert load_results(run_dir) == load_results(run_dir / "results.json") == json.loads(json.dumps(doc))
    (tmp_path / "reports" / "LATEST").write_text(run_dir.name + "\n")
    assert load_results(tmp_path / "reports")["run"]["id"] == doc["run"]["id"]


@pytest.mark.parametrize(
    ("content", "match"),
    [
        (None, "no results.json in"),
        ("{not json", "invalid JSON"),
        ('{"schema_version": "2.0"}', "schema_version '2.0'; this gatecheck reads 1.x"),
        ('{"schema_version": "1.0"}', "does not match results.schema.json"),
    ],
)
def test_unusable_results_are_usage_errors_that_say_why(
    tmp_path: Path, content: str | None, match: str
) -> None:
    if content is not None:
        (tmp_path / "results.json").write_text(content)
    with pytest.raises(ResultsFileError, match=match):
        load_results(tmp_path)
    with pytest.raises(ResultsFileError, match="does not exist"):
        load_results(tmp_path / "missing.json")


def test_validate_accepts_what_the_factory_builds() -> None:
    validate(results([record("a::b::test_c", "error")], verdict="fail"))
