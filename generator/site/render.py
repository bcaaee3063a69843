"""Safe HTML: escaping for values, link checks, and the Markdown bodies
architects write, rendered so that nothing in them can run or call out.

A body may hold any Markdown, but raw HTML in it is shown as text, links
keep only web and mail addresses (or lead to another page or a file of the
repository, which is then copied into the site), pictures from other sites
become links (no request leaves the site), and headings sit below the
page's own headings.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import markdown
from markdown.treeprocessors import Treeprocessor

from generator.documents.bodylinks import body_parser, convert, line_of, published_name, resolve, url_scheme
from generator.site.urls import Urls

SAFE_LINK_SCHEMES = ("http", "https", "mailto")
_REL = ' rel="noopener noreferrer"'


def esc(value: object) -> str:
    """Text as HTML (also safe inside a quoted attribute). Markdown
    characters stay as they are: generated HTML never goes through Markdown."""
    return html.escape(str(value), quote=True)


def external_link(url: str, text: str | None = None) -> str:
    """A link to a web address, or the address as plain text when it is not
    http(s) (a ``javascript:`` website is never made a link)."""
    label = esc(url if text is None else text)
    if url_scheme(url) in ("http", "https"):
        return f'<a href="{esc(url.strip())}"{_REL}>{label}</a>'
    return label


@dataclass(frozen=True, slots=True)
class LinkProblem:
    source: str  # the content file, relative to the repository
    target: str  # the link as written
    line: int = 1  # where it is written in the file
    problem: str = "does not lead to a page or a file in the repository"


@dataclass
class BodyLinks:
    """Resolves relative links in bodies: to generated pages (``pages`` maps
    a content file to its docs file) or to other files of the repository,
    which are copied under ``files/``. Problems are collected, not raised."""

    root: Path
    urls: Urls
    pages: dict[str, str]
    copies: dict[str, str] = field(default_factory=dict)
    problems: list[LinkProblem] = field(default_factory=list)

    def resolve(self, target: str, *, source: str, from_doc: str, line: int = 1) -> str | None:
        """The href for a relative link, or None (and a problem, on ``line``)
        when it leads nowhere that may be published (``generator.documents.bodylinks``
        decides, for ``ea validate`` too)."""
        found = resolve(self.root, source, target, self.pages)
        if found.problem is not None:
            self.problems.append(LinkProblem(source, target, line, found.problem))
            return None
        if not found.path:
            return target  # a link within the page
        if found.page:
            return self.urls.href(from_doc, self.pages[found.path]) + found.suffix
        copied = "files/" + published_name(found.path)
        self.copies[found.path] = copied
        return self.urls.href(from_doc, copied) + found.suffix


class _Sanitise(Treeprocessor):
    """Checks every link and picture, and moves headings two levels down."""

    def __init__(self, md: markdown.Markdown, renderer: BodyRenderer) -> None:
        super().__init__(md)
        self.renderer = renderer

    def run(self, root: ET.Element) -> None:
        for parent in list(root.iter()):
            for index, el in enumerate(list(parent)):
                if el.tag == "a":
                    self._link(el)
                elif el.tag == "img":
                    parent.remove(el)
                    parent.insert(index, self._picture(el))
                elif re.fullmatch(r"h[1-6]", el.tag):
                    el.tag = f"h{min(6, int(el.tag[1]) + 2)}"

    def _link(self, el: ET.Element) -> None:
        href = el.attrib.pop("href", "") or ""
        title = el.attrib.pop("title", None)
        el.attrib.clear()
        scheme = url_scheme(href)
        if scheme in ("http", "https"):
            el.set("href", href.strip())
            if title:
                el.set("title", title)
            el.set("rel", "noopener noreferrer")
        elif scheme == "mailto":
            el.set("href", href.strip())
        elif scheme is None and href.strip():
            resolved = self.renderer.resolve(href.strip())
            if resolved is not None:
                el.set("href", resolved)

    def _picture(self, el: ET.Element) -> ET.Element:
        src = (el.get("src") or "").strip()
        alt = el.get("alt") or ""
        scheme = url_scheme(src)
        if scheme in ("http", "https"):
            out = ET.Element("a", {"href": src, "rel": "noopener noreferrer"})
            out.text = f"{alt or 'picture'} (picture on another site)"
        elif scheme is None and src:
            resolved = self.renderer.resolve(src)
            if resolved is None:
                out = ET.Element("span")
                out.text = f"[{alt}]"
            else:
                out = ET.Element("img", {"src": resolved, "alt": alt})
        else:
            out = ET.Element("span")
            out.text = f"[{alt}]"
        out.tail = el.tail
        return out


class BodyRenderer:
    """Turns bodies into safe HTML. One Markdown instance is reused (reset
    between bodies): building one per page would cost more than rendering."""

    def __init__(self, links: BodyLinks) -> None:
        self.links = links
        self._md = body_parser()
        self._md.treeprocessors.register(_Sanitise(self._md, self), "ea-sanitise", 0)
        self._source = ""
        self._from_doc = ""
        self._body = ""
        self._first_line = 1

    def resolve(self, target: str) -> str | None:
        return self.links.resolve(target, source=self._source, from_doc=self._from_doc, line=self._line_of(target))

    def _line_of(self, target: str) -> int:
        """The file line where ``target`` is first written (the body's first
        line when it is not found as written)."""
        return line_of(self._body, target, self._first_line)

    def render(self, body: str, *, source: str, from_doc: str, first_line: int = 1) -> str:
        """HTML of ``body`` (from content file ``source``, where it starts on
        ``first_line``) for the page of docs file ``from_doc``."""
        self._source, self._from_doc = source, from_doc
        self._body, self._first_line = body, first_line
        try:
            return convert(self._md, body)
        except RecursionError:  # nested too deeply to parse (EA133): shown as written
            return f"<pre>{esc(body)}</pre>"
