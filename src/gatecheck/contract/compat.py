"""A bridge over one incompatibility between schemathesis 4.32 and pytest 9.2.

schemathesis' fixture-loaded schemas (``schemathesis.pytest.from_fixture``) rename the running
item for each API operation by assigning ``item._nodeid``; pytest 9.2 replaced that attribute
with a structured ``_id`` and ``_nodeid`` no longer exists, so every such test fails with
``AttributeError``.  gatecheck already gives each operation its own item (the contract suite
parametrizes by operation), so the rename is not needed: the bridge reads the real node id and
ignores the assignment.  Ignoring it also keeps pytest's subtest bookkeeping keyed to the real
item, so a failing operation fails its item instead of a renamed ghost.
"""

from __future__ import annotations

from typing import Any

from _pytest.nodes import Node

__all__ = ["install"]


def _get(node: Node) -> str:
    return node.nodeid


def _set(node: Node, value: Any) -> None:
    """Ignored: the item's own id already names its operation."""


def install() -> None:
    """Add the read-only ``_nodeid`` to pytest nodes, where pytest itself no longer has one."""
    if "_nodeid" in vars(Node) or not hasattr(Node, "nodeid"):
        return
    try:
        import _pytest.nodeid  # noqa: F401  (exists from pytest 9.2, where _nodeid was removed)
    except ImportError:
        return
    Node._nodeid = property(_get, _set)  # type: ignore[attr-defined]
