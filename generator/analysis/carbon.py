"""Carbon figures arranged for the reports: one row per application with its
evidence, and totals by capability, service area and hosting that always say
how many applications they cover; the data-centre exit's saving.

The figures come from :mod:`generator.models.carbon` (the one place the method is
applied). Sums are exact and rounded once, here, to one decimal place.
"""

from __future__ import annotations

import math
from fractions import Fraction

from pydantic import BaseModel, ConfigDict, Field

from generator.analysis.common import RUNNING, ancestors, org_name, tree_key
from generator.catalog.catalog import Catalog
from generator.checks.plan import in_own_data_centre
from generator.models.carbon import Carbon, carbon_of, factors
from generator.models.model import HOSTINGS, Application

RULES: dict[str, str] = {
    "carbon": "kgCO2e a year per application from the best evidence it has: the figure its supplier or cloud "
    "dashboard reports; else its measured IT energy (kWh) x the PUE of its hosting x the grid factor; else its "
    "servers x their average watts (or the scheme's server_watts) x 8,760 hours / 1,000 x PUE x grid factor. With "
    "none of these, or no valid carbon factors in the scheme, the figure is unknown: never guessed.",
    "carbon_totals": "Totals add the known figures of running applications (active or being phased out) and say "
    "how many applications they cover and how many are unknown. An application supporting several capabilities "
    "counts an equal share under each (and under each capability above it), so capability totals add up to the "
    "estate's. Worked out exactly and rounded once, to one decimal place.",
    "data_centre_exit": "The saving of the data-centre exit: the known figures of running applications on premises "
    "or in the council's own data centres, less the known figures of the successors (replaced_by) they move to "
    "outside those data centres (each successor counted once).",
}


def kg(value: Fraction | None) -> float | None:
    """kgCO2e as shown: rounded once, to one decimal place, halves away from
    zero (``round_half_up(value, 1)`` in whole numbers: thousands are shown)."""
    if value is None:
        return None
    n, d = value.numerator, value.denominator
    tenths = (abs(n) * 20 + d) // (2 * d)
    return (-tenths if n < 0 else tenths) / 10


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class CarbonRow(_Model):
    application: str
    name: str
    lifecycle: str
    hosting: str
    kgco2e: float | None = Field(description="kgCO2e a year; None exactly when the evidence is unknown.")
    evidence: str = Field(description="reported, measured, estimated or unknown.")


class CarbonTotal(_Model):
    id: str
    name: str
    kgco2e: float
    applications: int = Field(description="Running applications with a figure, counted in the total.")
    unknown: int = Field(description="Running applications without a figure, not in the total.")


class DataCentreExit(_Model):
    in_data_centres: float = Field(description="kgCO2e a year of running applications in council data centres.")
    applications: int
    unknown: int
    successors: float = Field(description="kgCO2e a year of the successors they move to, where known.")
    successors_counted: int
    successors_unknown: int
    saving: float


class CarbonTotals(_Model):
    estate: CarbonTotal
    by_capability: list[CarbonTotal]
    by_service_area: list[CarbonTotal]
    by_hosting: list[CarbonTotal]
    data_centre_exit: DataCentreExit


def carbon_all(catalog: Catalog) -> dict[str, Carbon]:
    """Every application's figure, by id (whatever its lifecycle)."""
    f = factors(catalog.scheme)
    return {i: carbon_of(a, f) for i, a in catalog.applications.items()}


def carbon_rows(catalog: Catalog, figures: dict[str, Carbon], ids: list[str]) -> list[CarbonRow]:
    out = []
    for i in ids:
        app, c = catalog.applications[i], figures[i]
        out.append(
            CarbonRow.model_construct(  # from validated content, thousands at a time: not validated again
                application=i,
                name=app.name,
                lifecycle=app.lifecycle,
                hosting=app.hosting,
                kgco2e=kg(c.kgco2e),
                evidence=c.evidence,
            )
        )
    return sorted(out, key=lambda r: (-(r.kgco2e if r.kgco2e is not None else -1), r.name.casefold(), r.application))


class _Sum:
    """A total as an integer over the common denominator ``unit`` (exact, and
    far cheaper to add than fractions), with how many it counts."""

    __slots__ = ("known", "total", "unit", "unknown")

    def __init__(self, unit: int) -> None:
        self.unit = unit
        self.total, self.known, self.unknown = 0, 0, 0

    def add(self, value: int | None) -> None:
        if value is None:
            self.unknown += 1
        else:
            self.total += value
            self.known += 1

    @property
    def exact(self) -> Fraction:
        return Fraction(self.total, self.unit)

    def row(self, id_: str, name: str) -> CarbonTotal:
        return CarbonTotal(
            id=id_, name=name, kgco2e=kg(self.exact) or 0.0, applications=self.known, unknown=self.unknown
        )


def _unit(values: list[Fraction]) -> int:
    """The least common denominator of exact values: each is then a whole
    number of that unit."""
    return math.lcm(*{v.denominator for v in values}) if values else 1


def carbon_totals(catalog: Catalog, figures: dict[str, Carbon]) -> CarbonTotals:
    running = {i: a for i, a in catalog.applications.items() if a.lifecycle in RUNNING}
    # the capabilities each supports that exist (as ``supported``, without
    # resolving every edge of the catalog for it)
    direct = {i: sorted({c for c in a.capabilities if c in catalog.capabilities}) for i, a in running.items()}
    known = {i: figures[i].kgco2e for i in running}
    # each application's share per capability: its figure over the number of
    # capabilities it supports directly; one denominator for every share
    shares = {i: v / len(direct[i]) for i, v in known.items() if v is not None and direct[i]}
    unit = _unit([v for v in known.values() if v is not None] + list(shares.values()))

    def scaled(v: Fraction | None) -> int | None:
        return None if v is None else v.numerator * (unit // v.denominator)

    estate = _Sum(unit)
    caps: dict[str, _Sum] = {}
    owners: dict[str, _Sum] = {}
    hostings: dict[str, _Sum] = {}
    above: dict[str, tuple[str, ...]] = {}
    for i, app in running.items():
        value = scaled(known[i])
        estate.add(value)
        owners.setdefault(app.owner, _Sum(unit)).add(value)
        hostings.setdefault(app.hosting, _Sum(unit)).add(value)
        share = scaled(shares.get(i))
        weights: dict[str, int] = {}
        for cap in direct[i]:
            if cap not in above:
                above[cap] = (cap, *ancestors(catalog, cap))
            for c in above[cap]:
                weights[c] = weights.get(c, 0) + 1
        for c, n in weights.items():
            total = caps.setdefault(c, _Sum(unit))
            total.add(None if share is None else share * n)
    by_capability = [
        caps[c].row(c, catalog.capabilities[c].name) for c in sorted(caps, key=lambda c: tree_key(catalog, c))
    ]
    by_service_area = [
        owners[o].row(o, org_name(catalog, o) or o)
        for o in sorted(owners, key=lambda o: ((org_name(catalog, o) or o).casefold(), o))
    ]
    by_hosting = [hostings[h].row(h, h) for h in HOSTINGS if h in hostings]
    return CarbonTotals(
        estate=estate.row("estate", "All running applications"),
        by_capability=by_capability,
        by_service_area=by_service_area,
        by_hosting=by_hosting,
        data_centre_exit=_exit(catalog, figures, running),
    )


def _exit(catalog: Catalog, figures: dict[str, Carbon], running: dict[str, Application]) -> DataCentreExit:
    values = [c.kgco2e for c in figures.values() if c.kgco2e is not None]
    unit = _unit(values)

    def scaled(v: Fraction | None) -> int | None:
        return None if v is None else v.numerator * (unit // v.denominator)

    inside, after = _Sum(unit), _Sum(unit)
    successors: set[str] = set()
    for i, app in running.items():
        if not in_own_data_centre(app):
            continue
        inside.add(scaled(figures[i].kgco2e))
        nxt = catalog.applications.get(app.replaced_by) if app.replaced_by else None
        if nxt is not None and not in_own_data_centre(nxt) and app.replaced_by not in successors:
            successors.add(app.replaced_by)  # type: ignore[arg-type]
            after.add(scaled(figures[app.replaced_by].kgco2e))  # type: ignore[index]
    return DataCentreExit(
        in_data_centres=kg(inside.exact) or 0.0,
        applications=inside.known,
        unknown=inside.unknown,
        successors=kg(after.exact) or 0.0,
        successors_counted=after.known,
        successors_unknown=after.unknown,
        saving=kg(inside.exact - after.exact) or 0.0,
    )
