"""Findings: every problem the generator can report, as data.

Problems are collected, never raised, so one run reports everything at once
(as mkdocs does with config errors). Each code is stable: CI configurations,
suppressions and documentation refer to it, so a code is never reused for a
different meaning.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from operator import attrgetter
from typing import Any


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Code:
    """A kind of finding: its stable code, default severity and a title."""

    code: str
    severity: Severity
    title: str


E, W = Severity.ERROR, Severity.WARNING

CODES: dict[str, Code] = {
    c.code: c
    for c in (
        Code("EA100", E, "file cannot be read (I/O error or not UTF-8)"),
        Code("EA101", E, "missing or unterminated frontmatter"),
        Code("EA102", E, "YAML syntax error"),
        Code("EA103", E, "frontmatter is not a mapping"),
        Code("EA104", E, "duplicate key in frontmatter"),
        Code("EA105", E, "YAML anchor, alias or tag refused"),
        Code("EA106", E, "file too large"),
        Code("EA107", W, "symbolic link not followed"),
        Code("EA108", E, "frontmatter nested too deeply"),
        Code("EA110", E, "unknown field"),
        Code("EA111", E, "wrong type"),
        Code("EA112", E, "value outside the allowed values"),
        Code("EA113", E, "missing required field"),
        Code("EA120", E, "bad id"),
        Code("EA121", E, "id clash"),
        Code("EA122", E, "id does not match the file name"),
        Code("EA130", E, "reference to a missing id"),
        Code("EA131", E, "reference to an entity of the wrong kind"),
        Code("EA132", E, "link in a description leads nowhere that can be published"),
        Code("EA133", E, "lists in a description nested too deeply"),
        Code("EA140", E, "cycle in parent"),
        Code("EA141", E, "application depends on itself"),
        Code("EA150", E, "duplicated system: same name or alias"),
        Code("EA151", E, "duplicated system: same vendor, product and origin"),
        Code("EA152", E, "vendor name or alias used by another vendor"),
        Code("EA160", W, "near-duplicate application names"),
        Code("EA161", W, "near-duplicate vendor names"),
        Code("EA162", W, "name with invisible or look-alike characters"),
        Code("EA170", W, "active application with an ended contract"),
        Code("EA171", W, "dependency on a retired application"),
        Code("EA172", W, "migrate or eliminate without replaced_by"),
        Code("EA180", W, "capability with no active application (gap)"),
        Code("EA181", W, "missing sustainability assessment"),
        Code("EA182", W, "stale sustainability assessment"),
        Code("EA183", W, "no sustainability scheme"),
        Code("EA190", E, "unknown LGSL service code (with --lgsl)"),
        Code("EA200", E, "more than one recommended option"),
        Code("EA201", E, "option both reuses an application and describes a new solution"),
        Code("EA210", W, "proposal serving no corporate priority"),
        Code("EA211", W, "only new solutions while active applications support the capabilities"),
        Code("EA212", W, "proposal decided with no decision record"),
        Code("EA213", W, "delivered proposal with no delivers"),
        Code("EA214", W, "agreed principle not assessed"),
        Code("EA215", W, "proposal still open after its needed_by"),
        Code("EA220", W, "superseded decision whose status is not superseded"),
        Code("EA221", W, "decision marked superseded that nothing supersedes"),
        Code("EA222", W, "decision past its review_by"),
        Code("EA223", W, "accepted decision citing a retired principle"),
        Code("EA230", E, "application dates out of order"),
        Code("EA231", E, "carbon factor missing, negative or not a number"),
        Code("EA232", W, "written lifecycle disagrees with the dates today"),
        Code("EA233", W, "replaced application retires before its successor is live"),
        Code("EA234", W, "planned retirement after the contract ends"),
        Code("EA235", W, "depends on an application the plan retires first"),
        Code("EA236", W, "milestone the plan breaks"),
    )
}


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem at one place: ``path`` is relative to the repository root
    with forward slashes, ``line`` is 1-based (0 when no line applies).

    ``key`` is the frontmatter key path the line was read from, when there is
    one: a finding kept from an earlier run is moved to the key's new line if
    its file was edited (see ``incremental``). It is not part of the finding's
    identity or of any report."""

    code: str
    path: str
    line: int
    message: str
    hint: str = ""
    key: tuple[Any, ...] | None = field(default=None, compare=False, hash=False, repr=False)

    def __reduce__(self) -> tuple[type[Finding], tuple[Any, ...]]:
        """Pickled as its fields: the memo of a large repository holds tens of
        thousands of findings, and dataclasses' own state methods run in Python."""
        return (Finding, (self.code, self.path, self.line, self.message, self.hint, self.key))

    @property
    def severity(self) -> Severity:
        return CODES[self.code].severity

    @property
    def title(self) -> str:
        return CODES[self.code].title

    def sort_key(self) -> tuple[str, int, str, str]:
        return (self.path, self.line, self.code, self.message)

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "severity": str(self.severity),
            "path": self.path,
            "line": self.line,
            "message": self.message,
            "hint": self.hint,
        }


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Sort and drop exact repeats, so reports are deterministic. (The key is
    ``Finding.sort_key``, read in C.)"""
    return sorted(set(findings), key=_SORT_KEY)


_SORT_KEY = attrgetter("path", "line", "code", "message")


def summary(findings: list[Finding]) -> dict[str, int]:
    errors = sum(1 for f in findings if f.severity is Severity.ERROR)
    warnings = sum(1 for f in findings if f.severity is Severity.WARNING)
    files = len({f.path for f in findings})
    return {"errors": errors, "warnings": warnings, "files": files}


def fails(findings: list[Finding], strict: bool) -> bool:
    """Whether the findings should fail a run (exit code 1)."""
    return any(f.severity is Severity.ERROR or strict for f in findings)
