"""Parsing one content file: frontmatter values, the key -> line map, the body,
encodings and line endings, and hostile input (which becomes findings, never
exceptions or crashes)."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, datetime

import pytest
from conftest import TODAY, MakeRepo, app, run, show

from generator.core.findings import CODES, Severity
from generator.documents.document import MAX_FILE_BYTES, line_of, pack_lines, parse_bytes, parse_text, unpack_lines

TEXT = """\
---
name: Uniform
capabilities:
  - planning-applications
  - building-control
contract:
  end: 2027-03-31
  notice_months: 6
depends_on:
  - idox-docs
  - app: payments
    data: planning fees
---
# Uniform

The planning system.
"""


def test_values_lines_and_body() -> None:
    doc = parse_text("applications/uniform.md", TEXT)
    assert doc.problems == []
    assert doc.data == {
        "name": "Uniform",
        "capabilities": ["planning-applications", "building-control"],
        "contract": {"end": date(2027, 3, 31), "notice_months": 6},
        "depends_on": ["idox-docs", {"app": "payments", "data": "planning fees"}],
    }
    assert doc.lines[("name",)] == 2
    assert doc.lines[("capabilities", 1)] == 5
    assert doc.lines[("contract", "notice_months")] == 8
    assert doc.lines[("depends_on", 0)] == 10
    assert doc.lines[("depends_on", 1)] == 11
    assert doc.lines[("depends_on", 1, "data")] == 12
    assert doc.body == "# Uniform\n\nThe planning system.\n"
    assert doc.body_line == 14


def test_line_falls_back_to_the_deepest_known_key() -> None:
    doc = parse_text("a.md", TEXT)
    assert doc.line(("contract", "reference")) == 6  # missing key: its mapping
    assert doc.line(("depends_on", 0, "app")) == 10  # shorthand item: the item
    assert doc.line(("owner",)) == 1  # missing top-level key: the frontmatter


@pytest.mark.parametrize(
    ("raw", "where"),
    [
        pytest.param(TEXT.replace("\n", "\r\n").encode(), "crlf", id="crlf"),
        pytest.param(b"\xef\xbb\xbf" + TEXT.encode(), "bom", id="bom"),
        pytest.param(b"\xef\xbb\xbf" + TEXT.replace("\n", "\r\n").encode(), "both", id="bom-crlf"),
        pytest.param(TEXT.replace("\n", "\r").encode(), "cr", id="old-mac-cr"),
    ],
)
def test_bom_and_line_endings(raw: bytes, where: str) -> None:
    doc = parse_bytes("a.md", raw)
    expected = parse_text("a.md", TEXT)
    assert doc.problems == []
    assert doc.data == expected.data, where
    assert doc.lines == expected.lines, where
    assert doc.body == expected.body, where


def test_yaml_1_1_values_are_kept_as_yaml_reads_them() -> None:
    """So a text field can refuse them instead of silently holding 'False'."""
    doc = parse_text("a.md", '---\nname: NO\nproduct: 1.10\nquoted: "NO"\nold: 010\nhex: 0x1F\nbig: 1_000\n---\n')
    assert doc.problems == []
    assert doc.data == {"name": False, "product": 1.1, "quoted": "NO", "old": 8, "hex": 31, "big": 1000}
    assert isinstance(doc.data["product"], float)


def test_dates_and_times() -> None:
    doc = parse_text("a.md", "---\nday: 2027-03-31\nwhen: 2027-03-31 10:30:00\nnot_a_day: 2027-13-01\n---\n")
    assert doc.data == {"day": date(2027, 3, 31), "when": datetime(2027, 3, 31, 10, 30), "not_a_day": "2027-13-01"}


def test_boolean_and_number_keys_become_text() -> None:
    doc = parse_text("a.md", "---\npoints:\n  true: 4\n  false: 0\n  3: 1\n---\n")
    assert doc.data == {"points": {"true": 4, "false": 0, "3": 1}}


@pytest.mark.parametrize("closing", ["---", "...", "---   "])
def test_frontmatter_closing_lines(closing: str) -> None:
    doc = parse_text("a.md", f"---\nname: A\n{closing}\nbody\n")
    assert (doc.data, doc.body, doc.problems) == ({"name": "A"}, "body\n", [])


def test_empty_frontmatter_is_an_empty_mapping() -> None:
    doc = parse_text("a.md", "---\n---\nbody\n")
    assert (doc.data, doc.problems) == ({}, [])


def test_a_key_that_is_a_list_is_refused() -> None:
    doc = parse_text("a.md", "---\nname: A\n? [a, b]\n: c\n---\n")
    assert doc.data is None
    assert [(p.code, p.line) for p in doc.problems] == [("EA111", 3)]


def test_file_too_large() -> None:
    doc = parse_bytes("a.md", b"---\nname: A\n---\n" + b"x" * MAX_FILE_BYTES)
    assert doc.data is None
    assert [(p.code, p.path, p.line) for p in doc.problems] == [("EA106", "a.md", 0)]


def test_not_utf8_reports_the_line() -> None:
    doc = parse_bytes("a.md", b"---\nname: A\nproduct: caf\xe9\n---\n")
    assert [(p.code, p.line) for p in doc.problems] == [("EA100", 3)]
    assert "0xe9" in doc.problems[0].message


def test_alias_is_refused_before_expansion() -> None:
    doc = parse_text("a.md", "---\nname: A\nx: &x [1, 2]\ny: *x\n---\n")
    assert doc.data is None
    assert [(p.code, p.line) for p in doc.problems] == [("EA105", 3)]


def test_alias_without_anchor_is_refused() -> None:
    doc = parse_text("a.md", "---\nname: A\ny: *x\n---\n")
    assert [(p.code, p.line) for p in doc.problems] == [("EA105", 3)]


def test_non_standard_tag_is_refused() -> None:
    doc = parse_text("a.md", "---\nname: !custom A\n---\n")
    assert [(p.code, p.line) for p in doc.problems] == [("EA105", 2)]


def test_standard_tags_are_fine() -> None:
    doc = parse_text("a.md", "---\nname: !!str 2027\n---\n")
    assert (doc.data, doc.problems) == ({"name": "2027"}, [])


def test_ampersand_and_star_in_text_are_not_anchors() -> None:
    doc = parse_text("a.md", "---\nname: R&D * 2\ntags: ['*', '&x']\n---\n")
    assert doc.problems == []
    assert doc.data == {"name": "R&D * 2", "tags": ["*", "&x"]}


def test_unicode_line_separators_are_not_newlines() -> None:
    """YAML 1.1 counts NEL and U+2028/U+2029 as line breaks; editors, git and CI
    annotations count newlines only, so the key lines must too."""
    text = '---\nname: "Uniform\x85North\u2028South\u2029West"\nowner: planning\n---\n'
    doc = parse_text("a.md", text)
    assert doc.problems == []
    assert doc.lines[("owner",)] == 3


def test_control_character_is_reported_at_its_line() -> None:
    doc = parse_text("a.md", "---\nname: A\nowner: x\nproduct: Uni\x07form\n---\n")
    assert [(p.code, p.line) for p in doc.problems] == [("EA102", 4)]


# --- hostile nesting ---------------------------------------------------------------------------------------------


def _nested(depth: int) -> str:
    return "---\nname: Deep\ntags: " + "[" * depth + "]" * depth + "\n---\n"


def test_deep_nesting_never_raises() -> None:
    """A few kilobytes of brackets must become a finding, not a RecursionError."""
    doc = parse_text("applications/deep.md", _nested(3000))
    assert doc.data is not None or doc.problems
    assert all(p.code in CODES for p in doc.problems)


def test_deep_nesting_is_reported_by_validate(make_repo: MakeRepo) -> None:
    root = make_repo({"applications/deep.md": _nested(3000)})
    findings = run(root)
    deep = [f for f in findings if f.path == "applications/deep.md"]
    assert deep and all(f.severity is Severity.ERROR for f in deep), show(findings)


def test_very_deep_nesting_does_not_crash_the_process(make_repo: MakeRepo) -> None:
    """libyaml's composer recurses in C: 100,000 brackets (200 kB, well under
    the size limit) must not overflow the stack and kill the run."""
    root = make_repo({"applications/deep.md": _nested(100_000)})
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "validate",
            str(root),
            "--format",
            "json",
            "--no-cache",
            "--today",
            "2026-06-01",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1, f"exit {proc.returncode}: {proc.stderr[-2000:]}"
    report = json.loads(proc.stdout)
    deep = [f for f in report["findings"] if f["path"] == "applications/deep.md"]
    assert deep and all(f["severity"] == "error" for f in deep), report


def test_many_small_files_with_every_problem_never_raise(make_repo: MakeRepo) -> None:
    """A mixed bag in one run: every file's problem is reported, the others load."""
    files = {
        "applications/a.md": b"\xff\xfe",
        "applications/b.md": "---\n[\n---\n",
        "applications/c.md": "---\n- x\n---\n",
        "applications/d.md": "---\na: 1\na: 2\n---\n",
        "applications/e.md": "no frontmatter",
        "applications/f.md": app("Fine system"),
    }
    findings = run(make_repo(files), today=TODAY)
    by_path = {f.path: f.code for f in findings if f.path.startswith("applications/") and f.path != "applications/f.md"}
    assert by_path == {
        "applications/a.md": "EA100",
        "applications/b.md": "EA102",
        "applications/c.md": "EA103",
        "applications/d.md": "EA104",
        "applications/e.md": "EA101",
    }
    assert [f for f in findings if f.path == "applications/f.md"] == []


def test_sexagesimal_numbers_stay_text() -> None:
    """YAML 1.1 reads `1:30` as 90; nobody writing `users: 1:30` means that."""
    doc = parse_text("a.md", "---\nusers: 1:30\nversion: 2:15.5\ncount: 90\n---\n")
    assert doc.data == {"users": "1:30", "version": "2:15.5", "count": 90}


@pytest.mark.parametrize(
    "deep",
    [
        "---\nx:\n  " + "- " * 70 + "leaf\n---\n",
        "---\n" + "".join(f"{'  ' * i}k{i}:\n" for i in range(70)) + f"{'  ' * 70}leaf\n---\n",
    ],
    ids=["dashes", "indent"],
)
def test_deep_nesting_without_brackets_is_refused(deep: str) -> None:
    """Nesting spelt with '- ' runs or indentation is caught too, not only
    bracket nesting."""
    doc = parse_text("applications/deep.md", deep)
    assert [p.code for p in doc.problems] == ["EA108"]


KEY_TEXTS = [
    TEXT,
    "---\nname: x\n'': empty key\n\"a\\x1eb\": control character\nlist:\n  - [1, {k: v}]\n---\n",
    "---\n'0': text zero\n0x1: hex\ntrue: yes\n---\n",
]


@pytest.mark.parametrize("text", KEY_TEXTS, ids=["ordinary", "odd-keys", "number-keys"])
def test_packed_key_lines_give_the_same_lines(text: str) -> None:
    """Key lines travel between processes and into the cache packed; every
    key path, every missing child of one and every unknown path reads the
    same line from the packed form as from the map."""
    doc = parse_text("a.md", text)
    assert doc.problems == []
    packed = pack_lines(doc.lines)
    assert isinstance(packed, bytes)
    assert unpack_lines(packed) == doc.lines
    paths = [*doc.lines, ("missing",), ("list", 0, 5), ("name", "child"), (0,), ("0",)]
    for loc in paths:
        assert line_of(packed, loc) == line_of(doc.lines, loc) == doc.line(loc)
