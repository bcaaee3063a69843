"""The example council's governance layer: what the README promises of it,
and its assessments computed on the real estate."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest import mercia_vale_only

from generator.analysis.governance import assess_all
from generator.catalog import Catalog
from generator.findings import Finding
from generator.model import PROPOSAL_STATUSES
from generator.validate import validate

ROOT = Path(__file__).resolve().parents[1]
TODAY = date(2026, 6, 1)

pytestmark = mercia_vale_only


@pytest.fixture(scope="module")
def result() -> tuple[Catalog, list[Finding]]:
    found = validate(ROOT, today=TODAY, use_cache=False)
    return found.catalog, found.findings


def test_the_layer_is_as_the_readme_describes(result: tuple[Catalog, list[Finding]]) -> None:
    catalog, findings = result
    assert not [f for f in findings if f.severity == "error"]
    assert 4 <= len(catalog.priorities) <= 6
    assert 10 <= len(catalog.proposals) <= 15 and 8 <= len(catalog.decisions) <= 12
    assert {p.status for p in catalog.proposals.values()} == set(PROPOSAL_STATUSES)
    assert len({p.meeting for p in catalog.proposals.values() if p.meeting}) == 2
    assert any(d.supersedes for d in catalog.decisions.values())
    reused = {o.application for p in catalog.proposals.values() for o in p.options}
    assert {"govuk-notify", "govuk-pay", "govuk-one-login"} <= reused
    statuses = {p.status for p in catalog.principles.values()}
    assert statuses == {"agreed", "draft", "retired"}
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for code in {f.code for f in findings if f.code >= "EA200"}:
        assert f"| {code} |" in readme.split("## Layout")[0], f"{code} is not in the README's table of warnings"


def test_the_deliberate_warnings(result: tuple[Catalog, list[Finding]]) -> None:
    _, findings = result
    governance = sorted((f.code, f.path.split("/")[-1]) for f in findings if "EA200" <= f.code < "EA230")
    assert governance == [
        ("EA210", "2026-022-ai-notes-for-social-work-visits.md"),
        ("EA211", "2026-011-housing-crm.md"),
        ("EA214", "2026-017-blue-badge-fee-on-gov-uk-pay.md"),
        ("EA215", "2026-019-parking-permits-for-westmere.md"),
    ]


def test_assessments_on_the_real_estate(result: tuple[Catalog, list[Finding]]) -> None:
    catalog, _ = result
    assessments = assess_all(catalog, TODAY)
    crm = assessments["2026-011-housing-crm"]
    # what the council runs for case management; the two being migrated away are no reuse candidates
    assert [(e.application, e.reuse_candidate) for e in crm.existing] == [
        ("dynamics-365-customer-service", True),
        ("firmstep-northfield", False),
        ("liberty-create-southbrook", False),
    ]
    assert not crm.reuse_considered
    garden = assessments["2026-004-garden-waste-subscriptions-on-gov-uk-pay"]
    reuse_pay = garden.options[0]
    assert (reuse_pay.application, reuse_pay.rated_from) == ("govuk-pay", "application")
    # Bartec's portal is rated from its own facts and Bartec's supplier record
    assert garden.options[2].rated_from == "option" and garden.options[2].rating is not None
    assert garden.decisions == ["0007-garden-waste-on-gov-uk-pay"]
    assert [p.priority for p in garden.priorities] == ["easy-to-deal-with", "living-within-our-means"]
    homes = assessments["2025-031-housing-repairs-reporting"]
    assert {p.theme for p in homes.priorities} == {"thriving-communities", None}
