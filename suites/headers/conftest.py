"""Where a region of the target is served: ``regional_base_url("eu")`` for the routing scenarios.

A profile names each region's base URL (``base_urls``: Requesty's ``eu`` is
``https://router.eu.requesty.ai/v1``).  The target's regional counterpart is:

* on a real gateway whose URL is the profile's default (or already the region's) base URL: the
  profile's URL for the region;
* on any other real URL (a proxy, a staging host): unknown, so the scenario is not applicable;
  point ``--gateway-url`` at the regional URL to test it directly;
* on the built-in mock: the path it advertises for the region in ``GET /_mock/regions``
  (``{"regions": {"eu": "/eu/v1"}}``), the same API under a second prefix.
"""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from gatecheck.check_ids import REGION_SERVED
from gatecheck.errors import ConfigError
from gatecheck.failures import ContractViolation
from gatecheck.plugin.fixtures import Gateway
from gatecheck.profiles import Profile


def _normal(url: str) -> str:
    return url.rstrip("/").lower()


def _mock_region_url(gateway: Gateway, region: str) -> str:
    assert gateway.mock_root_url is not None
    answer = httpx.get(gateway.mock_root_url + "/_mock/regions", timeout=gateway.target.timeout)
    advertised = answer.json().get("regions", {}) if answer.status_code == 200 else {}
    if region not in advertised:
        raise ContractViolation(
            f"The mock serves no {region} base URL",
            expected=f'GET /_mock/regions: {{"regions": {{"{region}": "/{region}/..."}}}}',
            received=answer.text,
            check=REGION_SERVED,
            operation="GET /_mock/regions",
        )
    return gateway.mock_root_url + advertised[region]


def regional_base_url(gateway: Gateway, profile: Profile, region: str) -> str:
    """The base URL of ``region`` of the target (see the module docstring), or a skip."""
    if region not in profile.base_urls:
        raise ConfigError(
            f"profile {profile.name} claims {region}-region but base_urls has no {region!r} entry"
        )
    if gateway.is_mock:
        return _mock_region_url(gateway, region)
    own = {_normal(profile.base_urls["default"]), _normal(profile.base_urls[region])}
    if _normal(gateway.base_url) not in own:
        pytest.skip(
            f"not applicable: {gateway.base_url} is not {profile.title}'s public base URL, so its "
            f"{region} counterpart is unknown; pass --gateway-url {profile.base_urls[region]} to test it"
        )
    return profile.base_urls[region].rstrip("/")


@pytest.fixture
def region_url(gateway: Gateway, profile: Profile) -> Callable[[str], str]:
    """``region_url("eu")``: the base URL of that region of the target."""
    return lambda region: regional_base_url(gateway, profile, region)
