"""Links between generated pages, computed (never rewritten by MkDocs), so
they are right for both of MkDocs' URL schemes: ``page.html`` (the default
here: works from file://) and ``page/``."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True, slots=True)
class Urls:
    directory_urls: bool = False

    def url(self, doc: str) -> str:
        """The site path of a docs file: ``applications/x.md`` is
        ``applications/x.html`` (or ``applications/x/``); other files keep
        their path."""
        if not doc.endswith(".md"):
            return doc
        stem = doc[:-3]
        if self.directory_urls:
            if stem == "index":
                return ""
            if stem.endswith("/index"):
                return stem[: -len("index")]
            return stem + "/"
        return stem + ".html"

    def href(self, src: str, dst: str) -> str:
        """A relative link from the page of docs file ``src`` to ``dst``."""
        here = self.url(src)
        base = here if (here == "" or here.endswith("/")) else posixpath.dirname(here)
        return _relative(self.url(dst), base)


@lru_cache(maxsize=65536)
def _relative(target: str, base: str) -> str:
    """``target`` relative to the folder ``base``. Remembered: pages sit in a
    few folders and link to the same pages (``posixpath.relpath`` was a
    tenth of page generation)."""
    rel = posixpath.relpath(target or ".", base or ".")
    if target == "" or target.endswith("/"):
        rel = "./" if rel == "." else rel + "/"
    return rel
