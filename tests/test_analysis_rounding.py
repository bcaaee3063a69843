"""Figures are worked out exactly and rounded once, at output: hand-computed
cases where rounding each step gave a different answer (a penny short on a
rollup, a tenth off an average, a band from a rounded score)."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest
from conftest import MakeRepo

from generator.analysis import rationalise, sustainability_report
from generator.analysis.ratings import Units, rate_all
from generator.analysis.render import render_markdown
from generator.catalog.catalog import Catalog
from generator.checks.validate import validate
from generator.core.util import exact, round_half_up
from generator.diagrams.views import heatmap

TODAY = date(2026, 6, 1)

#: One criterion whose points make any share of 1,000 a score: 649.6 of 1,000 is 64.96.
SCHEME = """\
---
name: Fine scheme
criteria:
  - id: grade
    name: Grade
    fact: sustainability.grade
    points: {full: 1000, edge: 650, under: 649.6, half: 649.5, six: 857.1428571428571, low: 214.28571428571428}
bands:
  - {rating: A, min_score: 75}
  - {rating: B, min_score: 65}
  - {rating: C, min_score: 0}
---
"""


def _app(app_id: str, cost: int | None, caps: str, grade: str | None = None) -> dict[str, str]:
    text = f"---\nname: System {app_id.upper()}\ncapabilities: [{caps}]\nowner: svc\nlifecycle: active\nhosting: saas\n"
    if cost is not None:
        text += f"annual_cost: {cost}\n"
    if grade is not None:
        text += f"sustainability: {{grade: {grade}, assessed: 2026-01-01}}\n"
    return {f"applications/{app_id}.md": text + "---\n"}


def _repo(make_repo: MakeRepo, caps: dict[str, str | None], apps: list[dict[str, str]]) -> Catalog:
    files = {
        "architecture/organisations/svc.md": "---\nname: The Service\ntype: service\n---\n",
        "architecture/sustainability.md": SCHEME,
    }
    for cap, parent in caps.items():
        above = f"parent: {parent}\n" if parent else ""
        files[f"capabilities/{cap}.md"] = f"---\nname: Capability {cap}\n{above}---\n"
    for a in apps:
        files.update(a)
    result = validate(make_repo(files, minimal=False), today=TODAY, use_cache=False)
    assert not [f for f in result.findings if f.severity == "error"], result.findings
    return result.catalog


def test_round_half_up_once() -> None:
    assert exact(0.1) == Fraction(1, 10) and exact(1234.56) == Fraction(123456, 100) and exact(7) == 7
    assert round_half_up(Fraction("2.345"), 2) == 2.35  # round(2.345, 2) gives 2.35 or 2.34 by the float
    assert round_half_up(Fraction("0.125"), 2) == 0.13  # half-even would say 0.12
    assert round_half_up(Fraction("64.95"), 1) == 65.0
    assert round_half_up(Fraction(259000, 3), 2) == 86333.33
    assert round_half_up(Fraction(434000, 3), 2) == 144666.67
    assert round_half_up(Fraction("-2.5"), 0) == -3.0


def test_six_applications_costing_259000_put_259000_at_stake(make_repo: MakeRepo) -> None:
    # Six active applications, each supporting c1, c2 and c3 under "area"; their costs add up to exactly
    # £259,000. Each capability gets a third: 259,000 / 3 = 86,333.333... -> £86,333.33 on each capability.
    # The area rolls the three up: exactly £259,000.00 (rounding each first gave 3 x 86,333.33
    # = £258,999.99, while the costs section, summing unrounded shares, said £259,000.00).
    # None is marked invest, so the one with the largest share (s6, 100,000) is kept: at stake on each is
    # (259,000 - 100,000) / 3 = 53,000, and 159,000 across the area.
    costs = [10_000, 20_000, 30_000, 49_000, 50_000, 100_000]
    assert sum(costs) == 259_000
    catalog = _repo(
        make_repo,
        {"area": None, "c1": "area", "c2": "area", "c3": "area"},
        [_app(f"s{i}", cost, "c1, c2, c3") for i, cost in enumerate(costs, start=1)],
    )
    report = rationalise(catalog, TODAY)
    assert [(o.capability, o.total_cost, o.kept, o.money_at_stake) for o in report.overlaps] == [
        ("c1", 86333.33, ["s6"], 53000),
        ("c2", 86333.33, ["s6"], 53000),
        ("c3", 86333.33, ["s6"], 53000),
    ]
    area = next(u for u in report.rollups if u.capability == "area")
    assert area.money_at_stake == 159000.0
    assert report.money_at_stake == 159000.0
    costs_area = next(c for c in report.costs if c.capability == "area")
    assert (costs_area.cost, costs_area.rolled_up_cost) == (0.0, 259000.0)  # the costs section agrees
    assert [c.cost for c in report.costs if c.capability != "area"] == [86333.33] * 3
    text = render_markdown(report, "Rationalisation")
    assert "| area | Capability area | 1 | 3 | 6 | £159,000 |" in text
    assert "£86,333.33" in text and "£258,999.99" not in text


def test_rollup_of_two_thirds_rounds_up_to_the_penny(make_repo: MakeRepo) -> None:
    # x and y under "area" each overlap: a (£100,000) and b (£117,000) both support x, y and w (w elsewhere).
    # b has the larger share (39,000) and is kept; a's third is at stake: 33,333.333... -> £33,333.33 shown.
    # The area: 2 x 33,333.333... = 66,666.666... -> £66,666.67 (not 33,333.33 x 2 = 66,666.66).
    catalog = _repo(
        make_repo,
        {"area": None, "x": "area", "y": "area", "w": None},
        [_app("a", 100_000, "x, y, w"), _app("b", 117_000, "x, y, w")],
    )
    report = rationalise(catalog, TODAY)
    assert {o.capability: o.money_at_stake for o in report.overlaps} == {"w": 33333.33, "x": 33333.33, "y": 33333.33}
    assert {o.capability: o.total_cost for o in report.overlaps} == {"w": 72333.33, "x": 72333.33, "y": 72333.33}
    rollups = {u.capability: u.money_at_stake for u in report.rollups}
    assert rollups["area"] == 66666.67
    assert next(c for c in report.costs if c.capability == "area").rolled_up_cost == 144666.67
    assert report.money_at_stake == 100000.0  # three overlaps: all of a's cost, none of b's


def test_average_by_capability_is_the_exact_mean_rounded_once(make_repo: MakeRepo) -> None:
    # six: 857.142857... / 1000 = 6/7 = 85.714...% (shown 85.7); low: 214.285714... / 1000 = 3/14 = 21.428...%
    # (shown 21.4). The mean is (6/7 + 3/14) / 2 = 15/28 = 53.571...% -> 53.6, not (85.7 + 21.4) / 2 = 53.5.
    catalog = _repo(make_repo, {"cap": None}, [_app("p", None, "cap", "six"), _app("q", None, "cap", "low")])
    report = sustainability_report(catalog, TODAY)
    assert {r.application: r.score for r in report.ratings} == {"p": 85.7, "q": 21.4}
    [average] = report.by_capability
    assert (average.rated, average.average, average.rating) == (2, 53.6, "C")
    [area] = report.by_service_area
    assert area.average == 53.6


@pytest.mark.parametrize(
    ("grade", "score", "band"),
    [
        ("edge", 65.0, "B"),  # 650 / 1000 = 65% exactly: the band's minimum is reached
        ("under", 65.0, "C"),  # 649.6 / 1000 = 64.96%: shown as 65.0, but below B's 65
        ("half", 65.0, "C"),  # 649.5 / 1000 = 64.95%: a half, rounded up for display; still C
        ("full", 100.0, "A"),
    ],
)
def test_band_comes_from_the_exact_score(make_repo: MakeRepo, grade: str, score: float, band: str) -> None:
    catalog = _repo(make_repo, {"cap": None}, [_app("p", None, "cap", grade)])
    [row] = sustainability_report(catalog, TODAY).ratings
    assert (row.score, row.rating) == (score, band)


def test_improvement_gain_and_heat_map_use_the_exact_score(make_repo: MakeRepo) -> None:
    # p at 64.96% (C) could reach 100% (A): the gain is 35.04 -> 35.0, and the band of the new score is A.
    # The heat map averages p and q (both 64.96%): 64.96 -> label 65/100, band C (from 65.0 it was B).
    catalog = _repo(make_repo, {"cap": None}, [_app("p", None, "cap", "under"), _app("q", None, "cap", "under")])
    report = sustainability_report(catalog, TODAY)
    [p, _q] = report.improvements
    assert (p.application, p.score, p.new_score, p.gain, p.rating, p.new_rating) == ("p", 65.0, 100.0, 35.0, "C", "A")
    [node] = [n for n in heatmap(catalog, rate_all(catalog), "sustainability").nodes.values() if n.entity == "cap"]
    assert node.label.endswith("average 65/100: C")


def test_scores_are_counted_in_whole_units_of_the_scheme(make_repo: MakeRepo) -> None:
    # every weighted value of the scheme is a whole number of one unit, so a score is a ratio of integers;
    # a value from outside the scheme widens the unit rather than lose a fraction
    catalog = _repo(make_repo, {"cap": None}, [])
    assert catalog.scheme is not None
    units = Units(catalog.scheme)
    for points in (0.0, 2500.0, 1623.75, 2142.8571428571427, 535.7142857142857):
        assert Fraction(units.of(points, 1.0), units.unit) == exact(points)
    before = units.unit
    assert Fraction(units.of(1e-20, 3.0), units.unit) == Fraction(3, 10**20)  # finer than any value of the scheme
    assert units.unit > before and units.unit % before == 0  # widened, and the old unit still divides it
    assert Fraction(units.of(1623.75, 1.0), units.unit) == exact(1623.75)  # still exact after widening
