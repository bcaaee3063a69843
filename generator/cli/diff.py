"""``ea diff``: what changed between two Git revisions, in architecture terms
(a thin layer over ``generator.analysis.diff``)."""

from __future__ import annotations

import gc
from datetime import date
from pathlib import Path

import click

from generator.cli import common
from generator.cli.common import _DateType, _finish, _prefix, _root, repo_option
from generator.core.util import write_file


@click.command("diff")
@click.argument("base")
@click.argument("head", required=False)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "json", "github"]),
    default="md",
    show_default=True,
    help="md for a pull-request comment or the GitHub step summary; json for tools; "
    "github for annotations on the pull request's files.",
)
@repo_option
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report to this file instead of standard output.",
)
@click.option("--today", type=_DateType(), help="Treat this date as today (for date rules, reproducibly).")
def diff(base: str, head: str | None, fmt: str, path: Path, output: Path | None, today: date | None) -> None:
    """What changed between Git revision BASE and HEAD: entities added,
    removed, renamed and changed (lifecycle, owner, cost, contract end,
    status, rating...) and the findings that appeared or were resolved.

    Without HEAD, BASE is compared with the working tree (commits, staged,
    modified and new files alike). Revisions are read with git, nothing is
    checked out. Exit status 0, or 2 when a revision does not exist.

    \b
    Examples:
      ea diff origin/main                              # this branch against main
      ea diff v1.0 v1.1 --format json
      ea diff origin/main --format md >> "$GITHUB_STEP_SUMMARY"
      ea diff origin/main --format github              # annotate the pull request
    """
    from generator.analysis import diff as lib

    root = _root(path)
    if common._console:
        # a one-shot process holding two catalogs: the cyclic collector would
        # rescan their millions of objects again and again (a fifth of a
        # warm run), and there is no garbage cycle to find
        gc.disable()
    result = lib.diff(root, base, head, today=today)
    if fmt == "json":
        text = lib.render_json(result)
    elif fmt == "github":
        text = lib.render_github(result, _prefix(root))
    else:
        text = lib.render_markdown(result)
    if output is not None:
        write_file(output, text)
        click.echo(f"Wrote {output}.")
    else:
        click.echo(text, nl=False)
    _finish(0)
