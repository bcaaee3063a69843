"""Relative links in the Markdown bodies of content files: how a body is
parsed, where each link leads and which repository files may be published.

One place for both ``ea validate`` (which reports a link that leads nowhere,
EA132) and the site (which makes it a link, or copies the file under
``files/``), so a body that validates always builds.

A linked file is published only when it is a regular file inside the
repository, reached through no symbolic link and no hidden folder (``.git``
holds the CI token), and not active content (HTML, SVG, scripts: opened
from the site, they would run in its origin).
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import hashlib
import importlib.util
import json
import os
import posixpath
import re
import stat
import xml.etree.ElementTree as ET
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.core.findings import Finding
from generator.core.util import atomic_write, read_regular
from generator.documents.document import MAX_FILE_BYTES, body_of

if TYPE_CHECKING:  # Markdown itself is imported only when a body is parsed: most runs parse none
    import markdown
    from markdown import inlinepatterns

#: File types a browser runs or renders as a document of the site's origin.
ACTIVE_SUFFIXES = frozenset(
    {".htm", ".html", ".js", ".mjs", ".shtml", ".svg", ".svgz", ".swf", ".xht", ".xhtml", ".xml", ".xsl", ".xslt"}
)
#: an address and title longer than this is not read as a link
MAX_LINK_CHARS = 2048
#: File types published under their own name: documents, pictures, data and
#: archives, which a browser shows or downloads without running anything.
#: Any other file is published with ``.txt`` added (a Markdown file that is
#: not an entity would otherwise become a page, and a file with no known type
#: may be sniffed as HTML), so it opens as plain text.
DOWNLOAD_SUFFIXES = frozenset(
    {
        *(".avif", ".bmp", ".gif", ".ico", ".jpeg", ".jpg", ".png", ".tif", ".tiff", ".webp"),
        *(".csv", ".doc", ".docx", ".json", ".odg", ".odp", ".ods", ".odt", ".pdf", ".ppt", ".pptx"),
        *(".rtf", ".txt", ".vsd", ".vsdx", ".xls", ".xlsm", ".xlsx", ".zip", ".mp3", ".mp4", ".msg"),
    }
)
#: lists and quotes nested deeper than this are refused (EA133): Python-Markdown
#: parses each level by recursion, and a few hundred levels stop the build
MAX_LIST_DEPTH = 20
#: above this many runs of ``*`` or ``_`` in one body, they are shown as
#: written, not as emphasis: Python-Markdown's emphasis patterns take time
#: growing faster than the body (400 KB of ``*a`` took minutes); real text has
#: a few dozen
MAX_EMPHASIS_RUNS = 2000
_LIST_LINE = re.compile(r"^([ \t]*)((?:(?:[*+-]|\d{1,9}[.)])[ \t]+|>[ \t]?)+)", re.M)
_LIST_MARKER = re.compile(r"[*+-](?=[ \t])|\d{1,9}[.)](?=[ \t])|>")
_EMPHASIS_RUN = re.compile(r"[*_]+")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_STRIPPED = re.compile(r"[\t\n\r]")


def url_scheme(url: str) -> str | None:
    """The scheme of an address as a browser reads it: tabs and line breaks
    anywhere are ignored, as are leading spaces and control characters."""
    cleaned = _STRIPPED.sub("", url).lstrip("".join(chr(c) for c in range(0x21)))
    match = _SCHEME.match(cleaned)
    return match.group(1).lower() if match else None


# --- parsing ---------------------------------------------------------------------------------------------------


class _Brackets:
    """Python-Markdown finds the end of ``[text]`` by scanning forward from
    every ``[``, and the end of ``(address)`` likewise: a body of 30,000
    ``[`` took minutes. This finds the end of the text from a table of
    bracket depths made once per text, so each lookup is a binary search
    (same results: the first place after ``index`` where the depth falls
    below the depth at ``index``), and looks for the end of an address within
    a bounded distance. Parsing time grows linearly with the body."""

    _data: str | None = None
    _depth: list[int]
    _where: dict[int, list[int]]

    def getText(self, data: str, index: int) -> tuple[str, int, bool]:
        if data is not self._data:
            depth, where, level = [0], {0: [0]}, 0
            for pos, ch in enumerate(data, start=1):
                level += (ch == "[") - (ch == "]")
                depth.append(level)
                where.setdefault(level, []).append(pos)
            self._data, self._depth, self._where = data, depth, where
        wanted = self._depth[index] - 1
        ends = self._where.get(wanted, [])
        at = bisect.bisect_right(ends, index)
        if at == len(ends):
            return "", len(data), False
        end = ends[at]  # the position just after the closing bracket
        return data[index : end - 1], end, True

    def getLink(self, data: str, index: int) -> tuple[str, str | None, int, bool]:
        """The ``(address "title")`` after ``[text]``, looked for within
        ``MAX_LINK_CHARS``: the library scans to the end of the text for
        the closing parenthesis, again for every link."""
        window = data[: index + MAX_LINK_CHARS]
        if ")" not in window[index:]:
            return "", None, index, False
        return super().getLink(window, index)  # type: ignore[misc]


@functools.cache
def _bounded(cls: type[inlinepatterns.LinkInlineProcessor]) -> type[inlinepatterns.LinkInlineProcessor]:
    return type(f"Bounded{cls.__name__}", (_Brackets, cls), {})


def bound_link_parsing(md: markdown.Markdown) -> None:
    """Make ``md``'s link patterns (links, pictures, references) find their
    closing brackets in linear time (see ``_Brackets``). Each keeps its place
    and pattern: only its class changes."""
    from markdown import inlinepatterns

    for pattern in md.inlinePatterns:
        if isinstance(pattern, inlinepatterns.LinkInlineProcessor) and not isinstance(pattern, _Brackets):
            pattern.__class__ = _bounded(type(pattern))


@functools.cache
def _classes() -> tuple[type[Any], type[Any]]:
    """The parser's own processors, made on first use (see the imports)."""
    from markdown.extensions.fenced_code import FencedBlockPreprocessor
    from markdown.treeprocessors import Treeprocessor

    class FencedCode(FencedBlockPreprocessor):
        """Fenced code whose ``{ ... }`` keeps only the language: no id, no
        other class and no options. A class can switch on the theme's scripts
        (``pre.mermaid`` loads Mermaid from unpkg.com) and an id can clobber
        the page's own."""

        def handle_attrs(self, attrs: Iterable[tuple[str, str | None]]) -> tuple[str, list[str], dict[str, Any]]:
            _, classes, _ = super().handle_attrs(attrs)
            return "", classes[:1], {}

    class Collect(Treeprocessor):
        """Gathers the relative addresses of links and pictures."""

        def __init__(self, md: markdown.Markdown) -> None:
            super().__init__(md)
            self.found: list[str] = []

        def run(self, root: ET.Element) -> None:
            for el in root.iter():
                value = el.get("href") if el.tag == "a" else el.get("src") if el.tag == "img" else None
                if value and value.strip() and url_scheme(value) is None:
                    self.found.append(value.strip())

    return FencedCode, Collect


def body_parser() -> markdown.Markdown:
    """The Markdown parser of bodies: raw HTML is text (without these two
    deregistrations Markdown would pass it through), fenced code keeps only
    its language, link parsing is linear."""
    import markdown

    md = markdown.Markdown(extensions=["tables", "sane_lists", "fenced_code"], output_format="html")
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    fenced = md.preprocessors["fenced_code_block"]
    md.preprocessors.register(_classes()[0](md, fenced.config), "fenced_code_block", 25)
    bound_link_parsing(md)
    return md


def list_depth(body: str) -> tuple[int, int] | None:
    """(line within the body, from 0; depth) of the first line whose lists
    and quotes are nested deeper than ``MAX_LIST_DEPTH``, or None. A level is
    a marker (``-``, ``1.``, ``>``) or four columns of indentation before
    one, as Python-Markdown counts them."""
    for match in _LIST_LINE.finditer(body):
        depth = len(match.group(1).expandtabs(4)) // 4 + len(_LIST_MARKER.findall(match.group(2)))
        if depth > MAX_LIST_DEPTH:
            return body.count("\n", 0, match.start()), depth
    return None


def convert(md: markdown.Markdown, body: str) -> str:
    """``md.convert(body)``, with emphasis left as written in a body of more
    than ``MAX_EMPHASIS_RUNS`` runs of ``*`` or ``_``, so the time taken
    grows with the body's length. The parser is reset before and after."""
    runs = 0
    for _ in _EMPHASIS_RUN.finditer(body):
        runs += 1
        if runs > MAX_EMPHASIS_RUNS:
            break
    held = []
    if runs > MAX_EMPHASIS_RUNS:
        priorities = {item.name: item.priority for item in md.inlinePatterns._priority}
        for name in ("em_strong", "em_strong2", "not_strong"):
            if name in md.inlinePatterns:
                held.append((md.inlinePatterns[name], name, priorities[name]))
                md.inlinePatterns.deregister(name)
    try:
        return md.reset().convert(body)
    finally:
        md.reset()
        for pattern, name, priority in held:
            md.inlinePatterns.register(pattern, name, priority)


def line_of(body: str, target: str, first_line: int) -> int:
    """The file line where ``target`` is first written in a body starting on
    ``first_line`` (that line when it is not found as written)."""
    at = body.find(target)
    return first_line + (body.count("\n", 0, at) if at >= 0 else 0)


class LinkFinder:
    """The relative links of bodies, as the site's renderer sees them."""

    def __init__(self) -> None:
        self._md = body_parser()
        self._collect = _classes()[1](self._md)
        self._md.treeprocessors.register(self._collect, "ea-collect", 0)

    def links(self, body: str, first_line: int = 1) -> list[tuple[str, int]]:
        """(target, line) of each relative link and picture, in order."""
        if "[" not in body:
            return []  # no link without a bracket: most bodies are never parsed
        self._collect.found = []
        try:
            convert(self._md, body)
        except RecursionError:  # nested too deeply to parse: EA133 says so
            return []
        return [(target, line_of(body, target, first_line)) for target in self._collect.found]


#: What validation needs of a body: its relative links as (target, line) and
#: where its lists nest too deeply ([line, depth]), or None.
BodyScan = tuple[list[tuple[str, int]], list[int] | None]


@functools.cache  # one parser per process: bodies are parsed one after another
def _finder() -> LinkFinder:
    return LinkFinder()


def scan_body(body: str, body_line: int) -> BodyScan:
    """A body's links and too-deep nesting (see ``BodyScan``), read where the
    file is parsed (in the loader's worker processes on a cold run), so the
    check need not read every file again."""
    found = list_depth(body) if body else None
    deep = [body_line + found[0], found[1]] if found is not None else None
    links = _finder().links(body, body_line) if body and "[" in body else []
    return links, deep


# --- resolving -------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Resolved:
    """Where a relative link leads: ``path`` (a repository path; "" for a
    place in the same page) and ``suffix`` (``#part``), or a ``problem``."""

    path: str = ""
    suffix: str = ""
    page: bool = False
    problem: str | None = None


def resolve(root: Path, source: str, target: str, pages: Collection[str]) -> Resolved:
    """Where ``target``, written in the body of content file ``source``,
    leads: a page (``pages`` holds the content files with one), a repository
    file that may be published, or nowhere (with the reason)."""
    path, hash_, fragment = target.partition("#")
    path = path.split("?", 1)[0]
    suffix = hash_ + fragment
    if not path:
        return Resolved("", suffix)
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(source), path))
    if path.startswith("/") or joined.startswith("../") or joined == "..":
        return Resolved(problem="leads outside the repository")
    if joined in pages:
        return Resolved(joined, suffix, page=True)
    problem = file_problem(root, joined)
    if problem is not None:
        return Resolved(problem=problem)
    return Resolved(joined, suffix)


def published_name(rel: str) -> str:
    """The name repository file ``rel`` is published under (see
    ``DOWNLOAD_SUFFIXES``)."""
    return rel if posixpath.splitext(rel)[1].lower() in DOWNLOAD_SUFFIXES else rel + ".txt"


def file_problem(root: Path, rel: str) -> str | None:
    """Why repository file ``rel`` may not be published, or None when it may:
    each step of its path is checked without following links."""
    parts = rel.split("/")
    if any(part.startswith(".") for part in parts):
        return "is in a hidden folder or is a hidden file, which is never published"
    suffix = posixpath.splitext(rel)[1].lower()
    if suffix in ACTIVE_SUFFIXES:
        return f"is a {suffix} file, which would run in the site's pages: publish it as a PDF or picture instead"
    current = Path(root)
    for index, part in enumerate(parts):
        current = current / part
        try:
            mode = os.lstat(current).st_mode
        except OSError:
            return "does not lead to a page or a file in the repository"
        if stat.S_ISLNK(mode):
            return "leads through a symbolic link, which is not followed"
        last = index == len(parts) - 1
        if last and not stat.S_ISREG(mode):
            return "does not lead to a page or a file in the repository"
        if not last and not stat.S_ISDIR(mode):
            return "does not lead to a page or a file in the repository"
    return None


# --- validation ------------------------------------------------------------------------------------------------

_MEMO = "body-links.json"


def _memo_version() -> str:
    """Changes with this module and with the Markdown library (read from its
    files, without importing it)."""
    h = hashlib.sha256(Path(__file__).read_bytes())
    spec = importlib.util.find_spec("markdown")
    if spec is not None and spec.origin:
        with contextlib.suppress(OSError):
            h.update(Path(spec.origin).with_name("__meta__.py").read_bytes())
    return h.hexdigest()[:16]


def check_body_links(
    root: Path, sources: Iterable[Any], pages: Collection[str], memo_dir: Path | None = None
) -> list[Finding]:
    """EA132 for each relative link in a body that leads nowhere the site can
    link to, at its line. ``sources`` are the loader's sources (path, stamp,
    root, body). The links found in each file are remembered in ``memo_dir`` by the
    file's stamp (as JSON: a memo cannot run code), so a re-run parses only
    edited bodies; where the links lead is worked out again every run. A
    source parsed in this run brings its body's links (``scan_body``)."""
    memo: dict[str, Any] = {}
    version = _memo_version()
    if memo_dir is not None:
        try:
            stored = json.loads((memo_dir / _MEMO).read_text(encoding="utf-8"))
            if isinstance(stored, dict) and stored.get("version") == version and isinstance(stored.get("files"), dict):
                memo = stored["files"]
        except (OSError, ValueError):
            memo = {}
    fresh: dict[str, Any] = {}
    findings: list[Finding] = []
    for src in sources:
        stamp = list(src.stamp) if isinstance(src.stamp, tuple) and all(isinstance(v, int) for v in src.stamp) else None
        held = memo.get(src.path)
        deep: list[int] | None = None
        scanned: BodyScan | None = getattr(src, "body", None)
        if scanned is not None:  # read when the file was parsed, in this run
            links, deep = scanned
        elif stamp is not None and isinstance(held, list) and len(held) == 3 and held[0] == stamp:
            links = [(str(t), int(n)) for t, n in held[1]]
            deep = [int(n) for n in held[2]] if isinstance(held[2], list) and len(held[2]) == 2 else None
        else:  # the page text as the parse splits it, read again (no YAML read)
            try:
                raw = read_regular((getattr(src, "root", None) or root) / src.path, MAX_FILE_BYTES)
            except OSError:
                raw = b""
            links, deep = scan_body(*body_of(raw))
        if stamp is not None:
            fresh[src.path] = [stamp, [list(item) for item in links], deep]
        if deep is not None:
            findings.append(
                Finding(
                    "EA133",
                    src.path,
                    deep[0],
                    f"a list or quote is nested {deep[1]:,} levels deep here; at most {MAX_LIST_DEPTH} are shown",
                    f"nest lists at most {MAX_LIST_DEPTH} levels deep (indent by four spaces per level)",
                )
            )
        for target, line in links:
            found = resolve(root, src.path, target, pages)
            if found.problem is not None:
                findings.append(
                    Finding(
                        "EA132",
                        src.path,
                        line,
                        f"the link '{target}' {found.problem}",
                        "link to a content file (its page) or a file in the repository, with a path relative "
                        "to this file",
                    )
                )
    if memo_dir is not None and fresh != memo:
        # an optimisation: a read-only cache must not fail validation
        with contextlib.suppress(OSError):
            text = json.dumps({"version": version, "files": fresh}, sort_keys=True)
            atomic_write(memo_dir / _MEMO, text, private=True)
    return findings
