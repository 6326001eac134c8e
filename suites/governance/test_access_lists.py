"""A key's access list: the models it names are served, every other model is refused.

Where the profile marks the list field a mock extension (``governance.access_lists.mock_extension``:
Requesty attaches access lists in its dashboard and documents no key API field for them), the
scenario runs against the built-in mock only; against a real target it is not applicable.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from gatecheck.check_ids import ACCESS_LIST, ACCESS_LISTED

if TYPE_CHECKING:
    from conftest import Governance  # the fixture's type, for readers and type checkers only

pytestmark = [
    pytest.mark.capability("access-lists"),
    pytest.mark.capability("key-management"),
    pytest.mark.writes,
]


def test_access_list_limits_the_key_to_its_models(governance: Governance) -> None:
    """A key with an access list calls the listed model and is refused other models with 403"""
    spec = governance.section("access_lists")
    if spec.get("mock_extension") and not governance.gateway.is_mock:
        pytest.skip(
            f"not applicable: {spec['key_field']} on key creation is the mock's extension; "
            f"profile {governance.profile.name} documents no API for a key's access list"
        )
    allowed, other = governance.models()
    key = governance.new_key(**{spec["key_field"]: [allowed]})
    governance.served(key.value, allowed, why=f"{allowed} is on the key's access list", check=ACCESS_LISTED)
    why = f"The key's access list ({spec['key_field']}) holds only {allowed}"
    governance.refused(key.value, other, spec.get("refused_statuses", (403,)), why=why, check=ACCESS_LIST)
