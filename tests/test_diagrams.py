"""Diagrams: each view's graph on a small fixture, escaping, determinism, the
SVG cache and the message when Graphviz is missing."""

from __future__ import annotations

import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest

from generator.checks.validate import validate
from generator.core.errors import EaError
from generator.diagrams import build_view, site_jobs
from generator.diagrams import render as render_module
from generator.diagrams.dot import quote, to_dot
from generator.diagrams.render import MISSING_DOT, Job, Rendering, inline_svg, render
from generator.diagrams.views import DISPOSITION_FILL, LIFECYCLE_SHAPE

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed")

ORG = "---\nname: {name}\ntype: {type}\n{extra}---\n"
APP = """---
name: {name}
capabilities: [{caps}]
owner: {owner}
lifecycle: {lifecycle}
hosting: saas
{extra}---
Body.
"""


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return write(
        tmp_path,
        {
            "architecture/organisations/north.md": ORG.format(name="North Council", type="council", extra=""),
            "architecture/organisations/south.md": ORG.format(name="South Council", type="council", extra=""),
            "architecture/organisations/planning.md": ORG.format(name="Planning", type="service", extra=""),
            "architecture/organisations/finance.md": ORG.format(name="Finance", type="service", extra=""),
            "capabilities/planning.md": "---\nname: Planning\n---\n",
            "capabilities/applications.md": "---\nname: Planning applications\nparent: planning\n---\n",
            "capabilities/payments.md": "---\nname: Payments\n---\n",
            "applications/uniform-north.md": APP.format(
                name="Uniform (North)",
                caps="applications",
                owner="planning",
                lifecycle="active",
                extra="origin: north\ndisposition: invest\ndepends_on:\n  - {app: pay, data: fees}\n",
            ),
            "applications/acolaid-south.md": APP.format(
                name='Acolaid "South" <b>\\N',
                caps="applications",
                owner="planning",
                lifecycle="phase-out",
                extra="origin: south\ndisposition: eliminate\nreplaced_by: uniform-north\n"
                "depends_on: [uniform-north]\n",
            ),
            "applications/pay.md": APP.format(
                name="Pay", caps="payments", owner="finance", lifecycle="active", extra="disposition: tolerate\n"
            ),
            "applications/old.md": APP.format(
                name="Old", caps="payments", owner="finance", lifecycle="retired", extra="depends_on: [pay]\n"
            ),
        },
    )


def test_context_has_dependencies_and_dependants_with_data(repo: Path) -> None:
    catalog = validate(repo, use_cache=False).catalog
    graph = build_view(catalog, "context", "uniform-north")
    assert set(graph.nodes) == {"application:uniform-north", "application:pay", "application:acolaid-south"}
    labels = {(e.source, e.target): e.label for e in graph.edges}
    assert labels == {
        ("application:uniform-north", "application:pay"): "fees",
        ("application:acolaid-south", "application:uniform-north"): "",
    }
    assert graph.nodes["application:uniform-north"].penwidth > 1  # the subject stands out


def test_context_two_hops_reaches_further(repo: Path) -> None:
    catalog = validate(repo, use_cache=False).catalog
    one = build_view(catalog, "context", "pay", hops=1)
    two = build_view(catalog, "context", "pay", hops=2)
    assert "application:acolaid-south" not in one.nodes
    assert "application:acolaid-south" in two.nodes
    assert "application:old" in one.nodes


def test_rationalisation_groups_by_origin_and_colours_by_disposition(repo: Path) -> None:
    catalog = validate(repo, use_cache=False).catalog
    graph = build_view(catalog, "rationalisation", "planning")
    uniform = graph.nodes["application:uniform-north"]
    acolaid = graph.nodes["application:acolaid-south"]
    assert uniform.cluster == "origin:north" and acolaid.cluster == "origin:south"
    assert graph.clusters["origin:north"] == "Brought by North Council"
    assert uniform.fill == DISPOSITION_FILL["invest"] and acolaid.fill == DISPOSITION_FILL["eliminate"]
    assert (acolaid.shape, acolaid.style) == LIFECYCLE_SHAPE["phase-out"]
    assert "eliminate" in acolaid.label and "phase-out" in acolaid.label  # not colour alone
    assert "capability:applications" in graph.nodes  # sub-capabilities are drawn
    assert graph.legend


def test_estate_clusters_active_applications_by_owner(repo: Path) -> None:
    catalog = validate(repo, use_cache=False).catalog
    graph = build_view(catalog, "estate")
    assert set(graph.nodes) == {"application:uniform-north", "application:pay"}  # active only
    assert graph.nodes["application:pay"].cluster == "owner:finance"
    assert {(e.source, e.target) for e in graph.edges} == {("application:uniform-north", "application:pay")}


def test_heatmap_counts_active_applications_rolled_up(repo: Path) -> None:
    catalog = validate(repo, use_cache=False).catalog
    graph = build_view(catalog, "heatmap")
    planning = graph.nodes["capability:applications"]
    assert "1 active application" in planning.label
    assert graph.nodes["capability:payments"].label.endswith("1 active application")


def test_unknown_ids_are_refused_clearly(repo: Path) -> None:
    catalog = validate(repo, use_cache=False).catalog
    with pytest.raises(ValueError, match="no application with id 'nope'"):
        build_view(catalog, "context", "nope")
    with pytest.raises(ValueError, match="needs the id"):
        build_view(catalog, "rationalisation")


@pytest.mark.parametrize(
    "text, expected",
    [
        ('say "hi"', '"say \\"hi\\""'),
        ("back\\slash \\N", '"back\\\\slash \\\\N"'),
        ("two\nlines", '"two\\nlines"'),
        ("<script>alert(1)</script>", '"<script>alert(1)</script>"'),
        ("bell\x07", '"bell"'),
    ],
)
def test_quote_escapes_dot_strings(text: str, expected: str) -> None:
    assert quote(text) == expected


@needs_dot
def test_awkward_names_render_as_text(repo: Path) -> None:
    catalog = validate(repo, use_cache=False).catalog
    dot = to_dot(build_view(catalog, "context", "acolaid-south"))
    svg = render([Job("x", dot)])["x"]
    assert "Acolaid &quot;South&quot; &lt;b&gt;\\N" in svg or 'Acolaid "South" &lt;b&gt;\\N' in svg
    assert "<b>" not in svg


@needs_dot
def test_nodes_link_to_entity_pages(repo: Path) -> None:
    catalog = validate(repo, use_cache=False).catalog
    jobs = {j.key: j for j in site_jobs(catalog, link_prefix="../../")}
    svg = render([jobs["context/uniform-north"]])["context/uniform-north"]
    assert 'xlink:href="../../applications/pay/"' in svg
    assert 'xlink:title="Pay' in svg  # a tooltip


@needs_dot
def test_rendering_is_deterministic_and_cached(repo: Path, tmp_path: Path) -> None:
    catalog = validate(repo, use_cache=False).catalog
    jobs = site_jobs(catalog)
    assert [j.dot for j in jobs] == [j.dot for j in site_jobs(catalog)]
    first = render(jobs, cache_dir=tmp_path / "c1")
    second = render(jobs, cache_dir=tmp_path / "c2")
    assert first == second
    cached = sorted((tmp_path / "c1").glob("*.svg"))
    assert len(cached) == len(jobs)
    # a cached file is used as it is: changing it shows the cache is read, not re-rendered
    cached[0].write_text("<svg>from cache</svg>", encoding="utf-8")
    again = render(jobs, cache_dir=tmp_path / "c1")
    assert "<svg>from cache</svg>" in again.values()


@needs_dot
def test_a_cached_diagram_cut_short_is_drawn_again(tmp_path: Path) -> None:
    job = Job("x", "digraph { a -> b }\n")
    first = render([job], cache_dir=tmp_path)
    cached = next(tmp_path.glob("*.svg"))
    # cache files are not flushed to the disk one by one: a crash can leave one cut short
    cached.write_text(first["x"][:200], encoding="utf-8")
    assert render([job], cache_dir=tmp_path) == first
    assert cached.read_text(encoding="utf-8") == first["x"]


@needs_dot
def test_diagrams_drawn_in_the_background_are_waited_for_one_by_one(tmp_path: Path) -> None:
    jobs = [Job(key, f"digraph {{ {key} -> z }}\n") for key in ("b", "a", "c")]
    with Rendering(jobs, cache_dir=tmp_path, workers=1, finish=lambda svg: svg.upper()) as drawing:
        assert drawing.keys() == ["a", "b", "c"]
        svg = drawing.result("c")
        assert "<SVG" in svg and ">C</TEXT>" in svg  # ``finish`` ran on it
        assert drawing.result("c") is svg
        with pytest.raises(KeyError):
            drawing.result("d")
    # the cache holds what Graphviz drew, not what ``finish`` made of it
    cached = sorted(path.read_text(encoding="utf-8") for path in tmp_path.glob("*.svg"))
    assert len(cached) == 3 and all("<svg" in text for text in cached)


@needs_dot
def test_graphs_drawn_together_come_out_as_each_drawn_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every diagram of the repository (the example council where it is
    here) drawn in one Graphviz process per batch is byte for byte the
    diagram drawn alone: builds do not depend on which graphs share one."""
    from conftest import REPO_ROOT

    catalog = validate(REPO_ROOT, use_cache=False).catalog
    jobs = site_jobs(catalog)
    alone = {job.key: render_module._render_one(job, 30) for job in jobs}
    processes: list[int] = []
    run = render_module._run

    def counted(batch: list[Job], *args: object) -> list[str]:
        processes.append(len(batch))
        return run(batch, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(render_module, "_run", counted)
    with Rendering(jobs) as drawing:
        together = {job.key: drawing.result(job.key) for job in jobs}
    assert together == alone
    assert max(processes) > 1  # some were drawn together
    assert len(processes) < len(jobs)


def test_only_graphs_without_subgraphs_are_drawn_together() -> None:
    assert render_module._batchable(Job("a", "digraph { a -> b }\n"))
    assert not render_module._batchable(Job("a", "digraph { subgraph cluster_0 { a } }\n"))
    assert not render_module._batchable(Job("a", "digraph { a -> { b c } }\n"))
    assert not render_module._batchable(Job("a", 'digraph { a [label="{x}"] }\n'))  # a brace in a label: alone
    assert not render_module._batchable(Job("a", "digraph { a -> b }\n", engine="sfdp"))
    assert not render_module._batchable(Job("a", "digraph { " + "a -> b; " * 3000 + "}\n"))  # large


@needs_dot
def test_a_batch_that_fails_is_drawn_one_by_one() -> None:
    good, bad = Job("good", "digraph { a -> b }\n"), Job("bad", "digraph { -> }\n")
    svgs = render_module._render_batch([good, bad, good], 30)
    assert svgs[0] == svgs[2] == render_module._render_one(good, 30)
    assert "could not be drawn" in svgs[1]  # the note a diagram Graphviz refuses gets (not "too large")


def test_missing_dot_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(EaError) as caught:
        render([Job("x", "digraph { a }")])
    message = str(caught.value)
    assert message == MISSING_DOT
    for platform in ("Debian/Ubuntu", "macOS", "Windows"):
        assert platform in message


@needs_dot
def test_a_diagram_that_cannot_be_drawn_in_time_gets_a_visible_note() -> None:
    edges = " ".join(f"n{i} -> n{(i * 7) % 3000};" for i in range(3000))
    svg = render([Job("big", f"digraph {{ {edges} }}\n")], timeout=0.01)["big"]
    assert "too large to draw in time" in svg


def test_inline_svg_strips_prolog_and_keeps_the_natural_size() -> None:
    svg = (
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n<!DOCTYPE svg PUBLIC "x"\n "y">\n'
        '<!-- Generated -->\n<svg width="100pt" height="50pt"\n viewBox="0 0 100 50"><g/></svg>\n'
    )
    out = inline_svg(svg)
    # never scaled down: 9 pt labels stay 12 px
    assert out.startswith('<svg class="ea-diagram-svg" width="100pt" height="50pt"')
    assert "<?xml" not in out and "DOCTYPE" not in out and "Generated" not in out


@needs_dot
def test_cli_writes_svg_png_and_dot(repo: Path, tmp_path: Path) -> None:
    import sys

    for suffix, magic in (("svg", b"<?xml"), ("png", b"\x89PNG"), ("dot", b"digraph")):
        out = tmp_path / f"d.{suffix}"
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "generator",
                "diagram",
                "rationalisation",
                "planning",
                "-C",
                str(repo),
                "-o",
                str(out),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        assert proc.returncode == 0, proc.stderr
        assert out.read_bytes().startswith(magic)


def test_cli_link_base_must_be_a_web_address_or_relative(repo: Path, tmp_path: Path) -> None:
    """Node links go into the SVG as they are: a javascript: base is refused."""
    from click.testing import CliRunner

    from generator.cli import main

    out = tmp_path / "d.dot"
    args = ["diagram", "estate", "-C", str(repo), "-o", str(out), "--link-base"]
    bad = CliRunner().invoke(main, [*args, "javascript:alert(1)//"])
    assert bad.exit_code == 2 and "--link-base" in bad.output and not out.exists()
    good = CliRunner().invoke(main, [*args, "https://ea.council.local/site"])
    assert good.exit_code == 0, good.output
    assert 'URL="https://ea.council.local/site/' in out.read_text(encoding="utf-8")


def test_a_long_legend_sets_two_items_a_row(repo: Path) -> None:
    import re

    catalog = validate(repo, use_cache=False).catalog
    graph = build_view(catalog, "context", "acolaid-south")
    assert len(graph.legend) > 5
    legend = to_dot(graph).split("label=<<TABLE", 1)[1].split("</TABLE>", 1)[0]
    rows = re.findall(r"<TR>(.*?)</TR>", legend, flags=re.S)
    assert len(rows) == 1 + (len(graph.legend) + 1) // 2  # the heading, then pairs
    assert all(row.count("<TD") == 4 for row in rows[1:])
    for item in graph.legend:  # every item is still there, once
        assert legend.count(f">{item.label}") + legend.count(f">{item.label} ") >= 1


def test_diagram_colours_meet_wcag_contrast(repo: Path) -> None:
    """Text on every fill 4.5:1; outlines and arrows 3:1 against their ground."""
    from generator.diagrams.dot import CLUSTER
    from generator.diagrams.views import COUNT_RAMP, DISPOSITION_TEXT, RATING_FILL
    from generator.site.palette import contrast

    for disposition, fill in DISPOSITION_FILL.items():
        assert contrast(DISPOSITION_TEXT[disposition], fill) >= 4.5, fill
    for _, fill, text in COUNT_RAMP:
        assert contrast(text, fill) >= 4.5, fill
    for fill, text in RATING_FILL.values():
        assert contrast(text, fill) >= 4.5, fill
    assert contrast(CLUSTER["color"], CLUSTER["fillcolor"]) >= 3
    assert contrast(CLUSTER["color"], "#ffffff") >= 3
    import re

    dot = to_dot(build_view(validate(repo, use_cache=False).catalog, "context", "acolaid-south"))
    edge = re.search(r'edge \[[^\]]*color="(#[0-9a-fA-F]{6})"', dot)
    assert edge and contrast(edge[1], "#ffffff") >= 4.5  # arrows and their labels


def test_fills_that_carry_meaning_stand_out_from_the_page(repo: Path) -> None:
    """WCAG 1.4.11: every fill that says something (a TIME disposition, a
    count, a rating) is 3:1 or more against the white ground the diagrams
    sit on, and a node drawn with it carries its label colour."""
    from generator.diagrams.views import COUNT_RAMP, DISPOSITION_TEXT, RATING_FILL
    from generator.site.palette import contrast

    fills = [f for d, f in DISPOSITION_FILL.items() if d is not None]
    fills += [fill for _, fill, _ in COUNT_RAMP] + [fill for fill, _ in RATING_FILL.values()]
    for fill in fills:
        assert contrast(fill, "#ffffff") >= 3, fill
    catalog = validate(repo, use_cache=False).catalog
    for node in build_view(catalog, "estate").nodes.values():
        app = catalog.applications.get(node.entity) if node.kind == "application" else None
        if app is not None:
            assert node.fontcolor == DISPOSITION_TEXT[app.disposition], node.id


def test_badges_tiles_and_diagrams_share_one_scale_per_measure() -> None:
    """The site's TIME badges, count tiles and rating bands use the very
    colours the diagrams use, fill and text."""
    import re
    from importlib import resources

    from generator.diagrams.views import COUNT_RAMP, DISPOSITION_TEXT, RATING_FILL

    css = (resources.files("generator") / "assets" / "ea.css").read_text(encoding="utf-8").lower()

    def rule(selector: str) -> tuple[str, str]:
        match = re.search(re.escape(selector) + r"\s*\{\s*background:\s*(#[0-9a-f]+);\s*color:\s*(#[0-9a-f]+);", css)
        assert match, selector
        return tuple("#" + "".join(c * 2 for c in v[1:]) if len(v) == 4 else v for v in match.groups())  # type: ignore[return-value]

    for disposition, fill in DISPOSITION_FILL.items():
        if disposition is not None:
            want = (fill.lower(), DISPOSITION_TEXT[disposition].lower())
            assert rule(f".ea-disposition-{disposition}") == want
    for count, fill, text in COUNT_RAMP:
        assert rule(f".ea-count.ea-heat-{count}") == (fill.lower(), text.lower())
    for band, (fill, text) in RATING_FILL.items():
        assert rule(f".ea-rating-{band.lower()}") == (fill.lower(), text.lower())


def test_a_full_size_diagram_keeps_nothing_that_could_run() -> None:
    """The full-size pages are opened on their own: scripts, embedded HTML,
    event attributes and javascript: links are taken out; text that only
    looks like them (escaped by Graphviz) and ordinary links stay."""
    from generator.site.figures import is_wide, sanitise_svg

    svg = (
        '<svg width="600pt" onload="alert(1)"><script>alert(2)</script><script href="x.js"/>'
        '<a xlink:href="javascript:alert(3)" xlink:title="t"><text ONCLICK=alert(4) x="1">'
        "one=&quot;2&quot; &lt;script&gt;</text></a><foreignObject><div>x</div></foreignObject>"
        '<a xlink:href="../applications/a.html"><text>A</text></a></svg>'
    )
    clean = sanitise_svg(svg)
    assert clean == (
        '<svg width="600pt"><a xlink:title="t"><text x="1">one=&quot;2&quot; &lt;script&gt;</text></a>'
        '<a xlink:href="../applications/a.html"><text>A</text></a></svg>'
    )
    assert sanitise_svg(clean) == clean  # nothing left to take out: as it is
    assert is_wide(svg.replace("600pt", "546pt")) is False  # 728 px, the content column
    assert is_wide(svg.replace("600pt", "546.5pt")) is True
    assert is_wide(None) is False
