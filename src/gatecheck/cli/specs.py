"""``gatecheck specs``: list, show and lint the specs gatecheck tests against.

Everything listed comes from :mod:`gatecheck.specs.registry`; harness errors (unknown name,
unreadable file) propagate as GatecheckError, which the top-level group turns into exit 2.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import click
import yaml

from gatecheck.errors import GatecheckError, SpecError
from gatecheck.specs.lint import LintReport, lint
from gatecheck.specs.loader import read_text
from gatecheck.specs.registry import available, load_spec

__all__ = ["specs"]

EXIT_OK, EXIT_PROBLEMS, EXIT_ERROR = 0, 1, 2


@click.group("specs")
def specs() -> None:
    """The API specs gatecheck tests against: list, show and lint them."""


@specs.command("list")
def list_specs() -> None:
    """List bundled specs with operation counts.

    The provenance column names the seed document each spec was built from, and when.
    """
    rows = [("NAME", "VERSION", "OPS", "TITLE", "PROVENANCE")]
    for info in available():
        loaded = load_spec(info.name)
        rows.append(
            (info.name, info.version, str(loaded.operation_count), info.title, _provenance(info.provenance))
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        click.echo("  ".join([*cells, row[-1]]).rstrip())


def _provenance(provenance: Mapping[str, Any]) -> str:
    seed, date = provenance.get("seed"), provenance.get("date")
    if not seed:
        return str(provenance.get("source", "-"))
    return f"{seed} ({date})" if date else str(seed)


@specs.command("show")
@click.argument("name")
@click.option(
    "--format",
    "spec_format",
    type=click.Choice(["openapi", "lap"]),
    default="openapi",
    show_default=True,
    help="Print OpenAPI, or LAP (where LAP can express the document).",
)
@click.option(
    "--output-format",
    type=click.Choice(["yaml", "json"]),
    default="yaml",
    show_default=True,
    help="Serialization of --format openapi.",
)
@click.option("--raw", is_flag=True, help="The vendor document as published, without the contract layer.")
def show(name: str, spec_format: str, output_format: str, raw: bool) -> None:
    """Print a spec with its contract layer.

    NAME is a bundled spec, a spec folder, or an OpenAPI (.yaml/.yml/.json) or LAP (.lap) file.
    """
    spec = load_spec(name)
    if spec.level != "clean" and not raw:
        click.echo(f"gatecheck: {spec.summary()}", err=True)
    document = spec.raw if raw else spec.document
    if spec_format == "lap":
        click.echo(_as_lap(spec.source_path, document, verbatim=raw and spec.format == "lap"), nl=False)
    elif output_format == "json":
        click.echo(json.dumps(document, indent=2, ensure_ascii=False))
    else:
        click.echo(
            yaml.dump(document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100), nl=False
        )


def _as_lap(source: Any, document: dict[str, Any], *, verbatim: bool) -> str:
    if verbatim:  # the vendor's own LAP, byte for byte, rather than a re-emitted one
        return read_text(source)
    from gatecheck.specs.lap import emit_lap

    try:
        return emit_lap(document)
    except SpecError as exc:
        raise SpecError(
            f"this document cannot be written as LAP ({exc}); use --format openapi, "
            "or --raw for the vendor's own LAP"
        ) from None


class _Dumper(yaml.SafeDumper):
    """Never writes anchors: a schema shared by two operations is printed twice, as in the source."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


@specs.command("lint")
@click.argument("targets", nargs=-1, metavar="[NAME_OR_PATH]...")
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.pass_context
def lint_command(ctx: click.Context, targets: tuple[str, ...], strict: bool) -> None:
    """Lint specs: every bundled one when none is named.

    Exit 0 clean, 1 problems found, 2 a spec that cannot be read.
    """
    names = list(targets) or [info.name for info in available()]
    exit_code, reports = EXIT_OK, []
    for name in names:
        try:
            report = lint(name)
        except GatecheckError as exc:
            click.echo(f"gatecheck: error: {exc}", err=True)
            exit_code = EXIT_ERROR
            continue
        reports.append(report)
        _print_report(report)
        if report.errors or (strict and report.warnings):
            exit_code = max(exit_code, EXIT_PROBLEMS)
    errors = sum(len(r.errors) for r in reports)
    warnings = sum(len(r.warnings) for r in reports)
    click.echo(f"{len(reports)} spec(s) linted: {errors} error(s), {warnings} warning(s)")
    ctx.exit(exit_code)


def _print_report(report: LintReport) -> None:
    checked = ", ".join(report.checked) or "nothing readable"
    verdict = "ok" if not report.problems else f"{len(report.problems)} problem(s)"
    click.echo(f"{report.target}: {verdict} (checked: {checked})")
    for problem in report.problems:
        click.echo(f"  {problem}")


@specs.command("diff")
@click.argument("old")
@click.argument("new")
@click.option("--raw", is_flag=True, help="Compare the vendor documents, without the contract layers.")
@click.option(
    "--json",
    "json_path",
    metavar="FILE|-",
    help="Also write the changes as JSON to FILE; '-' prints only the JSON, for machines.",
)
@click.pass_context
def diff_command(ctx: click.Context, old: str, new: str, raw: bool, json_path: str | None) -> None:
    """Compare two versions of a spec: operations, parameters, fields, types, values, status codes.

    Equivalent spellings (enum vs anyOf of const, nullable vs type null, $ref vs inline, 3.0 vs
    3.1) are not changes.  Exit 0 no breaking change, 1 breaking changes, 2 a spec that cannot
    be read (or any error of gatecheck's own, in one line).
    """
    from gatecheck.reports.specdiff import diff_specs, dumps, has_breaking
    from gatecheck.reports.specdiff_render import render_markdown

    before, after = load_spec(old), load_spec(new)
    try:
        changes = diff_specs(before.raw if raw else before.document, after.raw if raw else after.document)
    except Exception as exc:
        raise GatecheckError(
            f"specs diff could not compare {old} and {new}: internal error "
            f"{type(exc).__name__}: {exc}; please report it"
        ) from None
    if json_path == "-":
        click.echo(dumps(changes))
    else:
        click.echo(render_markdown(changes, old_label=old, new_label=new), nl=False)
    if json_path and json_path != "-":
        try:
            with open(json_path, "w", encoding="utf-8") as handle:
                handle.write(dumps(changes) + "\n")
        except OSError as exc:
            raise GatecheckError(f"--json {json_path}: cannot write: {exc.strerror}") from None
    ctx.exit(EXIT_PROBLEMS if has_breaking(changes) else EXIT_OK)
