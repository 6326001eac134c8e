"""``gatecheck run``: every suite (or some) against a target, reports in reports/<run-id>/."""

from __future__ import annotations

import sys

import click

from gatecheck.mock.faults import FAULTS
from gatecheck.mock.settings import RETRY_AFTER_FORMS
from gatecheck.profiles.roles import ROLES
from gatecheck.runner import RunOptions, execute
from gatecheck.runner.interrupts import EXIT_INTERRUPTED, Interruptions
from gatecheck.runner.plan import MOCK_FLAVORS, available_suites

__all__ = ["run"]


def _suite_names() -> list[str]:
    try:
        return [suite.name for suite in available_suites()]
    except OSError:  # no suites folder: the run itself will say so
        return []


def _split(values: tuple[str, ...]) -> list[str] | None:
    names = [n.strip() for value in values for n in value.split(",") if n.strip()]
    return names or None


def _command_line(
    ctx: click.Context, suites: tuple[str, ...], faults: tuple[str, ...], flags: dict, repeated: dict
) -> list[str]:
    """The run's command line as parsed (flags only name environment variables, never secrets)."""
    words = ["gatecheck", "run"]
    by_name = {p.name: p for p in ctx.command.params if isinstance(p, click.Option)}
    for name, value in flags.items():
        if value is None or value is False:
            continue
        flag = by_name[name].opts[0]
        words += [flag] if value is True else [flag, str(value)]
    words += [w for s in suites for w in ("--suites", s)] + [w for f in faults for w in ("--mock-fault", f)]
    for name, values in repeated.items():
        words += [w for v in values for w in (by_name[name].opts[0], v)]
    return words


@click.command(context_settings={"show_default": False})
@click.option(
    "--target",
    metavar="URL|NAME",
    help="gateway base URL, a target name from gatecheck.toml, or 'mock' (default: the built-in mock)",
)
@click.option(
    "--profile", metavar="NAME", help="vendor profile: requesty, openrouter, openai, or a .yaml file"
)
@click.option(
    "--api-key-env",
    metavar="VAR",
    help="environment variable holding the inference key (default GATECHECK_API_KEY)",
)
@click.option("--management-key-env", metavar="VAR", help="environment variable holding the management key")
@click.option(
    "--suites",
    "suites",
    multiple=True,
    metavar="A,B",
    help="suites to run, comma-separated or repeated (default: all): " + ", ".join(_suite_names()),
)
@click.option("-k", "keyword", metavar="EXPR", help="only tests matching this pytest -k expression")
@click.option("-x", "--exitfirst", is_flag=True, default=False, help="stop at the first failure or error")
@click.option(
    "--lf",
    "--last-failed",
    "last_failed",
    is_flag=True,
    default=False,
    help="rerun only the tests that failed in the last run (read from REPORT_DIR/latest/results.json)",
)
@click.option(
    "--concurrency",
    type=click.IntRange(min=1),
    metavar="N",
    help="tests in flight at once, for latency-bound targets (default 8 for a real gateway; for "
    "the built-in mock 2 on two or more cores when the contract suite runs, else 1); results "
    "and their order do not depend on it",
)
@click.option("-n", "workers", metavar="auto|N", help="the same as --concurrency, in pytest-xdist's words")
@click.option("--report-dir", metavar="DIR", help="where run folders go (default reports/)")
@click.option(
    "--baseline",
    metavar="FILE",
    type=click.Path(dir_okay=False),
    help="accepted failures (YAML/JSON); they are reported but do not fail the run",
)
@click.option("--seed", type=int, help="seed for generated data (default: random, recorded in results.json)")
@click.option("--max-requests", type=click.IntRange(min=1), help="request budget for a real target")
@click.option("--max-tokens", type=click.IntRange(min=1), help="token budget for a real target")
@click.option(
    "--allow-writes",
    is_flag=True,
    default=None,
    help="allow tests that create or delete resources on a real target",
)
@click.option(
    "--mock-flavor", type=click.Choice(MOCK_FLAVORS), help="which vendor the built-in mock imitates"
)
@click.option(
    "--mock-fault",
    "faults",
    multiple=True,
    type=click.Choice(sorted(FAULTS)),
    metavar="NAME",
    help="turn on a fault mode of the built-in mock (repeatable; see 'gatecheck mock --list-faults')",
)
@click.option(
    "--mock-rate-limit-every",
    type=click.IntRange(min=1),
    metavar="N",
    help="the built-in mock answers every Nth inference request 429 with Retry-After first "
    "(a legal rate limit: verdicts must not change, the run takes longer by the waits)",
)
@click.option(
    "--mock-retry-after-form",
    type=click.Choice(RETRY_AFTER_FORMS),
    help="how those 429s give Retry-After: delay-seconds (default) or an HTTP-date",
)
@click.option(
    "--shard",
    metavar="I/N",
    help="run only shard I of N (deterministic by test id); merge with 'gatecheck report merge'",
)
@click.option("--examples", type=click.IntRange(min=1), help="schemathesis examples per operation")
@click.option(
    "--model",
    "models",
    multiple=True,
    metavar="ROLE=NAME",
    help=f"the target's model for a role (repeatable); roles: {', '.join(ROLES)}",
)
@click.option(
    "--embedding-dimensions",
    type=click.IntRange(min=1),
    metavar="N",
    help="vector length of the embedding model",
)
@click.option(
    "--header",
    "headers",
    multiple=True,
    metavar="'NAME: VALUE'",
    help="extra request header (repeatable); ${ENV} in the value is read from the environment",
)
@click.option(
    "--body-field",
    "body_fields",
    multiple=True,
    metavar="NAME=JSON",
    help="extra field in every inference request body (repeatable)",
)
@click.option(
    "--spec",
    metavar="FILE|DIR",
    help="test against your own spec (OpenAPI/LAP file, spec folder or bundled name); "
    "without --profile the profile is inferred from it",
)
@click.option(
    "--operations",
    metavar="A,B",
    help="only these operations of the spec: 'METHOD /path' globs, operationIds or tags, comma-separated",
)
@click.option(
    "--strict",
    is_flag=True,
    default=None,
    help="refuse a spec with any problem (default: repair what keeps its meaning, skip what it breaks)",
)
@click.option("--config", metavar="FILE", help="config file (default ./gatecheck.toml if present)")
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    metavar="S",
    help="seconds to wait for each answer",
)
@click.option(
    "--max-duration",
    type=click.FloatRange(min=0, min_open=True),
    metavar="S",
    help="stop the run after S seconds (exit 2; the reports say how far it got)",
)
@click.option(
    "--limit",
    "limits",
    multiple=True,
    metavar="NAME=VALUE",
    help="change one of the limits (request-deadline, stream-duration, stream-gap, stream-events, "
    "stream-bytes, body-bytes, breaker-timeouts, settle); see README 'Limits'",
)
@click.pass_context
def run(
    ctx: click.Context,
    suites: tuple[str, ...],
    faults: tuple[str, ...],
    limits: tuple[str, ...],
    models: tuple[str, ...],
    headers: tuple[str, ...],
    body_fields: tuple[str, ...],
    **flags: object,
) -> None:
    """Run the conformance suites against a gateway (default: the built-in mock) and write reports.

    Reports go to REPORT_DIR/<run-id>/ (results.json, summary.md, report.html, junit.xml,
    allure-results/) with REPORT_DIR/latest pointing at the newest.  Exit codes: 0 conformant
    (or only baselined failures), 1 conformance failures, 2 usage or harness error.
    """
    # Taken over first and, when this process ends with the command, never given back: once the
    # final reports are written, a late signal must not kill the process with a code other than
    # the one results.json records.  In-process callers get their handlers back from execute().
    interruptions = None
    if isinstance(ctx.obj, dict) and ctx.obj.get("owns_process"):
        interruptions = Interruptions()
        interruptions.install()
    repeated = {"limits": limits, "models": models, "headers": headers, "body_fields": body_fields}
    options = RunOptions(
        suites=_split(suites),
        mock_faults=list(faults),
        limits=list(limits),
        models=list(models),
        headers=list(headers),
        body_fields=list(body_fields),
        command=_command_line(ctx, suites, faults, flags, repeated),
        **flags,  # type: ignore[arg-type]
    )
    try:
        code = execute(options, out=sys.stdout, err=sys.stderr, interruptions=interruptions)
    except KeyboardInterrupt:
        # click would print "Aborted!" and exit 1, which reads as "conformance failures"
        click.echo("gatecheck: interrupted; the reports written so far say how far the run got", err=True)
        code = EXIT_INTERRUPTED
    finally:
        if interruptions is not None:
            interruptions.settle()  # the exit code is decided: no signal may change it now
    if interruptions is not None and interruptions.held:
        click.echo("gatecheck: a signal came while the last reports were written; they are whole", err=True)
    ctx.exit(code)
