"""Render findings for people and for CI runners.

Each renderer takes the sorted findings and returns text; the CLI decides
where it goes. The ``json`` shape is a documented, stable contract (README,
"JSON report"); the ``github`` and ``azure`` renderers emit each runner's
annotation commands with that runner's escaping rules.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from itertools import groupby

from generator.findings import Finding, Severity, summary

Style = Callable[..., str]

JSON_VERSION = 1


def _plain(text: str, **_: object) -> str:
    return text


_CONTROL = {c: f"\\x{c:02x}" for c in (*range(0x00, 0x20), 0x7F)}


def printable(text: str) -> str:
    """Content reaches messages verbatim; control characters (an ANSI escape in
    a name, say) must not reach a terminal or a CI log as commands."""
    return text.translate(_CONTROL)


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


def render_text(findings: list[Finding], checked: int, style: Style = _plain) -> str:
    """Grouped by file, ``line: severity code message`` then the hint."""
    out: list[str] = []
    for path, group in groupby(findings, key=lambda f: f.path):
        out.append(style(printable(path), bold=True, underline=True))
        for f in group:
            colour = "red" if f.severity is Severity.ERROR else "yellow"
            where = f"{f.line:>5}" if f.line else "    -"
            severity = style(f"{f.severity:<7}", fg=colour, bold=True)
            out.append(f"{where}  {severity} {style(f.code, fg=colour)}  {printable(f.message)}")
            if f.hint:
                out.append(f"{'':>5}  {style('fix:', dim=True)}    {printable(f.hint)}")
        out.append("")
    line = summary_line(findings, checked)
    colour = "red" if any(f.severity is Severity.ERROR for f in findings) else ("yellow" if findings else "green")
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
    return text + "\n"


_string = json.encoder.encode_basestring  # what json.dumps uses with ensure_ascii=False


def _json_finding(f: Finding) -> str:
    """One finding as an item of the report's list (see ``Finding.as_dict``)."""
    return (
        f'    {{\n      "code": {_string(f.code)},\n      "severity": {_string(str(f.severity))},\n'
        f'      "path": {_string(f.path)},\n      "line": {int(f.line)},\n'
        f'      "message": {_string(f.message)},\n      "hint": {_string(f.hint)}\n    }}'
    )


def _gh_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_prop(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(findings: list[Finding], checked: int, prefix: str = "") -> str:
    """GitHub Actions workflow commands (``::error file=...,line=...::msg``)."""
    out = []
    for f in findings:
        kind = "error" if f.severity is Severity.ERROR else "warning"
        props = [f"file={_gh_prop(printable(prefix + f.path))}"]
        if f.line:
            props.append(f"line={f.line}")
        props.append(f"title={_gh_prop(f'{f.code} {f.title}')}")
        message = printable(f.message) + (f"\nFix: {printable(f.hint)}" if f.hint else "")
        out.append(f"::{kind} {','.join(props)}::{_gh_data(message)}")
    out.append(summary_line(findings, checked))
    return "\n".join(out) + "\n"


def _az_data(text: str) -> str:
    return text.replace("%", "%AZP25").replace("\r", "%0D").replace("\n", "%0A")


def _az_prop(text: str) -> str:
    return _az_data(text).replace(";", "%3B").replace("]", "%5D")


def render_azure(findings: list[Finding], checked: int, prefix: str = "") -> str:
    """Azure Pipelines logging commands (``##vso[task.logissue ...]msg``)."""
    out = []
    for f in findings:
        kind = "error" if f.severity is Severity.ERROR else "warning"
        props = [f"type={kind}", f"sourcepath={_az_prop(printable(prefix + f.path))}"]
        if f.line:
            props.append(f"linenumber={f.line}")
        props.append(f"code={f.code}")
        message = f"{f.code} {printable(f.message)}" + (f" Fix: {printable(f.hint)}" if f.hint else "")
        out.append(f"##vso[task.logissue {';'.join(props)};]{_az_data(message)}")
    out.append(summary_line(findings, checked))
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
    for path, group in groupby(findings, key=lambda f: f.path):
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
            text = f"{path}:{f.line}: {f.severity} {f.code} {f.message}" + (f"\nFix: {f.hint}" if f.hint else "")
            if f.severity is Severity.ERROR or strict:
                failure = ET.SubElement(case, "failure", message=f.message, type=f.code)
                failure.text = text
            else:
                out = ET.SubElement(case, "system-out")
                out.text = text
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
