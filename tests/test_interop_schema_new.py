"""`ea schema` (draft-07 JSON Schema that accepts every example file and
rejects bad ones) and `ea new` (templates that validate once filled in)."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import MakeRepo, minimal_files, run, show

from generator.cli import main
from generator.documents.document import parse_bytes
from generator.interop.schemas import all_schemas, json_schema
from generator.interop.templates import KINDS, PLACEHOLDER, template, write_new
from generator.models.model import ENTITY_KINDS, FOLDERS, MODELS, Kind
from generator.models.schema import suggest_id

jsonschema = pytest.importorskip("jsonschema", reason="the jsonschema package is not installed")

ROOT = Path(__file__).resolve().parents[1]


def _as_json(value: Any) -> Any:
    """What an editor's YAML language server sees: dates are strings."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_json(v) for v in value]
    return value


def _validator(kind: Kind) -> Any:
    schema = json_schema(kind)
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)


def _example_files() -> list[tuple[Kind, Path]]:
    out = []
    for kind in ENTITY_KINDS:
        out += [(kind, p) for p in sorted((ROOT / FOLDERS[kind]).rglob("*.md")) if p.name.lower() != "readme.md"]
    scheme = ROOT / FOLDERS[Kind.SCHEME]
    if scheme.is_file():
        out.append((Kind.SCHEME, scheme))
    return out


def test_schemas_are_draft_07_with_definitions_not_defs() -> None:
    for name, text in all_schemas().items():
        schema = json.loads(text)
        assert schema["$schema"] == "http://json-schema.org/draft-07/schema#", name
        assert "$defs" not in text and '"#/$defs/' not in text, name
        jsonschema.Draft7Validator.check_schema(schema)
    assert set(all_schemas()) == {f"{k.value}.schema.json" for k in MODELS}


def test_the_schema_accepts_every_example_file() -> None:
    files = _example_files()
    if len(files) < 5:
        pytest.skip("the example council's content folders are not there yet")
    validators = {kind: _validator(kind) for kind in MODELS}
    for kind, path in files:
        doc = parse_bytes(path.name, path.read_bytes())
        assert doc.data is not None, path
        errors = [e.message for e in validators[kind].iter_errors(_as_json(doc.data))]
        assert errors == [], f"{path}: {errors}"


def test_the_schema_accepts_the_minimal_repository_and_the_plain_depends_on_form() -> None:
    for rel, text in minimal_files().items():
        kind = (
            Kind.SCHEME if rel == FOLDERS[Kind.SCHEME] else next(k for k in ENTITY_KINDS if rel.startswith(FOLDERS[k]))
        )
        data = parse_bytes(rel, text.encode()).data
        assert list(_validator(kind).iter_errors(_as_json(data))) == [], rel
    app = {"name": "A", "capabilities": ["c"], "owner": "o", "lifecycle": "active", "hosting": "saas"}
    mixed = {**app, "depends_on": ["b", {"app": "c", "data": "fees"}], "contract": {"end": "2027-03-31"}}
    assert list(_validator(Kind.APPLICATION).iter_errors(mixed)) == []


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"lifecycle": "live"}, "'live' is not one of"),
        ({"owner": None}, "None is not of type 'string'"),
        ({"capabilities": []}, "should be non-empty"),
        ({"colour": "red"}, "Additional properties are not allowed"),
        ({"users": -1}, "is not valid under any of the given schemas"),
        ({"annual_cost": "£12,500"}, "is not valid under any of the given schemas"),
        ({"depends_on": [{"application": "x"}]}, "is not valid under any of the given schemas"),
        ({"id": "Not An Id"}, "does not match"),
        ({"name": "  "}, "does not match"),
    ],
)
def test_the_schema_rejects_bad_frontmatter(change: dict[str, Any], why: str) -> None:
    data = {"name": "A", "capabilities": ["c"], "owner": "o", "lifecycle": "active", "hosting": "saas", **change}
    errors = [e.message for e in _validator(Kind.APPLICATION).iter_errors(data)]
    assert any(why in e for e in errors), errors


def test_schema_command_writes_one_file_per_kind(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["schema", "-o", str(tmp_path / "schemas")])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (tmp_path / "schemas").iterdir())
    assert names == sorted(f"{k.value}.schema.json" for k in MODELS)


# --- ea new ----------------------------------------------------------------------------------------------------

FILLED = {
    "<capability-id>": "planning-applications",
    "<organisation-id>": "planning",
    "<lifecycle>": "active",
    "<hosting>": "saas",
    "<type>": "service",
    "<the principle in one sentence>": "We reuse before we buy.",
    "<principle-status>": "agreed",
    "<yyyy-mm-dd>": "2028-03-31",
}


def _fill(text: str) -> str:
    head, sep, body = text.partition("\n---\n")
    for placeholder, value in FILLED.items():
        head = head.replace(placeholder, value)
    required = [line for line in head.split("\n") if not line.startswith("#")]
    assert not [line for line in required if re.search(PLACEHOLDER, line.split("  #")[0])], required
    return head + sep + body


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_new_writes_a_template_that_validates_once_filled_in(kind: str, make_repo: MakeRepo) -> None:
    root = make_repo()
    result = CliRunner().invoke(main, ["new", kind, "Mercia: Test (New)", "--root", str(root)])
    assert result.exit_code == 0, result.output
    [path] = (root / FOLDERS[KINDS[kind]]).glob("*mercia-test-new.md")
    assert f"Wrote {path.relative_to(root).as_posix()}" in result.output
    text = path.read_text(encoding="utf-8")
    if re.search(PLACEHOLDER, "\n".join(x for x in text.split("\n") if not x.startswith("#"))):
        assert [f for f in run(root) if f.path.endswith("mercia-test-new.md")], "an unfilled template must fail"
    path.write_text(_fill(text), encoding="utf-8")
    errors = [f for f in run(root) if f.severity.value == "error"]
    assert errors == [], show(errors)


def test_new_application_as_in_the_issue(make_repo: MakeRepo) -> None:
    root = make_repo()
    assert CliRunner().invoke(main, ["new", "application", "X", "--root", str(root)]).exit_code == 0
    path = root / "applications" / "x.md"
    path.write_text(_fill(path.read_text()), encoding="utf-8")
    assert [f for f in run(root) if f.severity.value == "error"] == []


def test_new_numbers_decisions_in_order_and_proposals_by_year(make_repo: MakeRepo) -> None:
    root = make_repo({"architecture/decisions/0007-one-revenues-system.md": "---\nname: x\n---\n"})
    day = date(2027, 2, 1)
    assert write_new(root, Kind.DECISION, "Cloud first", day) == "architecture/decisions/0008-cloud-first.md"
    assert write_new(root, Kind.DECISION, "Cloud first", day) == "architecture/decisions/0009-cloud-first.md"
    (root / "proposals").mkdir()
    (root / "proposals/2026-031-old.md").write_text("---\nname: x\n---\n", encoding="utf-8")
    assert write_new(root, Kind.PROPOSAL, "Repairs portal", day) == "proposals/2027-001-repairs-portal.md"
    assert write_new(root, Kind.PROPOSAL, "Bins", day) == "proposals/2027-002-bins.md"
    text = (root / "proposals/2027-002-bins.md").read_text(encoding="utf-8")
    assert "submitted: 2027-02-01" in text and "status: submitted" in text


def test_new_refuses_to_overwrite(make_repo: MakeRepo) -> None:
    root = make_repo()
    before = (root / "applications/uniform.md").read_bytes()
    result = CliRunner().invoke(main, ["new", "application", "UNIFORM", "--root", str(root)])
    assert result.exit_code == 1
    assert "applications/uniform.md already exists" in result.output
    assert (root / "applications/uniform.md").read_bytes() == before


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_model_field_is_explained_in_the_template(kind: str) -> None:
    text = template(KINDS[kind], "X")
    for field, info in MODELS[KINDS[kind]].model_fields.items():
        name = info.alias or field  # as written in a file
        if name != "id":
            assert re.search(rf"^#? ?{name}:.*#", text, flags=re.MULTILINE), f"{name} is not in the {kind} template"


def test_the_application_template_lists_the_schemes_facts(make_repo: MakeRepo) -> None:
    text = template(Kind.APPLICATION, "X", make_repo())
    assert "#   energy: <energy>" in text and "renewable|grid" in text


def test_new_with_a_very_long_name_writes_a_file_with_a_shorter_id(make_repo: MakeRepo) -> None:
    """A name longer than a file name may be (255 bytes) gives a shortened id,
    not a traceback."""
    root = make_repo()
    name = "Adult social care " + "case management " * 30
    result = CliRunner().invoke(main, ["new", "organisation", name, "--root", str(root)])
    assert result.exit_code == 0, result.output
    [path] = [p for p in (root / "architecture/organisations").iterdir() if p.name.startswith("adult-social-care")]
    assert len(path.stem) <= 80 and not path.stem.endswith("-")
    assert len(suggest_id("a" * 300)) == 80
    assert suggest_id("AUX") == "aux-1"  # a Windows device name is no file name there
    assert suggest_id("Console") == "console"
    assert name.strip() in path.read_text(encoding="utf-8"), "the name itself is kept whole"
