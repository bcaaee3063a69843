"""Render any analysis report as Markdown, CSV, JSON or an Excel workbook.

Every report offers ``tables()`` (neutral rows) and is a pydantic model, so
one renderer per format serves both analyses:

- Markdown: a title, the date, then one section per table with its rule;
  control characters from content are shown as escapes, never sent to a terminal.
- CSV: one table per file, UTF-8 with a byte-order mark (Excel then shows '£'
  and accents correctly) and CRLF line ends; text that Excel would run as a
  formula (starting ``= + - @``) is prefixed with an apostrophe.
- JSON: the report model itself, keys in a fixed order, ``version`` first.
- Excel: one sheet per table, header row bold and frozen, filters on, real
  dates and numbers, pounds formatted as money; text is never a formula, and
  control characters a sheet cannot hold are left out.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any, Protocol

from pydantic import BaseModel

from generator import __version__
from generator.analysis.common import Table, money
from generator.core.report import json_runner_safe, printable
from generator.core.spreadsheet import add_sheet, cell_text, csv_bytes, workbook_bytes


class Report(Protocol):
    today: date

    def tables(self) -> list[Table]: ...


def _cell_text(value: Any, pounds: bool = False) -> str:
    if pounds and isinstance(value, int | float) and not isinstance(value, bool):
        return money(value)
    return cell_text(value)


def _md_cell(text: str) -> str:
    """A Markdown table cell: pipes escaped, no line breaks, and control
    characters shown as escapes (the report may go to a terminal)."""
    text = text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ")
    return printable(text)


def render_markdown(report: Report, title: str) -> str:
    out = [f"# {title}", "", f"As of {report.today.isoformat()}. Money is in pounds sterling (GBP) a year.", ""]
    for table in report.tables():
        out += [f"## {table.title}", ""]
        if table.intro:
            out += [table.intro, ""]
        if not table.rows:
            out += ["None.", ""]
            continue
        out.append("| " + " | ".join(_md_cell(h) for h in table.headers) + " |")
        out.append("|" + "|".join(" ---: " if h in table.money else " --- " for h in table.headers) + "|")
        for row in table.rows:
            cells = [_md_cell(_cell_text(v, h in table.money)) for h, v in zip(table.headers, row, strict=True)]
            out.append("| " + " | ".join(cells) + " |")
        out.append("")
    notes = getattr(report, "notes", [])
    if notes:
        out += ["## Notes", ""] + [f"- {_md_cell(n)}" for n in notes] + [""]
    return "\n".join(out)


def render_csv(table: Table) -> bytes:
    return csv_bytes(table.headers, table.rows)


def render_json(report: BaseModel) -> str:
    # the same strings to a JSON reader; no runner command in a CI log
    return json_runner_safe(json.dumps(report.model_dump(mode="json"), indent=2, ensure_ascii=False)) + "\n"


def render_xlsx(report: Report) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for table in report.tables():
        formats = {h: '"£"#,##0.00' for h in table.headers if h in table.money}  # pence shown, never re-rounded
        add_sheet(book, table.title[:31], table.headers, table.rows, formats)
    book.properties.creator = f"ea {__version__}"
    return workbook_bytes(book, report.today)  # the report's date, not the clock: same input, same file

