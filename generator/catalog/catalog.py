"""One catalog of every entity, with references resolved into edges.

Every relation is declared once, as a forward/inverse pair (as Backstage does
with ``ownedBy``/``ownerOf``), so pages, diagrams and analyses read "supports"
and "supported by" from one table and can never disagree.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from rapidfuzz import process

from generator.catalog.loader import Loaded, Source
from generator.core.findings import Finding
from generator.models.model import (
    ENTITY_KINDS,
    Application,
    Capability,
    Decision,
    Kind,
    Milestone,
    Organisation,
    Principle,
    Priority,
    Proposal,
    Scheme,
    Vendor,
)


@dataclass(frozen=True, slots=True)
class Relation:
    name: str
    inverse: str
    source: Kind
    target: Kind
    field: str
    label: str
    inverse_label: str


A, C, V, ORG, M = Kind.APPLICATION, Kind.CAPABILITY, Kind.VENDOR, Kind.ORGANISATION, Kind.MILESTONE
PRI, PRN, P, D = Kind.PRIORITY, Kind.PRINCIPLE, Kind.PROPOSAL, Kind.DECISION

RELATIONS: tuple[Relation, ...] = (
    Relation("supports", "supported_by", A, C, "capabilities", "Supports", "Supported by"),
    Relation("supplied_by", "supplies", A, V, "vendor", "Supplied by", "Supplies"),
    Relation("owned_by", "owns", A, ORG, "owner", "Owned by", "Owns"),
    Relation("brought_by", "brought", A, ORG, "origin", "Brought by (predecessor)", "Brought"),
    Relation("depends_on", "used_by", A, A, "depends_on", "Depends on", "Used by"),
    Relation("replaced_by", "replaces", A, A, "replaced_by", "Replaced by", "Replaces"),
    Relation(
        "distinct_from", "distinct_from_of", A, A, "distinct_from", "Distinct from", "Acknowledged as distinct by"
    ),
    Relation("complements", "complemented_by", A, A, "complements", "Works alongside", "Works alongside"),
    Relation("owned_by", "owns", C, ORG, "owner", "Owned by", "Owns"),
    Relation("part_of", "made_up_of", C, C, "parent", "Part of", "Made up of"),
    Relation("part_of", "made_up_of", ORG, ORG, "parent", "Part of", "Made up of"),
    # governance (docs/governance.md). A field ``a.b`` is field ``b`` of each
    # item of the list ``a``; a mapping's references are its keys.
    Relation("part_of", "made_up_of", PRI, PRI, "parent", "Part of", "Made up of"),
    Relation("owned_by", "owns", PRI, ORG, "owner", "Owned by", "Owns priorities"),
    Relation("requested_by", "requested", P, ORG, "requested_by", "Requested by", "Requested"),
    Relation("serves", "served_by", P, PRI, "priorities", "Serves priorities", "Served by proposals"),
    Relation("for_capability", "proposed_for", P, C, "capabilities", "For capabilities", "Proposals"),
    Relation("reuses", "reused_by", P, A, "options.application", "Options reusing", "Considered for reuse by"),
    Relation("considers", "considered_by", P, V, "options.vendor", "Suppliers considered", "Considered by proposals"),
    Relation("assessed_against", "assesses", P, PRN, "principles", "Assessed against", "Proposals assessed"),
    Relation("decided_by", "decides", P, D, "decision", "Decision", "Decides proposals"),
    Relation("delivers", "delivered_by", P, A, "delivers", "Delivered", "Delivered by proposal"),
    Relation("supersedes", "superseded_by", D, D, "supersedes", "Supersedes", "Superseded by"),
    Relation("decides_on", "decided_in", D, P, "proposals", "Proposals", "Decided in"),
    Relation("about", "decisions", D, A, "applications", "Applications", "Decisions"),
    Relation("about", "decisions", D, C, "capabilities", "Capabilities", "Decisions"),
    Relation("applies", "applied_in", D, PRN, "principles", "Principles applied", "Applied in decisions"),
    Relation("cites", "cited_in", D, PRI, "priorities", "Priorities", "Cited in decisions"),
    Relation("retires", "retired_by", M, A, "retired", "Retires", "Retired by milestone"),
    Relation("brings_live", "live_by", M, A, "live", "Brings live", "Live by milestone"),
)


def reference_fields() -> dict[Kind, tuple[str, ...]]:
    """The fields that hold references, by kind of entity."""
    fields: dict[Kind, tuple[str, ...]] = {}
    for rel in RELATIONS:
        if rel.field not in fields.get(rel.source, ()):
            fields[rel.source] = (*fields.get(rel.source, ()), rel.field)
    return fields


class Edge(NamedTuple):
    """A resolved reference (a tuple: tens of thousands are made per run)."""

    relation: Relation
    source: str
    target: str
    data: str | None = None


@dataclass
class Catalog:
    """Every valid entity by kind and id, plus the resolved edges."""

    root: Path
    capabilities: dict[str, Capability] = field(default_factory=dict)
    applications: dict[str, Application] = field(default_factory=dict)
    vendors: dict[str, Vendor] = field(default_factory=dict)
    organisations: dict[str, Organisation] = field(default_factory=dict)
    priorities: dict[str, Priority] = field(default_factory=dict)
    principles: dict[str, Principle] = field(default_factory=dict)
    proposals: dict[str, Proposal] = field(default_factory=dict)
    decisions: dict[str, Decision] = field(default_factory=dict)
    milestones: dict[str, Milestone] = field(default_factory=dict)
    scheme: Scheme | None = None
    #: where checks may keep memos between runs (None: no memo)
    memo_dir: Path | None = None
    #: the fuzzy name comparison when ``validate`` started it early (EA160)
    name_pairs: Future[set[tuple[str, str]]] | None = None
    sources: dict[tuple[Kind, str], Source] = field(default_factory=dict)
    _out: dict[tuple[Kind, str], list[Edge]] = field(default_factory=lambda: defaultdict(list))
    _in: dict[tuple[Kind, str], list[Edge]] = field(default_factory=lambda: defaultdict(list))
    _sorted: set[tuple[Kind, str]] = field(default_factory=set)
    #: ids of every entity file by kind, valid or not (set by ``build_catalog``)
    known: dict[Kind, set[str]] = field(default_factory=dict)
    #: True while the edges are still to be resolved (on first read)
    _pending: bool = False

    def _edges(self) -> None:
        if self._pending:
            self._pending = False
            resolve_references(self, edges=True)

    def subset(self, ids: dict[Kind, set[str]]) -> Catalog:
        """The same catalog with only these entities in the kinds named (and
        edges of its own), for running a local check (``Check.local``) on the
        entities an edit touched."""
        return Catalog(
            root=self.root,
            capabilities=_only(self.capabilities, ids.get(Kind.CAPABILITY)),
            applications=_only(self.applications, ids.get(Kind.APPLICATION)),
            vendors=_only(self.vendors, ids.get(Kind.VENDOR)),
            organisations=_only(self.organisations, ids.get(Kind.ORGANISATION)),
            priorities=_only(self.priorities, ids.get(Kind.PRIORITY)),
            principles=_only(self.principles, ids.get(Kind.PRINCIPLE)),
            proposals=_only(self.proposals, ids.get(Kind.PROPOSAL)),
            decisions=_only(self.decisions, ids.get(Kind.DECISION)),
            milestones=_only(self.milestones, ids.get(Kind.MILESTONE)),
            scheme=self.scheme,
            memo_dir=self.memo_dir,
            sources=self.sources,
            known=self.known,
            _pending=True,
        )

    def reference_findings(self) -> list[Finding]:
        """References that name nothing (EA130) or the wrong kind (EA131).
        Edges are not made here but on first read: validation alone never
        reads them."""
        return resolve_references(self, edges=False)

    def of(self, kind: Kind) -> dict[str, Any]:
        return {
            Kind.CAPABILITY: self.capabilities,
            Kind.APPLICATION: self.applications,
            Kind.VENDOR: self.vendors,
            Kind.ORGANISATION: self.organisations,
            Kind.PRIORITY: self.priorities,
            Kind.PRINCIPLE: self.principles,
            Kind.PROPOSAL: self.proposals,
            Kind.DECISION: self.decisions,
            Kind.MILESTONE: self.milestones,
        }[kind]

    def source(self, kind: Kind, id_: str) -> Source:
        return self.sources[(kind, id_)]

    def outgoing(self, kind: Kind, id_: str, name: str | None = None) -> list[Edge]:
        """Edges from this entity, e.g. ``outgoing(APPLICATION, x, "depends_on")``,
        by relation name and target. Sorted here, on first use, not when the
        catalog is built: validation never reads them, pages and diagrams do."""
        self._edges()
        key = (kind, id_)
        edges = self._out.get(key, ())
        if key not in self._sorted:
            self._sorted.add(key)
            if len(edges) > 1:
                edges.sort(key=_edge_order)
        return [e for e in edges if name is None or e.relation.name == name]

    def incoming(self, kind: Kind, id_: str, inverse: str | None = None) -> list[Edge]:
        """Edges into this entity by inverse name, e.g. ``incoming(APPLICATION, x, "used_by")``."""
        self._edges()
        return [e for e in self._in.get((kind, id_), ()) if inverse is None or e.relation.inverse == inverse]

    def related(self, kind: Kind, id_: str) -> Iterator[tuple[str, Kind, list[str]]]:
        """(label, kind of the other side, ids) for every relation of an entity,
        forward first, in the fixed order of ``RELATIONS``."""
        for rel in RELATIONS:
            if rel.source is kind:
                ids = [e.target for e in self.outgoing(kind, id_, rel.name) if e.relation is rel]
                if ids:
                    yield rel.label, rel.target, ids
        for rel in RELATIONS:
            if rel.target is kind:
                ids = [e.source for e in self.incoming(kind, id_, rel.inverse) if e.relation is rel]
                if ids:
                    yield rel.inverse_label, rel.source, sorted(ids)

    def children(self, kind: Kind, id_: str) -> list[str]:
        return sorted(e.source for e in self.incoming(kind, id_, "made_up_of"))

    def descendants(self, kind: Kind, id_: str) -> list[str]:
        out, stack, seen = [], [id_], {id_}
        while stack:
            for child in self.children(kind, stack.pop()):
                if child not in seen:
                    seen.add(child)
                    out.append(child)
                    stack.append(child)
        return sorted(out)

    def applications_for(self, capability_id: str, *, rolled_up: bool = False) -> list[str]:
        """Applications that support a capability (and, rolled up, any of its
        descendants), sorted by id."""
        caps = [capability_id] + (self.descendants(C, capability_id) if rolled_up else [])
        apps = {e.source for cap in caps for e in self.incoming(C, cap, "supported_by")}
        return sorted(apps)


#: ``Edge(...)`` goes through a generated Python ``__new__``; the tuple's own
#: constructor makes the same object without that call, once per reference.
_new_edge = tuple.__new__


def _loc(field_name: str, i: Any, value: Any) -> tuple[Any, ...]:
    """Where in the file the i-th reference of a field sits."""
    if "." in field_name:
        return (field_name.split(".", 1)[0], i, field_name.split(".", 1)[1])
    if isinstance(value, dict):
        return (field_name, i)
    if field_name == "depends_on":
        return (field_name, i, "app")
    if isinstance(value, list):
        return (field_name, i)
    return (field_name,)


def build_catalog(loaded: Loaded) -> tuple[Catalog, list[Finding]]:
    """Register every entity, with the files' own findings and id clashes
    (EA121). References are resolved in a later pass (as griffe does), once
    every entity is known: their findings by ``checks.check_references``
    (whose findings ``incremental`` may keep), their edges on first read."""
    catalog = Catalog(root=loaded.root)
    findings: list[Finding] = []
    known: dict[Kind, set[str]] = {k: set() for k in ENTITY_KINDS}
    by_folded: dict[tuple[Kind, str], Source] = {}
    for src in loaded.sources:
        findings.extend(src.findings)
        if src.kind is Kind.SCHEME:
            if src.model is not None:
                catalog.scheme = src.model  # type: ignore[assignment]
            catalog.sources[(Kind.SCHEME, "sustainability")] = src
            continue
        folded = (src.kind, src.id.casefold())
        first = by_folded.get(folded)
        if first is not None:
            same = "the same id" if first.id == src.id else "an id that differs only in letter case"
            findings.append(
                Finding(
                    "EA121",
                    src.path,
                    1,
                    f"{same} as {first.path} ('{first.id}')",
                    "rename one of the two files: ids must be unique, ignoring case, within a kind",
                )
            )
            continue
        by_folded[folded] = src
        known[src.kind].add(src.id)
        catalog.sources[(src.kind, src.id)] = src
        if src.model is not None:
            catalog.of(src.kind)[src.id] = src.model
    # Entities in id order (files are found in path order, and sub-folders
    # differ): every check iterates ``sorted(...)``, which is then one pass.
    catalog.capabilities = dict(sorted(catalog.capabilities.items()))
    catalog.applications = dict(sorted(catalog.applications.items()))
    catalog.vendors = dict(sorted(catalog.vendors.items()))
    catalog.organisations = dict(sorted(catalog.organisations.items()))
    catalog.priorities = dict(sorted(catalog.priorities.items()))
    catalog.principles = dict(sorted(catalog.principles.items()))
    catalog.proposals = dict(sorted(catalog.proposals.items()))
    catalog.decisions = dict(sorted(catalog.decisions.items()))
    catalog.milestones = dict(sorted(catalog.milestones.items()))
    catalog.known = known
    catalog._pending = True
    return catalog, findings


def resolve_references(catalog: Catalog, *, edges: bool) -> list[Finding]:
    """With ``edges``, turn every reference into an edge; without, a finding
    for each one that names nothing (EA130) or the wrong kind (EA131)."""
    findings: list[Finding] = []
    known = catalog.known
    out, into = catalog._out, catalog._in
    for kind in ENTITY_KINDS:
        entities = catalog.of(kind)
        # hoisted out of the loop: this pass runs once per reference (70,000
        # in a large repository) and is a visible share of a warm run
        rels = [
            (rel, rel.field, catalog.of(rel.target), known[rel.target], rel.target, rel.field.partition("."))
            for rel in RELATIONS
            if rel.source is kind
        ]
        for id_, model in entities.items():
            mine: list[Edge] | None = None
            for rel, field_name, targets, known_ids, target_kind, (head, dot, sub) in rels:
                value = getattr(model, head)
                if value is None:
                    continue
                if field_name == "depends_on":
                    refs = [(dep.app, dep.data) for dep in value]
                elif dot:
                    refs = [(getattr(item, sub), None) for item in value]
                elif value.__class__ is list:
                    refs = [(v, None) for v in value]
                elif value.__class__ is dict:
                    refs = [(k, v.meets) for k, v in value.items()]
                else:
                    refs = [(value, None)]
                for i, (target, data) in enumerate(refs):
                    if target is None:
                        continue  # an option without this field
                    if target in targets:
                        if edges:
                            edge = _new_edge(Edge, (rel, id_, target, data))
                            if mine is None:
                                mine = out[(kind, id_)]
                            mine.append(edge)
                            into[(target_kind, target)].append(edge)
                    elif target in known_ids or edges:
                        pass  # the target's own file is invalid and reported there
                    else:
                        loc = _loc(field_name, target if value.__class__ is dict else i, value)
                        findings.append(_broken(catalog.sources[(kind, id_)], loc, rel, target, known))
    return findings


def _only(entities: dict[str, Any], ids: set[str] | None) -> dict[str, Any]:
    return entities if ids is None else {i: m for i, m in entities.items() if i in ids}


def _edge_order(edge: Edge) -> tuple[str, str]:
    return edge.relation.name, edge.target


def _broken(src: Source, loc: tuple[Any, ...], rel: Relation, target: str, known: dict[Kind, set[str]]) -> Finding:
    line = src.line(loc)
    field_name = rel.field if "." not in rel.field else f"{loc[0]}[{loc[1]}].{loc[2]}"
    for other in ENTITY_KINDS:
        if other is not rel.target and target in known[other]:
            return Finding(
                "EA131",
                src.path,
                line,
                f"'{field_name}' must name {_a(rel.target)}, but '{target}' is {_a(other)}",
                f"use the id of {_a(rel.target)} (in {rel.target.folder}/)",
                key=loc,
            )
    near = [m[0] for m in process.extract(target, sorted(known[rel.target]), limit=3, score_cutoff=55)]
    hint = (
        ("did you mean " + ", ".join(f"'{n}'" for n in near) + "?")
        if near
        else (f"create {rel.target.folder}/{target}.md or correct the id")
    )
    return Finding(
        "EA130",
        src.path,
        line,
        f"'{field_name}' refers to {_a(rel.target)} '{target}' that does not exist",
        hint,
        key=loc,
    )


def _a(kind: Kind) -> str:
    word = "organisation unit" if kind is Kind.ORGANISATION else str(kind)
    return ("an " if word[0] in "aeiou" else "a ") + word
