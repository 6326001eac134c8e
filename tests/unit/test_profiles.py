"""Profiles are data: they load, validate, and answer the questions suites ask."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from gatecheck.errors import ConfigError, UnknownNameError
from gatecheck.profiles import CAPABILITIES, available, get_profile, load_profile


def test_bundled_profiles_are_the_three_documented_ones() -> None:
    assert available() == ["openai", "openrouter", "requesty"]


@pytest.mark.parametrize("name", ["openai", "openrouter", "requesty"])
def test_every_bundled_profile_validates_and_claims_only_known_capabilities(name: str) -> None:
    profile = get_profile(name)
    assert profile.capabilities <= set(CAPABILITIES)
    assert profile.path("chat") == "/chat/completions"


def test_vendor_differences_are_answered_by_data() -> None:
    assert get_profile("requesty").path("key", id="k1") == "/api-keys/k1"
    assert get_profile("openrouter").path("key", id="abc") == "/keys/abc"
    assert get_profile("requesty").base_urls["eu"].startswith("https://router.eu.")
    assert not get_profile("openai").claims("usage-cost")
    assert get_profile("openrouter").claims("messages") and not get_profile("requesty").claims("messages")


def test_unknown_profile_names_the_known_ones() -> None:
    with pytest.raises(UnknownNameError, match="known: openai, openrouter, requesty"):
        get_profile("litellm")


def test_unknown_capability_is_a_programming_error() -> None:
    with pytest.raises(UnknownNameError, match="capability"):
        get_profile("openai").claims("teleportation")


def test_user_profile_file_is_validated_with_its_location(tmp_path: Path) -> None:
    data = yaml.safe_load((Path(__file__).parents[2] / "src/gatecheck/profiles/openai.yaml").read_text())
    data["capabilities"].append("telepathy")
    path = tmp_path / "mine.yaml"
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(
        ConfigError, match=r"mine.yaml is invalid at capabilities/7: 'telepathy' is not one of"
    ):
        get_profile(str(path))


def test_user_profile_file_errors_are_readable(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_profile(tmp_path / "nope.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: [unclosed")
    with pytest.raises(ConfigError, match="invalid YAML"):
        load_profile(bad)
    bad.write_text("- a list")
    with pytest.raises(ConfigError, match="must be a mapping"):
        load_profile(bad)
