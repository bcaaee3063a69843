"""Parts of the theme's page template that come out the same on many pages,
drawn once and reused.

The theme draws the whole navigation again for every page, and the page
settings it passes to its scripts and its search box: on a large estate that
was a third of the time spent in its templates. None differs between pages
that share what it depends on:

- the navigation, for a page it does not list (every entity page), depends
  only on the folder the page's links are relative to, as nothing in it is
  marked current; a page it lists is drawn as the theme draws it;
- the page settings and the search box depend only on that folder too;
- the theme's texts (its words for "Search", "Back to top" and the rest)
  are the same on every page.

Each is drawn by the theme's own template the first time and reused after,
so a page is byte for byte what the theme would have made.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from generator.core.util import atomic_write

#: the theme's templates drawn once and reused: for each, the name its copy
#: is kept under and how the key it is kept by is found (None: drawn anew)
PARTIALS = {
    "partials/nav.html": ("partials/ea-theme-nav.html", "ea_fragments.nav_key(page, nav)"),
    "partials/search.html": ("partials/ea-theme-search.html", "ea_fragments.folder_key('search', page)"),
}

# In place of one of the theme's templates: its own (copied under another
# name), drawn once per key.
TEMPLATE = """\
{{#- The theme's {name}, drawn once per key (see generator.site.fragments). -#}}
{{%- set ea_key = {key} if ea_fragments is defined else none -%}}
{{%- set ea_html = ea_fragments.get(ea_key) if ea_key is not none else none -%}}
{{%- if ea_html is none -%}}
  {{%- set ea_html -%}}{{% include "{copy}" %}}{{%- endset -%}}
  {{%- if ea_key is not none -%}}{{%- set ea_html = ea_fragments.put(ea_key, ea_html) -%}}{{%- endif -%}}
{{%- endif -%}}
{{{{- ea_html -}}}}
"""


#: the theme's texts (``lang.t``), each looked up once per build: the theme
#: looks each up again wherever it is used, through two language files
LANGUAGE = ("partials/language.html", "partials/ea-theme-language.html")
LANGUAGE_HTML = """\
{#- The theme's texts, each looked up once per build (see generator.site.fragments). -#}
{% import "partials/ea-theme-language.html" as theirs with context %}
{% macro t(key) %}{{ ea_fragments.text(key, theirs.t) if ea_fragments is defined else theirs.t(key) }}{% endmacro %}
"""


def prepare(folder: Path) -> None:
    """Write, beside the other theme overrides in ``folder``, each template
    of ``PARTIALS`` with a copy of the theme's own. One the theme does not
    have is left to it."""
    for name, (copy, key) in PARTIALS.items():
        try:
            theirs = (resources.files("material") / "templates" / name).read_text(encoding="utf-8")
        except (ModuleNotFoundError, OSError):
            continue
        atomic_write(folder / copy, theirs)
        atomic_write(folder / name, TEMPLATE.format(name=name, key=key, copy=copy))
    name, copy = LANGUAGE
    try:
        theirs = (resources.files("material") / "templates" / name).read_text(encoding="utf-8")
    except (ModuleNotFoundError, OSError):
        return
    atomic_write(folder / copy, theirs)
    atomic_write(folder / name, LANGUAGE_HTML)


class Fragments:
    """What was drawn once, by key; given to the templates as ``ea_fragments``."""

    def __init__(self) -> None:
        self._drawn: dict[tuple[str, str], str] = {}
        self._texts: dict[str, str] = {}

    def text(self, key: str, lookup: Any) -> str:
        """The theme's text ``key``, found with ``lookup`` the first time."""
        found = self._texts.get(key)
        if found is None:
            found = self._texts[key] = str(lookup(key))
        return found

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
    def folder_key(what: str, page: Any) -> tuple[str, str] | None:
        """``what`` for the folder of the page: the same for all its pages
        (its addresses are relative to that folder), or None for no page."""
        folder = _folder(page)
        return None if folder is None else (what, folder)


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
