"""The catalog: every relation read forwards and backwards from the one
RELATIONS table, hierarchy helpers and rolled-up applications."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import TODAY, MakeRepo, app, of_code, show

from generator.catalog.catalog import RELATIONS, Catalog
from generator.checks.validate import validate
from generator.core.findings import Severity
from generator.models.model import Kind

A, C, V, ORG = Kind.APPLICATION, Kind.CAPABILITY, Kind.VENDOR, Kind.ORGANISATION
PRI, P, D = Kind.PRIORITY, Kind.PROPOSAL, Kind.DECISION


def org(name: str, type_: str, parent: str | None = None) -> str:
    return f"---\nname: {name}\ntype: {type_}\n" + (f"parent: {parent}\n" if parent else "") + "---\n"


def cap(name: str, parent: str | None = None) -> str:
    return f"---\nname: {name}\nowner: planning\n" + (f"parent: {parent}\n" if parent else "") + "---\n"


@pytest.fixture
def catalog(make_repo: MakeRepo) -> Catalog:
    files = {
        "architecture/organisations/mercia.md": org("Mercia Vale Council", "council"),
        "architecture/organisations/northfield.md": org("Northfield District Council", "council"),
        "architecture/organisations/place.md": org("Place", "directorate", "mercia"),
        "architecture/organisations/planning.md": org("Planning", "service", "place"),
        "capabilities/planning.md": cap("Planning"),
        "capabilities/planning-applications.md": cap("Planning applications", "planning"),
        "capabilities/building-control.md": cap("Building control", "planning"),
        "capabilities/enforcement.md": cap("Planning enforcement", "planning-applications"),
        "applications/uniform.md": app(
            lifecycle="phase-out",
            extra="""\
                vendor: idox
                product: Uniform
                origin: northfield
                disposition: migrate
                replaced_by: uniform-cloud
                depends_on:
                  - {app: docs, data: planning documents}
                  - payments
                """,
        ),
        "applications/uniform-cloud.md": app(
            "Uniform Cloud", lifecycle="proposed", capabilities="planning-applications, enforcement"
        ),
        "applications/docs.md": app("Document store", capabilities="building-control"),
        "applications/payments.md": app("Payments", capabilities="planning"),
    }
    result = validate(make_repo(files), today=TODAY, use_cache=False)
    errors = [f for f in result.findings if f.severity is Severity.ERROR]
    assert errors == [], show(errors)
    return result.catalog


def targets(catalog: Catalog, kind: Kind, id_: str, name: str) -> list[tuple[str, str | None]]:
    return [(e.target, e.data) for e in catalog.outgoing(kind, id_, name)]


def sources(catalog: Catalog, kind: Kind, id_: str, inverse: str) -> list[tuple[str, str | None]]:
    return sorted((e.source, e.data) for e in catalog.incoming(kind, id_, inverse))


def test_supports_and_supported_by(catalog: Catalog) -> None:
    assert targets(catalog, A, "uniform-cloud", "supports") == [("enforcement", None), ("planning-applications", None)]
    assert sources(catalog, C, "planning-applications", "supported_by") == [("uniform", None), ("uniform-cloud", None)]
    assert sources(catalog, C, "planning", "supported_by") == [("payments", None)]


def test_depends_on_and_used_by_carry_the_data(catalog: Catalog) -> None:
    assert targets(catalog, A, "uniform", "depends_on") == [("docs", "planning documents"), ("payments", None)]
    assert sources(catalog, A, "docs", "used_by") == [("uniform", "planning documents")]
    assert sources(catalog, A, "payments", "used_by") == [("uniform", None)]
    assert sources(catalog, A, "uniform", "used_by") == []


def test_replaced_by_and_replaces(catalog: Catalog) -> None:
    assert targets(catalog, A, "uniform", "replaced_by") == [("uniform-cloud", None)]
    assert sources(catalog, A, "uniform-cloud", "replaces") == [("uniform", None)]


def test_owned_by_and_owns_for_applications_and_capabilities(catalog: Catalog) -> None:
    assert targets(catalog, A, "docs", "owned_by") == [("planning", None)]
    assert targets(catalog, C, "enforcement", "owned_by") == [("planning", None)]
    owns = {(e.relation.source, e.source) for e in catalog.incoming(ORG, "planning", "owns")}
    assert owns == {
        (A, "uniform"),
        (A, "uniform-cloud"),
        (A, "docs"),
        (A, "payments"),
        (C, "planning"),
        (C, "planning-applications"),
        (C, "building-control"),
        (C, "enforcement"),
    }


def test_supplied_by_and_brought_by(catalog: Catalog) -> None:
    assert targets(catalog, A, "uniform", "supplied_by") == [("idox", None)]
    assert sources(catalog, V, "idox", "supplies") == [("uniform", None)]
    assert targets(catalog, A, "uniform", "brought_by") == [("northfield", None)]
    assert sources(catalog, ORG, "northfield", "brought") == [("uniform", None)]


def test_parent_is_part_of_and_made_up_of(catalog: Catalog) -> None:
    assert targets(catalog, C, "enforcement", "part_of") == [("planning-applications", None)]
    assert sources(catalog, C, "planning", "made_up_of") == [
        ("building-control", None),
        ("planning-applications", None),
    ]
    assert catalog.children(C, "planning") == ["building-control", "planning-applications"]
    assert catalog.descendants(C, "planning") == ["building-control", "enforcement", "planning-applications"]
    assert catalog.descendants(C, "enforcement") == []
    assert targets(catalog, ORG, "planning", "part_of") == [("place", None)]
    assert catalog.descendants(ORG, "mercia") == ["place", "planning"]


def test_applications_for_rolled_up(catalog: Catalog) -> None:
    assert catalog.applications_for("planning") == ["payments"]
    assert catalog.applications_for("planning", rolled_up=True) == ["docs", "payments", "uniform", "uniform-cloud"]
    assert catalog.applications_for("planning-applications", rolled_up=True) == ["uniform", "uniform-cloud"]
    assert catalog.applications_for("enforcement", rolled_up=True) == ["uniform-cloud"]


def test_related_lists_forward_then_inverse_labels(catalog: Catalog) -> None:
    assert list(catalog.related(A, "docs")) == [
        ("Supports", C, ["building-control"]),
        ("Owned by", ORG, ["planning"]),
        ("Used by", A, ["uniform"]),
    ]
    assert list(catalog.related(A, "uniform-cloud")) == [
        ("Supports", C, ["enforcement", "planning-applications"]),
        ("Owned by", ORG, ["planning"]),
        ("Replaces", A, ["uniform"]),
    ]


def test_every_reference_field_has_one_relation() -> None:
    declared = sorted((r.source, r.field) for r in RELATIONS)
    assert declared == sorted(
        [
            (A, "capabilities"),
            (A, "vendor"),
            (A, "owner"),
            (A, "origin"),
            (A, "depends_on"),
            (A, "replaced_by"),
            (A, "distinct_from"),
            (A, "complements"),
            (C, "owner"),
            (C, "parent"),
            (ORG, "parent"),
            (PRI, "parent"),
            (PRI, "owner"),
            (P, "requested_by"),
            (P, "priorities"),
            (P, "capabilities"),
            (P, "options.application"),
            (P, "options.vendor"),
            (P, "principles"),
            (P, "decision"),
            (P, "delivers"),
            (D, "supersedes"),
            (D, "proposals"),
            (D, "applications"),
            (D, "capabilities"),
            (D, "principles"),
            (D, "priorities"),
            (Kind.MILESTONE, "retired"),
            (Kind.MILESTONE, "live"),
        ]
    )
    for r in RELATIONS:
        assert r.name != r.inverse and r.label and r.inverse_label


def test_reference_to_an_invalid_file_is_reported_there_only(make_repo: MakeRepo, tmp_path: Path) -> None:
    root = make_repo(
        {
            "applications/uniform.md": app(extra="depends_on: [docs]\n"),
            "applications/docs.md": app("Document store", extra="tagz: 1\n"),
        }
    )
    result = validate(root, today=TODAY, use_cache=False)
    assert [f.path for f in of_code(result.findings, "EA110")] == ["applications/docs.md"]
    assert of_code(result.findings, "EA130") == []
    assert result.catalog.outgoing(A, "uniform", "depends_on") == []


def test_broken_references_make_no_edges(make_repo: MakeRepo) -> None:
    root = make_repo({"applications/uniform.md": app(capabilities="planning-applications, nowhere")})
    result = validate(root, today=TODAY, use_cache=False)
    assert [e.target for e in result.catalog.outgoing(A, "uniform", "supports")] == ["planning-applications"]
    assert len(of_code(result.findings, "EA130")) == 1
