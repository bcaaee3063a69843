"""The Local Government Service List (LGSL): read the LGA's list and check the
codes capabilities claim to deliver.

The list is published by the LGA's ESD standards (list
``englishAndWelshServices``) as CSV with the columns Identifier, Label,
Status, Description, ... The project ships no copy: users download the
current list and pass it to ``ea validate --lgsl FILE``, so the check follows
the list as it changes, without a release of this tool.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from generator.catalog.catalog import Catalog
from generator.core.errors import EaError
from generator.core.findings import Finding
from generator.core.util import read_capped
from generator.models.model import Kind

CODE = "EA190"
#: The LGA's list is under 1 MB; a file far larger is a mistake, and is not read whole.
MAX_BYTES = 32_000_000


@dataclass(frozen=True, slots=True)
class Service:
    code: int
    label: str
    status: str = ""
    description: str = ""

    @property
    def live(self) -> bool:
        return not self.status or self.status.casefold() == "live"


def read_services(path: Path) -> dict[int, Service]:
    """Services by code. The file is UTF-8 (with or without a byte-order
    mark) or, failing that, Windows-1252 (as Excel saves CSV). Raises EaError
    when it cannot be read or has no Identifier and Label columns."""
    try:
        with open(path, "rb") as fh:
            raw = read_capped(fh, MAX_BYTES)
    except OSError as exc:
        raise EaError(f"cannot read the LGSL file {path}: {exc.strerror or exc}") from exc
    if len(raw) > MAX_BYTES:
        raise EaError(f"the LGSL file {path} is larger than {MAX_BYTES // 1_000_000} MB: it is not the LGA's list")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    return parse_services(text, str(path))


def parse_services(text: str, source: str = "LGSL list") -> dict[int, Service]:
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    try:
        header = [h.strip().casefold() for h in next(reader)]
    except StopIteration:
        raise EaError(f"{source} is empty") from None
    try:
        code_col, label_col = header.index("identifier"), header.index("label")
    except ValueError:
        # the header is not echoed: a misnamed path may be a file of secrets
        raise EaError(
            f"{source} has no 'Identifier' and 'Label' columns in its first row ({len(header)} columns); "
            "download the englishAndWelshServices list as CSV from the LGA's ESD standards site"
        ) from None
    status_col = header.index("status") if "status" in header else None
    desc_col = header.index("description") if "description" in header else None
    services: dict[int, Service] = {}
    for row in reader:
        if len(row) <= max(code_col, label_col):
            continue
        code = row[code_col].strip()
        if not code.isdigit():
            continue
        services[int(code)] = Service(
            int(code),
            row[label_col].strip(),
            row[status_col].strip() if status_col is not None and status_col < len(row) else "",
            row[desc_col].strip() if desc_col is not None and desc_col < len(row) else "",
        )
    if not services:
        raise EaError(f"{source} lists no services (no row has a numeric Identifier)")
    return services


def check_lgsl(catalog: Catalog, services: dict[int, Service], source: str = "the LGSL list") -> list[Finding]:
    """A finding (EA190) for every ``lgsl`` code a capability lists that is
    not in ``services``, at the line of that list item."""
    findings = []
    for id_, cap in sorted(catalog.capabilities.items()):
        for i, code in enumerate(cap.lgsl):
            if code in services:
                continue
            src = catalog.sources[(Kind.CAPABILITY, id_)]
            findings.append(
                Finding(
                    CODE,
                    src.path,
                    src.doc.line(("lgsl", i)),
                    f"LGSL code {code} is not in {source}",
                    "check the code in the Local Government Service List (englishAndWelshServices) and correct "
                    "or remove it",
                )
            )
    return findings


def labels(services: dict[int, Service], codes: list[int]) -> list[tuple[int, str | None]]:
    """(code, label) for a capability page, in the capability's order; the
    label is None for a code the list does not have."""
    return [(code, services[code].label if code in services else None) for code in codes]


def services_for(root: Path, explicit: Path | None = None) -> tuple[dict[int, Service], str] | None:
    """The list to check against and its file name: the one given (``--lgsl``),
    else the one ``ea.yml`` names; None when neither. Raises EaError when the
    list cannot be read, so a bad list stops the command instead of passing
    every code."""
    from generator.documents.config import read_config

    path = explicit if explicit is not None else read_config(root).lgsl
    if path is None:
        return None
    return read_services(path), Path(path).name
