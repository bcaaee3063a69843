"""Attacks from a second review of what a pull request can reach: a
committed working folder, hostile spreadsheets and bodies, reserved ids,
invisible names, NUL bytes in settings and messages. Each test reproduces
the attack and checks it is held: the exit code, nothing run, published or
written outside the repository, nothing echoed and no traceback."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import TODAY, MakeRepo


def ea(*args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", *args], capture_output=True, text=True, check=False, timeout=600, **kwargs
    )  # type: ignore[call-overload]


def build(root: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return ea("build", str(root), "--today", TODAY.isoformat(), env=dict(os.environ, EA_CACHE_DIR=str(tmp_path / "c")))


# --- a committed .ea-build folder ---------------------------------------------------------------------------------

FOOTER = '{{ lipsum.__globals__["os"].system("id > %s") }}<script>alert(1)</script>'


@pytest.mark.slow
def test_committed_overrides_are_never_used(make_repo: MakeRepo, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    victim = tmp_path / "victim"
    victim.write_text("keep me")
    root = make_repo({".ea-build/overrides/partials/footer.html": FOOTER % marker})
    (root / ".ea-build/overrides/main.html").symlink_to(victim)
    (root / ".ea-build/docs").mkdir()
    (root / ".ea-build/docs/planted.md").write_text("# Planted\n")
    result = build(root, tmp_path)
    assert result.returncode == 0, result.stderr
    assert not marker.exists()
    assert victim.read_text() == "keep me"
    pages = list((root / "site").rglob("*.html"))
    assert pages and not [p for p in pages if "alert(1)" in p.read_text()]
    assert not (root / "site/planted.html").exists() and not (root / "site/planted").exists()
    assert sorted(p.name for p in (root / ".ea-build").iterdir()) == ["build.lock", "docs", "overrides"]


def test_a_linked_working_folder_is_refused(make_repo: MakeRepo, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    root = make_repo()
    (root / ".ea-build").symlink_to(elsewhere)
    result = build(root, tmp_path)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and "symbolic link" in result.stderr
    assert list(elsewhere.iterdir()) == [] and not (root / "site").exists()


def test_a_linked_build_lock_is_refused(make_repo: MakeRepo, tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    root = make_repo()
    (root / ".ea-build").mkdir()
    (root / ".ea-build/build.lock").symlink_to(victim)
    result = build(root, tmp_path)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and not victim.exists()


# --- spreadsheets that declare more than they hold ----------------------------------------------------------------


def limited(memory: int) -> object:
    def limit() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    return limit


@pytest.mark.parametrize(("far", "says"), [("XFD1048576", "100,000 rows"), ("XFD2", "1,000 columns")])
def test_a_sparse_workbook_is_refused_without_reading_its_declared_size(
    make_repo: MakeRepo, tmp_path: Path, far: str, says: str
) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.active["A1"] = "Name"
    book.active["A2"] = "Ledger"
    book.active[far] = "x"
    path = tmp_path / "sparse.xlsx"
    book.save(path)
    assert path.stat().st_size < 10_000 and b"XFD" in zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    root = make_repo()
    result = subprocess.run(
        [sys.executable, "-m", "generator", "import", "applications", str(path), "--root", str(root), "--dry-run"],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
        preexec_fn=limited(1024 * 2**20),
    )
    assert result.returncode == 2, result.stderr[-2000:]
    assert "Traceback" not in result.stderr and says in result.stderr and "sparse.xlsx" in result.stderr


def test_a_csv_over_the_size_limit_is_refused_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.interop import tabular

    monkeypatch.setattr(tabular, "MAX_CSV_BYTES", 1000)
    path = tmp_path / "big.csv"
    path.write_text("Name\n" + "Ledger\n" * 200)
    with pytest.raises(tabular.EaError, match=r"big\.csv: larger than"):
        tabular.read_table(path)
    path.write_text("Name\n" + "Ledger\n" * 10)
    assert [r[1] for r in tabular.read_table(path).rows] == [["Ledger"]] * 10


# --- bodies that pass validation and then break or stall the build ------------------------------------------------


def test_deep_lists_fail_validation_from_the_memo_too(make_repo: MakeRepo, tmp_path: Path) -> None:
    from conftest import app

    text = app().replace("What the system does.", "1. " * 1000 + "x")
    root = make_repo({"applications/uniform.md": text})
    env = dict(os.environ, EA_CACHE_DIR=str(tmp_path / "c"))
    for _ in "twice":  # the second run reads the body-link memo
        result = ea("validate", str(root), env=env)
        assert result.returncode == 1, result.stdout + result.stderr
        assert "EA133" in result.stdout and "Traceback" not in result.stderr + result.stdout
    assert "1. 1. 1." not in result.stdout


def renderer(root: Path) -> object:
    from generator.site.render import BodyLinks, BodyRenderer
    from generator.site.urls import Urls

    return BodyRenderer(BodyLinks(root, Urls(False), {}))


def test_a_body_too_deep_to_parse_is_shown_as_text_not_a_traceback(tmp_path: Path) -> None:
    body = "".join("    " * i + "- <b>\n" for i in range(300))
    out = renderer(tmp_path).render(body, source="applications/a.md", from_doc="applications/a.md")  # type: ignore[attr-defined]
    assert out.startswith("<pre>") and "<b>" not in out and out.count("- &lt;b&gt;") == 300


def test_many_emphasis_runs_are_shown_as_written_in_linear_time() -> None:
    from generator.documents.bodylinks import MAX_EMPHASIS_RUNS, body_parser, convert

    md = body_parser()
    few = "*a* " * (MAX_EMPHASIS_RUNS // 2)
    assert convert(md, few).count("<em>") == MAX_EMPHASIS_RUNS // 2
    many = "*a" * 200_000
    out = convert(md, many)
    assert "<em>" not in out and out.count("*a") == 200_000
    assert convert(md, few) == md.reset().convert(few)  # the patterns are back


def test_the_example_councils_bodies_render_as_python_markdown_renders_them() -> None:
    from generator.documents.bodylinks import body_parser, convert

    ours, theirs = body_parser(), body_parser()
    bodies = [
        p.read_text(encoding="utf-8").split("\n---", 1)[1]
        for folder in ("applications", "capabilities", "architecture", "proposals")
        for p in sorted((Path(__file__).resolve().parents[1] / folder).rglob("*.md"))
        if "\n---" in p.read_text(encoding="utf-8")
    ]
    assert len(bodies) > 50
    for body in bodies:
        assert convert(ours, body) == theirs.reset().convert(body)


# --- ids the loader leaves out ------------------------------------------------------------------------------------


def entity_files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*.md") if ".git" not in p.parts}


@pytest.mark.parametrize("new", ["index", "readme"])
def test_renaming_to_a_note_name_is_refused(make_repo: MakeRepo, new: str) -> None:
    root = make_repo()
    before = {p: (root / p).read_bytes() for p in entity_files(root)}
    result = ea("rename", "application", "uniform", new, "--root", str(root))
    assert result.returncode == 2, result.stdout + result.stderr
    assert "reserved" in result.stderr and f"{new}-1" in result.stderr and "Traceback" not in result.stderr
    assert {p: (root / p).read_bytes() for p in entity_files(root)} == before


@pytest.mark.parametrize("name", ["README", "Index"])
def test_a_new_entity_named_like_a_note_gets_an_id_the_loader_reads(make_repo: MakeRepo, name: str) -> None:
    root = make_repo()
    result = ea("new", "application", name, "--root", str(root))
    assert result.returncode == 0, result.stdout + result.stderr
    made = entity_files(root) - set(entity_files(make_repo()))
    assert made == {f"applications/{name.lower()}-1.md"}


def test_imported_rows_named_like_notes_are_not_lost(make_repo: MakeRepo, tmp_path: Path) -> None:
    from generator.checks.validate import validate
    from generator.models.schema import suggest_id

    assert [suggest_id(n) for n in ("Index", "README", "index.", "Readme!")] == ["index-1", "readme-1"] * 2
    root = make_repo()
    register = tmp_path / "register.csv"
    register.write_text(
        "Name,Lifecycle,Owner,Capabilities,Hosting\nIndex,active,planning,planning-applications,saas\n"
        "Readme,active,planning,planning-applications,saas\n"
    )
    result = ea("import", "applications", str(register), "--root", str(root))
    assert result.returncode == 0, result.stdout + result.stderr
    assert {"applications/index-1.md", "applications/readme-1.md"} <= entity_files(root)
    ids = {a.id for a in validate(root, use_cache=False).catalog.applications.values()}
    assert {"index-1", "readme-1"} <= ids


# --- NUL bytes and lone surrogates in settings --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("settings", "key"),
    [
        ('docs_dir: "docs\\0"\n', "docs_dir"),
        ('theme:\n  name: material\n  logo: "img/a\\0.svg"\n', "theme.logo"),
        ('site_name: "\\ud800"\n', "site_name"),
        ('plugins:\n  - "\\0"\n', "plugins[0]"),
    ],
)
def test_nul_and_surrogates_in_mkdocs_yml_are_refused_with_file_and_line(
    make_repo: MakeRepo, tmp_path: Path, settings: str, key: str
) -> None:
    root = make_repo({"mkdocs.yml": "# settings\n" + settings})
    line = settings.count("\n")
    for command in ("validate", "build"):
        result = ea(command, str(root), env=dict(os.environ, EA_CACHE_DIR=str(tmp_path / "c")))
        assert result.returncode == 2, result.stdout + result.stderr
        assert f"mkdocs.yml:{line + 1}: {key}:" in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
    assert not (root / "site").exists()


def test_an_encoded_nul_in_an_svg_logo_is_not_read(make_repo: MakeRepo, tmp_path: Path) -> None:
    from generator.site.build import inline_svg_pictures
    from generator.site.config import read_settings

    root = make_repo({"mkdocs.yml": "theme:\n  name: material\n  logo: img/a%00.svg\n", "docs/img/a.svg": "<svg/>"})
    settings = read_settings(root)
    inline_svg_pictures(settings)
    assert not settings.theme["logo"].startswith("data:")


@pytest.mark.parametrize("value", ['"a\\0b"', '"\\ud800"', '"a\\nb"'])
def test_a_control_character_in_the_lgsl_setting_is_refused(make_repo: MakeRepo, value: str) -> None:
    root = make_repo({"ea.yml": f"# settings\nlgsl: {value}\n"})
    result = ea("validate", str(root))
    assert result.returncode == 2, result.stdout + result.stderr
    assert "ea.yml:2: " in result.stderr and "Traceback" not in result.stderr
    # the content parser refuses the surrogate escape itself; the others reach the setting
    assert "'lgsl' holds a control character" in result.stderr or "ud800" in value


# --- smaller ------------------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_the_site_name_is_escaped_once_everywhere(make_repo: MakeRepo, tmp_path: Path) -> None:
    root = make_repo({"mkdocs.yml": 'site_name: "A <b> &amp; C"\n'})
    result = build(root, tmp_path)
    assert result.returncode == 0, result.stderr
    page = (root / "site/index.html").read_text(encoding="utf-8")
    # escaped once, the name shows as written ("&amp;" included) wherever it is
    assert "&amp;lt;" not in page and "&amp;amp;amp;" not in page and "<b>" not in page
    assert 'title="A &lt;b&gt; &amp;amp; C"' in page
    assert "<title>A &lt;b&gt; &amp;amp; C</title>" in page
    assert 'aria-label="A &lt;b&gt; &amp;amp; C"' in page


def test_a_linked_applications_folder_is_reported_on_every_run(make_repo: MakeRepo, tmp_path: Path) -> None:
    root = make_repo()
    for p in (root / "applications").iterdir():
        p.unlink()
    (root / "applications").rmdir()
    (root / "applications").symlink_to("/etc", target_is_directory=True)
    env = dict(os.environ, EA_CACHE_DIR=str(tmp_path / "c"))
    for _ in "twice":  # cold, then from the cache
        result = ea("validate", str(root), "--format", "github", env=env)
        assert "EA107" in result.stdout and "file=applications," in result.stdout, result.stdout
        assert "passwd" not in result.stdout + result.stderr


def test_text_messages_show_colons_as_written_and_ci_formats_stay_neutralised(make_repo: MakeRepo) -> None:
    from generator.cli.common import CouldNotRun
    from generator.core.errors import EaError
    from generator.core.report import render_github, render_text
    from generator.site.build import _writing

    with pytest.raises(EaError) as caught, _writing():
        raise OSError("Cannot call rmtree on a symbolic link")
    shown = CouldNotRun(str(caught.value)).format_message()
    assert shown == "The site could not be written: Cannot call rmtree on a symbolic link"
    assert CouldNotRun("a\n::error::x").format_message() == "a\n:\\x3aerror::x"

    from generator.core.findings import Finding

    found = [Finding("EA132", "applications/a.md", 3, "the link 'C::D' leads nowhere", "fix: it")]
    assert "the link 'C::D' leads nowhere" in render_text(found, 1)
    assert "C::D" not in render_github(found, 1) and "C:\\x3aD" in render_github(found, 1)
