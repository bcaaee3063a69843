"""JSON Schema for every kind's frontmatter, for editors.

Generated from the pydantic models (the one definition of the content model),
then rewritten for draft-07, the newest draft the YAML language server and
most editors understand: ``$defs`` become ``definitions`` and every ``$ref``
follows. Two things the models accept that their generated schema would not
are added by hand: ``depends_on`` items written as a plain application id, and
the optional ``id`` key. Rules a schema cannot state (references, duplicates,
the scheme's facts) stay with ``ea validate``.
"""

from __future__ import annotations

import json
from typing import Any

from generator.model import MODELS, Kind

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
    return schema


def all_schemas() -> dict[str, str]:
    """File name -> JSON text, for every kind (the scheme included)."""
    return {FILE_NAMES[kind]: json.dumps(json_schema(kind), indent=2, ensure_ascii=False) + "\n" for kind in MODELS}
