"""A Markdown extension that passes generated HTML through untouched.

Pages are Markdown (so MkDocs gives them headings, a table of contents and
search), but most of a page is HTML that the generator has already built
and escaped. Wrapped in :func:`block`, it is stashed before Markdown parses
anything, so a value like ``*x*`` or ``[a](b)`` can never become markup, and
large tables cost nothing to "parse".
"""

from __future__ import annotations

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

from generator.bodylinks import bound_link_parsing

BEGIN = "<!-- ea:html -->"
END = "<!-- /ea:html -->"


def block(html: str) -> str:
    """Markdown source that becomes exactly ``html``. The markers cannot occur
    in escaped content (it holds no ``<``)."""
    return f"\n\n{BEGIN}\n{html}\n{END}\n\n"


class _Passthrough(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        held: list[str] | None = None
        for line in lines:
            if held is None:
                if line == BEGIN:
                    held = []
                else:
                    out.append(line)
            elif line == END:
                out.extend(["", self.md.htmlStash.store("\n".join(held)), ""])
                held = None
            else:
                held.append(line)
        if held is not None:  # unterminated: keep it as it was written
            out.extend([BEGIN, *held])
        return out


class PassthroughExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        # before the HTML block preprocessor (20), after whitespace normalising (30)
        md.preprocessors.register(_Passthrough(md), "ea-passthrough", 25)
        # what is left outside the blocks (headings with names in them) is
        # parsed in linear time too
        bound_link_parsing(md)


def makeExtension(**kwargs: object) -> PassthroughExtension:
    return PassthroughExtension(**kwargs)
