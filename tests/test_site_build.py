"""Whole-site builds of small repositories: escaping in the HTML MkDocs
writes, identical rebuilds, failures that leave the published site alone,
the configuration (built-in or the council's), and no request to another site."""

from __future__ import annotations

import hashlib
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import TODAY, MakeRepo, app

from generator.checks.validate import validate
from generator.core.errors import EaError
from generator.site.build import build_site
from generator.site.config import mkdocs_dict, prepare_overrides, read_settings
from generator.site.context import SiteContext
from generator.site.engine import run_mkdocs
from generator.site.generate import generate_docs, write_docs

pytestmark = pytest.mark.slow

EVIL = "<script>alert(1)</script>"


def build(root: Path, site: Path, **kwargs: object) -> Path:
    result = build_site(root, site_dir=site, today=TODAY, use_cache=False, **kwargs)  # type: ignore[arg-type]
    assert result.site_dir == site, [str(f) for f in result.findings]
    return site


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def digest(folder: Path) -> dict[str, str]:
    return {k: hashlib.sha256(v).hexdigest() for k, v in tree(folder).items()}


class Page(HTMLParser):
    """The parts of a built page the tests look at."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.scripts: list[str] = []
        self.h1: list[str] = []
        self.links: list[tuple[str, dict[str, str | None]]] = []
        self._in: str | None = None
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.links.append((tag, dict(attrs)))
        if tag == "script":
            self.scripts.append("")
            self._in = "script"
        elif tag == "h1":
            self.h1.append("")
            self._in = "h1"

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "script":
            self.scripts[-1] += data
        elif self._in == "h1":
            self.h1[-1] += data

    def hrefs(self, tag: str = "a") -> list[str]:
        return [a["href"] or "" for t, a in self.links if t == tag and a.get("href") is not None]


def read(site: Path, page: str) -> Page:
    return Page((site / page).read_text(encoding="utf-8"))


def test_content_shows_as_text_in_the_built_site(make_repo: MakeRepo, tmp_path: Path) -> None:
    body = f"{EVIL}\n\n[click](javascript:alert(2)) and [ok](https://www.gov.uk/)\n"
    root = make_repo(
        {
            "applications/evil.md": app(json.dumps(EVIL), extra="tags: ['<b>bold</b>']\n").replace(
                "What the system does.\n", body
            ),
            "applications/stars.md": app(json.dumps("*x* [a](b) `c`"), extra="depends_on: [evil]\n"),
        }
    )
    site = build(root, tmp_path / "site")
    for path, data in tree(site).items():
        if path.endswith((".html", ".xml", "search_index.json")):
            text = data.decode("utf-8")
            assert "<script>alert" not in text, path
            assert "javascript:alert" not in text, path
            assert "<b>bold</b>" not in text, path  # the tag, too
    page = read(site, "applications/evil.html")
    assert page.h1 == [EVIL]  # shown as text
    assert not [s for s in page.scripts if "alert(" in s]
    assert "&lt;script&gt;alert(1)&lt;/script&gt; - " in (site / "applications/evil.html").read_text()  # <title>
    stars = read(site, "applications/stars.html")
    assert stars.h1 == ["*x* [a](b) `c`"]
    html = (site / "applications/stars.html").read_text(encoding="utf-8")
    assert "<em>x</em>" not in html and 'href="b"' not in html and "<code>c</code>" not in html
    search = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))
    assert any(d["location"] == "applications/evil.html" for d in search["docs"])


def test_two_builds_are_byte_identical(make_repo: MakeRepo, tmp_path: Path) -> None:
    root = make_repo({"applications/second.md": app("Second", extra="depends_on: [uniform]\ntags: [x, y]\n")})
    first = digest(build(root, tmp_path / "one"))
    second = build_site(root, site_dir=tmp_path / "two", today=TODAY, use_cache=True)  # the cache changes nothing
    assert second.site_dir is not None
    assert digest(tmp_path / "two") == first
    assert "sitemap.xml.gz" in first and "search/search_index.json" in first


def test_validation_errors_leave_the_previous_site_untouched(make_repo: MakeRepo, tmp_path: Path) -> None:
    root = make_repo()
    site = build(root, tmp_path / "site")
    before = digest(site)
    (root / "applications/broken.md").write_text(app(extra="colour: blue\n"), encoding="utf-8")
    result = build_site(root, site_dir=site, today=TODAY, use_cache=False)
    assert result.site_dir is None and result.pages == 0
    assert [f.code for f in result.findings] == ["EA110"]
    assert result.checked == 6
    assert digest(site) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["repo1", "site"]  # no half-built folders


def test_strict_stops_on_warnings(make_repo: MakeRepo, tmp_path: Path) -> None:
    root = make_repo({"capabilities/gap.md": "---\nname: A gap\n---\n"})
    assert build_site(root, site_dir=tmp_path / "s", today=TODAY, strict=True, use_cache=False).site_dir is None
    assert not (tmp_path / "s").exists()
    assert build_site(root, site_dir=tmp_path / "s", today=TODAY, use_cache=False).site_dir == tmp_path / "s"


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ('site_url: "https://"\n', "MkDocs refused the configuration"),  # found while loading the configuration
        ("theme: {name: material, language: xx}\n", "MkDocs failed while building"),  # found while rendering
        ("use_directory_urls: sometimes\n", "must be true or false"),  # found by us, before MkDocs
    ],
)
def test_a_failed_mkdocs_run_leaves_the_previous_site_untouched(
    make_repo: MakeRepo, tmp_path: Path, settings: str, message: str
) -> None:
    root = make_repo()
    site = build(root, tmp_path / "site")
    before = digest(site)
    (root / "mkdocs.yml").write_text(settings, encoding="utf-8")
    with pytest.raises(EaError, match=message):
        build_site(root, site_dir=site, today=TODAY, use_cache=False)
    assert digest(site) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["repo1", "site"]


def test_a_broken_link_in_a_description_stops_the_build(make_repo: MakeRepo, tmp_path: Path) -> None:
    root = make_repo()
    site = build(root, tmp_path / "site")
    before = digest(site)
    page = app().replace("What the system does.", "See [the old system](../applications/gone.md).")
    (root / "applications/uniform.md").write_text(page, encoding="utf-8")
    result = build_site(root, site_dir=site, today=TODAY, use_cache=False)
    assert result.site_dir is None  # validation (EA132) stops it, as on the pull request
    [found] = [f for f in result.findings if f.code == "EA132"]
    assert (found.path, found.line) == (
        "applications/uniform.md",
        page.splitlines().index("See [the old system](../applications/gone.md).") + 1,
    )
    assert digest(site) == before


def test_mkdocs_is_strict_about_broken_internal_links(make_repo: MakeRepo, tmp_path: Path) -> None:
    """A Markdown link MkDocs cannot resolve fails the build, with the link named."""
    root = make_repo()
    result = validate(root, today=TODAY, use_cache=False)
    docs = generate_docs(SiteContext.create(result.catalog, result.findings, TODAY))
    docs["index.md"] += b"\nSee [the roadmap](roadmap.md).\n"
    write_docs(docs, tmp_path / "docs")
    settings = read_settings(root)
    prepare_overrides(settings, tmp_path / "overrides")
    config = mkdocs_dict(
        settings, docs_dir=tmp_path / "docs", site_dir=tmp_path / "out", overrides_dir=tmp_path / "overrides"
    )
    with pytest.raises(EaError, match=r"roadmap\.md") as caught:
        run_mkdocs(config, config_path=root / "mkdocs.yml", today=TODAY)
    assert "strict" in str(caught.value)


def test_without_mkdocs_yml_the_built_in_configuration_is_used(make_repo: MakeRepo, tmp_path: Path) -> None:
    site = build(make_repo(), tmp_path / "site")
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "<title>Enterprise architecture</title>" in home
    assert '<html lang="en-GB"' in home
    assert 'data-md-color-primary="indigo"' in home
    assert "fonts.googleapis.com" not in home and "fonts.gstatic.com" not in home
    assert 'href="ea-assets/ea.css"' in home and 'src="ea-assets/ea.js"' in home
    nav = [a.get("href") for t, a in read(site, "index.html").links if "md-nav__link" in (a.get("class") or "")]
    assert {"applications/index.html", "tags.html", "capability-map.html"} <= set(nav)
    assert "applications/uniform.html" not in nav  # entity pages are not in the navigation


COUNCIL_YML = """\
site_name: Exampleshire Council architecture
repo_url: https://gitlab.example.org/council/ea
theme:
  name: material
  logo: images/crest.svg
  palette: {scheme: default, primary: teal, accent: amber}
  features: [navigation.instant, navigation.top]
markdown_extensions:
  - pymdownx.emoji:
      emoji_generator: !!python/name:os.system
plugins: [search, git-revision-date]
extra:
  ea_edit_uri: -/edit/trunk/
  analytics: {provider: google, property: G-XXXX}
  social: [{icon: fontawesome/brands/github, link: "https://github.example/council"}]
"""


def test_a_council_mkdocs_yml_brands_the_site(make_repo: MakeRepo, tmp_path: Path) -> None:
    root = make_repo({"mkdocs.yml": COUNCIL_YML, "docs/images/crest.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>"})
    site = build(root, tmp_path / "site")
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "<title>Exampleshire Council architecture</title>" in home
    assert 'data-md-color-primary="teal"' in home
    # an SVG logo is put into the pages as a picture, never published as a file (it could run script)
    assert not (site / "images/crest.svg").exists()
    logos = {a["src"] for t, a in read(site, "index.html").links if t == "img" and a.get("alt") == "logo"}
    assert logos == {"data:image/svg+xml;base64,PHN2ZyB4bWxucz0naHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmcnLz4="}
    assert "navigation.instant" not in home  # dropped: the register scripts need real page loads
    assert "G-XXXX" not in home and "googletagmanager" not in home
    assert "api.github.com" not in home and "md-source" not in home  # no repository widget calling GitHub
    uniform = read(site, "applications/uniform.html")
    assert "https://gitlab.example.org/council/ea/-/edit/trunk/applications/uniform.md" in uniform.hrefs()
    titled = build_site(root, site_dir=tmp_path / "titled", today=TODAY, use_cache=False, title="Ours & <b>yours</b>")
    assert titled.site_dir is not None
    home = (tmp_path / "titled/index.html").read_text(encoding="utf-8")
    assert "<title>Ours &amp; &lt;b&gt;yours&lt;/b&gt;</title>" in home and "<b>yours" not in home


def test_no_request_leaves_the_site(make_repo: MakeRepo, tmp_path: Path) -> None:
    body = "![chart](https://charts.example.com/x.png) [GOV.UK](https://www.gov.uk/)\n"
    root = make_repo({"applications/uniform.md": app(extra="vendor: idox\n").replace("What the system does.\n", body)})
    site = build(root, tmp_path / "site")
    allowed_links = {"https://www.idoxgroup.com", "https://www.gov.uk/", "https://charts.example.com/x.png"}
    for path, data in tree(site).items():
        if not path.endswith(".html"):
            continue
        page = Page(data.decode("utf-8"))
        for tag, attrs in page.links:
            for key in ("src", "href", "srcset", "data", "poster"):
                value = (attrs.get(key) or "").strip()
                if not value.startswith(("http:", "https:", "//")):
                    continue
                assert tag == "a" and value in allowed_links, f"{path}: <{tag} {key}={value}>"


def test_a_folder_that_is_not_a_site_is_never_replaced(make_repo: MakeRepo, tmp_path: Path) -> None:
    root = make_repo()
    keep = tmp_path / "documents"
    keep.mkdir()
    (keep / "budget.xlsx").write_bytes(b"numbers")
    with pytest.raises(EaError, match="not a built site"):
        build_site(root, site_dir=keep, today=TODAY, use_cache=False)
    with pytest.raises(EaError, match="inside"):
        build_site(root, site_dir=root / "applications" / "site", today=TODAY, use_cache=False)
    assert (keep / "budget.xlsx").read_bytes() == b"numbers"


def test_tags_index_lists_tagged_entries(make_repo: MakeRepo, tmp_path: Path) -> None:
    root = make_repo({"applications/second.md": app("Second", extra="tags: [waste]\n")})
    site = build(root, tmp_path / "site")
    tags = read(site, "tags.html")
    assert "applications/second.html" in tags.hrefs()
    second = read(site, "applications/second.html")
    assert any(h.startswith("../tags.html#tag:waste") for h in second.hrefs())


@pytest.mark.parametrize("directory_urls", [False, True])
def test_every_local_link_leads_to_a_file(make_repo: MakeRepo, tmp_path: Path, directory_urls: bool) -> None:
    """Our links are computed, not rewritten by MkDocs, so both URL schemes are walked."""
    files = {"mkdocs.yml": f"use_directory_urls: {str(directory_urls).lower()}\n"}
    files["applications/second.md"] = app("Second", extra="depends_on: [{app: uniform, data: cases}]\n")
    files["applications/second.md"] = files["applications/second.md"].replace(
        "What the system does.",
        "Feeds [Uniform](uniform.md#relations) and [planning](../capabilities/planning-applications.md).",
    )
    site = build(make_repo(files), tmp_path / "site")
    assert (site / ("applications/second/index.html" if directory_urls else "applications/second.html")).is_file()
    checked = 0
    for html in sorted(site.rglob("*.html")):
        if html.name == "404.html":
            continue  # site-absolute links, by design
        for href in Page(html.read_text(encoding="utf-8")).hrefs():
            path = href.split("#", 1)[0].split("?", 1)[0]
            if not path or path.startswith(("http:", "https:", "mailto:")):
                continue
            resolved = (html.parent / path).resolve()
            assert (resolved / "index.html" if resolved.is_dir() else resolved).is_file(), f"{html}: {href}"
            checked += 1
    assert checked > 100


def test_without_graphviz_the_build_says_how_to_install_it(
    make_repo: MakeRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from generator.cli import main
    from generator.diagrams.render import MISSING_DOT

    root = make_repo()
    monkeypatch.setattr("generator.diagrams.render.shutil.which", lambda name: None)
    with pytest.raises(EaError) as caught:
        build_site(root, site_dir=tmp_path / "site", today=TODAY, use_cache=False)
    assert str(caught.value) == MISSING_DOT
    result = CliRunner().invoke(main, ["build", str(root), "-d", str(tmp_path / "site")])
    assert result.exit_code == 2 and "sudo apt-get install graphviz" in result.output
    assert not (tmp_path / "site").exists()


def test_pages_published_as_they_are_are_moved_into_the_built_site(tmp_path: Path) -> None:
    from generator.site.build import is_published_as_is, move_into

    assert is_published_as_is("diagrams/context-a.html") and is_published_as_is("downloads/applications.csv")
    assert not is_published_as_is("diagrams/notes.md") and not is_published_as_is("applications/a.html")
    assert not is_published_as_is("downloads.md") and not is_published_as_is("ea-assets/ea.css")
    source, site = tmp_path / "as-is", tmp_path / "site"
    (source / "diagrams").mkdir(parents=True)
    (source / "diagrams" / "a.html").write_text("new a", encoding="utf-8")
    (source / "diagrams" / "b.html").write_text("new b", encoding="utf-8")
    (site / "diagrams").mkdir(parents=True)
    (site / "diagrams" / "a.html").write_text("old a", encoding="utf-8")
    (site / "diagrams" / "logo.png").write_bytes(b"png")  # the council's picture stays
    move_into(source, site)
    assert tree(site) == {"diagrams/a.html": b"new a", "diagrams/b.html": b"new b", "diagrams/logo.png": b"png"}
    assert not any(p.is_file() for p in source.rglob("*"))
    move_into(tmp_path / "missing", site)  # nothing to move: nothing done
