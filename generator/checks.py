"""Checks across the catalog: cycles, duplicated systems, lifecycle and
sustainability warnings. Each check is a function from the catalog to findings,
so each can be tested alone; none knows about output formats."""

from __future__ import annotations

import functools
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Any

from rapidfuzz import process

from generator.catalog import Catalog
from generator.findings import Finding
from generator.model import Application, Kind
from generator.similar import similar_pairs

#: Two names whose letters and digits agree this much (rapidfuzz ratio) are
#: reported as possible duplicates.
FUZZY_THRESHOLD = 90.0


def run_checks(catalog: Catalog, today: date) -> list[Finding]:
    findings: list[Finding] = []
    for check in CHECKS:
        findings.extend(check(catalog, today))
    return findings


def _line(catalog: Catalog, kind: Kind, id_: str, *loc: Any) -> tuple[str, int]:
    src = catalog.source(kind, id_)
    return src.path, src.line(loc) if loc else 1


def check_parent_cycles(catalog: Catalog, today: date) -> list[Finding]:
    findings = []
    for kind in (Kind.CAPABILITY, Kind.ORGANISATION):
        entities = catalog.of(kind)
        reported: set[str] = set()
        for start in sorted(entities):
            path, seen = [], set()
            node: str | None = start
            while node is not None and node in entities and node not in seen:
                seen.add(node)
                path.append(node)
                node = entities[node].parent
            if node is None or node not in seen:
                continue
            cycle = path[path.index(node) :]
            if reported.intersection(cycle):
                continue
            reported.update(cycle)
            first = min(cycle)
            ring = cycle[cycle.index(first) :] + cycle[: cycle.index(first)] + [first]
            file, line = _line(catalog, kind, first, "parent")
            findings.append(
                Finding(
                    "EA140",
                    file,
                    line,
                    f"cycle in parent: {' -> '.join(ring)}",
                    "a parent must be higher in the hierarchy: remove or change one 'parent' in the cycle",
                )
            )
    return findings


def check_self_dependency(catalog: Catalog, today: date) -> list[Finding]:
    findings = []
    for id_, app in sorted(catalog.applications.items()):
        for i, dep in enumerate(app.depends_on):
            if dep.app == id_:
                file, line = _line(catalog, Kind.APPLICATION, id_, "depends_on", i, "app")
                findings.append(
                    Finding("EA141", file, line, f"'{id_}' depends on itself", "remove the entry from depends_on")
                )
    return findings


#: Every ASCII character but lower-case letters and digits, for deleting with
#: ``str.translate`` (the same result as a regular expression, several times faster).
_NOT_ALNUM = dict.fromkeys(c for c in range(128) if not (48 <= c <= 57 or 97 <= c <= 122))


def normalise_name(name: str) -> str:
    """Names that differ only in case, width or spacing are the same name.
    (``str.split`` and ``re``'s ``\\s`` agree on what is whitespace.)"""
    if not name.isascii():  # NFKC leaves ASCII text as it is
        name = unicodedata.normalize("NFKC", name)
    return " ".join(name.casefold().split())


@functools.lru_cache(maxsize=1 << 16)  # computed for the early comparison and again by the check
def _letters(name: str) -> str:
    """The comparison key for near-duplicates: letters and digits only,
    accents dropped ("Civica APP" and "CIVICA App." agree)."""
    folded = normalise_name(name)
    if not folded.isascii():
        folded = unicodedata.normalize("NFKD", folded).encode("ascii", "ignore").decode()
    return folded.translate(_NOT_ALNUM)


def _names(app: Application) -> list[tuple[str, tuple[Any, ...]]]:
    return [(app.name, ("name",))] + [(a, ("aliases", i)) for i, a in enumerate(app.aliases)]


def check_duplicate_names(catalog: Catalog, today: date) -> list[Finding]:
    groups: dict[str, list[tuple[str, str, tuple[Any, ...]]]] = defaultdict(list)
    for id_, app in sorted(catalog.applications.items()):
        seen_own: set[str] = set()
        for name, loc in _names(app):
            key = normalise_name(name)
            if key in seen_own:
                continue
            seen_own.add(key)
            groups[key].append((id_, name, loc))
    findings = []
    for entries in groups.values():
        if len(entries) < 2:
            continue
        first_id, _first_name, first_loc = entries[0]
        first_file, first_line = _line(catalog, Kind.APPLICATION, first_id, *first_loc)
        for id_, name, loc in entries[1:]:
            file, line = _line(catalog, Kind.APPLICATION, id_, *loc)
            findings.append(
                Finding(
                    "EA150",
                    file,
                    line,
                    f"duplicated system: '{name}' is also the name or alias of '{first_id}' "
                    f"({first_file}:{first_line})",
                    "if it is the same system, merge the two files; if not, give each a name staff can tell apart",
                )
            )
    return findings


def check_duplicate_products(catalog: Catalog, today: date) -> list[Finding]:
    groups: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for id_, app in sorted(catalog.applications.items()):
        if app.lifecycle == "retired" or not app.vendor or not app.product:
            continue
        groups[(app.vendor, normalise_name(app.product), app.origin or "")].append(id_)
    findings = []
    for (vendor, _, origin), ids in groups.items():
        for other in ids[1:]:
            file, line = _line(catalog, Kind.APPLICATION, other, "product")
            where = f"origin '{origin}'" if origin else "no origin"
            findings.append(
                Finding(
                    "EA151",
                    file,
                    line,
                    f"duplicated system: same vendor '{vendor}', product and {where} as '{ids[0]}'",
                    "merge the two files if they are one instance; otherwise set the 'origin' that brought "
                    "each, or retire one",
                )
            )
    return findings


def name_keys(applications: Iterable[Application]) -> set[str]:
    """The comparison keys of every application name and alias (what
    ``check_near_duplicates`` compares), for starting the comparison early."""
    keys = {_letters(name) for app in applications for name, _ in _names(app)}
    keys.discard("")
    return keys


def near_pairs(keys: set[str], memo_dir: Path | None) -> set[tuple[str, str]]:
    """Pairs of keys similar enough to report (see ``similar``)."""
    memo = memo_dir / "similar-names.pickle" if memo_dir else None
    return similar_pairs(keys, FUZZY_THRESHOLD, memo)


def check_near_duplicates(catalog: Catalog, today: date) -> list[Finding]:
    """Fuzzy name matching (see ``similar``); pairs that are exact duplicates
    are left to EA150, acknowledged pairs (``distinct_from``) are skipped.
    ``catalog.name_pairs`` may hold the comparison, started in another thread
    on the same names or more (see ``validate``)."""
    by_key: dict[str, list[tuple[str, str, tuple[Any, ...]]]] = defaultdict(list)
    for id_ in sorted(catalog.applications):
        for name, loc in _names(catalog.applications[id_]):
            by_key[_letters(name)].append((id_, name, loc))
    by_key.pop("", None)
    findings: list[Finding] = []
    reported: set[tuple[str, str]] = set()
    candidates = []
    if catalog.name_pairs is not None:
        pairs = {p for p in catalog.name_pairs.result() if p[0] in by_key and p[1] in by_key}
    else:
        pairs = near_pairs(set(by_key), catalog.memo_dir)
    for ka, kb in sorted(pairs):
        for a in by_key[ka]:
            for b in by_key[kb]:
                first, second = (a, b) if (a[0], a[2]) <= (b[0], b[2]) else (b, a)
                candidates.append((first, second))
    # names whose letters agree exactly ("Civica APP" / "CIVICA App.") are near-duplicates too
    for entries in by_key.values():
        for i, a in enumerate(entries):
            for b in entries[i + 1 :]:
                candidates.append((a, b))
    for (a_id, a_name, _), (b_id, b_name, b_loc) in sorted(candidates):
        if a_id == b_id or normalise_name(a_name) == normalise_name(b_name):
            continue
        pair = (min(a_id, b_id), max(a_id, b_id))
        if pair in reported:
            continue
        a, b = catalog.applications[a_id], catalog.applications[b_id]
        if b_id in a.distinct_from or a_id in b.distinct_from:
            continue
        reported.add(pair)
        file, line = _line(catalog, Kind.APPLICATION, b_id, *b_loc)
        findings.append(
            Finding(
                "EA160",
                file,
                line,
                f"'{b_name}' ({b_id}) is nearly the same name as '{a_name}' ({a_id}): possibly one system",
                f"if they are different systems, add 'distinct_from: [{a_id}]'; if the same, merge the files",
            )
        )
    return findings


def check_lifecycle(catalog: Catalog, today: date) -> list[Finding]:
    findings = []
    apps = catalog.applications
    for id_, app in sorted(apps.items()):
        if app.lifecycle == "active" and app.contract and app.contract.end and app.contract.end < today:
            file, line = _line(catalog, Kind.APPLICATION, id_, "contract", "end")
            findings.append(
                Finding(
                    "EA170",
                    file,
                    line,
                    f"active application whose contract ended on {app.contract.end.isoformat()}",
                    "record the renewed contract's end date, or change the lifecycle",
                )
            )
        if app.lifecycle == "active":
            for i, dep in enumerate(app.depends_on):
                target = apps.get(dep.app)
                if target is not None and target.lifecycle == "retired":
                    file, line = _line(catalog, Kind.APPLICATION, id_, "depends_on", i, "app")
                    successor = f"; its successor is '{target.replaced_by}'" if target.replaced_by else ""
                    findings.append(
                        Finding(
                            "EA171",
                            file,
                            line,
                            f"active application depends on retired '{dep.app}'{successor}",
                            "re-point the integration to the system that replaced it, or correct the lifecycle",
                        )
                    )
        if app.disposition in ("migrate", "eliminate") and not app.replaced_by:
            file, line = _line(catalog, Kind.APPLICATION, id_, "disposition")
            findings.append(
                Finding(
                    "EA172",
                    file,
                    line,
                    f"disposition '{app.disposition}' but no replaced_by",
                    "name the target system in 'replaced_by', or change the disposition",
                )
            )
    return findings


def check_gaps(catalog: Catalog, today: date) -> list[Finding]:
    """A capability is a gap when no active application supports it or any
    capability beneath it."""
    supported: set[str] = set()
    for _app_id, app in catalog.applications.items():
        if app.lifecycle != "active":
            continue
        for cap in app.capabilities:
            node, seen = cap, set()
            while node in catalog.capabilities and node not in seen:
                seen.add(node)
                supported.add(node)
                node = catalog.capabilities[node].parent
    findings = []
    for id_ in sorted(catalog.capabilities):
        if id_ not in supported:
            file, line = _line(catalog, Kind.CAPABILITY, id_, "name")
            findings.append(
                Finding(
                    "EA180",
                    file,
                    line,
                    "no active application supports this capability (a gap)",
                    "list it in an active application's 'capabilities', or record how it is delivered in the body",
                )
            )
    return findings


def _months_before(day: date, months: int) -> date:
    total = day.year * 12 + day.month - 1 - months
    year, month = divmod(total, 12)
    month += 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    return date(year, month, 28)  # pragma: no cover


def check_sustainability(catalog: Catalog, today: date) -> list[Finding]:
    findings = []
    scheme = catalog.scheme
    scheme_src = catalog.sources.get((Kind.SCHEME, "sustainability"))
    if scheme_src is None:
        findings.append(
            Finding(
                "EA183",
                "architecture/sustainability.md",
                0,
                "no sustainability scheme: ratings cannot be computed",
                "add architecture/sustainability.md with criteria and bands (see the README)",
            )
        )
    max_age = scheme.max_age_months if scheme else 24
    oldest = _months_before(today, max_age)
    facts = scheme.facts() if scheme else None
    for id_, app in sorted(catalog.applications.items()):
        s = app.sustainability
        if app.lifecycle != "retired":
            if s is None or s.assessed is None:
                loc = ("sustainability",) if s is not None else ("name",)
                file, line = _line(catalog, Kind.APPLICATION, id_, *loc)
                findings.append(
                    Finding(
                        "EA181",
                        file,
                        line,
                        "no sustainability assessment",
                        "add a 'sustainability:' mapping with the facts the scheme asks for and 'assessed: YYYY-MM-DD'",
                    )
                )
            elif s.assessed < oldest:
                file, line = _line(catalog, Kind.APPLICATION, id_, "sustainability", "assessed")
                findings.append(
                    Finding(
                        "EA182",
                        file,
                        line,
                        f"sustainability assessment of {s.assessed.isoformat()} is older than {max_age} months",
                        "review the facts with the supplier and update 'assessed'",
                    )
                )
        if s is None or facts is None:
            continue
        for key, value in sorted(s.facts().items()):
            problem = _fact_problem(facts, key, value)
            if problem is not None:
                file, line = _line(catalog, Kind.APPLICATION, id_, "sustainability", key)
                findings.append(Finding(problem[0], file, line, problem[1], problem[2]))
    return findings


def _fact_problem(facts: dict[str, Any], key: str, value: Any) -> tuple[str, str, str] | None:
    """(code, message, hint) when a sustainability fact does not fit the scheme."""
    criterion = facts.get(key)
    if criterion is None:
        near = process.extractOne(key, sorted(facts), score_cutoff=60)
        hint = f"did you mean '{near[0]}'?" if near else f"facts the scheme reads: assessed, {', '.join(sorted(facts))}"
        return "EA110", f"unknown field 'sustainability.{key}': the scheme has no such fact", hint
    if criterion.points:
        shown = str(value).lower() if isinstance(value, bool) else value
        if not isinstance(value, str | bool) or str(shown) not in criterion.points:
            return (
                "EA112",
                f"'sustainability.{key}' is {value!r}, which the scheme does not score",
                f"use one of: {', '.join(criterion.points)}",
            )
    elif isinstance(value, bool) or not isinstance(value, int | float):
        return "EA111", f"'sustainability.{key}' must be a number, got {value!r}", "write a number without quotes"
    return None


CHECKS: tuple[Callable[[Catalog, date], list[Finding]], ...] = (
    check_parent_cycles,
    check_self_dependency,
    check_duplicate_names,
    check_duplicate_products,
    check_lifecycle,
    check_gaps,
    check_sustainability,
    check_near_duplicates,  # last: its comparison may still be running in another thread
)
