"""An organisation unit's ``contact`` (a team mailbox or channel): refused
when it is neither, shown with the unit wherever it owns something, and
taken from the unit above when a unit has none of its own."""

from __future__ import annotations

import pytest
from conftest import ORGANISATION, MakeRepo, expect_one, line_in, run
from test_site_pages import docs_of

from generator.models.model import Organisation

PLANNING = "architecture/organisations/planning.md"
DIRECTORATE = "---\nname: Place directorate\ntype: directorate\ncontact: place@example.gov.uk\n---\n"


@pytest.mark.parametrize(
    "value",
    ["planning@example.gov.uk", "mailto:planning@example.gov.uk", "https://teams.example.com/channel/planning"],
)
def test_a_mailbox_or_a_channel_is_a_contact(value: str) -> None:
    assert Organisation(name="Planning", type="service", contact=value).contact == value.removeprefix("mailto:")


@pytest.mark.parametrize("value", ["Jane Smith", "javascript:alert(1)", "planning at example", "ftp://x.example"])
def test_anything_else_is_refused_at_its_line(make_repo: MakeRepo, value: str) -> None:
    text = ORGANISATION.replace("type: service\n", f"type: service\ncontact: '{value}'\n")
    finding = expect_one(run(make_repo({PLANNING: text})), "EA111", PLANNING, line_in(text, "contact"))
    assert "team mailbox" in finding.message


def test_the_contact_is_shown_with_every_owner(make_repo: MakeRepo) -> None:
    text = ORGANISATION.replace("type: service\n", "type: service\ncontact: planning@example.gov.uk\n")
    docs = docs_of(make_repo({PLANNING: text}))
    mailto = '<a href="mailto:planning@example.gov.uk">planning@example.gov.uk</a>'
    for page in ("applications/uniform.md", "applications/index.md", "organisations/planning.md"):
        assert mailto in docs[page], page
    cap = docs["capabilities/planning-applications.md"]
    owner_row = cap.split("<th>Owner</th>", 1)[1].split("</tr>", 1)[0]
    assert mailto in owner_row


def test_a_unit_without_a_contact_is_reached_through_the_unit_above(make_repo: MakeRepo) -> None:
    text = ORGANISATION.replace("type: service\n", "type: service\nparent: place\n")
    docs = docs_of(make_repo({PLANNING: text, "architecture/organisations/place.md": DIRECTORATE}))
    assert 'href="mailto:place@example.gov.uk"' in docs["applications/uniform.md"]
    # the unit's own page lists only its own contact
    assert "mailto:" not in docs["organisations/planning.md"].split("## Description", 1)[0]


def test_a_channel_is_a_web_link_never_a_script() -> None:
    from generator.site.parts import contact_link

    assert contact_link("https://teams.example.com/c?a=1&b=2") == (
        '<a href="https://teams.example.com/c?a=1&amp;b=2" rel="noopener noreferrer">team channel</a>'
    )
    assert contact_link('x"@example.gov.uk') == '<a href="mailto:x&quot;@example.gov.uk">x&quot;@example.gov.uk</a>'
