"""Carbon: kilograms of CO2e a year per application, from the best evidence
there is, and never invented.

The factors belong to the architects (the ``carbon:`` block of
``architecture/sustainability.md``, each with its source), not to the code.
Best evidence first:

- reported: ``sustainability.reported_kgco2e`` as the supplier or a cloud
  provider's emissions dashboard gives it;
- measured: ``energy_kwh`` x PUE of its hosting x grid factor;
- estimated: ``servers`` x (``average_watts`` or the scheme's
  ``server_watts``) x 8,760 h / 1,000 x PUE x grid factor;
- unknown: none of these (or no valid factors for a computed figure).

Arithmetic is exact (fractions of the decimal values written); callers round
once, at output.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from generator.core.util import exact
from generator.models.model import CARBON_FACTORS, HOSTINGS, Application, Scheme

HOURS_A_YEAR = 8760
EVIDENCE = ("reported", "measured", "estimated", "unknown")


@dataclass(frozen=True, slots=True)
class Factors:
    grid: Fraction  # kgCO2e per kWh
    grid_source: str
    pue: dict[str, Fraction]  # by hosting
    server_watts: Fraction


@dataclass(frozen=True, slots=True)
class Carbon:
    """One application's figure: ``kgco2e`` is None exactly when the
    evidence is ``unknown``."""

    kgco2e: Fraction | None
    evidence: str


def _number(value: Any) -> bool:
    return (
        isinstance(value, int | float) and not isinstance(value, bool) and value == value and abs(value) != float("inf")
    )


def factor_problems(block: Any) -> list[tuple[tuple[Any, ...], str, str]]:
    """(key path under the scheme, message, hint) for each factor that is
    missing, negative or not a number, and each key the block does not know."""
    if not isinstance(block, dict):
        return [(("carbon",), "'carbon' must be a mapping of factors", "see the carbon block in docs/content-model.md")]
    out: list[tuple[tuple[Any, ...], str, str]] = []
    for key in CARBON_FACTORS:
        if key not in block:
            out.append((("carbon",), f"carbon factor '{key}' is missing", f"add 'carbon.{key}' with its source"))
    for key in sorted(block, key=str):
        value = block[key]
        loc: tuple[Any, ...] = ("carbon", key)
        if key == "grid_source":
            if not isinstance(value, str) or not value.strip():
                out.append(
                    (
                        loc,
                        "'carbon.grid_source' must say where the grid factor comes from",
                        "cite the publication and year",
                    )
                )
        elif key == "pue":
            if not isinstance(value, dict):
                out.append(
                    (
                        loc,
                        "'carbon.pue' must map each hosting to its PUE",
                        f"give a PUE for each of: {', '.join(HOSTINGS)}",
                    )
                )
                continue
            for hosting in HOSTINGS:
                if hosting not in value:
                    out.append(
                        (
                            loc,
                            f"carbon factor 'pue.{hosting}' is missing",
                            "give the PUE of that hosting, with its source in the body",
                        )
                    )
            for hosting in sorted(value, key=str):
                if hosting not in HOSTINGS:
                    out.append(
                        (
                            (*loc, hosting),
                            f"'carbon.pue.{hosting}' is not a hosting",
                            f"use one of: {', '.join(HOSTINGS)}",
                        )
                    )
                elif not _number(value[hosting]) or value[hosting] < 1:
                    out.append(
                        (
                            (*loc, hosting),
                            f"'carbon.pue.{hosting}' is {value[hosting]!r}: a PUE is a number of at least 1",
                            "write the number without quotes (1.0 means every watt reaches the servers)",
                        )
                    )
        elif key in ("grid_kgco2e_per_kwh", "server_watts"):
            if not _number(value) or value < 0:
                out.append(
                    (
                        loc,
                        f"'carbon.{key}' is {value!r}: it must be a number of at least 0",
                        "write the number without quotes",
                    )
                )
        else:
            out.append((loc, f"unknown carbon factor '{key}'", f"the carbon block holds: {', '.join(CARBON_FACTORS)}"))
    return out


def factors(scheme: Scheme | None) -> Factors | None:
    """The scheme's factors, or None when there is no block or it has a problem
    (then figures that need a factor are unknown, never guessed)."""
    if scheme is None or scheme.carbon is None or factor_problems(scheme.carbon):
        return None
    block = scheme.carbon
    return Factors(
        grid=exact(block["grid_kgco2e_per_kwh"]),
        grid_source=block["grid_source"].strip(),
        pue={h: exact(block["pue"][h]) for h in HOSTINGS},
        server_watts=exact(block["server_watts"]),
    )


def carbon_of(app: Application, f: Factors | None) -> Carbon:
    """kgCO2e a year from the best evidence the application has."""
    s = app.sustainability
    if s is not None and s.reported_kgco2e is not None:
        return Carbon(exact(s.reported_kgco2e), "reported")
    if s is None or f is None:
        return Carbon(None, "unknown")
    pue = f.pue[app.hosting]
    if s.energy_kwh is not None:
        return Carbon(exact(s.energy_kwh) * pue * f.grid, "measured")
    if s.servers is not None:
        watts = exact(s.average_watts) if s.average_watts is not None else f.server_watts
        kwh = exact(s.servers) * watts * HOURS_A_YEAR / 1000
        return Carbon(kwh * pue * f.grid, "estimated")
    return Carbon(None, "unknown")
