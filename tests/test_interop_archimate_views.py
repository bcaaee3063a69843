"""Views in the ArchiMate export: laid out by Graphviz (coordinates flipped to
a top-left origin and scaled to pixels), nested, every node an element and
every connection a relationship of the same model, read back by an
independent reader (pyArchimate); and the import reporting the views of real
files that it leaves out."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import MakeRepo, app
from lxml import etree

from generator.catalog.catalog import Catalog
from generator.catalog.timeline import running_at
from generator.checks.validate import validate
from generator.cli import main
from generator.diagrams import layout as layout_module
from generator.diagrams.layout import Box, LayoutError, _curve, layout
from generator.interop import archimate_views
from generator.interop.archimate import NS, exchange, export_archimate, plan_archimate, validate_xsd
from generator.interop.archimate_views import SCALE, _bends, _px
from generator.models.model import ESTATE_KINDS, GOVERNANCE_KINDS

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "archimate"
EXAMPLES = SHARED / "examples"

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed")
needs_examples = pytest.mark.skipif(
    not EXAMPLES.is_dir(), reason=f"the real exchange files are not in {EXAMPLES} (shared data)"
)
needs_council = pytest.mark.skipif(
    not (ROOT / "applications").is_dir(), reason="the example council's content folders are not there yet"
)

A = f"{{{NS}}}"
XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"


def _small(make_repo: MakeRepo) -> Path:
    """Two levels of capability, two applications on the lower one, an owner,
    and three integrations between the same pair (two data flows, one with
    backslashes and quotes in its data, and one plain)."""
    return make_repo(
        {
            "capabilities/planning.md": "---\nname: Planning & <building> control\n---\nTop.\n",
            "capabilities/planning-applications.md": (
                "---\nname: Planning applications\nparent: planning\n---\nReceiving and deciding.\n"
            ),
            "applications/academy.md": app(
                "Academy",
                extra='vendor: idox\ndepends_on:\n  - {app: uniform, data: Fees & "refunds"}\n  - uniform\n'
                "  - {app: uniform, data: 'C:\\\\fees\\\\export \"daily\"'}\n",
            ),
        }
    )


def _catalog(root: Path) -> Catalog:
    return validate(root, use_cache=False).catalog


def _box(node: etree._Element) -> tuple[int, int, int, int]:
    return tuple(int(node.get(k)) for k in ("x", "y", "w", "h"))  # type: ignore[return-value]


def _inside(inner: etree._Element, outer: etree._Element) -> bool:
    x, y, w, h = _box(inner)
    ox, oy, ow, oh = _box(outer)
    return ox <= x and oy <= y and x + w <= ox + ow and y + h <= oy + oh


# --- layout coordinates ---------------------------------------------------------------------------------------------


def test_curve_points_are_on_the_spline_tail_to_head() -> None:
    # a straight edge from Graphviz: 4 control points and the arrow's tip ("e,"); the middle of the one
    # cubic piece of (0,0) (0,10) (10,10) (10,0) is 1/8 P0 + 3/8 P1 + 3/8 P2 + 1/8 P3 = (5, 7.5)
    assert _curve("e,51,52.104 51,87.697 51,79.983 51,70.712 51,62.112") == [
        (51.0, 87.697),
        (51.0, (87.697 + 3 * 79.983 + 3 * 70.712 + 62.112) / 8),
        (51.0, 62.112),
        (51.0, 52.104),
    ]
    assert _curve("0,0 0,10 10,10 10,0")[1] == (5.0, 7.5)


def test_bendpoints_leave_out_repeats_and_straight_runs() -> None:
    # the ends attach to the nodes; (5,5) is on the line (0,0)-(10,10), (10,20) on (10,10)-(10,30)
    assert _bends([(0, 0), (5, 5), (10, 10), (10, 10), (10, 20), (10, 30)]) == [(10, 10)]
    assert _bends([(0, 0), (0, 10)]) == []


@needs_dot
def test_layout_has_a_top_left_origin_and_nested_clusters() -> None:
    laid = layout(
        'digraph { rankdir=TB; subgraph cluster_o { label="Outer"; subgraph cluster_i { label="Inner"; a } b } '
        "a -> b; b -> c }"
    )
    a, b, c = laid.nodes["a"], laid.nodes["b"], laid.nodes["c"]
    assert a.y < b.y < c.y  # top to bottom, as ranked (Graphviz's own y grows upwards)
    assert (round(a.w), round(a.h)) == (54, 36)  # the default node: 0.75 x 0.5 inches
    outer, inner = laid.clusters["cluster_o"], laid.clusters["cluster_i"]
    assert inner.nodes == ("a",) and set(outer.nodes) == {"a", "b"} and outer.clusters == ("cluster_i",)
    assert outer.box.y <= inner.box.y <= a.y and a.y + a.h <= inner.box.y + inner.box.h
    [route] = [e for e in laid.edges if (e.tail, e.head) == ("a", "b")]
    assert route.points[0][1] < route.points[-1][1]  # drawn downwards, tail first
    assert all(0 <= y <= laid.height for _, y in route.points)


def test_points_become_pixels_edge_by_edge() -> None:
    # 96 pixels to 72 points: left 10.2 -> 13.6 -> 14, right 64.2 -> 85.6 -> 86 (w 72);
    # top 20.4 -> 27.2 -> 27, bottom 56.4 -> 75.2 -> 75 (h 48)
    assert SCALE == 4 / 3
    assert _px(Box(10.2, 20.4, 54, 36)) == (14, 27, 72, 48)
    assert _px(Box(0, 0, 0.1, 0.1)) == (0, 0, 1, 1)  # never empty: the format needs w and h of at least 1


@needs_dot
def test_large_graphs_laid_out_with_sfdp_have_no_overlapping_nodes() -> None:
    # as for the site's SVGs: sfdp with overlap removal and straight edges
    edges = "; ".join(f'"hub" -> "application number {i} with a long name"' for i in range(40))
    laid = layout(f"digraph {{ node [shape=box]; {edges} }}", "sfdp")
    boxes = list(laid.nodes.values())
    assert len(boxes) == 41
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            apart = a.x + a.w <= b.x or b.x + b.w <= a.x or a.y + a.h <= b.y or b.y + b.h <= a.y
            assert apart, (a, b)
    for e in laid.edges:  # straight: no bendpoints left
        assert _bends([(round(x), round(y)) for x, y in e.points]) == [], e


@needs_dot
def test_a_graph_dot_cannot_lay_out_in_time_is_laid_out_with_sfdp(monkeypatch: pytest.MonkeyPatch) -> None:
    real = layout_module.layout
    engines: list[str] = []

    def slow_dot(dot: str, engine: str = "dot", timeout: float = 30.0) -> layout_module.Layout:
        engines.append(engine)
        if engine == "dot":
            raise LayoutError("Graphviz took longer than 30 s")
        return real(dot, engine, timeout)

    monkeypatch.setattr(layout_module, "layout", slow_dot)
    [(key, result)] = layout_module.layout_many({"g": ("digraph { a -> b }", "dot")}).items()
    assert key == "g" and isinstance(result, layout_module.Layout) and set(result.nodes) == {"a", "b"}
    assert engines == ["dot", "sfdp"]
    # not for the capability map, which is all nesting (sfdp draws no boxes around groups)
    engines.clear()
    [result] = layout_module.layout_many({"g": ("digraph { a -> b }", "dot")}, fallback=False).values()
    assert isinstance(result, LayoutError) and engines == ["dot"]


@needs_dot
def test_a_layout_graphviz_refuses_is_a_layout_error() -> None:
    with pytest.raises(LayoutError):
        layout("this is not DOT {")


# --- the views ------------------------------------------------------------------------------------------------------


@needs_dot
def test_views_are_ordered_named_and_refer_to_the_model(make_repo: MakeRepo) -> None:
    root = etree.fromstring(export_archimate(_catalog(_small(make_repo)), name="Test"))
    views = root.findall(f"{A}views/{A}diagrams/{A}view")
    assert [(v.get("identifier"), v.findtext(A + "name")) for v in views] == [
        ("id-view-capability-map", "Capability map"),
        ("id-view-estate", "Estate integration map"),
        ("id-view-context-academy", "Integrations of Academy"),
        ("id-view-context-uniform", "Integrations of Uniform"),
    ]
    folder = [i for i in root.iter(A + "item") if i.findtext(A + "label") == "Views"]
    assert [i.get("identifierRef") for i in folder[0].findall(A + "item")] == [v.get("identifier") for v in views]
    elements = {e.get("identifier") for e in root.iter(A + "element")}
    relationships = {r.get("identifier"): r for r in root.iter(A + "relationship")}
    for view in views:
        nodes = {n.get("identifier"): n for n in view.iter(A + "node")}
        assert all(n.get(XSI_TYPE) == "Element" and n.get("elementRef") in elements for n in nodes.values())
        for c in view.iter(A + "connection"):
            rel = relationships[c.get("relationshipRef")]
            assert nodes[c.get("source")].get("elementRef") == rel.get("source")
            assert nodes[c.get("target")].get("elementRef") == rel.get("target")
        assert not list(view.iter(A + "style"))  # plain: the tool's own look applies


@needs_dot
def test_capability_map_nests_capabilities_and_their_applications(make_repo: MakeRepo) -> None:
    root = etree.fromstring(export_archimate(_catalog(_small(make_repo)), name="Test"))
    view = next(v for v in root.iter(A + "view") if v.get("identifier") == "id-view-capability-map")
    [top] = view.findall(A + "node")
    assert top.get("elementRef") == "id-cap-planning"
    [middle] = top.findall(A + "node")
    assert middle.get("elementRef") == "id-cap-planning-applications"
    apps = middle.findall(A + "node")
    assert sorted(n.get("elementRef") for n in apps) == ["id-app-academy", "id-app-uniform"]
    assert _inside(middle, top) and all(_inside(n, middle) for n in apps)
    assert not view.findall(A + "connection")  # nesting shows composition and realisation


@needs_dot
def test_context_view_draws_each_integration_from_the_serving_application(make_repo: MakeRepo) -> None:
    root = etree.fromstring(export_archimate(_catalog(_small(make_repo)), name="Test"))
    view = next(v for v in root.iter(A + "view") if v.get("identifier") == "id-view-context-academy")
    nodes = {n.get("identifier"): n.get("elementRef") for n in view.iter(A + "node")}
    assert sorted(nodes.values()) == ["id-app-academy", "id-app-uniform"]
    # academy depends on uniform three times: two Flows of data and a plain Serving, each drawn once, from
    # uniform (which serves) to academy
    connections = {
        c.get("relationshipRef"): (nodes[c.get("source")], nodes[c.get("target")]) for c in view.iter(A + "connection")
    }
    assert connections == {
        "id-flow.app-uniform.app-academy": ("id-app-uniform", "id-app-academy"),
        "id-flow.app-uniform.app-academy.2": ("id-app-uniform", "id-app-academy"),
        "id-serving.app-uniform.app-academy": ("id-app-uniform", "id-app-academy"),
    }
    estate = next(v for v in root.iter(A + "view") if v.get("identifier") == "id-view-estate")
    [owner] = estate.findall(A + "node")
    assert owner.get("elementRef") == "id-org-planning"  # applications inside the unit that owns them
    assert {n.get("elementRef") for n in owner.findall(A + "node")} == {"id-app-academy", "id-app-uniform"}
    assert len(estate.findall(A + "connection")) == 3


@needs_dot
def test_a_change_shows_in_the_diff_only_where_it_is_drawn(make_repo: MakeRepo) -> None:
    # a new capability with no application changes the capability map; each view's XML is otherwise the same
    repo = _small(make_repo)
    before = etree.fromstring(export_archimate(_catalog(repo), name="Test"))
    (repo / "capabilities" / "zoning.md").write_text("---\nname: Zoning\n---\n", encoding="utf-8")
    after = etree.fromstring(export_archimate(_catalog(repo), name="Test"))

    def views(root: etree._Element) -> dict[str, bytes]:
        return {v.get("identifier"): etree.tostring(v) for v in root.iter(A + "view")}

    old, new = views(before), views(after)
    assert list(old) == list(new)
    assert [k for k in old if old[k] != new[k]] == ["id-view-capability-map"]


@needs_dot
def test_a_view_that_cannot_be_laid_out_is_left_out_with_a_note(
    make_repo: MakeRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = archimate_views.layout_many

    def failing(sources: dict, **kwargs: object) -> dict:
        out = real(sources)
        out["id-view-estate"] = LayoutError("Graphviz took longer than 30 s")
        return out

    monkeypatch.setattr(archimate_views, "layout_many", failing)
    made = exchange(_catalog(_small(make_repo)), name="Test")
    assert made.views == 3 and b"id-view-estate" not in made.data
    assert made.notes == [
        "view 'Estate integration map' left out: Graphviz could not lay it out (Graphviz took longer than 30 s)"
    ]


@needs_dot
def test_a_hierarchy_too_deep_to_draw_leaves_the_map_out(make_repo: MakeRepo) -> None:
    deep = {"capabilities/c0.md": "---\nname: Level 0\n---\n"}
    for i in range(1, archimate_views.MAX_DEPTH + 1):
        deep[f"capabilities/c{i}.md"] = f"---\nname: Level {i}\nparent: c{i - 1}\n---\n"
    made = exchange(_catalog(make_repo(deep)), name="Deep")
    assert made.notes == [
        f"view 'Capability map' left out: the capability hierarchy is deeper than {archimate_views.MAX_DEPTH} levels"
    ]
    assert b"id-view-capability-map" not in made.data and b"id-view-estate" in made.data


@needs_dot
def test_export_command_reports_views_and_can_leave_them_out(tmp_path: Path, make_repo: MakeRepo) -> None:
    repo = _small(make_repo)
    result = CliRunner().invoke(main, ["export", "archimate", str(repo), "-o", str(tmp_path / "a.xml")])
    assert result.exit_code == 0, result.output
    assert "4 views with" in result.output and b"<views>" in (tmp_path / "a.xml").read_bytes()
    result = CliRunner().invoke(main, ["export", "archimate", str(repo), "-o", str(tmp_path / "b.xml"), "--no-views"])
    assert result.exit_code == 0, result.output
    assert "views" not in result.output and b"<views>" not in (tmp_path / "b.xml").read_bytes()


# --- a view per milestone ------------------------------------------------------------------------------------------

XSD_DIAGRAM = SHARED / "xsd" / "local" / "archimate3_Diagram.xsd"


def _journey(make_repo: MakeRepo) -> Path:
    """The small repository with dates and three milestones (two on the same
    date, given out of id order): on 30 June 2027 academy has retired (1
    January 2027), newbie has gone live (1 March 2027), phased is being phased
    out (still running), later is not live yet (1 January 2028) and uniform
    has no dates (running whenever)."""
    repo = _small(make_repo)
    (repo / "applications" / "academy.md").write_text(
        app(
            "Academy",
            extra='vendor: idox\ndates: {retire: 2027-01-01}\ndepends_on:\n  - {app: uniform, data: Fees & "refunds"}\n'
            "  - uniform\n  - {app: uniform, data: 'C:\\\\fees\\\\export \"daily\"'}\n",
        ),
        encoding="utf-8",
    )
    files = {
        "applications/newbie.md": app(
            "Newbie", lifecycle="proposed", extra="dates: {live: 2027-03-01}\ndepends_on: [uniform]\n"
        ),
        "applications/later.md": app(
            "Later", lifecycle="proposed", extra="dates: {live: 2028-01-01}\ndepends_on: [uniform]\n"
        ),
        "applications/phased.md": app(
            "Phased", extra="dates: {phase_out: 2027-01-01, retire: 2028-01-01}\ndepends_on: [newbie]\n"
        ),
        "architecture/milestones/b-same-day.md": "---\nname: Same day\ndate: 2027-06-30\n---\n",
        "architecture/milestones/a-summer.md": (
            "---\nname: Summer switch-off\ndate: 2027-06-30\nretired: [academy]\nlive: [later]\n---\n"
        ),
        "architecture/milestones/z-winter.md": "---\nname: Winter\ndate: 2026-12-31\n---\n",
    }
    for rel, text in files.items():
        (repo / rel).parent.mkdir(parents=True, exist_ok=True)
        (repo / rel).write_text(text, encoding="utf-8")
    return repo


@needs_dot
def test_a_view_per_milestone_shows_the_estate_running_on_its_date(make_repo: MakeRepo) -> None:
    catalog = _catalog(_journey(make_repo))
    assert sorted(catalog.milestones) == ["a-summer", "b-same-day", "z-winter"]
    root = etree.fromstring(export_archimate(catalog, name="Test"))
    views = root.findall(f"{A}views/{A}diagrams/{A}view")
    # after the other views, by date then id
    assert [(v.get("identifier"), v.findtext(A + "name")) for v in views][-3:] == [
        ("id-view-milestone-z-winter", "Estate at Winter (31 December 2026)"),
        ("id-view-milestone-a-summer", "Estate at Summer switch-off (30 June 2027)"),
        ("id-view-milestone-b-same-day", "Estate at Same day (30 June 2027)"),
    ]
    assert views[1].get("identifier") == "id-view-estate" and views[-4].get("identifier").startswith("id-view-context")
    by_id = {v.get("identifier"): v for v in views}

    def drawn(view_id: str) -> tuple[set[str], set[str]]:
        view = by_id[view_id]
        [owner] = view.findall(A + "node")  # every application inside the unit that owns it
        assert owner.get("elementRef") == "id-org-planning"
        assert all(_inside(n, owner) for n in owner.findall(A + "node"))
        apps = {n.get("elementRef").removeprefix("id-app-") for n in owner.findall(A + "node")}
        return apps, {c.get("relationshipRef") for c in view.iter(A + "connection")}

    # 30 June 2027: academy retired on 1 January, newbie live since 1 March, phased being phased out
    # (running), later not live until 2028; the integrations between those running, nothing of academy's
    apps, connections = drawn("id-view-milestone-a-summer")
    assert apps == {"uniform", "newbie", "phased"}
    assert connections == {"id-serving.app-uniform.app-newbie", "id-serving.app-newbie.app-phased"}
    assert drawn("id-view-milestone-b-same-day") == (apps, connections)
    # 31 December 2026: academy still running, newbie not live yet, phased still active
    apps, connections = drawn("id-view-milestone-z-winter")
    assert apps == {"uniform", "academy", "phased"}
    assert connections == {
        "id-flow.app-uniform.app-academy",
        "id-flow.app-uniform.app-academy.2",
        "id-serving.app-uniform.app-academy",
    }
    # the plan breaks the summer milestone (later is not live by then), and the view says so
    summer = by_id["id-view-milestone-a-summer"].findtext(A + "documentation")
    assert summer.startswith("The estate as the plan says it will be on 30 June 2027:")
    assert "unmet: Later not live by then (goes live 2028-01-01)." in summer
    assert "unmet" not in by_id["id-view-milestone-b-same-day"].findtext(A + "documentation")
    # today's estate map is unchanged: the active applications as written
    estate = {n.get("elementRef") for n in by_id["id-view-estate"].iter(A + "node")}
    assert estate == {"id-org-planning", "id-app-uniform", "id-app-academy", "id-app-phased"}


@needs_dot
def test_a_milestone_with_nothing_running_on_its_date_has_no_view(make_repo: MakeRepo) -> None:
    repo = make_repo(
        {
            "applications/uniform.md": None,  # the base repository's one application, running whenever
            "applications/newbie.md": app("Newbie", lifecycle="proposed", extra="dates: {live: 2027-03-01}\n"),
            "architecture/milestones/early.md": "---\nname: Early\ndate: 2027-01-01\n---\n",
            "architecture/milestones/late.md": "---\nname: Late\ndate: 2027-03-01\n---\n",
        }
    )
    made = exchange(_catalog(repo), name="Test")
    assert b"id-view-milestone-early" not in made.data and made.notes == []
    assert b'<view identifier="id-view-milestone-late"' in made.data  # live on the day it goes live


@needs_dot
@pytest.mark.skipif(
    not XSD_DIAGRAM.is_file(), reason=f"the ArchiMate XSDs are not in {XSD_DIAGRAM.parent} (shared data)"
)
def test_milestone_views_are_valid_against_the_diagram_xsd(make_repo: MakeRepo) -> None:
    data = export_archimate(_catalog(_journey(make_repo)), name="Test")
    assert data.count(b'<view identifier="id-view-milestone-') == 3
    assert validate_xsd(data, XSD_DIAGRAM) == []


@needs_dot
def test_pyarchimate_reads_the_milestone_views(tmp_path: Path, make_repo: MakeRepo) -> None:
    pyarchimate = pytest.importorskip(
        "pyArchimate", reason="pyArchimate (the independent reader, in the test extras) is not installed"
    )
    path = tmp_path / "journey.xml"
    path.write_bytes(export_archimate(_catalog(_journey(make_repo)), name="Test"))
    model = pyarchimate.Model("journey")
    model.read(str(path))
    [summer] = [v for v in model.views if v.name == "Estate at Summer switch-off (30 June 2027)"]
    [owner] = summer.nodes
    assert model.elems_dict[owner.ref].name == "Planning and Building Control"
    assert sorted(model.elems_dict[n.ref].name for n in owner.nodes) == ["Newbie", "Phased", "Uniform"]
    assert sorted((model.elems_dict[c.source.ref].name, model.elems_dict[c.target.ref].name) for c in summer.conns) == [
        ("Newbie", "Phased"),
        ("Uniform", "Newbie"),
    ]


# --- an independent reader -----------------------------------------------------------------------------------------


def _expected(catalog: Catalog) -> dict[str, tuple[int, int]]:
    """(nodes, connections) of each view, worked out from the catalog, not from the export."""
    running = {i for i, a in catalog.applications.items() if a.lifecycle != "retired"}
    cap_nodes = len(catalog.capabilities) + sum(
        len(set(catalog.applications[a].capabilities) & set(catalog.capabilities)) for a in running
    )
    active = {i for i, a in catalog.applications.items() if a.lifecycle == "active"}
    owners = {catalog.applications[a].owner for a in active} & set(catalog.organisations)
    deps = {
        (a, d.app, d.data or "")
        for a, model in catalog.applications.items()
        for d in model.depends_on
        if d.app in catalog.applications
    }
    out = {
        "Capability map": (cap_nodes, 0),
        "Estate integration map": (len(active) + len(owners), sum(1 for a, b, _ in deps if {a, b} <= active)),
    }
    for app_id, model in catalog.applications.items():
        mine = {(a, b, d) for a, b, d in deps if app_id in (a, b)}
        others = {a for a, _, _ in mine} | {b for _, b, _ in mine}
        out[f"Integrations of {model.name}"] = (len(others | {app_id}), len(mine))
    for milestone in catalog.milestones.values():
        running = {i for i, a in catalog.applications.items() if running_at(a, milestone.date)}
        owners = {catalog.applications[a].owner for a in running} & set(catalog.organisations)
        when = f"{milestone.date.day} {milestone.date:%B} {milestone.date.year}"
        out[f"Estate at {milestone.name} ({when})"] = (
            len(running) + len(owners),
            sum(1 for a, b, _ in deps if {a, b} <= running),
        )
    return out


@needs_dot
@needs_council
def test_pyarchimate_reads_the_council_views_with_their_nodes_and_connections(tmp_path: Path) -> None:
    pyarchimate = pytest.importorskip(
        "pyArchimate", reason="pyArchimate (the independent reader, in the test extras) is not installed"
    )
    catalog = _catalog(ROOT)
    path = tmp_path / "council.xml"
    path.write_bytes(export_archimate(catalog, name="Mercia Vale"))
    model = pyarchimate.Model("council")
    model.read(str(path))
    # every estate and governance entity is an element (``docs/interop.md``)
    assert len(model.elems_dict) == sum(len(catalog.of(k)) for k in (*ESTATE_KINDS, *GOVERNANCE_KINDS))
    expected = _expected(catalog)
    found = {}
    bends = 0
    for view in model.views:
        nodes, stack = [], list(view.nodes)
        while stack:
            node = stack.pop()
            nodes.append(node)
            stack.extend(node.nodes)
        assert all(n.ref in model.elems_dict for n in nodes), view.name
        for conn in view.conns:
            rel = model.rels_dict[conn.ref]
            assert (conn.source.ref, conn.target.ref) == (rel.source.uuid, rel.target.uuid), view.name
            bends += len(conn.bendpoints)
        found[view.name] = (len(nodes), len(view.conns))
    assert found == expected
    assert len(found) == 2 + len(catalog.applications) + len(catalog.milestones)
    assert bends > 0  # routes that bend keep their shape
    # and it writes them out as Archi's own file format (a zip holding model.xml), each view a diagram model
    native = tmp_path / "council.archimate"
    model.write(str(native))
    with zipfile.ZipFile(native) as archive:
        text = archive.read("model.xml").decode()
    assert text.count('xsi:type="archimate:ArchimateDiagramModel"') == len(found)


# --- import ---------------------------------------------------------------------------------------------------------


@needs_examples
@pytest.mark.parametrize(
    "path", sorted(p for p in EXAMPLES.glob("*/*.xml") if p.name != "aoeff_3_1.xml") if EXAMPLES.is_dir() else []
)
def test_import_says_which_views_of_a_real_file_it_leaves_out(tmp_path: Path, path: Path) -> None:
    tree = etree.parse(str(path), etree.XMLParser(no_network=True, resolve_entities=False))
    views = tree.findall(f"{A}views/{A}diagrams/{A}view")
    plan = plan_archimate(tmp_path, path)
    said = [m.text for m in plan.messages if m.level == "ignored" and "view" in m.text]
    if not views:
        assert said == []
        return
    nodes = sum(len(list(v.iter(A + "node"))) for v in views)
    connections = sum(len(list(v.iter(A + "connection"))) for v in views)
    [text] = said
    assert text.startswith(f"{len(views)} view{'s' * (len(views) != 1)} not imported (")
    assert f"{nodes} nodes and {connections} connections in all" in text


def test_names_and_documentation_are_read_whole_around_comments_and_entities(tmp_path: Path) -> None:
    text = (
        '<?xml version="1.0"?><!DOCTYPE model [<!ENTITY cost "a great deal">]>'
        f'<model xmlns="{NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" identifier="m"><name>m</name>'
        '<elements><element identifier="id-1" xsi:type="Capability">'
        "<name>Council <!-- was: Local -->Tax &amp; Benefits</name>"
        "<documentation>Billing<!-- reviewed --> and recovery. It costs &cost; a year.</documentation>"
        "</element></elements></model>"
    )
    (tmp_path / "m.xml").write_text(text, encoding="utf-8")
    plan = plan_archimate(tmp_path, tmp_path / "m.xml")
    [planned] = plan.files
    content = planned.content.decode()
    assert "name: Council Tax & Benefits\n" in content
    # the entity is never expanded (no DTD is trusted): it stays as written
    assert "Billing and recovery. It costs &cost; a year." in content


def test_without_graphviz_the_export_says_so_and_can_leave_views_out(
    tmp_path: Path, make_repo: MakeRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = _small(make_repo)
    monkeypatch.setattr("generator.diagrams.render.shutil.which", lambda name: None)
    result = CliRunner().invoke(main, ["export", "archimate", str(repo), "-o", str(tmp_path / "a.xml")])
    assert result.exit_code == 2 and not (tmp_path / "a.xml").exists()
    assert "Graphviz" in result.output and "--no-views" in result.output
    result = CliRunner().invoke(main, ["export", "archimate", str(repo), "-o", str(tmp_path / "b.xml"), "--no-views"])
    assert result.exit_code == 0, result.output
