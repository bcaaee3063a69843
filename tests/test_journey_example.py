"""The journey in the example council and in a new repository from ``ea init``:
the example's plan holds apart from the deliberate warnings its README lists,
and the starter scheme's commented carbon block works once turned on."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from click.testing import CliRunner
from conftest import REPO_ROOT, mercia_vale_only

from generator.analysis.roadmap import roadmap_report
from generator.checks.validate import validate
from generator.cli import main

TODAY = date(2026, 6, 1)


@mercia_vale_only
def test_the_examples_plan_has_no_errors_and_only_the_documented_warnings() -> None:
    result = validate(REPO_ROOT, today=TODAY, use_cache=False)
    journey = [f for f in result.findings if f.code >= "EA230"]
    assert not [f for f in result.findings if f.severity.value == "error"]
    assert {f.code for f in journey} == {"EA234", "EA235", "EA236"}
    assert {f.path for f in journey if f.code == "EA236"} == {"architecture/milestones/county-hall-closes.md"}
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    for code in {f.code for f in journey}:
        assert re.search(rf"^\| {code} \| [^|]*(County Hall|VMware|Power BI)", readme, flags=re.MULTILINE), code


@mercia_vale_only
def test_the_examples_roadmap() -> None:
    catalog = validate(REPO_ROOT, today=TODAY, use_cache=False).catalog
    r = roadmap_report(catalog, TODAY)
    assert [m.id for m in r.milestones] == [
        "vesting-day",
        "westmere-house-closes",
        "one-revenues-system",
        "county-hall-closes",
    ]
    assert next(m for m in r.milestones if m.id == "westmere-house-closes").breaks == []
    first, last = r.trajectory[0], r.trajectory[-1]
    # the last dated event is a contract end on 2030-03-31 (Dynamics 365 and the portal)
    assert last.date == date(2030, 4, 1) and max(e.date for e in r.events) == date(2030, 3, 31)
    assert last.on_premises < first.on_premises and last.overlaps < first.overlaps
    assert last.annual_cost < first.annual_cost and last.kgco2e < first.kgco2e
    evidence = {c.evidence for c in r.carbon}
    assert evidence == {"reported", "measured", "estimated", "unknown"}
    assert r.factors is not None and r.factors.grid_kgco2e_per_kwh == 0.177
    assert r.carbon_totals.data_centre_exit.saving > 0


def test_init_writes_the_milestones_folder_and_a_carbon_block_to_turn_on(tmp_path: Path) -> None:
    target = tmp_path / "wessex"
    assert CliRunner().invoke(main, ["init", str(target), "--name", "Wessex Council"]).exit_code == 0
    assert (target / "architecture/milestones/README.md").is_file()
    scheme = target / "architecture/sustainability.md"
    text = scheme.read_text(encoding="utf-8")
    assert "# carbon:" in text
    on = re.sub(r"^# (carbon:|  )", r"\1", text, flags=re.MULTILINE)
    scheme.write_text(on, encoding="utf-8")
    result = validate(target, today=TODAY, use_cache=False)
    assert result.findings == []
    assert result.catalog.scheme is not None and result.catalog.scheme.carbon is not None
    assert result.catalog.scheme.carbon["grid_kgco2e_per_kwh"] == 0.177
    new = CliRunner().invoke(main, ["new", "milestone", "County Hall closes", "--root", str(target)])
    assert new.exit_code == 0, new.output
    assert (target / "architecture/milestones/county-hall-closes.md").is_file()


def test_import_reads_go_live_and_decommission_dates(tmp_path: Path) -> None:
    from generator.interop.applications import plan_applications

    source = tmp_path / "register.csv"
    source.write_text(
        "System name,Service area,Function,Status,Hosted,Go live,Phase out date,Decommission date\n"
        "Uniform (North),Planning,Planning applications,Live,On-prem,01/04/2019,2027-01-04,31/03/2027\n"
        "Cloud planning,Planning,Planning applications,Planned,SaaS,1 April 2027,,\n",
        encoding="utf-8",
    )
    plan = plan_applications(tmp_path, source)
    assert [m for m in plan.messages if m.level == "skipped"] == []
    files = {f.path: f.content.decode() for f in plan.files}
    import yaml

    north = yaml.safe_load(files["applications/uniform-north.md"].split("---\n")[1])
    cloud = yaml.safe_load(files["applications/cloud-planning.md"].split("---\n")[1])
    assert north["dates"] == {"live": date(2019, 4, 1), "phase_out": date(2027, 1, 4), "retire": date(2027, 3, 31)}
    assert cloud["dates"] == {"live": date(2027, 4, 1)}
    # in the model's order: dates after the contract, before sustainability
    assert list(north).index("dates") > list(north).index("hosting")
