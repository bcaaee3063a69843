"""JSON Schema for every kind's frontmatter, for editors.

Generated from the pydantic models (the one definition of the content model),
then rewritten for draft-07, the newest draft the YAML language server and
most editors understand: ``$defs`` become ``definitions`` and every ``$ref``
follows. Two things the models accept that their generated schema would not
are added by hand: ``depends_on`` items written as a plain application id, and
the optional ``id`` key; and a proposal's verdicts written as YAML 1.1
booleans (``meets: yes``) or as the bare verdict (``cloud-first: partly``).
Rules a schema cannot state (references, duplicates,
the scheme's facts) stay with ``ea validate``.
"""

from __future__ import annotations

import json
from typing import Any

from generator.models.model import MODELS, VERDICTS, Kind

DRAFT_07 = "http://json-schema.org/draft-07/schema#"

#: File name of each kind's schema.
FILE_NAMES = {kind: f"{kind.value}.schema.json" for kind in MODELS}


def _rewrite_refs(node: Any) -> Any:
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith("#/$defs/"):
                out[key] = "#/definitions/" + value[len("#/$defs/") :]
            else:
                out[key] = _rewrite_refs(value)
        return out
    if isinstance(node, list):
        return [_rewrite_refs(v) for v in node]
    return node


def json_schema(kind: Kind) -> dict[str, Any]:
    """The draft-07 JSON Schema of one kind's frontmatter."""
    raw = MODELS[kind].model_json_schema(mode="validation")
    defs = raw.pop("$defs", {})
    schema: dict[str, Any] = {"$schema": DRAFT_07, **_rewrite_refs(raw)}
    if defs:
        schema["definitions"] = _rewrite_refs(defs)
    schema["title"] = f"{kind.value.capitalize()} ({MODELS[kind].__name__})"
    props = schema.get("properties", {})
    if "depends_on" in props:
        items = props["depends_on"].get("items", {})
        props["depends_on"]["items"] = {"anyOf": [{"type": "string", "description": "An application id."}, items]}
    if "id" in props:
        props["id"] = {
            "type": "string",
            "pattern": "^[a-z0-9][a-z0-9-]*$",
            "description": props["id"].get("description", ""),
        }
    if "name" in props:
        props["name"]["pattern"] = r"\S"
    if kind is Kind.PROPOSAL:
        _verdict_shorthands(schema)
    return schema


def _verdict_shorthands(schema: dict[str, Any]) -> None:
    """``meets: yes`` is the boolean true to a YAML 1.1 reader, and a
    principle's verdict may be written alone (``cloud-first: partly``);
    ``ea validate`` reads both as the words (see ``model.Proposal``)."""
    verdict = {"enum": list(VERDICTS)}
    assessment = schema.get("definitions", {}).get("PrincipleAssessment", {})
    if "meets" in assessment.get("properties", {}):
        meets = assessment["properties"]["meets"]
        assessment["properties"]["meets"] = {
            "anyOf": [verdict, {"type": "boolean"}],
            "description": meets.get("description", ""),
        }
    principles = schema["properties"].get("principles", {})
    values = principles.get("additionalProperties")
    if values is not None:
        principles["additionalProperties"] = {"anyOf": [values, verdict, {"type": "boolean"}]}


def all_schemas() -> dict[str, str]:
    """File name -> JSON text, for every kind (the scheme included)."""
    return {FILE_NAMES[kind]: json.dumps(json_schema(kind), indent=2, ensure_ascii=False) + "\n" for kind in MODELS}
