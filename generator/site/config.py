"""The MkDocs configuration: the council's branding from its own
``mkdocs.yml`` (or a built-in default), with what the product needs on top.

Anyone who can open a pull request can change ``mkdocs.yml``, and the site
is built on the main branch, so the file is read as untrusted input: only
the keys below are honoured (``HONOURED_KEYS``, ``THEME_KEYS``,
``EXTRA_KEYS``), every text is HTML-escaped before the theme prints it (the
theme prints them as they are), every address must be http(s) or a relative
path, YAML aliases are refused (an alias bomb would exhaust memory), and the
docs folder must be a real folder inside the repository. Plugins, hooks,
Markdown extensions, scripts and every other key are ignored (they could run
code or call other sites), as are settings that would break the product:
instant navigation (the register scripts need real page loads), web fonts,
analytics and the repository widget (each a request to another site).
"""

from __future__ import annotations

import html
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import yaml
from markupsafe import Markup

from generator.core.errors import EaError
from generator.site import fragments
from generator.site.render import esc, url_scheme
from generator.core.util import atomic_write, read_capped

DEFAULT_TITLE = "Enterprise architecture"
DEFAULT_THEME: dict[str, Any] = {
    "language": "en-GB",
    "palette": {"scheme": "default", "primary": "indigo", "accent": "indigo"},
    "features": ["navigation.sections", "navigation.top", "search.highlight", "toc.follow"],
}
#: theme settings that are the product's, whatever the council's file says
DROPPED_FEATURES = ("navigation.instant", "content.action.edit", "content.action.view")
#: the top-level keys read from a council's file; any other is ignored
HONOURED_KEYS = (
    "site_name",
    "site_description",
    "site_author",
    "copyright",
    "site_url",
    "repo_url",
    "use_directory_urls",
    "docs_dir",
    "theme",
    "extra",
)
#: the theme settings read (``name``, ``custom_dir``, ``font`` and the rest are the product's)
THEME_KEYS = ("language", "palette", "features", "icon", "logo", "favicon")
#: the ``extra`` settings read
EXTRA_KEYS = ("homepage", "social", "ea_edit_uri")
#: a settings file larger than this is refused unread
MAX_SETTINGS_BYTES = 256 * 1024
#: characters an address keeps as they are; any other is percent-encoded, so
#: no quote, angle bracket, space or control character reaches the page
_URL_SAFE = "!#$%&()*+,-./:;=?@[]_~"
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")
_ICON = re.compile(r"[a-z0-9][a-z0-9_-]*(/[a-z0-9][a-z0-9_-]*)+")
_FEATURE = re.compile(r"[a-z0-9][a-z0-9_.-]*")
_PALETTE_KEYS = ("media", "scheme", "primary", "accent")


class _Refused(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


class _Loader(yaml.SafeLoader):
    """Safe YAML that reads MkDocs' own tags (``!ENV``, ``!!python/name``) as
    empty values instead of refusing the file or running anything, and
    refuses aliases: a few lines of them expand to billions of values."""

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise _Refused(event.start_mark.line + 1, "YAML aliases (*name) are not accepted in this file")
        return super().compose_node(parent, index)  # type: ignore[no-untyped-call]


_Loader.add_constructor(None, lambda loader, node: None)  # type: ignore[arg-type]
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
_Loader.add_multi_constructor("!", lambda loader, suffix, node: None)


@dataclass
class Settings:
    """What the site takes from the council's configuration."""

    config_path: Path
    site_name: str = DEFAULT_TITLE
    use_directory_urls: bool = False
    repo_url: str | None = None
    edit_base: str | None = None
    theme: dict[str, Any] = field(default_factory=lambda: dict(DEFAULT_THEME))
    extra: dict[str, Any] = field(default_factory=dict)
    #: site_url, site_description, site_author and copyright, escaped
    passed: dict[str, Any] = field(default_factory=dict)
    #: the council's docs folder: logos and pictures its settings name
    docs_dir: Path | None = None


def _key_lines(node: yaml.Node) -> dict[tuple[Any, ...], int]:
    """The line of every key (and list item) by key path, to name the line of
    a refused value. Walked with a stack: nesting cannot exhaust recursion."""
    lines: dict[tuple[Any, ...], int] = {}
    stack: list[tuple[tuple[Any, ...], yaml.Node]] = [((), node)]
    while stack:
        loc, current = stack.pop()
        if isinstance(current, yaml.MappingNode):
            for key, value in current.value:
                if isinstance(key, yaml.ScalarNode):
                    lines[(*loc, key.value)] = key.start_mark.line + 1
                    stack.append(((*loc, key.value), value))
        elif isinstance(current, yaml.SequenceNode):
            for index, value in enumerate(current.value):
                lines[(*loc, index)] = value.start_mark.line + 1
                stack.append(((*loc, index), value))
    return lines


def _load(path: Path) -> tuple[dict[str, Any], dict[tuple[Any, ...], int]]:
    """The file's settings and the line of each key."""
    try:
        with path.open("rb") as fh:
            raw = read_capped(fh, MAX_SETTINGS_BYTES)
    except OSError as exc:
        raise EaError(f"{path}: cannot be read: {exc.strerror or exc}") from exc
    if len(raw) > MAX_SETTINGS_BYTES:
        raise EaError(f"{path}: larger than {MAX_SETTINGS_BYTES // 1024} KB; site settings are far smaller")
    loader: _Loader | None = None
    try:
        loader = _Loader(raw.decode("utf-8-sig"))
        node = loader.get_single_node()
        if node is None:
            return {}, {}
        lines = _key_lines(node)
        loaded = loader.construct_document(node)
    except _Refused as exc:
        raise EaError(f"{path}:{exc.line}: {exc}") from None
    except UnicodeDecodeError as exc:
        raise EaError(f"{path}: is not UTF-8 text ({exc.reason})") from None
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 1
        raise EaError(f"{path}:{line}: cannot be read as YAML: {exc.problem or exc}") from None
    except (yaml.YAMLError, RecursionError) as exc:
        raise EaError(f"{path}: cannot be read as YAML: {type(exc).__name__}") from None
    finally:
        if loader is not None:
            loader.dispose()
    if loaded is None:
        return {}, {}
    if not isinstance(loaded, dict):
        raise EaError(f"{path}: expected settings (a YAML mapping), found {type(loaded).__name__}")
    return loaded, lines


class _Reader:
    """Checks and escapes the values of one settings file, naming the line of
    a refused value (never echoing the value: it may be crafted for a log)."""

    def __init__(self, path: Path, lines: dict[tuple[Any, ...], int]) -> None:
        self.path, self.lines = path, lines

    def refuse(self, loc: tuple[Any, ...], message: str) -> EaError:
        line = self.lines.get(loc, 1)
        name = ".".join(str(part) if isinstance(part, str) else f"[{part}]" for part in loc).replace(".[", "[")
        return EaError(f"{self.path}:{line}: {name}: {message}")

    def check_characters(self, data: dict[str, Any]) -> None:
        """Refuse a NUL character (no path or page may hold one) or a lone
        surrogate (YAML's ``"\\ud800"``, which no file can be written in)
        anywhere in the file, keys included, before any value is used."""
        stack: list[tuple[tuple[Any, ...], object]] = [((), data)]
        while stack:
            loc, value = stack.pop()
            if isinstance(value, dict):
                for key, item in value.items():
                    self._check_text((*loc, key), key)
                    stack.append(((*loc, key), item))
            elif isinstance(value, list):
                stack.extend(((*loc, index), item) for index, item in enumerate(value))
            else:
                self._check_text(loc, value)

    def _check_text(self, loc: tuple[Any, ...], value: object) -> None:
        if not isinstance(value, str):
            return
        if "\0" in value:
            raise self.refuse(loc, "holds a NUL character")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise self.refuse(loc, "holds text that is not Unicode (a lone surrogate escape)") from None

    def plain(self, loc: tuple[Any, ...], value: object) -> str:
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise self.refuse(loc, "must be text")
        return str(value)

    def text(self, loc: tuple[Any, ...], value: object) -> str:
        """A text for the page, HTML-escaped."""
        return esc(self.plain(loc, value))

    def url(self, loc: tuple[Any, ...], value: object, *, relative: bool = True) -> str:
        """A web address (http or https) or, where ``relative``, a path in the
        site; other schemes (``javascript:``, ``data:``) are refused."""
        if not isinstance(value, str) or not value.strip():
            raise self.refuse(loc, "must be a web address")
        text = value.strip()
        scheme = url_scheme(text)
        web = scheme in ("http", "https")
        local = scheme is None and relative and not text.startswith(("//", "/\\", "\\")) and "\\" not in text
        if not (web or local):
            allowed = "a web address (http:// or https://)" + (" or a path in the site" if relative else "")
            raise self.refuse(loc, f"must be {allowed}")
        return quote(text, safe=_URL_SAFE)

    def icon(self, loc: tuple[Any, ...], value: object) -> str:
        if not isinstance(value, str) or not _ICON.fullmatch(value):
            raise self.refuse(loc, "must be an icon name such as material/office-building")
        return value

    def mapping(self, loc: tuple[Any, ...], value: object) -> dict[Any, Any]:
        if not isinstance(value, dict):
            raise self.refuse(loc, "must be a mapping (key: value lines)")
        return value

    def theme(self, theme: object) -> dict[str, Any]:
        chosen = self.mapping(("theme",), theme)
        out: dict[str, Any] = {}
        for key in THEME_KEYS:
            if chosen.get(key) is None:
                continue
            loc, value = ("theme", key), chosen[key]
            if key == "language":
                if not isinstance(value, str) or not _LANGUAGE.fullmatch(value):
                    raise self.refuse(loc, "must be a language code such as en-GB")
                out[key] = value
            elif key == "features":
                if not isinstance(value, list):
                    raise self.refuse(loc, "must be a list")
                for index, item in enumerate(value):
                    if not isinstance(item, str) or not _FEATURE.fullmatch(item):
                        raise self.refuse((*loc, index), "must be a feature name such as navigation.top")
                out[key] = [f for f in value if not f.startswith(DROPPED_FEATURES)]
            elif key == "palette":
                out[key] = self.palette(loc, value)
            elif key == "icon":
                out[key] = self.icons(loc, value)
            else:  # logo, favicon
                out[key] = self.url(loc, value)
        return out

    def palette(self, loc: tuple[Any, ...], value: object) -> dict[str, Any] | list[dict[str, Any]]:
        def one(at: tuple[Any, ...], option: object) -> dict[str, Any]:
            option = self.mapping(at, option)
            out: dict[str, Any] = {
                k: self.text((*at, k), option[k]) for k in _PALETTE_KEYS if option.get(k) is not None
            }
            toggle = option.get("toggle")
            if toggle is not None:
                toggle = self.mapping((*at, "toggle"), toggle)
                out["toggle"] = {
                    "icon": self.icon((*at, "toggle", "icon"), toggle.get("icon")),
                    "name": self.text((*at, "toggle", "name"), toggle.get("name", "")),
                }
            return out

        if isinstance(value, list):
            return [one((*loc, index), option) for index, option in enumerate(value)]
        return one(loc, value)

    def icons(self, loc: tuple[Any, ...], value: object) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, item in self.mapping(loc, value).items():
            if isinstance(item, dict):
                out[str(key)] = {str(k): self.icon((*loc, key, k), v) for k, v in item.items()}
            else:
                out[str(key)] = self.icon((*loc, key), item)
        return out

    def extra(self, extra: object) -> dict[str, Any]:
        chosen = self.mapping(("extra",), extra)
        out: dict[str, Any] = {}
        if chosen.get("homepage") is not None:
            out["homepage"] = self.url(("extra", "homepage"), chosen["homepage"])
        social = chosen.get("social")
        if social is not None:
            if not isinstance(social, list):
                raise self.refuse(("extra", "social"), "must be a list")
            out["social"] = []
            for index, item in enumerate(social):
                at = ("extra", "social", index)
                item = self.mapping(at, item)
                entry = {
                    "icon": self.icon((*at, "icon"), item.get("icon")),
                    "link": self.url((*at, "link"), item.get("link")),
                }
                if item.get("name") is not None:  # the theme escapes this one itself
                    entry["name"] = self.plain((*at, "name"), item["name"])
                out["social"].append(entry)
        return out

    def docs_dir(self, root: Path, value: object) -> Path | None:
        """The docs folder: a real folder inside the repository, reached
        through no symbolic link, neither hidden (``.git``) nor the
        repository itself. None when it does not exist."""
        loc = ("docs_dir",)
        if not isinstance(value, str) or not value.strip():
            raise self.refuse(loc, "must be the name of a folder in the repository, such as docs")
        parts = [p for p in value.strip().replace("\\", "/").split("/") if p not in ("", ".")]
        if value.strip().startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", value.strip()) or not parts:
            raise self.refuse(loc, "must be a folder inside the repository (a relative path such as docs)")
        if any(p == ".." or p.startswith(".") for p in parts):
            raise self.refuse(loc, "must be a folder inside the repository, not a hidden one (such as .git)")
        folder = root
        for part in parts:
            folder = folder / part
            try:
                mode = os.lstat(folder).st_mode
            except OSError:
                return None
            if stat.S_ISLNK(mode):
                raise self.refuse(
                    loc, f"{folder.relative_to(root).as_posix()} is a symbolic link, which is not followed"
                )
            if not stat.S_ISDIR(mode):
                raise self.refuse(loc, f"{folder.relative_to(root).as_posix()} is not a folder")
        return folder


def read_settings(root: Path, *, title: str | None = None, repo_url: str | None = None) -> Settings:
    """Settings from ``root/mkdocs.yml`` where there is one; ``title`` and
    ``repo_url`` override it. Raises EaError, naming the file and line, for a
    value that could publish files from outside the repository or put script
    into the pages."""
    root = Path(root)
    path = root / "mkdocs.yml"
    settings = Settings(config_path=path)
    data: dict[str, Any] = {}
    lines: dict[tuple[Any, ...], int] = {}
    if os.path.lexists(path):
        if path.is_symlink() or not path.is_file():
            raise EaError(f"{path}: is not a regular file (a symbolic link is not followed)")
        data, lines = _load(path)
    read = _Reader(path, lines)
    read.check_characters(data)
    if data.get("site_name") is not None:
        settings.site_name = read.text(("site_name",), data["site_name"])
    urls = data.get("use_directory_urls", False)
    if not isinstance(urls, bool):
        raise EaError(f"{path}: use_directory_urls must be true or false, not {urls!r}")
    settings.use_directory_urls = urls
    if data.get("theme") is not None:
        settings.theme = {**DEFAULT_THEME, **read.theme(data["theme"])}
    features = settings.theme.get("features")
    if isinstance(features, list):
        settings.theme["features"] = [f for f in features if not str(f).startswith(DROPPED_FEATURES)]
    extra = data.get("extra")
    if extra is not None:
        settings.extra = read.extra(extra)
    for key in ("site_description", "site_author"):
        if data.get(key) is not None:
            settings.passed[key] = read.text((key,), data[key])
    if data.get("copyright") is not None:
        # shown as text: "&copy;" as written still shows as the sign
        settings.passed["copyright"] = esc(html.unescape(read.plain(("copyright",), data["copyright"])))
    if data.get("site_url") is not None:
        settings.passed["site_url"] = read.url(("site_url",), data["site_url"], relative=False)
    if "docs_dir" in data:
        settings.docs_dir = read.docs_dir(root.resolve(), data["docs_dir"])
    else:
        settings.docs_dir = read.docs_dir(root.resolve(), "docs")
    if title:
        settings.site_name = esc(title)
    if repo_url:
        settings.repo_url = repo_url
    elif data.get("repo_url"):
        settings.repo_url = read.url(("repo_url",), data["repo_url"], relative=False)
    if settings.repo_url:
        edit_uri = extra.get("ea_edit_uri") if isinstance(extra, dict) else None
        settings.edit_base = edit_base(settings.repo_url, edit_uri)
    return settings


def edit_base(repo_url: str, edit_uri: object = None) -> str | None:
    """Where a content file's edit page is: the repository address, then the
    path to edit pages (GitHub ``edit/main/``, GitLab ``-/edit/main/``; Azure
    Repos takes the file and branch in the query, the branch from ``edit/<branch>/``)."""
    if url_scheme(repo_url) not in ("http", "https"):
        return None
    host = (urlsplit(repo_url).hostname or "").lower()
    if (host == "dev.azure.com" or host.endswith(".visualstudio.com")) and "/_git/" in repo_url:
        # Azure Repos names the file in the query: .../_git/repo?version=GBmain&_a=contents&path=/file.md
        branch = "main"
        if isinstance(edit_uri, str) and edit_uri.strip("/").startswith("edit/"):
            branch = edit_uri.strip("/").split("/", 1)[1] or "main"
        return f"{repo_url.split('?', 1)[0].rstrip('/')}?version=GB{quote(branch, safe='/')}&_a=contents&path=/"
    if isinstance(edit_uri, str) and url_scheme(edit_uri) in ("http", "https"):
        return edit_uri if edit_uri.endswith("/") else edit_uri + "/"
    if not isinstance(edit_uri, str) or not edit_uri.strip():
        edit_uri = "-/edit/main/" if "gitlab" in (urlsplit(repo_url).hostname or "") else "edit/main/"
    uri = edit_uri.strip().strip("/") + "/"
    return repo_url.rstrip("/") + "/" + uri


# The theme's page template, extended: page titles are escaped by the
# generator already (the theme prints them as they are), the home page is
# titled by the site's name, search works from file://, and no analytics.
MAIN_HTML = """\
{% extends "base.html" %}
{% block htmltitle %}
  {%- if page and page.is_homepage -%}
    <title>{{ config.site_name }}</title>
  {%- elif page and page.meta and page.meta.title -%}
    <title>{{ page.meta.title }} - {{ config.site_name }}</title>
  {%- elif page and page.title -%}
    <title>{{ page.title | e }} - {{ config.site_name }}</title>
  {%- else -%}
    <title>{{ config.site_name }}</title>
  {%- endif -%}
{% endblock %}
{% block analytics %}{% endblock %}
{% block header %}
  {%- if not (page and page.toc | first is defined) -%}
    <a href="#ea-main" class="md-skip">Skip to content</a>
  {%- endif -%}
  {{ super() }}
{% endblock %}
{% block container %}<span id="ea-main" tabindex="-1"></span>{{ super() }}{% endblock %}
{% block scripts %}
  <script src="{{ 'ea-assets/file-worker.js' | url }}"></script>
  {{ super() }}
{% endblock %}
{#- the theme's page settings, drawn once per folder (see generator.site.fragments) -#}
{% block config -%}
  {%- set ea_key = ea_fragments.folder_key('config', page) if ea_fragments is defined else none -%}
  {%- set ea_html = ea_fragments.get(ea_key) if ea_key is not none else none -%}
  {%- if ea_html is none -%}
    {%- set ea_html = super() -%}
    {%- if ea_key is not none -%}{%- set ea_html = ea_fragments.put(ea_key, ea_html) -%}{%- endif -%}
  {%- endif -%}
  {{- ea_html -}}
{%- endblock %}
"""

# The page for an address that leads nowhere: what to try instead.
NOT_FOUND_HTML = """\
{% extends "main.html" %}
{% block content %}
  <h1>Page not found</h1>
  <p>There is no page at this address. It may have been renamed or removed,
  or the address may be mistyped.</p>
  <p>You could:</p>
  <ul>
    <li>search for the system, capability or supplier with the search box at the top of the page</li>
    <li>look it up in the <a href="{{ 'applications/index.html' | url }}">applications register</a>
      or the <a href="{{ 'capabilities/index.html' | url }}">capabilities register</a></li>
    <li>go to the <a href="{{ 'index.html' | url }}">home page</a></li>
  </ul>
{% endblock %}
"""

# British English: the theme's English texts, with the page language en-GB.
EN_GB_HTML = """\
{% macro t(key) %}{{ {"language": "en-GB"}[key] }}{% endmacro %}
"""


def prepare_overrides(settings: Settings, folder: Path) -> None:
    """Write the theme overrides the configuration points at."""
    atomic_write(Path(folder) / "main.html", MAIN_HTML)
    atomic_write(Path(folder) / "404.html", NOT_FOUND_HTML)
    atomic_write(Path(folder) / "partials" / "languages" / "en-GB.html", EN_GB_HTML)
    fragments.prepare(Path(folder))


def mkdocs_dict(settings: Settings, *, docs_dir: Path, site_dir: Path, overrides_dir: Path) -> dict[str, Any]:
    """The whole MkDocs configuration, as MkDocs' ``load_dict`` takes it."""
    from generator.site.generate import nav

    theme = {**settings.theme, "name": "material", "custom_dir": str(overrides_dir), "font": False}
    extra = {**settings.extra, "generator": False}
    return {
        **settings.passed,
        # already escaped: marked so, the theme's own "| e" leaves it as it is
        "site_name": Markup(settings.site_name),
        "docs_dir": str(docs_dir),
        "site_dir": str(site_dir),
        "use_directory_urls": settings.use_directory_urls,
        "strict": True,
        "theme": theme,
        "nav": nav(),
        "plugins": [
            {"material/search": {"lang": ["en"]}},
            {"material/tags": {"export": False}},
        ],
        "markdown_extensions": ["toc", "attr_list", "generator.site.mdext"],
        "extra_css": ["ea-assets/ea.css"],
        "extra_javascript": ["ea-assets/ea.js"],
        "extra": extra,
        "validation": {
            "omitted_files": "info",
            "not_found": "warn",
            "absolute_links": "warn",
            "unrecognized_links": "warn",
            "anchors": "info",
        },
    }
