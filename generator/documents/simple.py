"""The frontmatter most files have, read without building a YAML node tree.

Nearly every content file is block-style YAML of one shape: ``key: value``
lines, nested mappings, lists of values or of mappings, and lists written
``[a, b]``. Composing a node tree for it (two position marks per value) is
most of a cold validation's parsing time. ``read_simple`` reads that shape
directly, line by line, and gives up (returns None) at the first thing
outside it: quotes with escapes, block and multi-line text, comments after a
value, anchors, tags, flow mappings, tabs, duplicate or non-text keys,
anything libyaml would refuse. The caller then composes the text with libyaml
as before, so what a file means never depends on which way it was read; a
property test (``tests/test_document_simple.py``) holds the two equal.

Values are resolved by the caller's YAML 1.1 resolver and converter, the
ones the composed tree goes through.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

#: A character that libyaml refuses or reads specially (control characters,
#: the byte-order mark, surrogates, NEL and the Unicode line and paragraph
#: separators), or a tab: text holding one goes the full way.
_UNUSUAL = re.compile("[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
#: Characters that cannot start a plain value (YAML's indicators).
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
#: Characters that end or split a plain value inside ``[...]``.
_FLOW_SPECIAL = frozenset("[]{}#'\":")
#: Deeper than this, the full parser (and its depth limit) takes over.
_MAX_DEPTH = 16
#: libyaml refuses a key longer than this many characters (a syntax error).
_MAX_KEY = 1024

Row = tuple[int, int, str]  # line, indent, content without indent or trailing spaces
Lines = dict[tuple[str | int, ...], int]


class Unusual(Exception):
    """Raised at the first construct this reader leaves to libyaml (also by
    a caller's ``convert``, for a value it would refuse)."""


def read_simple(
    yaml_text: str, first_line: int, tag_of: Callable[[str], str], convert: Callable[[str, str], Any]
) -> tuple[dict[str, Any], Lines] | None:
    """The frontmatter's values and the line of every key and list item (as
    the node tree gives them), or None when the text is not of the simple
    shape. ``first_line``: the file line of the text's first line;
    ``tag_of``: a plain value's resolved YAML tag; ``convert(tag, text)``: a
    plain value that is not text, as a Python value."""
    if _UNUSUAL.search(yaml_text) is not None:
        return None
    rows: list[Row] = []
    line = first_line - 1
    for raw in yaml_text.split("\n"):
        line += 1
        content = raw.lstrip(" ")
        if content and content[0] != "#":
            rows.append((line, len(raw) - len(content), content.rstrip(" ")))
    lines: Lines = {}
    if not rows:
        return {}, lines
    if rows[0][1] != 0:
        return None
    reader = _Reader(rows, lines, tag_of, convert)
    try:
        data, end = reader.mapping(0, 0, (), 0, None)
    except Unusual:
        return None
    return (data, lines) if end == len(rows) else None


class _Reader:
    __slots__ = ("convert", "lines", "rows", "tag_of")

    def __init__(
        self, rows: list[Row], lines: Lines, tag_of: Callable[[str], str], convert: Callable[[str, str], Any]
    ) -> None:
        self.rows = rows
        self.lines = lines
        self.tag_of = tag_of
        self.convert = convert

    def mapping(
        self, i: int, indent: int, loc: tuple[str | int, ...], depth: int, first: Row | None
    ) -> tuple[dict[str, Any], int]:
        """The mapping whose keys start at column ``indent`` from row ``i``
        (``first``: its first key, written after a list item's dash)."""
        rows, lines = self.rows, self.lines
        count = len(rows)
        out: dict[str, Any] = {}
        while i < count:
            if first is not None:
                line, _, content = first
                first = None
            else:
                line, at, content = rows[i]
                if at != indent:
                    if at < indent:
                        break
                    raise Unusual
            key, colon, rest = content.partition(":")
            if not colon or len(key) > _MAX_KEY or not key.isidentifier() or key in out or self.tag_of(key) != _TEXT:
                raise Unusual
            path = (*loc, key)
            lines[path] = line
            i += 1
            if rest:
                if rest[0] != " ":
                    raise Unusual  # "key:value" is one plain value, not a pair
                out[key] = self.value(rest.lstrip(" "), path, line)
                if i < count and rows[i][1] > indent:
                    raise Unusual  # the value goes on over more lines
                continue
            if i < count:
                _, below, text = rows[i]
                if text[0] == "-" and (len(text) == 1 or text[1] == " ") and below >= indent:
                    out[key], i = self.sequence(i, below, path, depth + 1)
                    continue
                if below > indent:
                    if depth >= _MAX_DEPTH:
                        raise Unusual
                    out[key], i = self.mapping(i, below, path, depth + 1, None)
                    continue
            out[key] = None
        return out, i

    def sequence(self, i: int, indent: int, loc: tuple[str | int, ...], depth: int) -> tuple[list[Any], int]:
        """The list whose dashes are at column ``indent`` from row ``i``."""
        rows, lines = self.rows, self.lines
        count = len(rows)
        out: list[Any] = []
        while i < count:
            line, at, content = rows[i]
            if at != indent:
                if at < indent:
                    break
                raise Unusual
            if content[:2] != "- ":
                if content == "-":
                    raise Unusual  # an item on the lines below, or none
                break
            rest = content[2:]
            if rest[0] == " " or depth >= _MAX_DEPTH:
                raise Unusual
            path = (*loc, len(out))
            lines[path] = line
            key, colon, after = rest.partition(":")
            if colon and (not after or after[0] == " ") and key.isidentifier():
                item, i = self.mapping(i, indent + 2, path, depth + 1, (line, indent + 2, rest))
                out.append(item)
                continue
            out.append(self.value(rest, path, line))
            i += 1
            if i < count and rows[i][1] > indent:
                raise Unusual
        return out, i

    def value(self, text: str, loc: tuple[str | int, ...], line: int) -> Any:
        """A value written on its key's or dash's line."""
        if text[0] == "[" and text[-1] == "]":
            inner = text[1:-1]
            if not inner.strip(" "):
                return []
            if any(c in _FLOW_SPECIAL for c in inner):
                raise Unusual
            items = []
            for n, part in enumerate(inner.split(",")):
                item = part.strip(" ")
                if not item or item[0] in _INDICATORS:
                    raise Unusual  # "[a, , b]", "[a, b,]" or an indicator: libyaml's to read
                self.lines[(*loc, n)] = line
                items.append(self.plain(item))
            return items
        return self.scalar(text)

    def scalar(self, text: str) -> Any:
        first = text[0]
        if first in _INDICATORS:
            inner = text[1:-1]
            if len(text) > 1 and text[-1] == first and first in "'\"" and first not in inner and "\\" not in inner:
                return inner  # quoted, without escapes: text as it stands
            raise Unusual
        if ": " in text or " #" in text or text[-1] == ":":
            raise Unusual
        return self.plain(text)

    def plain(self, text: str) -> Any:
        tag = self.tag_of(text)
        return text if tag == _TEXT else self.convert(tag, text)


_TEXT = "tag:yaml.org,2002:str"
