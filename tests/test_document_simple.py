"""The simple reader (``generator.documents.simple``) against libyaml.

Whatever the text, a file must mean the same read either way: the same
values of the same types, the same key lines, the same findings. The simple
reader may give up on anything (the file is then composed as before); what
it reads, it must read exactly as libyaml's node tree does.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from generator.documents import document
from generator.documents.document import Document, parse_text
from generator.documents.simple import read_simple

ROOT = Path(__file__).resolve().parents[1]


@contextlib.contextmanager
def composed_only() -> Iterator[None]:
    """Parse with libyaml's node tree alone, as before the simple reader."""
    saved = document.read_simple
    document.read_simple = lambda *args: None  # type: ignore[assignment]
    try:
        yield
    finally:
        document.read_simple = saved


def shape(value: Any) -> Any:
    """A value with the type of every part spelt out: 1, 1.0 and True differ."""
    if isinstance(value, dict):
        return {k: shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [shape(v) for v in value]
    return (type(value).__name__, value)


def both(text: str) -> tuple[Document, Document]:
    simple = parse_text("applications/a.md", text)
    with composed_only():
        full = parse_text("applications/a.md", text)
    return simple, full


def assert_same(text: str) -> None:
    simple, full = both(text)
    assert shape(simple.data) == shape(full.data), text
    assert simple.lines == full.lines, text
    assert simple.problems == full.problems, text
    assert (simple.body, simple.body_line) == (full.body, full.body_line)


KEYS = ["name", "vendor", "a_b", "a-b", "_x", "y", "n", "on", "No", "null", "True", "é", "1", "<<", "k k", "'q'", "~"]
VALUES = [
    "Civica Pay",
    "Roads & Transport",
    "C#",
    "a#b",
    "a #b",
    "a: b",
    "a:b",
    "http://example.org/x?y=1",
    "x:",
    "yes",
    "No",
    "ON",
    "~",
    "null",
    "NULL",
    "",
    "0",
    "1",
    "010",
    "0x1F",
    "0o17",
    "1_000",
    "-1",
    "+1",
    "1:30",
    "1.5",
    "1.10",
    "1e3",
    ".inf",
    "-.INF",
    ".nan",
    "2026-01-31",
    "2026-13-01",
    "2026-1-1",
    "2026-01-31 10:00:00",
    "2026-01-31T10:00:00Z",
    "'quoted'",
    "'it''s'",
    "''",
    '"double"',
    '"esc\\n"',
    '"a\'b"',
    "'a\"b'",
    "'unclosed",
    "[a, b]",
    "[Roads and Transport, HR]",
    "[]",
    "[ ]",
    "[a, [b]]",
    "[a,]",
    "[a, , b]",
    "[yes, 1, 2026-01-31, ~]",
    "[a: b]",
    "[a #b]",
    "[ 'x' ]",
    "[a, b] c",
    "{a: 1}",
    "&x a",
    "*x",
    "!!str 1",
    "!x a",
    "|",
    ">-",
    "-",
    "- a",
    "-a",
    "? x",
    "%x",
    "@x",
    "`x`",
    "=",
    "<<",
    "\u00a0x",
    "x\u00a0",
    "a\tb",
    "a\x85b",
    "a\u2028b",
    "\ufeffa",
    "a\x7fb",
    "a\x01b",
    "naïve café",
    "\U0001f600",
    "--- x",
    "...",
]
LINE_KINDS = st.sampled_from(["pair", "key", "dash", "dash pair", "dash key", "dash alone", "comment", "blank", "raw"])


@st.composite
def frontmatter(draw: st.DrawFn) -> str:
    """Frontmatter-like text: mostly the shapes real files have, indented
    more or less as they should be, with awkward keys and values."""
    out = []
    for _ in range(draw(st.integers(1, 12))):
        indent = " " * draw(st.sampled_from([0, 0, 0, 2, 2, 4, 1, 3, 6]))
        kind = draw(LINE_KINDS)
        key = draw(st.sampled_from(KEYS))
        value = draw(st.sampled_from(VALUES))
        trail = draw(st.sampled_from(["", "", " ", "  # note", "\t"]))
        line = {
            "pair": f"{key}: {value}",
            "key": f"{key}:",
            "dash": f"- {value}",
            "dash pair": f"- {key}: {value}",
            "dash key": f"- {key}:",
            "dash alone": "-",
            "comment": "# a comment",
            "blank": "",
            "raw": value,
        }[kind]
        out.append(indent + line + trail)
    return "---\n" + "\n".join(out) + "\n---\nBody text.\n"


#: Values and keys of the shape most files have: half the texts drawn hold
#: only these (and are read the simple way), half mix in the awkward ones.
USUAL = ["Civica Pay", "C#", "yes", "No", "~", "1", "010", "1.5", "1:30", "2026-01-31", "'SYN-1'", '"x y"', "a:b", ""]
USUAL_KEYS = ["name", "vendor", "a_b", "_x", "é", "owner", "tags"]


def tree(depth: int, scalars: st.SearchStrategy[str], names: st.SearchStrategy[str]) -> st.SearchStrategy[Any]:
    """A value as frontmatter holds it: text, a list written [a, b], a
    mapping, a list of values or a list of mappings."""
    scalar = st.tuples(st.just("scalar"), scalars)
    flow = st.tuples(st.just("flow"), st.lists(scalars.filter(bool), max_size=4))
    if depth == 0:
        return st.one_of(scalar, flow)
    inner = tree(depth - 1, scalars, names)
    pairs = st.lists(st.tuples(names, inner), min_size=1, max_size=4, unique_by=lambda pair: pair[0])
    mapping = st.tuples(st.just("map"), pairs)
    items = st.lists(st.one_of(scalar.filter(lambda s: bool(s[1])), mapping), min_size=1, max_size=3)
    return st.one_of(scalar, flow, mapping, st.tuples(st.just("list"), items))


@st.composite
def structured(draw: st.DrawFn) -> str:
    """Frontmatter rendered from a tree in block style, nested by two or four
    spaces, lists at or below their key, then perhaps disturbed once (a line
    moved left or right, a note after a value, a line run on)."""
    out: list[str] = []

    def render(pairs: list[tuple[str, Any]], indent: int, first_prefix: str | None = None) -> None:
        for n, (key, (kind, value)) in enumerate(pairs):
            lead = first_prefix if (n == 0 and first_prefix is not None) else " " * indent
            if kind == "scalar":
                out.append(f"{lead}{key}: {value}")
            elif kind == "flow":
                out.append(f"{lead}{key}: [{', '.join(value)}]")
            elif kind == "map":
                out.append(f"{lead}{key}:")
                render(value, indent + draw(st.sampled_from([2, 4])))
            else:
                out.append(f"{lead}{key}:")
                at = indent + draw(st.sampled_from([0, 2]))
                for item_kind, item in value:
                    if item_kind == "scalar":
                        out.append(f"{' ' * at}- {item}")
                    else:
                        render(item, at + 2, first_prefix=f"{' ' * at}- ")

    usual = draw(st.booleans())
    scalars = st.sampled_from(USUAL if usual else USUAL + VALUES)
    names = st.sampled_from(USUAL_KEYS if usual else USUAL_KEYS + KEYS)
    top = st.lists(st.tuples(names, tree(2, scalars, names)), min_size=1, max_size=6, unique_by=lambda pair: pair[0])
    render(draw(top), 0)
    if out and draw(st.booleans()):
        where = draw(st.integers(0, len(out) - 1))
        change = draw(st.sampled_from(["left", "right", "note", "run on", "comment", "blank"]))
        if change == "left" and out[where].startswith(" "):
            out[where] = out[where][1:]
        elif change == "right":
            out[where] = " " + out[where]
        elif change == "note":
            out[where] += "  # note"
        elif change == "run on":
            out.insert(where + 1, "   more words")
        elif change == "comment":
            out.insert(where, "# a comment")
        else:
            out.insert(where, "")
    return "---\n" + "\n".join(out) + "\n---\nBody text.\n"


@given(structured())
@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_simple_reader_reads_structured_frontmatter_as_libyaml_does(text: str) -> None:
    assert_same(text)


@given(frontmatter())
@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@example("---\nname: A\ntags:\n- a\n- b\nowner: x\n---\n")
@example("---\ndepends_on:\n  - app: a\n    data: d\n  - app: b\n---\n")
@example("---\na:\n  - b: 1\n    c:\n    - d\n  - e\n---\n")
@example("---\na:\n    b: 1\n  c: 2\n---\n")
@example("---\na: [x, y]\n  b\n---\n")
@example("---\na: b\n c\n---\n")
@example("---\n- a\n---\n")
@example("---\n" + "a" * 1024 + ": 1\n---\n")
@example("---\n" + "a" * 1025 + ": 1\n---\n")
@example("---\nx:\n- " + "é" * 1025 + ": 1\n---\n")
@example("---\n" + "k" * 1025 + ":\n---\n")
@example("---\na:\n  b:\n- x\n---\n")
@example("---\na:\n  - b: 1\n  c: 2\n---\n")
@example("---\na:\n- b:\n  - c\n- d\n---\n")
@example("---\na:\n  - b\n - c\n---\n")
@example("---\na:\n - b\n  - c\n---\n")
@example("---\n- b: 1\n---\n")
@example("---\na: 'x'y\n---\n")
@example("---\na: [b, c]]\n---\n")
@example("---\n# only a comment\n---\n")
@example("---\na: 1\na: 2\n---\n")
def test_simple_reader_reads_as_libyaml_does(text: str) -> None:
    assert_same(text)


def test_simple_reader_reads_the_usual_shapes() -> None:
    """The reader must not give up on what real files hold, or a cold run
    loses its speed without any test failing."""
    text = (
        "name: Civica Pay (Westmere)\n"
        "capabilities: [payments, online-services]\n"
        "annual_cost: 24000\n"
        "reference: 'SYN-0001'\n"
        "contract:\n  end: 2027-01-31\n  notice_months: 3\n"
        "depends_on:\n  - app: a\n    data: payments taken in forms\n"
        "tags:\n- forms\n- consolidation\n"
        "# a comment line\n"
        "own_data_centre: false\n"
    )
    found = read_simple(text, 2, document._tag_of, document._simple_value)
    assert found is not None
    data, lines = found
    assert data["contract"] == {"end": date(2027, 1, 31), "notice_months": 3}
    assert data["own_data_centre"] is False
    assert data["reference"] == "SYN-0001"
    assert lines[("depends_on", 0, "data")] == 11
    assert lines[("capabilities", 1)] == 3
    assert lines[("tags", 1)] == 14


def test_simple_reader_leaves_timestamps_and_quotes_with_escapes_alone() -> None:
    for value in ['"a\\tb"', "'it''s'", "|", "&a x"]:
        assert read_simple(f"name: {value}\n", 2, document._tag_of, document._simple_value) is None
    simple, full = both("---\nat: 2026-01-31 10:00:00\n---\n")
    assert simple.data == full.data == {"at": datetime(2026, 1, 31, 10, 0)}


def example_files() -> list[Path]:
    files = sorted(
        p
        for folder in ("applications", "capabilities", "architecture", "proposals")
        for p in (ROOT / folder).rglob("*.md")
    )
    if not files:
        pytest.skip("no example council in this checkout")
    return files


def test_every_example_file_reads_the_same_both_ways() -> None:
    files = example_files()
    used = 0
    for path in files:
        text = path.read_text(encoding="utf-8-sig")
        assert_same(text)
        lines = text.split("\n")
        end = document._closing(lines)
        assert end is not None
        used += read_simple("\n".join(lines[1:end]) + "\n", 2, document._tag_of, document._simple_value) is not None
    # most of the example council is of the usual shape (the rest has block text or quotes with escapes)
    assert used >= 0.9 * len(files)
