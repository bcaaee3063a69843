"""Hostile pull requests against the site build and ``ea serve``: each test
reproduces an attack (a settings file, a docs folder, a body, a shared host)
and checks it is held: the exit code, nothing published from outside the
repository or as active content, nothing echoed, and cleanup afterwards."""

from __future__ import annotations

import os
import random
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import markdown
import pytest
from click.testing import CliRunner
from conftest import TODAY, MakeRepo, app, line_in

from generator.cli import main
from generator.core.errors import EaError
from generator.diagrams import render as diagrams_render
from generator.documents.bodylinks import body_parser, file_problem, resolve
from generator.site.build import build_site
from generator.site.config import read_settings
from generator.site.serve import host_allowed

pytestmark = pytest.mark.slow

SECRET = "SECRET-CI-TOKEN-1f2e3d"
UNIFORM = "applications/uniform.md"


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output + (str(result.exception) if result.exception else "")


def ea(*args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", *args], capture_output=True, text=True, check=False, **kwargs
    )  # type: ignore[call-overload]


def with_git(root: Path) -> Path:
    """A .git folder whose config holds a CI token, as actions/checkout leaves it."""
    (root / ".git").mkdir()
    (root / ".git/config").write_text(f"[http]\n\textraheader = AUTHORIZATION: basic {SECRET}\n")
    return root


# --- files from outside the repository ----------------------------------------------------------------------------


@pytest.mark.parametrize("docs_dir", ["/etc", ".git", "/proc/self", "../outside", "docs/../../outside", "."])
def test_a_docs_folder_outside_the_repository_is_refused(make_repo: MakeRepo, tmp_path: Path, docs_dir: str) -> None:
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside/secret.png").write_text(SECRET)
    settings = f"site_name: Council\ndocs_dir: {docs_dir}\n"
    root = with_git(make_repo({"mkdocs.yml": settings, "docs/logo.png": b"png"}))
    site = tmp_path / "site"
    code, output = cli("build", str(root), "-d", str(site), "--today", TODAY.isoformat())
    assert code == 2, output
    assert f"mkdocs.yml:{line_in(settings, 'docs_dir')}: docs_dir" in output
    assert "Traceback" not in output and SECRET not in output
    assert not site.exists()


def test_a_docs_folder_that_is_a_symbolic_link_is_refused(make_repo: MakeRepo, tmp_path: Path) -> None:
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside/secret.png").write_text(SECRET)
    root = make_repo()
    (root / "docs").symlink_to(tmp_path / "outside")
    with pytest.raises(EaError, match=r"mkdocs\.yml:1: docs_dir: docs is a symbolic link"):
        build_site(root, site_dir=tmp_path / "site", today=TODAY, use_cache=False)
    assert not (tmp_path / "site").exists()


def test_links_and_hidden_files_inside_the_docs_folder_are_not_published(make_repo: MakeRepo, tmp_path: Path) -> None:
    root = with_git(make_repo({"docs/crest.png": b"crest", "docs/.private.png": b"hidden"}))
    (root / "docs/config.png").symlink_to(root / ".git/config")
    (root / "docs/git").symlink_to(root / ".git")
    os.mkfifo(root / "docs/pipe.png")  # a FIFO would hang a build that read it
    result = build_site(root, site_dir=tmp_path / "site", today=TODAY, use_cache=False)
    assert result.site_dir is not None
    published = files(tmp_path / "site")
    assert published["crest.png"] == b"crest"
    assert not {"config.png", "pipe.png", ".private.png"} & set(published)
    assert not any(k.startswith("git/") for k in published)
    assert not any(SECRET.encode() in v for v in published.values())


def test_a_body_link_to_a_symbolic_link_into_git_is_refused(make_repo: MakeRepo, tmp_path: Path) -> None:
    root = with_git(make_repo())
    (root / "notes").mkdir()
    (root / "notes/settings.txt").symlink_to(root / ".git/config")
    text = app().replace("What the system does.", "Intro.\n\nSee [settings](../notes/settings.txt).")
    (root / UNIFORM).write_text(text)
    code, output = cli("validate", str(root), "--no-cache", "--today", TODAY.isoformat())
    assert code == 1
    assert f"{line_in(text, 'settings.txt')}  error   EA132" in output and "symbolic link" in output
    assert SECRET not in output
    result = build_site(root, site_dir=tmp_path / "site", today=TODAY, use_cache=False)
    assert result.site_dir is None and not (tmp_path / "site").exists()
    # the build's own resolution refuses it as well (one function for both)
    assert resolve(root, UNIFORM, "../notes/settings.txt", set()).problem is not None
    assert file_problem(root, ".git/config") is not None


# --- script in the pages ------------------------------------------------------------------------------------------

EVIL = '"><script>alert(1)</script><x y="'
HOSTILE_YML = f"""\
site_name: '{EVIL}'
site_description: '{EVIL}'
site_author: '{EVIL}'
copyright: '&copy; Council {EVIL}'
site_url: 'https://intranet.example/{EVIL}'
theme:
  name: material
  palette:
    - {{scheme: '{EVIL}', primary: '{EVIL}', accent: teal, toggle: {{icon: material/weather-night, name: '{EVIL}'}}}}
extra:
  homepage: 'https://intranet.example/{EVIL}'
  social: [{{icon: fontawesome/brands/github, link: 'https://github.example/{EVIL}', name: '{EVIL}'}}]
"""


def test_every_honoured_setting_is_escaped(make_repo: MakeRepo, tmp_path: Path) -> None:
    root = make_repo({"mkdocs.yml": HOSTILE_YML})
    result = build_site(root, site_dir=tmp_path / "site", today=TODAY, use_cache=False)
    assert result.site_dir is not None
    pages = {k: v.decode() for k, v in files(tmp_path / "site").items() if k.endswith((".html", ".xml", ".js"))}
    assert pages
    for name, text in pages.items():
        assert "<script>alert" not in text, name
        assert "<x y=" not in text, name  # the tag after the quote that would have closed an attribute
    home = pages["index.html"]
    assert "© Council &quot;&gt;&lt;script&gt;" in home  # the sign as written, the rest as text


@pytest.mark.parametrize(
    ("settings", "key"),
    [
        ("extra:\n  homepage: javascript:alert(1)\n", "extra.homepage"),
        ("extra:\n  social:\n    - {icon: fontawesome/brands/github, link: 'java\tscript:alert(1)'}\n", "link"),
        ("theme:\n  favicon: javascript:alert(1)\n", "theme.favicon"),
        ("theme:\n  logo: data:text/html,alert(1)\n", "theme.logo"),
        ("site_url: javascript:alert(1)\n", "site_url"),
        ("repo_url: javascript:alert(1)\n", "repo_url"),
        ("theme:\n  icon: {logo: ../../../etc/alert(1)}\n", "theme.icon.logo"),
        ("theme:\n  language: '../alert(1)'\n", "theme.language"),
    ],
)
def test_addresses_other_than_web_or_relative_are_refused(make_repo: MakeRepo, settings: str, key: str) -> None:
    root = make_repo({"mkdocs.yml": settings})
    with pytest.raises(EaError) as caught:
        read_settings(root)
    message = str(caught.value)
    assert f"mkdocs.yml:{line_in(settings, key.rsplit('.', 1)[-1] + ':')}:" in message and key in message
    assert "alert" not in message  # the value is not echoed


def test_only_honoured_keys_reach_mkdocs(make_repo: MakeRepo) -> None:
    settings = read_settings(
        make_repo(
            {
                "mkdocs.yml": "theme: {name: x, custom_dir: /etc, static_templates: [a.html], language: cy}\n"
                "extra: {analytics: {provider: google}, alternate: [{link: 'javascript:x'}], homepage: /}\n"
                "extra_javascript: [evil.js]\nhooks: [evil.py]\n"
            }
        )
    )
    assert set(settings.theme) <= {"language", "palette", "features", "icon", "logo", "favicon"}
    assert settings.theme["language"] == "cy"
    assert settings.extra == {"homepage": "/"}


def test_active_files_in_the_docs_folder_are_not_published(make_repo: MakeRepo, tmp_path: Path) -> None:
    import material

    bundle = next((Path(material.__file__).parent / "templates/assets/javascripts").glob("bundle.*.min.js"))
    script = b"alert(document.cookie)"
    root = make_repo(
        {
            f"docs/assets/javascripts/{bundle.name}": script,
            "docs/assets/images/favicon.png": b"not the theme's",
            "docs/search/search_index.json": b"{}",
            "docs/page.html": b"<script>alert(1)</script>",
            "docs/drawing.svg": b"<svg onload='alert(1)'/>",
            "docs/tool.js": script,
            "docs/map.png": b"png",
        }
    )
    result = build_site(root, site_dir=tmp_path / "site", today=TODAY, use_cache=False)
    assert result.site_dir is not None
    published = files(tmp_path / "site")
    assert published[f"assets/javascripts/{bundle.name}"] == bundle.read_bytes()
    assert published["assets/images/favicon.png"] != b"not the theme's"
    assert published["map.png"] == b"png"
    assert not {"page.html", "drawing.svg", "tool.js"} & set(published)
    assert not any(script in v for v in published.values())


@pytest.mark.parametrize("name", ["diagram.svg", "page.html", "page.HTM", "tool.js"])
def test_a_body_link_to_active_content_is_a_finding(make_repo: MakeRepo, tmp_path: Path, name: str) -> None:
    text = app().replace("What the system does.", f"Intro.\n\n![see]({name})")
    root = make_repo({UNIFORM: text, f"applications/{name}": "<svg onload='alert(1)'/>"})
    result = build_site(root, site_dir=tmp_path / "site", today=TODAY, use_cache=False)
    assert result.site_dir is None
    [found] = [f for f in result.findings if f.code == "EA132"]
    assert (found.path, found.line) == (UNIFORM, line_in(text, name))


# --- exhausting CI ------------------------------------------------------------------------------------------------

ALIAS_BOMB = """\
site_name: x
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
extra: {homepage: *i}
"""


def test_an_alias_bomb_in_mkdocs_yml_is_refused(make_repo: MakeRepo) -> None:
    root = make_repo({"mkdocs.yml": ALIAS_BOMB})
    code, output = cli("build", str(root), "--today", TODAY.isoformat())
    assert code == 2
    assert f"mkdocs.yml:{line_in(ALIAS_BOMB, 'b: &b')}: YAML aliases" in output


@pytest.mark.parametrize(
    "text",
    [
        "site_name: " + "x" * 300_000 + "\n",
        "extra: " + "[" * 50_000 + "]" * 50_000 + "\n",
        "a: !!python/name:os.system\n",
    ],
)
def test_oversized_deep_or_tagged_settings_end_in_an_error_or_nothing(make_repo: MakeRepo, text: str) -> None:
    root = make_repo({"mkdocs.yml": text})
    try:
        settings = read_settings(root)
    except EaError as exc:
        assert "mkdocs.yml" in str(exc)
    else:
        assert settings.extra == {}


def test_bodies_full_of_brackets_build(make_repo: MakeRepo, tmp_path: Path) -> None:
    """30 KB of ``[`` took 159 s; each of these now takes well under a second
    (see benchmarks/bench_hostile_site.py for the figures)."""
    bodies = ["[" * 30_000, "[a](" * 7_500, "![" * 15_000, "[" * 15_000 + "]" * 15_000]
    extra = {
        f"applications/b{i}.md": app(f"B{i}", extra="").replace("What the system does.", b)
        for i, b in enumerate(bodies)
    }
    result = build_site(make_repo(extra), site_dir=tmp_path / "site", today=TODAY, use_cache=False)
    assert result.site_dir is not None
    assert "[[[[[[[[[[" in (tmp_path / "site/applications/b0.html").read_text()


def test_linear_link_parsing_gives_the_library_s_html() -> None:
    """The bounded link patterns change speed, not results: random bodies of
    brackets, parentheses, quotes and text render as Python-Markdown's own."""
    stock = markdown.Markdown(extensions=["tables", "sane_lists", "fenced_code"], output_format="html")
    stock.preprocessors.deregister("html_block")
    stock.inlinePatterns.deregister("html")
    ours = body_parser()
    rnd = random.Random(13)
    pieces = ["[", "]", "(", ")", "!", "a", " ", '"', "'", "x.md", "\n", "[a]: b\n", "<", ">", "\\"]
    for _ in range(400):
        body = "".join(rnd.choice(pieces) for _ in range(rnd.randrange(1, 60)))
        assert ours.reset().convert(body) == stock.reset().convert(body), repr(body)


def test_a_hierarchy_600_deep_builds(make_repo: MakeRepo, tmp_path: Path) -> None:
    extra, parent = {}, "planning-applications"
    for i in range(600):
        extra[f"capabilities/c{i}.md"] = f"---\nname: Level {i}\nowner: planning\nparent: {parent}\n---\n"
        parent = f"c{i}"
    result = build_site(make_repo(extra), site_dir=tmp_path / "site", today=TODAY, use_cache=False)
    assert result.site_dir is not None
    tree = (tmp_path / "site/capability-hierarchy.html").read_text()
    assert tree.count("<details") == 600 and "Level 599" in tree


# --- shared CI hosts ----------------------------------------------------------------------------------------------


def test_graphviz_plugins_are_read_from_a_private_folder(tmp_path: Path) -> None:
    diagrams_render._lean_env.cache_clear()
    try:
        env = diagrams_render._lean_env()
    finally:
        diagrams_render._lean_env.cache_clear()
    if env is None:
        pytest.skip("Graphviz's plugin configuration was not found: it runs as installed")
    folder = Path(env["GVBINDIR"])
    assert not str(folder).startswith("/tmp/ea-graphviz")
    assert folder.stat().st_uid == os.getuid() and folder.stat().st_mode & 0o077 == 0


def test_a_plugin_folder_made_by_someone_else_is_not_trusted(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    planted = shared / "graphviz-x"
    planted.mkdir()
    planted.chmod(0o777)
    assert diagrams_render.private_folder(planted) is None
    if os.getuid() == 0:
        other = tmp_path / "other" / "graphviz-x"
        other.mkdir(parents=True, mode=0o700)
        os.chown(other, 65534, 65534)
        assert diagrams_render.private_folder(other) is None
    mine = diagrams_render.private_folder(tmp_path / "mine" / "graphviz-x")
    assert mine is not None and mine.stat().st_mode & 0o077 == 0


# --- interrupted, concurrent and unwritable builds ----------------------------------------------------------------


def many_files(count: int = 150) -> dict[str, str]:
    return {f"applications/a{i:03d}.md": app(f"System {i:03d}") for i in range(count)}


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_an_interrupted_build_leaves_no_half_built_folder(make_repo: MakeRepo, tmp_path: Path, signum: int) -> None:
    root = make_repo(many_files())
    site = tmp_path / "out" / "site"
    env = dict(os.environ, EA_CACHE_DIR=str(tmp_path / "cache"))
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator", "build", str(root), "-d", str(site), "--today", TODAY.isoformat()],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    end = time.monotonic() + 120
    while time.monotonic() < end and proc.poll() is None:
        if site.parent.exists() and any(p.name.startswith(".site.building-") for p in site.parent.iterdir()):
            break
        time.sleep(0.01)
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=120)
    if proc.returncode == 0:
        pytest.skip("the build finished before the signal arrived")
    assert proc.returncode != 0
    assert "Traceback" not in err, err
    assert not [p.name for p in site.parent.iterdir() if p.name.startswith(".site.")]
    assert not site.exists()


def test_concurrent_builds_of_one_repository_both_succeed(make_repo: MakeRepo, tmp_path: Path) -> None:
    root = make_repo(many_files(60))
    env = dict(os.environ, EA_CACHE_DIR=str(tmp_path / "cache"))
    cmd = [sys.executable, "-m", "generator", "build", str(root), "--today", TODAY.isoformat()]
    procs = [subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in "ab"]
    outputs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    assert (root / "site/applications/a059.html").is_file()
    assert not [p.name for p in root.iterdir() if p.name.startswith(".site.")]


def test_an_unwritable_working_folder_is_an_error_not_a_traceback(make_repo: MakeRepo, tmp_path: Path) -> None:
    root = make_repo()
    (root / ".ea-build").write_text("a file where the working folder goes")
    result = ea("build", str(root), "--today", TODAY.isoformat(), env=dict(os.environ, EA_CACHE_DIR=str(tmp_path)))
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and ".ea-build" in result.stderr


# --- ea serve -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "bound", "allowed"),
    [
        ("127.0.0.1:8000", "127.0.0.1", True),
        ("localhost:8000", "127.0.0.1", True),
        ("[::1]:8000", "::1", True),
        ("10.1.2.3:8000", "0.0.0.0", True),
        ("ea.intranet:8000", "ea.intranet", True),
        ("attacker.example:8000", "127.0.0.1", False),
        ("127.0.0.1.attacker.example", "127.0.0.1", False),
        ("", "127.0.0.1", False),
    ],
)
def test_only_this_machine_s_host_names_are_served(header: str, bound: str, allowed: bool) -> None:
    assert host_allowed(header, bound) is allowed


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(url: str, host: str) -> int | None:
    request = urllib.request.Request(url, headers={"Host": host})
    try:
        with urllib.request.urlopen(request, timeout=2) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def test_serve_refuses_other_host_names_and_reports_a_busy_port(make_repo: MakeRepo, tmp_path: Path) -> None:
    root = make_repo()
    port = free_port()
    env = dict(os.environ, TMPDIR=str(tmp_path), EA_CACHE_DIR=str(tmp_path / "cache"))
    cmd = [sys.executable, "-m", "generator", "serve", str(root), "-a", f"127.0.0.1:{port}"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        end = time.monotonic() + 60
        while time.monotonic() < end and get(url, f"127.0.0.1:{port}") != 200:
            time.sleep(0.2)
        assert get(url, f"127.0.0.1:{port}") == 200
        assert get(url, f"localhost:{port}") == 200
        assert get(url, f"rebind.attacker.example:{port}") == 403
        busy = ea("serve", str(root), "-a", f"127.0.0.1:{port}", env=env, timeout=120)
        assert busy.returncode == 2
        assert f"Cannot serve on 127.0.0.1:{port}" in busy.stderr and "Traceback" not in busy.stderr
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=30)


def test_body_links_are_checked_again_on_a_cached_run(make_repo: MakeRepo, tmp_path: Path) -> None:
    """The links found in a body are remembered by the file's stamp, but where
    they lead is worked out on every run: a deleted file is reported by a
    re-run that parsed nothing, and an edited body is read again."""
    from generator.checks.validate import validate

    text = app().replace("What the system does.", "Intro.\n\nThe [minutes](minutes.pdf).")
    root = make_repo({UNIFORM: text, "applications/minutes.pdf": b"%PDF"})
    old = time.time() - 60  # older than the racy window, so the stamp is trusted
    os.utime(root / UNIFORM, (old, old))
    assert [f.code for f in validate(root, today=TODAY).findings] == []
    (root / "applications/minutes.pdf").unlink()
    [found] = validate(root, today=TODAY).findings
    assert (found.code, found.path, found.line) == ("EA132", UNIFORM, line_in(text, "minutes.pdf"))
    edited = text.replace("minutes.pdf", "agenda.pdf")
    (root / UNIFORM).write_text(edited)
    os.utime(root / UNIFORM, (old + 1, old + 1))
    [found] = validate(root, today=TODAY).findings
    assert "agenda.pdf" in found.message


def test_a_diagram_cache_that_cannot_be_written_only_costs_time(
    make_repo: MakeRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "diagrams").write_text("a file where the diagram cache goes")
    monkeypatch.setenv("EA_CACHE_DIR", str(cache))
    result = build_site(make_repo(), site_dir=tmp_path / "site", today=TODAY)
    assert result.site_dir is not None
    assert "<svg" in (tmp_path / "site/applications/uniform.html").read_text()


def test_validate_refuses_the_settings_the_build_would_refuse(make_repo: MakeRepo) -> None:
    """A pull request with a hostile mkdocs.yml fails its own check, not the
    build on main after it is merged."""
    settings = "site_name: Council\ndocs_dir: /etc\n"
    code, output = cli("validate", str(make_repo({"mkdocs.yml": settings})), "--no-cache")
    assert code == 2
    assert f"mkdocs.yml:{line_in(settings, 'docs_dir')}: docs_dir" in output
    assert cli("validate", str(make_repo({"mkdocs.yml": "site_name: Council\n"})), "--no-cache")[0] == 0


def test_linked_files_of_unknown_type_are_published_as_plain_text(make_repo: MakeRepo, tmp_path: Path) -> None:
    """A browser may sniff a file with no known type as HTML: such files are
    published with .txt added; documents and pictures keep their names."""
    body = "Intro.\n\n[notes](notes) [readme](README.md) [plan](plan.pdf) [map](map.PNG)"
    root = make_repo(
        {
            UNIFORM: app().replace("What the system does.", body),
            "applications/notes": "<script>alert(1)</script>",
            "applications/README.md": "# Not an entity",
            "applications/plan.pdf": b"%PDF",
            "applications/map.PNG": b"png",
        }
    )
    result = build_site(root, site_dir=tmp_path / "site", today=TODAY, use_cache=False)
    assert result.site_dir is not None
    published = set(files(tmp_path / "site/files/applications"))
    assert published == {"notes.txt", "README.md.txt", "plan.pdf", "map.PNG"}


def test_a_settings_file_that_is_a_symbolic_link_is_not_read(make_repo: MakeRepo, tmp_path: Path) -> None:
    secret = tmp_path / "secret.yml"
    secret.write_text(f"site_name: {SECRET}\n")
    root = make_repo()
    (root / "mkdocs.yml").symlink_to(secret)
    code, output = cli("build", str(root), "-d", str(tmp_path / "site"), "--today", TODAY.isoformat())
    assert code == 2 and "mkdocs.yml: is not a regular file" in output
    assert SECRET not in output and not (tmp_path / "site").exists()
