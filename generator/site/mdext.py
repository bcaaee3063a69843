"""A Markdown extension that passes generated HTML through untouched.

Pages are Markdown (so MkDocs gives them headings, a table of contents and
search), but most of a page is HTML that the generator has already built
and escaped. Wrapped in :func:`block`, it is stashed before Markdown parses
anything, so a value like ``*x*`` or ``[a](b)`` can never become markup, and
large tables cost nothing to "parse".

With ``defer`` on (as ``ea build`` runs it), a large block-level block is
not even held: the page keeps a marker in its place and
:class:`DeferredBlocks` puts the block back from the page's source file just
before the page is written. MkDocs renders every page before it writes any,
so without this the whole site's HTML (inline diagrams, long tables) sat in
memory at once; with it one page's does.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from markdown import Extension, Markdown, util
from markdown.postprocessors import RawHtmlPostprocessor
from markdown.preprocessors import Preprocessor

from generator.documents.bodylinks import bound_link_parsing

BEGIN = "<!-- ea:html -->"
END = "<!-- /ea:html -->"
#: what stands for a deferred block in a rendered page (the number is the
#: block's place among the page's blocks)
MARKER = "<!-- ea:deferred {} -->"
_MARKER = re.compile(r"<!-- ea:deferred (\d+) -->")
#: blocks shorter than this are kept: a marker would save nothing
DEFER_FROM = 2000


def block(html: str) -> str:
    """Markdown source that becomes exactly ``html``. The markers cannot occur
    in escaped content (it holds no ``<``)."""
    return f"\n\n{BEGIN}\n{html}\n{END}\n\n"


def blocks(lines: list[str]) -> list[str]:
    """The blocks of a page's (whitespace-normalised) Markdown lines, in order."""
    out: list[str] = []
    held: list[str] | None = None
    for line in lines:
        if held is None:
            if line == BEGIN:
                held = []
        elif line == END:
            out.append("\n".join(held))
            held = None
        else:
            held.append(line)
    return out


class _Passthrough(Preprocessor):
    def __init__(self, md: Markdown, defer: bool) -> None:
        super().__init__(md)
        self.defer = defer

    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        held: list[str] | None = None
        count = 0
        for line in lines:
            if held is None:
                if line == BEGIN:
                    held = []
                else:
                    out.append(line)
            elif line == END:
                html = "\n".join(held)
                if self.defer and len(html) >= DEFER_FROM and self._block_level(html):
                    html = MARKER.format(count)
                count += 1
                out.extend(["", self.md.htmlStash.store(html), ""])
                held = None
            else:
                held.append(line)
        if held is not None:  # unterminated: keep it as it was written
            out.extend([BEGIN, *held])
        return out

    def _block_level(self, html: str) -> bool:
        """Whether Markdown leaves the block unwrapped, as it does the
        marker (a comment): only then is the marker's page the same."""
        match = RawHtmlPostprocessor.BLOCK_LEVEL_REGEX.match(html)
        return bool(match) and (match.group(1)[0] in "!?@%" or self.md.is_block_level(match.group(1)))


class PassthroughExtension(Extension):
    def __init__(self, **kwargs: Any) -> None:
        self.config = {"defer": [False, "Leave large blocks out of the rendered page, for DeferredBlocks."]}
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        md.preprocessors.register(_NormalizeWhitespace(md), "normalize_whitespace", 30)  # in place of Markdown's
        # after whitespace normalising (30); before fenced code (25), which
        # would otherwise search the generated HTML for fences, and the HTML
        # block preprocessor (20)
        md.preprocessors.register(_Passthrough(md, bool(self.getConfig("defer"))), "ea-passthrough", 27)
        # what is left outside the blocks (headings with names in them) is
        # parsed in linear time too
        bound_link_parsing(md)


def makeExtension(**kwargs: object) -> PassthroughExtension:
    return PassthroughExtension(**kwargs)


#: a line of spaces only (not the first): Markdown's own pattern for it,
#: ``(?<=\n) +\n``, starts with a look-behind and so is tried at every
#: character of a page; this one starts at line breaks and finds the same
_BLANK_LINE = re.compile(r"\n +(?=\n)")


def normalise(source: str, tab_length: int = 4) -> list[str]:
    """The lines the passthrough sees: what Markdown's own first step
    (``NormalizeWhitespace``) makes of the source."""
    source = source.replace(util.STX, "").replace(util.ETX, "")
    source = source.replace("\r\n", "\n").replace("\r", "\n") + "\n\n"
    source = source.expandtabs(tab_length)
    return _BLANK_LINE.sub("\n", source).split("\n")


class _NormalizeWhitespace(Preprocessor):
    """Markdown's first step, the same lines made faster (see ``_BLANK_LINE``)."""

    def run(self, lines: list[str]) -> list[str]:
        return normalise("\n".join(lines), self.md.tab_length)


def restore(content: str, source: str) -> str:
    """``content`` with each deferred block's marker replaced by the block,
    read from the page's Markdown ``source`` (its body, without front matter)."""
    if "<!-- ea:deferred " not in content:
        return content
    found = blocks(normalise(source))
    return _MARKER.sub(lambda m: found[int(m.group(1))], content)


def install(cfg: Any) -> None:
    """Turn deferral on in a validated MkDocs configuration that uses this
    extension, and register the handlers that undo it."""
    from mkdocs.plugins import BasePlugin, event_priority
    from mkdocs.utils.meta import get_data

    name = "generator.site.mdext"
    if name not in cfg.markdown_extensions:
        return

    class DeferredBlocks(BasePlugin):  # type: ignore[type-arg]
        """A page's Markdown is let go once it is rendered, and its deferred
        blocks are put back just before its template is rendered, before any
        other plugin sees the page."""

        @event_priority(-100)  # the last to see the content
        def on_page_content(self, html: str, *, page: Any, config: Any, files: Any) -> str:
            page.markdown = ""  # the title is the front matter's; nothing else reads it
            return html

        @event_priority(100)  # the first to see the page's context
        def on_page_context(self, context: Any, *, page: Any, config: Any, nav: Any) -> Any:
            if page.content and "<!-- ea:deferred " in page.content:
                text = Path(page.file.abs_src_path).read_text(encoding="utf-8-sig")
                page.content = restore(page.content, get_data(text)[0])
            return context

    cfg.mdx_configs[name] = {**cfg.mdx_configs.get(name, {}), "defer": True}
    cfg.plugins["ea/deferred-blocks"] = DeferredBlocks()
