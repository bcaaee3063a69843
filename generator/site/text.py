"""UK formatting of values for people: money in pounds, long dates, numbers
with thousands separators, and the words behind enumerations."""

from __future__ import annotations

import calendar
from datetime import date

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

LIFECYCLE_LABELS = {"proposed": "Proposed", "active": "Active", "phase-out": "Phase-out", "retired": "Retired"}
LIFECYCLE_MEANINGS = {
    "proposed": "planned or being procured, not yet in use",
    "active": "in use",
    "phase-out": "still in use, being replaced or wound down",
    "retired": "no longer in use",
}
DISPOSITION_LABELS = {"tolerate": "Tolerate", "invest": "Invest", "migrate": "Migrate", "eliminate": "Eliminate"}
DISPOSITION_MEANINGS = {
    "tolerate": "keep as it is, no new investment",
    "invest": "keep and develop",
    "migrate": "move to another system",
    "eliminate": "stop using it",
}
HOSTING_LABELS = {
    "on-premises": "On premises",
    "private-cloud": "Private cloud",
    "iaas": "Infrastructure as a service (IaaS)",
    "paas": "Platform as a service (PaaS)",
    "saas": "Software as a service (SaaS)",
}
HOSTING_SHORT = {
    "on-premises": "On premises",
    "private-cloud": "Private cloud",
    "iaas": "IaaS",
    "paas": "PaaS",
    "saas": "SaaS",
}
ORG_TYPE_LABELS = {
    "council": "Council",
    "directorate": "Directorate",
    "service": "Service",
    "team": "Team",
    "partner": "Partner",
}


def number(value: float) -> str:
    """1,200 or 72.5: no trailing zeros, thousands separated."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def money(value: float) -> str:
    """£12,500 or £1,234.50: pence only when there are some."""
    pence = round(value * 100)
    if pence % 100 == 0:
        return f"£{pence // 100:,}"
    return f"£{pence / 100:,.2f}"


def long_date(value: date) -> str:
    """31 March 2027, as GOV.UK writes dates."""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def add_months(value: date, months: int) -> date:
    """The same day ``months`` later (or earlier), clamped to the month's end:
    a notice period before 31 March is due on the last day of the month."""
    index = value.year * 12 + value.month - 1 + months
    year, month = divmod(index, 12)
    day = min(value.day, calendar.monthrange(year, month + 1)[1])
    return date(year, month + 1, day)


def plural(count: int, word: str, words: str | None = None) -> str:
    """'1 application', '2 applications'."""
    return f"{number(count)} {word if count == 1 else (words or word + 's')}"


def fact_words(fact: str, value: object) -> str:
    """A recorded fact as staff read it: hosting models by their names, true
    and false as yes and no; anything else as written."""
    text = str(value)
    if fact == "hosting" and text in HOSTING_LABELS:
        return HOSTING_LABELS[text]
    if isinstance(value, bool):
        return "yes" if value else "no"
    return {"true": "yes", "false": "no"}.get(text.lower(), text)
