"""Read a spreadsheet (CSV or Excel) into numbered rows of cells.

Row numbers are the ones a person sees in Excel (the header is usually row 1),
so every message about a row can be checked against the sheet. CSV files are
read as UTF-8 (with or without a byte-order mark) and, failing that, as
Windows-1252, which is what Excel's plain "CSV" saves on a UK Windows PC.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from generator.core.errors import EaError

Cell = str | int | float | date | datetime | time | bool | None

#: How many rows at the top of a sheet may come before the header row (titles, notes).
HEADER_SEARCH_ROWS = 10
#: Bounds on a sheet: a register is a few thousand rows and a few dozen
#: columns, and a workbook of a few KB can declare a million rows of 16,384
#: cells, which would take gigabytes to read out.
MAX_ROWS = 100_000
MAX_COLUMNS = 1_000
#: Above this a CSV file is refused before it is read (it is held whole).
MAX_CSV_BYTES = 50 * 1024 * 1024


@dataclass
class Table:
    """A sheet's header and data rows; ``rows`` holds (row number, cells)."""

    source: str
    headers: list[str]
    rows: list[tuple[int, list[Cell]]]
    header_row: int = 1
    notes: list[str] = field(default_factory=list)


def read_table(
    path: Path,
    *,
    sheet: str | None = None,
    header_row: int | None = None,
    is_header: Callable[[list[str]], bool] | None = None,
) -> Table:
    """Read ``path`` (.csv, .xlsx or .xlsm). The header row is ``header_row``
    when given, else the first of the top rows that ``is_header`` accepts,
    else row 1. Raises EaError when the file cannot be read at all."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        grid, notes = _read_csv(path)
    elif suffix in (".xlsx", ".xlsm"):
        grid, notes = _read_xlsx(path, sheet), []
    else:
        raise EaError(f"{path.name}: expected a .csv or .xlsx file")
    if header_row is None:
        header_row = 1
        for number, cells in grid[:HEADER_SEARCH_ROWS]:
            texts = [_text(c) for c in cells]
            if is_header is not None and is_header(texts):
                header_row = number
                break
    headers: list[str] = []
    rows: list[tuple[int, list[Cell]]] = []
    for number, cells in grid:
        if number == header_row:
            headers = [_text(c) for c in cells]
        elif number > header_row:
            rows.append((number, cells))
    if not headers or not any(headers):
        raise EaError(f"{path.name}: row {header_row} holds no column headers")
    width = len(headers)
    while width and not headers[width - 1]:
        width -= 1
    headers = headers[:width]
    return Table(path.name, headers, rows, header_row, notes)


def _text(cell: Cell) -> str:
    return "" if cell is None else str(cell).strip()


def _read_csv(path: Path) -> tuple[list[tuple[int, list[Cell]]], list[str]]:
    try:
        with open(path, "rb") as fh:
            if os.fstat(fh.fileno()).st_size > MAX_CSV_BYTES:
                raise EaError(
                    f"{path.name}: larger than {MAX_CSV_BYTES // 2**20} MB; a register is far smaller "
                    "(save the register alone)"
                )
            raw = fh.read(MAX_CSV_BYTES + 1)
    except OSError as exc:
        raise EaError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if len(raw) > MAX_CSV_BYTES:
        raise EaError(f"{path.name}: larger than {MAX_CSV_BYTES // 2**20} MB; a register is far smaller")
    notes = []
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
        notes.append(f"{path.name} is not UTF-8: read it as Windows-1252 (Excel's 'CSV' format on Windows)")
    sample = text[:8192]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    grid: list[tuple[int, list[Cell]]] = []
    try:
        for n, row in enumerate(reader, start=1):
            grid.append((n, _bounded(path, n, list(row), "", trim=False)))
    except csv.Error as exc:
        raise EaError(f"{path.name}: not a readable CSV file ({exc})") from exc
    return grid, notes


def _bounded(path: Path, number: int, cells: list[Cell], empty: Cell, *, trim: bool = True) -> list[Cell]:
    """``cells`` (without trailing empty ones when ``trim``), or an error
    past the bounds on rows and columns."""
    if number > MAX_ROWS:
        raise EaError(f"{path.name}: more than {MAX_ROWS:,} rows; save the register alone")
    width = len(cells)
    while width and cells[width - 1] in (None, empty):
        width -= 1
    if width > MAX_COLUMNS:
        raise EaError(f"{path.name}: row {number:,} has more than {MAX_COLUMNS:,} columns; save the register alone")
    return cells[:width] if trim else cells


#: Bounds on a workbook, checked from the zip's directory before anything is
#: decompressed: a register of 10,000 rows is a few MB of XML in a few dozen
#: parts, and a "zip bomb" declares far more.
MAX_XLSX_UNCOMPRESSED = 256 * 1024 * 1024
MAX_XLSX_ENTRIES = 1_000
MAX_XLSX_RATIO = 200  # uncompressed / compressed, for any part over 1 MB


def check_workbook(path: Path) -> None:
    """Refuse a workbook that would cost more than any register can: too many
    parts, too large uncompressed (the sizes the zip declares; Python's zip
    reader stops at the declared size, so they cannot lie about more), or an
    XML part with a DTD (Excel never writes one; entities are how XML bombs
    and external-entity reads work). Raises EaError."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_XLSX_ENTRIES:
                raise EaError(
                    f"{path.name}: {len(entries):,} parts; an Excel workbook has at most {MAX_XLSX_ENTRIES:,}"
                )
            total = sum(e.file_size for e in entries)
            if total > MAX_XLSX_UNCOMPRESSED:
                raise EaError(
                    f"{path.name}: {total / 2**20:,.0f} MB uncompressed; the limit is "
                    f"{MAX_XLSX_UNCOMPRESSED // 2**20} MB (save the register alone, or as CSV)"
                )
            for e in entries:
                if e.file_size > 2**20 and e.file_size > MAX_XLSX_RATIO * max(e.compress_size, 1):
                    raise EaError(
                        f"{path.name}: a part compressed {e.file_size // max(e.compress_size, 1):,} to 1, "
                        "which no spreadsheet is: not read"
                    )
            for e in entries:
                if e.filename.endswith((".xml", ".rels", ".vml")):
                    with archive.open(e) as fh:
                        if _has_dtd(fh):
                            raise EaError(
                                f"{path.name}: {e.filename} declares a DTD or entities, which Excel never writes: "
                                "not read (open it in Excel and save it again)"
                            )
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, ValueError) as exc:
        raise EaError(f"cannot read {path.name} as an Excel workbook: {exc}") from exc
    except OSError as exc:
        raise EaError(f"cannot read {path.name}: {exc.strerror or exc}") from exc


def _has_dtd(fh: Any) -> bool:
    """Whether an XML part declares a DTD: looked for in its prolog (before
    the first element), read in chunks, so a part of any size costs little."""
    head = b""
    while True:
        chunk = fh.read(65536)
        if not chunk:
            break
        head += chunk
        text = head.lstrip(b"\xef\xbb\xbf")
        upper = text.upper()
        if b"<!DOCTYPE" in upper or b"<!ENTITY" in upper:
            return True
        if re.search(rb"<[^?!]", text):  # the first element: the prolog is over
            return False
        if len(head) > 4 * 65536:
            return False
    return False


def _read_xlsx(path: Path, sheet: str | None) -> list[tuple[int, list[Cell]]]:
    check_workbook(path)
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a malformed part; none is the user's to debug
        raise EaError(f"cannot read {path.name} as an Excel workbook: {type(exc).__name__}: {str(exc)[:200]}") from exc
    try:
        if sheet is not None:
            if sheet not in book.sheetnames:
                raise EaError(f"{path.name} has no sheet {sheet!r}; its sheets: {', '.join(book.sheetnames)}")
            ws = book[sheet]
        else:
            ws = book.worksheets[0]
        ws.reset_dimensions()  # the declared size may be a million rows of 16,384 columns: read what is there
        grid: list[tuple[int, list[Cell]]] = []
        try:
            for number, row in enumerate(ws.iter_rows(values_only=True), start=1):
                if number > MAX_ROWS or any(value is not None for value in row):
                    grid.append((number, _bounded(path, number, list(row), None)))
                else:
                    grid.append((number, []))
        except EaError:
            raise
        except Exception as exc:
            raise EaError(f"cannot read {path.name}: {type(exc).__name__} in the sheet's XML") from exc
        return grid
    finally:
        book.close()
