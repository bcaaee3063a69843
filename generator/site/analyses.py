"""The analyses' pages: Rationalisation and the Sustainability report, with
each report as downloads (a CSV file per section, and JSON; docs are text,
so the Excel workbook is left to ``ea report --format xlsx``). The analysis and the
page bodies live in ``generator.analysis``; this module places them in the
site and gives them its links, headings and escaping."""

from __future__ import annotations

from collections.abc import Iterator

from generator.analysis import RationalisationReport, SustainabilityReport, rationalise, sustainability_report
from generator.site.analysis_pages import Link, rationalisation_page, sustainability_page
from generator.analysis.render import render_csv, render_json
from generator.models.model import Kind
from generator.site import roadmap
from generator.site.context import SCHEME_DOC, SiteContext
from generator.site.parts import head, meta, page
from generator.site.render import esc

RATIONALISATION_DOC = "rationalisation.md"
SUSTAINABILITY_DOC = "sustainability-report.md"

Content = str | bytes


def generate(ctx: SiteContext) -> Iterator[tuple[str, Content]]:
    """Both pages, dated by the build's ``today``, and their downloads."""
    r = rationalise(ctx.catalog, ctx.today)
    yield (
        RATIONALISATION_DOC,
        page(
            meta("Rationalisation"),
            head(ctx, "Analysis", "Rationalisation"),
            rationalisation_page(
                r, _linker(ctx, RATIONALISATION_DOC), _downloads(ctx, RATIONALISATION_DOC, "rationalisation", r)
            ),
        ),
    )
    yield from _files("rationalisation", r)
    s = sustainability_report(ctx.catalog, ctx.today)
    scheme = ctx.href(SUSTAINABILITY_DOC, SCHEME_DOC) if ctx.catalog.scheme is not None else ""
    yield (
        SUSTAINABILITY_DOC,
        page(
            meta("Sustainability report"),
            head(ctx, "Analysis", "Sustainability report"),
            sustainability_page(
                s, _linker(ctx, SUSTAINABILITY_DOC), scheme, _downloads(ctx, SUSTAINABILITY_DOC, "sustainability", s)
            ),
            roadmap.carbon_section(ctx, SUSTAINABILITY_DOC),
        ),
    )
    yield from _files("sustainability", s)


def _linker(ctx: SiteContext, doc: str) -> Link:
    """Entity links as the page ``doc`` writes them (relative, escaped)."""

    def link(kind: Kind, id_: str) -> str:
        return ctx.link(doc, kind, id_)

    return link


def _files(name: str, report: RationalisationReport | SustainabilityReport) -> Iterator[tuple[str, Content]]:
    for table in report.tables():
        yield f"downloads/{name}-{table.key}.csv", render_csv(table)
    yield f"downloads/{name}.json", render_json(report)


def _downloads(ctx: SiteContext, doc: str, name: str, report: RationalisationReport | SustainabilityReport) -> str:
    csvs = " · ".join(
        f'<a href="{esc(ctx.href(doc, f"downloads/{name}-{t.key}.csv"))}" download>{esc(t.title)}</a>'
        for t in report.tables()
    )
    json_ = esc(ctx.href(doc, f"downloads/{name}.json"))
    return (
        f'<p class="ea-downloads">Download each section as CSV (opens in Excel): {csvs}. '
        f'The whole report as <a href="{json_}" download>JSON</a>; the architecture team can provide it as one '
        "Excel workbook.</p>"
    )
