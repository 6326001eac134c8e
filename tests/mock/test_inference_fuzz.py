"""Bad input never yields a 5xx: a quick schemathesis run, in-process, over each flavor's spec.

Only the inference operations are fuzzed here (the management plane has its own contract
tests); the full contract suite, with every check, belongs to ``suites/``.  Examples are few and
derandomized so the run is quick and repeatable; positive and negative data both.  Each mode runs
alone, so an operation with nothing to make invalid (a public listing without parameters)
is skipped by schemathesis itself ("Impossible to generate negative test cases") rather than
left to hypothesis to give up on; which operations those are is pinned below.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import Case, GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.control import SkipTest

from gatecheck.mock.inference import inference_operations
from gatecheck.specs.registry import load_spec

if TYPE_CHECKING:
    from conftest import MakeMock

INFERENCE = {
    "/chat/completions",
    "/embeddings",
    "/models",
    "/responses",
    "/messages",
    "/rerank",
    "/models/count",
    "/models/{author}/{slug}/endpoints",
    "/providers",
    "/endpoints/zdr",
    "/embeddings/models",
    "/rerank/models",
}
# public (``security: []``) and without parameters or body: no negative data exists for these
NOTHING_TO_BREAK = {
    "openrouter": {
        "GET /endpoints/zdr",
        "GET /providers",
        "GET /embeddings/models",
        "GET /rerank/models",
        "GET /models/{author}/{slug}/endpoints",  # any string is a valid author or slug
    },
}


@pytest.mark.slow
@pytest.mark.parametrize("mode", list(GenerationMode), ids=lambda m: m.value)
@pytest.mark.parametrize("flavor", ["requesty", "openrouter"])
def test_fuzzed_requests_never_get_a_server_error(
    make_mock: MakeMock, flavor: str, mode: GenerationMode
) -> None:
    mock = make_mock(flavor)
    schema = schemathesis.openapi.from_dict(load_spec(flavor).document)
    schema.config.generation.update(modes=[mode])
    schema.app = mock.app
    auth = {"Authorization": f"Bearer {mock.settings.api_key}"}
    operations = [op.ok() for op in schema.get_all_operations() if op.ok().path in INFERENCE]
    assert len(operations) >= (3 if flavor == "requesty" else 12)
    skipped: set[str] = set()
    for operation in operations:

        @settings(
            max_examples=6,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(generation_mode=mode))
        def check(case: Case) -> None:
            case.call_and_validate(headers=auth, checks=[not_a_server_error])

        try:
            check()
        except SkipTest:
            skipped.add(operation.label)
    expected = NOTHING_TO_BREAK.get(flavor, set()) if mode is GenerationMode.NEGATIVE else set()
    assert skipped == expected


# The vendors' official documents describe far more than the seeds (OpenRouter's has 97
# operations); fuzzing the operations the mock serves with them finds inputs the bundled specs
# never generate.  The mock may refuse what its bundled contract forbids (a 4xx), never fail.
OFFICIAL = {"openrouter": "openrouter-openapi.yaml", "requesty": "openai-openapi.yaml"}
OFFICIAL_LACKS = {"openrouter": {("GET", "/rerank/models")}, "requesty": set()}  # served, not documented


@pytest.mark.slow  # loads a 1.4 or 3 MB document and fuzzes a dozen operations
@pytest.mark.parametrize("flavor", ["requesty", "openrouter"])
def test_official_documents_fuzzed_never_get_a_server_error(
    make_mock: MakeMock, real_specs: Path, flavor: str
) -> None:
    mock = make_mock(flavor)
    document = load_spec(str(real_specs / OFFICIAL[flavor])).document
    schema = schemathesis.openapi.from_dict(document)
    schema.app = mock.app
    auth = {"Authorization": f"Bearer {mock.settings.api_key}"}
    served = inference_operations(flavor)
    operations = [
        op.ok()
        for op in schema.get_all_operations()
        if op.ok().method.upper() in {"GET", "POST"} and (op.ok().method.upper(), op.ok().path) in served
    ]
    found = {(op.method.upper(), op.path) for op in operations}
    assert served - found == OFFICIAL_LACKS[flavor]
    for operation, mode in itertools.product(operations, GenerationMode):

        @settings(
            max_examples=5,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(generation_mode=mode))
        def check(case: Case) -> None:
            case.call_and_validate(headers=auth, checks=[not_a_server_error])

        try:
            check()
        except SkipTest:  # nothing to make invalid (public, no parameters): positive data covered it
            assert mode is GenerationMode.NEGATIVE, operation.label
