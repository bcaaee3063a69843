"""Export the catalog as an applications register (CSV), a workbook with one
sheet per kind (Excel) or the whole catalog with its relations (JSON).

The CSV's headers are the ones ``ea import applications`` recognises, so a
register exported, edited in Excel and imported again keeps its ids and
values. References are shown by name, because people read the register;
the Id column carries the identity. Output is sorted by id, so two exports of
the same content are identical.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from generator import __version__
from generator.analysis.ratings import Rating, rate_all
from generator.catalog.catalog import RELATIONS, Catalog
from generator.core.spreadsheet import add_sheet, csv_bytes, workbook_bytes
from generator.interop.mapping import join_list
from generator.models.model import ENTITY_KINDS, Application, Kind

JSON_VERSION = 1

#: Columns of the applications register (CSV and the Applications sheet).
REGISTER = (
    "Id",
    "Name",
    "Aliases",
    "Vendor",
    "Product",
    "Capabilities",
    "Owner",
    "Origin",
    "Lifecycle",
    "TIME disposition",
    "Replaced by",
    "Hosting",
    "Depends on",
    "Users",
    "Annual cost (£)",
    "Contract end",
    "Notice period (months)",
    "Contract reference",
    "Tags",
    "Sustainability rating",
    "Sustainability score",
    "Sustainability assessed",
)


def _name(catalog: Catalog, kind: Kind, id_: str | None) -> str | None:
    if id_ is None:
        return None
    entity = catalog.of(kind).get(id_)
    return entity.name if entity is not None else id_


def _names(catalog: Catalog, kind: Kind, ids: list[str]) -> str:
    return join_list([n for n in (_name(catalog, kind, i) for i in ids) if n])


def _facts(catalog: Catalog) -> list[str]:
    """Every sustainability fact any application records, sorted."""
    keys: set[str] = set()
    for app in catalog.applications.values():
        if app.sustainability is not None:
            keys.update(app.sustainability.facts())
    return sorted(keys)


def register(catalog: Catalog) -> tuple[list[str], list[list[Any]]]:
    """(headers, rows) of the applications register, values typed (dates,
    numbers) so the workbook can format them; the CSV writes them as text."""
    ratings = rate_all(catalog)
    facts = _facts(catalog)
    headers = [*REGISTER, *(f"Sustainability: {f}" for f in facts)]
    rows = []
    for id_, app in sorted(catalog.applications.items()):
        rows.append(_register_row(catalog, id_, app, ratings.get(id_), facts))
    return headers, rows


def _register_row(catalog: Catalog, id_: str, app: Application, rating: Rating | None, facts: list[str]) -> list[Any]:
    contract = app.contract
    deps = []
    for dep in app.depends_on:
        name = _name(catalog, Kind.APPLICATION, dep.app)
        deps.append(f"{name} [{dep.data}]" if dep.data else name)
    s = app.sustainability
    own_facts = s.facts() if s is not None else {}
    return [
        id_,
        app.name,
        join_list(app.aliases),
        _name(catalog, Kind.VENDOR, app.vendor),
        app.product,
        _names(catalog, Kind.CAPABILITY, app.capabilities),
        _name(catalog, Kind.ORGANISATION, app.owner),
        _name(catalog, Kind.ORGANISATION, app.origin),
        app.lifecycle,
        app.disposition,
        _name(catalog, Kind.APPLICATION, app.replaced_by),
        app.hosting,
        join_list([d for d in deps if d]),
        app.users,
        app.annual_cost,
        contract.end if contract else None,
        contract.notice_months if contract else None,
        contract.reference if contract else None,
        join_list(app.tags),
        rating.rating if rating else None,
        rating.score if rating else None,
        s.assessed if s is not None else None,
        *(own_facts.get(f) for f in facts),
    ]


def export_csv(catalog: Catalog) -> bytes:
    """The applications register as CSV (UTF-8 with a byte-order mark, CRLF,
    formula-looking text guarded: see ``generator.core.spreadsheet``)."""
    return csv_bytes(*register(catalog))


# --- Excel -----------------------------------------------------------------------------------------------------


def _sheets(catalog: Catalog) -> list[tuple[str, list[str], list[list[Any]]]]:
    headers, rows = register(catalog)
    sheets = [("Applications", headers, rows)]
    caps = [
        [
            id_,
            c.name,
            _name(catalog, Kind.CAPABILITY, c.parent),
            _name(catalog, Kind.ORGANISATION, c.owner),
            c.description,
            "; ".join(str(code) for code in c.lgsl),
            "; ".join(c.tags),
            _names(catalog, Kind.APPLICATION, catalog.applications_for(id_)),
        ]
        for id_, c in sorted(catalog.capabilities.items())
    ]
    sheets.append(
        (
            "Capabilities",
            ["Id", "Name", "Part of", "Owner", "Description", "LGSL codes", "Tags", "Supported by"],
            caps,
        )
    )
    vendors = [
        [
            id_,
            v.name,
            v.website,
            v.carbon_reduction_plan,
            v.net_zero_target,
            "; ".join(v.tags),
            _names(catalog, Kind.APPLICATION, sorted(e.source for e in catalog.incoming(Kind.VENDOR, id_, "supplies"))),
        ]
        for id_, v in sorted(catalog.vendors.items())
    ]
    sheets.append(
        (
            "Vendors",
            ["Id", "Name", "Website", "Carbon Reduction Plan", "Net-zero target", "Tags", "Supplies"],
            vendors,
        )
    )
    orgs = [
        [
            id_,
            o.name,
            o.type,
            _name(catalog, Kind.ORGANISATION, o.parent),
            _names(
                catalog,
                Kind.APPLICATION,
                sorted(
                    e.source
                    for e in catalog.incoming(Kind.ORGANISATION, id_, "owns")
                    if e.relation.source is Kind.APPLICATION
                ),
            ),
        ]
        for id_, o in sorted(catalog.organisations.items())
    ]
    sheets.append(("Organisation units", ["Id", "Name", "Type", "Part of", "Owns"], orgs))
    return sheets + _governance_sheets(catalog)


def _governance_sheets(catalog: Catalog) -> list[tuple[str, list[str], list[list[Any]]]]:
    """Priorities, principles, proposals (and their options) and decisions:
    a sheet each, for the kinds the repository has."""
    from generator.analysis.governance import GovernanceIndex, rate_option

    P, D, PRI, PRN = Kind.PROPOSAL, Kind.DECISION, Kind.PRIORITY, Kind.PRINCIPLE
    A, C, ORG = Kind.APPLICATION, Kind.CAPABILITY, Kind.ORGANISATION
    sheets: list[tuple[str, list[str], list[list[Any]]]] = []
    serving: dict[str, list[str]] = {}
    for pid, prop in catalog.proposals.items():
        for pri in prop.priorities:
            serving.setdefault(pri, []).append(pid)
    citing: dict[str, list[str]] = {}
    superseded_by: dict[str, list[str]] = {}
    for did, dec in catalog.decisions.items():
        for pri in dec.priorities:
            citing.setdefault(pri, []).append(did)
        for old in dec.supersedes:
            superseded_by.setdefault(old, []).append(did)
    if catalog.priorities:
        rows = [
            [
                id_,
                p.name,
                _name(catalog, PRI, p.parent),
                _name(catalog, ORG, p.owner),
                p.from_,
                p.until,
                "; ".join(p.tags),
                _names(catalog, P, sorted(serving.get(id_, []))),
                _names(catalog, D, sorted(citing.get(id_, []))),
            ]
            for id_, p in sorted(catalog.priorities.items())
        ]
        headers = [
            "Id", "Name", "Part of", "Owner", "From", "Until", "Tags", "Served by proposals", "Cited by decisions",
        ]  # fmt: skip
        sheets.append(("Priorities", headers, rows))
    if catalog.principles:
        rows = [
            [id_, p.name, p.statement, p.rationale, join_list(p.implications), p.status, p.source, "; ".join(p.tags)]
            for id_, p in sorted(catalog.principles.items())
        ]
        headers = ["Id", "Name", "Statement", "Rationale", "Implications", "Status", "Source", "Tags"]
        sheets.append(("Principles", headers, rows))
    if catalog.proposals:
        ratings = rate_all(catalog)
        index = GovernanceIndex(catalog)
        rows, options = [], []
        for id_, p in sorted(catalog.proposals.items()):
            recommended = next((o for o in p.options if o.recommended), None)
            rated = rate_option(catalog, recommended, ratings) if recommended is not None else None
            verdicts = [v.meets for v in p.principles.values()]
            rows.append(
                [
                    id_,
                    p.name,
                    p.status,
                    _name(catalog, ORG, p.requested_by),
                    p.sponsor,
                    p.submitted,
                    p.needed_by,
                    p.meeting,
                    _names(catalog, PRI, p.priorities),
                    _names(catalog, C, p.capabilities),
                    len(p.options),
                    recommended.name if recommended else None,
                    rated.rating if rated else None,
                    ", ".join(f"{w} {verdicts.count(w)}" for w in ("yes", "partly", "no")) if verdicts else None,
                    _names(catalog, D, index.decisions_for(id_)),
                    _names(catalog, A, p.delivers),
                    p.one_off_cost,
                    "; ".join(p.tags),
                ]
            )
            for o in p.options:
                rating = rate_option(catalog, o, ratings)
                options.append(
                    [
                        id_,
                        p.name,
                        o.name,
                        "reuse" if o.application else "new",
                        _name(catalog, A, o.application),
                        _name(catalog, Kind.VENDOR, o.vendor),
                        o.product,
                        o.hosting,
                        o.annual_cost,
                        o.one_off_cost,
                        o.recommended,
                        rating.rating if rating else None,
                        rating.score if rating else None,
                    ]
                )
        headers = [
            "Id", "Name", "Status", "Requested by", "Sponsor", "Submitted", "Needed by", "Meeting",
            "Priorities", "Capabilities", "Options", "Recommended option", "Recommended option rating",
            "Principles met", "Decisions", "Delivers", "One-off cost (£)", "Tags",
        ]  # fmt: skip
        sheets.append(("Proposals", headers, rows))
        headers = [
            "Proposal id", "Proposal", "Option", "Reuse or new", "Application", "Vendor", "Product", "Hosting",
            "Annual cost (£)", "One-off cost (£)", "Recommended", "Sustainability rating", "Sustainability score",
        ]  # fmt: skip
        sheets.append(("Proposal options", headers, options))
    if catalog.decisions:
        decided: dict[str, set[str]] = {}  # from either side
        for did, dec in catalog.decisions.items():
            decided.setdefault(did, set()).update(dec.proposals)
        for pid, prop in catalog.proposals.items():
            if prop.decision is not None:
                decided.setdefault(prop.decision, set()).add(pid)
        rows = [
            [
                id_,
                d.name,
                d.status,
                d.date,
                d.deciders,
                _names(catalog, D, d.supersedes),
                _names(catalog, D, sorted(superseded_by.get(id_, []))),
                _names(catalog, P, sorted(decided.get(id_, set()))),
                _names(catalog, A, d.applications),
                _names(catalog, C, d.capabilities),
                _names(catalog, PRN, d.principles),
                _names(catalog, PRI, d.priorities),
                d.review_by,
                "; ".join(d.tags),
            ]
            for id_, d in sorted(catalog.decisions.items())
        ]
        headers = [
            "Id", "Name", "Status", "Date", "Deciders", "Supersedes", "Superseded by", "Proposals", "Applications",
            "Capabilities", "Principles", "Priorities", "Review by", "Tags",
        ]  # fmt: skip
        sheets.append(("Decisions", headers, rows))
    return sheets


def export_xlsx(catalog: Catalog, day: date | None = None) -> bytes:
    """A workbook with one sheet per kind: bold, frozen, filterable headers,
    real dates and numbers, pounds formatted as money. Dated ``day`` (default
    today), not to the second: exporting the same repository twice in a day
    gives the same file."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, headers, rows in _sheets(catalog):
        money = {h: '"£"#,##0.00' for h in headers if h.startswith(("Annual cost", "One-off cost"))}
        add_sheet(book, title, headers, rows, money)
    book.properties.creator = f"ea {__version__}"
    return workbook_bytes(book, day or date.today())


# --- JSON ------------------------------------------------------------------------------------------------------


def catalog_json(catalog: Catalog) -> dict[str, Any]:
    """The whole catalog with every relation resolved both ways (shape in
    docs/interop.md, ``version`` changes if it ever does)."""
    from generator.analysis.governance import GovernanceIndex

    ratings = rate_all(catalog)
    index = GovernanceIndex(catalog)
    out: dict[str, Any] = {"version": JSON_VERSION, "generator": f"ea {__version__}"}
    for kind in ENTITY_KINDS:
        items = []
        for id_, model in sorted(catalog.of(kind).items()):
            fields = model.model_dump(mode="json", by_alias=True, exclude={"id"}, exclude_none=True)
            fields = {k: v for k, v in fields.items() if v != []}
            src = catalog.sources.get((kind, id_))
            item: dict[str, Any] = {"id": id_, "path": src.path if src else None, **fields}
            item["relations"] = _relations(catalog, kind, id_)
            if kind is Kind.APPLICATION:
                rating = ratings.get(id_)
                item["sustainability_rating"] = (
                    {"rating": rating.rating, "score": rating.score} if rating is not None else None
                )
            if kind is Kind.PROPOSAL:
                item["assessment"] = _assessment(catalog, id_, ratings, index)
            item["body"] = src.doc.body.strip() + "\n" if src is not None and src.doc.body.strip() else ""
            items.append(item)
        out[kind.plural.replace(" ", "_")] = items
    if catalog.scheme is not None:
        out["sustainability_scheme"] = catalog.scheme.model_dump(mode="json", exclude_none=True)
    return out


def _assessment(catalog: Catalog, proposal_id: str, ratings: dict[str, Rating], index: Any) -> dict[str, Any]:
    """A proposal's computed assessment (``analysis.governance``), without
    what depends on today's date, so two exports of the same content agree."""
    from generator.analysis.governance import assess

    proposal = catalog.proposals[proposal_id]
    found = assess(catalog, proposal_id, proposal.submitted, ratings, index)
    keep = {"capabilities", "existing", "reuse_considered", "options", "recommended", "principles", "scorecard"}
    return found.model_dump(mode="json", include=keep | {"priorities", "decisions"})


def _relations(catalog: Catalog, kind: Kind, id_: str) -> dict[str, list[dict[str, Any]]]:
    rels: dict[str, list[dict[str, Any]]] = {}
    for rel in RELATIONS:
        if rel.source is kind:
            for e in catalog.outgoing(kind, id_, rel.name):
                if e.relation is rel:
                    rels.setdefault(rel.name, []).append(_ref(catalog, rel.target, e.target, e.data))
        if rel.target is kind:
            for e in catalog.incoming(kind, id_, rel.inverse):
                if e.relation is rel:
                    rels.setdefault(rel.inverse, []).append(_ref(catalog, rel.source, e.source, e.data))
    return {k: sorted(v, key=lambda r: (r["kind"], r["id"])) for k, v in rels.items()}


def _ref(catalog: Catalog, kind: Kind, id_: str, data: str | None) -> dict[str, Any]:
    ref: dict[str, Any] = {"kind": str(kind), "id": id_, "name": _name(catalog, kind, id_)}
    if data:
        ref["data"] = data
    return ref


def export_json(catalog: Catalog) -> str:
    return json.dumps(catalog_json(catalog), indent=2, ensure_ascii=False) + "\n"
