"""Creating and removing throwaway API keys through the profile's ``keys`` description.

Vendors differ in where the key record and the plaintext value sit in the create answer
(Requesty: top level; OpenRouter: ``data`` and ``key``) and in the name of the id field; the
profile says which, as JSON pointers, so scenarios that need a key of their own share this code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from gatecheck.check_ids import KEY_CREATE_BODY, KEY_CREATE_STATUS
from gatecheck.failures import ContractViolation
from gatecheck.profiles import Profile
from gatecheck.redact import Redactor, default_redactor
from gatecheck.scenario.responses import expect_status, json_object, operation

__all__ = ["CreatedKey", "create_key", "delete_key", "json_pointer"]


@dataclass(frozen=True)
class CreatedKey:
    """A key a scenario created: its id for management paths, its value for inference."""

    id: str
    value: str
    record: dict[str, Any]

    def __repr__(self) -> str:
        # tracebacks and assertion messages print reprs: never the key, whatever its shape
        # (the record may hold it too: Requesty's create answer is the record)
        return f"CreatedKey(id={self.id!r}, value=<masked>, record=<{len(self.record)} fields>)"


def json_pointer(document: Any, pointer: str) -> Any:
    """RFC 6901 lookup; ``""`` is the whole document. Raises KeyError naming the pointer."""
    current = document
    for raw in pointer.split("/")[1:] if pointer else ():
        part = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(current, list) and part.isdigit() and int(part) < len(current):
            current = current[int(part)]
        elif isinstance(current, dict) and part in current:
            current = current[part]
        else:
            raise KeyError(pointer)
    return current


def _keys_spec(profile: Profile) -> dict[str, Any]:
    if not profile.keys:
        raise ValueError(f"profile {profile.name} describes no key API (keys: null)")
    return dict(profile.keys)


def create_key(
    client: httpx.Client,
    profile: Profile,
    *,
    name: str,
    redactor: Redactor = default_redactor,
    **fields: Any,
) -> CreatedKey:
    """Create a key with the management ``client``; ``fields`` use the profile's logical names
    (``limit``, ``expiry``, ``labels``), translated to the vendor's.  The new key's value is
    registered with ``redactor`` at once, so no report can leak it."""
    spec = _keys_spec(profile)
    create = spec["create"]
    names = spec.get("fields") or {}
    body = {names.get("name") or "name": name}
    for logical, value in fields.items():
        body[names.get(logical) or logical] = value
    path = profile.path(create["path"])
    op = operation(create["method"], path)
    response = client.request(create["method"], path, json=body)
    expect_status(response, (200, 201), op, check=KEY_CREATE_STATUS)
    answer = json_object(response, op, check=KEY_CREATE_BODY)
    try:
        record = json_pointer(answer, spec.get("record") or "")
        key_id = record[spec["id_field"]]
        value = json_pointer(answer, spec["value_pointer"])
    except (KeyError, TypeError):
        raise ContractViolation(
            "Created key lacks its id or value",
            expected=f"id at {spec.get('record') or ''}/{spec['id_field']}, "
            f"the key at {spec['value_pointer']}",
            received=answer,
            check=KEY_CREATE_BODY,
            operation=op,
        ) from None
    redactor.add(str(value))
    return CreatedKey(str(key_id), str(value), record if isinstance(record, dict) else {})


def delete_key(client: httpx.Client, profile: Profile, key_id: str) -> httpx.Response:
    """Delete a key by id; returns the answer so callers may check it (cleanup may ignore it)."""
    return client.delete(profile.path("key", id=key_id))
