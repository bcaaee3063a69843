"""docs/content-model.md stays in step with the code: every model's fields
(no more, no fewer), every allowed value, every reference rule and every
finding code; its examples are valid files. And the product's own files
never send a reader to the design input outside the repository."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from pydantic import BaseModel
from pydantic.fields import FieldInfo

import generator.models.model as model
from generator.catalog.catalog import reference_fields
from generator.core.findings import CODES
from generator.documents.document import parse_text
from generator.models.model import MODELS, Kind

ROOT = Path(__file__).resolve().parents[1]
DOC_PATH = ROOT / "docs" / "content-model.md"
DOC = DOC_PATH.read_text(encoding="utf-8")
KIND_NAMES = {"capability": Kind.CAPABILITY, "application": Kind.APPLICATION, "vendor": Kind.VENDOR,
              "organisation unit": Kind.ORGANISATION, "priority": Kind.PRIORITY, "principle": Kind.PRINCIPLE,
              "proposal": Kind.PROPOSAL, "decision": Kind.DECISION,
              "milestone": Kind.MILESTONE}


def _field_names(cls: type[BaseModel]) -> dict[str, FieldInfo]:
    """A model's fields as written in a file: by alias (``from``) where there is one."""
    return {info.alias or name: info for name, info in cls.model_fields.items()}


def _models() -> dict[str, type[BaseModel]]:
    """Every model of the content defined in generator/models/model.py."""
    return {
        name: cls
        for name, cls in vars(model).items()
        if isinstance(cls, type)
        and issubclass(cls, BaseModel)
        and cls.__module__ == model.__name__
        and cls not in (model.Strict, model.Entity)
    }


def _table_after(marker: str, header: bool = True) -> list[list[str]]:
    """The rows of the table after ``marker`` (or whose header line it is)."""
    rest = DOC.split(marker, 1)[1].lstrip("\n")
    rows = []
    for line in rest.splitlines():
        if not line.startswith("|"):
            break
        rows.append([c.strip() for c in line.strip("|").split("|")])
    return rows[2:] if header else rows[1:]  # after the header and its rule


def _documented_fields() -> dict[str, list[str]]:
    out = {}
    for name in re.findall(r"<!-- fields: (\w+) -->", DOC):
        cells = [row[0] for row in _table_after(f"<!-- fields: {name} -->")]
        assert all(re.fullmatch(r"`[a-z0-9_]+`", c) for c in cells), (name, cells)
        out[name] = [c.strip("`") for c in cells]
    return out


def test_every_model_has_a_field_table() -> None:
    assert set(_documented_fields()) == set(_models())


@pytest.mark.parametrize("name", sorted(_models()))
def test_field_table_names_exactly_the_models_fields(name: str) -> None:
    documented = _documented_fields()[name]
    fields = list(_field_names(_models()[name]))
    assert sorted(documented) == sorted(fields), f"{name}: only in the doc {set(documented) - set(fields)}, " \
        f"only in the model {set(fields) - set(documented)}"
    assert len(documented) == len(set(documented))


def test_required_column_matches_the_models() -> None:
    for name, cls in _models().items():
        rows = {r[0].strip("`"): r[2] for r in _table_after(f"<!-- fields: {name} -->")}
        for field, info in _field_names(cls).items():
            says_required = rows[field].startswith("yes")
            if name == "Criterion" and field in ("points", "at_most"):
                continue  # one of the two: a rule of the criterion, not of either field
            assert says_required == info.is_required(), f"{name}.{field}: doc says {rows[field]!r}"


@pytest.mark.parametrize(
    "values",
    [model.LIFECYCLES, model.DISPOSITIONS, model.HOSTINGS, model.ORG_TYPES, model.APPLICATION_FACTS,
     model.VENDOR_FACTS],
    ids=["lifecycle", "disposition", "hosting", "type", "application facts", "vendor facts"],
)
def test_every_allowed_value_is_documented(values: tuple[str, ...]) -> None:
    for value in values:
        assert f"`{value}`" in DOC, value


def test_reference_table_is_exactly_the_reference_fields() -> None:
    rows = _table_after("| kind | field | refers to | rule |", header=False)
    documented = {(KIND_NAMES[r[0]], r[1].strip("`")) for r in rows}
    actual = {(kind, field) for kind, fields in reference_fields().items() for field in fields}
    assert documented == actual


def test_every_finding_code_is_documented_with_its_severity() -> None:
    rows = dict(re.findall(r"^\| (EA\d{3}) \| (error|warning) \|", DOC, flags=re.MULTILINE))
    assert set(rows) == set(CODES), f"missing {set(CODES) - set(rows)}, unknown {set(rows) - set(CODES)}"
    for code, severity in rows.items():
        assert CODES[code].severity == severity, code


def test_every_code_the_generator_emits_is_a_known_code() -> None:
    used = set()
    for path in (ROOT / "generator").rglob("*.py"):
        used.update(re.findall(r"\bEA\d{3}\b", path.read_text(encoding="utf-8")))
    assert used <= set(CODES), used - set(CODES)
    assert all(f"| {code} |" in DOC for code in used)


def _examples() -> list[tuple[str, str]]:
    """(section heading, text) of every Markdown example file in the doc."""
    out = []
    heading = ""
    for part in re.split(r"(^## [^\n]*$|^```markdown\n.*?^```$)", DOC, flags=re.MULTILINE | re.DOTALL):
        if part.startswith("## "):
            heading = part[3:]
        elif part.startswith("```markdown"):
            out.append((heading, part.removeprefix("```markdown\n").removesuffix("```")))
    return out


def _kind_of(heading: str) -> Kind:
    for word, kind in (("Capability", Kind.CAPABILITY), ("Application", Kind.APPLICATION),
                       ("Vendor", Kind.VENDOR), ("Organisation", Kind.ORGANISATION), ("scheme", Kind.SCHEME),
                       ("Priority", Kind.PRIORITY), ("Principle", Kind.PRINCIPLE), ("Proposal", Kind.PROPOSAL),
                       ("Decision", Kind.DECISION), ("Milestone", Kind.MILESTONE)):
        if word in heading:
            return kind
    raise AssertionError(f"an example under '{heading}' is of no known kind")


def test_there_is_an_example_of_every_kind() -> None:
    assert {_kind_of(h) for h, _ in _examples()} == set(MODELS)


@pytest.mark.parametrize("heading,text", _examples(), ids=lambda v: str(v)[:30])
def test_each_example_is_a_valid_file_of_its_kind(heading: str, text: str) -> None:
    doc = parse_text("example.md", text)
    assert not doc.problems, doc.problems
    MODELS[_kind_of(heading)].model_validate(doc.data)


# --- the product stands on its own ------------------------------------------------

PRODUCT_FILES = [
    ROOT / "README.md",
    ROOT / "Makefile",
    ROOT / "pyproject.toml",
    ROOT / ".pre-commit-hooks.yaml",
    *sorted((ROOT / ".ci").rglob("*")),
    *sorted((ROOT / "docs").rglob("*")),
    *sorted((ROOT / "ci-templates").rglob("*")),
    *sorted(p for p in (ROOT / "generator").rglob("*") if "__pycache__" not in p.parts),
]


def test_no_product_file_refers_to_the_design_input_outside_the_repository() -> None:
    offenders = [
        str(p.relative_to(ROOT))
        for p in PRODUCT_FILES
        if p.is_file() and "../shared/" in p.read_text(encoding="utf-8", errors="replace")
    ]
    assert offenders == []


def test_readme_and_the_models_link_to_the_content_model() -> None:
    assert "(docs/content-model.md)" in (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docs/content-model.md" in (ROOT / "generator" / "models" / "model.py").read_text(encoding="utf-8")


def test_no_release_tag_is_documented_that_does_not_exist() -> None:
    try:
        tags = set(subprocess.run(["git", "tag"], cwd=ROOT, capture_output=True, text=True).stdout.split())
    except OSError:
        pytest.skip("git is not installed")
    mentioned = set()
    for p in PRODUCT_FILES:
        if p.is_file() and p.suffix in (".md", ".yml", ".yaml", ".py", ""):
            text = p.read_text(encoding="utf-8", errors="replace")
            mentioned.update(re.findall(r"council-ea@(v\d[\w.]*)", text))
            mentioned.update(re.findall(r"^\s*#?\s*rev: (v\d[\w.]*)", text, flags=re.MULTILINE))
    assert mentioned <= tags, f"documented tags that do not exist: {sorted(mentioned - tags)}"


def test_readme_ci_snippets_do_not_install_the_current_folder() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = readme.split("## In CI", 1)[1]
    assert not re.search(r"pip install \.(\s|&|$)", ci), "pip install . fails in a content repository"
    assert "EA_INSTALL" in ci


# --- the editors' schemas against ea validate --------------------------------------

_BASE = "name: Uniform\ncapabilities: [planning]\nowner: planning\nlifecycle: active\nhosting: saas\n"


@pytest.mark.parametrize(
    "extra,documented",
    [
        ("", "**`name: NO`**"),  # the name line itself is replaced below
        ("users: 250.0\n", "**`users: 250.0`**"),
        ("contract: {end: 2027-03-31T12:00:00}\n", "**Dates with a time**"),
    ],
)
def test_documented_differences_between_the_schema_and_validate_are_real(extra: str, documented: str) -> None:
    """Each case the doc lists: the editors' schema accepts the value as JSON
    sees it, ea validate refuses it; and the doc says so."""
    jsonschema = pytest.importorskip("jsonschema")
    import json

    from generator.interop.schemas import all_schemas

    text = _BASE + extra
    if not extra:
        text = text.replace("name: Uniform", "name: NO")
    data = parse_text("x.md", f"---\n{text}---\n").data
    with pytest.raises(model.ValidationError):
        model.Application.model_validate(data)
    as_json = {"name": "NO"} if not extra else {}
    if "users" in extra:
        as_json = {"users": 250.0}
    if "contract" in extra:
        as_json = {"contract": {"end": "2027-03-31T12:00:00"}}
    document = {"name": "Uniform", "capabilities": ["planning"], "owner": "planning", "lifecycle": "active",
                "hosting": "saas", **as_json}
    schema = json.loads(all_schemas()["application.schema.json"])
    jsonschema.validate(document, schema)  # no format checker: editors treat format as a hint
    assert documented in DOC


def test_no_editor_setting_maps_yaml_files_that_do_not_exist() -> None:
    for p in PRODUCT_FILES:
        if p.is_file():
            assert "applications/**/*.yaml" not in p.read_text(encoding="utf-8", errors="replace"), p
