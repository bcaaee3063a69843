"""Parse one content file into a document: frontmatter data, body and a map
from every key path to its line.

We compose the YAML ourselves (libyaml through PyYAML's C parser when present)
and build plain Python values from the node tree, because that is the only way
to keep a line for every key, to refuse duplicate keys (PyYAML silently keeps
the last one) and to refuse anchors and aliases before anything is expanded.
Frontmatter of the usual block shape is first read without a node tree
(``simple``), which gives up on anything else; both ways give the same values,
lines and findings.
"""

from __future__ import annotations

import marshal
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.reader import ReaderError
from yaml.resolver import Resolver

from generator.core.findings import Finding
from generator.documents.simple import Unusual, read_simple

try:  # libyaml is several times faster; PyYAML wheels ship it
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - pure-Python fallback
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

_STR = "tag:yaml.org,2002:str"
_RESOLVED: dict[str, str] = {}


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    """The safe loader with a memo on implicit tag resolution: keys and enum
    values repeat across thousands of files, and PyYAML resolves each by
    trying regular expressions in Python, the largest cost of a cold run."""

    def resolve(self, kind: type, value: str, implicit: tuple[bool, bool]) -> str:
        if kind is ScalarNode:
            return _tag_of(value) if implicit[0] else _STR
        return super().resolve(kind, value, implicit)


_RESOLVER = Resolver()  # the loader's own implicit resolvers (YAML 1.1)


def _tag_of(value: str) -> str:
    """The tag YAML 1.1 gives a plain value, through a memo (see ``_Loader``)."""
    tag = _RESOLVED.get(value)
    if tag is None:
        tag = _RESOLVER.resolve(ScalarNode, value, (True, False))
        if len(_RESOLVED) < 200_000:
            _RESOLVED[value] = tag
    return tag


#: Files over this size are refused: no hand-written entity comes near it, and
#: it bounds the work a hostile file can cause.
MAX_FILE_BYTES = 1_000_000

Path_ = tuple[str | int, ...]

_SCALAR = SafeConstructor()
_STD_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}


@dataclass(slots=True)
class Document:
    """A content file after parsing. ``data`` is None when the frontmatter
    could not be read at all; ``lines`` maps key paths such as
    ``("contract", "end")`` or ``("depends_on", 1, "app")`` to 1-based lines."""

    path: str
    data: dict[str, Any] | None
    body: str = ""
    body_line: int = 1
    lines: dict[Path_, int] = field(default_factory=dict)
    problems: list[Finding] = field(default_factory=list)

    def line(self, loc: tuple[Any, ...]) -> int:
        return line_of(self.lines, loc)


#: A document's key lines as kept after parsing: the map itself, or packed
#: into bytes (``pack_lines``), which are far cheaper to send between
#: processes and to store in the cache than a map of thousands of tuples.
KeyLines = dict[Path_, int] | bytes


def pack_lines(lines: dict[Path_, int]) -> bytes:
    """The key lines packed with ``marshal`` (keys are tuples of text and
    list indexes, which it writes in C). Only this tool's own worker
    processes and private cache files hand packed lines back."""
    return marshal.dumps(lines)


def unpack_lines(lines: KeyLines) -> dict[Path_, int]:
    return marshal.loads(lines) if isinstance(lines, bytes) else lines


def line_of(lines: KeyLines, loc: tuple[Any, ...]) -> int:
    """The line of the deepest known prefix of ``loc`` (1 if none), so an
    error about a missing nested key points at its parent mapping."""
    if isinstance(lines, bytes):
        lines = marshal.loads(lines)
    loc = tuple(loc)
    while loc:
        found = lines.get(loc)
        if found is not None:
            return found
        loc = loc[:-1]
    return lines.get((), 1)


class _Refused(Exception):
    """Raised inside the builder; turned into one finding."""

    def __init__(self, code: str, line: int, message: str, hint: str) -> None:
        super().__init__(message)
        self.code, self.line, self.message, self.hint = code, line, message, hint


def parse_bytes(path: str, raw: bytes) -> Document:
    """Parse a content file's bytes. Never raises: every problem becomes a
    finding on the returned document."""
    if len(raw) > MAX_FILE_BYTES:
        return _fail(
            path,
            "EA106",
            0,
            f"file is {len(raw):,} bytes; the limit is {MAX_FILE_BYTES:,}",
            "split the narrative into smaller pages or move attachments out of the content folders",
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        return _fail(
            path,
            "EA100",
            line,
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})",
            "save the file as UTF-8 (in most editors: 'Save with encoding' > UTF-8)",
        )
    return parse_text(path, text)


def _closing(lines: list[str]) -> int | None:
    """The index of the line that closes the frontmatter, or None."""
    for i in range(1, len(lines)):
        stripped = lines[i].rstrip()
        if stripped == "---" or stripped == "...":
            return i
    return None


def body_of(raw: bytes) -> tuple[str, int]:
    """A content file's body and the line it starts on, exactly as
    ``parse_bytes`` splits the file, without reading the frontmatter's YAML
    (the links in page text are checked from this when the file itself was
    not parsed in this run); ("", 0) for a file refused before its body."""
    if len(raw) > MAX_FILE_BYTES:
        return "", 0
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return "", 0
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        return "", 0
    lines = text.split("\n")
    end = _closing(lines) if lines[0].rstrip() == "---" else None
    if end is None:
        return "", 0
    return "\n".join(lines[end + 1 :]), end + 2


def parse_text(path: str, text: str) -> Document:
    """Parse decoded text (see :func:`parse_bytes`)."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        return _fail(
            path,
            "EA100",
            text.count("\n", 0, text.index("\x00")) + 1,
            "file contains a NUL character; it is not a text file",
            "content files must be UTF-8 Markdown",
        )
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return _fail(
            path,
            "EA101",
            1,
            "missing frontmatter: the file must start with a line '---'",
            "start the file with '---', the YAML fields, then another '---' line before the body",
        )
    end = _closing(lines)
    if end is None:
        return _fail(
            path,
            "EA101",
            1,
            "frontmatter is not closed: no second '---' line",
            "add a line '---' after the last YAML field",
        )
    yaml_text = "\n".join(lines[1:end]) + "\n"
    body = "\n".join(lines[end + 1 :])
    doc = Document(path=path, data=None, body=body, body_line=end + 2)
    doc.lines[()] = 1
    offset = 2  # YAML line 0 is file line 2
    swapped = False
    simple = read_simple(yaml_text, offset, _tag_of, _simple_value)
    if simple is not None:  # the usual shape, read without a node tree (``simple``)
        doc.data = simple[0]
        doc.lines.update(simple[1])
        return doc
    if "\x85" in yaml_text or "\u2028" in yaml_text or "\u2029" in yaml_text:
        yaml_text = yaml_text.translate(_HIDE_BREAKS)
        swapped = True
    if "&" in yaml_text or "*" in yaml_text or "!" in yaml_text or _may_nest_deeply(yaml_text):
        refused = _scan_events(path, yaml_text, offset)
        if refused is not None:
            doc.problems.append(refused)
            return doc
    try:
        node = yaml.compose(yaml_text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + offset if mark is not None else 1
        problem = " ".join(filter(None, [exc.context, exc.problem])) or str(exc)
        doc.problems.append(
            Finding(
                "EA102",
                path,
                line,
                f"YAML syntax error: {problem}",
                "check indentation and quoting; text containing ': ' or starting with a special character needs quotes",
            )
        )
        return doc
    except ReaderError as exc:
        # a character YAML refuses (a control character pasted from another
        # program); libyaml reports an offset, we report the line
        bad = chr(exc.character) if isinstance(exc.character, int) else str(exc.character)
        at = yaml_text.find(bad)
        if at < 0:
            at = min(max(int(exc.position), 0), len(yaml_text))
        doc.problems.append(
            Finding(
                "EA102",
                path,
                yaml_text.count("\n", 0, at) + offset,
                f"YAML error: {exc.reason} (character U+{ord(bad[0]) if bad else 0:04X})",
                "delete the invisible character (it often comes from copying out of another program)",
            )
        )
        return doc
    except yaml.YAMLError as exc:
        doc.problems.append(Finding("EA102", path, 1, f"YAML error: {exc}", "check the frontmatter"))
        return doc
    if node is None:
        doc.data = {}
        return doc
    if not isinstance(node, MappingNode):
        doc.problems.append(
            Finding(
                "EA103",
                path,
                node.start_mark.line + offset,
                f"frontmatter is a {_kind_of(node)}, not a mapping of fields",
                "write the frontmatter as 'field: value' lines",
            )
        )
        return doc
    try:
        doc.data = _build_mapping(node, (), doc, offset)
    except _Refused as exc:
        doc.problems.append(Finding(exc.code, path, exc.line, exc.message, exc.hint))
        doc.data = None
    if swapped and doc.data is not None:
        doc.data = _restore_breaks(doc.data)
    return doc


#: YAML 1.1 reads NEL, U+2028 and U+2029 as line breaks, but editors, git and
#: CI annotations count newlines only. They are swapped for noncharacters while
#: YAML reads the text (so key lines stay right) and swapped back in the values.
_HIDE_BREAKS = str.maketrans({"\x85": "\ufdd0", "\u2028": "\ufdd1", "\u2029": "\ufdd2"})
_SHOW_BREAKS = str.maketrans({"\ufdd0": "\x85", "\ufdd1": "\u2028", "\ufdd2": "\u2029"})

#: Deepest nesting of lists and mappings accepted. Real frontmatter needs four
#: or five levels; the limit keeps a hostile file from exhausting the stack of
#: libyaml's recursive composer (a crash, not an exception) or of our builder.
MAX_DEPTH = 64


def _restore_breaks(value: Any) -> Any:
    if isinstance(value, str):
        return value.translate(_SHOW_BREAKS)
    if isinstance(value, list):
        return [_restore_breaks(v) for v in value]
    if isinstance(value, dict):
        return {_restore_breaks(k): _restore_breaks(v) for k, v in value.items()}
    return value


#: A line that starts with more indent, '- ', '? ' and ': ' than ``MAX_DEPTH``.
_DEEP_LINE = re.compile(f"^[ \t?:-]{{{MAX_DEPTH + 1}}}", re.MULTILINE)


def _may_nest_deeply(yaml_text: str) -> bool:
    """A cheap test that lets ordinary files skip the event scan: deep nesting
    needs many brackets, or a deep indent or run of '- ' on some line."""
    if yaml_text.count("[") + yaml_text.count("{") > MAX_DEPTH:
        return True
    return _DEEP_LINE.search(yaml_text) is not None


def _int(value: str) -> int:
    if value.isdigit() and (value[0] != "0" or len(value) == 1):  # 010 is octal in YAML 1.1
        return int(value)
    raise ValueError(value)


def _date_only(value: str) -> date:
    if len(value) == 10:
        return date.fromisoformat(value)
    raise ValueError(value)


_NUMBERS = {"tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}
_BOOLS = {"yes": True, "true": True, "on": True, "y": True, "no": False, "false": False, "off": False, "n": False}
_FAST: dict[str, Callable[[str], Any]] = {
    "tag:yaml.org,2002:int": _int,
    "tag:yaml.org,2002:bool": lambda v: _BOOLS[v.lower()],
    "tag:yaml.org,2002:null": lambda v: None,
    "tag:yaml.org,2002:timestamp": _date_only,
}


def _fail(path: str, code: str, line: int, message: str, hint: str) -> Document:
    return Document(path=path, data=None, problems=[Finding(code, path, line, message, hint)])


def _kind_of(node: Node) -> str:
    if isinstance(node, SequenceNode):
        return "list"
    if isinstance(node, ScalarNode):
        return "single value"
    return "mapping"


def _scan_events(path: str, yaml_text: str, offset: int) -> Finding | None:
    """Refuse anchors, aliases, explicit non-standard tags and deep nesting
    before composing: aliases are how billion-laughs documents blow up, tags
    can name arbitrary constructors, and libyaml's parser keeps its own stack
    where the composer recurses."""
    depth = 0
    try:
        for event in yaml.parse(yaml_text, Loader=_Loader):
            line = event.start_mark.line + offset
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    return Finding(
                        "EA108",
                        path,
                        line,
                        f"lists and mappings are nested more than {MAX_DEPTH} levels deep",
                        "flatten the structure; frontmatter fields need only a few levels",
                    )
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            if isinstance(event, yaml.AliasEvent):
                return Finding(
                    "EA105",
                    path,
                    line,
                    f"YAML alias '*{event.anchor}' is not allowed",
                    "write the value out in full; anchors and aliases are refused",
                )
            anchor = getattr(event, "anchor", None)
            if anchor is not None:
                return Finding(
                    "EA105",
                    path,
                    line,
                    f"YAML anchor '&{anchor}' is not allowed",
                    "write the value out in full; anchors and aliases are refused",
                )
            tag = getattr(event, "tag", None)
            if tag is not None and tag not in _STD_TAGS and tag != "!":
                return Finding(
                    "EA105", path, line, f"YAML tag '{tag}' is not allowed", "remove the tag; write plain values"
                )
    except yaml.YAMLError:
        return None  # the composer reports the syntax error with its line
    return None


def _build(node: Node, loc: Path_, doc: Document, offset: int) -> Any:
    if isinstance(node, ScalarNode):
        return _scalar(node, offset)
    if isinstance(node, SequenceNode):
        out = []
        lines = doc.lines
        for i, item in enumerate(node.value):
            path = (*loc, i)
            lines[path] = item.start_mark.line + offset
            # most items are plain text: read without two calls (as ``_scalar``)
            out.append(item.value if item.tag == _STR and type(item) is ScalarNode else _build(item, path, doc, offset))
        return out
    if isinstance(node, MappingNode):
        return _build_mapping(node, loc, doc, offset)
    raise _Refused("EA102", node.start_mark.line + offset, "unsupported YAML node", "")  # pragma: no cover


def _build_mapping(node: MappingNode, loc: Path_, doc: Document, offset: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    lines = doc.lines
    for key_node, value_node in node.value:
        line = key_node.start_mark.line + offset
        if type(key_node) is ScalarNode and key_node.tag == _STR:
            key = key_node.value  # the usual case, as ``_scalar`` reads it
        else:
            if not isinstance(key_node, ScalarNode):
                raise _Refused(
                    "EA111", line, "a key must be a plain name, not a list or mapping", "write keys as 'name: value'"
                )
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise _Refused("EA105", line, "YAML merge key '<<' is not allowed", "write the fields out in full")
            key = _scalar(key_node, offset)
            if isinstance(key, bool):  # `false: 4` is a natural way to key points by a boolean
                key = "true" if key else "false"
            elif not isinstance(key, str):
                key = str(key)
        path = (*loc, key)
        if key in out:
            raise _Refused(
                "EA104",
                line,
                f"duplicate key '{key}' (first on line {lines.get(path, 0)})",
                "keep one of the two; YAML would silently use only the last",
            )
        lines[path] = line
        if value_node.tag == _STR and type(value_node) is ScalarNode:
            out[key] = value_node.value
        else:
            out[key] = _build(value_node, path, doc, offset)
    return out


def _scalar(node: ScalarNode, offset: int) -> Any:
    """Convert a scalar by its resolved YAML 1.1 tag. Values that YAML 1.1 reads
    as booleans or numbers stay booleans or numbers: a text field then refuses
    them (``name: NO``, ``product: 1.10``) instead of silently keeping 'False'
    or '1.1'."""
    tag = node.tag
    if tag == _STR:
        return node.value
    if tag not in _STD_TAGS:
        raise _Refused(
            "EA105",
            node.start_mark.line + offset,
            f"YAML tag '{tag}' is not allowed",
            "remove the tag; write plain values",
        )
    return _typed(tag, node.value, node)


def _simple_value(tag: str, value: str) -> Any:
    """A plain value of ``simple``'s, as ``_scalar`` converts it; a tag it
    would refuse is left to the full parser (which reports it)."""
    if tag not in _STD_TAGS:
        raise Unusual(tag)
    return _typed(tag, value, None)


def _typed(tag: str, value: str, node: ScalarNode | None) -> Any:
    """A value whose standard tag is not text (see ``_scalar``)."""
    fast = _FAST.get(tag)
    if fast is not None:
        try:
            return fast(value)
        except (ValueError, KeyError):
            pass  # an unusual spelling (0x1F, 1_000, 2026-01-01 10:00): the full constructor below
    if ":" in value and tag in _NUMBERS:
        return value  # YAML 1.1 sexagesimal (1:30 is 90): keep the text so a number field refuses it
    try:
        return _SCALAR.yaml_constructors[tag](_SCALAR, node if node is not None else ScalarNode(tag, value))
    except (ConstructorError, ValueError, OverflowError):
        # e.g. 2020-13-01 looks like a date but is none: keep the text, and
        # the field's own validation reports it at this line
        return value
