"""Import an application register (CSV or Excel): one application file per
row, plus the vendors, capabilities and organisation units the rows name when
the repository does not have them yet.

The rules, each reported as it is applied (docs/interop.md):

- a row is taken whole or not at all: a row with any value that cannot be
  read, or without a required field (and no default in the mapping file), is
  skipped with its row number and every reason;
- names become ids by the slug rule (``generator.models.schema.suggest_id``); an id
  already taken by a different entity gets ``-2``, ``-3``...;
- an application that already exists (same name, or the id the sheet gives)
  is never overwritten; with ``update`` only the fields the sheet has values
  for are merged into it, and its body and other fields are kept;
- references (vendor, owner, capabilities, dependencies) match an existing
  entity by id, by name or by the slug of the name, before a new one is made.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from generator.checks.rules import normalise_name, vendor_key
from generator.core.errors import EaError
from generator.interop.files import (
    Entity,
    Plan,
    PlannedFile,
    Registry,
    merge,
    new_path,
    removed_paths,
    render,
)
from generator.interop.mapping import (
    COMPUTED,
    OWNER_TYPES,
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
from generator.models.model import FOLDERS, Application, Kind, valid_id
from generator.models.schema import suggest_id

APP, CAP, VENDOR, ORG = Kind.APPLICATION, Kind.CAPABILITY, Kind.VENDOR, Kind.ORGANISATION

#: Frontmatter keys in the order the content model lists them.
ORDER = tuple(name for name in Application.model_fields if name != "id")  # the model declares them in that order
REQUIRED = ("capabilities", "owner", "lifecycle", "hosting")
#: The type of an organisation unit an import creates, by the field that names it.
ORG_TYPES = {"owner": "service", "origin": "council"}
_LABELS = {"vendor": "vendor", "owner": "owner", "origin": "origin", "capabilities": "capability"}


@dataclass(eq=False)  # rows are compared by identity
class _Row:
    number: int
    data: dict[str, Any]  # field (as in mapping.FIELDS) -> parsed value
    given: set[str] = field(default_factory=set)  # fields the sheet itself has a value for
    id: str = ""
    existing: Entity | None = None
    #: (topic, text) of everything wrong with the row, all reported at once
    problems: list[tuple[str, str]] = field(default_factory=list)
    failed: set[str] = field(default_factory=set)  # fields whose cell could not be read
    owner_type: str = "service"  # the type of an organisation unit the owner column creates

    @property
    def name(self) -> str:
        return self.data.get("name", "")

    @property
    def where(self) -> str:
        return f"row {self.number}"

    def problem(self, topic: str, text: str) -> None:
        self.problems.append((topic, text))


def plan_applications(
    root: Path,
    source: Path,
    mapping: Mapping | None = None,
    *,
    update: bool = False,
    recreate_deleted: bool = False,
) -> Plan:
    """Everything importing ``source`` into the repository at ``root`` would
    write, and a message for every decision and every row not taken.
    ``recreate_deleted`` allows creating again an entity whose file the
    repository's Git history deleted (otherwise its row is reported and skipped)."""
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
    removed = removed_paths(Path(root))
    rows = _read_rows(table, columns, mapping, plan)
    rows = _identify(rows, registry, plan, update, removed, recreate_deleted)
    _resolve_applications(rows, registry)
    context = _Context(registry, removed, recreate_deleted, _vendor_names(rows, registry))
    for row in rows:
        if not row.problems:
            _plan_row(row, context, plan, table.source)
        else:
            _check_row(row, context)
        if row.problems:
            label = f"'{row.name}': " if row.name else ""
            plan.note(
                "skipped", row.where, label + "; ".join(text for _, text in row.problems), [t for t, _ in row.problems]
            )
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
    """Every row that holds an application, with everything wrong with each;
    blank rows, exact repeats of an earlier row and total rows are left out
    and reported."""
    rows, blank, totals = [], [], []
    repeats: dict[tuple[str, ...], int] = {}
    repeated: list[tuple[int, int]] = []
    nulled: dict[tuple[str, str], list[int]] = {}
    defaulted: dict[str, tuple[Any, list[int]]] = {}
    name_index = next(index for index, _, target in columns if target == "name")
    for number, cells in table.rows:
        if all(is_blank(c) or (isinstance(c, str) and not c.strip()) for c in cells):
            blank.append(number)
            continue
        total = _total_label(cells, name_index)
        if total is not None:
            totals.append((number, total))
            continue
        signature = tuple(_signature(c) for c in cells)
        while signature and not signature[-1]:
            signature = signature[:-1]
        if signature in repeats:
            repeated.append((number, repeats[signature]))
            continue
        repeats[signature] = number
        row = _Row(number, {})
        for index, header, target in columns:
            cell = cells[index] if index < len(cells) else None
            if is_blank(cell) if not _is_fact(target) else (cell is None or not str(cell).strip()):
                continue
            if isinstance(cell, str):
                mapped = mapping.map_value(header, target, cell)
                if mapped is None:
                    nulled.setdefault((header, cell.strip()), []).append(number)
                    continue
                cell = mapped
            try:
                row.data[target] = parse_cell(target, cell)
            except ValueError as exc:
                row.problem(f"{target}: value not understood", f"{header}: {exc}")
                row.failed.add(target)
                continue
            row.given.add(target)
            if target == "owner":
                row.owner_type = OWNER_TYPES.get(header_key(header), "service")
            if target == "id" and row.data["id"] != str(cell).strip():
                plan.note("renamed", row.where, f"id {str(cell).strip()!r} is not a valid id: using '{row.data['id']}'")
        for target, text in mapping.defaults.items():
            if target not in row.data and target not in row.failed:
                try:
                    row.data[target] = parse_cell(target, mapping.map_value("", target, text))
                except ValueError as exc:
                    row.problem(f"{target}: default not understood", f"default for {target}: {exc}")
                    continue
                defaulted.setdefault(target, (row.data[target], []))[1].append(row.number)
        if "name" not in row.data and "name" not in row.failed:
            row.problem("no application name", "no application name")
        rows.append(row)
    if blank:
        plan.note(
            "ignored",
            table.source,
            f"blank row{'s' if len(blank) > 1 else ''} {_ranges(blank)}",
            ["blank row"] * len(blank),
        )
    for number, label in totals:
        plan.note("ignored", f"row {number}", f"a total row ('{label}'), not an application", ["total row"])
    for number, first in repeated:
        plan.note("ignored", f"row {number}", f"repeats row {first} exactly: imported once", ["repeated row"])
    for (header, text), numbers in sorted(nulled.items()):
        plan.note(
            "ignored",
            table.source,
            f"{header} '{text}' means no value (row{'s' if len(numbers) > 1 else ''} {_ranges(numbers)})",
            ["value meaning no value"],
        )
    for target, (value, numbers) in defaulted.items():
        plan.note("default", table.source, f"{target}: {value!r} from the mapping file, for rows {_ranges(numbers)}")
    return rows


#: A footer or sub-total row: "TOTAL", "Grand total", "Sub-total", "Subtotal:",
#: "Total cost", "Totals (Resources)". Not "Totalmobile", nor "Total Mobile".
_TOTAL = re.compile(
    r"^(?:grand\s*|sub[\s-]*)?totals?(?:\s+(?:cost|costs|spend|annual\s+cost|for\b.*|of\b.*))?"
    r"\s*(?:\(.*\))?\s*[:.]?$",
    re.IGNORECASE,
)


def _total_label(cells: list[Any], name_index: int) -> str | None:
    """The label of a total row: its name cell, or its first filled cell when
    the name is empty, reads as a total."""
    name = cells[name_index] if name_index < len(cells) else None
    candidates = [name] if not is_blank(name) else [c for c in cells if not is_blank(c)][:1]
    for cell in candidates:
        if isinstance(cell, str) and _TOTAL.match(cell.strip()):
            return re.sub(r"\s+", " ", cell.strip())
    return None


def _signature(cell: Any) -> str:
    """A cell as compared for exact repeats: spacing and case do not count."""
    return "" if cell is None else " ".join(str(cell).split()).casefold()


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
    if target in ("contract.end", "sustainability.assessed", "dates.live", "dates.phase_out", "dates.retire"):
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


def _identify(
    rows: list[_Row], registry: Registry, plan: Plan, update: bool, removed: dict[str, str | None], recreate: bool
) -> list[_Row]:
    """Give each row its id: the existing application it names (by the id the
    sheet gives, its name or one of its aliases), or a new id by the slug rule
    with a visible suffix on a clash. A row with problems gets no id."""
    out = []
    seen: dict[str, int] = {}
    planned_rows: dict[str, int] = {}
    for row in rows:
        if not row.name:
            out.append(row)
            continue
        key = normalise_name(row.name)
        if key in seen:
            row.problem(
                "same name as another row",
                f"same name as row {seen[key]} ('{row.name}'): two applications with one name are a "
                "duplicated system (EA150); give each a name staff can tell apart",
            )
            out.append(row)
            continue
        seen[key] = row.number
        explicit = row.data.get("id")
        existing = registry.by_id(APP, explicit) if explicit else None
        if existing is None or existing.path is None:
            existing = registry.by_name(APP, row.name)
        if existing is not None and existing.path is not None:
            row.id, row.existing = existing.id, existing
            if update and existing.name and normalise_name(existing.name) != key:
                # found by an alias or its id: the repository's name is the architect's
                # choice (a rename keeps the sheet's name as an alias), so the sheet's
                # older name does not undo it
                row.given.discard("name")
            if not update:
                plan.note(
                    "exists",
                    row.where,
                    f"{existing.path} exists: not overwritten (--update merges the sheet's fields into it)",
                    ["already in the repository"],
                )
                continue
            out.append(row)
            continue
        missing = [f for f in REQUIRED if f not in row.data and f not in row.failed]
        for f in missing:
            row.problem(
                f"no {f}",
                f"no {f} (required; fill the cell, or give a default in a mapping file: defaults: {{{f}: ...}})",
            )
        base = explicit or suggest_id(row.name)
        if not row.problems:
            path = new_path(APP, base) if valid_id(base) else None
            if path in removed and not recreate:
                row.problem("deleted from the repository", _removed_text("application", row.name, path, removed[path]))
        if row.problems:
            out.append(row)
            continue
        row.id = registry.free_id(APP, base)
        if row.id != base:
            taken = registry.by_id(APP, base)
            assert taken is not None
            holder = taken.path or f"row {planned_rows.get(taken.id, '?')}"
            plan.note(
                "renamed",
                row.where,
                f"id '{base}' is already {holder} ('{taken.name or taken.id}'): '{row.name}' gets id '{row.id}'",
                ["id taken: suffix added"],
            )
        registry.add(Entity(APP, row.id, row.name, None))
        planned_rows[row.id] = row.number
        out.append(row)
    return out


def _removed_text(what: str, name: str, path: str, moved_to: str | None) -> str:
    if moved_to:
        return (
            f"the {what} '{name}' ({path}) was renamed to {moved_to} in the repository: not created again "
            "(add the name to that file's aliases, or import with --recreate-deleted)"
        )
    return (
        f"the {what} '{name}' ({path}) was deleted from the repository: not created again "
        "(import with --recreate-deleted to create it anyway)"
    )


def _resolve_applications(rows: list[_Row], registry: Registry) -> None:
    """Turn dependency and successor names into ids. A row naming an
    application that is neither in the sheet nor in the repository gets a
    problem; so, in turn, does a row that named a row with problems (found by
    following the dependants of each failed row once: linear, however long
    the chains)."""
    alive = [r for r in rows if not r.problems]
    by_name = {normalise_name(r.name): r.id for r in alive}
    by_id = {r.id.casefold(): r.id for r in alive}
    new_rows = {r.id: r for r in alive if r.existing is None}  # rows whose application exists only if they are taken

    def found(text: str) -> str | None:
        hit = by_name.get(normalise_name(text)) or by_id.get(text.casefold()) or by_id.get(suggest_id(text))
        if hit:
            return hit
        entity = registry.resolve(APP, text)
        return entity.id if entity is not None and entity.path is not None else None

    def named(row: _Row) -> list[str]:
        out = [n for n, _ in row.data.get("depends_on", [])]
        return out + ([row.data["replaced_by"]] if "replaced_by" in row.data else [])

    dependants: dict[str, list[_Row]] = {}
    queue = []
    for row in alive:
        for text in named(row):
            target = found(text)
            if target is None:
                queue.append(row)
            elif target in new_rows:
                dependants.setdefault(target, []).append(row)
    dead: set[int] = set()
    while queue:
        row = queue.pop()
        if id(row) in dead:
            continue
        dead.add(id(row))
        queue.extend(dependants.get(row.id, []) if row.existing is None else [])

    def lookup(text: str) -> str | None:
        target = found(text)
        return None if target in new_rows and id(new_rows[target]) in dead else target

    for row in rows:
        names = [text for text in named(row) if lookup(text) is None]
        if names:
            row.problem(
                "names an application not imported",
                f"names {', '.join(repr(m) for m in names)}, which is neither an application in the repository nor "
                "a row taken from this sheet",
            )
        elif not row.problems:
            row.data["_depends_on"] = [(lookup(n), d) for n, d in row.data.get("depends_on", [])]
            if "replaced_by" in row.data:
                row.data["_replaced_by"] = lookup(row.data["replaced_by"])


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
        elif key == "dates":
            dates = {
                k: d[f"dates.{k}"]
                for k in ("live", "phase_out", "retire")
                if f"dates.{k}" in d and wanted(f"dates.{k}")
            }
            if dates:
                out[key] = dates
        elif key == "sustainability":
            facts = {f.split(".", 1)[1]: v for f, v in d.items() if f.startswith("sustainability.") and wanted(f)}
            if facts:
                out[key] = dict(sorted(facts.items(), key=lambda kv: (kv[0] == "assessed", kv[0])))
        elif key in d and wanted(key):
            out[key] = d[key]
    return out


@dataclass
class _Context:
    """What planning each row reads besides the row."""

    registry: Registry
    removed: dict[str, str | None]  # see files.removed_paths
    recreate: bool
    #: vendor_key -> (name, aliases) of each vendor the sheet names that the
    #: repository does not have: the shortest way the sheet writes it, and the others
    vendors: dict[str, tuple[str, tuple[str, ...]]]


def _vendor_names(rows: list[_Row], registry: Registry) -> dict[str, tuple[str, tuple[str, ...]]]:
    """One new vendor for each company the sheet names in several ways
    ("Civica UK Ltd", "Civica", "Civica UK Limited"): named by the shortest
    way (usually the trading name), the others kept as its aliases."""
    seen: dict[str, dict[str, str]] = {}
    for row in rows:
        text = row.data.get("vendor")
        if not text or not vendor_key(text) or registry.resolve(VENDOR, text) is not None:
            continue
        seen.setdefault(vendor_key(text), {}).setdefault(normalise_name(text), text)
    out = {}
    for key, variants in seen.items():
        names = list(variants.values())
        name = min(names, key=lambda n: (len(n), names.index(n)))
        out[key] = (name, tuple(n for n in names if n != name))
    return out


Creation = tuple[Kind, str, str, str, tuple[str, ...]]  # kind, id, name, field, aliases


def _references(row: _Row, context: _Context, plan: Plan | None) -> tuple[dict[str, Any], list[Creation]]:
    """The ids the row's vendor, owner, origin and capabilities name, and the
    entities to create for names the repository does not have. A name whose
    file the repository deleted is a problem of the row (unless the context
    says to recreate); one it renamed resolves to the renamed file, noted in ``plan``."""
    refs: dict[str, Any] = {}
    creations: list[Creation] = []
    registry, removed, recreate = context.registry, context.removed, context.recreate

    def ref(kind: Kind, text: str, field_name: str) -> str:
        entity = registry.resolve(kind, text)
        if entity is not None:
            return entity.id
        aliases: tuple[str, ...] = ()
        if kind is VENDOR and vendor_key(text) in context.vendors:
            text, aliases = context.vendors[vendor_key(text)]
        for k, id_, name, _, _ in creations:
            if k is kind and normalise_name(name) == normalise_name(text):
                return id_
        base = suggest_id(text)
        path = new_path(kind, base) if valid_id(base) else None
        if path in removed:
            moved_to = removed[path]
            if moved_to is not None and moved_to.startswith(FOLDERS[kind] + "/"):
                target = registry.by_id(kind, moved_to.rsplit("/", 1)[-1][:-3])
                if target is not None:
                    if plan is not None:
                        plan.note(
                            "renamed",
                            row.where,
                            f"{_LABELS[field_name]} '{text}': {path} was renamed to {moved_to} in the repository; "
                            f"using '{target.id}'",
                            ["name of a renamed entity"],
                        )
                    return target.id
            if not recreate:
                row.problem("deleted from the repository", _removed_text(_LABELS[field_name], text, path, moved_to))
                return base
        id_ = registry.free_id(kind, base)
        creations.append((kind, id_, text, field_name, aliases))
        return id_

    for key, kind in (("vendor", VENDOR), ("owner", ORG), ("origin", ORG)):
        if key in row.data:
            refs[key] = ref(kind, row.data[key], key)
    if "capabilities" in row.data:
        refs["capabilities"] = list(dict.fromkeys(ref(CAP, c, "capabilities") for c in row.data["capabilities"]))
    return refs, creations


def _model_problems(row: _Row, data: dict[str, Any]) -> None:
    """What the content model refuses in a new application, less what the row
    already reports (a cell that could not be read, a required field missing)."""
    try:
        Application.model_validate({**data, "id": row.id} if row.id else data)
    except ValidationError as exc:
        reported = row.failed | {t.removeprefix("no ") for t, _ in row.problems}
        for e in exc.errors(include_url=False):
            field_name = ".".join(map(str, e["loc"]))
            if e["loc"] and str(e["loc"][0]) in reported:
                continue
            row.problem(f"{field_name}: not valid", f"{field_name}: {e['msg']}")


def _check_row(row: _Row, context: _Context) -> None:
    """Add every further problem of a row that will not be imported, so all
    of them are reported at once (nothing is planned or registered)."""
    if row.existing is not None or not row.name:
        return
    refs, _ = _references(row, context, None)
    _model_problems(row, _frontmatter(row, refs))


def _plan_row(row: _Row, context: _Context, plan: Plan, source: str) -> None:
    registry = context.registry
    refs, creations = _references(row, context, plan)
    if row.problems:
        return
    if row.existing is not None:
        updates = _frontmatter(row, refs, row.given)
        assert row.existing.path is not None
        raw = (plan.root / row.existing.path).read_bytes()
        merged = merge(raw, row.existing.path, updates)
        if merged.problem:
            row.problem("existing file cannot be updated", f"{row.existing.path}: {merged.problem}")
            return
        _create_references(creations, registry, plan, row)
        if merged.content is None:
            plan.note("unchanged", row.where, f"{row.existing.path} already has the sheet's values", ["unchanged"])
            return
        plan.files.append(PlannedFile(APP, row.id, row.existing.path, merged.content, "update"))
        plan.note("updated", row.where, f"{row.existing.path}: {', '.join(merged.changed)}")
        return

    data = _frontmatter(row, refs)
    _model_problems(row, data)
    if row.problems:
        return
    _create_references(creations, registry, plan, row)
    body = row.data.get("body") or f"Imported from {source}, row {row.number}."
    path = new_path(APP, row.id)
    plan.files.append(PlannedFile(APP, row.id, path, render(data, body), "create"))
    plan.note("created", row.where, f"{path} ('{row.name}')")


def _create_references(creations: list[Creation], registry: Registry, plan: Plan, row: _Row) -> None:
    for kind, id_, name, field_name, aliases in creations:
        if registry.by_id(kind, id_) is not None:  # made by another name of the same row (or planned meanwhile)
            continue
        data: dict[str, Any] = {"name": name}
        if aliases:
            data["aliases"] = list(aliases)
        if kind is ORG:
            data["type"] = row.owner_type if field_name == "owner" else ORG_TYPES[field_name]
        registry.add(Entity(kind, id_, name, None, aliases))
        path = new_path(kind, id_)
        body = f"Created by an import: named as {_LABELS[field_name]} by '{row.name}' ({row.where}). Describe it here."
        plan.files.append(PlannedFile(kind, id_, path, render(data, body), "create"))
        plan.note("created", row.where, f"{path} ('{name}', {_LABELS[field_name]} of '{row.name}')")
