"""``gatecheck run`` against a real LiteLLM proxy, configured only with documented flags.

Every expected verdict below is what LiteLLM (the version pinned in pyproject.toml) really
sends, checked with curl against this very setup; anything else it does must pass.  A new
failure here is either a LiteLLM change (update the pin and the list, with the curl evidence)
or a gatecheck false alarm (fix gatecheck).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from litellm_support import MASTER_KEY, Outcome, Proxy, download_attempts, gatecheck

pytestmark = pytest.mark.slow

#: The suites where the `openai` profile claims anything; the others are all not applicable.
SUITES = "contract,cost,embeddings,errors,inputs,models,streaming,structured,tools"
FLAGS = (
    # One worker: the run-wide Retry-After verdict reads the 429s seen earlier in the session.
    *("--profile", "openai", "--api-key-env", "LITELLM_KEY", "--seed", "7", "--concurrency", "1"),
    *("--model", "chat=gc-chat", "--model", "chat_alt=gc-chat-alt", "--model", "embedding=gc-embed"),
    *("--embedding-dimensions", "1536", "--model", "failing=gc-broken", "--model", "rate_limited=gc-limited"),
)

#: test id -> words its title must hold, and why LiteLLM earns it.
EXPECTED_FAILURES = {
    # `curl /v1/models` without a key: HTTP 500 text/plain "Internal Server Error".  Its auth error
    # handler imports `prisma`, which litellm[proxy] does not install (ModuleNotFoundError in its
    # log), so a request without a key crashes instead of getting 401 with an error envelope.
    "contract::test_contract::test_operation[GET /models]": "without authentication",
    "contract::test_contract::test_operation[POST /embeddings]": "without authentication",
    "errors::test_authentication::test_missing_key_is_refused": "Expected HTTP 401, got HTTP 500",
    # Same crash without a key; and the usage chunk: LiteLLM sends
    # `"choices":[{"index":0,"delta":{}}],"usage":{...}` where OpenAI documents `choices: []`.
    "contract::test_contract::test_operation[POST /chat/completions]": "Usage chunk",
    "streaming::test_usage::test_usage_chunk_comes_once_before_done": "is not a final chunk with choices: []",
    # A wrong key (no database configured, as with a plain `litellm --config`): HTTP 400
    # {"error":{"message":"No connected db.","type":"no_db_connection","code":"400"}}, not 401.
    "errors::test_authentication::test_wrong_key_is_refused": "Expected HTTP 401, got HTTP 400",
    # An unknown model: LiteLLM raises ProxyModelNotFoundError, HTTP 400 "Invalid model name passed
    # in model=..." (litellm/proxy/route_llm_request.py); OpenAI documents 404 model_not_found.
    "errors::test_bad_requests::test_unknown_model_is_refused": "Expected HTTP 404, got HTTP 400",
    # A content part of an unknown type: LiteLLM's own validation raises, and it answers HTTP 500
    # "litellm.APIConnectionError: ... Invalid user message at index 0" instead of a 400.
    "inputs::test_content_parts::test_unsupported_part_type_is_refused_by_name": "is not refused",
}
#: test id -> (outcome, words its reason must hold): the verdicts that are neither pass nor fail.
EXPECTED_UNDECIDED = {
    # gc-limited's upstream answers 429 with `Retry-After: 1`.  LiteLLM answers 429 with an error
    # envelope but forwards the header only as `llm_provider-retry-after: 1`: no Retry-After
    # (curl, 2026-12-06).  The openai profile does not claim rate-limits and RFC 6585 lets a 429
    # omit it, so this is not applicable, never failed; a profile claiming rate-limits fails it.
    "errors::test_rate_limits::test_rate_limited_answer_carries_retry_after": (
        "not-applicable",
        "the 429 carries no Retry-After",
    ),
    "errors::test_rate_limits::test_every_rate_limited_answer_of_the_run_carries_retry_after": (
        "not-applicable",
        "no 429 carried Retry-After",
    ),
}


@pytest.fixture(scope="module")
def verdicts(litellm_proxy: Proxy, tmp_path_factory: pytest.TempPathFactory) -> Outcome:
    folder = tmp_path_factory.mktemp("run")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LITELLM_KEY", MASTER_KEY)
        patch.chdir(folder)
        reports = ("--report-dir", str(folder / "reports"))  # absolute: read after the chdir ends
        return gatecheck("run", "--target", litellm_proxy.base_url, "--suites", SUITES, *FLAGS, *reports)


def test_litellm_gets_exactly_its_real_deviations(verdicts: Outcome) -> None:
    assert verdicts.exit_code == 1, verdicts.stdout + verdicts.stderr
    outcomes = verdicts.outcomes()
    failed = {i for i, o in outcomes.items() if o in ("failed", "error")}
    assert failed == set(EXPECTED_FAILURES), verdicts.stdout
    titles = {t["id"]: (t.get("failure") or {}).get("title", "") for t in verdicts.results["tests"]}
    for test, words in EXPECTED_FAILURES.items():
        assert words in titles[test], (test, titles[test])
    reasons = {t["id"]: t.get("skip_reason") or "" for t in verdicts.results["tests"]}
    for test, (outcome, words) in EXPECTED_UNDECIDED.items():
        assert (outcomes[test], words in reasons[test]) == (outcome, True), (test, reasons[test])
    passed = [i for i, o in outcomes.items() if o == "passed"]
    assert len(passed) >= 20, outcomes  # chat, streaming, tools, json_schema, embeddings really judged


def test_nothing_secret_or_downloaded(verdicts: Outcome, litellm_proxy: Proxy) -> None:
    assert download_attempts(litellm_proxy) == []
    for path in verdicts.run_dir.rglob("*"):
        if path.is_file():
            assert MASTER_KEY not in path.read_text(errors="replace"), path


def test_probed_section_gives_the_same_verdicts(
    verdicts: Outcome, litellm_proxy: Proxy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LITELLM_KEY", MASTER_KEY)
    monkeypatch.chdir(tmp_path)
    probed = gatecheck(
        "probe",
        "--target",
        litellm_proxy.base_url,
        "--api-key-env",
        "LITELLM_KEY",
        "--name",
        "proxy",
        "--write",
    )
    assert probed.exit_code == 0, probed.stdout + probed.stderr
    # The probe cannot know a model *always* fails: those two roles stay the user's to name.
    roles = (
        "--model",
        "failing=gc-broken",
        "--model",
        "rate_limited=gc-limited",
        "--seed",
        "7",
        "--concurrency",
        "1",
    )
    subset = "embeddings,errors,models,streaming,tools"
    again = gatecheck("run", "--target", "proxy", "--suites", subset, *roles)
    assert again.outcomes() == {
        i: o for i, o in verdicts.outcomes().items() if i.split("::")[0] in subset.split(",")
    }
