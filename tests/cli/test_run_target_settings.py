"""``gatecheck run --model/--embedding-dimensions`` reach a real suite, end to end against the mock.

The mock serves ``mistralai/mistral-embed`` with 1024-dimensional vectors: named with its true
length the embeddings suite passes; named with a wrong one the dimension scenario fails (so the
flag really reaches the suite); named without a length that scenario is not applicable.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_run_helpers import gatecheck

pytestmark = pytest.mark.slow

MODEL = ("--suites", "embeddings", "--profile", "openai", "--model", "embedding=mistralai/mistral-embed")
DIMENSION_TEST = "embeddings::test_vectors::test_vectors_have_the_models_dimension"


def test_named_embedding_model_and_length_decide_the_verdict(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    right = gatecheck("run", *MODEL, "--embedding-dimensions", "1024", "--seed", "1")
    assert right.exit_code == 0, right.stdout + right.stderr
    assert right.outcomes()[DIMENSION_TEST] == "passed"

    wrong = gatecheck("run", *MODEL, "--embedding-dimensions", "1536", "--seed", "1")
    assert wrong.exit_code == 1, wrong.stdout + wrong.stderr
    failed = {i for i, o in wrong.outcomes().items() if o == "failed"}
    assert failed == {DIMENSION_TEST}
    assert "--model embedding=mistralai/mistral-embed" in " ".join(wrong.results["run"]["command"])

    unsized = gatecheck("run", *MODEL, "--seed", "1")
    assert unsized.exit_code == 0, unsized.stdout + unsized.stderr
    assert unsized.outcomes()[DIMENSION_TEST] == "not-applicable"
