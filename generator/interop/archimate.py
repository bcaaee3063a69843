"""The Open Group ArchiMate Model Exchange File Format (3.x): export the
catalog for Archi and other modelling tools, and import capabilities,
application components and business actors from any tool's exchange file.

Export maps kinds and relations onto ArchiMate concepts, using only
relationships the ArchiMate 3.1 relationship table (Appendix B) allows for
each pair of element types (``ALLOWED``), so tools that enforce it (Archi
does) accept the file:

==================  =====================================================
capability          Capability; ``parent`` as Composition parent -> child
application         ApplicationComponent; Realization -> each capability;
                    ``depends_on`` as Serving (or Flow named after the data)
                    from the dependency to the dependant; ``replaced_by``
                    as an Association named "replaced by"
vendor              BusinessActor; Association "supplies" -> application
organisation unit   BusinessActor; Association "owns" -> application or
                    capability, "brought" -> application (origin);
                    Composition parent -> child
priority            Goal; ``parent`` as Composition parent -> child;
                    ``owner`` as Association "owns"
principle           Principle
proposal            WorkPackage; Realization -> each priority it serves
                    and each application it ``delivers``; Influence ->
                    each principle it was assessed against, named after
                    the verdict ("meets: partly"); Associations "requested"
                    (from the service area), "for" (capabilities), "option:
                    reuse" (applications) and "option: supplier" (vendors)
decision            Assessment (ArchiMate has no decision element; an
                    assessment is the outcome of an analysis); Associations
                    "decides" (proposals, from either side), "supersedes",
                    "about" (applications, capabilities), "applies"
                    (principles) and "serves" (priorities)
==================  =====================================================

Every other field is a property (``propertyDefinitions``), including the
computed sustainability rating. Identifiers are deterministic (``id-app-<id>``)
and the output is sorted, so two exports of the same content are identical
and an export imported again gives the same ids.

Import reads bytes (the encoding declaration decides, e.g. Sparx's
windows-1252), refuses DTDs, entities and network access, and checks the
references an exchange file must keep (identifiers unique, relationship ends
and property definitions defined) before anything is planned: a file that
fails them is an error and nothing is written.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from lxml import etree
from pydantic import BaseModel, ValidationError

from generator import __version__
from generator.analysis.ratings import rate_all
from generator.catalog.catalog import Catalog
from generator.checks.rules import normalise_name
from generator.core.errors import EaError
from generator.core.report import printable
from generator.core.spreadsheet import cell_text
from generator.interop.files import Entity, Plan, PlannedFile, Registry, new_path, render
from generator.interop.mapping import (
    join_list,
    parse_count,
    parse_date,
    parse_enum,
    parse_fact,
    parse_list,
    parse_money,
    value_key,
)
from generator.models.model import MODELS, ORG_TYPES, Kind, valid_id
from generator.models.schema import suggest_id

NS = "http://www.opengroup.org/xsd/archimate/3.0/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SCHEMA_LOCATION = f"{NS} http://www.opengroup.org/xsd/archimate/3.1/archimate3_Diagram.xsd"
_T = f"{{{NS}}}"
_TYPE = f"{{{XSI}}}type"

APP, CAP, VENDOR, ORG = Kind.APPLICATION, Kind.CAPABILITY, Kind.VENDOR, Kind.ORGANISATION
PRI, PRN, PROP, DEC = Kind.PRIORITY, Kind.PRINCIPLE, Kind.PROPOSAL, Kind.DECISION
ELEMENT_TYPE = {
    CAP: "Capability",
    APP: "ApplicationComponent",
    VENDOR: "BusinessActor",
    ORG: "BusinessActor",
    PRI: "Goal",
    PRN: "Principle",
    PROP: "WorkPackage",
    DEC: "Assessment",
}
PREFIX = {
    CAP: "cap",
    APP: "app",
    VENDOR: "vendor",
    ORG: "org",
    PRI: "priority",
    PRN: "principle",
    PROP: "proposal",
    DEC: "decision",
}
KIND_WORD = {
    CAP: "capability",
    APP: "application",
    VENDOR: "vendor",
    ORG: "organisation unit",
    PRI: "priority",
    PRN: "principle",
    PROP: "proposal",
    DEC: "decision",
}
#: The kinds exported, in the order their elements are written.
EXPORTED = (CAP, APP, VENDOR, ORG, PRI, PRN, PROP, DEC)

#: The relationships ArchiMate 3.1 allows between the element types we write
#: (Appendix B; the same table as Archi's relationships.xml). Association is
#: allowed between any two elements.
ALLOWED: dict[tuple[str, str], frozenset[str]] = {
    ("ApplicationComponent", "Capability"): frozenset({"Association", "Realization"}),
    ("ApplicationComponent", "ApplicationComponent"): frozenset(
        {"Composition", "Flow", "Aggregation", "Association", "Realization", "Specialization", "Triggering", "Serving"}
    ),
    ("BusinessActor", "ApplicationComponent"): frozenset({"Flow", "Association", "Triggering", "Serving"}),
    ("BusinessActor", "BusinessActor"): frozenset(
        {"Composition", "Flow", "Aggregation", "Association", "Specialization", "Triggering", "Serving"}
    ),
    ("BusinessActor", "Capability"): frozenset({"Association", "Realization"}),
    ("Capability", "Capability"): frozenset(
        {"Composition", "Flow", "Aggregation", "Association", "Specialization", "Triggering", "Serving"}
    ),
    # governance: motivation and implementation elements
    ("Goal", "Goal"): frozenset({"Composition", "Aggregation", "Influence", "Association", "Specialization"}),
    ("BusinessActor", "Goal"): frozenset({"Influence", "Association", "Realization"}),
    ("BusinessActor", "WorkPackage"): frozenset({"Assignment", "Association"}),
    ("WorkPackage", "Goal"): frozenset({"Influence", "Association", "Realization"}),
    ("WorkPackage", "Principle"): frozenset({"Influence", "Association", "Realization"}),
    ("WorkPackage", "Capability"): frozenset({"Association", "Realization"}),
    ("WorkPackage", "ApplicationComponent"): frozenset({"Association", "Realization"}),
    ("WorkPackage", "BusinessActor"): frozenset({"Association", "Realization"}),
    ("Assessment", "Assessment"): frozenset(
        {"Composition", "Aggregation", "Influence", "Association", "Specialization"}
    ),
    ("Assessment", "WorkPackage"): frozenset({"Association"}),
    ("Assessment", "ApplicationComponent"): frozenset({"Association"}),
    ("Assessment", "Capability"): frozenset({"Association"}),
    ("Assessment", "Principle"): frozenset({"Influence", "Association"}),
    ("Assessment", "Goal"): frozenset({"Influence", "Association"}),
}

#: Properties by key: (name in the file, propertyDefinition type).
PROPERTIES: dict[str, tuple[str, str]] = {
    "kind": ("EA kind", "string"),
    "summary": ("Summary", "string"),
    "lgsl": ("LGSL codes", "string"),
    "aliases": ("Aliases", "string"),
    "product": ("Product", "string"),
    "lifecycle": ("Lifecycle", "string"),
    "disposition": ("TIME disposition", "string"),
    "hosting": ("Hosting", "string"),
    "users": ("Users", "number"),
    "annual_cost": ("Annual cost (GBP)", "number"),
    "contract_end": ("Contract end", "date"),
    "notice_months": ("Notice period (months)", "number"),
    "contract_reference": ("Contract reference", "string"),
    "rating": ("Sustainability rating", "string"),
    "score": ("Sustainability score", "number"),
    "assessed": ("Sustainability assessed", "date"),
    "website": ("Website", "string"),
    "carbon_reduction_plan": ("Carbon Reduction Plan", "boolean"),
    "net_zero_target": ("Net-zero target", "number"),
    "org_type": ("Organisation type", "string"),
    "status": ("Status", "string"),
    "statement": ("Statement", "string"),
    "rationale": ("Rationale", "string"),
    "plan_from": ("Plan period from", "date"),
    "plan_until": ("Plan period until", "date"),
    "sponsor": ("Sponsor", "string"),
    "submitted": ("Submitted", "date"),
    "needed_by": ("Needed by", "date"),
    "meeting": ("Digital Group meeting", "date"),
    "one_off_cost": ("One-off cost (GBP)", "number"),
    "recommended": ("Recommended option", "string"),
    "decided": ("Decision date", "date"),
    "deciders": ("Deciders", "string"),
    "review_by": ("Review by", "date"),
    "tags": ("Tags", "string"),
}
FACT_PREFIX = "Sustainability: "
COMPUTED = {"sustainability rating", "sustainability score"}


# === export ======================================================================================================


def element_id(kind: Kind, id_: str) -> str:
    return f"id-{PREFIX[kind]}-{id_}"


@dataclass
class _Relationship:
    type: str
    source: tuple[Kind, str]
    target: tuple[Kind, str]
    verb: str
    name: str | None = None

    @property
    def identifier(self) -> str:
        (sk, sid), (tk, tid) = self.source, self.target
        return f"id-{self.verb}.{PREFIX[sk]}-{sid}.{PREFIX[tk]}-{tid}"


def _relationships(catalog: Catalog) -> tuple[list[_Relationship], list[str]]:
    rels: list[_Relationship] = []
    for id_, cap in catalog.capabilities.items():
        if cap.parent in catalog.capabilities:
            rels.append(_Relationship("Composition", (CAP, cap.parent), (CAP, id_), "composes"))
        if cap.owner in catalog.organisations:
            rels.append(_Relationship("Association", (ORG, cap.owner), (CAP, id_), "owns", "owns"))
    for id_, org in catalog.organisations.items():
        if org.parent in catalog.organisations:
            rels.append(_Relationship("Composition", (ORG, org.parent), (ORG, id_), "composes"))
    for id_, app in catalog.applications.items():
        for cap_id in dict.fromkeys(app.capabilities):
            if cap_id in catalog.capabilities:
                rels.append(_Relationship("Realization", (APP, id_), (CAP, cap_id), "realizes"))
        if app.vendor in catalog.vendors:
            rels.append(_Relationship("Association", (VENDOR, app.vendor), (APP, id_), "supplies", "supplies"))
        if app.owner in catalog.organisations:
            rels.append(_Relationship("Association", (ORG, app.owner), (APP, id_), "owns", "owns"))
        if app.origin in catalog.organisations:
            rels.append(_Relationship("Association", (ORG, app.origin), (APP, id_), "brought", "brought"))
        if app.replaced_by in catalog.applications:
            rels.append(_Relationship("Association", (APP, id_), (APP, app.replaced_by), "replaced-by", "replaced by"))
        for dep in app.depends_on:
            if dep.app in catalog.applications:
                kind = "Flow" if dep.data else "Serving"
                rels.append(_Relationship(kind, (APP, dep.app), (APP, id_), kind.lower(), dep.data))
    rels += _governance_relationships(catalog)
    out: dict[str, _Relationship] = {}
    for rel in rels:
        ident, n = rel.identifier, 2
        while ident in out:  # the same pair twice (two data flows between two systems)
            ident = f"{rel.identifier}.{n}"
            n += 1
        out[ident] = rel
    for ident, rel in out.items():
        pair = (ELEMENT_TYPE[rel.source[0]], ELEMENT_TYPE[rel.target[0]])
        assert rel.type in ALLOWED[pair], f"{rel.type} is not allowed from {pair[0]} to {pair[1]} ({ident})"
    return [out[k] for k in sorted(out)], sorted(out)


def _governance_relationships(catalog: Catalog) -> list[_Relationship]:
    """Priorities, proposals and decisions (see the table in the module's
    docstring); each relation once, even when declared on both sides."""
    rels: list[_Relationship] = []

    def assoc(source: tuple[Kind, str], target: tuple[Kind, str], verb: str, name: str) -> None:
        if target[1] in catalog.of(target[0]):
            rels.append(_Relationship("Association", source, target, verb, name))

    for id_, pri in catalog.priorities.items():
        if pri.parent in catalog.priorities:
            rels.append(_Relationship("Composition", (PRI, pri.parent), (PRI, id_), "composes"))
        if pri.owner is not None:
            assoc((ORG, pri.owner), (PRI, id_), "owns", "owns")
    decides: set[tuple[str, str]] = set()
    for id_, prop in catalog.proposals.items():
        me = (PROP, id_)
        assoc((ORG, prop.requested_by), me, "requested", "requested")
        for pri_id in dict.fromkeys(prop.priorities):
            if pri_id in catalog.priorities:
                rels.append(_Relationship("Realization", me, (PRI, pri_id), "realizes"))
        for cap_id in dict.fromkeys(prop.capabilities):
            assoc(me, (CAP, cap_id), "for", "for")
        for app_id in dict.fromkeys(o.application for o in prop.options if o.application):
            assoc(me, (APP, app_id), "option-reuse", "option: reuse")
        for vendor_id in dict.fromkeys(o.vendor for o in prop.options if o.vendor):
            assoc(me, (VENDOR, vendor_id), "option-supplier", "option: supplier")
        for prn_id, verdict in prop.principles.items():
            if prn_id in catalog.principles:
                rels.append(_Relationship("Influence", me, (PRN, prn_id), "influences", f"meets: {verdict.meets}"))
        for app_id in dict.fromkeys(prop.delivers):
            if app_id in catalog.applications:
                rels.append(_Relationship("Realization", me, (APP, app_id), "realizes"))
        if prop.decision in catalog.decisions:
            decides.add((prop.decision, id_))
    for id_, dec in catalog.decisions.items():
        me = (DEC, id_)
        decides.update((id_, p) for p in dec.proposals if p in catalog.proposals)
        for old in dict.fromkeys(dec.supersedes):
            assoc(me, (DEC, old), "supersedes", "supersedes")
        for app_id in dict.fromkeys(dec.applications):
            assoc(me, (APP, app_id), "about", "about")
        for cap_id in dict.fromkeys(dec.capabilities):
            assoc(me, (CAP, cap_id), "about", "about")
        for prn_id in dict.fromkeys(dec.principles):
            assoc(me, (PRN, prn_id), "applies", "applies")
        for pri_id in dict.fromkeys(dec.priorities):
            assoc(me, (PRI, pri_id), "serves", "serves")
    for dec_id, prop_id in sorted(decides):
        rels.append(_Relationship("Association", (DEC, dec_id), (PROP, prop_id), "decides", "decides"))
    return rels


def _props(catalog: Catalog, kind: Kind, id_: str, model: Any, rating: Any) -> list[tuple[str, Any]]:
    """(property key, value) pairs for one element, in a fixed order."""
    out: list[tuple[str, Any]] = [("kind", KIND_WORD[kind])]
    if kind is CAP:
        out += [("summary", model.description), ("lgsl", "; ".join(map(str, model.lgsl)) or None)]
    elif kind is APP:
        contract = model.contract
        out += [
            ("aliases", join_list(model.aliases) or None),
            ("product", model.product),
            ("lifecycle", model.lifecycle),
            ("disposition", model.disposition),
            ("hosting", model.hosting),
            ("users", model.users),
            ("annual_cost", model.annual_cost),
            ("contract_end", contract.end if contract else None),
            ("notice_months", contract.notice_months if contract else None),
            ("contract_reference", contract.reference if contract else None),
            ("rating", rating.rating if rating else None),
            ("score", rating.score if rating else None),
        ]
        if model.sustainability is not None:
            out.append(("assessed", model.sustainability.assessed))
            out += [(f"fact:{k}", v) for k, v in sorted(model.sustainability.facts().items())]
    elif kind is VENDOR:
        out += [
            ("website", model.website),
            ("carbon_reduction_plan", model.carbon_reduction_plan),
            ("net_zero_target", model.net_zero_target),
        ]
    elif kind is ORG:
        out.append(("org_type", model.type))
    else:
        out += _governance_props(kind, model)
    out.append(("tags", join_list(getattr(model, "tags", [])) or None))
    return [(k, v) for k, v in out if v is not None]


def _governance_props(kind: Kind, model: Any) -> list[tuple[str, Any]]:
    if kind is PRI:
        return [("plan_from", model.from_), ("plan_until", model.until)]
    if kind is PRN:
        return [("statement", model.statement), ("rationale", model.rationale), ("status", model.status)]
    if kind is PROP:
        recommended = next((o.name for o in model.options if o.recommended), None)
        return [
            ("status", model.status),
            ("sponsor", model.sponsor),
            ("submitted", model.submitted),
            ("needed_by", model.needed_by),
            ("meeting", model.meeting),
            ("one_off_cost", model.one_off_cost),
            ("recommended", recommended),
        ]
    return [
        ("status", model.status),
        ("decided", model.date),
        ("deciders", model.deciders),
        ("review_by", model.review_by),
    ]


def _prop_type(values: list[Any]) -> str:
    if all(isinstance(v, bool) for v in values):
        return "boolean"
    if all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
        return "number"
    if all(isinstance(v, date) for v in values):
        return "date"
    return "string"


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    el = etree.SubElement(parent, _T + tag, attrs)
    if text is not None:
        el.text = _xml_text(text)
    return el


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(text: str) -> str:
    """XML 1.0 cannot hold most control characters, even escaped."""
    return _NOT_XML.sub("\ufffd", text)


@dataclass
class Exchange:
    """An export: the file's bytes, what its views hold, and a note for each
    view that could not be drawn (left out)."""

    data: bytes
    views: int = 0
    nodes: int = 0
    connections: int = 0
    notes: list[str] = field(default_factory=list)


def export_archimate(catalog: Catalog, *, name: str, views: bool = True) -> bytes:
    """The catalog as an exchange file (UTF-8 XML) named ``name``; see :func:`exchange`."""
    return exchange(catalog, name=name, views=views).data


def exchange(catalog: Catalog, *, name: str, views: bool = True) -> Exchange:
    """The catalog as an exchange file named ``name``, with views laid out by
    Graphviz (``generator.interop.archimate_views``) unless ``views`` is False:
    then the file is a model only, valid against the Model XSD as well as the
    Diagram XSD, and Graphviz is not needed."""
    ratings = rate_all(catalog)
    relationships, rel_ids = _relationships(catalog)
    laid_out: list[Any] = []
    notes: list[str] = []
    if views:
        from generator.interop.archimate_views import build_views

        index: dict[tuple[str, str], list[tuple[str, str, str]]] = defaultdict(list)
        for ident, rel in zip(rel_ids, relationships, strict=True):
            index[(element_id(*rel.source), element_id(*rel.target))].append((rel.type, rel.name or "", ident))
        laid_out, notes = build_views(catalog, element_id, index)
    elements: list[tuple[Kind, str, Any, list[tuple[str, Any]]]] = []
    for kind in EXPORTED:
        for id_, model in sorted(catalog.of(kind).items()):
            rating = ratings.get(id_) if kind is APP else None
            elements.append((kind, id_, model, _props(catalog, kind, id_, model, rating)))
    values: dict[str, list[Any]] = defaultdict(list)
    for *_, props in elements:
        for key, value in props:
            values[key].append(value)
    definitions: dict[str, tuple[str, str, str]] = {}  # key -> (identifier, name, type)
    for key in [*PROPERTIES, *sorted(k for k in values if k.startswith("fact:"))]:
        if key in values:
            if key.startswith("fact:"):
                fact = key[5:]
                definitions[key] = (f"propid-fact-{fact}", FACT_PREFIX + fact, _prop_type(values[key]))
            else:
                label, kind_of_value = PROPERTIES[key]
                definitions[key] = (f"propid-{key.replace('_', '-')}", label, kind_of_value)

    root = etree.Element(_T + "model", nsmap={None: NS, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", SCHEMA_LOCATION)
    root.set("identifier", "id-model")
    _sub(root, "name", name).set(XML_LANG, "en")
    _sub(root, "documentation", f"Exported by ea {__version__} (council EA repository).").set(XML_LANG, "en")
    if elements:
        container = _sub(root, "elements")
        for kind, id_, model, props in elements:
            el = _sub(container, "element", identifier=element_id(kind, id_))
            el.set(_TYPE, ELEMENT_TYPE[kind])
            _sub(el, "name", model.name).set(XML_LANG, "en")
            src = catalog.sources.get((kind, id_))
            body = src.doc.body.strip() if src is not None else ""
            if body:
                _sub(el, "documentation", body).set(XML_LANG, "en")
            if props:
                holder = _sub(el, "properties")
                for key, value in props:
                    prop = _sub(holder, "property", propertyDefinitionRef=definitions[key][0])
                    _sub(prop, "value", cell_text(value)).set(XML_LANG, "en")
    if relationships:
        container = _sub(root, "relationships")
        for ident, rel in zip(rel_ids, relationships, strict=True):
            el = _sub(
                container,
                "relationship",
                identifier=ident,
                source=element_id(*rel.source),
                target=element_id(*rel.target),
            )
            el.set(_TYPE, rel.type)
            if rel.name:
                _sub(el, "name", rel.name).set(XML_LANG, "en")
    _organizations(root, elements, rel_ids, [v.identifier for v in laid_out])
    if definitions:
        container = _sub(root, "propertyDefinitions")
        for ident, label, kind_of_value in definitions.values():
            definition = _sub(container, "propertyDefinition", identifier=ident, type=kind_of_value)
            _sub(definition, "name", label).set(XML_LANG, "en")
    if laid_out:
        from generator.interop.archimate_views import write_views

        write_views(root, laid_out, _sub, _TYPE, XML_LANG)
    # the declaration as Archi writes it (double quotes), then the tree
    data = b'<?xml version="1.0" encoding="UTF-8"?>\n' + etree.tostring(root, encoding="UTF-8", pretty_print=True)
    counts = [v.count() for v in laid_out]
    return Exchange(data, len(laid_out), sum(n for n, _ in counts), sum(c for _, c in counts), notes)


def _organizations(root: etree._Element, elements: list[Any], rel_ids: list[str], view_ids: list[str]) -> None:
    """Folders as Archi writes them (Strategy, Business, Application,
    Relations, Views), so the model opens tidy; empty folders are left out."""
    folders: list[tuple[str, list[tuple[str, list[str]]]]] = [
        ("Strategy", [("Capabilities", [element_id(k, i) for k, i, *_ in elements if k is CAP])]),
        (
            "Business",
            [
                ("Vendors", [element_id(k, i) for k, i, *_ in elements if k is VENDOR]),
                ("Organisation units", [element_id(k, i) for k, i, *_ in elements if k is ORG]),
            ],
        ),
        ("Application", [("Applications", [element_id(k, i) for k, i, *_ in elements if k is APP])]),
        (
            "Motivation",
            [
                ("Corporate priorities", [element_id(k, i) for k, i, *_ in elements if k is PRI]),
                ("Principles", [element_id(k, i) for k, i, *_ in elements if k is PRN]),
                ("Decisions", [element_id(k, i) for k, i, *_ in elements if k is DEC]),
            ],
        ),
        (
            "Implementation & Migration",
            [("Proposals", [element_id(k, i) for k, i, *_ in elements if k is PROP])],
        ),
        ("Relations", [("", rel_ids)]),
        ("Views", [("", view_ids)]),
    ]
    if not any(refs for _, subs in folders for _, refs in subs):
        return
    container = _sub(root, "organizations")
    for label, subs in folders:
        if not any(refs for _, refs in subs):
            continue
        top = _sub(container, "item")
        _sub(top, "label", label).set(XML_LANG, "en")
        for sub_label, refs in subs:
            if not refs:
                continue
            holder = top
            if sub_label:
                holder = _sub(top, "item")
                _sub(holder, "label", sub_label).set(XML_LANG, "en")
            for ref in refs:
                _sub(holder, "item", identifierRef=ref)


# === checking ====================================================================================================


#: Addresses under which published XSDs import the W3C schema of the xml:
#: attributes (xml:lang); the Open Group's ArchiMate XSDs and Dublin Core's
#: dc.xsd name them. A copy ships with the package, so the schemas load as
#: published with network access off.
XML_XSD_URLS = frozenset(
    {
        "http://www.w3.org/2001/xml.xsd",
        "http://www.w3.org/2001/03/xml.xsd",
        "http://www.w3.org/2009/01/xml.xsd",
        "https://www.w3.org/2001/xml.xsd",
        "https://www.w3.org/2009/01/xml.xsd",
    }
)


class _BundledXmlXsd(etree.Resolver):
    """Resolves the W3C xml.xsd to the package's copy; nothing else is fetched."""

    def resolve(self, url: str | None, pubid: str | None, context: object) -> object:
        if url in XML_XSD_URLS:
            path = resources.files("generator") / "data" / "xml.xsd"
            return self.resolve_string(path.read_bytes(), context, base_url=url)
        return None


@lru_cache(maxsize=4)
def _schema(xsd: str) -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    parser.resolvers.add(_BundledXmlXsd())
    try:
        return etree.XMLSchema(etree.parse(xsd, parser))
    except (OSError, etree.XMLSchemaParseError, etree.XMLSyntaxError) as exc:
        hint = ""
        if "does not resolve" in str(exc) or "http" in str(exc):
            hint = (
                " (an xs:import or xs:include in it names a schema on the web, and ea loads none: save that "
                "schema next to the XSD and point its schemaLocation at the local file)"
            )
        raise EaError(f"cannot load the XSD {xsd}: {exc}{hint}") from exc


def validate_xsd(content: bytes, xsd: Path) -> list[str]:
    """Problems ('line N: message') of ``content`` against the XSD at ``xsd``,
    loaded with network access off (so imports inside it must be local
    files); an empty list when it is valid."""
    schema = _schema(str(Path(xsd).resolve()))
    doc = etree.fromstring(content, _parser()).getroottree()
    if schema.validate(doc):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]


def _parser() -> etree.XMLParser:
    """No DTDs, no entity expansion, no network: an exchange file is data."""
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False
    )


# === import ======================================================================================================

_NCNAME = re.compile(r"^[A-Za-z_][\w.\-]*$")


@dataclass
class _Element:
    identifier: str
    type: str
    name: str
    documentation: str
    properties: dict[str, str]  # property name (case-folded) -> value
    prop_names: dict[str, str]  # case-folded -> as written
    line: int
    folders: set[str] = field(default_factory=set)

    @property
    def where(self) -> str:
        return f"line {self.line}"


@dataclass
class _Rel:
    identifier: str
    type: str
    source: str
    target: str
    name: str
    line: int


def read_exchange(raw: bytes, source: str, xsd: Path | None = None) -> tuple[list[_Element], list[_Rel]]:
    """Parse and check an exchange file; EaError (with line numbers) when it
    is not one or breaks the references every exchange file must keep."""
    try:
        root = etree.fromstring(raw, _parser())
    except etree.XMLSyntaxError as exc:
        raise EaError(f"{source}: not well-formed XML ({exc})") from exc
    if root.tag != _T + "model":
        raise EaError(
            f"{source}: not an ArchiMate 3.x exchange file: the root element is {etree.QName(root).localname!r} "
            f"in namespace {etree.QName(root).namespace or '(none)'!r}, expected 'model' in {NS}"
        )
    problems: list[str] = []
    if xsd is not None:
        problems += validate_xsd(raw, xsd)
    seen: dict[str, int] = {}
    for el in root.iter():
        ident = el.get("identifier") if isinstance(el.tag, str) else None
        if ident is None:
            continue
        if not _NCNAME.match(ident):
            problems.append(f"line {el.sourceline}: identifier {ident!r} is not an XML name (NCName)")
        if ident in seen:
            problems.append(f"line {el.sourceline}: identifier {ident!r} is used twice (first on line {seen[ident]})")
        seen.setdefault(ident, el.sourceline)
    definitions = {
        d.get("identifier"): _first_text(d, "name") or d.get("identifier") for d in root.iter(_T + "propertyDefinition")
    }
    for prop in root.iter(_T + "property"):
        ref = prop.get("propertyDefinitionRef")
        if ref not in definitions:
            problems.append(
                f"line {prop.sourceline}: property refers to propertyDefinition {ref!r}, which the file does not define"
            )
    elements: list[_Element] = []
    container = root.find(_T + "elements")
    for el in container if container is not None else []:
        if not isinstance(el.tag, str) or el.tag != _T + "element":
            continue
        kind = _local(el.get(_TYPE))
        if not kind:
            problems.append(f"line {el.sourceline}: element {el.get('identifier')!r} has no xsi:type")
            continue
        props, names = {}, {}
        holder = el.find(_T + "properties")
        for prop in holder if holder is not None else []:
            if not isinstance(prop.tag, str):
                continue
            label = definitions.get(prop.get("propertyDefinitionRef"))
            if label is not None:
                key = label.strip().casefold()
                props[key] = _first_text(prop, "value") or ""
                names[key] = label.strip()
        elements.append(
            _Element(
                el.get("identifier") or "",
                kind,
                _first_text(el, "name"),
                _first_text(el, "documentation", keep_lines=True),
                props,
                names,
                el.sourceline or 0,
            )
        )
    relationships: list[_Rel] = []
    container = root.find(_T + "relationships")
    for el in container if container is not None else []:
        if not isinstance(el.tag, str) or el.tag != _T + "relationship":
            continue
        for end in ("source", "target"):
            if el.get(end) not in seen:
                problems.append(
                    f"line {el.sourceline}: relationship {el.get('identifier')!r} has {end} {el.get(end)!r}, "
                    "which is not in the file"
                )
        relationships.append(
            _Rel(
                el.get("identifier") or "",
                _local(el.get(_TYPE)),
                el.get("source") or "",
                el.get("target") or "",
                _first_text(el, "name"),
                el.sourceline or 0,
            )
        )
    if problems:
        shown = "\n  ".join(problems[:20])
        more = f"\n  ... and {len(problems) - 20} more" if len(problems) > 20 else ""
        raise EaError(f"{source} is not a valid exchange file; nothing was imported:\n  {shown}{more}")
    folders = _folder_labels(root)
    for element in elements:
        element.folders = folders.get(element.identifier, set())
    return elements, relationships


def _views_not_imported(raw: bytes) -> str | None:
    """What the file's views hold, in words, for the import's report: the
    repository keeps no diagrams (the site draws its own from the content),
    so views are read only to say what is left behind. None when there are none."""
    root = etree.fromstring(raw, _parser())  # already read once without error
    views = [v for v in root.iterfind(f"{_T}views/{_T}diagrams/{_T}view")]
    if not views:
        return None
    nodes = sum(1 for v in views for _ in v.iter(_T + "node"))
    connections = sum(1 for v in views for _ in v.iter(_T + "connection"))
    names = sorted({printable(_first_text(v, "name") or v.get("identifier") or "") for v in views}, key=str.casefold)
    shown = ", ".join(f"'{n}'" for n in names[:10]) + (" ..." if len(names) > 10 else "")
    return (
        f"{len(views)} view{'s' * (len(views) != 1)} not imported ({shown}; {nodes} node{'s' * (nodes != 1)} and "
        f"{connections} connection{'s' * (connections != 1)} in all): the repository keeps no diagrams, "
        "the site draws its own from the content"
    )


def _local(qname: str | None) -> str:
    return (qname or "").rpartition(":")[2]


def _first_text(el: etree._Element, tag: str, *, keep_lines: bool = False) -> str:
    """The text of the child ``tag`` in English when there is one, else the first."""
    found = el.findall(_T + tag)
    if not found:
        return ""
    chosen = next((f for f in found if (f.get(XML_LANG) or "").lower().startswith("en")), found[0])
    # all of the text: a comment or an entity reference inside would end .text there
    # (an entity is never expanded: it reads as written, "&name;")
    text = "".join(chosen.itertext())
    if keep_lines:
        return "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").strip().split("\n"))
    return re.sub(r"\s+", " ", text).strip()


def _folder_labels(root: etree._Element) -> dict[str, set[str]]:
    """identifierRef -> the labels of the organisation folders it sits in."""
    out: dict[str, set[str]] = defaultdict(set)

    def walk(item: etree._Element, labels: tuple[str, ...]) -> None:
        label = _first_text(item, "label")
        here = (*labels, label.casefold()) if label else labels
        ref = item.get("identifierRef")
        if ref:
            out[ref].update(here)
        for child in item.findall(_T + "item"):
            walk(child, here)

    for organizations in root.findall(_T + "organizations"):
        for item in organizations.findall(_T + "item"):
            walk(item, ())
    return out


_VERBS = {
    "supplies": "vendor",
    "supplier": "vendor",
    "supplied by": "vendor",
    "vendor": "vendor",
    "owns": "owner",
    "owner": "owner",
    "owned by": "owner",
    "business owner": "owner",
    "brought": "origin",
    "brought by": "origin",
    "origin": "origin",
    "replaced by": "replaced_by",
}

UNASSIGNED = "unassigned"


@dataclass
class _Draft:
    element: _Element
    kind: Kind
    id: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    defaults: list[str] = field(default_factory=list)
    existing: Entity | None = None


def plan_archimate(root: Path, source: Path, *, xsd: Path | None = None) -> Plan:
    """Everything importing the exchange file ``source`` into the repository
    at ``root`` would write, and a message for each decision and each thing
    not imported."""
    try:
        raw = Path(source).read_bytes()
    except OSError as exc:
        raise EaError(f"cannot read {source}: {exc.strerror or exc}") from exc
    name = Path(source).name
    elements, relationships = read_exchange(raw, name, xsd)
    views = _views_not_imported(raw)
    plan = Plan(Path(root))
    registry = Registry.of_repository(Path(root))
    by_ident = {e.identifier: e for e in elements}

    vendors = _vendor_identifiers(elements, relationships, by_ident)
    drafts: dict[str, _Draft] = {}
    ignored: Counter[str] = Counter()
    for element in elements:
        if element.type == "Capability":
            kind = CAP
        elif element.type == "ApplicationComponent":
            kind = APP
        elif element.type == "BusinessActor":
            kind = VENDOR if element.identifier in vendors else ORG
        else:
            ignored[element.type] += 1
            continue
        if not element.name:
            plan.note("skipped", element.where, f"{element.type} {element.identifier!r} has no name")
            continue
        drafts[element.identifier] = _Draft(element, kind)
    if ignored:
        listed = ", ".join(f"{t} ({n})" for t, n in sorted(ignored.items()))
        plan.note("ignored", name, f"elements of types with no place in the repository, not imported: {listed}")
    if views:
        plan.note("ignored", name, views)

    _assign_ids(drafts, registry, plan)
    unknown_props: Counter[str] = Counter()
    for draft in drafts.values():
        _read_properties(draft, plan, unknown_props)
    if unknown_props:
        listed = ", ".join(f"'{p}' ({n})" for p, n in sorted(unknown_props.items()))
        plan.note("ignored", name, f"properties with no field to go to, not imported: {listed}")
    _apply_relationships(drafts, relationships, by_ident, plan, name)
    _apply_defaults(drafts, registry, plan)
    for draft in sorted(drafts.values(), key=lambda d: (list(Kind).index(d.kind), d.id)):
        _plan_draft(draft, plan, name)
    return plan


def _vendor_identifiers(elements: list[_Element], relationships: list[_Rel], by_ident: dict[str, _Element]) -> set[str]:
    """Business actors that are suppliers: marked so by ``EA kind``, by an
    identifier from our export, by a folder named for vendors or suppliers,
    or by a "supplies" association."""
    out = set()
    for e in elements:
        if e.type != "BusinessActor":
            continue
        marked = e.properties.get("ea kind", "").strip().casefold()
        in_folder = not marked and any(re.search(r"vendor|supplier", f) for f in e.folders)
        if marked == "vendor" or e.identifier.startswith("id-vendor-") or in_folder:
            out.add(e.identifier)
    for rel in relationships:
        if rel.type == "Association" and _VERBS.get(rel.name.casefold()) == "vendor":
            for end in (rel.source, rel.target):
                e = by_ident.get(end)
                if e is not None and e.type == "BusinessActor":
                    out.add(end)
    return out


def _assign_ids(drafts: dict[str, _Draft], registry: Registry, plan: Plan) -> None:
    """Ids from our own identifiers (``id-app-<id>``) when the file has them,
    else by the slug rule; an existing entity of the same name (or our id) is
    reused and never overwritten; a taken id gets a visible suffix."""
    app_names: dict[str, _Draft] = {}
    for ident, draft in list(drafts.items()):
        element = draft.element
        prefix = f"id-{PREFIX[draft.kind]}-"
        own = ident[len(prefix) :] if ident.startswith(prefix) else None
        own = own if own and valid_id(own) else None
        if draft.kind is APP:
            key = normalise_name(element.name)
            if key in app_names:
                first = app_names[key].element
                plan.note(
                    "skipped",
                    element.where,
                    f"application '{element.name}' has the same name as the one on line {first.line}: "
                    "two applications with one name are a duplicated system (EA150)",
                )
                del drafts[ident]
                continue
            app_names[key] = draft
        existing = registry.by_name(draft.kind, element.name)
        if (existing is None or existing.path is None) and own:
            by_id = registry.by_id(draft.kind, own)
            existing = by_id if by_id is not None and by_id.path is not None else None
        if existing is not None and existing.path is not None:
            draft.id, draft.existing = existing.id, existing
            plan.note("exists", element.where, f"{existing.path} exists: not overwritten")
            continue
        base = own or suggest_id(element.name)
        draft.id = registry.free_id(draft.kind, base)
        if draft.id != base:
            taken = registry.by_id(draft.kind, base)
            holder = taken.path if taken is not None and taken.path else "another element of this file"
            plan.note(
                "renamed",
                element.where,
                f"id '{base}' is already {holder}: {KIND_WORD[draft.kind]} '{element.name}' gets id '{draft.id}'",
            )
        registry.add(Entity(draft.kind, draft.id, element.name, None))


def _read_properties(draft: _Draft, plan: Plan, unknown: Counter[str]) -> None:
    props = dict(draft.element.properties)
    data = draft.data
    element = draft.element

    def take(key: str, target: str, parse: Any) -> None:
        text = props.pop(key, None)
        if text is None or not text.strip():
            return
        try:
            data[target] = parse(text)
        except ValueError as exc:
            plan.note("skipped", element.where, f"'{element.name}': property '{key}': {exc}: not imported")

    props.pop("ea kind", None)
    for key in list(props):
        if key in COMPUTED:
            props.pop(key)
    take("tags", "tags", parse_list)
    if draft.kind is CAP:
        take("summary", "description", str.strip)
        take("lgsl codes", "lgsl", lambda t: [parse_count(c, "LGSL code") for c in parse_list(t)])
    elif draft.kind is APP:
        take("aliases", "aliases", parse_list)
        take("product", "product", str.strip)
        take("lifecycle", "lifecycle", lambda t: parse_enum("lifecycle", t))
        take("time disposition", "disposition", lambda t: parse_enum("disposition", t))
        take("disposition", "disposition", lambda t: parse_enum("disposition", t))
        take("hosting", "hosting", lambda t: parse_enum("hosting", t))
        take("users", "users", lambda t: parse_count(t, "users"))
        take("annual cost (gbp)", "annual_cost", parse_money)
        take("annual cost", "annual_cost", parse_money)
        take("contract end", "contract.end", parse_date)
        take("notice period (months)", "contract.notice_months", lambda t: parse_count(t, "notice period"))
        take("contract reference", "contract.reference", str.strip)
        take("sustainability assessed", "sustainability.assessed", parse_date)
        for key in [k for k in props if k.startswith(FACT_PREFIX.casefold())]:
            fact = re.sub(r"[^a-z0-9_]+", "_", key[len(FACT_PREFIX) :].strip()).strip("_")
            if fact:
                take(key, f"sustainability.{fact}", parse_fact)
    elif draft.kind is VENDOR:
        take("website", "website", str.strip)
        take("carbon reduction plan", "carbon_reduction_plan", _parse_bool)
        take("net-zero target", "net_zero_target", lambda t: parse_count(t, "net-zero target"))
    else:
        take("organisation type", "type", _parse_org_type)
    for key in props:
        unknown[element.prop_names.get(key, key)] += 1


def _parse_bool(text: str) -> bool:
    key = text.strip().casefold()
    if key in ("true", "yes", "y", "1"):
        return True
    if key in ("false", "no", "n", "0"):
        return False
    raise ValueError(f"{text!r} is not true or false")


def _parse_org_type(text: str) -> str:
    value = value_key(text)
    if value not in ORG_TYPES:
        raise ValueError(f"{text!r} is not one of {', '.join(ORG_TYPES)}")
    return value


def _apply_relationships(
    drafts: dict[str, _Draft], relationships: list[_Rel], by_ident: dict[str, _Element], plan: Plan, name: str
) -> None:
    ignored: Counter[str] = Counter()
    for rel in relationships:
        src, tgt = drafts.get(rel.source), drafts.get(rel.target)
        if src is None or tgt is None:
            ignored[rel.type] += 1
            continue
        kinds = (src.kind, tgt.kind)
        verb = _VERBS.get(rel.name.casefold()) if rel.type == "Association" else None
        if rel.type == "Realization" and kinds == (APP, CAP):
            caps = src.data.setdefault("capabilities", [])
            if tgt.id not in caps:
                caps.append(tgt.id)
        elif rel.type in ("Serving", "Flow") and kinds == (APP, APP):
            if src.id == tgt.id:
                plan.note("skipped", f"line {rel.line}", f"'{src.element.name}' serving itself: not imported")
                continue
            data = rel.name if rel.type == "Flow" and rel.name else None
            deps = tgt.data.setdefault("depends_on", [])
            if (src.id, data) not in deps:
                deps.append((src.id, data))
        elif rel.type in ("Composition", "Aggregation") and kinds in ((CAP, CAP), (ORG, ORG)):
            if tgt.data.get("parent") not in (None, src.id):
                plan.note(
                    "skipped",
                    f"line {rel.line}",
                    f"'{tgt.element.name}' already has parent '{tgt.data['parent']}': "
                    f"{rel.type} from '{src.element.name}' not imported (one parent each)",
                )
                continue
            tgt.data["parent"] = src.id
        elif verb is not None and _associate(verb, src, tgt, rel, plan):
            pass
        else:
            ignored[f"{rel.type} {ELEMENT_WORD[src.kind]} -> {ELEMENT_WORD[tgt.kind]}"] += 1
    if ignored:
        listed = ", ".join(f"{t} ({n})" for t, n in sorted(ignored.items()))
        plan.note("ignored", name, f"relationships with no place in the repository, not imported: {listed}")


ELEMENT_WORD = {CAP: "capability", APP: "application", VENDOR: "vendor", ORG: "organisation"}


def _associate(verb: str, src: _Draft, tgt: _Draft, rel: _Rel, plan: Plan) -> bool:
    """A named association: supplies / owns / brought / replaced by, in either
    direction. False when the pair of kinds does not fit the verb."""
    pairs = {
        "vendor": ((VENDOR,), (APP,)),
        "owner": ((ORG,), (APP, CAP)),
        "origin": ((ORG,), (APP,)),
        "replaced_by": ((APP,), (APP,)),
    }[verb]
    if verb == "replaced_by":
        holder, other = src, tgt
        if src.kind is not APP or tgt.kind is not APP:
            return False
    elif src.kind in pairs[0] and tgt.kind in pairs[1]:
        holder, other = tgt, src
    elif tgt.kind in pairs[0] and src.kind in pairs[1]:
        holder, other = src, tgt
    else:
        return False
    if holder.data.get(verb) not in (None, other.id):
        plan.note(
            "skipped",
            f"line {rel.line}",
            f"'{holder.element.name}' already has {verb.replace('_', ' ')} '{holder.data[verb]}': "
            f"'{other.element.name}' not imported as another",
        )
        return True
    holder.data[verb] = other.id
    return True


def _apply_defaults(drafts: dict[str, _Draft], registry: Registry, plan: Plan) -> None:
    """Applications need an owner, capabilities, a lifecycle and hosting that
    an exchange file may not give: documented defaults, each reported and
    flagged in the body ("to be confirmed")."""
    needs_owner = needs_capability = False
    typeless = []
    for draft in drafts.values():
        if draft.existing is not None:
            continue
        if draft.kind is ORG and "type" not in draft.data:
            draft.data["type"] = "service"
            typeless.append(draft.element.name)
        if draft.kind is not APP:
            continue
        d = draft.data
        if "owner" not in d:
            d["owner"], needs_owner = UNASSIGNED, True
            draft.defaults.append(f"owner: '{UNASSIGNED}' (no organisation owns it in the file)")
        if not d.get("capabilities"):
            d["capabilities"], needs_capability = [UNASSIGNED], True
            draft.defaults.append(f"capabilities: ['{UNASSIGNED}'] (it realises no capability in the file)")
        if "lifecycle" not in d:
            d["lifecycle"] = "active"
            draft.defaults.append("lifecycle: active")
        if "hosting" not in d:
            d["hosting"] = "on-premises"
            draft.defaults.append("hosting: on-premises")
        plan_defaults = "; ".join(draft.defaults)
        if plan_defaults:
            plan.note("default", draft.element.where, f"'{draft.element.name}': {plan_defaults}")
    if typeless:
        shown = ", ".join(f"'{n}'" for n in sorted(typeless)[:10]) + (" ..." if len(typeless) > 10 else "")
        plan.note(
            "default",
            "",
            f"{len(typeless)} organisation unit{'s' if len(typeless) > 1 else ''} with no 'Organisation type' "
            f"property get type 'service': {shown}",
        )
    for needed, kind, data, body in (
        (
            needs_owner,
            ORG,
            {"name": "Unassigned", "type": "service"},
            "Placeholder owner for applications imported without one. Give each its real owner, then delete this file.",
        ),
        (
            needs_capability,
            CAP,
            {"name": "Unassigned capability"},
            "Placeholder for applications imported without a capability. Map each to the capabilities "
            "it supports, then delete this file.",
        ),
    ):
        if not needed or registry.by_id(kind, UNASSIGNED) is not None:
            continue
        registry.add(Entity(kind, UNASSIGNED, data["name"], None))
        path = new_path(kind, UNASSIGNED)
        plan.files.append(PlannedFile(kind, UNASSIGNED, path, render(data, body), "create"))
        plan.note("created", "", f"{path} (placeholder for applications without one)")


#: Frontmatter keys per kind, in the content model's order (the models declare them so).
_ORDER = {kind: tuple(name for name in MODELS[kind].model_fields if name != "id") for kind in (CAP, APP, VENDOR, ORG)}


def _frontmatter(draft: _Draft) -> dict[str, Any]:
    d = dict(draft.data)
    d["name"] = draft.element.name
    if "depends_on" in d:
        d["depends_on"] = [a if data is None else {"app": a, "data": data} for a, data in d["depends_on"]]
    contract = {k.split(".", 1)[1]: d.pop(k) for k in list(d) if k.startswith("contract.")}
    if contract:
        d["contract"] = {k: contract[k] for k in ("end", "notice_months", "reference") if k in contract}
    facts = {k.split(".", 1)[1]: d.pop(k) for k in sorted(d) if k.startswith("sustainability.")}
    if facts:
        d["sustainability"] = dict(sorted(facts.items(), key=lambda kv: (kv[0] == "assessed", kv[0])))
    return {k: d[k] for k in _ORDER[draft.kind] if k in d}


def _plan_draft(draft: _Draft, plan: Plan, source: str) -> None:
    if draft.existing is not None:
        return
    data = _frontmatter(draft)
    model: type[BaseModel] = MODELS[draft.kind]
    try:
        model.model_validate({**data, "id": draft.id})
    except ValidationError as exc:
        reasons = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors(include_url=False))
        plan.note("skipped", draft.element.where, f"{KIND_WORD[draft.kind]} '{draft.element.name}': {reasons}")
        return
    body = draft.element.documentation
    if draft.defaults:
        listed = "\n".join(f"- {d}" for d in draft.defaults)
        body = (
            (body + "\n\n" if body else "")
            + f"**To be confirmed:** imported from {source} without these facts; the values are defaults:\n\n"
            + listed
        )
    path = new_path(draft.kind, draft.id)
    plan.files.append(PlannedFile(draft.kind, draft.id, path, render(data, body), "create"))
    plan.note("created", draft.element.where, f"{path} ('{draft.element.name}')")
