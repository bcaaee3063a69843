"""The lifecycle at a date (``generator.catalog.timeline``), on hand-made applications,
and ``--as-of`` on the reports and the heat map."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import MakeRepo, app

from generator.catalog.timeline import catalog_as_of, lifecycle_at, running_at
from generator.checks.validate import validate
from generator.cli import main
from generator.models.model import Application


def application(lifecycle: str = "active", **dates: str) -> Application:
    data = {
        "id": "a",
        "name": "A",
        "capabilities": ["c"],
        "owner": "o",
        "lifecycle": lifecycle,
        "hosting": "saas",
    }
    if dates:
        data["dates"] = dates
    return Application.model_validate(data)


FULL = {"live": "2020-04-01", "phase_out": "2027-01-01", "retire": "2027-09-30"}


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        (date(2020, 3, 31), "proposed"),
        (date(2020, 4, 1), "active"),
        (date(2026, 12, 31), "active"),
        (date(2027, 1, 1), "phase-out"),
        (date(2027, 9, 29), "phase-out"),
        (date(2027, 9, 30), "retired"),
        (date(2040, 1, 1), "retired"),
    ],
)
def test_the_dates_lead_where_they_are_given(when: date, expected: str) -> None:
    # written 'proposed' before 'live': the phase just before the first date
    assert lifecycle_at(application("proposed", **FULL), when) == expected


def test_without_dates_the_written_lifecycle_holds_at_every_date() -> None:
    for lifecycle in ("proposed", "active", "phase-out", "retired"):
        for when in (date(1990, 1, 1), date(2026, 6, 1), date(2099, 12, 31)):
            assert lifecycle_at(application(lifecycle), when) == lifecycle


def test_before_the_first_date_the_written_lifecycle_holds() -> None:
    # an active system with only a planned retirement: active until then
    only_retire = application("active", retire="2028-03-31")
    assert lifecycle_at(only_retire, date(2028, 3, 30)) == "active"
    assert lifecycle_at(only_retire, date(2028, 3, 31)) == "retired"
    # a system already being phased out, retiring later
    assert lifecycle_at(application("phase-out", retire="2028-03-31"), date(2027, 1, 1)) == "phase-out"


def test_a_written_lifecycle_against_the_order_gives_the_phase_before_the_first_date() -> None:
    # written 'retired' with a go-live still to come: proposed until it
    assert lifecycle_at(application("retired", live="2027-04-01"), date(2027, 3, 31)) == "proposed"
    # written 'retired' but the phase-out starts later: active until then
    assert lifecycle_at(application("retired", phase_out="2027-04-01"), date(2026, 1, 1)) == "active"
    # written 'phase-out' before a planned phase_out: active until it
    assert lifecycle_at(application("phase-out", phase_out="2027-04-01"), date(2027, 3, 31)) == "active"


def test_out_of_order_dates_take_the_latest_reached() -> None:
    odd = application("active", live="2027-01-01", retire="2026-01-01")
    assert lifecycle_at(odd, date(2026, 6, 1)) == "retired"
    assert lifecycle_at(odd, date(2027, 6, 1)) == "active"


def test_running_means_active_or_phase_out() -> None:
    a = application("proposed", **FULL)
    assert [running_at(a, d) for d in (date(2019, 1, 1), date(2021, 1, 1), date(2027, 2, 1), date(2028, 1, 1))] == [
        False,
        True,
        True,
        False,
    ]


def test_catalog_as_of_changes_lifecycles_only(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "applications/uniform.md": app(extra="vendor: idox\nproduct: Uniform\ndates:\n  retire: 2028-03-31\n"),
            "applications/cloud.md": app("Cloud", lifecycle="proposed", extra="dates:\n  live: 2028-01-01\n"),
        }
    )
    catalog = validate(root, today=date(2026, 6, 1), use_cache=False).catalog
    later = catalog_as_of(catalog, date(2028, 6, 1))
    assert {i: a.lifecycle for i, a in later.applications.items()} == {"cloud": "active", "uniform": "retired"}
    assert {i: a.lifecycle for i, a in catalog.applications.items()} == {"cloud": "proposed", "uniform": "active"}
    assert later.applications["uniform"].name == "Uniform"
    assert later.applications_for("planning-applications") == ["cloud", "uniform"]


# --- --as-of on the command line ----------------------------------------------------------------------------------


@pytest.fixture
def planned(make_repo: MakeRepo) -> Path:
    """Two planning systems now; from 2028-04-01 only the cloud one."""
    return make_repo(
        {
            "applications/uniform.md": app(
                extra="vendor: idox\nproduct: Uniform\nannual_cost: 30000\ndates:\n  retire: 2028-04-01\n"
            ),
            "applications/other.md": app("Other planning", extra="annual_cost: 10000\n"),
            "applications/cloud.md": app(
                "Cloud planning", lifecycle="proposed", extra="annual_cost: 20000\ndates:\n  live: 2027-10-01\n"
            ),
        }
    )


def _overlaps(root: Path, *extra: str) -> dict[str, list[str]]:
    result = CliRunner().invoke(
        main, ["report", "rationalisation", str(root), "--format", "json", "--today", "2026-06-01", *extra]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    return {o["capability"]: sorted(a["id"] for a in o["applications"]) for o in data["overlaps"]}


def test_as_of_on_the_rationalisation_report(planned: Path) -> None:
    assert _overlaps(planned) == {"planning-applications": ["other", "uniform"]}
    assert _overlaps(planned, "--as-of", "2028-01-01") == {"planning-applications": ["cloud", "other", "uniform"]}
    assert _overlaps(planned, "--as-of", "2028-04-01") == {"planning-applications": ["cloud", "other"]}


def test_as_of_on_the_sustainability_report(planned: Path) -> None:
    def rated(*extra: str) -> list[str]:
        result = CliRunner().invoke(main, ["report", "sustainability", str(planned), "--format", "json", *extra])
        assert result.exit_code == 0, result.output
        return sorted(r["application"] for r in json.loads(result.stdout)["ratings"])

    assert rated("--today", "2026-06-01") == ["cloud", "other", "uniform"]
    assert rated("--as-of", "2029-01-01") == ["cloud", "other"]


def test_as_of_on_the_heatmap(planned: Path, tmp_path: Path) -> None:
    def dot(*extra: str) -> str:
        out = tmp_path / "heat.dot"
        result = CliRunner().invoke(main, ["diagram", "heatmap", "-o", str(out), "--repo", str(planned), *extra])
        assert result.exit_code == 0, result.output
        return out.read_text(encoding="utf-8")

    # uniform and other now; other and cloud from 2028-04-01; other alone once it too were gone
    assert "Planning applications: 2 active applications" in dot()
    assert "Planning applications: 2 active applications" in dot("--as-of", "2028-04-01")
    assert "Planning applications: 3 active applications" in dot("--as-of", "2028-01-01")
