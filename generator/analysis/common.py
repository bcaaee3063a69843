"""Shared pieces of the analyses: lifecycle sets, month arithmetic, the
capability tree (cycle-safe), money, and the neutral table every renderer
reads."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from generator.catalog.catalog import Catalog
from generator.models.model import Kind

#: Applications counted as overlapping or as consolidation candidates: the same
#: rule as the gap check and the heat map (lifecycle ``active``).
ACTIVE = frozenset({"active"})
#: Applications still running and paid for: contracts, costs and the data-centre
#: exit also count those being phased out.
RUNNING = frozenset({"active", "phase-out"})
#: Everything not retired: what the sustainability report rates.
NOT_RETIRED = frozenset({"proposed", "active", "phase-out"})

CURRENCY = "GBP"


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole calendar months (negative: back), the day
    clamped to the month's last day: 31 March minus one month is 28/29 February.
    Past the first or last date there is (year 1 or 9999) it stays there rather
    than raising: content is bounded, but a report must not end in a traceback."""
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    if year < date.min.year:
        return date.min
    if year > date.max.year:
        return date.max
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def money(value: float | None) -> str:
    """Pounds for people: £1,234, or £1,234.56 when there are pence, or 'not
    recorded'. Figures arrive rounded once, to the penny; showing them in whole
    pounds would round them a second time (£2.496 -> £2.50 -> £3)."""
    if value is None:
        return "not recorded"
    text = f"{value:,.2f}"
    return f"£{text[:-3] if text.endswith('.00') else text}"


def ancestors(catalog: Catalog, cap_id: str) -> list[str]:
    """Parents of a capability, nearest first; stops at a cycle (a cycle is a
    validation error, reported there) or a missing parent."""
    out: list[str] = []
    seen = {cap_id}
    current = catalog.capabilities.get(cap_id)
    while current is not None and current.parent and current.parent in catalog.capabilities:
        if current.parent in seen:
            break
        seen.add(current.parent)
        out.append(current.parent)
        current = catalog.capabilities[current.parent]
    return out


def capability_path(catalog: Catalog, cap_id: str) -> list[str]:
    """Root-first ids from the level-1 capability down to ``cap_id``."""
    return [*reversed(ancestors(catalog, cap_id)), cap_id]


def tree_key(catalog: Catalog, cap_id: str) -> tuple[tuple[str, str], ...]:
    """Sort key that lists capabilities in hierarchy order, by name at each level."""
    return tuple((catalog.capabilities[c].name.casefold(), c) for c in capability_path(catalog, cap_id))


def supported(catalog: Catalog, app_id: str) -> list[str]:
    """The existing capabilities an application supports, sorted, without repeats."""
    return sorted({e.target for e in catalog.outgoing(Kind.APPLICATION, app_id, "supports")})


def org_name(catalog: Catalog, org_id: str | None) -> str | None:
    if org_id is None:
        return None
    org = catalog.organisations.get(org_id)
    return org.name if org else org_id


@dataclass
class Table:
    """One section of a report as rows of plain cells, for Markdown, CSV and
    Excel alike. ``money`` names the columns holding pounds."""

    key: str
    title: str
    headers: list[str]
    rows: list[list[Any]]
    intro: str = ""
    money: set[str] = field(default_factory=set)
