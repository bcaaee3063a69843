"""Rationalisation that plans: decision dates, savings net of one-off and
added costs, complements, unknowns, stale ratings and the data-centre list
by building, on the hand-sized fixture (tests/analysis_fixture.py) with a
few fields added. Today is 2026-06-01; the working is in each test."""

from __future__ import annotations

from datetime import date

from analysis_fixture import FILES, TODAY
from conftest import MakeRepo

from generator.analysis import rationalise
from generator.analysis.rationalisation import RationalisationReport
from generator.checks.validate import validate
from generator.site.analysis_pages import rationalisation_page


def _report(make_repo: MakeRepo, changes: dict[str, tuple[str, str]] | None = None,
            extra: dict[str, str] | None = None) -> RationalisationReport:
    """The fixture with ``changes`` (file -> (old text, new text)) and ``extra`` files."""
    files = dict(FILES)
    for path, (old, new) in (changes or {}).items():
        assert old in files[path], (path, old)
        files[path] = files[path].replace(old, new)
    files.update(extra or {})
    result = validate(make_repo(files, minimal=False), today=TODAY, use_cache=False)
    assert not [f for f in result.findings if f.severity == "error"], result.findings
    return rationalise(result.catalog, TODAY)


PLAN = {
    # beta: a one-off migration cost of 1,500
    "applications/beta.md": ("annual_cost: 6000\n", "annual_cost: 6000\nmigration_cost: 1500\n"),
    # delta moves to eta, proposed (not yet running) at 500 a year
    "applications/delta.md": ("disposition: tolerate\n", "disposition: tolerate\nreplaced_by: eta\n"),
}


def test_candidates_carry_decision_dates_and_when_the_saving_can_start(make_repo: MakeRepo) -> None:
    r = _report(make_repo)
    by = {c.application.id: c for c in r.candidates}
    assert set(by) == {"beta", "delta"}
    beta, delta = by["beta"], by["delta"]
    # beta: contract ends 2026-08-31, 3 months' notice -> decision 2026-05-31, before today: notice passed,
    # so the saving cannot be made this term.
    assert (beta.contract_end, beta.decision_date, beta.contract_status) == (
        date(2026, 8, 31), date(2026, 5, 31), "notice passed"
    )
    assert (beta.realisable, beta.realisable_from) == ("not this term", None)
    # delta: ends 2026-07-15, 1 month -> decision 2026-06-15, within three months of today: notice due,
    # realisable at the contract's end.
    assert (delta.decision_date, delta.contract_status, delta.realisable, delta.realisable_from) == (
        date(2026, 6, 15), "notice due", "at contract end", date(2026, 7, 15)
    )


def test_savings_are_net_of_the_targets_added_cost_and_one_off_migration(make_repo: MakeRepo) -> None:
    r = _report(make_repo, PLAN)
    by = {c.application.id: c for c in r.candidates}
    beta, delta = by["beta"], by["delta"]
    # beta: 6,000 a year; its target alpha already runs, so no added cost known; first year 6,000 - 1,500.
    assert (beta.saving, beta.added_cost, beta.net_saving, beta.migration_cost, beta.first_year_saving) == (
        6000, None, 6000, 1500, 4500
    )
    # delta: 2,000 a year; its target eta is proposed at 500 a year, new money: net 1,500; no one-off recorded.
    assert (delta.target, delta.added_cost, delta.net_saving, delta.first_year_saving) == ("eta", 500, 1500, 1500)
    assert [c.application.id for c in r.candidates] == ["beta", "delta"]  # by net saving


def test_a_proposed_target_shared_by_two_candidates_splits_its_cost_exactly(make_repo: MakeRepo) -> None:
    r = _report(
        make_repo,
        {
            "applications/delta.md": ("disposition: tolerate\n", "disposition: tolerate\nreplaced_by: eta\n"),
            "applications/beta.md": ("replaced_by: alpha\n", "replaced_by: eta\n"),
            "applications/eta.md": ("annual_cost: 500\n", "annual_cost: 1000.01\n"),
        },
    )
    by = {c.application.id: c for c in r.candidates}
    # 1,000.01 / 2 = 500.005 -> 500.01 (half up, once); net 6,000 - 500.005 = 5,499.995 -> 5,500.00 and
    # 2,000 - 500.005 = 1,499.995 -> 1,500.00 (rounding the share first would give 5,499.99 and 1,499.99).
    assert (by["beta"].added_cost, by["beta"].net_saving) == (500.01, 5500.0)
    assert (by["delta"].added_cost, by["delta"].net_saving) == (500.01, 1500.0)


def test_complements_take_a_pair_out_of_the_overlap_and_the_candidates(make_repo: MakeRepo) -> None:
    alpha = ("depends_on: [beta]\n", "depends_on: [beta]\ncomplements: [delta]\n")
    r = _report(make_repo, {"applications/alpha.md": alpha})
    # alpha and delta on "other" now work alongside each other: no overlap there, and delta (tolerate,
    # with no other reason) is no longer a candidate. leaf still overlaps (alpha, beta).
    assert [o.capability for o in r.overlaps] == ["leaf"]
    assert [c.application.id for c in r.candidates] == ["beta"]
    assert r.money_at_stake == 6000


def test_complements_keep_a_third_system_that_duplicates_one_of_them(make_repo: MakeRepo) -> None:
    theta = (
        "---\nname: Theta\ncapabilities: [other]\nowner: svc-b\nlifecycle: active\nhosting: saas\n"
        "disposition: tolerate\n---\n"
    )
    r = _report(
        make_repo,
        {"applications/delta.md": ("depends_on: [alpha]\n", "depends_on: [alpha]\ncomplements: [alpha]\n")},
        {"applications/theta.md": theta},
    )
    other = next(o for o in r.overlaps if o.capability == "other")
    # alpha-delta complement; theta duplicates both, so all three take part.
    assert sorted(a.id for a in other.applications) == ["alpha", "delta", "theta"]


def test_uncosted_and_unassessed_candidates_are_unknown_and_ranked_last(make_repo: MakeRepo) -> None:
    theta = (
        "---\nname: Theta\nvendor: v2\ncapabilities: [leaf]\nowner: svc-b\nlifecycle: active\nhosting: saas\n"
        "disposition: tolerate\n---\n"
    )
    r = _report(make_repo, extra={"applications/theta.md": theta})
    assert [c.application.id for c in r.candidates] == ["beta", "delta", "theta"]
    theta_c = r.candidates[-1]
    assert theta_c.saving is None and theta_c.net_saving is None
    assert theta_c.unknowns == [
        "annual cost not recorded, so the saving is unknown",
        "sustainability not assessed",
        "contract end not recorded",
    ]
    assert theta_c.realisable == "unknown"


def test_a_stale_rating_is_marked_stale(make_repo: MakeRepo) -> None:
    r = _report(make_repo)
    beta = next(c for c in r.candidates if c.application.id == "beta")
    # beta was assessed 2025-01-01; the scheme allows 12 months, so anything before 2025-06-01 is stale.
    assert beta.application.rating_status == "stale"
    assert "sustainability rating D (0/100), stale" in beta.reasons
    assert "sustainability rating stale (assessed 2025-01-01)" in beta.unknowns
    delta = next(c for c in r.candidates if c.application.id == "delta")
    assert delta.application.rating_status == "rated" and delta.unknowns == []


def test_data_centre_separates_buildings_and_shows_indirect_paths(make_repo: MakeRepo) -> None:
    iota = (
        "---\nname: Iota\ncapabilities: [solo]\nowner: svc-a\nlifecycle: active\nhosting: on-premises\n"
        "sustainability: {energy: fossil, own_data_centre: false, assessed: 2026-01-01}\n---\n"
    )
    r = _report(make_repo, extra={"applications/iota.md": iota})
    # beta (on-premises, own) and gamma (private cloud, own) are in the council's buildings; iota is on
    # premises elsewhere; zeta records nothing.
    assert [(d.building, d.application.id) for d in r.data_centre] == [
        ("council", "beta"),
        ("council", "gamma"),
        ("elsewhere", "iota"),
        ("not recorded", "zeta"),
    ]
    beta = r.data_centre[0]
    # alpha depends on beta; delta depends on alpha: delta -> alpha -> beta.
    assert (beta.dependents, beta.all_dependents, beta.paths) == (
        ["alpha"], ["alpha", "delta"], {"delta": ["delta", "alpha", "beta"]}
    )


def test_page_says_when_the_saving_can_start(make_repo: MakeRepo) -> None:
    r = _report(make_repo, PLAN)
    html = rationalisation_page(r, lambda kind, i: f'<a href="{i}">{i}</a>')
    assert "Not this term: the notice date passed on 31 May 2026; the contract runs to 31 August 2026." in html
    assert "From 15 July 2026, if notice is given by 15 June 2026." in html
    assert "first year, after £1,500 one-off:</span> £4,500" in html
    assert "less £500 a year for the target:</span> £1,500" in html
    assert "(stale)" in html and "kept (marked invest)" in html
    assert "On premises, building not recorded" in html and "In the council&#x27;s own data centres" in html
    assert '<a href="delta">delta</a> → <a href="alpha">alpha</a> → <a href="beta">beta</a>' in html


def test_complements_naming_no_application_is_a_broken_reference(make_repo: MakeRepo) -> None:
    files = dict(FILES)
    files["applications/alpha.md"] = files["applications/alpha.md"].replace(
        "depends_on: [beta]\n", "depends_on: [beta]\ncomplements: [nowhere]\n"
    )
    result = validate(make_repo(files, minimal=False), today=TODAY, use_cache=False)
    [broken] = [f for f in result.findings if f.code == "EA130"]
    assert broken.path == "applications/alpha.md" and broken.line == 14 and "nowhere" in broken.message
