"""Secrets a test process learns are masked in its reports before they leave it (issue 16, item 4).

The secret is registered inside the test, as a suite registers a key the target created, so the
xdist controller that writes the JUnit file and the terminal output never learns it.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest

from gatecheck.scenario import CreatedKey

SUITE = """
import logging
import pytest

from gatecheck.redact import default_redactor
from gatecheck.scenario import CreatedKey

SECRET = {secret!r}


def _use(key: str, created: CreatedKey) -> None:
    print("the key is", key)
    logging.getLogger("suite").warning("using %s", key)
    assert key == "something else", created


@pytest.mark.parametrize("n", [1, 2])
def test_leaks_its_key(n):
    default_redactor.add(SECRET)
    _use(SECRET, CreatedKey("id-1", SECRET, {{"key": SECRET}}))


def test_skips_naming_it():
    default_redactor.add(SECRET)
    pytest.skip("inconclusive: the gateway said " + SECRET)
"""


@pytest.mark.slow
@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["one process", "xdist"])
def test_a_key_learnt_in_a_test_appears_in_no_report(pytester: pytest.Pytester, workers: list[str]) -> None:
    """Tracebacks (arguments, assertion text), captured output and skip reasons are masked"""
    secret = "zz-" + secrets.token_hex(12)  # a shape no redaction pattern knows
    pytester.makepyfile(SUITE.format(secret=secret))
    allure = pytester.path / "allure"
    result = pytester.runpytest_subprocess(
        "-p",
        "no:cacheprovider",
        *("--junitxml", "junit.xml", "--alluredir", str(allure), "-rA", "--tb=long", "--showlocals"),
        *workers,
    )
    result.assert_outcomes(failed=2, skipped=1)
    # the test file (and its bytecode) holds the secret as written: everything else must not
    written = [p for p in Path(pytester.path).rglob("*") if p.is_file() and p.suffix not in (".py", ".pyc")]
    assert any(p.parent == allure for p in written), "allure wrote nothing: the scan would prove nothing"
    assert [str(p) for p in written if secret.encode() in p.read_bytes()] == []
    assert secret not in result.stdout.str() + result.stderr.str()
    assert "[REDACTED]" in result.stdout.str()


def test_a_created_keys_repr_shows_neither_its_value_nor_its_record() -> None:
    """``CreatedKey`` in a traceback or an assertion message names its id only"""
    value = "zz-" + secrets.token_hex(12)
    shown = repr(CreatedKey("key-1", value, {"key": value, "name": "n"}))
    assert value not in shown
    assert "key-1" in shown
