"""``ea report rationalisation`` and ``ea report sustainability``: the command
line over ``generator.analysis``.

A thin layer like ``generator.cli``: the library analyses and renders; this
module picks the format, writes and sets the exit code (0 done, 2 could not
run). Registered on the ``ea`` group in ``generator.cli``.
"""

from __future__ import annotations

import gc
import sys
from datetime import date
from pathlib import Path

import click

from generator.cli.common import CouldNotRun, _DateType, _root
from generator.core.util import write_file

FORMATS = ("md", "csv", "json", "xlsx")
_EXISTING_DIR = click.Path(exists=True, file_okay=False, path_type=Path)


@click.group()
def report() -> None:
    """Analyses that turn the catalog into decisions, as Markdown, CSV, JSON
    or an Excel workbook.

    \b
    Examples:
      ea report rationalisation
      ea report sustainability --format xlsx -o sustainability.xlsx
    """


def _options(sections: tuple[str, ...], as_of: bool = True):  # type: ignore[no-untyped-def]
    def wrap(func):  # type: ignore[no-untyped-def]
        for option in reversed(
            [
                click.argument("path", type=_EXISTING_DIR, default="."),
                click.option(
                    "--format",
                    "fmt",
                    type=click.Choice(FORMATS),
                    default="md",
                    show_default=True,
                    help="md for reading; csv for one section; json for programs; xlsx: one sheet per section.",
                ),
                click.option(
                    "-o",
                    "--output",
                    type=click.Path(path_type=Path),
                    help="Write to this file (required for xlsx). For csv with no --section: a folder, "
                    "one CSV per section.",
                ),
                click.option(
                    "--section",
                    type=click.Choice(sections),
                    help="For csv: the one section to write (csv to standard output needs it).",
                ),
                click.option("--today", type=_DateType(), help="Treat this date as today (for reproducible reports)."),
                click.option(
                    "--as-of",
                    "as_of",
                    type=_DateType(),
                    help="The estate as the plan's dates say it will be (or was) on this date.",
                ),
            ][: None if as_of else -1]
        ):
            func = option(func)
        return func

    return wrap


def _run(
    kind: str,
    path: Path,
    fmt: str,
    output: Path | None,
    section: str | None,
    today: date | None,
    as_of: date | None = None,
) -> None:
    """Write the report; as the ``ea`` process itself, with the cyclic garbage
    collector off and an exit that does not free the catalog object by object
    (as ``ea validate`` does: on a large estate each costs a second or more)."""
    from generator.cli import common

    if common._console:
        gc.disable()
    _produce(kind, path, fmt, output, section, today, as_of)
    if common._console:
        common._finish(0)


def _produce(
    kind: str,
    path: Path,
    fmt: str,
    output: Path | None,
    section: str | None,
    today: date | None,
    as_of: date | None = None,
) -> None:
    from generator.analysis import rationalise, sustainability_report
    from generator.analysis.render import render_csv, render_json, render_markdown, render_xlsx
    from generator.analysis.roadmap import roadmap_report
    from generator.checks.validate import validate
    from generator.core.findings import Severity

    if fmt == "xlsx" and output is None:
        raise click.UsageError("an Excel workbook needs a file: add -o FILE.xlsx")
    if section is not None and fmt != "csv":
        raise click.UsageError("--section applies to --format csv only")
    if fmt == "csv" and section is None and output is None:
        raise click.UsageError("CSV holds one section: add --section NAME, or -o FOLDER for one CSV per section")
    when = today or date.today()
    result = validate(_root(path), today=when)
    errors = sum(1 for f in result.findings if f.severity is Severity.ERROR)
    if errors:
        click.echo(
            f"{errors} validation error{'s' * (errors != 1)}: the report covers only the files that are valid "
            "(run 'ea validate' to see them).",
            err=True,
        )
    analysis = {"rationalisation": rationalise, "sustainability": sustainability_report, "roadmap": roadmap_report}[
        kind
    ]
    catalog = result.catalog
    if as_of is not None:
        from generator.catalog.timeline import catalog_as_of

        catalog, when = catalog_as_of(catalog, as_of), as_of
    data = roadmap_report(catalog, when, result.findings) if kind == "roadmap" else analysis(catalog, when)
    title = kind.capitalize()
    if fmt == "csv":
        tables = {t.key: t for t in data.tables()}
        if section is not None:
            payload = render_csv(tables[section])
            if output is None:
                sys.stdout.buffer.write(payload)
                sys.stdout.flush()
            else:
                _write(output, payload)
            return
        assert output is not None
        if output.exists() and not output.is_dir():
            raise CouldNotRun(f"{output} is a file: without --section, -o names a folder for one CSV per section")
        for key, table in tables.items():
            _write(output / f"{kind}-{key}.csv", render_csv(table))
        return
    if fmt == "xlsx":
        assert output is not None
        _write(output, render_xlsx(data))
        return
    if fmt == "json" and kind == "roadmap":
        # pydantic's own serializer writes the same text as render_json four
        # times faster (every figure is rounded, so no float is written
        # differently); a large estate's roadmap has tens of thousands of rows
        text = data.model_dump_json(indent=2) + "\n"
    else:
        text = render_json(data) if fmt == "json" else render_markdown(data, f"{title} report")
    if output is None:
        click.echo(text, nl=False)
    else:
        _write(output, text)


def _write(path: Path, payload: bytes | str) -> None:
    try:
        write_file(path, payload)
    except OSError as exc:
        raise CouldNotRun(f"cannot write {path}: {exc.strerror or exc}") from exc
    click.echo(f"Wrote {path}.", err=True)


@report.command()
@_options(("overlaps", "rollup", "matrix", "candidates", "contracts", "data-centre", "costs"))
def rationalisation(
    path: Path, fmt: str, output: Path | None, section: str | None, today: date | None, as_of: date | None
) -> None:
    """Overlaps, the merger matrix, consolidation candidates, contract dates,
    the data-centre exit list and cost per capability for the repository at
    PATH (default: the current folder).

    Every section states the rule behind its figures (for example: an
    application's cost is split equally across the capabilities it supports).
    Exit status: 0 when written, 2 when the report could not run.

    \b
    Examples:
      ea report rationalisation > rationalisation.md
      ea report rationalisation --format xlsx -o rationalisation.xlsx
      ea report rationalisation --format csv --section candidates > candidates.csv
      ea report rationalisation --format csv -o reports/   # one CSV per section
      ea report rationalisation --format json --today 2027-01-01
      ea report rationalisation --as-of 2028-04-01   # after County Hall closes
    """
    _run("rationalisation", path, fmt, output, section, today, as_of)


@report.command()
@_options(("ratings", "distribution", "by-capability", "by-service-area", "improvements", "carbon", "carbon-totals"))
def sustainability(
    path: Path, fmt: str, output: Path | None, section: str | None, today: date | None, as_of: date | None
) -> None:
    """Every application's sustainability rating with the points behind it,
    the distribution, averages by capability and by service area, the
    changes that would lift ratings the most, and kgCO2e a year per
    application with its evidence and totals, for the repository at PATH.

    The scheme is architecture/sustainability.md. Exit status: 0 when
    written, 2 when the report could not run.

    \b
    Examples:
      ea report sustainability
      ea report sustainability --format xlsx -o sustainability.xlsx
      ea report sustainability --format csv --section improvements > improvements.csv
      ea report sustainability --as-of 2029-04-01
    """
    _run("sustainability", path, fmt, output, section, today, as_of)


@report.command()
@_options(("events", "milestones", "trajectory", "carbon", "carbon-totals", "data-centre-exit", "findings"), False)
def roadmap(path: Path, fmt: str, output: Path | None, section: str | None, today: date | None) -> None:
    """The dated plan for the repository at PATH: go-lives, phase-outs,
    retirements, contract ends, notice dates and milestones in order; what
    breaks each milestone; the trajectory by quarter from today to the plan's
    last date (running applications, capabilities with overlaps, applications
    in the council's own data centres, annual cost, kgCO2e); carbon by
    application with its evidence, and totals; the plan's findings.

    Exit status: 0 when written, 2 when the report could not run.

    \b
    Examples:
      ea report roadmap > roadmap.md
      ea report roadmap --format json --today 2026-12-01
      ea report roadmap --format xlsx -o roadmap.xlsx
      ea report roadmap --format csv --section trajectory > trajectory.csv
    """
    _run("roadmap", path, fmt, output, section, today)
