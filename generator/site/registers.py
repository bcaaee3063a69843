"""A register per kind: a table people filter and sort in the browser (by
``ea-assets/ea.js``; every row is on the page, nothing is fetched), and the
same records as CSV for Excel and as JSON."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from generator.models.model import DISPOSITIONS, HOSTINGS, LIFECYCLES, ORG_TYPES, Kind
from generator.site import roadmap
from generator.site.context import SECTIONS, SiteContext
from generator.site.entities import active_for, level
from generator.site.parts import band, block, contact_link, contact_of, meta, owner, page
from generator.site.render import esc
from generator.site.text import (
    DISPOSITION_LABELS,
    HOSTING_SHORT,
    LIFECYCLE_LABELS,
    ORG_TYPE_LABELS,
    long_date,
    money,
    number,
)
from generator.core.spreadsheet import csv_bytes, guard

NOT_DECIDED = "Not decided"
NOT_ASSESSED = "Not assessed"
RETIRED_UNRATED = "Retired: not rated"
TITLES = {
    Kind.APPLICATION: "Applications",
    Kind.CAPABILITY: "Capabilities",
    Kind.VENDOR: "Vendors",
    Kind.ORGANISATION: "Organisation units",
}


@dataclass(frozen=True, slots=True)
class Column:
    """A table column: ``cell`` gives (HTML, sort key or None) for an id."""

    header: str
    cell: Callable[[SiteContext, str, str], tuple[str, str | None]]
    numeric: bool = False


@dataclass(frozen=True, slots=True)
class Filter:
    """A drop-down filter on a row attribute; options in ``order`` first.
    ``value`` gives one value per row, or a list when a row has several (the
    capabilities an application supports): the row shows when any matches."""

    key: str
    label: str
    value: Callable[[SiteContext, str], str | list[str]]
    order: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Register:
    kind: Kind
    intro: str
    columns: tuple[Column, ...]
    filters: tuple[Filter, ...]
    record: Callable[[SiteContext, str], dict[str, Any]]


def money_key(value: float | None) -> str | None:
    return None if value is None else f"{value:015.2f}"


def int_key(value: int | None) -> str | None:
    return None if value is None else f"{value:010d}"


# --- values shared by table, filters and downloads -----------------------------


def lifecycle_of(ctx: SiteContext, id_: str) -> str:
    return LIFECYCLE_LABELS[ctx.catalog.applications[id_].lifecycle]


def disposition_of(ctx: SiteContext, id_: str) -> str:
    value = ctx.catalog.applications[id_].disposition
    return DISPOSITION_LABELS[value] if value else NOT_DECIDED


def hosting_of(ctx: SiteContext, id_: str) -> str:
    return HOSTING_SHORT[ctx.catalog.applications[id_].hosting]


def rating_of(ctx: SiteContext, id_: str) -> str:
    """The band; a retired system needs none (as the Sustainability report
    counts), so the "Not assessed" count agrees on every page."""
    if ctx.catalog.applications[id_].lifecycle == "retired":
        return RETIRED_UNRATED
    rating = ctx.ratings.get(id_)
    return rating.rating if rating else NOT_ASSESSED


def _named(kind: Kind, attr: str, empty: str) -> Callable[[SiteContext, str], str]:
    """The name of the entity a row's field ``attr`` refers to."""

    def value(ctx: SiteContext, id_: str) -> str:
        target = getattr(ctx.catalog.applications[id_], attr)
        return ctx.name(kind, target) if target else empty

    return value


def capabilities_of(ctx: SiteContext, id_: str) -> list[str]:
    """The capabilities an application supports and every one above them, so
    choosing "Council Tax" shows the systems of its sub-capabilities too."""
    caps = ctx.catalog.capabilities
    out: set[str] = set()
    for cap in ctx.catalog.applications[id_].capabilities:
        while cap in caps and cap not in out:
            out.add(cap)
            cap = caps[cap].parent or ""
    return sorted(caps[c].name for c in out)


def _doc(kind: Kind) -> str:
    return f"{SECTIONS[kind]}/index.md"


def _name(kind: Kind) -> Callable[[SiteContext, str, str], tuple[str, str | None]]:
    return lambda ctx, doc, i: (ctx.link(doc, kind, i), None)


def _ref(own: Kind, kind: Kind, attr: str) -> Callable[[SiteContext, str, str], tuple[str, str | None]]:
    """A cell linking to the entity that field ``attr`` of a row names."""

    def cell(ctx: SiteContext, doc: str, i: str) -> tuple[str, str | None]:
        target = getattr(ctx.catalog.of(own)[i], attr)
        if not target:
            return "", None
        return ctx.link(doc, kind, target), ctx.name(kind, target).casefold()

    return cell


# --- applications --------------------------------------------------------------


def _app_vendor(ctx: SiteContext, doc: str, i: str) -> tuple[str, str | None]:
    app = ctx.catalog.applications[i]
    if not app.vendor:
        return '<span class="ea-sub">In-house</span>', None
    product = f'<br><span class="ea-sub">{esc(app.product)}</span>' if app.product else ""
    return ctx.link(doc, Kind.VENDOR, app.vendor) + product, ctx.name(Kind.VENDOR, app.vendor).casefold()


def _owner_cell(ctx: SiteContext, doc: str, i: str) -> tuple[str, str | None]:
    target = ctx.catalog.applications[i].owner
    return owner(ctx, doc, target, short=True), ctx.name(Kind.ORGANISATION, target).casefold()


def _app_caps(ctx: SiteContext, doc: str, i: str) -> tuple[str, str | None]:
    caps = ctx.catalog.applications[i].capabilities
    return ", ".join(ctx.link(doc, Kind.CAPABILITY, c) for c in caps), None


def _app_cost(ctx: SiteContext, doc: str, i: str) -> tuple[str, str | None]:
    cost = ctx.catalog.applications[i].annual_cost
    return (esc(money(cost)) if cost is not None else ""), money_key(cost)


def _app_contract(ctx: SiteContext, doc: str, i: str) -> tuple[str, str | None]:
    contract = ctx.catalog.applications[i].contract
    if contract is None or contract.end is None:
        return "", None
    return f'<span class="ea-nowrap">{esc(long_date(contract.end))}</span>', contract.end.isoformat()


def _app_carbon(ctx: SiteContext, doc: str, i: str) -> tuple[str, str | None]:
    value, evidence = roadmap.carbon_figures(ctx).get(i, (None, "unknown"))
    if value is None:
        return '<span class="ea-sub">Not known</span>', None
    return f'{esc(number(value))} <span class="ea-sub">{esc(evidence)}</span>', f"{value:015.1f}"


def _app_rating(ctx: SiteContext, doc: str, i: str) -> tuple[str, str | None]:
    rating = ctx.ratings.get(i)
    if rating is None:
        return '<span class="ea-sub">Not assessed</span>', None
    return band(rating.rating, f"score {number(rating.score)}"), rating.rating


def _text(value: Callable[[SiteContext, str], str]) -> Callable[[SiteContext, str, str], tuple[str, str | None]]:
    return lambda ctx, doc, i: (esc(value(ctx, i)), None)


def app_record(ctx: SiteContext, i: str) -> dict[str, Any]:
    app = ctx.catalog.applications[i]
    rating = ctx.ratings.get(i)
    contract = app.contract
    return {
        "id": i,
        "name": app.name,
        "aliases": list(app.aliases),
        "vendor": app.vendor,
        "vendor_name": ctx.name(Kind.VENDOR, app.vendor) if app.vendor else None,
        "product": app.product,
        "capabilities": list(app.capabilities),
        "owner": app.owner,
        "owner_contact": contact_of(ctx, app.owner),
        "origin": app.origin,
        "lifecycle": app.lifecycle,
        "disposition": app.disposition,
        "replaced_by": app.replaced_by,
        "hosting": app.hosting,
        "depends_on": [d.app for d in app.depends_on],
        "users": app.users,
        "annual_cost": _plain(app.annual_cost),
        "contract_end": contract.end.isoformat() if contract and contract.end else None,
        "contract_notice_months": contract.notice_months if contract else None,
        "contract_reference": contract.reference if contract else None,
        "rating": rating.rating if rating else None,
        "score": _plain(rating.score) if rating else None,
        "assessed": app.sustainability.assessed.isoformat()
        if app.sustainability and app.sustainability.assessed
        else None,
        "tags": list(app.tags),
        "kgco2e": roadmap.carbon_figures(ctx).get(i, (None, "unknown"))[0],
        "carbon_evidence": roadmap.carbon_figures(ctx).get(i, (None, "unknown"))[1],
        "page": ctx.urls.url(ctx.doc(Kind.APPLICATION, i)),
        "source": ctx.catalog.source(Kind.APPLICATION, i).path,
    }


APPLICATIONS = Register(
    Kind.APPLICATION,
    "Every application (deployed system) in the repository. Type to filter, choose from the lists, or select a "
    "column heading to sort. Filters are kept in the address, so a filtered view can be shared.",
    (
        # what decisions need first, so it is in view at 1400 px without scrolling
        Column("Name", _name(Kind.APPLICATION)),
        Column("Vendor", _app_vendor),
        Column("Owner", _owner_cell),
        Column("Lifecycle", _text(lifecycle_of)),
        Column("TIME", _text(disposition_of)),
        Column("Rating", _app_rating),
        Column("Annual cost", _app_cost, numeric=True),
        Column("Carbon a year (kg)", _app_carbon, numeric=True),
        Column("Contract ends", _app_contract),
        Column("Capabilities", _app_caps),
        Column("Origin", _ref(Kind.APPLICATION, Kind.ORGANISATION, "origin")),
        Column("Hosting", _text(hosting_of)),
    ),
    (
        Filter("owner", "Owner", _named(Kind.ORGANISATION, "owner", "")),
        Filter("origin", "Origin", _named(Kind.ORGANISATION, "origin", "None recorded")),
        Filter("vendor", "Vendor", _named(Kind.VENDOR, "vendor", "In-house")),
        Filter("capability", "Capability", capabilities_of),
        Filter("hosting", "Hosting", hosting_of, tuple(HOSTING_SHORT[v] for v in HOSTINGS)),
        Filter("lifecycle", "Lifecycle", lifecycle_of, tuple(LIFECYCLE_LABELS[v] for v in LIFECYCLES)),
        Filter("disposition", "TIME", disposition_of, (*(DISPOSITION_LABELS[v] for v in DISPOSITIONS), NOT_DECIDED)),
        Filter("rating", "Rating", rating_of),
    ),
    app_record,
)


# --- capabilities --------------------------------------------------------------


def _cap_count(rolled_up: bool) -> Callable[[SiteContext, str, str], tuple[str, str | None]]:
    def cell(ctx: SiteContext, doc: str, i: str) -> tuple[str, str | None]:
        count = len(active_for(ctx, i, rolled_up=rolled_up))
        return esc(number(count)), int_key(count)

    return cell


def _within(entities: Any, i: str) -> list[str]:
    """The names of an entity and every one it is part of, so choosing one
    shows it and everything beneath it (a cycle in the parents stops)."""
    out: list[str] = []
    seen: set[str] = set()
    current: str | None = i
    while current and current in entities and current not in seen:
        seen.add(current)
        out.append(entities[current].name)
        current = entities[current].parent
    return sorted(out, key=str.casefold)


def _owner_name(ctx: SiteContext, target: str | None) -> str:
    return ctx.name(Kind.ORGANISATION, target) if target else "None recorded"


#: how a capability is supported, worst first: the first is a gap
SUPPORT = ("None: a gap", "Only through sub-capabilities", "Directly")


def _support(ctx: SiteContext, i: str) -> str:
    if active_for(ctx, i, rolled_up=False):
        return SUPPORT[2]
    return SUPPORT[1] if active_for(ctx, i, rolled_up=True) else SUPPORT[0]


def cap_record(ctx: SiteContext, i: str) -> dict[str, Any]:
    cap = ctx.catalog.capabilities[i]
    return {
        "id": i,
        "name": cap.name,
        "parent": cap.parent,
        "level": level(ctx, i),
        "owner": cap.owner,
        "description": cap.description,
        "lgsl": list(cap.lgsl),
        "applications": ctx.catalog.applications_for(i),
        "active_applications": len(active_for(ctx, i, rolled_up=False)),
        "active_applications_rolled_up": len(active_for(ctx, i, rolled_up=True)),
        "tags": list(cap.tags),
        "page": ctx.urls.url(ctx.doc(Kind.CAPABILITY, i)),
        "source": ctx.catalog.source(Kind.CAPABILITY, i).path,
    }


CAPABILITIES = Register(
    Kind.CAPABILITY,
    "What the council does, as a hierarchy of capabilities, with the number of active applications supporting "
    "each (directly, and including sub-capabilities). A capability with none is a gap.",
    (
        Column("Name", _name(Kind.CAPABILITY)),
        Column("Part of", _ref(Kind.CAPABILITY, Kind.CAPABILITY, "parent")),
        Column("Level", lambda ctx, doc, i: (esc(str(level(ctx, i))), int_key(level(ctx, i))), numeric=True),
        Column("Owner", _ref(Kind.CAPABILITY, Kind.ORGANISATION, "owner")),
        Column("Active applications", _cap_count(False), numeric=True),
        Column("Including sub-capabilities", _cap_count(True), numeric=True),
    ),
    (
        Filter("within", "Within", lambda ctx, i: _within(ctx.catalog.capabilities, i)),
        Filter("level", "Level", lambda ctx, i: str(level(ctx, i)), tuple(str(n) for n in range(1, 100))),
        Filter("owner", "Owner", lambda ctx, i: _owner_name(ctx, ctx.catalog.capabilities[i].owner)),
        Filter("support", "Active applications", _support, SUPPORT),
    ),
    cap_record,
)


# --- vendors -------------------------------------------------------------------


def _supplied(ctx: SiteContext, i: str) -> list[str]:
    return sorted(e.source for e in ctx.catalog.incoming(Kind.VENDOR, i, "supplies"))


def _crp(ctx: SiteContext, i: str) -> str:
    value = ctx.catalog.vendors[i].carbon_reduction_plan
    return {True: "Yes", False: "No", None: "Not known"}[value]


#: net zero targets in bands (the UK's own target is 2050)
NET_ZERO = ("By 2030", "2031 to 2040", "2041 to 2050", "After 2050", "None recorded")
SUPPLIES = ("Supplies applications in use", "Supplies none in use")


def _net_zero(ctx: SiteContext, i: str) -> str:
    year = ctx.catalog.vendors[i].net_zero_target
    if year is None:
        return NET_ZERO[4]
    return NET_ZERO[0 if year <= 2030 else 1 if year <= 2040 else 2 if year <= 2050 else 3]


def _supplies(ctx: SiteContext, i: str) -> str:
    active = any(ctx.catalog.applications[a].lifecycle in ("active", "phase-out") for a in _supplied(ctx, i))
    return SUPPLIES[0] if active else SUPPLIES[1]


def vendor_record(ctx: SiteContext, i: str) -> dict[str, Any]:
    vendor = ctx.catalog.vendors[i]
    supplied = _supplied(ctx, i)
    return {
        "id": i,
        "name": vendor.name,
        "website": vendor.website,
        "carbon_reduction_plan": vendor.carbon_reduction_plan,
        "net_zero_target": vendor.net_zero_target,
        "applications": supplied,
        "annual_cost": _plain(sum(ctx.catalog.applications[a].annual_cost or 0 for a in supplied)),
        "tags": list(vendor.tags),
        "page": ctx.urls.url(ctx.doc(Kind.VENDOR, i)),
        "source": ctx.catalog.source(Kind.VENDOR, i).path,
    }


def _vendor_apps(ctx: SiteContext, doc: str, i: str) -> tuple[str, str | None]:
    count = len(_supplied(ctx, i))
    return esc(number(count)), int_key(count)


def _vendor_cost(ctx: SiteContext, doc: str, i: str) -> tuple[str, str | None]:
    cost = sum(ctx.catalog.applications[a].annual_cost or 0 for a in _supplied(ctx, i))
    return (esc(money(cost)) if cost else ""), (money_key(cost) if cost else None)


VENDORS = Register(
    Kind.VENDOR,
    "The council's suppliers, the applications each supplies and what those cost a year in total.",
    (
        Column("Name", _name(Kind.VENDOR)),
        Column("Applications", _vendor_apps, numeric=True),
        Column("Annual cost", _vendor_cost, numeric=True),
        Column("Carbon reduction plan", _text(_crp)),
        Column(
            "Net zero target",
            lambda ctx, doc, i: (
                esc(str(ctx.catalog.vendors[i].net_zero_target or "")),
                int_key(ctx.catalog.vendors[i].net_zero_target),
            ),
            numeric=True,
        ),
    ),
    (
        Filter("crp", "Carbon reduction plan", _crp, ("Yes", "No", "Not known")),
        Filter("net-zero", "Net zero target", _net_zero, NET_ZERO),
        Filter("supplies", "Applications", _supplies, SUPPLIES),
    ),
    vendor_record,
)


# --- organisation units --------------------------------------------------------


def _org_type(ctx: SiteContext, i: str) -> str:
    return ORG_TYPE_LABELS[ctx.catalog.organisations[i].type]


def _owned(ctx: SiteContext, i: str, source: Kind) -> list[str]:
    return sorted(e.source for e in ctx.catalog.incoming(Kind.ORGANISATION, i, "owns") if e.relation.source is source)


OWNS = ("Applications and capabilities", "Applications only", "Capabilities only", "Nothing")


def _owns(ctx: SiteContext, i: str) -> str:
    apps, caps = bool(_owned(ctx, i, Kind.APPLICATION)), bool(_owned(ctx, i, Kind.CAPABILITY))
    return OWNS[0] if apps and caps else OWNS[1] if apps else OWNS[2] if caps else OWNS[3]


def org_record(ctx: SiteContext, i: str) -> dict[str, Any]:
    org = ctx.catalog.organisations[i]
    return {
        "id": i,
        "name": org.name,
        "type": org.type,
        "parent": org.parent,
        "contact": org.contact,
        "applications_owned": _owned(ctx, i, Kind.APPLICATION),
        "capabilities_owned": _owned(ctx, i, Kind.CAPABILITY),
        "page": ctx.urls.url(ctx.doc(Kind.ORGANISATION, i)),
        "source": ctx.catalog.source(Kind.ORGANISATION, i).path,
    }


def _org_contact(ctx: SiteContext, doc: str, i: str) -> tuple[str, str | None]:
    contact = ctx.catalog.organisations[i].contact
    return (f'<span class="ea-contact">{contact_link(contact)}</span>', contact) if contact else ("", None)


def _owned_cell(source: Kind) -> Callable[[SiteContext, str, str], tuple[str, str | None]]:
    def cell(ctx: SiteContext, doc: str, i: str) -> tuple[str, str | None]:
        count = len(_owned(ctx, i, source))
        return esc(number(count)), int_key(count)

    return cell


ORGANISATIONS = Register(
    Kind.ORGANISATION,
    "The council's directorates, services and teams, the predecessor councils and partners, with what each owns.",
    (
        Column("Name", _name(Kind.ORGANISATION)),
        Column("Type", _text(_org_type)),
        Column("Part of", _ref(Kind.ORGANISATION, Kind.ORGANISATION, "parent")),
        Column("Contact", _org_contact),
        Column("Applications owned", _owned_cell(Kind.APPLICATION), numeric=True),
        Column("Capabilities owned", _owned_cell(Kind.CAPABILITY), numeric=True),
    ),
    (
        Filter("type", "Type", _org_type, tuple(ORG_TYPE_LABELS[t] for t in ORG_TYPES)),
        Filter("within", "Within", lambda ctx, i: _within(ctx.catalog.organisations, i)),
        Filter("owns", "Owns", _owns, OWNS),
    ),
    org_record,
)

REGISTERS = (APPLICATIONS, CAPABILITIES, VENDORS, ORGANISATIONS)


# --- rendering -----------------------------------------------------------------


def _plain(value: float | None) -> float | int | None:
    """12500.0 is written 12500; 1000.5 stays."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def _csv_cell(value: Any) -> str:
    """Lists joined with '; '; text that Excel would run as a formula is
    prefixed with an apostrophe (numbers are left alone)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        value = "; ".join(str(v) for v in value)
    if isinstance(value, int | float):
        return str(value)
    return guard(str(value))


def to_csv(records: list[dict[str, Any]]) -> bytes:
    """UTF-8 with a byte-order mark, so Excel reads names like 'Gwynedd Môn' right."""
    if not records:
        return "".encode("utf-8-sig")
    fields = list(records[0])
    return csv_bytes(fields, [[r.get(k) for k in fields] for r in records], cell=_csv_cell)


def to_json(records: list[dict[str, Any]]) -> bytes:
    return (json.dumps(records, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


#: what an empty register says instead of an empty table: what comes first
EMPTY: dict[Kind, str] = {
    Kind.ORGANISATION: "No organisation units have been added yet. The enterprise architecture team adds the "
    "council's directorates, services and teams first, because every capability and system names the unit "
    "that owns it.",
    Kind.CAPABILITY: "No capabilities have been added yet. Capabilities describe what the council does, such as "
    "deciding planning applications or collecting waste. The enterprise architecture team adds them once the "
    "organisation units that own them are in place.",
    Kind.VENDOR: "No suppliers have been added yet. They appear here once the enterprise architecture team "
    "records who supplies each system.",
    Kind.APPLICATION: "No applications have been added yet. The enterprise architecture team adds the council's "
    "systems once the organisation units and capabilities are in place, often by importing the council's "
    "existing list of systems.",
}


def empty_register_page(reg: Register) -> str:
    """A register with nothing in it says so, and what is added first."""
    return page(
        meta(TITLES[reg.kind], search={"exclude": True}, hide=["toc"]),
        block(f"<h1>{esc(TITLES[reg.kind])}</h1>"),
        block(f'<p class="ea-intro">{esc(reg.intro)}</p>\n<p class="ea-none">{esc(EMPTY[reg.kind])}</p>'),
    )


def register_page(ctx: SiteContext, reg: Register) -> str:
    doc = _doc(reg.kind)
    ids = ctx.sorted_ids(reg.kind)
    if not ids:
        return empty_register_page(reg)
    section = SECTIONS[reg.kind]
    csv_href = esc(ctx.href(doc, f"downloads/{section}.csv"))
    json_href = esc(ctx.href(doc, f"downloads/{section}.json"))
    values = {f.key: {i: f.value(ctx, i) for i in ids} for f in reg.filters}
    columns = "".join(f'<option value="{n}">{esc(col.header)}</option>' for n, col in enumerate(reg.columns, 1))
    controls = [
        '<label class="ea-filter ea-filter-text">Words<input type="search" data-ea-filter="text" '
        'placeholder="Whole words, e.g. council tax"></label>'
        '<label class="ea-filter">In<select data-ea-filter="in">'
        f'<option value="">Any column</option>{columns}</select></label>'
    ]
    for f in reg.filters:
        present: set[str] = set()
        for value in values[f.key].values():
            present.update(value if isinstance(value, list) else [value])
        present.discard("")
        options = [o for o in f.order if o in present] + sorted(present - set(f.order), key=str.casefold)
        opts = "".join(f'<option value="{esc(o)}">{esc(o)}</option>' for o in options)
        many = ' data-ea-many=""' if any(isinstance(v, list) for v in values[f.key].values()) else ""
        controls.append(
            f'<label class="ea-filter">{esc(f.label)}<select data-ea-filter="{esc(f.key)}"{many}>'
            f'<option value="">All</option>{opts}</select></label>'
        )
    heads = []
    for col in reg.columns:
        num = ' class="ea-num" data-type="number"' if col.numeric else ""
        heads.append(f'<th{num} aria-sort="none"><button type="button" class="ea-sort">{esc(col.header)}</button></th>')
    rows = []
    for i in ids:
        data = "".join(f' data-{esc(f.key)}="{esc(_joined(values[f.key][i]))}"' for f in reg.filters)
        cells = []
        for col in reg.columns:
            html, key = col.cell(ctx, doc, i)
            attrs = (' class="ea-num"' if col.numeric else "") + (f' data-sort="{esc(key)}"' if key is not None else "")
            # the label a phone shows beside the value when a row is a card
            cells.append(f'<td data-label="{esc(col.header)}"{attrs}>{html}</td>')
        rows.append(f"<tr{data}>{''.join(cells)}</tr>")
    total = number(len(ids))
    html = (
        '<div class="ea-register">\n'
        f'<p class="ea-downloads">Download this register: <a href="{csv_href}" download>CSV (opens in Excel)</a> · '
        f'<a href="{json_href}" download>JSON</a></p>\n'
        f'<p class="ea-intro">{esc(reg.intro)}</p>\n'
        f'<div class="ea-filters">{"".join(controls)}</div>\n'
        f'<p class="ea-shown" aria-live="polite">Showing {total} of {total}.</p>\n'
        f'<div class="ea-table-wrap" tabindex="0" role="region" aria-label="{esc(TITLES[reg.kind])} (scrolls)">\n'
        '<table class="ea-table ea-sortable">\n'
        f"<thead><tr>{''.join(heads)}</tr></thead>\n<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>\n</div>\n"
        '<p class="ea-empty" hidden>Nothing matches these filters.</p>\n</div>'
    )
    return page(
        meta(TITLES[reg.kind], search={"exclude": True}, hide=["toc"]),
        block(f"<h1>{esc(TITLES[reg.kind])}</h1>"),
        block(html),
    )


def _joined(value: str | list[str]) -> str:
    """Several values in one attribute, each between bars (names hold no bar
    that matters: a bar inside a name is replaced)."""
    if isinstance(value, list):
        return "|" + "|".join(v.replace("|", "/") for v in value) + "|"
    return value


def generate(ctx: SiteContext) -> Iterator[tuple[str, str | bytes]]:
    for reg in REGISTERS:
        section = SECTIONS[reg.kind]
        yield _doc(reg.kind), register_page(ctx, reg)
        records = [reg.record(ctx, i) for i in ctx.sorted_ids(reg.kind)]
        yield f"downloads/{section}.csv", to_csv(records)
        yield f"downloads/{section}.json", to_json(records)
