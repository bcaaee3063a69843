"""Import an application register (CSV or Excel): one application file per
row, plus the vendors, capabilities and organisation units the rows name when
the repository does not have them yet.

The rules, each reported as it is applied (docs/interop.md):

- a row is taken whole or not at all: a row with any value that cannot be
  read, or without a required field (and no default in the mapping file), is
  skipped with its row number and every reason;
- names become ids by the slug rule (``generator.schema.suggest_id``); an id
  already taken by a different entity gets ``-2``, ``-3``...;
- an application that already exists (same name, or the id the sheet gives)
  is never overwritten; with ``update`` only the fields the sheet has values
  for are merged into it, and its body and other fields are kept;
- references (vendor, owner, capabilities, dependencies) match an existing
  entity by id, by name or by the slug of the name, before a new one is made.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from generator.checks import normalise_name
from generator.errors import EaError
from generator.interop.files import Entity, Plan, PlannedFile, Registry, merge, new_path, render
from generator.interop.mapping import (
    COMPUTED,
    Mapping,
    header_key,
    is_blank,
    parse_count,
    parse_date,
    parse_enum,
    parse_fact,
    parse_list,
    parse_money,
    parse_text,
    unguard,
)
from generator.interop.tabular import Table, read_table
from generator.model import Application, Kind
from generator.schema import suggest_id

APP, CAP, VENDOR, ORG = Kind.APPLICATION, Kind.CAPABILITY, Kind.VENDOR, Kind.ORGANISATION

#: Frontmatter keys in the order the content model lists them.
ORDER = tuple(name for name in Application.model_fields if name != "id")  # the model declares them in that order
REQUIRED = ("capabilities", "owner", "lifecycle", "hosting")
#: The type of an organisation unit an import creates, by the field that names it.
ORG_TYPES = {"owner": "service", "origin": "council"}
_LABELS = {"vendor": "vendor", "owner": "owner", "origin": "origin", "capabilities": "capability"}


@dataclass
class _Row:
    number: int
    data: dict[str, Any]  # field (as in mapping.FIELDS) -> parsed value
    given: set[str] = field(default_factory=set)  # fields the sheet itself has a value for
    id: str = ""
    existing: Entity | None = None

    @property
    def name(self) -> str:
        return self.data["name"]

    @property
    def where(self) -> str:
        return f"row {self.number}"


def plan_applications(root: Path, source: Path, mapping: Mapping | None = None, *, update: bool = False) -> Plan:
    """Everything importing ``source`` into the repository at ``root`` would
    write, and a message for every decision and every row not taken."""
    mapping = mapping or Mapping()
    table = read_table(
        source,
        sheet=mapping.sheet,
        header_row=mapping.header_row,
        is_header=lambda headers: any(mapping.field_for(h) == "name" for h in headers if h),
    )
    plan = Plan(Path(root))
    for text in table.notes:
        plan.note("note", table.source, text)
    columns = _columns(table, mapping, plan)
    registry = Registry.of_repository(Path(root))
    rows = _read_rows(table, columns, mapping, plan)
    rows = _identify(rows, registry, plan, update)
    rows = _resolve_applications(rows, registry, plan)
    for row in rows:
        _plan_row(row, registry, plan, table.source, update)
    return plan


# --- columns and rows ------------------------------------------------------------------------------------------


def _columns(table: Table, mapping: Mapping, plan: Plan) -> list[tuple[int, str, str]]:
    """(index, header, field) of every column that feeds a field; every other
    column is reported once."""
    fed: dict[str, str] = {}
    out = []
    computed = {header_key(h) for h in COMPUTED}
    where = f"{table.source} row {table.header_row}"
    for index, header in enumerate(table.headers):
        if not header:
            if any(not is_blank(cells[index]) for _, cells in table.rows if index < len(cells)):
                plan.note("ignored", where, f"column {_letter(index)} has no header: its values are not imported")
            continue
        target = mapping.field_for(header)
        if header_key(header) in computed and header_key(header) not in mapping.columns:
            plan.note("ignored", where, f"column '{header}' is computed by ea, not imported")
        elif target is None:
            plan.note(
                "ignored",
                where,
                f"column '{header}' matches no field: not imported (name its field in a mapping file to import it)",
            )
        elif target == "ignore":
            plan.note("ignored", where, f"column '{header}' is ignored by the mapping file")
        elif target in fed:
            plan.note("ignored", where, f"column '{header}' also maps to {target}, already read from '{fed[target]}'")
        else:
            fed[target] = header
            out.append((index, header, target))
    if "name" not in fed:
        raise EaError(
            f"{table.source}: no column for the application's name (looked for headers such as "
            "'Application', 'System name' or 'Name' in the first rows); name it in a mapping file "
            "(columns: {'Your header': name})"
        )
    return out


def _letter(index: int) -> str:
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def _read_rows(table: Table, columns: list[tuple[int, str, str]], mapping: Mapping, plan: Plan) -> list[_Row]:
    rows, blank = [], []
    defaulted: dict[str, tuple[Any, list[int]]] = {}
    for number, cells in table.rows:
        if all(is_blank(c) or (isinstance(c, str) and not c.strip()) for c in cells):
            blank.append(number)
            continue
        row = _Row(number, {})
        problems = []
        for index, header, target in columns:
            cell = cells[index] if index < len(cells) else None
            if is_blank(cell) if not _is_fact(target) else (cell is None or not str(cell).strip()):
                continue
            if isinstance(cell, str):
                cell = mapping.map_value(header, target, cell)
            try:
                row.data[target] = parse_cell(target, cell)
            except ValueError as exc:
                problems.append(f"{header}: {exc}")
                continue
            row.given.add(target)
            if target == "id" and row.data["id"] != str(cell).strip():
                plan.note("renamed", row.where, f"id {str(cell).strip()!r} is not a valid id: using '{row.data['id']}'")
        for target, text in mapping.defaults.items():
            if target not in row.data:
                try:
                    row.data[target] = parse_cell(target, mapping.map_value("", target, text))
                except ValueError as exc:
                    problems.append(f"default for {target}: {exc}")
                    continue
                defaulted.setdefault(target, (row.data[target], []))[1].append(row.number)
        if "name" not in row.data and not problems:
            problems.append("no application name")
        if problems:
            plan.note("skipped", row.where, "; ".join(problems))
            continue
        rows.append(row)
    if blank:
        plan.note("ignored", table.source, f"blank row{'s' if len(blank) > 1 else ''} {_ranges(blank)}")
    for target, (value, numbers) in defaulted.items():
        plan.note("default", table.source, f"{target}: {value!r} from the mapping file, for rows {_ranges(numbers)}")
    return rows


def _is_fact(target: str) -> bool:
    """Sustainability facts are the scheme's words: 'unknown' or 'none' may be
    a value it scores, so only an empty cell is no value."""
    return target.startswith("sustainability.") and target != "sustainability.assessed"


def _ranges(numbers: list[int]) -> str:
    out: list[str] = []
    start = prev = numbers[0]
    for n in [*numbers[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        out.append(str(start) if start == prev else f"{start}-{prev}")
        if n is not None:
            start = prev = n
    return ", ".join(out)


def parse_cell(target: str, cell: Any) -> Any:
    """One cell's value for ``target`` (a field of ``mapping.FIELDS``)."""
    cell = unguard(cell)
    if target == "id":
        return suggest_id(parse_text(cell))
    if target in ("name", "product", "contract.reference", "vendor", "owner", "origin", "replaced_by"):
        return parse_text(cell)
    if target in ("aliases", "tags", "capabilities"):
        return parse_list(cell)
    if target == "depends_on":
        return [_dependency(item) for item in parse_list(cell)]
    if target in ("lifecycle", "disposition", "hosting"):
        return parse_enum(target, parse_text(cell))
    if target == "users":
        return parse_count(cell, "users")
    if target == "contract.notice_months":
        return parse_count(cell, "notice period")
    if target == "annual_cost":
        return parse_money(cell)
    if target in ("contract.end", "sustainability.assessed"):
        return parse_date(cell)
    if target.startswith("sustainability."):
        return parse_fact(cell)
    if target == "body":
        return str(cell).strip()
    raise ValueError(f"no parser for {target}")  # pragma: no cover - mapping.FIELDS and this agree


def _dependency(item: str) -> tuple[str, str | None]:
    """'Academy [council tax accounts]' -> ('Academy', 'council tax accounts')."""
    if item.endswith("]") and "[" in item:
        name, _, data = item[:-1].rpartition("[")
        return name.strip(), data.strip() or None
    return item, None


# --- identities ------------------------------------------------------------------------------------------------


def _identify(rows: list[_Row], registry: Registry, plan: Plan, update: bool) -> list[_Row]:
    """Give each row its id: the existing application it names, or a new id
    by the slug rule with a visible suffix on a clash."""
    out = []
    seen: dict[str, int] = {}
    planned_rows: dict[str, int] = {}
    for row in rows:
        key = normalise_name(row.name)
        if key in seen:
            plan.note(
                "skipped",
                row.where,
                f"same name as row {seen[key]} ('{row.name}'): two applications with one name are a "
                "duplicated system (EA150); give each a name staff can tell apart",
            )
            continue
        seen[key] = row.number
        existing = registry.by_name(APP, row.name)
        explicit = row.data.get("id")
        if (existing is None or existing.path is None) and explicit:
            by_id = registry.by_id(APP, explicit)
            existing = by_id if by_id is not None and by_id.path is not None else None
        if existing is not None and existing.path is not None:
            row.id, row.existing = existing.id, existing
            if not update:
                plan.note(
                    "exists",
                    row.where,
                    f"{existing.path} exists: not overwritten (--update merges the sheet's fields into it)",
                )
                continue
            out.append(row)
            continue
        missing = [f for f in REQUIRED if f not in row.data]
        if missing:
            plan.note(
                "skipped",
                row.where,
                f"'{row.name}': no {', '.join(missing)} (required; fill the cell, or give a default in a "
                "mapping file: defaults: {" + f"{missing[0]}: ...}}" + ")",
            )
            continue
        base = explicit or suggest_id(row.name)
        row.id = registry.free_id(APP, base)
        if row.id != base:
            taken = registry.by_id(APP, base)
            assert taken is not None
            holder = taken.path or f"row {planned_rows.get(taken.id, '?')}"
            plan.note(
                "renamed",
                row.where,
                f"id '{base}' is already {holder} ('{taken.name or taken.id}'): '{row.name}' gets id '{row.id}'",
            )
        registry.add(Entity(APP, row.id, row.name, None))
        planned_rows[row.id] = row.number
        out.append(row)
    return out


def _resolve_applications(rows: list[_Row], registry: Registry, plan: Plan) -> list[_Row]:
    """Turn dependency and successor names into ids. A row naming an
    application that is neither in the sheet nor in the repository is skipped;
    so, in turn, is a row that named a skipped one."""
    alive = list(rows)
    while True:
        by_name = {normalise_name(r.name): r.id for r in alive}
        by_id = {r.id.casefold(): r.id for r in alive}

        def lookup(text: str, by_name: dict[str, str] = by_name, by_id: dict[str, str] = by_id) -> str | None:
            found = by_name.get(normalise_name(text)) or by_id.get(text.casefold()) or by_id.get(suggest_id(text))
            if found:
                return found
            entity = registry.resolve(APP, text)
            return entity.id if entity is not None and entity.path is not None else None

        failed = []
        for row in alive:
            missing = [n for n, _ in row.data.get("depends_on", []) if lookup(n) is None]
            if "replaced_by" in row.data and lookup(row.data["replaced_by"]) is None:
                missing.append(row.data["replaced_by"])
            if missing:
                failed.append((row, missing))
            else:
                row.data["_depends_on"] = [(lookup(n), d) for n, d in row.data.get("depends_on", [])]
                if "replaced_by" in row.data:
                    row.data["_replaced_by"] = lookup(row.data["replaced_by"])
        if not failed:
            return alive
        for row, missing in failed:
            names = ", ".join(f"'{m}'" for m in missing)
            plan.note(
                "skipped",
                row.where,
                f"'{row.name}' names {names}, which is neither an application in the repository nor a row "
                "taken from this sheet",
            )
            alive.remove(row)


# --- files -----------------------------------------------------------------------------------------------------


def _frontmatter(row: _Row, refs: dict[str, Any], only: set[str] | None = None) -> dict[str, Any]:
    """The row as frontmatter in the content model's order; ``only`` limits it
    to the fields the sheet gave (for --update)."""
    d = row.data

    def wanted(name: str) -> bool:
        return only is None or name in only

    out: dict[str, Any] = {}
    for key in ORDER:
        if key in ("vendor", "owner", "origin", "capabilities"):
            if key in refs and wanted(key):
                out[key] = refs[key]
        elif key == "replaced_by":
            if "_replaced_by" in d and wanted(key):
                out[key] = d["_replaced_by"]
        elif key == "depends_on":
            if d.get("_depends_on") and wanted(key):
                out[key] = [app if data is None else {"app": app, "data": data} for app, data in d["_depends_on"]]
        elif key == "contract":
            contract = {
                k: d[f"contract.{k}"]
                for k in ("end", "notice_months", "reference")
                if f"contract.{k}" in d and wanted(f"contract.{k}")
            }
            if contract:
                out[key] = contract
        elif key == "sustainability":
            facts = {f.split(".", 1)[1]: v for f, v in d.items() if f.startswith("sustainability.") and wanted(f)}
            if facts:
                out[key] = dict(sorted(facts.items(), key=lambda kv: (kv[0] == "assessed", kv[0])))
        elif key in d and wanted(key):
            out[key] = d[key]
    return out


def _plan_row(row: _Row, registry: Registry, plan: Plan, source: str, update: bool) -> None:
    refs: dict[str, Any] = {}
    creations: list[tuple[Kind, str, str, str]] = []  # kind, id, name, field

    def ref(kind: Kind, text: str, field_name: str) -> str:
        entity = registry.resolve(kind, text)
        if entity is not None:
            return entity.id
        for k, id_, name, _ in creations:
            if k is kind and normalise_name(name) == normalise_name(text):
                return id_
        id_ = registry.free_id(kind, suggest_id(text))
        creations.append((kind, id_, text, field_name))
        return id_

    for key, kind in (("vendor", VENDOR), ("owner", ORG), ("origin", ORG)):
        if key in row.data:
            refs[key] = ref(kind, row.data[key], key)
    if "capabilities" in row.data:
        refs["capabilities"] = list(dict.fromkeys(ref(CAP, c, "capabilities") for c in row.data["capabilities"]))

    if row.existing is not None:
        updates = _frontmatter(row, refs, row.given)
        assert row.existing.path is not None
        raw = (plan.root / row.existing.path).read_bytes()
        merged = merge(raw, row.existing.path, updates)
        if merged.problem:
            plan.note("skipped", row.where, f"{row.existing.path}: {merged.problem}")
            return
        _create_references(creations, registry, plan, row)
        if merged.content is None:
            plan.note("unchanged", row.where, f"{row.existing.path} already has the sheet's values")
            return
        plan.files.append(PlannedFile(APP, row.id, row.existing.path, merged.content, "update"))
        plan.note("updated", row.where, f"{row.existing.path}: {', '.join(merged.changed)}")
        return

    data = _frontmatter(row, refs)
    try:
        Application.model_validate({**data, "id": row.id})
    except ValidationError as exc:
        reasons = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors(include_url=False))
        plan.note("skipped", row.where, f"'{row.name}': {reasons}")
        return
    _create_references(creations, registry, plan, row)
    body = row.data.get("body") or f"Imported from {source}, row {row.number}."
    path = new_path(APP, row.id)
    plan.files.append(PlannedFile(APP, row.id, path, render(data, body), "create"))
    plan.note("created", row.where, f"{path} ('{row.name}')")


def _create_references(creations: list[tuple[Kind, str, str, str]], registry: Registry, plan: Plan, row: _Row) -> None:
    for kind, id_, name, field_name in creations:
        data: dict[str, Any] = {"name": name}
        if kind is ORG:
            data["type"] = ORG_TYPES[field_name]
        registry.add(Entity(kind, id_, name, None))
        path = new_path(kind, id_)
        body = f"Created by an import: named as {_LABELS[field_name]} by '{row.name}' ({row.where}). Describe it here."
        plan.files.append(PlannedFile(kind, id_, path, render(data, body), "create"))
        plan.note("created", row.where, f"{path} ('{name}', {_LABELS[field_name]} of '{row.name}')")
