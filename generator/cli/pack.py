"""``ea pack``: the Digital Group's papers for one meeting (a thin layer
over ``generator.site.pack``)."""

from __future__ import annotations

import gc
from datetime import date
from pathlib import Path

import click

from generator.cli import common
from generator.cli.common import _DateType, _finish, _root, repo_option
from generator.core.util import write_file


@click.command("pack")
@click.option("--meeting", type=_DateType(), required=True, help="The date of the Digital Group meeting.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the papers to FILE.md (Markdown) or FILE.html (one printable page); default: Markdown to the terminal.",
)
@click.option("--today", type=_DateType(), help="Treat this date as today (ages of requests, late dates).")
@click.option(
    "--since",
    metavar="REV",
    help="Add 'changed since the last meeting': the architecture changes since Git revision REV (see ea diff).",
)
@repo_option
def pack(meeting: date, output: Path | None, today: date | None, since: str | None, path: Path) -> None:
    """The Digital Group's papers for the meeting on --meeting: the requests
    it takes, each with its assessment; decisions to review before the next
    meeting; contracts whose notice date falls within three months after it;
    requests past the date they were needed; the Entrance Hall pipeline.

    \b
    Examples:
      ea pack --meeting 2027-03-10 -o papers.html     # print it, or save as PDF from the browser
      ea pack --meeting 2027-03-10 -o papers.md --since v2026-12   # with what changed since then
    """
    from generator.checks.validate import validate
    from generator.core.findings import Severity
    from generator.site import pack as lib

    suffix = output.suffix.lower() if output is not None else ".md"
    if suffix not in (".md", ".html", ".htm"):
        raise click.BadParameter("the file must end in .md or .html", param_hint="--output")
    root = _root(path)
    if common._console:
        # a one-shot process: after validation the cyclic collector would
        # rescan the catalog's millions of objects while the papers are built
        # (half the pack's own time), and there is no garbage cycle to find
        gc.disable()
    day = today or date.today()
    changes = None
    if since is not None:
        from generator.analysis.diff import diff_and_head

        changes, result = diff_and_head(root, since, None, today=day)
    else:
        result = validate(root, today=day)
    errors = sum(1 for f in result.findings if f.severity is Severity.ERROR)
    if errors:
        # only a file whose fields cannot be read is missing from the papers;
        # one with, say, a broken reference is in them as it stands
        unread = sum(1 for src in result.catalog.sources.values() if src.model is None)
        left = (
            f"; {unread} file{'s' if unread != 1 else ''} whose fields could not be read "
            f"{'are' if unread != 1 else 'is'} left out of the papers"
            if unread
            else ""
        )
        click.echo(
            f"ea: the repository has {errors} error{'s' if errors != 1 else ''} (run ea validate to see them){left}",
            err=True,
        )
    papers = lib.build_pack(result.catalog, meeting, today=day, changes=changes)
    text = lib.render_html(papers) if suffix in (".html", ".htm") else lib.render_markdown(papers)
    if output is None:
        click.echo(text, nl=False)
    else:
        write_file(output, text)
        click.echo(
            f"Wrote {output}: {len(papers.proposals)} requests, {len(papers.reviews)} decisions to review, "
            f"{len(papers.contracts)} contracts needing a decision."
        )
    _finish(0)
