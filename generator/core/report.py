"""Render findings for people and for CI runners.

Each renderer takes the sorted findings and returns text; the CLI decides
where it goes. The ``json`` shape is a documented, stable contract (README,
"JSON report"); the ``github`` and ``azure`` renderers emit each runner's
annotation commands with that runner's escaping rules.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from itertools import groupby

from generator.core.findings import Finding, Severity, summary

Style = Callable[..., str]

JSON_VERSION = 1


def _plain(text: str, **_: object) -> str:
    return text


#: C0 and C1 control characters and DEL (ESC and CSI start terminal commands,
#: CR and LF start a new line a CI runner reads commands from), line and
#: paragraph separators, and the bidirectional controls that reorder what a
#: terminal shows: each is shown as an escape instead.
_CONTROL = {
    c: (f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}")
    for c in (*range(0x00, 0x20), *range(0x7F, 0xA0), 0x2028, 0x2029, *range(0x202A, 0x202F), *range(0x2066, 0x206A))
}
#: Runner commands that need no line start: Azure Pipelines reads ``##vso[``
#: anywhere in a line, and the ``##[`` formatting commands; GitHub Actions'
#: ``::`` commands start a line (after spaces). Their ``[`` or second ``:``
#: is shown as an escape, so the text reads the same and runs nothing.
_RUNNER = re.compile(r"(##(?:vso)?)\[|::", re.IGNORECASE)


#: The same, for text read by people: ``::`` only where it would start a
#: line (after spaces), so "written: a: b" or "C::D" read as written.
_LINE_RUNNER = re.compile(r"(##(?:vso)?)\[|^(\s*)::", re.IGNORECASE)


def _runner_escape(match: re.Match[str]) -> str:
    return ":\\x3a" if match.group(0) == "::" else match.group(1) + "\\x5b"


def _line_escape(match: re.Match[str]) -> str:
    return match.group(1) + "\\x5b" if match.group(1) else match.group(2) + ":\\x3a"


def printable(text: str, *, anywhere: bool = True) -> str:
    """The one escaping every message goes through before a terminal or a CI
    log: content reaches messages verbatim, and a name, key or link target
    must not become a terminal or runner command (an ANSI escape, a newline
    followed by ``::error``, a ``##vso[`` command). With ``anywhere`` off
    (text for people, where ``text`` starts a line or follows other text on
    it), ``::`` is escaped only at its start, where GitHub would read it."""
    text = text.translate(_CONTROL)
    if "::" in text or "#" in text:
        text = (_RUNNER if anywhere else _LINE_RUNNER).sub(_runner_escape if anywhere else _line_escape, text)
    return text


def printable_lines(text: str) -> str:
    """``printable`` for a message of several lines (an error with a list of
    problems), for people: its own line breaks are kept, and no line can
    start a runner command (``::`` at a line's start and ``##[`` anywhere
    are escaped)."""
    return "\n".join(printable(line, anywhere=False) for line in text.split("\n"))


def summary_line(findings: list[Finding], checked: int) -> str:
    s = summary(findings)
    files = f"{checked} file{'s' if checked != 1 else ''} checked"
    if not findings:
        return f"No problems: {files}."
    return (
        f"{s['errors']} error{'s' if s['errors'] != 1 else ''}, "
        f"{s['warnings']} warning{'s' if s['warnings'] != 1 else ''} "
        f"in {s['files']} file{'s' if s['files'] != 1 else ''} ({files})."
    )


def render_text(
    findings: list[Finding], checked: int, style: Style = _plain, summary_of: list[Finding] | None = None
) -> str:
    """Grouped by file, ``line: severity code message`` then the hint;
    ``summary_of`` as for ``render_github``."""
    out: list[str] = []
    for path, group in groupby(findings, key=lambda f: f.path):
        out.append(style(printable(path, anywhere=False), bold=True, underline=True))
        for f in group:
            colour = "red" if f.severity is Severity.ERROR else "yellow"
            where = f"{f.line:>5}" if f.line else "    -"
            severity = style(f"{f.severity:<7}", fg=colour, bold=True)
            out.append(f"{where}  {severity} {style(f.code, fg=colour)}  {printable(f.message, anywhere=False)}")
            if f.hint:
                out.append(f"{'':>5}  {style('fix:', dim=True)}    {printable(f.hint, anywhere=False)}")
        out.append("")
    counted = findings if summary_of is None else summary_of
    line = summary_line(counted, checked)
    colour = "red" if any(f.severity is Severity.ERROR for f in counted) else ("yellow" if counted else "green")
    out.append(style(line, fg=colour, bold=True))
    return "\n".join(out) + "\n"


def render_json(findings: list[Finding], checked: int) -> str:
    """The report as ``json.dumps(..., indent=2, ensure_ascii=False)`` writes
    it, byte for byte. With an indent, ``json`` encodes in Python, a second
    per thousand findings; each finding is written here from a template with
    ``json``'s own string encoder (in C) instead."""
    s = summary(findings)
    s["checked"] = checked
    payload = {"version": JSON_VERSION, "findings": [], "summary": s}
    text = json.dumps(payload, indent=2, ensure_ascii=False)
    if findings:
        items = ",\n".join(map(_json_finding, findings))
        text = text.replace('"findings": []', f'"findings": [\n{items}\n  ]', 1)
    return json_runner_safe(text) + "\n"


_string = json.encoder.encode_basestring  # what json.dumps uses with ensure_ascii=False


def _json_finding(f: Finding) -> str:
    """One finding as an item of the report's list (see ``Finding.as_dict``)."""
    return (
        f'    {{\n      "code": {_string(f.code)},\n      "severity": {_string(str(f.severity))},\n'
        f'      "path": {_string(f.path)},\n      "line": {int(f.line)},\n'
        f'      "message": {_string(f.message)},\n      "hint": {_string(f.hint)}\n    }}'
    )


_JSON_RUNNER = re.compile(r"(##(?:vso)?)\[", re.IGNORECASE)


def json_runner_safe(text: str) -> str:
    """JSON text with every ``##vso[`` and ``##[`` written as ``##vso\\u005b``:
    the same strings to a JSON reader, no command to an Azure Pipelines agent
    reading the log (which finds ``##vso[`` anywhere in a line; JSON's own
    layout never starts a line with ``::``)."""
    if "#" not in text:
        return text
    return _JSON_RUNNER.sub(lambda m: m.group(1) + "\\u005b", text)


def _gh_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_prop(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(
    findings: list[Finding], checked: int, prefix: str = "", summary_of: list[Finding] | None = None
) -> str:
    """GitHub Actions workflow commands (``::error file=...,line=...::msg``).
    ``summary_of``: the findings the summary line counts, when only some
    are annotated."""
    out = []
    for f in findings:
        kind = "error" if f.severity is Severity.ERROR else "warning"
        props = [f"file={_gh_prop(printable(prefix + f.path))}"]
        if f.line:
            props.append(f"line={f.line}")
        props.append(f"title={_gh_prop(f'{f.code} {f.title}')}")
        message = printable(f.message) + (f"\nFix: {printable(f.hint)}" if f.hint else "")
        out.append(f"::{kind} {','.join(props)}::{_gh_data(message)}")
    out.append(summary_line(findings if summary_of is None else summary_of, checked))
    return "\n".join(out) + "\n"


def _az_data(text: str) -> str:
    return text.replace("%", "%AZP25").replace("\r", "%0D").replace("\n", "%0A")


def _az_prop(text: str) -> str:
    return _az_data(text).replace(";", "%3B").replace("]", "%5D")


def render_azure(
    findings: list[Finding], checked: int, prefix: str = "", summary_of: list[Finding] | None = None
) -> str:
    """Azure Pipelines logging commands (``##vso[task.logissue ...]msg``);
    ``summary_of`` as for ``render_github``."""
    out = []
    for f in findings:
        kind = "error" if f.severity is Severity.ERROR else "warning"
        props = [f"type={kind}", f"sourcepath={_az_prop(printable(prefix + f.path))}"]
        if f.line:
            props.append(f"linenumber={f.line}")
        props.append(f"code={f.code}")
        message = f"{f.code} {printable(f.message)}" + (f" Fix: {printable(f.hint)}" if f.hint else "")
        out.append(f"##vso[task.logissue {';'.join(props)};]{_az_data(message)}")
    out.append(summary_line(findings if summary_of is None else summary_of, checked))
    return "\n".join(out) + "\n"


def render_junit(findings: list[Finding], checked: int, strict: bool = False) -> str:
    """A JUnit XML report (one suite per file, one case per finding) that
    Azure DevOps' Publish Test Results and GitLab's ``artifacts:reports:junit``
    read. Errors, and warnings under ``--strict``, are failures."""
    failing = [f for f in findings if f.severity is Severity.ERROR or strict]
    root = ET.Element(
        "testsuites", name="ea validate", tests=str(max(len(findings), 1)), failures=str(len(failing)), errors="0"
    )
    if not findings:
        suite = ET.SubElement(root, "testsuite", name="ea validate", tests="1", failures="0", errors="0")
        ET.SubElement(suite, "testcase", classname="ea validate", name=f"{checked} files checked")
    for raw_path, group in groupby(findings, key=lambda f: f.path):
        # XML 1.0 cannot hold most control characters, even as references:
        # every text goes through the same escaping as the other formats
        path = printable(raw_path)
        items = list(group)
        fails = [f for f in items if f.severity is Severity.ERROR or strict]
        suite = ET.SubElement(root, "testsuite", name=path, tests=str(len(items)), failures=str(len(fails)), errors="0")
        for f in items:
            case = ET.SubElement(
                suite,
                "testcase",
                classname=path,
                name=f"{f.code} line {f.line}: {f.title}",
                file=path,
                line=str(f.line),
            )
            message, hint = printable(f.message), printable(f.hint)
            text = f"{path}:{f.line}: {f.severity} {f.code} {message}" + (f"\nFix: {hint}" if hint else "")
            if f.severity is Severity.ERROR or strict:
                failure = ET.SubElement(case, "failure", message=message, type=f.code)
                failure.text = text
            else:
                out = ET.SubElement(case, "system-out")
                out.text = text
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
