"""The MkDocs configuration: the council's branding from its own
``mkdocs.yml`` (or a built-in default), with what the product needs on top.

A council's file may set the site's name, description, colours, logo and
repository link. Plugins, hooks, Markdown extensions and scripts in it are
ignored (they could run code or call other sites), as are settings that
would break the product: instant navigation (the register scripts need real
page loads), web fonts, analytics and the repository widget (each a request
to another site).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import yaml

from generator.errors import EaError
from generator.site.render import esc, url_scheme
from generator.util import atomic_write

DEFAULT_TITLE = "Enterprise architecture"
DEFAULT_THEME: dict[str, Any] = {
    "language": "en-GB",
    "palette": {"scheme": "default", "primary": "indigo", "accent": "indigo"},
    "features": ["navigation.sections", "navigation.top", "search.highlight", "toc.follow"],
}
#: theme settings that are the product's, whatever the council's file says
DROPPED_FEATURES = ("navigation.instant", "content.action.edit", "content.action.view")
DROPPED_THEME_KEYS = ("name", "custom_dir", "font")
DROPPED_EXTRA_KEYS = ("analytics", "consent", "ea_edit_uri")
PASSED_KEYS = ("site_url", "site_description", "site_author", "copyright")


class _Loader(yaml.SafeLoader):
    """Safe YAML that reads MkDocs' own tags (``!ENV``, ``!!python/name``) as
    empty values instead of refusing the file or running anything."""


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
    passed: dict[str, Any] = field(default_factory=dict)
    #: the council's docs folder: logos and pictures its settings name
    docs_dir: Path | None = None


def read_settings(root: Path, *, title: str | None = None, repo_url: str | None = None) -> Settings:
    """Settings from ``root/mkdocs.yml`` where there is one; ``title`` and
    ``repo_url`` override it."""
    path = Path(root) / "mkdocs.yml"
    settings = Settings(config_path=path)
    data: dict[str, Any] = {}
    if path.is_file():
        try:
            loaded = yaml.load(path.read_text(encoding="utf-8-sig"), Loader=_Loader)
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            raise EaError(f"{path}: cannot be read as YAML: {exc}") from exc
        if loaded is None:
            loaded = {}
        if not isinstance(loaded, dict):
            raise EaError(f"{path}: expected settings (a YAML mapping), found {type(loaded).__name__}")
        data = loaded
    if data.get("site_name") is not None:
        settings.site_name = str(data["site_name"])
    urls = data.get("use_directory_urls", False)
    if not isinstance(urls, bool):
        raise EaError(f"{path}: use_directory_urls must be true or false, not {urls!r}")
    settings.use_directory_urls = urls
    theme = data.get("theme")
    if isinstance(theme, dict):
        chosen = {k: v for k, v in theme.items() if k not in DROPPED_THEME_KEYS}
        settings.theme = {**DEFAULT_THEME, **chosen}
    features = settings.theme.get("features")
    if isinstance(features, list):
        settings.theme["features"] = [f for f in features if not str(f).startswith(DROPPED_FEATURES)]
    extra = data.get("extra")
    if isinstance(extra, dict):
        settings.extra = {k: v for k, v in extra.items() if k not in DROPPED_EXTRA_KEYS}
    settings.passed = {k: data[k] for k in PASSED_KEYS if k in data}
    docs = data.get("docs_dir", "docs")
    if isinstance(docs, str) and (Path(root) / docs).is_dir():
        settings.docs_dir = Path(root) / docs
    if title:
        settings.site_name = title
    settings.repo_url = repo_url or (str(data["repo_url"]) if data.get("repo_url") else None)
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


def mkdocs_dict(settings: Settings, *, docs_dir: Path, site_dir: Path, overrides_dir: Path) -> dict[str, Any]:
    """The whole MkDocs configuration, as MkDocs' ``load_dict`` takes it."""
    from generator.site.generate import nav

    theme = {**settings.theme, "name": "material", "custom_dir": str(overrides_dir), "font": False}
    extra = {**settings.extra, "generator": False}
    return {
        **settings.passed,
        "site_name": esc(settings.site_name),
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
