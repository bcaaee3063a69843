"""Writing tables for Excel: the text of a value, the guard against formulas,
CSV bytes Excel opens correctly, and a styled worksheet.

One place for all of it because the export, the analysis reports and the
site's register downloads all hand content to spreadsheets, and a guard that
differs between them is a hole in one of them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from typing import Any

#: What Excel (and LibreOffice) take as the start of a formula: text starting
#: with one of these is written with an apostrophe before it (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell_text(value: Any) -> str:
    """A value as a person would type it: '' for nothing, true/false,
    12500 rather than 12500.0, ISO dates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def guard(text: str) -> str:
    """Text Excel would run as a formula, with an apostrophe before it
    (``ea import applications`` removes it again)."""
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_cell(value: Any) -> str:
    """``cell_text``, guarded when the value is text (numbers stay numbers)."""
    text = cell_text(value)
    return guard(text) if isinstance(value, str) else text


def csv_bytes(headers: Sequence[str], rows: Iterable[Sequence[Any]], cell: Callable[[Any], str] = csv_cell) -> bytes:
    """CSV as Excel opens it: UTF-8 with a byte-order mark (so '£' and
    accents show right) and CRLF line ends."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([cell(v) for v in row])
    return out.getvalue().encode("utf-8-sig")


def add_sheet(
    book: Any,
    title: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    number_formats: Mapping[str, str] | None = None,
) -> None:
    """A worksheet of ``book`` (openpyxl): bold, frozen, filterable headers;
    real numbers and dates (dd/mm/yyyy); text that can never become a formula;
    columns sized to their content; numbers in a column named in
    ``number_formats`` shown in that format (e.g. pounds)."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    formats = number_formats or {}
    ws = book.create_sheet(title)
    ws.append(list(headers))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for n, row in enumerate(rows, start=2):
        for col, value in enumerate(row, start=1):
            cell = ws.cell(row=n, column=col)
            if value is None or isinstance(value, bool | int | float | date):
                cell.value = value
            else:
                cell.value = ILLEGAL_CHARACTERS_RE.sub("", str(value))  # control characters a sheet cannot hold
                cell.data_type = "s"  # never a formula, whatever the text starts with
    for index, header in enumerate(headers, start=1):
        letter = get_column_letter(index)
        widths = [len(header), *(len(cell_text(r[index - 1])) for r in rows)]
        ws.column_dimensions[letter].width = min(60, max(10, *widths) + 2)
        number_format = formats.get(header)
        for (cell,) in ws.iter_rows(min_row=2, min_col=index, max_col=index):
            if isinstance(cell.value, date):
                cell.number_format = "dd/mm/yyyy"
            elif number_format and isinstance(cell.value, int | float):
                cell.number_format = number_format
    ws.freeze_panes = "A2"
    if rows:
        ws.auto_filter.ref = ws.dimensions


def workbook_bytes(book: Any, day: date) -> bytes:
    """An openpyxl workbook as the bytes of its file, dated ``day`` in every
    part: openpyxl dates its zip entries and the 'modified' property with the
    clock, and the same content must give the same file (a site build, a
    workbook kept in Git)."""
    import re
    import zipfile
    from datetime import datetime, time

    stamp = datetime.combine(day, time())
    book.properties.created = book.properties.modified = stamp
    raw = io.BytesIO()
    book.save(raw)
    when = (max(stamp.year, 1980), stamp.month, stamp.day, 0, 0, 0)
    modified = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            payload = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                payload = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>" + modified.encode() + rb"\g<2>",
                    payload,
                )
            entry = zipfile.ZipInfo(info.filename, date_time=when)
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, payload)
    return out.getvalue()
