"""Parts of the theme's page template that come out the same on many pages,
drawn once and reused.

The theme draws the whole navigation again for every page, and the page
settings it passes to its scripts: on a large estate that was a third of the
time spent in its templates. Neither differs between pages that share what
it depends on:

- the navigation, for a page it does not list (every entity page), depends
  only on the folder the page's links are relative to, as nothing in it is
  marked current; a page it lists is drawn as the theme draws it;
- the page settings depend only on that folder too.

Each is drawn by the theme's own template the first time and reused after,
so a page is byte for byte what the theme would have made.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

from generator.core.util import atomic_write

#: the theme's navigation template, and the name its copy is kept under
NAV = "partials/nav.html"
THEME_NAV = "partials/ea-theme-nav.html"

# In place of the theme's navigation: its own template (copied under another
# name), drawn once per folder for the pages it does not list.
NAV_HTML = """\
{#- The theme's navigation, drawn once for all the pages of a folder that
    it does not list (see generator.site.fragments). -#}
{%- set ea_key = ea_fragments.nav_key(page, nav) if ea_fragments is defined else none -%}
{%- set ea_html = ea_fragments.get(ea_key) if ea_key is not none else none -%}
{%- if ea_html is none -%}
  {%- set ea_html -%}{% include "partials/ea-theme-nav.html" %}{%- endset -%}
  {%- if ea_key is not none -%}{%- set ea_html = ea_fragments.put(ea_key, ea_html) -%}{%- endif -%}
{%- endif -%}
{{- ea_html -}}
"""


def prepare(folder: Any) -> bool:
    """Write the navigation template beside the other theme overrides in
    ``folder``, with a copy of the theme's own. False (and nothing written)
    where the theme has no such template: it is then drawn as it is."""
    try:
        theme_nav = (resources.files("material") / "templates" / NAV).read_text(encoding="utf-8")
    except (ModuleNotFoundError, OSError):
        return False
    atomic_write(folder / THEME_NAV, theme_nav)
    atomic_write(folder / NAV, NAV_HTML)
    return True


class Fragments:
    """What was drawn once, by key; given to the templates as ``ea_fragments``."""

    def __init__(self) -> None:
        self._drawn: dict[tuple[str, str], str] = {}

    def get(self, key: tuple[str, str]) -> str | None:
        return self._drawn.get(key)

    def put(self, key: tuple[str, str], html: str) -> str:
        self._drawn[key] = html
        return html

    @staticmethod
    def nav_key(page: Any, nav: Any) -> tuple[str, str] | None:
        """For a page the navigation does not list, the folder its links are
        relative to; None for a page it lists (drawn with that page marked
        current) or no page."""
        folder = _folder(page)
        if folder is None or nav is None or any(listed is page or listed == page for listed in nav.pages):
            return None
        return ("nav", folder)

    @staticmethod
    def config_key(page: Any) -> tuple[str, str] | None:
        """The folder of the page: its settings hold addresses relative to it."""
        folder = _folder(page)
        return None if folder is None else ("config", folder)


def _folder(page: Any) -> str | None:
    """The folder a page's relative links start from, as MkDocs' ``url``
    filter takes it (``a/b.html``: ``a``; ``a/b/``: itself)."""
    url = getattr(page, "url", None)
    if not isinstance(url, str):
        return None
    folder, _, name = url.rpartition("/")
    return folder if "." in name else url


def install(cfg: Any) -> None:
    """Give the templates of a validated MkDocs configuration a fresh
    ``ea_fragments`` (one per build: nothing is kept from another)."""
    from mkdocs.plugins import BasePlugin

    class DrawnOnce(BasePlugin):  # type: ignore[type-arg]
        def on_env(self, env: Any, *, config: Any, files: Any) -> Any:
            env.globals["ea_fragments"] = Fragments()
            return env

    cfg.plugins["ea/fragments"] = DrawnOnce()
