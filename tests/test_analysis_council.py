"""The example council's reports show what its content plants: the land
charges overlap (three predecessor registers and HM Land Registry), the
registers to eliminate in favour of HM Land Registry, two council data
centres to close, and ratings for every assessed system."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import mercia_vale_only

from generator.analysis import rationalise, sustainability_report
from generator.analysis.rationalisation import RationalisationReport
from generator.analysis.render import render_json, render_markdown, render_xlsx
from generator.analysis.sustainability import SustainabilityReport
from generator.catalog.catalog import Catalog
from generator.checks.validate import validate
from generator.cli import main

ROOT = Path(__file__).resolve().parents[1]
TODAY = date(2026, 6, 1)

pytestmark = mercia_vale_only


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    result = validate(ROOT, today=TODAY, use_cache=False)
    assert not [f for f in result.findings if f.severity == "error"]
    return result.catalog


@pytest.fixture(scope="module")
def ration(catalog: Catalog) -> RationalisationReport:
    return rationalise(catalog, TODAY)


@pytest.fixture(scope="module")
def sust(catalog: Catalog) -> SustainabilityReport:
    return sustainability_report(catalog, TODAY)


def test_land_charges_overlap(ration: RationalisationReport) -> None:
    overlap = next(o for o in ration.overlaps if o.capability == "local-land-charges")
    assert sorted(a.id for a in overlap.applications) == [
        "hmlr-llc-register",
        "land-charge-register-southbrook",
        "land-charges-register-westmere",
        "uniform-northfield",
    ]
    assert overlap.area == "planning-and-building-control"
    area = next(u for u in ration.rollups if u.capability == "planning-and-building-control")
    assert area.level == 1 and "local-land-charges" in area.overlaps


def test_land_charge_registers_go_to_hm_land_registry(ration: RationalisationReport) -> None:
    targets = {c.application.id: (c.target, c.target_basis) for c in ration.candidates}
    for register in ("land-charge-register-southbrook", "land-charges-register-westmere"):
        assert targets[register] == ("hmlr-llc-register", "replaced_by")
    # no cost recorded for the Access databases: listed, with an unknown saving, after those with one
    registers = [c for c in ration.candidates if c.application.id.startswith("land-charge")]
    assert all(c.saving is None for c in registers)
    assert all(c.rank > max(c2.rank for c2 in ration.candidates if c2.saving) for c in registers)


def test_merger_matrix_flags_revenues_and_benefits(ration: RationalisationReport) -> None:
    rows = {r.capability: r for r in ration.matrix.rows}
    billing = rows["council-tax-billing"]
    assert billing.candidate  # Northfield and Westmere's OpenRevenues, Southbrook's NEC
    assert billing.cells["southbrook-borough-council"] == ["nec-revenues-benefits-southbrook"]
    # Uniform at Northfield and at Westmere is one product: planning applications is not a candidate
    assert not rows["planning-applications"].candidate


def test_candidates_ranked_by_saving(ration: RationalisationReport) -> None:
    savings = [c.saving or 0 for c in ration.candidates]
    assert savings == sorted(savings, reverse=True)
    assert [c.rank for c in ration.candidates] == list(range(1, len(ration.candidates) + 1))
    assert all(c.application.disposition != "invest" for c in ration.candidates)


def test_data_centre_exit_lists_the_council_clusters(ration: RationalisationReport) -> None:
    ids = {d.application.id for d in ration.data_centre}
    assert {"vmware-county-hall", "vmware-westmere-house"} <= ids
    assert all(d.application.lifecycle in ("active", "phase-out") for d in ration.data_centre)


def test_contracts_in_window(ration: RationalisationReport) -> None:
    assert ration.contracts
    for e in ration.contracts:
        assert e.end <= date(2028, 6, 1)
        assert e.flagged == (e.status != "upcoming")


def test_cost_shares_add_up_to_the_running_cost(catalog: Catalog, ration: RationalisationReport) -> None:
    running = sum(a.annual_cost or 0 for a in catalog.applications.values() if a.lifecycle in ("active", "phase-out"))
    level1 = sum(c.rolled_up_cost for c in ration.costs if c.level == 1)
    assert abs(level1 - running) < 1  # every pound is shared out once, and only once


def test_ratings_distribution_covers_every_system(catalog: Catalog, sust: SustainabilityReport) -> None:
    not_retired = sum(1 for a in catalog.applications.values() if a.lifecycle != "retired")
    assert sum(b.count for b in sust.distribution) == not_retired == len(sust.ratings)
    assert [b.rating for b in sust.distribution] == ["A", "B", "C", "D", "E", "not assessed"]
    assert all(r.criteria for r in sust.ratings if r.rating)


def test_on_premises_systems_lead_the_improvements(catalog: Catalog, sust: SustainabilityReport) -> None:
    top = sust.improvements[0]
    assert catalog.applications[top.application].hosting == "on-premises"
    assert any(c.criterion == "hosting" for c in top.changes) and top.new_score > top.score


def test_outputs_are_deterministic(catalog: Catalog) -> None:
    a, b = rationalise(catalog, TODAY), rationalise(catalog, TODAY)
    assert render_json(a) == render_json(b)
    assert render_markdown(a, "R") == render_markdown(b, "R")
    assert render_xlsx(a) and render_json(sustainability_report(catalog, TODAY))


def test_cli_on_the_example_council() -> None:
    result = CliRunner().invoke(main, ["report", "rationalisation", str(ROOT), "--today", "2026-06-01"])
    assert result.exit_code == 0
    assert "Land Charge Register" in result.output and "HM Land Registry" in result.output


def test_long_overlap_reasons_count_instead_of_listing(ration: RationalisationReport) -> None:
    # NEC (Southbrook) overlaps six other applications on seven revenues and benefits capabilities
    nec = next(c for c in ration.candidates if c.application.id == "nec-revenues-benefits-southbrook")
    assert nec.reasons[0] == (
        "overlaps 6 other applications on 7 capabilities "
        "(Benefit Overpayment Recovery, Business Rates Billing, Business Rates Recovery, ...)"
    )
