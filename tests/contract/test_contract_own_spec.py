"""The contract suite on a user's spec: only ``--operations``, a broken operation not run, the rest tested."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from contract_runner import SuiteRun

from gatecheck.specs.registry import load_spec

pytestmark = pytest.mark.slow


def test_operations_select_items_and_a_broken_operation_is_not_run(
    tmp_path: Path, run_contract: Callable[..., SuiteRun]
) -> None:
    document = copy.deepcopy(load_spec("requesty", strict=True).document)
    # An unrepairable problem in the models answer: GET /models cannot be judged, chat still is.
    models = document["paths"]["/models"]["get"]["responses"]["200"]["content"]["application/json"]
    models["schema"] = {"type": "strin"}
    path = tmp_path / "mine.yaml"
    path.write_text(yaml.safe_dump(document))
    run = run_contract(
        "--mock-fault",
        "no-done-sentinel",
        "--profile",
        "requesty",
        "--spec",
        str(path),
        "--operations",
        "POST /chat/completions,GET /models",
        "--examples",
        "3",
        "-rs",
    )
    operations = {name for name in run.outcomes if name.startswith("test_operation")}
    assert operations == {"test_operation[POST /chat/completions]", "test_operation[GET /models]"}, (
        run.describe()
    )
    assert run.outcomes["test_operation[GET /models]"] == "skipped"
    assert "not run: spec problem at #/paths/~1models/get/responses/200" in run.output
    assert run.outcomes["test_operation[POST /chat/completions]"] == "failed", run.describe()
