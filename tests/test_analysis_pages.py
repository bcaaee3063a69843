"""The analysis pages escape every content value and link entities through
the caller's link function."""

from __future__ import annotations

import re

from analysis_fixture import FILES, TODAY
from conftest import MakeRepo

from generator.analysis import rationalise, sustainability_report
from generator.checks.validate import validate
from generator.models.model import Kind
from generator.site.analysis_pages import rationalisation_page, sustainability_page
from generator.site.mdext import BEGIN, END
from generator.site.render import esc

HOSTILE = '<img src=x onerror="alert(1)">'


def _link(kind: Kind, id_: str) -> str:
    return f'<a href="/{kind}/{esc(id_)}">{esc(id_)}</a>'


def test_pages_escape_content_and_link_entities(make_repo: MakeRepo) -> None:
    files = dict(FILES)
    # a hostile name, contract reference and capability name: shown as text, never as markup
    files["applications/alpha.md"] = files["applications/alpha.md"].replace("name: Alpha", f"name: '{HOSTILE}'")
    files["applications/beta.md"] = files["applications/beta.md"].replace(
        "notice_months: 3}", "notice_months: 3, reference: '<b>ref</b>'}"
    )
    files["capabilities/leaf.md"] = "---\nname: '<script>x</script>'\nparent: mid\n---\n"
    catalog = validate(make_repo(files, minimal=False), today=TODAY, use_cache=False).catalog
    pages = [
        rationalisation_page(rationalise(catalog, TODAY), _link),
        sustainability_page(sustainability_report(catalog, TODAY), _link, scheme_href="../sustainability.html"),
    ]
    for text in pages:
        assert "<img" not in text and "<script" not in text and "<b>ref" not in text
        assert text.count(BEGIN) == text.count(END) > 3
    ration, sust = pages
    assert "&lt;b&gt;ref&lt;/b&gt;" in ration  # the contract reference, escaped
    # beta's reason names the other application and the capability
    assert "overlaps &lt;img src=x onerror=&quot;alert(1)&quot;&gt; on &lt;script&gt;x&lt;/script&gt;" in ration
    # entities are linked through the caller's function: the overlap on leaf, the candidates, the target
    for href in ("/capability/leaf", "/application/beta", "/application/alpha", "/organisation/south"):
        assert f'href="{href}"' in ration
    assert '<a href="../sustainability.html">Fixture scheme</a>' in sust
    assert re.search(r"<h2|## Distribution", sust)


def test_page_headings_are_markdown_for_the_table_of_contents(make_repo: MakeRepo) -> None:
    catalog = validate(make_repo(FILES, minimal=False), today=TODAY, use_cache=False).catalog
    text = rationalisation_page(rationalise(catalog, TODAY), _link)
    headings = re.findall(r"^## (.+)$", text, flags=re.MULTILINE)
    assert headings == [
        "Duplicated systems: the largest",  # the answer first
        "In numbers",
        "Overlaps by area",
        "Overlaps",
        "Merger matrix",
        "Consolidation candidates",
        "Contracts",
        "Data-centre exit",
        "Cost per capability",
        "Notes",
    ]
    # the candidate table carries the hand-computed ranking and savings
    assert re.search(r'<td class="ea-num">1</td><td><a href="/application/beta">.*?£6,000', text)


def test_no_scheme_page_says_so(make_repo: MakeRepo) -> None:
    catalog = validate(
        make_repo({**FILES, "architecture/sustainability.md": None}, minimal=False), today=TODAY, use_cache=False
    ).catalog
    assert "no sustainability scheme" in sustainability_page(sustainability_report(catalog, TODAY), _link)


def test_long_tables_are_cut_with_a_note(make_repo: MakeRepo, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import generator.site.analysis_pages as pages

    monkeypatch.setattr(pages, "ROWS_SHOWN", 1)
    catalog = validate(make_repo(FILES, minimal=False), today=TODAY, use_cache=False).catalog
    text = rationalisation_page(rationalise(catalog, TODAY), _link)
    overlaps = text.split("## Overlaps\n", 1)[1].split("## Merger matrix", 1)[0]
    assert 'href="/capability/leaf"' in overlaps and 'href="/capability/other"' not in overlaps
    assert "The first 1 of 2 overlaps are shown; all of them are in the downloads." in overlaps
    assert "The first 1 of 2 candidates are shown" in text


def test_each_analysis_page_opens_with_its_answer(make_repo: MakeRepo) -> None:
    catalog = validate(make_repo(FILES, minimal=False), today=TODAY, use_cache=False).catalog
    r = rationalise(catalog, TODAY)
    text = rationalisation_page(r, _link)
    assert r.overlaps, "the fixture has duplicated systems"
    answer = text.split("## Duplicated systems: the largest", 1)[1].split("\n## ", 1)[0]
    assert text.index("## Duplicated systems") < text.index("## In numbers") < text.index("## Overlaps")
    items = re.findall(r"<li><strong>(.*?)</strong>: (.*?)</li>", answer)
    stakes = [o.money_at_stake for o in r.overlaps]
    largest = max(stakes)
    first = next(o for o in r.overlaps if o.money_at_stake == largest)
    assert items and _link(Kind.CAPABILITY, first.capability) == items[0][0]
    for app in first.applications:  # every duplicated system of it, each by name
        assert _link(Kind.APPLICATION, app.id) in items[0][1]

    s = sustainability_report(catalog, TODAY)
    text = sustainability_page(s, _link, scheme_href="../sustainability.html")
    answer = text.split("## The worst systems for the climate, and why", 1)[1].split("\n## ", 1)[0]
    scored = [x for x in s.ratings if x.score is not None and x.rating]
    worst = min(scored, key=lambda x: x.score)
    first = re.findall(r"<li><strong>(.*?)</strong>: (.*?)</li>", answer)[0]
    assert first[0] == _link(Kind.APPLICATION, worst.application)
    costliest = max((c for c in worst.criteria if c.applies), key=lambda c: c.weighted_max - c.weighted)
    assert f"It loses most on {esc(costliest.name)}" in first[1]


def test_long_tables_are_folded_and_sortable(make_repo: MakeRepo) -> None:
    from generator.site import analysis_pages as pages

    catalog = validate(make_repo(FILES, minimal=False), today=TODAY, use_cache=False).catalog
    s = sustainability_report(catalog, TODAY)
    folded = pages._fold("All of them", pages.FOLD_AFTER + 1, "<table></table>")
    assert folded.startswith('<details class="ea-fold"><summary>All of them</summary>')
    assert pages._fold("All of them", pages.FOLD_AFTER, "<table></table>") == "<table></table>"
    text = sustainability_page(s, _link)
    ratings = text.split("## Every rating and the points behind it", 1)[1]
    assert 'class="ea-table ea-sortable"' in ratings and 'data-ea-filter="text"' in ratings
    assert ratings.count('<button type="button" class="ea-sort">') >= 3
