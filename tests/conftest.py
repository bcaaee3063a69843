"""Shared helpers: inline fixture repositories, a fixed clock and a private
parse cache, so no test touches ``~/.cache`` or depends on today's date.

A test starts from :func:`minimal_files` (one organisation, one capability, one
vendor, one application and a scheme: a repository that validates with no
findings at all) and adds or overrides the files it is about. Expected lines
are found in the fixture text with :func:`line_in`, never taken from the code
under test.
"""

from __future__ import annotations

import contextlib
import shutil
import textwrap
from collections.abc import Callable, Iterator, Mapping
from datetime import date
from pathlib import Path

import pytest

from generator.checks.validate import validate
from generator.core.findings import Finding

#: The fixed "today" every date rule is checked against.
TODAY = date(2026, 6, 1)

ORGANISATION = """\
---
name: Planning and Building Control
type: service
---
The planning service.
"""

CAPABILITY = """\
---
name: Planning applications
owner: planning
---
Receiving and deciding planning applications.
"""

VENDOR = """\
---
name: Idox
website: https://www.idoxgroup.com
carbon_reduction_plan: true
net_zero_target: 2040
---
"""

SCHEME = """\
---
name: Test scheme
max_age_months: 24
criteria:
  - id: hosting
    name: Hosting model
    fact: hosting
    weight: 2
    points: {saas: 4, paas: 4, iaas: 3, private-cloud: 2, on-premises: 0}
  - id: energy
    name: Energy source
    fact: sustainability.energy
    points: {renewable: 4, grid: 1}
bands:
  - {rating: A, min_score: 80}
  - {rating: E, min_score: 0}
---
How we rate sustainability.
"""


def app(
    name: str = "Uniform",
    *,
    extra: str = "",
    lifecycle: str = "active",
    capabilities: str = "planning-applications",
    owner: str = "planning",
    assessed: str | None = "2026-01-15",
) -> str:
    """An application file. ``extra`` lines go after the fixed fields (before
    the sustainability block); ``assessed=None`` leaves the assessment out."""
    text = f"---\nname: {name}\ncapabilities: [{capabilities}]\nowner: {owner}\nlifecycle: {lifecycle}\nhosting: saas\n"
    text += textwrap.dedent(extra)
    if assessed is not None:
        text += f"sustainability:\n  energy: renewable\n  assessed: {assessed}\n"
    return text + "---\nWhat the system does.\n"


def minimal_files() -> dict[str, str]:
    """A repository with no findings at all (checked by a test)."""
    return {
        "architecture/organisations/planning.md": ORGANISATION,
        "capabilities/planning-applications.md": CAPABILITY,
        "architecture/vendors/idox.md": VENDOR,
        "applications/uniform.md": app(extra="vendor: idox\nproduct: Uniform\n"),
        "architecture/sustainability.md": SCHEME,
    }


def write_files(root: Path, files: Mapping[str, str | bytes | None]) -> Path:
    """Write ``{relative path: text or bytes}`` under ``root`` (None deletes)
    and return ``root``. Text is written byte for byte (no newline translation)."""
    for rel, content in files.items():
        path = root / rel
        if content is None:
            path.unlink(missing_ok=True)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return root


MakeRepo = Callable[..., Path]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Debian's Chromium through Playwright (never a downloaded browser), with
    the switches that keep it from trying the closed network."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("Chromium is not installed (sudo apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=chromium,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic"],
        )
        yield b
        b.close()


@contextlib.contextmanager
def offline_tab(browser: object, **options: object) -> Iterator[object]:
    """A browser tab that records requests to anything but the site's own
    files, and script errors; the test fails if there were any."""
    context = browser.new_context(**options)  # type: ignore[attr-defined]
    tab = context.new_page()
    tab.outside = []
    tab.errors = []
    tab.on("request", lambda r: None if r.url.startswith(("file:", "data:")) else tab.outside.append(r.url))
    tab.on("pageerror", lambda e: tab.errors.append(str(e)))
    yield tab
    assert tab.outside == [] and tab.errors == []
    context.close()


def fail_write(monkeypatch: pytest.MonkeyPatch, module: object, number: int, error: OSError) -> Callable[..., None]:
    """Make ``module.atomic_write`` raise ``error`` on its ``number``-th call
    (a full disk or a refused write half way), the others writing as usual.
    Returns the real one, to put back."""
    real = module.atomic_write  # type: ignore[attr-defined]
    calls = 0

    def failing(path: Path, data: bytes | str, **options: object) -> None:
        nonlocal calls
        calls += 1
        if calls == number:
            raise OSError(error.errno, error.strerror, str(path))
        real(path, data, **options)

    monkeypatch.setattr(module, "atomic_write", failing)
    return real


def shown_rows(page: object) -> list[str]:
    """The first cell of each row a register's filters leave visible."""
    cells = page.locator("table.ea-sortable tbody tr:not([hidden]) td:first-child")  # type: ignore[attr-defined]
    return [t.strip() for t in cells.all_inner_texts()]


@pytest.fixture
def make_repo(tmp_path: Path) -> MakeRepo:
    """``make_repo({path: text})``: the minimal repository plus these files
    (a value of None removes a minimal file), written into a fresh folder."""
    count = 0

    def make(files: Mapping[str, str | bytes | None] | None = None, *, minimal: bool = True) -> Path:
        nonlocal count
        count += 1
        root = tmp_path / f"repo{count}"
        root.mkdir()
        return write_files(root, {**(minimal_files() if minimal else {}), **(files or {})})

    return make


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Any run that does use the cache writes it here, never in ~/.cache."""
    cache = tmp_path_factory.mktemp("ea-cache")
    monkeypatch.setenv("EA_CACHE_DIR", str(cache))
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))


def run(root: Path, today: date = TODAY) -> list[Finding]:
    """Validate without the cache at the fixed date; every finding must carry a fix."""
    findings = validate(root, today=today, use_cache=False).findings
    for f in findings:
        assert f.hint.strip(), f"finding without a hint: {f}"
    return findings


def line_in(text: str, needle: str) -> int:
    """The 1-based line of the one line of ``text`` that contains ``needle``."""
    hits = [
        i for i, line in enumerate(text.split("\n"), start=1) if needle in line
    ]  # not splitlines(): \x85 is no newline
    assert len(hits) == 1, f"{needle!r} is on lines {hits} of the fixture"
    return hits[0]


def show(findings: list[Finding]) -> str:
    return "\n".join(f"{f.path}:{f.line}: {f.code} {f.message} (fix: {f.hint})" for f in findings) or "(no findings)"


def of_code(findings: list[Finding], code: str) -> list[Finding]:
    return [f for f in findings if f.code == code]


def expect_one(findings: list[Finding], code: str, path: str, line: int) -> Finding:
    """Exactly one finding with ``code``, at ``path`` and ``line``; returned for further checks."""
    hits = of_code(findings, code)
    assert len(hits) == 1, f"expected one {code}, got:\n{show(findings)}"
    assert (hits[0].path, hits[0].line) == (path, line), f"expected {code} at {path}:{line}, got:\n{show(findings)}"
    return hits[0]


# --- the example council ---------------------------------------------------------

#: The repository's own root, which holds the example council's content.
REPO_ROOT = Path(__file__).resolve().parents[1]
#: Files only the Mercia Vale example has. A fork that replaces the content
#: with its own council's skips the tests about the example's particulars
#: (named systems, overlaps, predecessor councils) and keeps every other test.
EXAMPLE_MARKERS = (
    "applications/planning/land-charges-register-westmere.md",
    "architecture/organisations/southbrook-borough-council.md",
    "applications/planning/uniform-northfield.md",
)


def is_example_council(root: Path = REPO_ROOT) -> bool:
    return all((root / rel).is_file() for rel in EXAMPLE_MARKERS)


mercia_vale_only = pytest.mark.skipif(
    not is_example_council(),
    reason="checks the Mercia Vale example council's own content (it needs "
    + ", ".join(EXAMPLE_MARKERS)
    + "); this repository holds other content",
)


def site_name(root: Path = REPO_ROOT) -> str:
    """The site's title as the repository's mkdocs.yml sets it."""
    from generator.site.config import read_settings

    return read_settings(root).site_name
