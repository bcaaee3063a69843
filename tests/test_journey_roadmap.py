"""``ea report roadmap`` and the carbon figures, on a small plan whose every
figure is worked out by hand in the comments."""

from __future__ import annotations

import io
import json
from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SCHEME, TODAY, MakeRepo

from generator.analysis.roadmap import quarters, roadmap_report
from generator.checks.validate import validate
from generator.cli import main
from generator.models.carbon import Factors, carbon_of
from generator.models.model import Application

CARBON = """\
carbon:
  grid_kgco2e_per_kwh: 0.2
  grid_source: a test factor
  pue: {on-premises: 1.5, private-cloud: 1.5, iaas: 1.2, paas: 1.2, saas: 1.2}
  server_watts: 400
"""


def _app(name: str, hosting: str, lifecycle: str, extra: str, facts: str = "") -> str:
    return (
        f"---\nname: {name}\ncapabilities: [planning-applications]\nowner: planning\nlifecycle: {lifecycle}\n"
        f"hosting: {hosting}\n{extra}sustainability:\n  energy: grid\n{facts}  assessed: 2026-01-15\n---\nText.\n"
    )


PLAN = {
    "architecture/sustainability.md": SCHEME.replace("bands:", CARBON + "bands:", 1),
    # reported: 120 kg
    "applications/uniform.md": _app("Uniform", "saas", "active", "annual_cost: 30000\n", "  reported_kgco2e: 120\n"),
    # estimated: 2 servers x 400 W x 8,760 h / 1,000 = 7,008 kWh; x 1.5 x 0.2 = 2,102.4 kg
    "applications/old.md": _app(
        "Old planning",
        "on-premises",
        "active",
        "annual_cost: 10000\nreplaced_by: cloud\ndates:\n  live: 2010-01-01\n  retire: 2027-03-31\n",
        "  servers: 2\n",
    ),
    # measured: 1,000 kWh x 1.2 x 0.2 = 240 kg
    "applications/cloud.md": _app(
        "Cloud planning", "saas", "proposed", "annual_cost: 20000\ndates:\n  live: 2027-01-01\n", "  energy_kwh: 1000\n"
    ),
    # unknown
    "applications/misc.md": _app("Misc", "paas", "active", "annual_cost: 5000\n"),
    "architecture/milestones/dc-closes.md": "---\nname: Data centre closes\ndate: 2027-03-31\n"
    "closes_data_centre: true\nretired: [old]\n---\n",
    "architecture/milestones/cloud-live.md": "---\nname: Cloud planning live\ndate: 2026-12-31\nlive: [cloud]\n---\n",
}


@pytest.fixture
def plan(make_repo: MakeRepo) -> Path:
    return make_repo(PLAN)


def report(root: Path, today: date = TODAY):  # type: ignore[no-untyped-def]
    return roadmap_report(validate(root, today=today, use_cache=False).catalog, today)


def test_carbon_per_evidence_level(plan: Path) -> None:
    r = report(plan)
    assert [(c.application, c.kgco2e, c.evidence) for c in r.carbon] == [
        ("old", 2102.4, "estimated"),
        ("cloud", 240.0, "measured"),
        ("uniform", 120.0, "reported"),
        ("misc", None, "unknown"),
    ]


def test_without_factors_only_reported_figures_are_known(make_repo: MakeRepo) -> None:
    root = make_repo({**PLAN, "architecture/sustainability.md": SCHEME})
    r = report(root)
    assert {c.application: (c.kgco2e, c.evidence) for c in r.carbon} == {
        "old": (None, "unknown"),
        "cloud": (None, "unknown"),
        "uniform": (120.0, "reported"),
        "misc": (None, "unknown"),
    }
    assert r.factors is None and any("carbon factors" in n for n in r.notes)


def test_average_watts_beats_the_schemes_server_watts() -> None:
    app = Application.model_validate(
        {
            "id": "a",
            "name": "A",
            "capabilities": ["c"],
            "owner": "o",
            "lifecycle": "active",
            "hosting": "iaas",
            "sustainability": {"servers": 0.5, "average_watts": 250},
        }
    )
    f = Factors(grid=Fraction(177, 1000), grid_source="x", pue={"iaas": Fraction(1)}, server_watts=Fraction(0))
    # 0.5 x 250 W x 8,760 h / 1,000 = 1,095 kWh; x 1 x 0.177 = 193.815 kg, exactly
    c = carbon_of(app, f)
    assert (c.kgco2e, c.evidence) == (Fraction("193.815"), "estimated")


def test_totals_say_what_they_cover_and_the_exit_saving(plan: Path) -> None:
    t = report(plan).carbon_totals
    # running today: uniform 120, old 2,102.4, misc unknown (cloud is proposed)
    assert (t.estate.kgco2e, t.estate.applications, t.estate.unknown) == (2222.4, 2, 1)
    assert [(x.id, x.kgco2e, x.applications, x.unknown) for x in t.by_hosting] == [
        ("on-premises", 2102.4, 1, 0),
        ("paas", 0.0, 0, 1),
        ("saas", 120.0, 1, 0),
    ]
    assert [(x.id, x.kgco2e) for x in t.by_capability] == [("planning-applications", 2222.4)]
    assert [(x.id, x.kgco2e, x.applications) for x in t.by_service_area] == [("planning", 2222.4, 2)]
    x = t.data_centre_exit
    # old (2,102.4) moves to cloud (240): saves 1,862.4
    assert (x.in_data_centres, x.applications, x.successors, x.successors_counted, x.saving) == (
        2102.4,
        1,
        240.0,
        1,
        1862.4,
    )


def test_milestones_with_what_breaks_them(plan: Path) -> None:
    r = report(plan)
    assert [(m.id, m.date, [(b.application, b.reason) for b in m.breaks]) for m in r.milestones] == [
        ("cloud-live", date(2026, 12, 31), [("cloud", "not live by then (goes live 2027-01-01)")]),
        ("dc-closes", date(2027, 3, 31), []),  # old retires that very day
    ]


def test_events_in_order(plan: Path) -> None:
    assert [(e.date, e.kind, e.id) for e in report(plan).events] == [
        (date(2026, 12, 31), "milestone", "cloud-live"),
        (date(2027, 1, 1), "live", "cloud"),
        (date(2027, 3, 31), "milestone", "dc-closes"),
        (date(2027, 3, 31), "retire", "old"),
    ]


def test_trajectory_first_and_last_points(plan: Path) -> None:
    points = report(plan).trajectory
    assert [p.date for p in points] == [
        date(2026, 6, 1),
        date(2026, 7, 1),
        date(2026, 10, 1),
        date(2027, 1, 1),
        date(2027, 4, 1),  # the quarter that reaches the last plan date, 2027-03-31
    ]
    first, last = points[0], points[-1]
    # today: uniform, old, misc run, all on planning applications; old on premises
    assert (first.running, first.overlaps, first.on_premises, first.annual_cost) == (3, 1, 1, 45000.0)
    assert (first.kgco2e, first.kgco2e_covers, first.kgco2e_unknown) == (2222.4, 2, 1)
    # after the exit: uniform, cloud, misc
    assert (last.running, last.overlaps, last.on_premises, last.annual_cost) == (3, 1, 0, 55000.0)
    assert (last.kgco2e, last.kgco2e_covers, last.kgco2e_unknown) == (360.0, 2, 1)
    # 2027-01-01: cloud live and old still running: four, all active on one capability
    assert (points[3].running, points[3].overlaps, points[3].annual_cost) == (4, 1, 65000.0)


def test_quarters() -> None:
    assert quarters(date(2026, 3, 31), date(2026, 3, 31)) == [date(2026, 3, 31)]
    assert quarters(date(2026, 3, 31), date(2026, 7, 2)) == [
        date(2026, 3, 31),
        date(2026, 4, 1),
        date(2026, 7, 1),
        date(2026, 10, 1),
    ]


def test_continuity_findings_are_the_plans_own(plan: Path) -> None:
    found = [(f.code, f.path) for f in report(plan).findings]
    assert found == [("EA236", "architecture/milestones/cloud-live.md")]


def test_the_cli_writes_every_format(plan: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["report", "roadmap", str(plan), "--format", "json", "--today", "2026-06-01"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert list(data)[:2] == ["version", "today"]
    assert data["carbon"][0] == {
        "application": "old",
        "name": "Old planning",
        "lifecycle": "active",
        "hosting": "on-premises",
        "kgco2e": 2102.4,
        "evidence": "estimated",
    }
    assert data["milestones"][0]["breaks"] == [
        {"application": "cloud", "reason": "not live by then (goes live 2027-01-01)"}
    ]
    assert {"date", "running", "overlaps", "on_premises", "annual_cost", "kgco2e"} <= set(data["trajectory"][0])
    md = runner.invoke(main, ["report", "roadmap", str(plan), "--today", "2026-06-01"])
    assert "## Trajectory by quarter" in md.output and "| 2027-04-01 | 3 | 1 | 0 | £55,000 | 360 |" in md.output
    csv = runner.invoke(
        main, ["report", "roadmap", str(plan), "--format", "csv", "--section", "trajectory", "--today", "2026-06-01"]
    )
    assert csv.exit_code == 0 and csv.stdout_bytes.decode("utf-8-sig").splitlines()[1].startswith("2026-06-01,3,1,1,")
    out = tmp_path / "roadmap.xlsx"
    xlsx = runner.invoke(main, ["report", "roadmap", str(plan), "--format", "xlsx", "-o", str(out)])
    assert xlsx.exit_code == 0, xlsx.output
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(out.read_bytes()))
    assert book.sheetnames[:3] == ["Dated events", "Milestones and what breaks them", "Trajectory by quarter"]


def test_the_cli_json_is_the_same_text_as_the_shared_renderer(plan: Path) -> None:
    from generator.analysis.render import render_json

    result = CliRunner().invoke(main, ["report", "roadmap", str(plan), "--format", "json", "--today", "2026-06-01"])
    assert result.exit_code == 0, result.output
    catalog = validate(plan, today=TODAY, use_cache=False)
    assert result.stdout == render_json(roadmap_report(catalog.catalog, TODAY, catalog.findings))


def test_roadmap_section_choices_match_the_library_and_are_documented() -> None:
    from generator.analysis import roadmap as module
    from generator.cli.report import roadmap as command

    choices = next(p for p in command.params if p.name == "section").type.choices  # type: ignore[attr-defined]
    assert tuple(choices) == module.SECTIONS == tuple(t.key for t in _empty_report().tables())
    doc = (Path(__file__).resolve().parents[1] / "docs/reports.md").read_text(encoding="utf-8")
    for name in module.SECTIONS:
        assert f"| `{name}`" in doc, name


def _empty_report():  # type: ignore[no-untyped-def]
    from generator.catalog.catalog import Catalog

    return roadmap_report(Catalog(root=Path(".")), TODAY)


def test_an_empty_repository_has_a_roadmap_of_today_alone() -> None:
    r = _empty_report()
    assert [(p.date, p.running, p.kgco2e) for p in r.trajectory] == [(TODAY, 0, 0.0)]
    assert r.events == [] and r.milestones == [] and r.carbon == []
    assert r.carbon_totals.estate.applications == 0


def test_the_sustainability_report_carries_the_carbon_figures(plan: Path) -> None:
    from generator.analysis.sustainability import sustainability_report

    s = sustainability_report(validate(plan, today=TODAY, use_cache=False).catalog, TODAY)
    # every application not retired is listed (cloud is proposed: listed, but in no running total)
    assert {(c.application, c.evidence) for c in s.carbon} == {
        ("old", "estimated"),
        ("cloud", "measured"),
        ("uniform", "reported"),
        ("misc", "unknown"),
    }
    assert s.carbon_totals is not None and s.carbon_totals.estate.kgco2e == 2222.4
    assert [t.key for t in s.tables()][-2:] == ["carbon", "carbon-totals"]


def test_the_ea_process_writes_the_whole_report_before_it_exits(plan: Path) -> None:
    """As the ``ea`` process, a report ends with a fast exit: nothing may be
    left unwritten in a buffer."""
    import subprocess
    import sys

    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "report",
            "roadmap",
            str(plan),
            "--format",
            "json",
            "--today",
            "2026-06-01",
        ],
        capture_output=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["trajectory"][-1]["date"] == "2027-04-01"
