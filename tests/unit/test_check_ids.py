"""Every check id a failure can carry is registered: statically, over the sources of src/ and suites/.

A failure's key is ``operation::check``; a check written as a string at the raise would be a new
key nobody registered (a typo un-baselines a failure).  So wherever a ``check`` is passed, it
must be a constant of :mod:`gatecheck.check_ids` (imported, not rebound), a parameter passing
one through, a local looked up in the registry, or a table of such constants.  The runtime half
(an unregistered id reported as a harness error) is tested in tests/runner/test_runner_records.py.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from gatecheck import check_ids
from gatecheck.check_ids import CHECK_IDS, WRONG_KEY, CheckIds
from gatecheck.checks.registry import all_checks
from gatecheck.errors import UnknownNameError

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted(p for d in ("src/gatecheck", "suites") for p in (ROOT / d).rglob("*.py"))
#: The registry itself passes ids between its own methods.
REGISTRY = ROOT / "src" / "gatecheck" / "check_ids.py"
FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


def _constants() -> dict[str, str]:
    return {k: v for k, v in vars(check_ids).items() if k.isupper() and isinstance(v, str) and v in CHECK_IDS}


class _Module:
    """What one source file binds: the ids it imports, its tables of ids, its other module names."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.tree = ast.parse(path.read_text(encoding="utf-8"))
        self.imported: set[str] = set()
        bound: dict[str, int] = {}
        for node in self.tree.body:
            for name in _bound_names(node):
                bound[name] = bound.get(name, 0) + 1
            if isinstance(node, ast.ImportFrom) and node.module == "gatecheck.check_ids":
                self.imported |= {a.asname or a.name for a in node.names if a.name in _constants()}
        self.imported = {name for name in self.imported if bound.get(name) == 1}  # never rebound
        self.tables = {
            name
            for node in self.tree.body
            if isinstance(node, ast.Assign | ast.AnnAssign) and isinstance(node.value, ast.Dict)
            for name in _bound_names(node)
            if all(isinstance(v, ast.Name) and v.id in self.imported for v in node.value.values)
        }

    def problem(self, value: ast.expr, scopes: tuple[ast.AST, ...]) -> str | None:
        """Why ``value``, passed as a check inside ``scopes`` (the enclosing functions, innermost
        last), is not a registered id (None: it is)."""
        if isinstance(value, ast.Name) and value.id in self.imported:
            return None
        table = value.value if isinstance(value, ast.Subscript) else None
        if isinstance(table, ast.Name) and table.id in self.tables:
            return None
        if isinstance(value, ast.IfExp):
            return self.problem(value.body, scopes) or self.problem(value.orelse, scopes)
        for scope in reversed(scopes if isinstance(value, ast.Name) else ()):
            assert isinstance(scope, FUNCTIONS) and isinstance(value, ast.Name)
            if value.id in _parameters(scope):
                return None
            for node in ast.walk(scope):
                if isinstance(node, ast.Assign) and value.id in _bound_names(node):
                    return None if _registry_lookup(node.value) else self.problem(node.value, ())
        return f"{ast.unparse(value)!r} is not a constant of gatecheck.check_ids"


def _bound_names(node: ast.AST) -> Iterator[str]:
    if isinstance(node, ast.Import | ast.ImportFrom):
        yield from ((a.asname or a.name).split(".")[0] for a in node.names)
    elif isinstance(node, (*FUNCTIONS, ast.ClassDef)):
        yield node.name
    elif isinstance(node, ast.Assign | ast.AnnAssign):
        for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
            yield from (n.id for n in ast.walk(target) if isinstance(n, ast.Name))


def _parameters(func: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    args = func.args
    return {a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)}


def _registry_lookup(value: ast.expr) -> bool:
    """``CHECK_IDS.part(...)`` and the like: the registry answers or raises."""
    return isinstance(value, ast.Tuple | ast.Call) and all(
        isinstance(call, ast.Call)
        and isinstance(call.func, ast.Attribute)
        and isinstance(call.func.value, ast.Name)
        and call.func.value.id == "CHECK_IDS"
        for call in (value.elts if isinstance(value, ast.Tuple) else [value])
    )


def _takes_an_id(arg: ast.arg) -> bool:
    return arg.arg == "check" and arg.annotation is not None and ast.unparse(arg.annotation) == "CheckId"


def _id_parameters(tree: ast.AST) -> dict[str, int | None]:
    """Functions taking a ``check: CheckId``: name -> its positional index (None: keyword-only)."""
    found: dict[str, int | None] = {}
    for func in (n for n in ast.walk(tree) if isinstance(n, FUNCTIONS)):
        args = func.args
        positional = [a for a in (*args.posonlyargs, *args.args) if a.arg not in ("self", "cls")]
        for index, arg in enumerate(positional):
            if _takes_an_id(arg):
                found[func.name] = index
        if any(_takes_an_id(arg) for arg in args.kwonlyargs):
            found.setdefault(func.name, None)
    return found


def _passed_checks(module: _Module) -> Iterator[tuple[ast.expr, tuple[ast.AST, ...]]]:
    """Every expression passed as a check (``check=`` or a ``check: CheckId`` positional), in its scope."""
    positional = _id_parameters(module.tree)

    def visit(node: ast.AST, scope: tuple[ast.AST, ...]) -> Iterator[tuple[ast.expr, tuple[ast.AST, ...]]]:
        for child in ast.iter_child_nodes(node):
            inner = (*scope, child) if isinstance(child, FUNCTIONS) else scope
            if isinstance(child, ast.Call):
                yield from ((k.value, scope) for k in child.keywords if k.arg == "check")
                name = child.func.id if isinstance(child.func, ast.Name) else None
                index = positional.get(name) if name else None
                if index is not None and index < len(child.args):
                    yield child.args[index], scope
            if isinstance(child, FUNCTIONS):
                args = child.args
                with_default = args.args[len(args.args) - len(args.defaults) :]
                pairs = [
                    *zip(with_default, args.defaults, strict=True),
                    *zip(args.kwonlyargs, args.kw_defaults, strict=True),
                ]
                yield from ((default, ()) for arg, default in pairs if arg.arg == "check" and default)
            yield from visit(child, inner)

    yield from visit(module.tree, ())


def test_every_check_passed_is_a_registered_id() -> None:
    problems = [
        f"{path.relative_to(ROOT)}:{value.lineno}: {problem}"
        for path in SOURCES
        if path != REGISTRY
        for module in [_Module(path)]
        for value, scopes in _passed_checks(module)
        if (problem := module.problem(value, scopes))
    ]
    assert problems == []


def test_public_functions_take_a_check_by_keyword() -> None:
    """A positional check is judged only within its own module; elsewhere ``check=`` is required."""
    positional = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in SOURCES
        if path != REGISTRY
        for name, index in _id_parameters(ast.parse(path.read_text(encoding="utf-8"))).items()
        if index is not None and not name.startswith("_")
    ]
    assert positional == []


def test_the_scan_sees_a_string_a_fstring_and_a_rebound_constant(tmp_path: Path) -> None:
    source = tmp_path / "planted.py"
    source.write_text(
        "from gatecheck.check_ids import STATUS, WRONG_KEY\n"
        "WRONG_KEY = 'gc-key-wrong'\n"
        "def test(check):\n"
        "    fail(check='models-status')\n"
        "    fail(check=f'{check}-message')\n"
        "    fail(check=WRONG_KEY)\n"
        "    fail(check=STATUS)\n"
        "    fail(check=check)\n"
    )
    module = _Module(source)
    problems = [module.problem(v, s) for v, s in _passed_checks(module)]
    assert [p is None for p in problems] == [False, False, False, True, True]


def test_constants_are_named_after_their_ids() -> None:
    for name, value in _constants().items():
        prefix = "CONTRACT_" if CHECK_IDS.info(value).kind == "contract" else ""
        assert name == prefix + value.upper().replace("-", "_"), name
    parts = {i.id for i in CHECK_IDS} - set(_constants().values())  # refusal parts, found by CHECK_IDS.part
    assert {p.rsplit("-", 1)[1] for p in parts} == {"message", "code"}
    assert {p.rsplit("-", 1)[0] for p in parts} <= set(_constants().values())


def test_contract_checks_are_the_registered_contract_ids() -> None:
    contract = {i.id for i in CHECK_IDS if i.kind == "contract"}
    registry = all_checks()
    assert set(registry.names()) == contract
    assert all(info.title == CHECK_IDS.title(info.name) for info in registry)


def test_refusal_parts_are_registered_with_their_base() -> None:
    assert CHECK_IDS.part(WRONG_KEY, "code") == "wrong-key-code"
    assert CHECK_IDS.title("wrong-key-message").startswith(CHECK_IDS.title(WRONG_KEY))
    with pytest.raises(UnknownNameError):
        CHECK_IDS.part(check_ids.STATUS, "message")


def test_the_registry_refuses_duplicates_and_malformed_ids() -> None:
    ids = CheckIds()
    ids.add("one-id", "A title", "scenario")
    with pytest.raises(ValueError, match="twice"):
        ids.add("one-id", "Again", "scenario")
    with pytest.raises(ValueError, match="kebab"):
        ids.add("one_id", "A title", "scenario")
    with pytest.raises(ValueError, match="snake"):
        ids.add("one-id-2", "A title", "contract")
    with pytest.raises(ValueError, match="one-line"):
        ids.add("two", "", "scenario")
