"""The integration map of the whole estate: which systems exchange data,
drawn, and the same as a table for those who cannot use the drawing."""

from __future__ import annotations

from collections.abc import Iterator

from generator.models.model import Kind
from generator.site.context import SiteContext
from generator.site.figures import ESTATE_DOC
from generator.site.parts import block, diagram, meta, none, page
from generator.site.render import esc
from generator.site.text import LIFECYCLE_LABELS, plural


def generate(ctx: SiteContext) -> Iterator[tuple[str, str]]:
    yield ESTATE_DOC, estate_page(ctx)


def estate_page(ctx: SiteContext) -> str:
    apps = ctx.catalog.applications
    rows = []
    for source in ctx.sorted_ids(Kind.APPLICATION):
        for edge in ctx.catalog.outgoing(Kind.APPLICATION, source, "depends_on"):
            rows.append(
                f"<tr><td>{ctx.link(ESTATE_DOC, Kind.APPLICATION, source)}</td>"
                f"<td>{ctx.link(ESTATE_DOC, Kind.APPLICATION, edge.target)}</td>"
                f"<td>{esc(edge.data or '')}</td>"
                f"<td>{esc(LIFECYCLE_LABELS[apps[edge.target].lifecycle])}</td></tr>"
            )
    table = (
        (
            f"<details><summary>The {esc(plural(len(rows), 'integration'))} as a table</summary>"
            '<div class="ea-table-wrap"><table class="ea-table"><thead><tr><th>Application</th>'
            "<th>Depends on</th><th>Data</th><th>Lifecycle of the one depended on</th></tr></thead><tbody>\n"
            + "\n".join(rows)
            + "\n</tbody></table></div></details>"
        )
        if rows
        else none("No application records a dependency on another yet.")
    )
    intro = (
        "<p>Every active application, grouped by the service area that owns it, and the data links between "
        "them. An arrow from A to B means A depends on B (reads from it or calls it). Select a box to open that "
        "application's page; the table below lists every recorded integration, whatever the lifecycle.</p>"
    )
    return page(
        meta("Integration map", search={"exclude": True}, hide=["toc"]),
        block(f'<div class="ea-head"><h1>Integration map</h1>{intro}</div>'),
        block(diagram(ctx, "estate", "estate")),
        "\n## Integrations\n",
        block(table),
    )
