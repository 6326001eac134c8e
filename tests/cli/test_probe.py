"""``gatecheck probe`` against the built-in mock (both flavors), served as a real target over HTTP.

The probe must find the flavor's profile from vendor data alone, name models that answer, stay
within its request budget whatever the target answers, and write a section with which
``gatecheck run`` gives the same verdicts as with a hand-written one.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_run_helpers import Outcome, gatecheck

from gatecheck.config import load_config
from gatecheck.discover import PROBE_BUDGET
from gatecheck.mock.server import MockServer
from gatecheck.mock.settings import MockSettings
from gatecheck.profiles import get_profile


@pytest.fixture(params=["requesty", "openrouter"])
def served(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[MockServer]:
    settings = MockSettings(flavor=request.param)
    monkeypatch.setenv("PROBE_KEY", settings.api_key)
    monkeypatch.setenv("PROBE_ADMIN", settings.admin_key)
    with MockServer(settings) as server:
        yield server


def _probe(url: str, *extra: str) -> Outcome:
    return gatecheck("probe", "--target", url, "--api-key-env", "PROBE_KEY", *extra)


def test_probe_finds_the_flavors_profile_models_and_length(
    served: MockServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = _probe(served.base_url, "--management-key-env", "PROBE_ADMIN", "--name", "m", "--write")
    assert result.exit_code == 0, result.stdout + result.stderr
    flavor = served.settings.flavor
    profile = get_profile(flavor)
    entry = load_config(tmp_path / "gatecheck.toml").target("m")
    assert (entry.url, entry.profile) == (served.base_url, flavor)
    assert (entry.api_key_env, entry.management_key_env) == ("PROBE_KEY", "PROBE_ADMIN")
    assert entry.settings.models["chat"] == profile.model("chat")
    assert entry.settings.models["embedding"] == profile.model("embedding")
    assert entry.settings.embedding_dimensions == (profile.embedding or {})["dimensions"]
    assert "key-management" in result.stdout.split("capabilities seen:")[1].splitlines()[0]
    requests = int(result.stdout.split("(")[1].split(" requests")[0])
    assert 0 < requests <= PROBE_BUDGET
    assert served.settings.api_key not in result.stdout and served.settings.admin_key not in result.stdout


def test_a_target_whose_models_all_fail_costs_the_budget_at_most(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = MockSettings(fault_plan=[{"model": "*", "failure": "500"}])
    monkeypatch.setenv("PROBE_KEY", settings.api_key)
    monkeypatch.chdir(tmp_path)
    with MockServer(settings) as server:
        result = _probe(server.base_url, "--name", "broken")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "not seen: chat: none of the 4 models tried answered" in result.stdout
    section = result.stdout[result.stdout.index("[targets.broken]") :]
    assert '# failing = "' in section  # a candidate, commented out: one failure proves no "always"
    assert "chat =" not in tomllib.loads(section)["targets"]["broken"]["models"]


def test_write_keeps_an_existing_target_and_refuses_a_literal_credential(
    served: MockServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    config = tmp_path / "gatecheck.toml"
    config.write_text('[targets.m]\nurl = "http://127.0.0.1:1/v1"\n')
    taken = _probe(served.base_url, "--name", "m", "--write")
    assert taken.exit_code == 2 and "already has a target named 'm'" in taken.stderr
    literal = _probe(
        served.base_url, "--name", "n", "--write", "--header", "X-Api-Key: sk-literal-0123456789"
    )
    assert literal.exit_code == 2 and "header X-Api-Key carries a credential" in literal.stderr
    assert config.read_text() == '[targets.m]\nurl = "http://127.0.0.1:1/v1"\n'


@pytest.mark.slow
def test_probed_section_gives_the_verdicts_of_a_hand_written_one(
    served: MockServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    flavor = served.settings.flavor
    (tmp_path / "gatecheck.toml").write_text(
        f'[targets.hand]\nurl = "{served.base_url}"\nprofile = "{flavor}"\n'
        'api_key = "${PROBE_KEY}"\nmanagement_key = "${PROBE_ADMIN}"\n'
    )
    probed = _probe(served.base_url, "--management-key-env", "PROBE_ADMIN", "--name", "probed", "--write")
    assert probed.exit_code == 0, probed.stdout + probed.stderr
    suites = ("--suites", "embeddings,streaming", "--seed", "5")  # the model- and length-bound ones
    suites += ("--concurrency", "2")  # not 8 worker start-ups (a URL target's default) for 2 suites
    hand = gatecheck("run", "--target", "hand", *suites)
    auto = gatecheck("run", "--target", "probed", *suites)
    assert hand.exit_code == auto.exit_code, hand.stdout + auto.stdout
    assert hand.outcomes() == auto.outcomes()
    assert "passed" in set(hand.outcomes().values())


def test_named_models_are_tried_first_and_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = MockSettings()
    monkeypatch.setenv("PROBE_KEY", settings.api_key)
    monkeypatch.chdir(tmp_path)
    with MockServer(settings) as server:
        result = _probe(
            server.base_url, "--name", "n", "--model", "chat=openai/gpt-4.1", "--model", "failing=x-1"
        )
    assert result.exit_code == 0, result.stdout + result.stderr
    models = tomllib.loads(result.stdout[result.stdout.index("[targets.n]") :])["targets"]["n"]["models"]
    assert (models["chat"], models["failing"]) == ("openai/gpt-4.1", "x-1")
    assert result.stdout.index("POST /chat/completions openai/gpt-4.1") < result.stdout.index("gpt-4o-mini")


def test_unreachable_target_is_a_one_line_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROBE_KEY", "sk-probe-0123456789")
    monkeypatch.chdir(tmp_path)
    result = _probe("http://127.0.0.1:9/v1", "--write")
    assert result.exit_code == 2 and "is unreachable" in result.stderr
    assert "[targets." not in result.stdout and not (tmp_path / "gatecheck.toml").exists()
