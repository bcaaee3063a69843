"""The sustainability report on the hand-sized fixture (tests/analysis_fixture.py).

Scheme maxima: hosting 4 x 2 = 8, energy 4, own data centre 4, supplier plan 4;
20 with a supplier, 16 in-house (supplier criteria do not apply).
"""

from __future__ import annotations

from datetime import date

import pytest
from analysis_fixture import FILES, TODAY
from conftest import MakeRepo

from generator.analysis import sustainability_report
from generator.analysis.sustainability import SustainabilityReport, best_value
from generator.catalog.catalog import Catalog
from generator.checks.validate import validate


@pytest.fixture
def catalog(make_repo: MakeRepo) -> Catalog:
    return validate(make_repo(FILES, minimal=False), today=TODAY, use_cache=False).catalog


@pytest.fixture
def report(catalog: Catalog) -> SustainabilityReport:
    return sustainability_report(catalog, TODAY)


def test_every_not_retired_application_with_score_and_status(report: SustainabilityReport) -> None:
    # alpha: 8 + 4 + 4 + 4 = 20/20 = 100 (A); delta: 8 + 0 + 4 + 4 = 16/20 = 80 (A);
    # gamma (in-house): 4 + 4 + 0 = 8/16 = 50.0, exactly the B edge; beta: 0/20 = 0 (D), assessed
    # 2025-01-01, before 2025-06-01 (12 months before today): stale. zeta and eta have no assessment
    # and follow by name; epsilon is retired and left out.
    rows = [(r.application, r.score, r.rating, r.status) for r in report.ratings]
    assert rows == [
        ("alpha", 100.0, "A", "rated"),
        ("delta", 80.0, "A", "rated"),
        ("gamma", 50.0, "B", "rated"),
        ("beta", 0.0, "D", "stale"),
        ("eta", None, None, "not assessed"),
        ("zeta", None, None, "not assessed"),
    ]


def test_points_behind_a_rating(report: SustainabilityReport) -> None:
    gamma = next(r for r in report.ratings if r.application == "gamma")
    points = [(c.criterion, c.value, c.applies, c.points, c.weighted, c.weighted_max) for c in gamma.criteria]
    assert points == [
        ("hosting", "private-cloud", True, 2, 4, 8),
        ("energy", "renewable", True, 4, 4, 4),
        ("dc", "true", True, 0, 0, 4),
        ("crp", None, False, 0, 0, 0),  # in-house: the supplier criterion does not apply
    ]


@pytest.mark.parametrize(
    ("facts", "score", "band"),
    [
        # on-premises 0, renewable 4, own dc false 4 with a v1 supplier (plan: 4): 12/20 = 60 -> B
        (
            "hosting: on-premises\nvendor: v1\nsustainability: {energy: renewable, own_data_centre: false, "
            "assessed: 2026-01-01}\n",
            60.0,
            "B",
        ),
        # private cloud 4, fossil 0, dc true 0, v1 4: 8/20 = 40 -> C
        (
            "hosting: private-cloud\nvendor: v1\nsustainability: {energy: fossil, own_data_centre: true, "
            "assessed: 2026-01-01}\n",
            40.0,
            "C",
        ),
        # saas 8, fossil 0, dc false 4, v2 (no plan) 0: 12/20 = 60 -> B; with v1: 16/20 = 80 -> A
        (
            "hosting: saas\nvendor: v2\nsustainability: {energy: fossil, own_data_centre: false, "
            "assessed: 2026-01-01}\n",
            60.0,
            "B",
        ),
        # in-house on-premises, renewable, dc false: 0 + 4 + 4 = 8/16 = 50.0 -> B (edge)
        (
            "hosting: on-premises\nsustainability: {energy: renewable, own_data_centre: false, assessed: 2026-01-01}\n",
            50.0,
            "B",
        ),
        # in-house saas, facts missing: missing facts earn 'otherwise' (0): 8/16 = 50.0 -> B
        ("hosting: saas\nsustainability: {assessed: 2026-01-01}\n", 50.0, "B"),
        # in-house private cloud, nothing else: 4/16 = 25.0 -> C (edge); on-premises: 0 -> D
        ("hosting: private-cloud\nsustainability: {assessed: 2026-01-01}\n", 25.0, "C"),
        ("hosting: on-premises\nsustainability: {assessed: 2026-01-01}\n", 0.0, "D"),
        # in-house saas + renewable + dc true: 12/16 = 75.0 -> A (edge)
        (
            "hosting: saas\nsustainability: {energy: renewable, own_data_centre: true, assessed: 2026-01-01}\n",
            75.0,
            "A",
        ),
    ],
)
def test_scheme_rules_and_band_edges(make_repo: MakeRepo, facts: str, score: float, band: str) -> None:
    files = dict(FILES)
    files["applications/probe.md"] = (
        f"---\nname: Probe\ncapabilities: [solo]\nowner: svc-b\nlifecycle: active\n{facts}---\n"
    )
    catalog = validate(make_repo(files, minimal=False), today=TODAY, use_cache=False).catalog
    probe = next(r for r in sustainability_report(catalog, TODAY).ratings if r.application == "probe")
    assert (probe.score, probe.rating) == (score, band)


def test_distribution_counts_every_band_and_the_unassessed(report: SustainabilityReport) -> None:
    assert [(b.rating, b.count) for b in report.distribution] == [
        ("A", 2),
        ("B", 1),
        ("C", 0),
        ("D", 1),
        ("not assessed", 2),
    ]


def test_average_by_capability_rolls_up_without_double_counting(report: SustainabilityReport) -> None:
    # leaf: alpha 100, beta 0 -> 50.0 (B); mid: gamma 50 + leaf's alpha, beta -> 150/3 = 50.0 (B);
    # other: alpha 100, delta 80 -> 90.0 (A); top: alpha (counted once though it supports leaf and
    # other), beta, gamma, delta -> 230/4 = 57.5 (B); solo: zeta and eta, unrated.
    rows = [(a.id, a.level, a.rated, a.unrated, a.average, a.rating) for a in report.by_capability]
    assert rows == [
        ("solo", 1, 0, 2, None, None),
        ("top", 1, 4, 0, 57.5, "B"),
        ("mid", 2, 3, 0, 50.0, "B"),
        ("leaf", 3, 2, 0, 50.0, "B"),
        ("other", 2, 2, 0, 90.0, "A"),
    ]


def test_average_by_service_area(report: SustainabilityReport) -> None:
    rows = [(a.name, a.rated, a.unrated, a.average, a.rating) for a in report.by_service_area]
    assert rows == [("Alpha Service", 4, 0, 57.5, "B"), ("Beta Service", 0, 2, None, None)]


def test_improvements_ranked_by_gain(report: SustainabilityReport) -> None:
    # beta (0/20): hosting to saas +8 -> 40 (C); energy, dc or supplier plan +4 each -> 20 (D);
    #   all council changes (hosting, energy, dc) +16 -> 80 (A).
    # gamma (8/16): hosting to saas +4 -> 75 (A); dc to false +4 -> 75 (A); both -> 100 (A).
    # delta (16/20): energy to renewable +4 -> 100 (A). alpha is at the top already.
    rows = [
        (m.application, [c.criterion for c in m.changes], m.gain, m.rating, m.new_rating) for m in report.improvements
    ]
    assert rows == [
        ("beta", ["hosting", "energy", "dc"], 80.0, "D", "A"),
        ("gamma", ["hosting", "dc"], 50.0, "B", "A"),
        ("beta", ["hosting"], 40.0, "D", "C"),
        ("gamma", ["dc"], 25.0, "B", "A"),
        ("gamma", ["hosting"], 25.0, "B", "A"),
        ("beta", ["crp"], 20.0, "D", "D"),
        ("beta", ["dc"], 20.0, "D", "D"),
        ("beta", ["energy"], 20.0, "D", "D"),
        ("delta", ["energy"], 20.0, "A", "A"),
    ]
    top = report.improvements[0]
    assert top.description == "Hosting: on-premises → saas; Energy: fossil → renewable; Own data centre: true → false"
    assert [c.actor for c in report.improvements[5].changes] == ["supplier"]


def test_best_value_of_a_threshold_criterion() -> None:
    from generator.models.model import Criterion

    criterion = Criterion.model_validate(
        {
            "id": "nz",
            "name": "Net zero",
            "fact": "vendor.net_zero_target",
            "at_most": [{"value": 2030, "points": 4}, {"value": 2040, "points": 3}],
        }
    )
    assert best_value(criterion) == ("at most 2030", 4)


def test_no_scheme_rates_nothing(make_repo: MakeRepo) -> None:
    files = {**FILES, "architecture/sustainability.md": None}
    catalog = validate(make_repo(files, minimal=False), today=TODAY, use_cache=False).catalog
    report = sustainability_report(catalog, TODAY)
    assert report.scheme is None and report.improvements == []
    assert all(r.status == "not assessed" for r in report.ratings)
    assert report.distribution[-1].count == 6
    assert report.notes[0].startswith("No sustainability scheme")


def test_staleness_follows_the_clock(catalog: Catalog) -> None:
    # beta assessed 2025-01-01 is within 12 months on 2026-01-01, stale the day after.
    on = {r.application: r.status for r in sustainability_report(catalog, date(2026, 1, 1)).ratings}
    after = {r.application: r.status for r in sustainability_report(catalog, date(2026, 1, 2)).ratings}
    assert (on["beta"], after["beta"]) == ("rated", "stale")
