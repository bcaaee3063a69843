"""``ea import``, ``ea export``, ``ea schema`` and ``ea new``: the command line
over ``generator.interop``.

A thin layer like ``generator.cli``: the library plans, reports and writes;
this module prints and picks the exit code (0 done, 1 something in the input
was not imported or the result has validation errors, 2 could not run).
Registered on the ``ea`` group in ``generator.cli``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from generator.core import report
from generator.core.errors import EaError
from generator.models.model import ENTITY_KINDS, ESTATE_KINDS, GOVERNANCE_KINDS, Kind

_EXISTING_DIR = click.Path(exists=True, file_okay=False, path_type=Path)
_INPUT_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)

_HEADINGS = {
    "note": "Notes",
    "exists": "Already in the repository, not overwritten",
    "unchanged": "Unchanged",
    "renamed": "Ids changed to avoid a clash",
    "default": "Defaults applied (to be confirmed)",
    "ignored": "Not imported by design",
    "skipped": "Not imported: fix these and import again",
}


def _root(path: Path, *, new: bool = False) -> Path:
    from generator.cli.common import _root as find

    return find(path, new=new)


def _print_plan(plan: object, dry_run: bool, summary: bool = False) -> None:
    from generator.interop.files import LEVELS, Plan

    assert isinstance(plan, Plan)
    if summary:
        _print_summary(plan, dry_run)
        return
    for level in LEVELS:
        if level in ("created", "updated"):
            continue
        messages = [m for m in plan.messages if m.level == level]
        if not messages:
            continue
        colour = {"skipped": "red", "default": "yellow", "renamed": "yellow"}.get(level)
        click.secho(f"{_HEADINGS[level]} ({len(messages)}):", fg=colour, bold=True)
        for m in messages:
            click.echo(f"  {report.printable(m.line())}")  # cell values from a file someone sent
    verb = "Would write" if dry_run else "Writing"
    if plan.files:
        click.secho(f"{verb} {len(plan.files)} file{'s' if len(plan.files) != 1 else ''}:", bold=True)
        for f in plan.files:
            click.echo(f"  {f.action:<6} {report.printable(f.path)}")
    if dry_run:
        for f in plan.files:
            click.secho(f"\n--- {report.printable(f.path)} ({f.action})", bold=True)
            click.echo(report.printable_lines(f.content.decode("utf-8-sig")), nl=False)
        click.echo(f"\nDry run: nothing was written ({_counts(plan)}).")


_SUMMARY_HEADINGS = {"create": "To create", "update": "To update", **_HEADINGS}


def _print_summary(plan: object, dry_run: bool) -> None:
    """Counts by action and by kind of problem instead of a line per row
    (``--summary``): a register of a thousand rows reads in a screen."""
    from generator.core.report import printable
    from generator.interop.files import Plan

    assert isinstance(plan, Plan)
    last = None
    for level, topic, n in plan.summary():
        if level in ("created", "updated"):
            continue  # the files are counted by action and kind
        if level != last:
            colour = {"skipped": "red", "default": "yellow", "renamed": "yellow"}.get(level)
            click.secho(f"{_SUMMARY_HEADINGS[level]}:", fg=colour, bold=True)
            last = level
        click.echo(f"  {n:>6}  {printable(topic)}")
    if dry_run:
        click.echo(f"\nDry run: nothing was written ({_counts(plan)}).")


def _printable_lines(text: str) -> str:
    """Text for a terminal: each line without control characters (see
    ``report.printable``), line breaks kept."""
    from generator.core.report import printable

    text = text.replace("\r\n", "\n")
    return "\n".join(printable(line) for line in text.split("\n")) + ("" if text.endswith("\n") else "\n")


def _counts(plan: object) -> str:
    from generator.interop.files import Plan

    assert isinstance(plan, Plan)
    return f"{plan.count('create')} to create, {plan.count('update')} to update, {len(plan.skipped)} not imported"


def _finish(plan: object, root: Path, dry_run: bool, summary: bool = False) -> None:
    """Print the plan, write it unless a dry run, validate the result, exit."""
    from generator.checks.validate import validate
    from generator.core import report
    from generator.core.findings import Severity
    from generator.interop.files import Plan

    assert isinstance(plan, Plan)
    _print_plan(plan, dry_run, summary)
    if dry_run:
        sys.exit(1 if plan.skipped else 0)
    written = plan.apply()
    click.echo(f"Wrote {len(written)} file{'s' if len(written) != 1 else ''} ({_counts(plan)}).")
    result = validate(root, use_cache=False)
    errors = [f for f in result.findings if f.severity is Severity.ERROR]
    if errors:
        click.echo(report.render_text(errors, len(result.catalog.sources), style=click.style), nl=False)
    click.echo("Validation: " + report.summary_line(result.findings, len(result.catalog.sources)))
    sys.exit(1 if plan.skipped or errors else 0)


@click.group("import")
def import_() -> None:
    """Import content from a spreadsheet or an ArchiMate exchange file.

    Nothing is ever overwritten, and every row or element that is not
    imported is reported with the reason.

    \b
    Examples:
      ea import applications register.xlsx --dry-run
      ea import archimate model.xml --root ../council-ea
    """


@import_.command("applications")
@click.argument("file", type=_INPUT_FILE)
@click.option(
    "--mapping", type=_INPUT_FILE, help="YAML file naming columns the built-in headers miss (docs/interop.md)."
)
@click.option("--dry-run", is_flag=True, help="Print what would be written and write nothing.")
@click.option("--update", is_flag=True, help="Merge the sheet's values into applications that already exist.")
@click.option(
    "--summary", is_flag=True, help="Print counts by action and by kind of problem instead of a line for each row."
)
@click.option(
    "--recreate-deleted",
    is_flag=True,
    help="Create again entities whose files the repository's history deleted (otherwise their rows are reported).",
)
@click.option("--root", type=_EXISTING_DIR, default=".", show_default=True, help="The repository root.")
def import_applications(
    file: Path,
    mapping: Path | None,
    dry_run: bool,
    update: bool,
    summary: bool,
    recreate_deleted: bool,
    root: Path,
) -> None:
    """Import an application register (FILE.csv or FILE.xlsx): one file per
    row, plus the vendors, capabilities and organisation units it names.

    Headers such as Application, Supplier, Service area, Capability, Status,
    TIME, Hosting, Users, Annual cost and Contract end are recognised
    without a mapping. Exit status: 0 all imported and valid, 1 rows not
    imported or validation errors, 2 could not run.

    \b
    Examples:
      ea import applications register.csv --dry-run
      ea import applications register.xlsx --mapping register-mapping.yml
      ea import applications register.xlsx --update
      ea import applications register.csv --dry-run --summary
    """
    from generator.interop.applications import plan_applications
    from generator.interop.mapping import load_mapping

    root = _root(root, new=True)
    plan = plan_applications(root, file, load_mapping(mapping), update=update, recreate_deleted=recreate_deleted)
    _finish(plan, root, dry_run, summary)


@import_.command("archimate")
@click.argument("file", type=_INPUT_FILE)
@click.option("--dry-run", is_flag=True, help="Print what would be written and write nothing.")
@click.option("--root", type=_EXISTING_DIR, default=".", show_default=True, help="The repository root.")
@click.option(
    "--xsd",
    type=_INPUT_FILE,
    help="Also validate FILE against this XSD (e.g. archimate3_Diagram.xsd, loaded with network access off).",
)
def import_archimate(file: Path, dry_run: bool, root: Path, xsd: Path | None) -> None:
    """Import capabilities, application components and business actors from
    an ArchiMate 3.x Model Exchange File (Archi, Sparx EA, BiZZdesign...).

    Applications the file gives no owner, capability, lifecycle or hosting
    get documented defaults, reported and flagged "to be confirmed".

    \b
    Examples:
      ea import archimate model.xml --dry-run
      ea import archimate model.xml --root ../council-ea
    """
    from generator.interop.archimate import plan_archimate

    root = _root(root, new=True)
    plan = plan_archimate(root, file, xsd=xsd)
    _finish(plan, root, dry_run)


@click.command()
@click.argument("fmt", metavar="FORMAT", type=click.Choice(["csv", "xlsx", "json", "archimate"]))
@click.argument("path", type=_EXISTING_DIR, default=".")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True, help="File to write.")
@click.option("--name", help="For archimate: the model's name (default: site_name in mkdocs.yml).")
@click.option(
    "--xsd",
    type=_INPUT_FILE,
    help="For archimate: check the file against this XSD before writing it (network access off).",
)
@click.option(
    "--views/--no-views",
    default=True,
    show_default=True,
    help="For archimate: include the views (capability map, estate map, each application's integrations), "
    "laid out with Graphviz.",
)
def export(fmt: str, path: Path, output: Path, name: str | None, xsd: Path | None, views: bool) -> None:
    """Export the repository at PATH: csv (applications register), xlsx (a
    sheet per kind), json (the whole catalog with relations) or archimate
    (Open Group Model Exchange File Format 3.x, for Archi).

    Stops with exit status 1 when the repository has validation errors.

    \b
    Examples:
      ea export csv -o register.csv
      ea export xlsx . -o estate.xlsx
      ea export archimate -o council.xml --xsd archimate3_Diagram.xsd
      ea export archimate -o model-only.xml --no-views
    """
    from generator.checks.validate import validate
    from generator.core import report
    from generator.core.findings import Severity
    from generator.core.util import write_file
    from generator.interop import export as exporter

    root = _root(path)
    result = validate(root, use_cache=True)
    errors = [f for f in result.findings if f.severity is Severity.ERROR]
    if errors:
        click.echo(report.render_text(errors, len(result.catalog.sources), style=click.style), nl=False)
        click.echo("Export stopped: fix the errors above first (files that do not validate cannot be exported).")
        sys.exit(1)
    catalog = result.catalog
    if fmt == "csv":
        content: bytes | str = exporter.export_csv(catalog)
    elif fmt == "xlsx":
        content = exporter.export_xlsx(catalog)
    elif fmt == "json":
        content = exporter.export_json(catalog)
    else:
        from generator.interop.archimate import exchange, validate_xsd

        made = exchange(catalog, name=name or _model_name(root), views=views)
        for note in made.notes:
            click.echo(f"Note: {report.printable(note)}", err=True)
        data = made.data
        if xsd is not None:
            problems = validate_xsd(data, xsd)
            if problems:
                click.echo("\n".join(problems))
                raise EaError(f"the export does not validate against {xsd}: nothing written")
        content = data
    write_file(output, content)
    # the CSV register holds applications only; ArchiMate the estate and its
    # governance (milestones are views there, not elements); JSON and xlsx every kind
    kinds = {"csv": (Kind.APPLICATION,), "archimate": ESTATE_KINDS + GOVERNANCE_KINDS}.get(fmt, ENTITY_KINDS)
    counts = ", ".join(f"{len(catalog.of(k))} {k.plural}" for k in kinds)
    if fmt == "archimate" and views:
        counts += f"; {made.views} views with {made.nodes} nodes and {made.connections} connections"
    click.echo(f"Wrote {output} ({counts}).")


def _model_name(root: Path) -> str:
    """site_name from mkdocs.yml when there is one, else the folder's name."""
    import yaml

    try:
        data = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
        if isinstance(data, dict) and isinstance(data.get("site_name"), str) and data["site_name"].strip():
            return data["site_name"].strip()
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        pass
    return root.name or "Enterprise architecture"


@click.command()
@click.option(
    "-o",
    "--output",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default="schemas",
    show_default=True,
    help="Folder to write the schema files into.",
)
def schema(out_dir: Path) -> None:
    """Write a JSON Schema (draft-07) for each kind's frontmatter, for editors
    that check YAML against a schema (see docs/interop.md).

    \b
    Example:
      ea schema -o .vscode/schemas
    """
    from generator.core.util import write_file
    from generator.interop.schemas import all_schemas

    for file_name, text in sorted(all_schemas().items()):
        write_file(out_dir / file_name, text)
        click.echo(f"Wrote {out_dir / file_name}")


@click.command()
@click.argument(
    "kind",
    type=click.Choice(
        [
            "application",
            "capability",
            "vendor",
            "organisation",
            "priority",
            "principle",
            "proposal",
            "decision",
            "milestone",
        ]
    ),
)
@click.argument("name")
@click.option("--root", type=_EXISTING_DIR, default=".", show_default=True, help="The repository root.")
def new(kind: str, name: str, root: Path) -> None:
    """Write a new KIND file called NAME from a template that explains every
    field; its id is NAME by the slug rule. Refuses to overwrite (exit 1).

    \b
    Examples:
      ea new application "Uniform (North)"
      ea new capability "Waste collection" --root ../council-ea
      ea new proposal "Housing repairs portal"
    """
    from generator.interop.templates import KINDS, write_new

    try:
        rel = write_new(_root(root, new=True), KINDS[kind], name)
    except FileExistsError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(1)
    click.echo(f"Wrote {rel}: fill in the <placeholders>, then run 'ea validate'.")


# --- ea rename and ea merge ------------------------------------------------------------------------------------


_KINDS = ["application", "capability", "vendor", "organisation"]


def _print_rename(plan: object, dry_run: bool) -> None:
    """The files moved, merged or deleted, every reference rewritten (file
    and line), and with --dry-run a diff of each file."""
    import difflib

    from generator.interop.rename import RenamePlan

    assert isinstance(plan, RenamePlan)
    for note in plan.notes:
        click.echo(_printable_lines(note), nl=False)
    if plan.edits:
        click.secho(f"References and fields rewritten ({len(plan.edits)}):", bold=True)
        for path, line, what in sorted(plan.edits):
            click.echo(_printable_lines(f"  {path}:{line}: {what}"), nl=False)
    if dry_run:
        for change in plan.changes:
            if change.content is None:
                click.secho(f"\n--- {change.path} (delete)", bold=True)
                continue
            old = (change.old or b"").decode("utf-8-sig").splitlines(keepends=True)
            new = change.content.decode("utf-8-sig").splitlines(keepends=True)
            source = change.path if change.old is not None else "/dev/null"
            click.echo(_printable_lines("".join(difflib.unified_diff(old, new, source, change.path))), nl=False)
        click.echo(f"\nDry run: nothing was written ({len(plan.changes)} files would change).")


def _finish_rename(plan: object, root: Path, dry_run: bool) -> None:
    from generator.checks.validate import validate
    from generator.core import report
    from generator.core.findings import Severity
    from generator.interop.rename import RenamePlan

    assert isinstance(plan, RenamePlan)
    _print_rename(plan, dry_run)
    if dry_run:
        return
    plan.apply()
    click.echo(f"Wrote {len(plan.changes)} file{'s' if len(plan.changes) != 1 else ''}.")
    result = validate(root, use_cache=False)
    errors = [f for f in result.findings if f.severity is Severity.ERROR]
    if errors:
        click.echo(report.render_text(errors, len(result.catalog.sources), style=click.style), nl=False)
    click.echo("Validation: " + report.summary_line(result.findings, len(result.catalog.sources)))
    sys.exit(1 if errors else 0)


@click.command()
@click.argument("kind", type=click.Choice(_KINDS))
@click.argument("old")
@click.argument("new")
@click.option("--name", help="Also give it this display name; the old name is kept in 'aliases'.")
@click.option("--dry-run", is_flag=True, help="Print what would change, as a diff, and write nothing.")
@click.option("--root", type=_EXISTING_DIR, default=".", show_default=True, help="The repository root.")
def rename(kind: str, old: str, new: str, name: str | None, dry_run: bool, root: Path) -> None:
    """Give the KIND OLD (its id or name) the id NEW: its file moves and every
    reference to it in every content file is rewritten in place, keeping
    comments and layout. With --name its name changes too, and the old name
    becomes an alias (applications and vendors). When NEW is another vendor,
    OLD is merged into it (see 'ea merge'). All files change or none.

    \b
    Examples:
      ea rename application uniform-north uniform --dry-run
      ea rename vendor civica-uk-ltd civica
      ea rename capability waste waste-collection --name "Waste collection"
    """
    from generator.interop.rename import plan_rename
    from generator.models.model import Kind

    root = _root(root)
    _finish_rename(plan_rename(root, Kind(kind), old, new, name=name), root, dry_run)


@click.command()
@click.argument("kind", type=click.Choice(["vendor"]))
@click.argument("old")
@click.argument("into")
@click.option("--dry-run", is_flag=True, help="Print what would change, as a diff, and write nothing.")
@click.option("--root", type=_EXISTING_DIR, default=".", show_default=True, help="The repository root.")
def merge(kind: str, old: str, into: str, dry_run: bool, root: Path) -> None:
    """Merge the vendor OLD into INTO (ids or names): every application that
    names OLD names INTO, OLD's name and aliases become aliases of INTO, its
    description is appended to INTO's, and its file is deleted. Fields of OLD
    that are not carried over are listed. All files change or none.

    \b
    Examples:
      ea merge vendor civica-uk-ltd civica --dry-run
      ea merge vendor "Idox Software Ltd" idox
    """
    from generator.interop.rename import plan_merge
    from generator.models.model import Kind

    root = _root(root)
    _finish_rename(plan_merge(root, Kind(kind), old, into), root, dry_run)
