"""Governance pages, generated from the hand-worked fixture in
``governance_fixture`` without running MkDocs: what each page says, how the
pages link both ways, and that staff read words, not field names, file
paths or raw values."""

from __future__ import annotations

import html
import re

import pytest
from conftest import MakeRepo
from governance_fixture import EVIL, TODAY, governance_files

from generator.checks.validate import validate
from generator.site.context import SiteContext
from generator.site.generate import generate_docs
from generator.site.urls import Urls


@pytest.fixture
def docs(make_repo: MakeRepo) -> dict[str, str]:
    root = make_repo(governance_files())
    result = validate(root, today=TODAY, use_cache=False)
    ctx = SiteContext.create(result.catalog, result.findings, TODAY, urls=Urls(False))
    return {k: v.decode("utf-8") for k, v in generate_docs(ctx).items() if k.endswith(".md")}


def text(page: str) -> str:
    """What a reader sees: tags and front matter gone, entities decoded."""
    body = page.split("---\n", 2)[2] if page.startswith("---\n") else page
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def rows(page: str) -> list[str]:
    return [" ".join(text(r).split()) for r in re.findall(r"<tr[^>]*>.*?</tr>", page, re.S)]


def test_entrance_hall_lists_every_request_open_first_with_filters(docs: dict[str, str]) -> None:
    page = docs["entrance-hall.md"]
    body = [r for r in rows(page) if not r.startswith("Request ")]
    assert body == [
        "Street lighting sensors Submitted Planning and Building Control 20 February 2027 9 days "
        "25 February 2027 (passed) 9 June 2027",
        f"{EVIL} Being triaged Planning and Building Control 15 February 2027 2 weeks 30 September 2027 10 March 2027",
        "Housing repairs portal Being assessed Housing Services 5 January 2027 7 weeks 1 February 2027 (passed) "
        "10 March 2027",
        "Planning register online Delivered Planning and Building Control 1 June 2026 Not yet planned",
    ]
    for key in ("status", "service", "meeting"):
        assert f'data-ea-filter="{key}"' in page
    assert 'data-status="Being triaged"' in page and 'data-meeting="Not yet planned"' in page
    assert "Half have waited longer than 2 weeks; the longest has waited 7 weeks." in text(page)
    assert "<script>alert" not in page  # the request's name is escaped


def test_proposal_page_carries_its_assessment(docs: dict[str, str]) -> None:
    page = docs["proposals/2027-001-repairs-portal.md"]
    seen = text(page)
    for heading in (
        "## What the council already has",
        "## Options and their climate position",
        "## Principles",
        "## Corporate priorities it serves",
    ):
        assert heading in page
    assert (
        "Customer records In-house Planning and Building Control Ends 31 December 2027 Notice by 30 September 2027"
        in (" ".join(seen.split()))
    )
    assert (
        "Buy a repairs portal Recommended New Idox Repairs Online SaaS £12,000 £30,000 A "
        "rated from the supplier's and the solution's facts"
    ) in rows(page)
    assert "Reuse before buy Partly meets Uniform covers half of what is asked." in rows(page)
    assert "1 February 2027: that date has passed and the request is still open" in seen
    assert 'href="../meetings/2027-03-10.html"' in page


def test_decision_log_is_newest_first_with_supersession_both_ways(docs: dict[str, str]) -> None:
    page = docs["decisions/index.md"]
    body = [r for r in rows(page) if not r.startswith("Date ")]
    assert body == [
        "1 October 2026 One revenues system Accepted Digital Group Replaces Two revenues systems for now",
        "1 September 2026 Uniform stays the planning system Accepted Digital Group",
        "1 April 2026 Two revenues systems for now Replaced Digital Group Replaced by One revenues system",
    ]
    old = text(docs["decisions/0003-two-revenues-systems.md"])
    assert "This decision was replaced by One revenues system" in " ".join(old.split())
    new = rows(docs["decisions/0002-one-revenues-system.md"])
    assert "Replaces Two revenues systems for now" in new


def test_decision_page_has_its_record_and_what_it_is_about(docs: dict[str, str]) -> None:
    page = docs["decisions/0001-uniform-stays.md"]
    facts = rows(page)
    assert "Requests it decides Planning register online" in facts  # named by the proposal, not the decision
    assert "Systems it is about Uniform" in facts
    assert "Principles it applies Reuse before buy" in facts
    assert "To be reviewed by 1 May 2027" in facts
    assert "<h4>Context</h4>" in page and "<p>Keep Uniform.</p>" in page  # the MADR body, headings moved down


def test_principle_and_priority_pages(docs: dict[str, str]) -> None:
    principle = docs["principles/reuse-first.md"]
    assert "We use what the council already runs before we buy anything new." in text(principle)
    assert "A request names the systems it could reuse." in text(principle)
    assessed = rows(principle)
    assert "Housing repairs portal Being assessed Partly meets Uniform covers half of what is asked." in assessed
    assert "Planning register online Delivered Meets" in assessed
    assert "Uniform stays the planning system" in text(principle)  # a decision applying it
    priority = docs["priorities/net-zero.md"]
    served = [r for r in rows(priority) if r.startswith(("Street", "Chat", "Housing", "Planning register"))]
    assert [r.split(" ")[0] for r in served] == ["Street", "Chat", "Housing", "Planning"]  # by status
    assert "4 requests serve this priority, with one-off costs of £45,000 where estimated." in text(priority)
    assert "Uniform stays the planning system" in text(priority)


def test_decisions_on_application_and_capability_pages(docs: dict[str, str]) -> None:
    for doc in ("applications/uniform.md", "capabilities/planning-applications.md"):
        section = docs[doc].split("## Decisions\n", 1)[1].split("\n## ", 1)[0]
        assert "1 September 2026: Uniform stays the planning system Accepted" in " ".join(text(section).split())
    assert "## Decisions\n" not in docs["applications/scanner.md"]


def test_meeting_pages(docs: dict[str, str]) -> None:
    page = docs["meetings/2027-03-10.md"]
    assert "Digital Group meeting on 10 March 2027" in page
    taken = rows(page)
    assert any(r.startswith("Housing repairs portal Being assessed Housing Services 1 February 2027") for r in taken)
    assert "Uniform 30 March 2027 30 September 2027" in taken  # a contract needing a decision
    assert "Uniform stays the planning system" in text(page)  # review due before 9 June
    index = text(docs["meetings/index.md"])
    assert index.index("9 June 2027") < index.index("10 March 2027")


def test_staff_pages_show_no_field_names_paths_or_raw_values(docs: dict[str, str]) -> None:
    pages = [
        p
        for d, p in docs.items()
        if d.split("/")[0] in ("entrance-hall.md", "proposals", "decisions", "meetings", "principles", "priorities")
    ]
    assert len(pages) == 16
    for page in pages:
        seen = text(page)
        for raw in (
            "needed_by",
            "requested_by",
            "review_by",
            "supersedes",
            ".md",
            "2027-03-10",
            "assessment:",
            "triage ",
        ):
            assert raw not in seen, (raw, seen[:300])
