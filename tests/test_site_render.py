"""Safe HTML helpers, UK formatting and links between generated pages: the
pieces every page is made of, checked without building a site."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import markdown
import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.site import mdext
from generator.site.render import BodyLinks, BodyRenderer, esc, external_link, url_scheme
from generator.site.text import add_months, long_date, money, number
from generator.site.urls import Urls


def renderer(tmp_path: Path, pages: dict[str, str] | None = None) -> BodyRenderer:
    return BodyRenderer(BodyLinks(tmp_path, Urls(directory_urls=True), pages or {}))


def render(r: BodyRenderer, body: str, source: str = "applications/a.md") -> str:
    return r.render(body, source=source, from_doc="applications/a.md")


def test_raw_html_in_a_body_is_shown_as_text(tmp_path: Path) -> None:
    out = render(renderer(tmp_path), '<script>alert(1)</script>\n\nText <b onclick="x()">bold</b>\n\n<div>block</div>')
    assert "<script" not in out and "<b " not in out and "<div>" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "&lt;b onclick=" in out


def test_fenced_code_attributes_cannot_set_classes_or_ids(tmp_path: Path) -> None:
    """Material for MkDocs loads Mermaid from unpkg.com for any ``pre.mermaid``:
    a body must not be able to make one (nor clobber the page's ids)."""
    body = '``` { .x .mermaid #search onclick="alert(1)" }\ngraph TD; A-->B\n```\n\n```python\nprint(1)\n```\n'
    out = render(renderer(tmp_path), body)
    assert 'class="mermaid"' not in out and " id=" not in out and "onclick" not in out
    assert '<code class="language-python">' in out, "a code block's language is kept"


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "  javascript:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html,<script>alert(1)</script>",
    ],
)
def test_dangerous_link_addresses_are_dropped(tmp_path: Path, url: str) -> None:
    out = render(renderer(tmp_path), f"[click]({url}) ![pic]({url}) <{url}>")
    assert "href=" not in out and "src=" not in out
    assert "<a>click</a>" in out and "<span>[pic]</span>" in out


def test_reference_links_are_checked_too(tmp_path: Path) -> None:
    out = render(renderer(tmp_path), "[click][x]\n\n[x]: javascript:alert(1)")
    assert out == "<p><a>click</a></p>"


def test_web_and_mail_links_are_kept(tmp_path: Path) -> None:
    out = render(renderer(tmp_path), "[gov](https://www.gov.uk/) [mail](mailto:ea@example.gov.uk)")
    assert '<a href="https://www.gov.uk/" rel="noopener noreferrer">gov</a>' in out
    assert '<a href="mailto:ea@example.gov.uk">mail</a>' in out


def test_pictures_from_other_sites_become_links_and_data_pictures_go(tmp_path: Path) -> None:
    out = render(renderer(tmp_path), "![map](https://maps.example.com/a.png) ![x](data:image/png;base64,AAAA)")
    assert "<img" not in out
    assert '<a href="https://maps.example.com/a.png" rel="noopener noreferrer">map (picture on another site)</a>' in out
    assert "<span>[x]</span>" in out and "data:" not in out


def test_links_to_other_content_files_point_at_their_pages(tmp_path: Path) -> None:
    pages = {"capabilities/waste/collection.md": "capabilities/collection.md", "applications/b.md": "applications/b.md"}
    r = renderer(tmp_path, pages)
    out = r.render(
        "[waste](../../capabilities/waste/collection.md#scope) [b](b.md)",
        source="applications/sub/a.md",
        from_doc="applications/a.md",
    )
    assert '<a href="../../capabilities/collection/#scope">waste</a>' in out
    assert 'href="../b/"' not in out  # b.md is relative to applications/sub/, which has no b.md
    assert [(p.source, p.target) for p in r.links.problems] == [("applications/sub/a.md", "b.md")]


def test_linked_repository_files_are_copied_into_the_site(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "policy.pdf").write_bytes(b"%PDF")
    r = renderer(tmp_path)
    out = render(r, "[policy](../docs/policy.pdf) [outside](../../../etc/passwd)")
    assert '<a href="../../files/docs/policy.pdf">policy</a>' in out
    assert r.links.copies == {"docs/policy.pdf": "files/docs/policy.pdf"}
    assert [p.target for p in r.links.problems] == ["../../../etc/passwd"]


def test_body_headings_sit_below_the_page_headings(tmp_path: Path) -> None:
    out = render(renderer(tmp_path), "# Overview\n\n## Detail")
    assert "<h3>Overview</h3>" in out and "<h4>Detail</h4>" in out


def test_markdown_characters_in_values_are_not_markup() -> None:
    assert esc("*x* [a](b) <i>") == "*x* [a](b) &lt;i&gt;"
    assert esc("\"quoted\" & 'single'") == "&quot;quoted&quot; &amp; &#x27;single&#x27;"


@pytest.mark.parametrize(
    ("url", "scheme"),
    [("java\tscript:x", "javascript"), ("\x01javascript:x", "javascript"), ("a/b.md", None), ("HTTPS://x", "https")],
)
def test_url_scheme_reads_addresses_as_browsers_do(url: str, scheme: str | None) -> None:
    assert url_scheme(url) == scheme


def test_external_link_only_for_web_addresses() -> None:
    assert external_link("https://idox.example/") == (
        '<a href="https://idox.example/" rel="noopener noreferrer">https://idox.example/</a>'
    )
    assert external_link("javascript:alert(1)") == "javascript:alert(1)"
    assert external_link("ftp://x.example/") == "ftp://x.example/"


def test_uk_formats() -> None:
    assert money(12500) == "£12,500"
    assert money(1234.5) == "£1,234.50"
    assert money(0.004) == "£0"
    assert long_date(date(2027, 3, 31)) == "31 March 2027"
    assert long_date(date(2026, 1, 5)) == "5 January 2026"
    assert number(72.5) == "72.5" and number(1200.0) == "1,200"


def test_add_months_clamps_to_the_end_of_the_month() -> None:
    assert add_months(date(2027, 3, 31), -1) == date(2027, 2, 28)
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert add_months(date(2026, 6, 1), 12) == date(2027, 6, 1)
    assert add_months(date(2027, 3, 31), -6) == date(2026, 9, 30)


@pytest.mark.parametrize(
    ("directory", "src", "dst", "expected"),
    [
        (True, "index.md", "applications/x.md", "applications/x/"),
        (True, "applications/x.md", "vendors/y.md", "../../vendors/y/"),
        (True, "applications/index.md", "applications/x.md", "x/"),
        (True, "applications/x.md", "index.md", "../../"),
        (True, "applications/index.md", "downloads/applications.csv", "../downloads/applications.csv"),
        (False, "applications/x.md", "vendors/y.md", "../vendors/y.html"),
        (False, "index.md", "applications/index.md", "applications/index.html"),
    ],
)
def test_links_between_pages_follow_the_url_scheme(directory: bool, src: str, dst: str, expected: str) -> None:
    assert Urls(directory).href(src, dst) == expected


def test_passthrough_keeps_generated_html_out_of_markdown() -> None:
    """Marked blocks reach the output unchanged, even text that Markdown would
    otherwise turn into markup; unmarked text is still Markdown."""
    generated = '<div class="x"><p>*not emphasis* [not](a-link)</p>\n\n<p>second</p></div>'
    source = "## Heading\n" + mdext.block(generated) + "\n*emphasis*\n"
    out = markdown.Markdown(extensions=[mdext.makeExtension()]).convert(source)
    assert generated in out
    assert "<h2>Heading</h2>" in out and "<em>emphasis</em>" in out


@given(st.text(alphabet=" \t\r\nab\x02\x03<-!", max_size=60))
def test_whitespace_is_normalised_as_markdown_does_it(source: str) -> None:
    """The passthrough's (faster) first step makes the same lines as Markdown's own."""
    from markdown.preprocessors import NormalizeWhitespace

    theirs = NormalizeWhitespace(markdown.Markdown()).run(source.split("\n"))
    assert mdext.normalise(source) == theirs
    md = markdown.Markdown(extensions=[mdext.makeExtension()])
    assert md.preprocessors["normalize_whitespace"].run(source.split("\n")) == theirs


def test_html_blocks_are_stashed_before_fenced_code_looks_for_fences() -> None:
    md = markdown.Markdown(extensions=["fenced_code", mdext.makeExtension()])
    html = "<pre>\n```\nnot a fence\n```\n</pre>"
    assert md.convert("Text\n" + mdext.block(html)) == "<p>Text</p>\n" + html
