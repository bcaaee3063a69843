"""Which spreadsheet column feeds which application field, and how a cell's
text becomes a field's value.

A council's application register has its own headers ("System name",
"Supplier", "Cost (£)") and its own words ("Live", "On-prem"). The built-in
synonyms cover the common ones, compared ignoring case, spaces and
punctuation; a YAML mapping file (format in docs/interop.md) names the rest.
Parsers raise ``ValueError`` with a message fit for a person; the importer
turns it into a report line with the row number.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from rapidfuzz import process

from generator.core.errors import EaError
from generator.core.spreadsheet import FORMULA_START
from generator.models.model import DISPOSITIONS, HOSTINGS, LIFECYCLES

#: Fields a column can feed. ``body`` is the Markdown narrative of a new
#: file; ``ignore`` drops a column on purpose; ``sustainability.<fact>``
#: feeds one fact of the sustainability assessment.
FIELDS = (
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
    "contract.end",
    "contract.notice_months",
    "contract.reference",
    "dates.live",
    "dates.phase_out",
    "dates.retire",
    "tags",
    "sustainability.assessed",
    "body",
    "ignore",
)
_FACT = re.compile(r"^sustainability\.([a-z][a-z0-9_]*)$")

#: Built-in header synonyms, by field; compared by ``header_key``.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "id": ("Id",),
    "name": ("Application", "Application name", "App name", "System", "System name", "Name", "Software"),
    "aliases": ("Aliases", "Alias", "Also known as", "AKA", "Other names"),
    "vendor": ("Supplier", "Vendor", "Supplier name", "Vendor name", "Provider"),
    "product": ("Product", "Product name"),
    "capabilities": ("Capability", "Capabilities", "Business capability", "Function", "Functions"),
    "owner": (
        "Service area",
        "Owner",
        "Business owner",
        "Owning service",
        "Department",
        "Dept",
        "Directorate",
        "Service",
        "Owning department",
        "Owning directorate",
    ),
    "origin": ("Origin", "Legacy council", "Predecessor council", "Former council", "Sovereign council"),
    "lifecycle": ("Lifecycle", "Status", "Lifecycle status"),
    "disposition": ("TIME", "Disposition", "TIME disposition", "TIME decision"),
    "replaced_by": ("Replaced by", "Successor", "Replacement"),
    "hosting": ("Hosting", "Hosted", "Hosting model"),
    "depends_on": ("Depends on", "Dependencies", "Integrations", "Integrates with"),
    "users": ("Users", "Number of users", "No. of users", "No of users", "Num users", "User count", "Staff users"),
    "annual_cost": (
        "Annual cost",
        "Cost (£)",
        "Cost",
        "Annual cost (£)",
        "Yearly cost",
        "Annual cost GBP",
        "Annual cost (ex VAT)",
        "Annual cost (£, ex VAT)",
        "Cost per year",
        "Cost pa",
        "Annual charge",
        "Annual spend",
    ),
    "contract.end": ("Contract end", "Renewal date", "Contract end date", "Contract expiry", "Expiry date"),
    "contract.notice_months": ("Notice period (months)", "Notice period", "Notice months"),
    "contract.reference": ("Contract reference", "Contract ref", "Contract number"),
    "dates.live": ("Go live", "Go-live date", "Go live date", "Live date", "Live from", "Implementation date"),
    "dates.phase_out": ("Phase out", "Phase-out date", "Phase out date", "Phase out from", "Sunset date"),
    "dates.retire": (
        "Decommission date",
        "Decommission",
        "Decommissioning date",
        "Retirement date",
        "Retire date",
        "Retire by",
        "Switch-off date",
        "Switch off date",
    ),
    "tags": ("Tags",),
    "sustainability.assessed": ("Sustainability assessed", "Assessed"),
    "body": ("Description", "Notes"),
}

#: The type of an organisation unit an owner column creates, by ``header_key``
#: of the column (any other owner column makes a service).
OWNER_TYPES: dict[str, str] = {"directorate": "directorate", "owningdirectorate": "directorate"}

#: Columns ``ea export csv`` writes that are computed, never imported.
COMPUTED = ("Sustainability rating", "Sustainability score")

#: A column headed "Sustainability: <fact>" feeds ``sustainability.<fact>``.
FACT_HEADER = re.compile(r"^\s*sustainability\s*[:.]\s*([A-Za-z][A-Za-z0-9_ ]*?)\s*$", re.IGNORECASE)

#: Built-in words for the enumerations, by ``value_key``.
VALUE_SYNONYMS: dict[str, dict[str, str]] = {
    "lifecycle": {
        **{v: v for v in LIFECYCLES},
        **dict.fromkeys(("live", "in-use", "in-service", "production", "operational", "current"), "active"),
        **dict.fromkeys(("planned", "pipeline", "procurement", "in-procurement", "pilot"), "proposed"),
        **dict.fromkeys(
            ("phaseout", "phasing-out", "being-replaced", "decommissioning", "sunset", "end-of-life"), "phase-out"
        ),
        **dict.fromkeys(("decommissioned", "archived", "switched-off", "obsolete"), "retired"),
    },
    "disposition": {
        **{v: v for v in DISPOSITIONS},
        **{v[0]: v for v in DISPOSITIONS},
    },
    "hosting": {
        **{v: v for v in HOSTINGS},
        **dict.fromkeys(
            ("on-premise", "on-prem", "onprem", "on-site", "in-house", "council-data-centre", "data-centre"),
            "on-premises",
        ),
        **dict.fromkeys(("software-as-a-service",), "saas"),
        **dict.fromkeys(("platform-as-a-service",), "paas"),
        **dict.fromkeys(("infrastructure-as-a-service",), "iaas"),
    },
}
ENUMS: dict[str, tuple[str, ...]] = {"lifecycle": LIFECYCLES, "disposition": DISPOSITIONS, "hosting": HOSTINGS}

#: Cell texts that mean "no value".
BLANKS = frozenset(
    {"", "-", "--", "\u2013", "\u2014", "n/a", "n.a.", "na", "n/k", "none", "nil", "tbc", "tbd", "tba", "unknown"}
    | {"not known", "not applicable", "?"}
)

#: Words that mean "no value" for one field (by ``value_key``), as a mapping
#: file's ``~`` does: a system built in-house has no vendor, and a vendor
#: file called "In-house" would be a fiction.
NO_VALUE: dict[str, frozenset[str]] = {
    "vendor": frozenset(
        {"in-house", "inhouse", "internal", "in-house-development", "developed-in-house", "bespoke-(in-house)"}
        | {"own-development", "council-developed", "unnamed", "not-applicable", "no-supplier", "no-vendor"}
    ),
}


def header_key(text: str) -> str:
    """'Cost (£)', 'cost' and 'COST ' are one header: letters and digits only."""
    return re.sub(r"[^0-9a-z]+", "", str(text).casefold())


def value_key(text: str) -> str:
    """'On Premises', 'on_premises' and 'on-premises' are one value."""
    return re.sub(r"[\s_]+", "-", str(text).strip().casefold())


_BUILTIN: dict[str, str] = {header_key(h): f for f, headers in SYNONYMS.items() for h in headers}


# --- the mapping file ------------------------------------------------------------------------------------------


class _MappingFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sheet: str | None = None
    header_row: int | None = Field(default=None, ge=1)
    columns: dict[str, str | None] = Field(default_factory=dict)
    values: dict[str, dict[str, str | None]] = Field(default_factory=dict)
    defaults: dict[str, str] = Field(default_factory=dict)


class _TextLoader(yaml.SafeLoader):
    """Every scalar is text: in a mapping file 'Yes', 'No' and '01' are words
    from a spreadsheet, not booleans and numbers."""


_TextLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag == "tag:yaml.org,2002:null"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass
class Mapping:
    """Column -> field overrides, value maps by field and defaults by field."""

    columns: dict[str, str] = field(default_factory=dict)  # header_key -> field ("ignore" drops it)
    values: dict[str, dict[str, str | None]] = field(default_factory=dict)  # field -> value_key -> value
    column_values: dict[str, dict[str, str | None]] = field(default_factory=dict)  # header_key -> ...
    defaults: dict[str, str] = field(default_factory=dict)
    sheet: str | None = None
    header_row: int | None = None

    def field_for(self, header: str) -> str | None:
        """The field a column feeds, or None when it feeds none."""
        key = header_key(header)
        if key in self.columns:
            return self.columns[key]
        fact = FACT_HEADER.match(header)
        if fact:
            name = re.sub(r"[^a-z0-9_]+", "_", fact.group(1).casefold()).strip("_")
            return f"sustainability.{name}"
        return _BUILTIN.get(key)

    def map_value(self, header: str, field_name: str, text: str) -> str | None:
        """A cell's text after the value maps: the column's own map first, then
        the field's, then the built-in words for no value (``NO_VALUE``), else
        unchanged. None means no value (``~`` in the mapping file)."""
        key = value_key(text)
        for table in (self.column_values.get(header_key(header), {}), self.values.get(field_name, {})):
            if key in table:
                return table[key]
        if key in NO_VALUE.get(field_name, ()):
            return None
        return text


def load_mapping(path: Path | None) -> Mapping:
    """Read a mapping file (None: the built-in mapping only). Raises EaError
    listing every problem in the file."""
    if path is None:
        return Mapping()
    try:
        size = Path(path).stat().st_size
        if size > MAX_MAPPING_BYTES:
            raise EaError(f"the mapping file {path} is {size:,} bytes; a mapping file is at most {MAX_MAPPING_BYTES:,}")
        raw = Path(path).read_text(encoding="utf-8-sig")
        _check_depth(path, raw)
        data = yaml.load(raw, Loader=_TextLoader)  # a SafeLoader subclass
    except OSError as exc:
        raise EaError(f"cannot read the mapping file {path}: {exc.strerror or exc}") from exc
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise EaError(f"the mapping file {path} is not valid UTF-8 YAML: {exc}") from exc
    try:
        parsed = _MappingFile.model_validate(data or {})
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'file'}: {e['msg']}" for e in exc.errors())
        raise EaError(f"the mapping file {path} is not valid: {problems}") from exc
    problems = []
    mapping = Mapping(sheet=parsed.sheet, header_row=parsed.header_row)
    for header, target in parsed.columns.items():
        target = "ignore" if target is None else target.strip()
        if not _known_field(target):
            problems.append(f"columns: {header!r} maps to unknown field {target!r}{_did_you_mean(target)}")
        mapping.columns[header_key(header)] = target
    for key, table in parsed.values.items():
        values = {value_key(k): (None if v is None or not v.strip() else v.strip()) for k, v in table.items()}
        if key in FIELDS or _FACT.match(key):
            mapping.values[key] = values
        else:
            mapping.column_values[header_key(key)] = values
    for key, value in parsed.defaults.items():
        if not _known_field(key) or key in ("id", "name", "body", "ignore"):
            problems.append(f"defaults: {key!r} is not a field that can have a default{_did_you_mean(key)}")
        mapping.defaults[key] = value
    if problems:
        raise EaError(f"the mapping file {path} is not valid: " + "; ".join(problems))
    return mapping


#: A mapping file is a few dozen lines; these bound what a hostile one can cost.
MAX_MAPPING_BYTES = 1_000_000
MAX_MAPPING_DEPTH = 8


def _check_depth(path: Path, raw: str) -> None:
    """Refuse nesting deeper than any mapping file needs (three levels) before
    the document is built: PyYAML builds it recursively, so a file of ten
    thousand '[' would end in a RecursionError. The event stream is flat."""
    depth = 0
    for event in yaml.parse(raw, Loader=_TextLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_MAPPING_DEPTH:
                line = event.start_mark.line + 1 if event.start_mark else 0
                raise EaError(
                    f"the mapping file {path}:{line} nests more than {MAX_MAPPING_DEPTH} levels deep; "
                    "a mapping file has at most three (values: {Column: {word: value}})"
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _known_field(name: str) -> bool:
    return name in FIELDS or bool(_FACT.match(name))


def _did_you_mean(name: str) -> str:
    near = process.extractOne(name, FIELDS, score_cutoff=60)
    return f" (did you mean {near[0]!r}?)" if near else f" (fields: {', '.join(FIELDS)})"


# --- cell parsers ----------------------------------------------------------------------------------------------


def is_blank(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and cell.strip().casefold() in BLANKS)


def unguard(cell: Any) -> Any:
    """Text without the apostrophe that ``ea export csv`` (like most tools) puts
    before a cell that would otherwise start a spreadsheet formula."""
    if isinstance(cell, str) and cell[:1] == "'" and cell[1:].startswith(FORMULA_START):
        return cell[1:]
    return cell


def parse_text(cell: Any) -> str:
    if isinstance(cell, datetime | date):
        raise ValueError("expected text, found a date")
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return re.sub(r"\s+", " ", str(cell)).strip()


def parse_list(cell: Any) -> list[str]:
    """Split on semicolons or line breaks when there are any (names may hold
    commas), else on commas; never inside [square brackets], where a
    dependency names its data."""
    text = str(cell)
    outside = re.sub(r"\[[^\]]*\]", lambda m: "x" * len(m.group()), text)
    separators = ";\n" if re.search(r"[;\n]", outside) else ","
    parts, start = [], 0
    for i, ch in enumerate(outside):
        if ch in separators:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [re.sub(r"\s+", " ", p).strip() for p in parts if p.strip()]


def join_list(items: list[str]) -> str:
    """The inverse of ``parse_list``: '; ' between items, and a trailing ';'
    when a single item holds a comma (so it is not split on the comma)."""
    text = "; ".join(items)
    return text + ";" if len(items) == 1 and "," in items[0] else text


def parse_enum(field_name: str, text: str) -> str:
    allowed = ENUMS[field_name]
    value = VALUE_SYNONYMS[field_name].get(value_key(text))
    if value is None:
        raise ValueError(
            f"{field_name} {text!r} is not one of {', '.join(allowed)} (add it to 'values:' in a mapping file)"
        )
    return value


_MONEY = re.compile(r"^(?P<num>\d+(?:\.\d+)?)(?P<unit>k|m)?$")
#: "+ VAT", "ex VAT", "(excl. VAT)", "plus VAT", "net of VAT": the amount as written is net of VAT.
_EX_VAT = re.compile(r"\(?\s*(?:\+|plus|ex\.?|exc\.?|excl\.?|excluding|exclusive\s+of|net\s+of)\s*vat\s*\)?")
_INC_VAT = re.compile(r"\b(?:inc|incl|including|inclusive\s+of)\b\.?\s*vat")
#: "pa", "p.a.", "per annum", "per year", "a year", "/yr", "yearly", "annually", at the end.
_PER_YEAR = re.compile(
    r"(?:\bper\s*(?:annum|year|yr)|\bp\.?\s*a\.?|\ba\s+year|/\s*(?:year|yr|annum|pa)|\byearly|\bannually)\s*$"
)
_PER_OTHER = re.compile(
    r"(?:\b(?:per|a)\s*(?:month|quarter|week|day)|\bpcm|\bp\.?\s*m\.?|/\s*(?:month|mth|qtr|quarter))\s*$"
)
_ABOUT = re.compile(r"^(?:c\.|ca\.|circa|approx\.?|approximately|about|around|~)\s*")


def parse_money(cell: Any) -> float:
    """An annual amount in pounds as registers write it: '£12,500', '12500.00',
    'GBP 12,500', '£12.5k', '£1.2m', '£85,000 pa', '£12,500 p.a.', '£31,000 per
    annum', '£45,000 + VAT', 'c. £5k', or a number.

    The amount is read as written and held net of VAT (councils recover VAT,
    so their budgets are net): '+ VAT' and 'ex VAT' are the amount itself. An
    amount that says it includes VAT, or is per month, quarter or week, is
    refused rather than converted by a guessed rate."""
    if isinstance(cell, bool):
        raise ValueError("expected an amount in pounds, found true/false")
    if isinstance(cell, int | float):
        value = float(cell)
    else:
        shown = str(cell).strip()
        text = re.sub(r"\s+", " ", shown.casefold())
        if _INC_VAT.search(text):
            raise ValueError(f"annual cost {shown!r} includes VAT: give the amount excluding VAT")
        text = _EX_VAT.sub(" ", text).strip()
        if _PER_OTHER.search(text):
            raise ValueError(f"annual cost {shown!r} is not a yearly amount: give the cost per year")
        text = _PER_YEAR.sub("", text).strip()
        text = _EX_VAT.sub(" ", text).strip()  # '£45,000 pa + VAT' and '£45,000 + VAT pa' alike
        text = _ABOUT.sub("", text)
        if text in ("nil", "free"):
            return 0.0
        text = text.replace(",", "").replace(" ", "")
        text = text.removeprefix("gbp").removeprefix("£").removesuffix("gbp")
        if text.startswith("-") or text.startswith("("):
            raise ValueError(f"annual cost {shown!r} is negative")
        match = _MONEY.match(text)
        if not match:
            raise ValueError(f"annual cost {shown!r} is not an amount such as £12,500")
        value = float(match["num"]) * {None: 1, "k": 1_000, "m": 1_000_000}[match["unit"]]
    if value < 0:
        raise ValueError(f"annual cost {cell} is negative")
    if not math.isfinite(value) or value > MAX_MONEY:
        raise ValueError(f"annual cost {cell} is not a plausible yearly amount (over £{MAX_MONEY:,.0f})")
    return round(value, 2)


#: No one system costs a council more than this a year; a larger number is a typo or a total.
MAX_MONEY = 1e12


def parse_count(cell: Any, what: str) -> int:
    """A whole number: '1,200', '1200', '6 months'."""
    if isinstance(cell, bool):
        raise ValueError(f"{what} must be a whole number, found true/false")
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    if isinstance(cell, int):
        value = cell
    else:
        text = re.sub(r"\s*months?$", "", str(cell).strip().casefold()).replace(",", "").strip()
        if not text.isdigit():
            raise ValueError(f"{what} {str(cell).strip()!r} is not a whole number")
        value = int(text)
    if value < 0:
        raise ValueError(f"{what} {value} is negative")
    return value


_EXCEL_EPOCH = date(1899, 12, 30)  # Excel's 1900 date system, counting its phantom 29 February 1900
_MONTHS = {
    m: i
    for i, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for m in names
}
_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_D_MON_Y = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?[\s\-]+([a-z]+)\.?[\s\-,]+(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00(?::00(?:\.0+)?)?)?$")


def parse_date(cell: Any) -> date:
    """UK dates: dd/mm/yyyy (also with - or .), ISO yyyy-mm-dd, '31 March 2027',
    Excel dates and Excel serial numbers. Never month-first."""
    if isinstance(cell, datetime):
        if cell.time() != datetime.min.time():
            raise ValueError(f"{cell.isoformat(' ')} has a time of day; expected a date")
        return cell.date()
    if isinstance(cell, date):
        return cell
    text = str(cell).strip()
    if (isinstance(cell, int | float) and not isinstance(cell, bool)) or re.fullmatch(r"\d{5}(\.0+)?", text):
        serial = float(cell) if not isinstance(cell, str) else float(text)
        if 20_000 <= serial <= 80_000 and serial.is_integer():
            return _EXCEL_EPOCH + timedelta(days=int(serial))
        raise ValueError(f"{text!r} is not a date")
    try:
        if m := _ISO.match(text):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := _DMY.match(text):
            year = int(m[3]) + (2000 if len(m[3]) == 2 else 0)
            return date(year, int(m[2]), int(m[1]))
        if (m := _D_MON_Y.match(text.casefold())) and m[2] in _MONTHS:
            return date(int(m[3]), _MONTHS[m[2]], int(m[1]))
    except ValueError:
        raise ValueError(f"{text!r} is not a real date") from None
    raise ValueError(f"{text!r} is not a date written as dd/mm/yyyy or yyyy-mm-dd")


def parse_fact(cell: Any) -> Any:
    """A sustainability fact: numbers, true/false and ISO dates keep their
    type (the scheme scores them so); anything else is text."""
    if isinstance(cell, bool | int | float | date):
        if isinstance(cell, float) and cell.is_integer():
            return int(cell)
        return cell.date() if isinstance(cell, datetime) else cell
    text = str(cell).strip()
    if text.casefold() in ("true", "false"):
        return text.casefold() == "true"
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    if re.fullmatch(r"-?\d+\.\d+", text):
        return float(text)
    if _ISO.match(text):
        return parse_date(text)
    return text
