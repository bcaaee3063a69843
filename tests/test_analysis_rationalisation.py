"""Rationalisation on the hand-sized fixture (tests/analysis_fixture.py):
every expected figure below is worked out by hand from the fixture's table,
with the working in a comment."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from analysis_fixture import FILES, TODAY
from conftest import MakeRepo

from generator.analysis import rationalise
from generator.analysis.common import add_months, tree_key
from generator.analysis.rationalisation import RationalisationReport, dependency_cycles
from generator.catalog.catalog import Catalog
from generator.checks.validate import validate


@pytest.fixture
def catalog(make_repo: MakeRepo) -> Catalog:
    result = validate(make_repo(FILES, minimal=False), today=TODAY, use_cache=False)
    assert not [f for f in result.findings if f.severity == "error"], result.findings
    return result.catalog


@pytest.fixture
def report(catalog: Catalog) -> RationalisationReport:
    return rationalise(catalog, TODAY)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2027, 3, 31), -1, date(2027, 2, 28)),  # clamped to February's end
        (date(2028, 3, 31), -1, date(2028, 2, 29)),  # leap year
        (date(2026, 8, 31), -3, date(2026, 5, 31)),
        (date(2027, 6, 30), -6, date(2026, 12, 30)),
        (date(2026, 1, 15), -2, date(2025, 11, 15)),  # across a year
        (date(2026, 6, 1), 24, date(2028, 6, 1)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
    ],
)
def test_add_months(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


def test_overlaps_are_active_apps_on_one_capability_sorted_by_money(report: RationalisationReport) -> None:
    # leaf: alpha (10000 / 2 capabilities = 5000) + beta (6000 / 1) = 11000 in all; epsilon is retired.
    # other: alpha 5000 + delta 2000 = 7000. mid has gamma alone; solo has no active application.
    # alpha is marked invest, so it is kept: at stake is beta's 6000 on leaf and delta's 2000 on other.
    assert [(o.capability, o.money_at_stake) for o in report.overlaps] == [("leaf", 6000), ("other", 2000)]
    assert [(o.total_cost, o.kept, o.kept_basis) for o in report.overlaps] == [
        (11000, ["alpha"], "invest"),
        (7000, ["alpha"], "invest"),
    ]
    assert report.money_at_stake == 8000
    leaf = report.overlaps[0]
    assert [a.id for a in leaf.applications] == ["alpha", "beta"]  # by annual cost, largest first
    assert leaf.area == "top" and leaf.area_name == "Top area"
    beta = leaf.applications[1]
    assert (beta.origin_name, beta.users, beta.annual_cost, beta.contract_end, beta.disposition, beta.rating) == (
        "Southbrook BC",
        50,
        6000,
        date(2026, 8, 31),
        "migrate",
        "D",
    )


def test_overlaps_roll_up_the_hierarchy(report: RationalisationReport) -> None:
    # top holds both overlaps: apps alpha, beta, delta; at stake (alpha kept) 6000 + 2000 = 8000.
    # mid holds leaf's overlap only. Order is the tree: top, mid, leaf, other.
    rows = [(u.capability, u.level, u.overlaps, u.applications, u.money_at_stake) for u in report.rollups]
    assert rows == [
        ("top", 1, ["leaf", "other"], ["alpha", "beta", "delta"], 8000),
        ("mid", 2, ["leaf"], ["alpha", "beta"], 6000),
        ("leaf", 3, ["leaf"], ["alpha", "beta"], 6000),
        ("other", 2, ["other"], ["alpha", "delta"], 2000),
    ]


def test_merger_matrix(report: RationalisationReport) -> None:
    # Columns: the councils that brought active applications, by name. No active app lacks an
    # origin (zeta is phase-out, eta proposed), so there is no "no origin" column.
    assert [c.id for c in report.matrix.councils] == ["north", "south", "west"]
    rows = {r.capability: r for r in report.matrix.rows}
    assert list(rows) == ["mid", "leaf", "other"]  # tree order, only capabilities with active apps
    assert rows["leaf"].cells == {"north": ["alpha"], "south": ["beta"]}
    assert (rows["leaf"].products, rows["leaf"].candidate) == (2, True)  # Vendor One Alpha vs Vendor Two Beta
    # other: north's alpha and west's delta are the same product (v1 "Alpha"): not a candidate
    assert rows["other"].cells == {"north": ["alpha"], "west": ["delta"]}
    assert (rows["other"].products, rows["other"].candidate) == (1, False)
    assert rows["mid"].cells == {"west": ["gamma"]} and not rows["mid"].candidate


def test_candidates_ranked_with_reasons_target_and_saving(report: RationalisationReport) -> None:
    # beta: overlap, migrate, contract ends 2026-08-31 (within 12 months), rating D (score 0; the two
    # lowest bands are C and D) -> target alpha (replaced_by), saving 6000.
    # delta: overlap, contract ends 2026-07-15; rated A -> target alpha (invest, shares "other"), 2000.
    # alpha is invest (a target, never a candidate); gamma overlaps nothing and is tolerate.
    rows = [(c.rank, c.application.id, c.reason_codes, c.target, c.target_basis, c.saving) for c in report.candidates]
    assert rows == [
        (1, "beta", ["overlap", "disposition", "contract", "sustainability"], "alpha", "replaced_by", 6000),
        (2, "delta", ["overlap", "contract"], "alpha", "invest on a shared capability", 2000),
    ]
    assert report.candidates[0].reasons[0] == "overlaps Alpha on Leaf"
    assert "contract ends on 2026-08-31" in report.candidates[0].reasons


def test_candidate_ranking_ties_break_on_reasons_then_name(make_repo: MakeRepo) -> None:
    # Three eliminate apps of equal cost on separate capabilities: the one with a contract ending
    # soon has two reasons and comes first; the other two tie and go by name (Able before Baker).
    files = dict(FILES)
    for stem, name, contract in (
        ("baker", "Baker", ""),
        ("able", "Able", ""),
        ("charlie", "Charlie", "contract: {end: 2026-12-31}\n"),
    ):
        files[f"applications/{stem}.md"] = (
            f"---\nname: {name}\ncapabilities: [solo]\nowner: svc-b\nlifecycle: active\ndisposition: eliminate\n"
            f"hosting: saas\nannual_cost: 700\n{contract}---\n"
        )
    files["capabilities/solo.md"] = "---\nname: Solo\n---\n"
    catalog = validate(make_repo(files, minimal=False), today=TODAY, use_cache=False).catalog
    ranked = [c.application.id for c in rationalise(catalog, TODAY).candidates]
    assert ranked == ["beta", "delta", "charlie", "able", "baker"]


def test_contract_timeline_and_flags(report: RationalisationReport) -> None:
    # today 2026-06-01: horizon 2028-06-01, warning up to 2026-09-01.
    # zeta: ended 2026-05-31 (decision 2026-03-31); beta: end 2026-08-31 - 3 months = 2026-05-31, passed;
    # delta: 2026-07-15 - 1 = 2026-06-15, within 3 months; alpha: 2027-06-30 - 6 = 2026-12-30, upcoming.
    # gamma ends 2028-07-31, beyond the horizon; epsilon is retired.
    rows = [(e.application, e.decision_date, e.status, e.flagged) for e in report.contracts]
    assert rows == [
        ("zeta", date(2026, 3, 31), "ended", True),
        ("beta", date(2026, 5, 31), "notice passed", True),
        ("delta", date(2026, 6, 15), "notice due", True),
        ("alpha", date(2026, 12, 30), "upcoming", False),
    ]


def test_contract_status_moves_with_the_clock(catalog: Catalog) -> None:
    # On 2026-06-16 delta's decision date (2026-06-15) has just passed; on 2026-03-14 it is more than
    # three months away (2026-06-14 < 2026-06-15) and beta's (2026-05-31) is within three.
    later = {e.application: e.status for e in rationalise(catalog, date(2026, 6, 16)).contracts}
    assert later["delta"] == "notice passed"
    earlier = {e.application: e.status for e in rationalise(catalog, date(2026, 3, 14)).contracts}
    assert earlier["delta"] == "upcoming" and earlier["beta"] == "notice due"
    # zeta (end 2026-05-31, decision 2026-03-31) has not ended on 2026-03-14 and its notice date is due
    assert earlier["zeta"] == "notice due"


def test_data_centre_exit(report: RationalisationReport) -> None:
    # Running apps on-premises (beta, zeta) or in the council's own data centre (gamma, private cloud).
    # beta is used by alpha, which delta uses; gamma and zeta use each other (a cycle, walked once).
    rows = [(d.owner, d.application.id, d.dependents, d.all_dependents) for d in report.data_centre]
    assert rows == [
        ("svc-a", "beta", ["alpha"], ["alpha", "delta"]),
        ("svc-a", "gamma", ["zeta"], ["zeta"]),
        ("svc-b", "zeta", ["gamma"], ["gamma"]),
    ]
    assert report.data_centre[1].why == "private-cloud in a council data centre"


def test_cost_per_capability_shares_equally_and_rolls_up(report: RationalisationReport) -> None:
    # alpha 10000 over leaf and other: 5000 each; beta 6000 leaf; gamma 3000 mid; delta 2000 other;
    # zeta 4000 solo (phase-out still costs); eta (proposed) and epsilon (retired) cost nothing here.
    # leaf 11000; mid 3000 (+11000 = 14000); other 7000; top 0 (+14000 + 7000 = 21000); solo 4000.
    rows = {c.capability: (c.cost, c.rolled_up_cost) for c in report.costs}
    assert rows == {
        "top": (0, 21000),
        "mid": (3000, 14000),
        "leaf": (11000, 11000),
        "other": (7000, 7000),
        "solo": (4000, 4000),
    }
    # tree order, by name at each level: "Solo" before "Top area"
    assert [c.capability for c in report.costs] == ["solo", "top", "mid", "leaf", "other"]
    assert "split equally" in report.rules["cost_sharing"]


def test_notes_name_the_cycle_and_missing_origins(report: RationalisationReport) -> None:
    assert "Integration cycle (each depends on the next, in a loop): gamma → zeta → gamma" in report.notes
    assert any(
        n.startswith("1 running application with no origin recorded") and n.endswith(": zeta") for n in report.notes
    )


def test_applications_with_no_cost_contract_or_origin(make_repo: MakeRepo) -> None:
    # Two active in-house apps on one capability, with nothing but the required fields.
    files = dict(FILES)
    for stem in ("bare-one", "bare-two"):
        files[f"applications/{stem}.md"] = (
            f"---\nname: {stem}\ncapabilities: [solo]\nowner: svc-b\nlifecycle: active\nhosting: saas\n---\n"
        )
    catalog = validate(make_repo(files, minimal=False), today=TODAY, use_cache=False).catalog
    report = rationalise(catalog, TODAY)
    solo = next(o for o in report.overlaps if o.capability == "solo")
    assert (solo.money_at_stake, solo.costs_missing, [a.id for a in solo.applications]) == (
        0,
        2,
        ["bare-one", "bare-two"],
    )
    # neither is a candidate's target basis on its own: no invest app, no replaced_by
    bare = [c for c in report.candidates if c.application.id.startswith("bare")]
    assert [(c.application.id, c.target, c.saving) for c in bare] == [
        ("bare-one", None, None),
        ("bare-two", None, None),
    ]
    costs = {c.capability: c for c in report.costs}
    assert (costs["solo"].cost, costs["solo"].costs_missing) == (4000, 2)  # zeta's 4000; the bare apps add 0
    assert "no annual cost recorded" in report.notes[0]
    # the matrix gets a column for applications with no origin
    assert report.matrix.councils[-1].id == ""


def test_dependency_cycles_found_once(catalog: Catalog) -> None:
    assert dependency_cycles(catalog) == [["gamma", "zeta"]]


def test_tree_order_lists_parents_before_children_by_name(catalog: Catalog) -> None:
    # "Solo" and "Top area" are level 1 (S before T); under top: "Middle" (with "Leaf") before "Other".
    assert sorted(catalog.capabilities, key=lambda c: tree_key(catalog, c)) == ["solo", "top", "mid", "leaf", "other"]


def test_report_is_deterministic(catalog: Catalog) -> None:
    first = rationalise(catalog, TODAY).model_dump_json()
    assert first == rationalise(catalog, TODAY).model_dump_json()


def test_empty_repository(tmp_path: Path) -> None:
    (tmp_path / "capabilities").mkdir()
    catalog = validate(tmp_path, today=TODAY, use_cache=False).catalog
    report = rationalise(catalog, TODAY)
    assert (report.overlaps, report.candidates, report.contracts, report.data_centre, report.costs) == (
        [],
        [],
        [],
        [],
        [],
    )
