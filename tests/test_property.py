"""Property-based: whatever a content file holds, validation reports findings
and never raises, and every finding is well formed."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml
from conftest import TODAY, minimal_files, write_files
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.checks.validate import validate
from generator.core.findings import CODES

FIELDS = [
    "id",
    "name",
    "aliases",
    "vendor",
    "product",
    "capabilities",
    "owner",
    "origin",
    "lifecycle",
    "disposition",
    "replaced_by",
    "hosting",
    "depends_on",
    "users",
    "annual_cost",
    "contract",
    "sustainability",
    "distinct_from",
    "tags",
    "parent",
    "lgsl",
    "end",
    "app",
    "data",
    "assessed",
    "energy",
]
WORDS = ["uniform", "planning", "planning-applications", "idox", "active", "retired", "saas", "migrate", "NO", "1.10"]

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats()
    | st.dates(min_value=date(1, 1, 1))
    | st.sampled_from(WORDS)
    | st.text(max_size=20)
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
FRONTMATTER = st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=10), VALUES, max_size=8)

CONTENT_FILES = ("applications/fuzz.md", "capabilities/fuzz.md")

SETTINGS = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_files(tmp_path_factory.mktemp("fuzz"), minimal_files())


def lines_in(raw: bytes) -> int:
    return raw.replace(b"\r\n", b"\n").replace(b"\r", b"\n").count(b"\n") + 1


def check(root: Path, raw: bytes) -> None:
    for rel in CONTENT_FILES:
        (root / rel).write_bytes(raw)
    findings = validate(root, today=TODAY, use_cache=False).findings
    for f in findings:
        assert f.code in CODES, f
        assert isinstance(f.path, str) and f.path and "\\" not in f.path and not f.path.startswith("/"), f
        assert type(f.line) is int and f.line >= 0, f
        assert f.message and f.hint, f
        if f.path in CONTENT_FILES:
            assert f.line <= lines_in(raw), f"line {f.line} is past the end of the file: {f}"


@SETTINGS
@given(raw=st.binary(max_size=400) | st.binary(max_size=300).map(lambda b: b"---\n" + b + b"\n---\n"))
def test_arbitrary_bytes(base: Path, raw: bytes) -> None:
    check(base, raw)


@SETTINGS
@given(text=st.text(max_size=300))
def test_arbitrary_text_as_frontmatter(base: Path, text: str) -> None:
    check(base, f"---\n{text}\n---\nBody.\n".encode())


@SETTINGS
@given(data=FRONTMATTER, crlf=st.booleans())
def test_arbitrary_yaml(base: Path, data: dict[str, object], crlf: bool) -> None:
    text = "---\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False) + "---\nBody.\n"
    check(base, (text.replace("\n", "\r\n") if crlf else text).encode())
