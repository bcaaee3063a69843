"""Validate one parsed document against its kind's model, turning every
pydantic error into a finding at the line of the offending key (the approach
dagster takes in ``pydantic_yaml``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ValidationError
from rapidfuzz import process

from generator.core.findings import Finding
from generator.documents.document import Document
from generator.models.model import ID_PATTERN, MODELS, RESERVED_IDS, WINDOWS_RESERVED, Kind

_CODE_BY_TYPE = {
    "extra_forbidden": "EA110",
    "missing": "EA113",
    "literal_error": "EA112",
    "enum": "EA112",
    "fact_path": "EA112",
}


def check_document(kind: Kind, stem: str, doc: Document) -> tuple[BaseModel | None, list[Finding]]:
    """Return the model (None when the file cannot be one) and the problems."""
    if doc.data is None:
        return None, []
    findings: list[Finding] = []
    data = dict(doc.data)
    if kind is not Kind.SCHEME:
        if not ID_PATTERN.match(stem):
            findings.append(
                Finding(
                    "EA120",
                    doc.path,
                    1,
                    f"'{stem}' is not a valid id: use lower-case letters, digits and hyphens, "
                    "starting with a letter or digit",
                    f"rename the file to '{suggest_id(stem)}.md'",
                )
            )
        elif stem in WINDOWS_RESERVED:
            findings.append(
                Finding(
                    "EA120",
                    doc.path,
                    1,
                    f"'{stem}' is a device name on Windows: the file cannot be checked out there",
                    f"rename the file to '{suggest_id(stem)}.md'",
                )
            )
        if "id" in data and data["id"] != stem:
            findings.append(
                Finding(
                    "EA122",
                    doc.path,
                    doc.line(("id",)),
                    f"id {data['id']!r} does not match the file name '{stem}'",
                    "the file's name is the id: remove the 'id:' line or rename the file",
                )
            )
        data["id"] = stem
    model_cls = MODELS[kind]
    try:
        model = model_cls.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            findings.append(_finding(kind, doc, model_cls, error))
        return None, findings
    return model, findings


#: The longest id the slug rule makes (a file name may hold 255 bytes at most).
MAX_SUGGESTED_ID = 80


def suggest_id(text: str) -> str:
    """The documented slug rule: lower-case, runs of anything but a-z and 0-9
    become one hyphen, no leading or trailing hyphen; a longer slug than
    ``MAX_SUGGESTED_ID`` is cut, at a hyphen unless that would halve it; a
    reserved id (``RESERVED_IDS``: Windows device names, ``index``,
    ``readme``) gets ``-1``."""
    out, dash = [], False
    for ch in text.lower():
        if "a" <= ch <= "z" or "0" <= ch <= "9":
            out.append(ch)
            dash = False
        elif not dash and out:
            out.append("-")
            dash = True
    slug = "".join(out).strip("-")
    if len(slug) > MAX_SUGGESTED_ID:
        cut = slug[: MAX_SUGGESTED_ID + 1]
        head = cut.rsplit("-", 1)[0] if "-" in cut else ""
        slug = (head if len(head) >= MAX_SUGGESTED_ID // 2 else slug[:MAX_SUGGESTED_ID]).strip("-")
    slug = slug or "unnamed"
    return f"{slug}-1" if slug in RESERVED_IDS else slug


def _finding(kind: Kind, doc: Document, model_cls: type[BaseModel], error: Any) -> Finding:
    loc = tuple(error["loc"])
    kind_of_error = error["type"]
    code = _CODE_BY_TYPE.get(kind_of_error, "EA111")
    field = _dotted(loc)
    line = doc.line(loc)
    value = error.get("input")
    if code == "EA110":
        allowed = _fields_at(model_cls, loc[:-1])
        near = process.extractOne(str(loc[-1]), allowed, score_cutoff=60) if allowed else None
        hint = f"did you mean '{near[0]}'?" if near else f"allowed fields: {', '.join(sorted(allowed))}"
        return Finding(code, doc.path, line, f"unknown field '{field}' for {_article(kind)} {kind}", hint)
    if code == "EA113":
        return Finding(
            code, doc.path, line, f"missing required field '{field}'", f"add '{loc[-1]}:' to the frontmatter"
        )
    if code == "EA112":
        expected = error.get("ctx", {}).get("expected") or error.get("ctx", {}).get("allowed", "")
        return Finding(
            code,
            doc.path,
            line,
            f"'{field}' is {_describe(value)}, which is not allowed",
            f"use one of: {expected}".replace("'", ""),
        )
    message = error["msg"]
    hint = "correct the value"
    if kind_of_error == "string_type" and isinstance(value, bool | int | float | date):
        message = f"expected text, but YAML reads this unquoted value as the {_type_word(value)} {_raw(value)}"
        hint = f'put the value in quotes: {loc[-1] if isinstance(loc[-1], str) else field}: "..."'
    elif kind_of_error in (
        "int_type",
        "float_type",
        "bool_type",
        "date_type",
        "list_type",
        "dict_type",
        "model_type",
        "string_type",
    ):
        message = f"{message[0].lower()}{message[1:]}, got {_describe(value)}"
        hint = _TYPE_HINTS.get(kind_of_error, hint)
    else:
        message = f"{message[0].lower()}{message[1:]}"
    return Finding(code, doc.path, line, f"'{field}': {message}", hint)


_TYPE_HINTS = {
    "int_type": "write a whole number without quotes or separators, e.g. 250",
    "float_type": "write a number without quotes, currency sign or separators, e.g. 12500.50",
    "bool_type": "write true or false",
    "date_type": "write the date as YYYY-MM-DD without quotes, e.g. 2027-03-31",
    "list_type": "write a list, e.g. [a, b] or one '- item' per line",
    "dict_type": "write a mapping of 'key: value' lines, indented under the field",
    "model_type": "write a mapping of 'key: value' lines, indented under the field",
    "string_type": "write text",
}


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


def _dotted(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part in ("function-after", "function-before") or str(part).startswith("function-"):
            continue
        else:
            out += ("." if out else "") + str(part)
    return out


def _fields_at(model_cls: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """Field names of the (nested) model at ``loc``, for 'did you mean'."""
    current: Any = model_cls
    for part in loc:
        if isinstance(part, int):
            continue
        field = getattr(current, "model_fields", {}).get(part)
        if field is None:
            return []
        current = _model_in(field.annotation)
        if current is None:
            return []
    return [n for n in getattr(current, "model_fields", {}) if n != "id"]


def _model_in(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _type_word(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, date):
        return "date"
    return type(value).__name__


def _raw(value: Any) -> str:
    if isinstance(value, bool):
        return f"{str(value).lower()} (yes, no, on and off are booleans in YAML 1.1)"
    return value.isoformat() if isinstance(value, date) else repr(value)


def _describe(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, str):
        return f"'{value}'" if len(value) < 60 else f"'{value[:57]}...'"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, date):
        return f"the date {value.isoformat()}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__
