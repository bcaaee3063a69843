"""Carbon figures arranged for the reports: one row per application with its
evidence, and totals by capability, service area and hosting that always say
how many applications they cover; the data-centre exit's saving.

The figures come from :mod:`generator.carbon` (the one place the method is
applied). Sums are exact and rounded once, here, to one decimal place.
"""

from __future__ import annotations

from collections import defaultdict
from fractions import Fraction

from pydantic import BaseModel, ConfigDict, Field

from generator.analysis.common import RUNNING, ancestors, org_name, supported, tree_key
from generator.carbon import Carbon, carbon_of, factors
from generator.catalog import Catalog
from generator.model import HOSTINGS
from generator.plan import in_own_data_centre
from generator.util import round_half_up

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
    """kgCO2e as shown: rounded once, to one decimal place."""
    return None if value is None else round_half_up(value, 1)


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
            CarbonRow(
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
    __slots__ = ("known", "total", "unknown")

    def __init__(self) -> None:
        self.total, self.known, self.unknown = Fraction(0), 0, 0

    def add(self, value: Fraction | None, share: Fraction = Fraction(1)) -> None:
        if value is None:
            self.unknown += 1
        else:
            self.total += value * share
            self.known += 1

    def row(self, id_: str, name: str) -> CarbonTotal:
        return CarbonTotal(
            id=id_, name=name, kgco2e=kg(self.total) or 0.0, applications=self.known, unknown=self.unknown
        )


def carbon_totals(catalog: Catalog, figures: dict[str, Carbon]) -> CarbonTotals:
    running = {i: a for i, a in catalog.applications.items() if a.lifecycle in RUNNING}
    estate = _Sum()
    caps: dict[str, _Sum] = defaultdict(_Sum)
    owners: dict[str, _Sum] = defaultdict(_Sum)
    hostings: dict[str, _Sum] = defaultdict(_Sum)
    for i, app in running.items():
        value = figures[i].kgco2e
        estate.add(value)
        owners[app.owner].add(value)
        hostings[app.hosting].add(value)
        direct = supported(catalog, i)
        shares: dict[str, Fraction] = defaultdict(Fraction)
        for cap in direct:
            for c in (cap, *ancestors(catalog, cap)):
                shares[c] += Fraction(1, len(direct))
        for c, share in shares.items():
            caps[c].add(value, share)
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


def _exit(catalog: Catalog, figures: dict[str, Carbon], running: dict) -> DataCentreExit:  # type: ignore[type-arg]
    inside, after = _Sum(), _Sum()
    successors: set[str] = set()
    for i, app in running.items():
        if not in_own_data_centre(app):
            continue
        inside.add(figures[i].kgco2e)
        nxt = catalog.applications.get(app.replaced_by) if app.replaced_by else None
        if nxt is not None and not in_own_data_centre(nxt) and app.replaced_by not in successors:
            successors.add(app.replaced_by)  # type: ignore[arg-type]
            after.add(figures[app.replaced_by].kgco2e)  # type: ignore[index]
    return DataCentreExit(
        in_data_centres=kg(inside.total) or 0.0,
        applications=inside.known,
        unknown=inside.unknown,
        successors=kg(after.total) or 0.0,
        successors_counted=after.known,
        successors_unknown=after.unknown,
        saving=kg(inside.total - after.total) or 0.0,
    )
