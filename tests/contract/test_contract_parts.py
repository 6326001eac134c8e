"""The contract run's parts: operations, examples, the schemathesis configuration, the links."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import schemathesis

from gatecheck.contract.examples import add_inference_examples, inference_examples
from gatecheck.contract.operations import iter_operations, single_operation_document
from gatecheck.contract.settings import ContractSettings, bearer_schemes
from gatecheck.contract.stateful import STATEFUL_PARTS, linked_document, stateful_parts
from gatecheck.profiles import get_profile
from gatecheck.specs.registry import load_spec
from gatecheck.specs.validation import validate_openapi

SECRET = "gc-mock-" + "f" * 32


@pytest.mark.parametrize(("name", "count"), [("requesty", 10), ("openrouter", 39)])
def test_every_operation_of_the_spec_becomes_an_item(name: str, count: int) -> None:
    operations = list(iter_operations(load_spec(name).document, get_profile(name)))
    assert len(operations) == count
    assert len({op.label for op in operations}) == count
    chat = next(op for op in operations if op.label == "POST /chat/completions")
    assert chat.kind == "inference" and not chat.uses_management_key


def test_one_operation_keeps_the_components_it_reaches_and_loses_links_to_the_others() -> None:
    document = load_spec("requesty").document
    single = single_operation_document(document, "POST", "/api-keys")
    assert list(single["paths"]) == ["/api-keys"] and list(single["paths"]["/api-keys"]) == ["post"]
    schemas = single["components"]["schemas"]
    assert "CreateApiKeyRequest" in schemas and "ChatCompletionChunk" not in schemas
    assert all(schemas[name] is document["components"]["schemas"][name] for name in schemas)
    assert single["components"]["securitySchemes"] == document["components"]["securitySchemes"]
    assert not validate_openapi(single, label="single")  # every $ref still lands
    assert all("links" not in r for r in single["paths"]["/api-keys"]["post"]["responses"].values())
    assert "links" in document["paths"]["/api-keys"]["post"]["responses"]["200"]  # the original is intact


def test_the_linked_operations_are_the_key_lifecycle() -> None:
    linked = linked_document(load_spec("requesty").document)
    assert linked is not None
    assert set(linked["paths"]) == {
        "/api-keys",
        "/api-keys/{key_id}",
        "/api-keys/{key_id}/usage",
        "/api-keys/{key_id}/limit",
    }
    assert linked_document({"openapi": "3.1.0", "paths": {"/x": {"get": {"responses": {}}}}}) is None


def test_inference_operations_get_known_good_examples_from_the_profile() -> None:
    profile = get_profile("openrouter")
    document = single_operation_document(load_spec("openrouter").document, "POST", "/chat/completions")
    add_inference_examples(document, "POST", "/chat/completions", profile)
    examples = document["paths"]["/chat/completions"]["post"]["requestBody"]["content"]["application/json"]
    streamed = examples["examples"]["gatecheck-chat-stream"]["value"]
    assert streamed["model"] == profile.model("chat") and streamed["stream"] is True
    assert streamed["stream_options"] == {"include_usage": True} and streamed["max_tokens"] == 16
    assert inference_examples("/models", profile) == {}
    assert set(inference_examples("/rerank", profile)) == {"gatecheck-rerank"}


def test_the_config_enables_exactly_the_chosen_checks_and_carries_the_seed() -> None:
    settings = ContractSettings(seed=42, examples=3, checks=("not_a_server_error", "sse_done"))
    project = settings.schemathesis_config().projects.get({})
    checks = project.checks_config_for()
    assert project.seed == 42
    assert checks.not_a_server_error.enabled and checks.get_by_name(name="sse_done").enabled
    assert not checks.status_code_conformance.enabled
    assert not checks.get_by_name(name="error_envelope").enabled
    assert project.generation_for(operation=None, phase="fuzzing").max_examples == 3


def test_curl_commands_mask_the_key_but_not_max_tokens() -> None:
    document = load_spec("requesty").document
    config = ContractSettings(seed=1).schemathesis_config(
        base_url="http://127.0.0.1:9/v1", key=SECRET, schemes=bearer_schemes(document)
    )
    schema = schemathesis.openapi.from_dict(document, config=config)
    case = schema["/chat/completions"]["POST"].Case(body={"messages": [], "max_tokens": 16, "key_label": "x"})
    curl = case.as_curl_command(headers={"Authorization": f"Bearer {SECRET}"})
    assert SECRET not in curl and "[REDACTED]" in curl
    assert '"max_tokens": 16' in curl and '"key_label": "x"' in curl


@pytest.mark.parametrize(
    ("examples", "shares"),
    [(1, [1]), (2, [2]), (3, [2, 2]), (5, [2, 2, 2, 2]), (6, [3, 2, 2, 2]), (20, [6, 6, 6, 5])],
)
def test_the_stateful_phase_is_split_into_parts_that_share_out_the_random_scenarios(
    examples: int, shares: list[int]
) -> None:
    parts = stateful_parts(examples)
    assert [p.examples for p in parts] == shares
    assert [p.id for p in parts] == [f"part{n}" for n in range(1, len(shares) + 1)]
    # each part opens with Hypothesis' simplest scenario: the others add up to one run's
    assert sum(p.examples - 1 for p in parts) == examples - 1
    assert len(parts) <= STATEFUL_PARTS


def test_each_part_has_its_own_seed_derived_from_the_runs_and_nothing_else() -> None:
    settings = ContractSettings(seed=7, examples=20, stateful_examples=20)
    seeds = [p.settings(settings).seed for p in stateful_parts(20)]
    assert seeds[0] == 7 and len(set(seeds)) == len(seeds)
    assert seeds == [p.settings(settings).seed for p in stateful_parts(20)]  # the same every time
    # a worker process derives the same seeds: str seeding does not depend on PYTHONHASHSEED
    script = (
        "from gatecheck.contract.settings import ContractSettings;"
        "from gatecheck.contract.stateful import stateful_parts;"
        "s = ContractSettings(seed=7);"
        "print([p.settings(s).seed for p in stateful_parts(20)])"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        env={**os.environ, "PYTHONHASHSEED": "123"},
        capture_output=True,
        text=True,
    )
    assert done.stdout.strip() == str(seeds), done.stderr
    part = stateful_parts(20)[3].settings(settings)
    assert (part.examples, part.stateful_examples) == (5, 5)
