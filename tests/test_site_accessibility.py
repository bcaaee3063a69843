"""WCAG 2.2 AA in a real browser: axe-core (installed from the npm registry
by ``make test``) runs over every page type of two built sites, the example
council and a small generated council, in the light and the dark scheme,
and the test fails on any violation, listing each rule and where it hit.

Also checked here, as a keyboard user meets them: a skip link first on every
page, a visible focus indicator on the controls, and scroll boxes reachable
by the keyboard."""

from __future__ import annotations

import functools
import os
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from generator.site.build import build_site
from generator.site.palette import contrast

pytestmark = [pytest.mark.slow, pytest.mark.browser]

ROOT = Path(__file__).resolve().parents[1]
#: where ``make test`` installs axe-core (see the Makefile's ``axe`` target)
AXE = Path(os.environ.get("EA_AXE_JS", ROOT / ".ea-test" / "node_modules" / "axe-core" / "axe.min.js"))
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SCHEMES = ("default", "slate")


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def _serve(site: Path) -> tuple[ThreadingHTTPServer, str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def _page_types(site: Path) -> list[str]:
    """One page of every type the site has, as paths from its root."""
    pages = [
        "index.html",
        "404.html",
        "applications/index.html",
        "capabilities/index.html",
        "vendors/index.html",
        "organisations/index.html",
        "capability-map.html",
        "capability-hierarchy.html",
        "integration-map.html",
        "rationalisation.html",
        "sustainability-report.html",
        "sustainability.html",
        "tags.html",
        "diagrams/estate.html",  # a wide diagram's full-size page
    ]
    for folder in ("applications", "capabilities", "vendors", "organisations"):
        entries = sorted(p for p in (site / folder).glob("*.html") if p.name != "index.html")
        # the entity with the most content shows the most parts of its page type
        if entries:
            pages.append(f"{folder}/{max(entries, key=lambda p: (p.stat().st_size, p.name)).name}")
    return [p for p in pages if (site / p).is_file()]


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file():
        pytest.skip(f"axe-core is not installed (run make test, which installs it into {AXE.parents[2]})")
    return AXE.read_text(encoding="utf-8")


def _council(tmp: Path) -> Path:
    return ROOT


def _generated(tmp: Path) -> Path:
    from benchmarks.synth import generate

    repo = tmp / "generated"
    generate(repo, applications=40, capabilities=15, vendors=10, seed=3)
    return repo


@pytest.fixture(scope="module", params=["example council", "generated council"])
def served(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    if shutil.which("dot") is None:
        pytest.skip("Graphviz is not installed")
    tmp = tmp_path_factory.mktemp("a11y")
    repo = _council(tmp) if request.param == "example council" else _generated(tmp)
    site = tmp / "site"
    result = build_site(repo, site_dir=site, work_dir=tmp / "work", use_cache=False)
    assert result.site_dir is not None, [f for f in result.findings if f.severity.value == "error"]
    server, url = _serve(site)
    yield url, site
    server.shutdown()
    server.server_close()


def _describe(violations: list[dict[str, object]], where: str) -> list[str]:
    out = []
    for v in violations:
        nodes = v["nodes"]  # type: ignore[index]
        first = "; ".join(
            f"{n['target']}: {(n.get('failureSummary') or '').splitlines()[-1].strip()}" for n in nodes[:3]
        )
        out.append(f"{where}: {v['id']} x{len(nodes)} ({v['help']}) e.g. {first}")
    return out


@pytest.mark.parametrize("scheme", SCHEMES)
def test_no_axe_violations_on_any_page_type(
    browser: object, served: tuple[str, Path], axe_source: str, scheme: str
) -> None:
    url, site = served
    context = browser.new_context(viewport={"width": 1400, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    problems: list[str] = []
    states = []
    for path in _page_types(site):
        states.append((path, None))
    states.append(("capability-map.html", "label[for=ea-heat-rating]"))
    try:
        for path, click in states:
            page.goto(url + path)
            # as the theme's toggle does, without waiting for its colour transitions
            page.add_style_tag(content="*, *::before, *::after { transition: none !important; }")
            page.evaluate("s => document.body.setAttribute('data-md-color-scheme', s)", scheme)
            if click and page.locator(click).count():
                page.click(click)
            page.add_script_tag(content=axe_source)
            result = page.evaluate(
                "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
                TAGS,
            )
            problems += _describe(result["violations"], f"{path}{' after ' + click if click else ''}")
    finally:
        context.close()
    assert not problems, f"{len(problems)} axe violations ({scheme}):\n" + "\n".join(problems)


SKIP_PAGES = ["index.html", "applications/index.html", "capability-hierarchy.html", "404.html", "capability-map.html"]


def test_the_first_tab_stop_is_a_skip_link_to_the_content(browser: object, served: tuple[str, Path]) -> None:
    url, _ = served
    context = browser.new_context(viewport={"width": 1400, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    try:
        for path in SKIP_PAGES:
            page.goto(url + path)
            page.keyboard.press("Tab")
            focused = page.evaluate(
                "() => { const a = document.activeElement;"
                " return {tag: a.tagName, text: a.textContent.trim(), href: a.getAttribute('href') || ''}; }"
            )
            assert focused["tag"] == "A" and focused["text"] == "Skip to content", (path, focused)
            colours = page.evaluate(
                "() => { const s = getComputedStyle(document.activeElement); return [s.color, s.backgroundColor]; }"
            )
            fg, bg = ("#" + "".join(f"{int(n):02x}" for n in c[c.index("(") + 1 : -1].split(",")[:3]) for c in colours)
            assert contrast(fg, bg) >= 4.5, (path, colours)  # readable where it appears
            target = focused["href"].split("#", 1)[1]
            assert page.locator(f"[id='{target}']").count() == 1, (path, target)
            page.keyboard.press("Enter")
            # the next Tab stop is in the content, not the header or the navigation
            page.keyboard.press("Tab")
            inside = page.evaluate("() => !!document.activeElement.closest('.md-content, .md-main')")
            assert inside, path
    finally:
        context.close()


def test_the_register_filter_shows_where_the_focus_is(browser: object, served: tuple[str, Path]) -> None:
    url, _ = served
    context = browser.new_context(viewport={"width": 1400, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    try:
        page.goto(url + "applications/index.html")
        for _ in range(40):
            page.keyboard.press("Tab")
            if page.evaluate("() => document.activeElement.matches('input[data-ea-filter]')"):
                break
        else:
            pytest.fail("the register's word filter is not reached by the keyboard")
        style = page.evaluate(
            "() => { const s = getComputedStyle(document.activeElement);"
            " return {style: s.outlineStyle, width: parseFloat(s.outlineWidth), color: s.outlineColor}; }"
        )
        assert style["style"] != "none" and style["width"] >= 2, style
    finally:
        context.close()


SMALLEST_TEXT = """() => {
  let smallest = Infinity, where = "";
  for (const svg of document.querySelectorAll('.ea-diagram svg')) {
    if (!svg.getClientRects().length) continue;  // a hidden panel
    const box = svg.viewBox.baseVal, shown = svg.getBoundingClientRect();
    if (!box || !box.width) continue;
    const scale = shown.width / box.width;
    for (const text of svg.querySelectorAll('text')) {
      const size = parseFloat(text.getAttribute('font-size') || '14') * scale;
      if (size < smallest) { smallest = size; where = text.textContent; }
    }
  }
  return [smallest, where];
}"""


@pytest.mark.parametrize("width", [1400, 390])
def test_diagram_text_is_never_below_12_px(browser: object, served: tuple[str, Path], width: int) -> None:
    url, site = served
    context = browser.new_context(viewport={"width": width, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    apps = sorted((site / "applications").glob("*.html"), key=lambda p: (-p.stat().st_size, p.name))
    pages = ["capability-map.html", "integration-map.html", f"applications/{apps[0].name}"]
    try:
        measured = 0
        for path in pages:
            page.goto(url + path)
            for choice in ("", "label[for=ea-heat-rating]"):
                if choice:
                    if not page.locator(choice).count():
                        continue
                    page.click(choice)
                smallest, text = page.evaluate(SMALLEST_TEXT)
                if smallest != float("inf"):
                    measured += 1
                    assert smallest >= 11.99, f"{path} at {width} px: '{text}' is shown at {smallest:.1f} px"
        assert measured >= 2, "no diagram was measured"
    finally:
        context.close()


def test_a_wide_diagram_opens_full_size_from_the_keyboard_and_from_the_disk(
    browser: object, served: tuple[str, Path]
) -> None:
    """ "Open full size" is reached by Tab with a visible focus, opens from
    file:// a page holding only the diagram at natural size (nothing in it
    can run), whose node links and way back lead to real pages; the link
    shows exactly while a diagram is wider than its box."""
    _, site = served
    context = browser.new_context(viewport={"width": 1400, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    try:
        page.goto((site / "integration-map.html").as_uri())
        for _ in range(80):
            page.keyboard.press("Tab")
            if page.evaluate("() => document.activeElement.matches('.ea-diagram-open a')"):
                break
        else:
            pytest.fail("'Open full size' is not reached by the keyboard")
        style = page.evaluate(
            "() => { const s = getComputedStyle(document.activeElement);"
            " return {style: s.outlineStyle, width: parseFloat(s.outlineWidth)}; }"
        )
        assert style["style"] != "none" and style["width"] >= 2, style
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.url.endswith("/diagrams/estate.html"), page.url
        found = page.evaluate(
            """() => {
              const svg = document.querySelector('svg');
              const handlers = [...document.querySelectorAll('*')]
                .filter(e => [...e.attributes].some(a => /^on/i.test(a.name)));
              const link = [...svg.querySelectorAll('a')].find(a => a.href.baseVal);
              return {
                shown: svg.getBoundingClientRect().width,
                natural: parseFloat(svg.getAttribute('width')) * 4 / 3,
                active: document.querySelectorAll('script, foreignObject').length + handlers.length,
                node: new URL(link.href.baseVal, document.baseURI).href,
                back: document.querySelector('header a').href,
              };
            }"""
        )
        assert found["active"] == 0
        assert abs(found["shown"] - found["natural"]) < 1, found  # natural size, never shrunk
        for target in (found["node"], found["back"]):
            assert target.startswith("file://") and Path(target[len("file://") :].split("#")[0]).is_file(), target
        with page.expect_navigation():
            page.click("header a")
        assert page.url.endswith("/integration-map.html"), page.url
        # at each width the link shows exactly while its diagram overflows the box
        apps = sorted((site / "applications").glob("*.html"), key=lambda p: (-p.stat().st_size, p.name))
        for width in (1920, 1400, 390):
            page.set_viewport_size({"width": width, "height": 900})
            for path in ("integration-map.html", f"applications/{apps[0].name}"):
                page.goto((site / path).as_uri())
                mismatched = page.evaluate(
                    """() => [...document.querySelectorAll('.ea-diagram-open')].filter(o => {
                      const box = o.parentNode.querySelector('[role=region]');
                      return box.clientWidth > 0 && o.hidden !== (box.scrollWidth <= box.clientWidth + 1);
                    }).length"""
                )
                assert mismatched == 0, (path, width)
    finally:
        context.close()
