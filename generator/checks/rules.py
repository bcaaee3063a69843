"""Checks across the catalog: cycles, duplicated systems, lifecycle and
sustainability warnings. Each check is a function from the catalog to findings,
so each can be tested alone; none knows about output formats.

Each check also declares which fields of which kinds it reads (``Check``), so
that a re-run after an edit keeps the findings of every check whose fields the
edit did not touch (see ``incremental``); a test holds the declarations to what
the checks really read.
"""

from __future__ import annotations

import functools
import heapq
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from rapidfuzz import process

from generator.catalog.catalog import Catalog, reference_fields
from generator.checks.governance import GOVERNANCE
from generator.checks.plan import (
    check_carbon_factors,
    check_contract_cover,
    check_date_order,
    check_lifecycle_dates,
    check_milestones,
    check_planned_dependencies,
    check_successors,
)
from generator.checks.similar import Pairs, company_words, fold_characters, invisible, lookalike, similar_pairs
from generator.core.findings import Finding
from generator.models.model import MAX_FACT, Application, Kind, Vendor

#: Two names whose letters and digits agree this much (rapidfuzz ratio) are
#: reported as possible duplicates.
FUZZY_THRESHOLD = 90.0


@dataclass(frozen=True, slots=True)
class Check:
    """A check and what its findings depend on: the fields it reads, by kind
    (``None``: the whole model; a kind not named is not read at all, not even
    whether its files are valid), and whether it reads today's date. Every
    check also depends on which files exist."""

    run: Callable[[Catalog, date], list[Finding]]
    reads: Mapping[Kind, tuple[str, ...] | None]
    today: bool = False
    #: True when every finding about an entity is in that entity's own file
    #: and depends only on that entity (besides the scheme, today and which
    #: files exist): after an edit such a check runs on the edited entities alone.
    local: bool = False

    @property
    def name(self) -> str:
        return self.run.__name__


def run_checks(catalog: Catalog, today: date) -> list[Finding]:
    findings: list[Finding] = []
    for check in CHECKS:
        findings.extend(check.run(catalog, today))
    return findings


def _finding(
    catalog: Catalog, code: str, kind: Kind, id_: str, loc: tuple[Any, ...], message: str, hint: str
) -> Finding:
    """A finding at the line of key path ``loc`` in an entity's file (line 1
    without a key), remembering the key so a kept finding can follow it."""
    src = catalog.source(kind, id_)
    return Finding(code, src.path, src.line(loc) if loc else 1, message, hint, key=loc or None)


def check_parent_cycles(catalog: Catalog, today: date) -> list[Finding]:
    """Each parent chain is walked once (linear time): a walk stops at an
    entity an earlier walk finished, and a cycle is the part of the current
    walk it runs back into. (Walking from every entity to its root was
    quadratic: 10,000 capabilities in one cycle took 51 s.)"""
    findings = []
    for kind in (Kind.CAPABILITY, Kind.ORGANISATION, Kind.PRIORITY):
        entities = catalog.of(kind)
        done: set[str] = set()
        for start in sorted(entities):
            path: dict[str, int] = {}  # the current walk, in order (dicts keep it)
            node: str | None = start
            while node is not None and node in entities and node not in done and node not in path:
                path[node] = len(path)
                node = entities[node].parent
            done.update(path)
            if node is None or node not in path:
                continue  # reached a root, a missing parent, or a walk already finished
            walk = list(path)
            cycle = walk[path[node] :]
            first = min(cycle)
            ring = cycle[cycle.index(first) :] + cycle[: cycle.index(first)] + [first]
            findings.append(
                _finding(
                    catalog,
                    "EA140",
                    kind,
                    first,
                    ("parent",),
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
                findings.append(
                    _finding(
                        catalog,
                        "EA141",
                        Kind.APPLICATION,
                        id_,
                        ("depends_on", i, "app"),
                        f"'{id_}' depends on itself",
                        "remove the entry from depends_on",
                    )
                )
    return findings


#: Every ASCII character but lower-case letters and digits, for deleting with
#: ``str.translate`` (the same result as a regular expression, several times faster).
_NOT_ALNUM = dict.fromkeys(c for c in range(128) if not (48 <= c <= 57 or 97 <= c <= 122))


def normalise_name(name: str) -> str:
    """Names that differ only in case, width or spacing are the same name, and
    so are names that differ only by invisible characters or by letters of
    another script that look like Latin ones (see ``similar.fold_characters``).
    (``str.split`` and ``re``'s ``\\s`` agree on what is whitespace.)"""
    if not name.isascii() or not name.isprintable():  # NFKC leaves ASCII text as it is
        name = fold_characters(unicodedata.normalize("NFKC", fold_characters(name)))
    return " ".join(name.casefold().split())


@functools.lru_cache(maxsize=1 << 16)  # computed for the early comparison and again by the check
def _letters(name: str) -> str:
    """The comparison key for near-duplicates: letters and digits only,
    accents dropped ("Civica APP" and "CIVICA App." agree)."""
    folded = normalise_name(name)
    if not folded.isascii():
        folded = unicodedata.normalize("NFKD", folded).encode("ascii", "ignore").decode()
    return folded.translate(_NOT_ALNUM)


def vendor_key(name: str) -> str:
    """The comparison key for suppliers: the name key (``_letters``) of the
    name without legal form, group or trade words (``similar.company_words``).
    "Civica UK Ltd", "CIVICA U.K. Limited" and "Civica" share one key."""
    return _letters(company_words(normalise_name(name)))


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
        first_file = catalog.source(Kind.APPLICATION, first_id).path
        what = "name" if first_loc == ("name",) else "an alias"
        for id_, name, loc in entries[1:]:
            # The other file is named without a line: a finding kept from an
            # earlier run stays right when only that file's lines moved.
            findings.append(
                _finding(
                    catalog,
                    "EA150",
                    Kind.APPLICATION,
                    id_,
                    loc,
                    f"duplicated system: '{name}' is also {'the ' if what == 'name' else ''}{what} of "
                    f"'{first_id}' ({first_file})",
                    "if it is the same system, merge the two files; if not, give each a name staff can tell apart",
                )
            )
    return findings


def _hidden(name: str) -> list[str]:
    """The characters of ``name`` that hide what it is: invisible ones, and
    letters of another script that look like Latin ones in a name that also
    has Latin letters (a wholly Cyrillic or Greek name is left alone)."""
    if name.isascii() and name.isprintable():
        return []
    chars = [ch for ch in name if invisible(ch) and ch not in "\t\n\r"]
    latin = any((ch.isascii() and ch.isalpha()) or unicodedata.name(ch, "").startswith("LATIN ") for ch in name)
    if latin:
        chars += [ch for ch in name if lookalike(ch) is not None]
    return list(dict.fromkeys(chars))


def check_hidden_characters(catalog: Catalog, today: date) -> list[Finding]:
    """A name or alias with invisible or look-alike characters: the duplicate
    checks see through them, but staff searching for the name will not find it."""
    findings = []
    for id_, app in sorted(catalog.applications.items()):
        if app.name.isascii() and app.name.isprintable() and all(a.isascii() and a.isprintable() for a in app.aliases):
            continue  # nearly every application: nothing to look at
        for name, loc in _names(app):
            chars = _hidden(name)
            if not chars:
                continue
            shown = ", ".join(f"U+{ord(c):04X} {unicodedata.name(c, 'unnamed character').lower()}" for c in chars[:5])
            more = f" and {len(chars) - 5} more" if len(chars) > 5 else ""
            findings.append(
                _finding(
                    catalog,
                    "EA162",
                    Kind.APPLICATION,
                    id_,
                    loc,
                    f"the {'name' if loc == ('name',) else 'alias'} holds characters that are invisible or look like "
                    f"other letters: {shown}{more}",
                    "type the name again in plain letters, so that staff searching for it find it",
                )
            )
    return findings


def _acknowledged(catalog: Catalog, a: str, b: str) -> bool:
    """Whether either application lists the other in ``distinct_from``."""
    apps = catalog.applications
    return b in apps[a].distinct_from or a in apps[b].distinct_from


def check_duplicate_products(catalog: Catalog, today: date) -> list[Finding]:
    """Two live instances of one product from one origin are one system twice,
    unless one lists the other in ``distinct_from`` (a separate schools
    payroll on the same product, say)."""
    groups: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for id_, app in sorted(catalog.applications.items()):
        if app.lifecycle == "retired" or not app.vendor or not app.product:
            continue
        groups[(app.vendor, normalise_name(app.product), app.origin or "")].append(id_)
    findings = []
    for (vendor, _, origin), ids in groups.items():
        for i, other in enumerate(ids[1:], start=1):
            first = next((e for e in ids[:i] if not _acknowledged(catalog, e, other)), None)
            if first is None:
                continue
            where = f"origin '{origin}'" if origin else "no origin"
            findings.append(
                _finding(
                    catalog,
                    "EA151",
                    Kind.APPLICATION,
                    other,
                    ("product",),
                    f"duplicated system: same vendor '{vendor}', product and {where} as '{first}'",
                    "merge the two files if they are one instance; if they are separate instances, set the "
                    f"'origin' that brought each, or add 'distinct_from: [{first}]'; or retire one",
                )
            )
    return findings


def name_keys(applications: Iterable[Application]) -> set[str]:
    """The comparison keys of every application name and alias (what
    ``check_near_duplicates`` compares), for starting the comparison early."""
    keys = {_letters(name) for app in applications for name, _ in _names(app)}
    keys.discard("")
    return keys


def near_pairs(keys: set[str], memo_dir: Path | None) -> Pairs:
    """Pairs of keys similar enough to report (see ``similar``)."""
    memo = memo_dir / "similar-names.pickle" if memo_dir else None
    return similar_pairs(keys, FUZZY_THRESHOLD, memo)


#: How many of an application's near-duplicates its finding names; the rest
#: are counted. One finding per file whatever the number of pairs: 1,500 names
#: that differ only in a number are a million pairs, which once made a
#: million warnings and a report of 400 MB.
NEAR_NAMED = 3


def check_near_duplicates(catalog: Catalog, today: date) -> list[Finding]:
    """Fuzzy name matching (see ``similar``); pairs that are exact duplicates
    are left to EA150, acknowledged pairs (``distinct_from``) are skipped.
    Each pair is reported in the file of the later id, and each file once: at
    the name that matches the earliest other application, naming it and up to
    ``NEAR_NAMED - 1`` more, with a count of the rest.
    ``catalog.name_pairs`` may hold the comparison, started in another thread
    on the same names or more (see ``validate``)."""
    by_key: dict[str, list[tuple[str, str, tuple[Any, ...]]]] = defaultdict(list)
    normalised: dict[str, str] = {}
    acknowledged: set[tuple[str, str]] = set()
    for id_ in sorted(catalog.applications):
        app = catalog.applications[id_]
        for name, loc in _names(app):
            by_key[_letters(name)].append((id_, name, loc))
            normalised[name] = normalise_name(name)
        acknowledged.update((min(id_, other), max(id_, other)) for other in app.distinct_from)
    by_key.pop("", None)
    if catalog.name_pairs is not None:
        found = catalog.name_pairs.result()
        pairs = {p for p in found if p[0] in by_key and p[1] in by_key}
    else:
        pairs = found = near_pairs(set(by_key), catalog.memo_dir)
    # a flood of similar names: the comparison stopped at its limit (see ``similar``)
    at_least = "" if getattr(found, "complete", True) else "at least "
    # names whose letters agree exactly ("Civica APP" / "CIVICA App.") are near-duplicates too
    key_pairs = [(k, k) for k, entries in by_key.items() if len(entries) > 1]
    key_pairs += pairs  # any order: the earliest pair of entries is kept whatever the order
    # for each later application: the other, earlier ones, each with the best
    # (earliest) pair of entries; a pair of applications is looked at once per pair of keys
    earlier: dict[str, dict[str, tuple[tuple[str, str, tuple[Any, ...]], tuple[str, str, tuple[Any, ...]]]]] = (
        defaultdict(dict)
    )
    for ka, kb in key_pairs:
        for a in by_key[ka]:
            for b in by_key[kb]:
                if a[0] == b[0]:
                    continue
                first, second = (a, b) if (a[0], a[2]) <= (b[0], b[2]) else (b, a)
                if (first[0], second[0]) in acknowledged or normalised[first[1]] == normalised[second[1]]:
                    continue
                best = earlier[second[0]].get(first[0])
                if best is None or (first, second) < best:
                    earlier[second[0]][first[0]] = (first, second)
    findings: list[Finding] = []
    for b_id in sorted(earlier):
        ranked = heapq.nsmallest(NEAR_NAMED, earlier[b_id].values())
        rest = len(earlier[b_id]) - NEAR_NAMED
        (a_id, a_name, _), (_, b_name, b_loc) = ranked[0]
        others = ", ".join(f"'{a[1]}' ({a[0]})" for a, _ in ranked[1:])
        also = ""
        if others:
            also = f"; also like {others}"
            also += f" and {at_least}{rest} other application{'s' * (rest != 1)}" if rest > 0 else ""
        findings.append(
            _finding(
                catalog,
                "EA160",
                Kind.APPLICATION,
                b_id,
                b_loc,
                f"'{b_name}' ({b_id}) is nearly the same name as '{a_name}' ({a_id}){also}: possibly one system",
                f"if they are different systems, add 'distinct_from: [{a_id}]'; if the same, merge the files",
            )
        )
    return findings


# --- vendors: one supplier, one file -----------------------------------------------------------------------------


def _vendor_names(vendor: Vendor) -> list[tuple[str, tuple[Any, ...]]]:
    return [(vendor.name, ("name",))] + [(a, ("aliases", i)) for i, a in enumerate(vendor.aliases)]


def check_vendor_names(catalog: Catalog, today: date) -> list[Finding]:
    """A name or alias that two vendors share (EA152): an import or a
    reference by that name could mean either, so one supplier has two files."""
    groups: dict[str, list[tuple[str, str, tuple[Any, ...]]]] = defaultdict(list)
    for id_, vendor in sorted(catalog.vendors.items()):
        own: set[str] = set()
        for name, loc in _vendor_names(vendor):
            key = normalise_name(name)
            if key not in own:
                own.add(key)
                groups[key].append((id_, name, loc))
    findings = []
    for entries in groups.values():
        first_id, _, first_loc = entries[0]
        what = "the name" if first_loc == ("name",) else "an alias"
        first_file = catalog.source(Kind.VENDOR, first_id).path
        for id_, name, loc in entries[1:]:
            findings.append(
                _finding(
                    catalog,
                    "EA152",
                    Kind.VENDOR,
                    id_,
                    loc,
                    f"'{name}' is also {what} of the vendor '{first_id}' ({first_file})",
                    f"if they are one supplier, merge the files: ea merge vendor {id_} {first_id}; "
                    "if not, remove the name from one of them",
                )
            )
    return findings


def check_near_duplicate_vendors(catalog: Catalog, today: date) -> list[Finding]:
    """Vendors whose names or aliases are the same company name once legal
    words are set aside (``vendor_key``: "Civica UK Ltd" and "Civica"), or
    nearly the same (the comparison EA160 uses): one supplier written twice
    splits its applications, costs and contracts across two pages (EA161).
    Exact repeats are left to EA152."""
    by_key: dict[str, list[tuple[str, str, tuple[Any, ...]]]] = defaultdict(list)
    exact: dict[str, set[str]] = defaultdict(set)  # normalised name -> vendor ids (EA152's pairs)
    for id_ in sorted(catalog.vendors):
        for name, loc in _vendor_names(catalog.vendors[id_]):
            exact[normalise_name(name)].add(id_)
            # the company name without legal words, and the whole name (for
            # near misses in the words set aside: "Technologys Ltd")
            for key in dict.fromkeys((vendor_key(name), _letters(name))):
                if key:
                    by_key[key].append((id_, name, loc))
    shared = {(a, b) for ids in exact.values() for a in ids for b in ids if a != b}
    candidates = []
    for ka, kb in sorted(similar_pairs(set(by_key), FUZZY_THRESHOLD)):
        for a in by_key[ka]:
            for b in by_key[kb]:
                candidates.append((a, b) if (a[0], a[2]) <= (b[0], b[2]) else (b, a))
    for entries in by_key.values():
        for i, a in enumerate(entries):
            for b in entries[i + 1 :]:
                candidates.append((a, b))
    findings: list[Finding] = []
    reported: set[str] = set()  # one finding per vendor, naming its first look-alike: n vendors, at most n findings
    for (a_id, a_name, _), (b_id, b_name, b_loc) in sorted(candidates):
        if a_id == b_id or (a_id, b_id) in shared or b_id in reported:
            continue
        reported.add(b_id)
        findings.append(
            _finding(
                catalog,
                "EA161",
                Kind.VENDOR,
                b_id,
                b_loc,
                f"'{b_name}' ({b_id}) is nearly the same supplier name as '{a_name}' ({a_id}): possibly one supplier",
                f"if they are one supplier, merge them: ea merge vendor {b_id} {a_id} (the old name becomes an "
                "alias); if not, name them so staff can tell them apart",
            )
        )
    return findings


def check_lifecycle(catalog: Catalog, today: date) -> list[Finding]:
    """Each application against its own contract and disposition."""
    findings = []
    for id_, app in sorted(catalog.applications.items()):
        if app.lifecycle == "active" and app.contract and app.contract.end and app.contract.end < today:
            findings.append(
                _finding(
                    catalog,
                    "EA170",
                    Kind.APPLICATION,
                    id_,
                    ("contract", "end"),
                    f"active application whose contract ended on {app.contract.end.isoformat()}",
                    "record the renewed contract's end date, or change the lifecycle",
                )
            )
        if app.disposition in ("migrate", "eliminate") and not app.replaced_by:
            findings.append(
                _finding(
                    catalog,
                    "EA172",
                    Kind.APPLICATION,
                    id_,
                    ("disposition",),
                    f"disposition '{app.disposition}' but no replaced_by",
                    "name the target system in 'replaced_by', or change the disposition",
                )
            )
    return findings


def check_retired_dependencies(catalog: Catalog, today: date) -> list[Finding]:
    """Active applications against the lifecycle of what they depend on."""
    findings = []
    apps = catalog.applications
    for id_, app in sorted(apps.items()):
        if app.lifecycle != "active":
            continue
        for i, dep in enumerate(app.depends_on):
            target = apps.get(dep.app)
            if target is not None and target.lifecycle == "retired":
                successor = f"; its successor is '{target.replaced_by}'" if target.replaced_by else ""
                findings.append(
                    _finding(
                        catalog,
                        "EA171",
                        Kind.APPLICATION,
                        id_,
                        ("depends_on", i, "app"),
                        f"active application depends on retired '{dep.app}'{successor}",
                        "re-point the integration to the system that replaced it, or correct the lifecycle",
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
            findings.append(
                _finding(
                    catalog,
                    "EA180",
                    Kind.CAPABILITY,
                    id_,
                    ("name",),
                    "no active application supports this capability (a gap)",
                    "list it in an active application's 'capabilities', or record how it is delivered in the body",
                )
            )
    return findings


def _months_before(day: date, months: int) -> date:
    """``day`` moved back by whole months; the first date there is when that
    is before year 1 (never an error: validate must not end in a traceback)."""
    total = day.year * 12 + day.month - 1 - months
    year, month = divmod(total, 12)
    if year < date.min.year:
        return date.min
    if year > date.max.year:
        return date.max
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
        # with no scheme file, EA183 is the one finding: an assessment cannot
        # be asked for (or called stale) against a scheme that does not exist
        if app.lifecycle != "retired" and scheme_src is not None:
            if s is None or s.assessed is None:
                loc = ("sustainability",) if s is not None else ("name",)
                findings.append(
                    _finding(
                        catalog,
                        "EA181",
                        Kind.APPLICATION,
                        id_,
                        loc,
                        "no sustainability assessment",
                        "add a 'sustainability:' mapping with the facts the scheme asks for and 'assessed: YYYY-MM-DD'",
                    )
                )
            elif s.assessed < oldest:
                findings.append(
                    _finding(
                        catalog,
                        "EA182",
                        Kind.APPLICATION,
                        id_,
                        ("sustainability", "assessed"),
                        f"sustainability assessment of {s.assessed.isoformat()} is older than {max_age} months",
                        "review the facts with the supplier and update 'assessed'",
                    )
                )
        if s is None or facts is None:
            continue
        for key, value in sorted(s.facts().items()):
            problem = _fact_problem(facts, key, value)
            if problem is not None:
                findings.append(
                    _finding(catalog, problem[0], Kind.APPLICATION, id_, ("sustainability", key), *problem[1:])
                )
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
    elif not -MAX_FACT <= value <= MAX_FACT:  # False for .nan too; an int of any size compares exactly
        return (
            "EA111",
            f"'sustainability.{key}' must be a finite number no larger than {MAX_FACT:g}, got {value!r:.40}",
            "write the measured value as a plain number",
        )
    return None


A, C, ORG = Kind.APPLICATION, Kind.CAPABILITY, Kind.ORGANISATION


def check_references(catalog: Catalog, today: date) -> list[Finding]:
    """References that name nothing (EA130) or the wrong kind (EA131): the
    catalog's reference pass, run as a check so its findings can be kept."""
    return catalog.reference_findings()


#: A reference field ``options.application`` is read from the model's ``options``.
REFERENCES = Check(
    check_references,
    {kind: tuple(dict.fromkeys(f.partition(".")[0] for f in fields)) for kind, fields in reference_fields().items()},
    local=True,
)

CHECKS: tuple[Check, ...] = (
    Check(check_parent_cycles, {C: ("parent",), ORG: ("parent",), Kind.PRIORITY: ("parent",)}),
    Check(check_self_dependency, {A: ("depends_on",)}, local=True),
    Check(check_duplicate_names, {A: ("name", "aliases")}),
    Check(check_hidden_characters, {A: ("name", "aliases")}),
    Check(check_duplicate_products, {A: ("lifecycle", "vendor", "product", "origin", "distinct_from")}),
    Check(check_lifecycle, {A: ("lifecycle", "contract", "replaced_by", "disposition")}, today=True, local=True),
    Check(check_retired_dependencies, {A: ("lifecycle", "depends_on", "replaced_by")}),
    Check(check_gaps, {A: ("lifecycle", "capabilities"), C: ("parent",)}),
    Check(check_sustainability, {A: ("lifecycle", "sustainability"), Kind.SCHEME: None}, today=True, local=True),
    Check(check_vendor_names, {Kind.VENDOR: ("name", "aliases")}),
    Check(check_near_duplicate_vendors, {Kind.VENDOR: ("name", "aliases")}),
    *(Check(run, reads, today=today, local=local) for run, reads, today, local in GOVERNANCE),
    # the dated plan (generator/checks/plan.py)
    Check(check_date_order, {A: ("dates",)}, local=True),
    Check(check_carbon_factors, {Kind.SCHEME: None}),
    Check(check_lifecycle_dates, {A: ("lifecycle", "dates")}, today=True, local=True),
    Check(check_successors, {A: ("replaced_by", "dates", "lifecycle")}),
    Check(check_contract_cover, {A: ("dates", "contract")}, today=True, local=True),
    Check(check_planned_dependencies, {A: ("depends_on", "dates", "lifecycle", "replaced_by")}, today=True),
    Check(
        check_milestones,
        {Kind.MILESTONE: None, A: ("dates", "lifecycle", "hosting", "sustainability")},
    ),
    # last: its comparison may still be running in another thread
    Check(check_near_duplicates, {A: ("name", "aliases", "distinct_from")}),
)
