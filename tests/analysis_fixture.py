"""A small merged-council repository for the analysis tests, small enough to
work every expected figure out by hand (the working is in each test).

Capabilities::

    top "Top area"            solo "Solo"
    ├── mid "Middle"
    │   └── leaf "Leaf"
    └── other "Other"

Applications (today is 2026-06-01 in every test):

========  ==========  =======  ======  =============  =====  ====================  =====================
id        lifecycle   origin   vendor  hosting        cost   capabilities          contract end / notice
========  ==========  =======  ======  =============  =====  ====================  =====================
alpha     active      north    v1      saas           10000  leaf, other           2027-06-30 / 6
beta      active      south    v2      on-premises     6000  leaf                  2026-08-31 / 3
gamma     active      west     -       private-cloud   3000  mid                   2028-07-31 / 12
delta     active      west     v1      saas            2000  other                 2026-07-15 / 1
epsilon   retired     north    v2      on-premises    99999  leaf                  2026-09-01 / 1
zeta      phase-out   -        v2      on-premises     4000  solo                  2026-05-31 / 2
eta       proposed    -        v1      saas             500  solo                  -
========  ==========  =======  ======  =============  =====  ====================  =====================

alpha and delta are the same product (v1 "Alpha"); alpha depends on beta,
delta on alpha, and gamma and zeta on each other (a cycle).

Scheme: hosting (weight 2: saas 4, private-cloud 2, on-premises 0), energy
(1: renewable 4, fossil 0), own data centre (1: false 4, true 0), supplier
Carbon Reduction Plan (1: true 4, false 0); bands A 75, B 50, C 25, D 0;
assessments older than 12 months are stale.
"""

from __future__ import annotations

from datetime import date

TODAY = date(2026, 6, 1)

SCHEME = """\
---
name: Fixture scheme
max_age_months: 12
criteria:
  - id: hosting
    name: Hosting
    fact: hosting
    weight: 2
    points: {saas: 4, private-cloud: 2, on-premises: 0}
  - id: energy
    name: Energy
    fact: sustainability.energy
    points: {renewable: 4, fossil: 0}
  - id: dc
    name: Own data centre
    fact: sustainability.own_data_centre
    points: {"false": 4, "true": 0}
  - id: crp
    name: Carbon Reduction Plan
    fact: vendor.carbon_reduction_plan
    points: {"true": 4, "false": 0}
bands:
  - {rating: A, min_score: 75}
  - {rating: B, min_score: 50}
  - {rating: C, min_score: 25}
  - {rating: D, min_score: 0}
---
"""


def _org(name: str, type_: str) -> str:
    return f"---\nname: {name}\ntype: {type_}\n---\n"


def _cap(name: str, parent: str | None = None) -> str:
    return f"---\nname: {name}\n" + (f"parent: {parent}\n" if parent else "") + "---\n"


def _app(name: str, fields: str) -> str:
    return f"---\nname: {name}\n{fields}---\n"


FILES: dict[str, str] = {
    "architecture/organisations/north.md": _org("Northfield DC", "council"),
    "architecture/organisations/south.md": _org("Southbrook BC", "council"),
    "architecture/organisations/west.md": _org("Westmere DC", "council"),
    "architecture/organisations/svc-a.md": _org("Alpha Service", "service"),
    "architecture/organisations/svc-b.md": _org("Beta Service", "service"),
    "capabilities/top.md": _cap("Top area"),
    "capabilities/mid.md": _cap("Middle", "top"),
    "capabilities/leaf.md": _cap("Leaf", "mid"),
    "capabilities/other.md": _cap("Other", "top"),
    "capabilities/solo.md": _cap("Solo"),
    "architecture/vendors/v1.md": "---\nname: Vendor One\ncarbon_reduction_plan: true\n---\n",
    "architecture/vendors/v2.md": "---\nname: Vendor Two\ncarbon_reduction_plan: false\n---\n",
    "architecture/sustainability.md": SCHEME,
    "applications/alpha.md": _app(
        "Alpha",
        "vendor: v1\nproduct: Alpha\ncapabilities: [leaf, other]\nowner: svc-a\norigin: north\nlifecycle: active\n"
        "disposition: invest\nhosting: saas\nusers: 100\nannual_cost: 10000\ndepends_on: [beta]\n"
        "contract: {end: 2027-06-30, notice_months: 6}\n"
        "sustainability: {energy: renewable, own_data_centre: false, assessed: 2026-01-01}\n",
    ),
    "applications/beta.md": _app(
        "Beta",
        "vendor: v2\nproduct: Beta\ncapabilities: [leaf]\nowner: svc-a\norigin: south\nlifecycle: active\n"
        "disposition: migrate\nreplaced_by: alpha\nhosting: on-premises\nusers: 50\nannual_cost: 6000\n"
        "contract: {end: 2026-08-31, notice_months: 3}\n"
        "sustainability: {energy: fossil, own_data_centre: true, assessed: 2025-01-01}\n",
    ),
    "applications/gamma.md": _app(
        "Gamma",
        "capabilities: [mid]\nowner: svc-a\norigin: west\nlifecycle: active\ndisposition: tolerate\n"
        "hosting: private-cloud\nusers: 10\nannual_cost: 3000\ndepends_on: [zeta]\n"
        "contract: {end: 2028-07-31, notice_months: 12}\n"
        "sustainability: {energy: renewable, own_data_centre: true, assessed: 2026-01-01}\n",
    ),
    "applications/delta.md": _app(
        "Delta",
        "vendor: v1\nproduct: Alpha\ncapabilities: [other]\nowner: svc-a\norigin: west\nlifecycle: active\n"
        "disposition: tolerate\nhosting: saas\nusers: 20\nannual_cost: 2000\ndepends_on: [alpha]\n"
        "contract: {end: 2026-07-15, notice_months: 1}\n"
        "sustainability: {energy: fossil, own_data_centre: false, assessed: 2026-01-01}\n",
    ),
    "applications/epsilon.md": _app(
        "Epsilon",
        "vendor: v2\nproduct: Epsilon\ncapabilities: [leaf]\nowner: svc-a\norigin: north\nlifecycle: retired\n"
        "hosting: on-premises\nannual_cost: 99999\ncontract: {end: 2026-09-01, notice_months: 1}\n",
    ),
    "applications/zeta.md": _app(
        "Zeta",
        "vendor: v2\nproduct: Zeta\ncapabilities: [solo]\nowner: svc-b\nlifecycle: phase-out\n"
        "hosting: on-premises\nannual_cost: 4000\ndepends_on: [gamma]\n"
        "contract: {end: 2026-05-31, notice_months: 2}\n",
    ),
    "applications/eta.md": _app(
        "Eta",
        "vendor: v1\nproduct: Eta\ncapabilities: [solo]\nowner: svc-b\nlifecycle: proposed\nhosting: saas\n"
        "annual_cost: 500\n",
    ),
}
