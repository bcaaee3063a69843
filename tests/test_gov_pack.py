"""`ea pack`: the Digital Group's papers for one meeting, checked against
the hand-worked fixture in ``governance_fixture`` (its docstring says what
each part must hold and why)."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import MakeRepo
from governance_fixture import MEETING, NEXT_MEETING, TODAY, governance_files

from generator.analysis.governance import assess
from generator.checks.validate import validate
from generator.cli import main
from generator.site.pack import Facts, Table, assessment_blocks, build_pack, render_html, render_markdown


@pytest.fixture
def repo(make_repo: MakeRepo) -> Path:
    return make_repo(governance_files())


def _pack(root: Path, meeting: date = MEETING):
    result = validate(root, today=TODAY, use_cache=False)
    return build_pack(result.catalog, meeting, today=TODAY)


def test_the_papers_hold_what_the_meeting_needs(repo: Path) -> None:
    pack = _pack(repo)
    assert pack.next_meeting == NEXT_MEETING and pack.review_before == NEXT_MEETING
    assert pack.proposals == ["2027-001-repairs-portal", "2027-002-planning-chat"]
    assert pack.reviews == ["0001-uniform-stays"]
    assert [(c.application, c.notice_date) for c in pack.contracts] == [
        ("uniform", date(2027, 3, 30)),
        ("scanner", date(2027, 6, 10)),
    ]
    assert pack.late == ["2027-001-repairs-portal", "2027-003-street-lighting"]
    assert pack.pipeline.counts == {
        "submitted": 1,
        "triage": 1,
        "assessment": 1,
        "approved": 0,
        "rejected": 0,
        "deferred": 0,
        "withdrawn": 0,
        "delivered": 1,
    }
    assert pack.pipeline.median_age_days == 14 and pack.pipeline.oldest_age_days == 55


def test_each_request_has_its_assessment(repo: Path) -> None:
    text = render_markdown(_pack(repo))
    portal = text.split("### 1.1 Housing repairs portal", 1)[1].split("### 1.2", 1)[0]
    assert "| **Needed by** | 1 February 2027 \\(passed\\) |" in portal
    assert "| Buy a repairs portal \\(recommended\\) | New: Idox, Repairs Online | SaaS | £12,000 | £30,000 | A |" in (
        portal
    )
    assert "| Extend Uniform | Reuse Uniform | SaaS |  |  | A |" in portal
    assert "| Reuse before buy | Partly meets | Uniform covers half of what is asked. |" in portal
    assert (
        "| Uniform | Idox | Planning and Building Control |  | ends 30 September 2027, notice by 30 March 2027 |"
        in (portal)
    )
    assert "- Net zero council by 2030" in portal
    # the sections in order, each counted
    headings = re.findall(r"^## (.*)$", text, re.M)
    assert headings == [
        "1. Requests for decision \\(2\\)",
        "2. Decisions to review \\(1\\)",
        "3. Contracts needing a decision \\(2\\)",
        "4. Requests past the date they were needed \\(2\\)",
        "5. The Entrance Hall pipeline",
    ]
    assert "median wait 2 weeks \\(14 days\\), longest 7 weeks" in text


def test_the_papers_rate_systems_and_options_as_every_other_view(repo: Path) -> None:
    # the papers rate only the applications their requests touch, on demand;
    # the result must be the assessment made with every application rated
    result = validate(repo, today=TODAY, use_cache=False)
    pack = build_pack(result.catalog, MEETING, today=TODAY)
    full = [assessment_blocks(assess(result.catalog, pid, TODAY)) for pid in pack.proposals]
    rated = {"TIME decision", "Climate rating"}

    def tables(blocks: list) -> list[Table]:
        return [b for b in blocks if isinstance(b, Table) and rated & set(b.headers)]

    expected = [t for blocks in full for t in tables(blocks)]
    assert tables(pack.blocks) == expected
    assert any(row[-1] == "A" for t in expected for row in t.rows)  # ratings were there to compare


def test_markdown_escapes_every_value(repo: Path) -> None:
    text = render_markdown(_pack(repo))
    assert "<script>" not in text and "<b>" not in text and "@team" not in text
    assert "### 1.2 Chat \\<script\\>alert\\(1\\)\\</script\\> \\| \\*fast\\* &#64;team" in text
    assert "> Answer planning questions &lt;b&gt;out of hours&lt;/b&gt;." in text
    for line in text.splitlines():
        if line.startswith("| ") and "Chat" in line:
            assert line.count(" | ") == len(line.split(" | ")) - 1  # no unescaped pipe adds a cell


def test_html_is_one_self_contained_printable_file(repo: Path) -> None:
    page = render_html(_pack(repo))
    assert page.startswith("<!DOCTYPE html>") and '<html lang="en-GB">' in page
    assert "@media print" in page and "break-before: page" in page
    for external in ("src=", "href=", "<link", "<script", "url(", "@import", "http://", "https://"):
        assert external not in page, external
    assert "default-src 'none'" in page
    assert '<h3 class="new-page">1.2 Chat &lt;script&gt;alert(1)&lt;/script&gt; | *fast* @team</h3>' in page
    assert "&lt;b&gt;out of hours&lt;/b&gt;" in page
    assert page.count("<table") == sum(1 for b in _pack(repo).blocks if isinstance(b, Table | Facts)) == 11


def test_a_meeting_with_no_requests_says_so(repo: Path) -> None:
    pack = _pack(repo, date(2027, 4, 1))
    assert pack.proposals == [] and pack.next_meeting == NEXT_MEETING
    assert "No request from the Entrance Hall is planned for this meeting." in render_markdown(pack)


def test_cli_writes_markdown_or_html_and_refuses_other_files(repo: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    args = ["pack", "-C", str(repo), "--meeting", "2027-03-10", "--today", "2027-03-01"]
    out = tmp_path / "papers.html"
    result = runner.invoke(main, [*args, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "2 requests, 1 decisions to review, 2 contracts" in result.output
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    result = runner.invoke(main, args)
    assert result.exit_code == 0 and result.stdout.startswith("# Digital Group papers: meeting on 10 March 2027")
    result = runner.invoke(main, [*args, "-o", str(tmp_path / "papers.pdf")])
    assert result.exit_code == 2 and "must end in .md or .html" in result.output


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_since_adds_what_changed_since_the_last_meeting(repo: Path) -> None:
    def git(*args: str) -> None:
        subprocess.run(
            ["git", "-c", "user.name=T", "-c", "user.email=t@example.invalid", *args],
            cwd=repo,
            check=True,
            capture_output=True,
        )

    git("init", "-q", "-b", "main")
    git("add", "-A")
    git("commit", "-qm", "last meeting")
    path = repo / "applications" / "scanner.md"
    path.write_text(path.read_text().replace("lifecycle: active", "lifecycle: retired"))
    result = CliRunner().invoke(
        main, ["pack", "-C", str(repo), "--meeting", "2027-03-10", "--today", "2027-03-01", "--since", "main"]
    )
    assert result.exit_code == 0, result.output
    changed = result.stdout.split("## 6. Changed since the last meeting", 1)[1]
    assert "| application | Document scanner | Lifecycle: active to retired |" in changed
    # a retired system's contract needs no decision any more
    assert "3. Contracts needing a decision \\(1\\)" in result.stdout
    bad = CliRunner().invoke(main, ["pack", "-C", str(repo), "--meeting", "2027-03-10", "--since", "nope"])
    assert bad.exit_code == 2 and "git knows no revision 'nope'" in bad.output


def test_the_message_about_errors_says_which_files_are_left_out(repo: Path) -> None:
    """A broken reference is an error, but its file is in the papers as it
    stands; only a file whose fields cannot be read is left out, and the
    message on standard error says how many there are."""
    args = ["pack", "-C", str(repo), "--meeting", "2027-03-10", "--today", "2027-03-01"]
    apps = sorted((repo / "applications").rglob("*.md"))
    text = apps[0].read_text(encoding="utf-8")
    apps[0].write_text(re.sub(r"(?m)^owner: .*$", "owner: no-such-unit", text, count=1), encoding="utf-8")
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0
    assert "error" in result.stderr and "left out" not in result.stderr
    (repo / "applications" / "broken.md").write_text("---\nname: [unclosed\n---\n", encoding="utf-8")
    result = CliRunner().invoke(main, args)
    assert "1 file whose fields could not be read is left out of the papers" in result.stderr
