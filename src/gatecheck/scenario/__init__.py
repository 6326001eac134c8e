"""What scenario suites share, so each scenario reads as its contract point and nothing else.

Suites (``suites/<name>/test_*.py``) import from here, never from the mock.  The API is stable;
other suites depend on it.

Building requests (:mod:`gatecheck.scenario.requests`), all from the profile, small and cheap::

    chat_request(profile, *, prompt=DEFAULT_PROMPT, max_tokens=16, stream=False,
                 include_usage=False, model=None, **extra) -> dict
    tool_request(profile, *, stream=False, max_tokens=64, **extra) -> dict   # forces WEATHER_TOOL
    embedding_request(profile, *, text="gatecheck", model=None) -> dict
    LONG_PROMPT, DEFAULT_PROMPT, SEED, WEATHER_TOOL

Reading answers (:mod:`gatecheck.scenario.responses`); each failure is a ContractViolation under
a check id, a constant of :mod:`gatecheck.check_ids` (``STATUS``, ``JSON_BODY``, ``MODELS_STATUS``)::

    operation("POST", profile.path("chat")) -> "POST /chat/completions"   # the label failures carry
    expect_status(response, 200 | (400, 404), operation, *, check=STATUS, title=None)
    json_body(response, operation, *, check=JSON_BODY) -> Any             # non-JSON -> violation
    json_object(response, operation, *, check=JSON_BODY) -> dict
    dig(document, "choices.0.message.content", default=MISSING) -> Any
    require(document, "usage.cost", *, operation, check, what="") -> Any  # absent -> violation
    describe(response) -> "HTTP 400 application/json: {...}"

Waiting for asynchronous accounting (:mod:`gatecheck.scenario.polling`)::

    eventually(attempt, timeout=DEFAULT_TIMEOUT, *, interval=0.25) -> attempt()'s result
        # retries while attempt raises ContractViolation; re-raises the last one at the deadline
    settle_timeout(gateway.is_mock) -> seconds   # the run's ``--limit settle=S`` (mock: 1 s)

Streams (:mod:`gatecheck.checks.stream`, re-exported)::

    capture_stream(client, path, json, timeout=None, *, operation=None) -> StreamCapture
        # .status .headers .reads [(t, nbytes)] .items [TimedItem(t, read, item)] .events
        # .comments .unterminated .transport_error .first_byte .first_token .total .body

Keys and catalog (:mod:`gatecheck.scenario.keys`, :mod:`gatecheck.scenario.catalog`)::

    create_key(management_client, profile, *, name, redactor=default_redactor, **fields)
        -> CreatedKey(id, value, record)   # the value is registered with the redactor at once
        # fields by logical name (limit, expiry, labels), translated with profile.keys["fields"]
    delete_key(management_client, profile, key_id) -> httpx.Response
    json_pointer(document, "/data/key") -> Any                             # KeyError if absent
    model_record(client, profile, model_id) -> dict                        # entry of GET models

Setup the account lacks (:mod:`gatecheck.scenario.setup`): "not applicable: set up …", quoting
the target, when its answer says a policy or model the scenario named is missing there::

    skip_if_setup_missing(profile, response, asked=[policy, model, ...])
    profile.missing_setup(status, message, asked) -> reason | None
    error_text(response) -> str                                            # error.message

Beside this module, ``suites/conftest.py`` gives every suite the fixtures ``chat_path``,
``chat_op``, ``upstream_failure(failure, *, model=None, count=None)`` (the mock's fault plan;
skipped on real gateways) and ``paced_streams``; ``tests/suites/conftest.py`` gives gatecheck's
own tests ``run_suite(suite, *, profile="requesty", faults=(), extra_args=()) -> SuiteResult``
with ``assert_failed(name, contains=...)``, ``assert_only_failed({...})``, ``assert_skipped``,
``assert_all_passed``.
"""

from __future__ import annotations

from gatecheck.checks.stream import StreamCapture, TimedItem, capture_stream
from gatecheck.scenario.catalog import model_record
from gatecheck.scenario.keys import CreatedKey, create_key, delete_key, json_pointer
from gatecheck.scenario.polling import DEFAULT_TIMEOUT, eventually, settle_timeout
from gatecheck.scenario.refusals import expect_documented_refusal
from gatecheck.scenario.requests import (
    DEFAULT_PROMPT,
    LONG_PROMPT,
    SEED,
    WEATHER_TOOL,
    chat_request,
    embedding_request,
    tool_request,
)
from gatecheck.scenario.responses import (
    MISSING,
    describe,
    dig,
    expect_status,
    json_body,
    json_object,
    operation,
    require,
)
from gatecheck.scenario.setup import error_text, skip_if_setup_missing

__all__ = [
    "DEFAULT_PROMPT",
    "DEFAULT_TIMEOUT",
    "LONG_PROMPT",
    "MISSING",
    "SEED",
    "WEATHER_TOOL",
    "CreatedKey",
    "StreamCapture",
    "TimedItem",
    "capture_stream",
    "chat_request",
    "create_key",
    "delete_key",
    "describe",
    "dig",
    "embedding_request",
    "error_text",
    "eventually",
    "expect_documented_refusal",
    "expect_status",
    "json_body",
    "json_object",
    "json_pointer",
    "model_record",
    "operation",
    "require",
    "settle_timeout",
    "skip_if_setup_missing",
    "tool_request",
]
