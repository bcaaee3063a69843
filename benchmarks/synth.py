"""Generate a synthetic repository of any size, for benchmarks.

The files look like a real council's: three-level capabilities, applications
with vendors, products, owners, origins, integrations, contracts and
sustainability facts, and a scheme. The output is deterministic for a seed.
It validates with warnings (gaps, stale assessments) but no errors.

With ``imported``, the applications look as they do just after importing a
register: most have no sustainability assessment (EA181), many are marked
``migrate`` without ``replaced_by`` (EA172), and half were recorded by
two predecessor councils under nearly the same name (EA160). Most files then
have a finding, which is what makes validation slow when findings cost time.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import yaml

WORDS = [
    "revenue",
    "benefit",
    "council",
    "tax",
    "planning",
    "building",
    "waste",
    "refuse",
    "recycling",
    "highway",
    "street",
    "light",
    "parking",
    "permit",
    "housing",
    "register",
    "repair",
    "tenancy",
    "electoral",
    "register",
    "school",
    "admission",
    "transport",
    "social",
    "care",
    "adult",
    "child",
    "finance",
    "payroll",
    "pension",
    "procurement",
    "contract",
    "asset",
    "estate",
    "licence",
    "food",
    "safety",
    "noise",
    "pest",
    "library",
    "museum",
    "archive",
    "record",
    "document",
    "casework",
    "portal",
    "payment",
    "booking",
    "customer",
    "contact",
    "cemetery",
    "registrar",
    "election",
    "grant",
    "fraud",
    "debt",
    "insurance",
    "risk",
    "audit",
    "fleet",
    "depot",
    "grounds",
    "tree",
    "drainage",
    "flood",
    "bridge",
    "signal",
    "enforcement",
]
PRODUCT_WORDS = [
    "Uniform",
    "Acolaid",
    "OpenRevenues",
    "Pay360",
    "Mosaic",
    "Controcc",
    "Agresso",
    "iTrent",
    "ResourceLink",
    "Collective",
    "Whitespace",
    "Horizons",
    "Insight",
    "ArcGIS",
    "Notify",
    "Xpress",
    "Halarose",
    "ModernGov",
    "iWorld",
    "Locata",
    "Spydus",
    "Tascomi",
    "Dynamics",
    "Liberty",
    "Firmstep",
    "Jadu",
    "GovDelivery",
    "Boomi",
    "ServiceNow",
    "Halo",
    "Information",
    "Workplace",
    "Assure",
    "Confirm",
    "Abritas",
    "Civica",
    "Capita",
    "Northgate",
    "Unit4",
    "Oracle",
    "SAP",
    "Zellis",
    "Granicus",
    "Bartec",
    "Yotta",
    "Symology",
    "Esri",
    "Netcall",
    "Mastek",
    "Agilisys",
]
ORIGINS = ("north-council", "south-council", "east-council", None)
LIFECYCLES = ("active",) * 14 + ("phase-out", "phase-out", "retired", "proposed")
DISPOSITIONS = ("tolerate", "tolerate", "invest", "migrate", "eliminate", None)
HOSTINGS = ("on-premises", "private-cloud", "iaas", "paas", "saas", "saas")

SCHEME = """---
name: Synthetic sustainability rating
max_age_months: 24
criteria:
  - {id: hosting, name: Hosting model, fact: hosting, weight: 3,
     points: {saas: 4, paas: 4, iaas: 3, private-cloud: 2, on-premises: 0}}
  - {id: energy, name: Energy, fact: sustainability.energy, weight: 3,
     points: {renewable: 4, mixed: 2, fossil: 0, unknown: 0}}
  - {id: own-data-centre, name: Own data centre, fact: sustainability.own_data_centre, weight: 2,
     points: {"false": 4, "true": 0}}
  - {id: crp, name: Carbon Reduction Plan, fact: vendor.carbon_reduction_plan, weight: 2,
     points: {"true": 4, "false": 0}}
  - id: net-zero
    name: Supplier net-zero year
    fact: vendor.net_zero_target
    weight: 2
    at_most: [{value: 2030, points: 4}, {value: 2040, points: 3}, {value: 2050, points: 1}]
bands:
  - {rating: A, min_score: 80}
  - {rating: B, min_score: 65}
  - {rating: C, min_score: 50}
  - {rating: D, min_score: 35}
  - {rating: E, min_score: 0}
carbon:
  grid_kgco2e_per_kwh: 0.177
  grid_source: UK Government GHG Conversion Factors 2025, electricity generated
  pue: {on-premises: 1.56, private-cloud: 1.56, iaas: 1.2, paas: 1.2, saas: 1.2}
  server_watts: 350
---
A synthetic scheme for benchmarks.
"""


def _write(path: Path, meta: dict[str, object], body: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "---\n" + yaml.safe_dump(meta, sort_keys=False, allow_unicode=True) + "---\n" + body + "\n"
    path.write_text(text, encoding="utf-8")


def generate(
    root: Path,
    *,
    applications: int = 10_000,
    capabilities: int = 2_000,
    vendors: int = 1_000,
    seed: int = 0,
    imported: bool = False,
    proposals: int = 0,
    decisions: int = 0,
) -> None:
    """Write a repository of the given size under ``root`` (see the module's
    docstring for ``imported``; without it the output is what it always was
    for a seed); with proposals or decisions, a governance layer too
    (``governance``)."""
    rnd = random.Random(seed)
    root = Path(root)
    orgs = ["synthetic-council", "north-council", "south-council", "east-council"]
    _write(
        root / "architecture/organisations/synthetic-council.md",
        {"name": "Synthetic Council", "type": "council"},
        "The new council.",
    )
    for o in orgs[1:]:
        _write(
            root / f"architecture/organisations/{o}.md",
            {"name": o.replace("-", " ").title(), "type": "council"},
            "A predecessor council.",
        )
    services = []
    for i in range(40):
        sid = f"service-{i:02d}"
        services.append(sid)
        _write(
            root / f"architecture/organisations/{sid}.md",
            {"name": f"{WORDS[i % len(WORDS)].title()} service {i}", "type": "service", "parent": "synthetic-council"},
            "A service area.",
        )
    (root / "architecture").mkdir(parents=True, exist_ok=True)
    (root / "architecture/sustainability.md").write_text(SCHEME, encoding="utf-8")

    vendor_ids = []
    for i in range(vendors):
        vid = f"vendor-{i:05d}"
        vendor_ids.append(vid)
        meta: dict[str, object] = {
            "name": f"{rnd.choice(PRODUCT_WORDS)} {rnd.choice(WORDS).title()} Ltd {i}",
            "website": f"https://vendor{i}.example.co.uk",
        }
        if rnd.random() < 0.8:
            meta["carbon_reduction_plan"] = rnd.random() < 0.6
        if rnd.random() < 0.7:
            meta["net_zero_target"] = rnd.choice((2030, 2035, 2040, 2045, 2050))
        _write(root / f"architecture/vendors/{vid}.md", meta, f"Supplier {i}.")

    cap_ids: list[str] = []
    level1 = max(1, capabilities // 100)
    level2 = max(1, capabilities // 10)
    for i in range(capabilities):
        cid = f"cap-{i:05d}"
        meta = {
            "name": f"{rnd.choice(WORDS).title()} {rnd.choice(WORDS)} {i}",
            "owner": rnd.choice(services),
            "description": "A synthetic capability.",
        }
        if i >= level1:
            meta["parent"] = (
                cap_ids[rnd.randrange(level1)]
                if i < level1 + level2
                else cap_ids[level1 + rnd.randrange(min(level2, i - level1))]
            )
        if rnd.random() < 0.3:
            meta["tags"] = [rnd.choice(WORDS)]
        cap_ids.append(cid)
        folder = f"capabilities/area-{i % 20:02d}"
        _write(root / f"{folder}/{cid}.md", meta, f"Capability {i}.")

    today = date(2026, 11, 24)
    # the dated plan draws from its own generator, so adding it changed
    # nothing else a seed makes
    plan = random.Random(seed + 7919)
    app_ids = [f"app-{i:05d}" for i in range(applications)]
    names: set[str] = set()  # and in the order made, for a deterministic choice
    order: list[str] = []
    to_retire: list[str] = []
    for i, aid in enumerate(app_ids):
        name = f"{rnd.choice(PRODUCT_WORDS)} {rnd.choice(WORDS).title()} {rnd.choice(WORDS)} {i}"
        meta = {
            "name": name,
            "vendor": rnd.choice(vendor_ids),
            "product": f"{rnd.choice(PRODUCT_WORDS)} {i}",
            "capabilities": sorted({rnd.choice(cap_ids) for _ in range(rnd.randint(1, 3))}),
            "owner": rnd.choice(services),
            "lifecycle": rnd.choice(LIFECYCLES),
            "hosting": rnd.choice(HOSTINGS),
            "users": rnd.randint(5, 3000),
            "annual_cost": rnd.randint(2, 400) * 1000,
            "contract": {
                "end": today + timedelta(days=rnd.randint(30, 1800)),
                "notice_months": rnd.choice((3, 6, 12)),
                "reference": f"SYN-{i:05d}",
            },
            "sustainability": {
                "assessed": today - timedelta(days=rnd.randint(10, 600)),
                "energy": rnd.choice(("renewable", "mixed", "fossil", "unknown")),
                "own_data_centre": rnd.random() < 0.3,
            },
        }
        origin = rnd.choice(ORIGINS)
        if origin:
            meta["origin"] = origin
        disposition = rnd.choice(DISPOSITIONS)
        if disposition:
            meta["disposition"] = disposition
            if disposition in ("migrate", "eliminate") and i > 0:
                meta["replaced_by"] = app_ids[rnd.randrange(i)]
        if i > 5:
            deps = sorted({app_ids[rnd.randrange(i)] for _ in range(rnd.randint(0, 3))})
            if deps:
                meta["depends_on"] = [{"app": d, "data": f"{rnd.choice(WORDS)} records"} for d in deps]
        if rnd.random() < 0.2:
            meta["tags"] = [rnd.choice(WORDS)]
        _plan(meta, plan, today)
        if "retire" in meta.get("dates", {}) and meta["dates"]["retire"] > today:  # type: ignore[attr-defined]
            to_retire.append(aid)
        if meta["lifecycle"] == "retired":
            meta.pop("sustainability")
        if imported:
            _as_imported(rnd, meta, names, order)
        names.add(str(meta["name"]))
        order.append(str(meta["name"]))
        name = str(meta["name"])
        _write(
            root / f"applications/group-{i % 50:02d}/{aid}.md",
            meta,
            f"{name} is a synthetic application.\n\nIt exists to measure the generator.",
        )
    for n in range(max(1, applications // 2000)):
        day = today + timedelta(days=180 * (n + 1))
        named = sorted(plan.sample(to_retire, min(len(to_retire), 20)))
        meta = {"name": f"Milestone {n}", "date": day, "retired": named}
        if n == max(1, applications // 2000) - 1:
            meta["closes_data_centre"] = True
        _write(root / f"architecture/milestones/milestone-{n:02d}.md", meta, "A synthetic milestone.")
    if proposals or decisions:
        governance(root, rnd, proposals, decisions, services, cap_ids, app_ids, vendor_ids)


PROPOSAL_STATUSES = ("submitted", "triage", "assessment", "approved", "rejected", "deferred", "withdrawn", "delivered")
DECISION_STATUSES = ("accepted",) * 6 + ("proposed", "rejected", "deprecated")


def governance(
    root: Path,
    rnd: random.Random,
    proposals: int,
    decisions: int,
    services: list[str],
    cap_ids: list[str],
    app_ids: list[str],
    vendor_ids: list[str],
) -> None:
    """Priorities, principles, proposals and decisions referring to the rest:
    every kind of reference, both kinds of option, supersession chains; no
    errors (some warnings, as a real Entrance Hall has)."""
    today = date(2026, 11, 24)
    priority_ids = []
    for i in range(12):
        pid = f"priority-{i:02d}"
        meta: dict[str, object] = {"name": f"{rnd.choice(WORDS).title()} {rnd.choice(WORDS)} priority {i}"}
        if i >= 3:
            meta["parent"] = priority_ids[i % 3]
        meta.update({"owner": rnd.choice(services), "from": date(2025, 4, 1), "until": date(2030, 3, 31)})
        priority_ids.append(pid)
        _write(root / f"architecture/priorities/{pid}.md", meta, "A synthetic corporate priority.")
    principle_ids = []
    for i in range(8):
        pid = f"principle-{i:02d}"
        status = "retired" if i == 7 else "agreed" if i < 6 else "draft"
        meta = {
            "name": f"{rnd.choice(WORDS).title()} first {i}",
            "statement": f"We put {rnd.choice(WORDS)} first.",
            "implications": [f"A proposal shows its {rnd.choice(WORDS)}."],
            "status": status,
        }
        principle_ids.append(pid)
        _write(root / f"architecture/principles/{pid}.md", meta, "A synthetic principle.")
    agreed = principle_ids[:6]
    proposal_ids = [f"{2025 + i % 2}-{i:05d}-proposal" for i in range(proposals)]
    decision_ids = [f"{i:05d}-decision" for i in range(decisions)]
    decided_by: dict[str, str] = {}
    if decision_ids:
        for pid in proposal_ids:
            if rnd.random() < 0.5:
                decided_by[pid] = rnd.choice(decision_ids)
    for i, pid in enumerate(proposal_ids):
        status = PROPOSAL_STATUSES[i % len(PROPOSAL_STATUSES)]
        submitted = today - timedelta(days=rnd.randint(10, 700))
        options: list[dict[str, object]] = []
        for k in range(rnd.randint(0, 3)):
            if rnd.random() < 0.5:
                options.append({"name": f"Reuse option {k}", "application": rnd.choice(app_ids), "one_off_cost": 5000})
            else:
                options.append(
                    {
                        "name": f"New option {k}",
                        "vendor": rnd.choice(vendor_ids),
                        "product": f"{rnd.choice(PRODUCT_WORDS)} {k}",
                        "hosting": rnd.choice(HOSTINGS),
                        "annual_cost": rnd.randint(2, 90) * 1000,
                        "sustainability": {
                            "assessed": submitted + timedelta(days=1),
                            "energy": rnd.choice(("renewable", "mixed")),
                        },
                    }
                )
        if options:
            options[rnd.randrange(len(options))]["recommended"] = True
        meta = {
            "name": f"{rnd.choice(WORDS).title()} {rnd.choice(WORDS)} request {i}",
            "requested_by": rnd.choice(services),
            "sponsor": "Head of Service",
            "submitted": submitted,
            "status": status,
            "needed_by": submitted + timedelta(days=rnd.randint(60, 500)),
            "priorities": sorted({rnd.choice(priority_ids) for _ in range(rnd.randint(0, 2))}),
            "capabilities": sorted({rnd.choice(cap_ids) for _ in range(rnd.randint(1, 2))}),
            "meeting": date(2026, 1 + i % 12, 10),
            "options": options,
            "principles": {
                p: {"meets": rnd.choice(("yes", "partly", "no")), "note": "Synthetic."}
                for p in agreed
                if rnd.random() < 0.9
            },
            "one_off_cost": rnd.randint(1, 200) * 1000,
        }
        if pid in decided_by:
            meta["decision"] = decided_by[pid]
        if status == "delivered":
            meta["delivers"] = [rnd.choice(app_ids)]
        meta = {k: v for k, v in meta.items() if v not in ([], {})}
        _write(root / f"proposals/{pid[:4]}/{pid}.md", meta, "## The need\n\nA synthetic request for IT change.")
    for i, did in enumerate(decision_ids):
        status = "superseded" if i + 1 < len(decision_ids) and i % 10 == 0 else rnd.choice(DECISION_STATUSES)
        meta = {
            "name": f"Decision on {rnd.choice(WORDS)} {i}",
            "status": status,
            "date": today - timedelta(days=rnd.randint(1, 900)),
            "deciders": "Digital Group",
            "proposals": sorted(p for p, d in decided_by.items() if d == did)[:3],
            "applications": sorted({rnd.choice(app_ids) for _ in range(rnd.randint(0, 2))}),
            "capabilities": sorted({rnd.choice(cap_ids) for _ in range(rnd.randint(0, 1))}),
            "principles": sorted({rnd.choice(agreed) for _ in range(rnd.randint(0, 2))}),
            "priorities": sorted({rnd.choice(priority_ids) for _ in range(rnd.randint(0, 1))}),
            "review_by": today + timedelta(days=rnd.randint(-100, 700)),
        }
        if i % 10 == 1:
            meta["supersedes"] = [decision_ids[i - 1]]
        meta = {k: v for k, v in meta.items() if v not in ([], {})}
        _write(
            root / f"architecture/decisions/{did}.md",
            meta,
            "## Context\n\nWhy.\n\n## Options considered\n\nSome.\n\n## Outcome\n\nOne.\n\n## Consequences\n\nSome.",
        )


#: How the predecessor councils' registers spelt the same system differently.
SPELLINGS = (" (North)", " (South)", " system", " - East", "s")


def _as_imported(rnd: random.Random, meta: dict[str, object], names: set[str], order: list[str]) -> None:
    """Make one application look freshly imported from a register."""
    if rnd.random() < 0.95:
        meta.pop("sustainability", None)  # EA181 unless retired
    if rnd.random() < 0.25:
        meta["disposition"] = "migrate"  # EA172: nobody has chosen the target yet
        meta.pop("replaced_by", None)
    if names and rnd.random() < 0.5:
        # the same system from another council's register: EA160 (never
        # the very same name, which would be an EA150 error)
        spelt = order[rnd.randrange(len(order))].split(" (")[0] + rnd.choice(SPELLINGS)
        if spelt not in names:
            meta["name"] = spelt


def _plan(meta: dict[str, object], rnd: random.Random, today: date) -> None:
    """Dates in step with the lifecycle (as a plan kept up to date is), and
    the carbon evidence a council would have, for about half the estate."""
    lifecycle = meta["lifecycle"]
    past = today - timedelta(days=rnd.randint(30, 3000))
    soon = today + timedelta(days=rnd.randint(30, 900))
    later = soon + timedelta(days=rnd.randint(30, 600))
    if lifecycle == "proposed":
        meta["dates"] = {"live": soon}
    elif lifecycle == "retired":
        meta["dates"] = {"retire": past}
    elif lifecycle == "phase-out":
        meta["dates"] = {"phase_out": past, "retire": soon}
    elif rnd.random() < 0.4:
        meta["dates"] = {"live": past, "phase_out": soon, "retire": later}
    facts = meta.get("sustainability")
    if isinstance(facts, dict):
        pick = rnd.random()
        if pick < 0.1:
            facts["reported_kgco2e"] = rnd.randint(100, 20_000)
        elif pick < 0.25:
            facts["energy_kwh"] = rnd.randint(500, 40_000)
        elif pick < 0.6:
            facts["servers"] = rnd.randint(1, 6)


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("root", type=Path)
    parser.add_argument("--applications", type=int, default=10_000)
    parser.add_argument("--capabilities", type=int, default=2_000)
    parser.add_argument("--vendors", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--imported", action="store_true", help="Most files with findings, as after an import.")
    parser.add_argument("--proposals", type=int, default=0)
    parser.add_argument("--decisions", type=int, default=0)
    args = parser.parse_args()
    generate(
        args.root,
        applications=args.applications,
        capabilities=args.capabilities,
        vendors=args.vendors,
        seed=args.seed,
        imported=args.imported,
        proposals=args.proposals,
        decisions=args.decisions,
    )
