"""``ea validate``: findings for people and for pipelines."""

from __future__ import annotations

import gc
import os
from datetime import date
from pathlib import Path

import click

from generator.cli import common
from generator.cli.common import FORMATS, _DateType, _finish, _prefix, _root
from generator.core.findings import Finding, fails
from generator.core.util import write_file


@click.command()
@click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path), default=".")
@click.option("--strict", is_flag=True, help="Fail on warnings as well as errors.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="text for people; github or azure for pipeline annotations; junit and json for reports.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report to this file instead of standard output.",
)
@click.option("--today", type=_DateType(), help="Treat this date as today (for reproducible runs).")
@click.option("--no-cache", is_flag=True, help="Parse every file again, ignoring the parse cache.")
@click.option(
    "--lgsl",
    "lgsl_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The LGA's service list (CSV); capabilities' lgsl codes missing from it are errors (EA190). "
    "Default: 'lgsl:' in PATH/ea.yml, if set.",
)
@click.option(
    "--changed-since",
    "changed_since",
    metavar="REV",
    help="Show (for text, github, azure) only findings in files changed since git revision REV "
    "(git diff REV...HEAD, plus uncommitted and new files); the summary and exit status still cover "
    "the whole repository. For pull requests: --changed-since origin/main.",
)
def validate(
    path: Path,
    strict: bool,
    fmt: str,
    output: Path | None,
    today: date | None,
    no_cache: bool,
    lgsl_file: Path | None,
    changed_since: str | None,
) -> None:
    """Check the repository at PATH (default: the current folder).

    Exit status: 0 when clean, 1 when there are errors (or warnings with
    --strict), 2 when the check could not run.

    \b
    Examples:
      ea validate
      ea validate ../council-ea --strict
      ea validate --format junit -o ea-report.xml
      ea validate --lgsl englishAndWelshServices.csv
      ea validate --format github --changed-since origin/main
    """
    from generator.catalog.loader import discover
    from generator.checks.lgsl import check_lgsl, services_for
    from generator.checks.replay import replay
    from generator.core import report
    from generator.core.findings import sort_findings

    root = _root(path)
    if common._console:
        # a one-shot process: the cyclic collector would only rescan the
        # catalog's millions of objects (a tenth of a warm run) before exit
        gc.disable()
    lgsl = services_for(root, lgsl_file)  # before validating: a bad list is exit 2, not a finding
    if os.path.lexists(root / "mkdocs.yml"):
        # the site's settings as the build on main will read them, so a pull
        # request that the build would refuse fails here (exit 2) instead
        from generator.site.config import read_settings

        read_settings(root)
    # after an edit that changes no value (page text, comments), the last
    # run's findings stand: replayed without loading the catalog
    discovery = discover(root)  # once, for the replay and, failing that, the full run
    notes: list[str] = []
    replayed = replay(root, today or date.today(), discovery, notes) if not no_cache and lgsl is None else None
    if replayed is not None:
        findings, checked = replayed.findings, replayed.checked
    else:
        from generator.checks.validate import validate as run

        result = run(root, today=today, use_cache=not no_cache, discovery=discovery)
        notes += result.notes
        findings = result.findings
        if lgsl is not None:
            findings = sort_findings([*findings, *check_lgsl(result.catalog, *lgsl)])
        checked = len(result.catalog.sources)
    for note in notes[:1]:  # about the cache only: never part of the report
        click.echo(f"note: {report.printable(note, anywhere=False)}", err=True)
    prefix = _prefix(root)
    shown, hidden = _changed_only(root, findings, changed_since if fmt in ("text", "github", "azure") else None)
    if fmt == "text":
        color = None if output is None else False
        text = report.render_text(shown, checked, style=click.style, summary_of=findings)
    elif fmt == "json":
        text = report.render_json(findings, checked)
    elif fmt == "github":
        text = report.render_github(shown, checked, prefix, summary_of=findings)
    elif fmt == "azure":
        text = report.render_azure(shown, checked, prefix, summary_of=findings)
    else:
        text = report.render_junit(findings, checked, strict=strict)
    if hidden:
        text += (
            f"{hidden} finding{'s' if hidden != 1 else ''} in files not changed since {changed_since} "
            "not shown (run without --changed-since to see them).\n"
        )
    if output is not None:
        write_file(output, click.unstyle(text) if fmt == "text" else text)
        click.echo(report.summary_line(findings, checked))
    else:
        click.echo(text, nl=False, color=color if fmt == "text" else False)
    _finish(1 if fails(findings, strict) else 0)


def _changed_only(root: Path, findings: list[Finding], rev: str | None) -> tuple[list[Finding], int]:
    """The findings in files changed since ``rev`` (all of them when ``rev``
    is None), and how many were left out."""
    if rev is None:
        return findings, 0
    from generator.core.changed import changed_files

    changed = changed_files(root, rev)
    shown = [f for f in findings if f.path in changed]
    return shown, len(findings) - len(shown)
