"""A roadmap page in a real browser (Debian's Chromium through Playwright):
the timeline's smallest text is drawn at 12 px or more on a desktop (1,400
px) and a phone (390 px), the timeline scrolls sideways instead of shrinking,
and axe-core finds no WCAG 2.2 AA problem in the page's content."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import TODAY
from test_site_roadmap import PLAN

from generator.site.build import build_site

pytestmark = [pytest.mark.slow, pytest.mark.browser]

ROOT = Path(__file__).resolve().parents[1]
#: where ``npm install --prefix .ea-test axe-core`` puts it (or EA_AXE_JS)
AXE = Path(os.environ.get("EA_AXE_JS", ROOT / ".ea-test" / "node_modules" / "axe-core" / "axe.min.js"))
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

#: The smallest text drawn in any roadmap SVG, in screen pixels: its font size
#: times the scale the SVG is drawn at (its width on screen over its viewBox).
SMALLEST = """() => {
  let smallest = Infinity, count = 0;
  for (const svg of document.querySelectorAll('svg.ea-timeline, svg.ea-chart')) {
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    for (const t of svg.querySelectorAll('text')) {
      count += 1;
      smallest = Math.min(smallest, parseFloat(getComputedStyle(t).fontSize) * scale);
    }
  }
  return [count, smallest];
}"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from conftest import minimal_files, write_files

    root = write_files(tmp_path_factory.mktemp("repo"), {**minimal_files(), **PLAN})
    result = build_site(root, site_dir=tmp_path_factory.mktemp("site") / "site", today=TODAY, use_cache=False)
    assert result.site_dir is not None
    return result.site_dir


@pytest.mark.parametrize("width", [1400, 390])
def test_timeline_text_is_never_below_12_px(browser: object, site: Path, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    for doc in ("roadmap/planning-applications.html", "roadmap/index.html"):
        page.goto((site / doc).as_uri())
        count, smallest = page.evaluate(SMALLEST)
        assert count > 0, doc
        assert smallest >= 12, f"{doc} at {width} px: smallest text {smallest:.1f} px"
    page.goto((site / "roadmap/planning-applications.html").as_uri())
    # too wide for a phone: the timeline's own box scrolls, the page does not
    wrap = page.locator(".ea-timeline-wrap").first
    if width == 390:
        assert wrap.evaluate("e => e.scrollWidth > e.clientWidth")
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
    context.close()


def test_roadmap_page_has_no_axe_violations(browser: object, site: Path) -> None:
    if not AXE.is_file():
        pytest.skip(f"axe-core is not installed: npm install --prefix .ea-test axe-core (looked for {AXE})")
    context = browser.new_context(viewport={"width": 1400, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    problems = []
    for doc in ("roadmap/planning-applications.html", "roadmap/index.html", "roadmap/milestones/switch-off.html"):
        page.goto((site / doc).as_uri())
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
        result = page.evaluate(
            "tags => axe.run({include: [['.md-content']]}, "
            "{runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
            TAGS,
        )
        for v in result["violations"]:
            targets = "; ".join(" ".join(n["target"]) for n in v["nodes"][:5])
            problems.append(f"{doc}: {v['id']} ({v['impact']}): {v['help']} at {targets}")
    context.close()
    assert not problems, "\n".join(problems)
