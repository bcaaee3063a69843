"""Rename an entity (a new id, and optionally a new name) or merge one vendor
into another, rewriting every reference to it in every content file.

Architects keep comments and layout in their frontmatter, so the files are
not loaded and dumped again: each reference is found with its exact place in
the text (PyYAML's node marks) and only those characters are replaced. Every
other byte of every file, line endings and byte-order mark included, is kept.
The old name is kept as an alias (applications and vendors), so imports and
people searching for it still find the entity.

Everything is planned first (``plan_rename``, ``plan_merge``) and written all
or nothing (``RenamePlan.apply``), like an import.
"""

from __future__ import annotations

import json
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from generator.catalog.catalog import RELATIONS
from generator.checks.rules import normalise_name
from generator.core.errors import EaError
from generator.interop.files import Entity, Registry, entity_files, new_path, safe_target, write_all
from generator.models.model import FOLDERS, Kind, reserved_reason, valid_id
from generator.models.schema import suggest_id

#: Kinds whose files have ``aliases``: the old name is kept there.
WITH_ALIASES = (Kind.APPLICATION, Kind.VENDOR)


@dataclass(frozen=True, slots=True)
class Change:
    """One file the rename writes: ``content`` None deletes it."""

    kind: Kind
    path: str
    content: bytes | None
    old: bytes | None  # the content before (None: a new file)


@dataclass
class RenamePlan:
    root: Path
    kind: Kind
    old_id: str
    new_id: str
    merge: bool
    changes: list[Change] = field(default_factory=list)
    #: (path, line, what) for every reference rewritten, for the report
    edits: list[tuple[str, int, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def apply(self) -> None:
        """Write every change or none (see ``files.write_all``)."""
        targets = []
        for change in self.changes:
            target = safe_target(self.root, change.kind, change.path)
            on_disk = target.read_bytes() if target.is_file() else None
            if on_disk != change.old:
                raise EaError(f"{change.path} changed since the rename was planned: nothing was written")
            targets.append((target, change.content))
        write_all(targets)


# --- planning ------------------------------------------------------------------------------------------------------


def plan_rename(root: Path, kind: Kind, old: str, new: str, *, name: str | None = None) -> RenamePlan:
    """Give the entity ``old`` (an id or a name) the id ``new`` (and the name
    ``name``): its file moves to ``new``'s path and every reference follows.
    When ``new`` is another vendor, this is ``plan_merge``."""
    root = Path(root)
    registry = Registry.of_repository(root)
    entity = _find(registry, kind, old)
    reserved = reserved_reason(new)
    if reserved is not None:
        raise EaError(f"{reserved}: choose another id, such as '{suggest_id(new)}'")
    if not valid_id(new):
        raise EaError(
            f"'{new}' is not a valid id (lower-case letters, digits and hyphens): did you mean '{suggest_id(new)}'? "
            "(give a new display name with --name)"
        )
    other = registry.by_id(kind, new)
    if other is not None and other.path != entity.path:
        if kind is Kind.VENDOR:
            if name is not None:
                raise EaError("--name is for a rename; a merge keeps the name of the vendor merged into")
            return plan_merge(root, kind, entity.id, other.id)
        raise EaError(f"{other.path} exists: merging {kind.plural} is not supported (only vendors merge)")
    if new == entity.id and name is None:
        raise EaError(f"'{entity.id}' already has that id: nothing to do (give a new name with --name)")
    assert entity.path is not None
    plan = RenamePlan(root, kind, entity.id, new, merge=False)
    new_rel = _moved_path(entity.path, kind, new)
    raw = (root / entity.path).read_bytes()
    own = _Text(raw, entity.path)
    if own.id_node is not None and own.id_node.value == entity.id:
        own.replace(own.id_node, new)
    if name is not None and name != entity.name:
        if not name.strip():
            raise EaError("the new name must not be empty")
        if own.name_node is None:
            raise EaError(f"{entity.path}: no 'name' to change")
        clash = registry.by_name(kind, name)
        if clash is not None and clash.path != entity.path:
            raise EaError(f"'{name}' is already the name or an alias of {clash.path}")
        own.replace(own.name_node, name)
        if kind in WITH_ALIASES and entity.name:
            own.add_aliases([entity.name], name)
            plan.notes.append(f"'{entity.name}' is kept as an alias in {new_rel}")
    plan.edits += [(entity.path, line, what) for line, what in own.log]
    references = _rewrite_references(
        root, kind, entity.id, new, skip={entity.path}, plan=plan, moved=(entity.path, new_rel)
    )
    if new_rel == entity.path:
        plan.changes.append(Change(kind, entity.path, own.encode(), raw))
    else:
        plan.changes.append(Change(kind, new_rel, _move_links(own.encode(), entity.path, new_rel), None))
        plan.changes.append(Change(kind, entity.path, None, raw))
        plan.notes.insert(0, f"{entity.path} -> {new_rel}")
    plan.changes += references
    return plan


def plan_merge(root: Path, kind: Kind, old: str, into: str) -> RenamePlan:
    """Merge the vendor ``old`` into ``into``: every reference to ``old``
    names ``into``, ``old``'s name and aliases become aliases of ``into``, its
    description is appended to ``into``'s, and its file is deleted."""
    if kind is not Kind.VENDOR:
        raise EaError(f"merging {kind.plural} is not supported (only vendors merge)")
    root = Path(root)
    registry = Registry.of_repository(root)
    source, target = _find(registry, kind, old), _find(registry, kind, into)
    if source.path == target.path:
        raise EaError(f"'{old}' and '{into}' are the same {kind}")
    assert source.path is not None and target.path is not None
    plan = RenamePlan(root, kind, source.id, target.id, merge=True)
    raw_source, raw_target = (root / source.path).read_bytes(), (root / target.path).read_bytes()
    text = _Text(raw_target, target.path)
    names = [n for n in (source.name, *source.aliases) if n]
    text.add_aliases(names, target.name)
    body = _body(raw_source, source.path).strip()
    if body:
        label = (source.name or source.id).replace("--", "- -").replace(">", "")  # stays inside the comment
        text.append_body(f"\n<!-- merged from {source.path} ('{label}') by ea merge -->\n\n{body}\n")
        plan.notes.append(f"the description of '{source.name or source.id}' is appended to {target.path}")
    kept = _other_fields(raw_source, source.path)
    if kept:
        plan.notes.append(
            f"not carried over from {source.path} (check {target.path}): "
            + ", ".join(_field_text(k, v) for k, v in kept)
        )
    plan.edits += [(target.path, line, what) for line, what in text.log]
    plan.changes.append(Change(kind, target.path, text.encode(), raw_target))
    plan.changes += _rewrite_references(
        root, kind, source.id, target.id, skip={source.path, target.path}, plan=plan, moved=(source.path, target.path)
    )
    plan.changes.append(Change(kind, source.path, None, raw_source))
    plan.notes.insert(0, f"{source.path} merged into {target.path}, and deleted")
    return plan


def _find(registry: Registry, kind: Kind, text: str) -> Entity:
    found = registry.resolve(kind, text)
    if found is None or found.path is None:
        near = [i for i in registry.ids(kind) if text.casefold() in i or i in text.casefold()][:3]
        hint = f" (did you mean {', '.join(repr(n) for n in near)}?)" if near else ""
        raise EaError(f"no {kind} '{text}' in {FOLDERS[kind]}/{hint}")
    return found


def _moved_path(rel: str, kind: Kind, new: str) -> str:
    """The same folder (an entity may live in a sub-folder), the new id."""
    folder = rel.rsplit("/", 1)[0]
    moved = f"{folder}/{new}.md"
    return moved if moved.startswith(FOLDERS[kind] + "/") else new_path(kind, new)


def _rewrite_references(
    root: Path,
    kind: Kind,
    old: str,
    new: str,
    *,
    skip: set[str],
    plan: RenamePlan,
    moved: tuple[str, str] | None = None,
) -> list[Change]:
    """A change for every content file that refers to ``old`` (of ``kind``)
    in a reference field, or links to its file (``moved``: old and new path)
    from its body, with only those references rewritten."""
    fields: dict[Kind, set[str]] = {}
    for rel in RELATIONS:
        if rel.target is kind:
            fields.setdefault(rel.source, set()).add(rel.field)
    changes = []
    unreadable = []
    for source_kind, rel, full in entity_files(root):
        if rel in skip:
            continue
        raw = Path(full).read_bytes()
        if old.encode() not in raw:
            continue  # a reference is the id as written: a file without it has none
        try:
            text = _Text(raw, rel)
        except EaError:
            unreadable.append(rel)
            continue
        for node in text.references(fields.get(source_kind, set()), old):
            text.replace(node, new)
        if moved is not None:
            text.relink(*moved)
        if text.log:
            plan.edits += [(rel, line, what) for line, what in text.log]
            changes.append(Change(source_kind, rel, text.encode(), raw))
    if unreadable:
        raise EaError(
            "these files mention the id but their frontmatter cannot be read, so references in them cannot be "
            f"rewritten: {', '.join(unreadable)} (fix them, then rename again; nothing was written)"
        )
    return changes


# --- editing one file's text in place ------------------------------------------------------------------------------


class _Text:
    """A content file's text with edits at exact places in its frontmatter."""

    def __init__(self, raw: bytes, rel: str) -> None:
        self.rel = rel
        self.bom = raw.startswith(b"\xef\xbb\xbf")
        try:
            self.text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise EaError(f"{rel}: not UTF-8") from exc
        first = self.text.find("\n")
        if first < 0 or self.text[:first].rstrip("\r") != "---":
            raise EaError(f"{rel}: no frontmatter")
        self.start = first + 1
        close = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.MULTILINE).search(self.text, self.start)
        if close is None:
            raise EaError(f"{rel}: the frontmatter is not closed")
        self.end = close.start()  # where the closing line starts
        try:
            node = yaml.compose(self.text[self.start : self.end], Loader=yaml.SafeLoader)
        except (yaml.YAMLError, RecursionError) as exc:
            raise EaError(f"{rel}: the frontmatter is not valid YAML") from exc
        if not isinstance(node, MappingNode):
            raise EaError(f"{rel}: the frontmatter is not a mapping")
        self.root = node
        self.edits: list[tuple[int, int, str]] = []  # start, end (in the frontmatter), replacement
        self.log: list[tuple[int, str]] = []  # (line, what) of each edit
        self.tail = ""
        self.body: str | None = None  # the body after ``relink``

    def _value(self, key: str) -> Node | None:
        for k, v in self.root.value:
            if isinstance(k, ScalarNode) and k.value == key:
                return v
        return None

    @property
    def id_node(self) -> ScalarNode | None:
        node = self._value("id")
        return node if isinstance(node, ScalarNode) else None

    @property
    def name_node(self) -> ScalarNode | None:
        node = self._value("name")
        return node if isinstance(node, ScalarNode) else None

    def references(self, fields: set[str], old: str) -> list[ScalarNode]:
        """The scalars in ``fields`` that are ``old``: a value, a list item or
        the ``app`` of a dependency mapping."""
        out = []
        for key, value in self.root.value:
            if not (isinstance(key, ScalarNode) and key.value in fields):
                continue
            items = value.value if isinstance(value, SequenceNode) else [value]
            for item in items:
                if isinstance(item, MappingNode):
                    item = next((v for k, v in item.value if isinstance(k, ScalarNode) and k.value == "app"), None)
                if isinstance(item, ScalarNode) and item.value == old and item.style in (None, "'", '"'):
                    out.append(item)
        return out

    def replace(self, node: ScalarNode, new: str) -> None:
        """Replace a scalar's value by ``new``, in the node's own quotes when
        it had them, else plain, or quoted when YAML would read the plain
        text as something else ('no', '0x1f', 'null', 'a: b')."""
        start, end = node.start_mark.index, node.end_mark.index
        self.edits.append((start, end, _scalar_text(new, node.style)))
        self.log.append((self._line(start), f"{node.value!r} -> {new!r}"))

    def add_aliases(self, names: list[str], name_after: str | None) -> None:
        """Add names to ``aliases`` (those not there yet, nor the entity's name
        after the edit, ``name_after``), in the list's own style; a new
        ``aliases`` line goes after ``name``."""
        node = self._value("aliases")
        have = {normalise_name(n.value) for n in getattr(node, "value", []) if isinstance(n, ScalarNode)}
        name = self.name_node
        if name_after:
            have.add(normalise_name(name_after))
        wanted = []
        for n in names:
            if normalise_name(n) not in have:
                have.add(normalise_name(n))
                wanted.append(n)
        if not wanted:
            return
        fm = self.text[self.start : self.end]
        newline = "\r\n" if "\r\n" in fm else "\n"
        items = [_scalar_text(n) for n in wanted]
        if isinstance(node, SequenceNode) and node.flow_style:
            close = fm.rindex("]", node.start_mark.index, node.end_mark.index)
            sep = ", " if node.value else ""
            self._insert(close, sep + ", ".join(items))
        elif isinstance(node, SequenceNode) and node.value:
            last = node.value[-1]
            line_start = fm.rfind("\n", 0, last.start_mark.index) + 1
            indent = fm[line_start : last.start_mark.index]  # "  - " or "- "
            at = _line_end(fm, last.end_mark.index)
            self._insert(at, "".join(f"{newline}{indent}{item}" for item in items))
        elif node is None or (isinstance(node, ScalarNode) and node.value in ("", "~", "null")):
            if node is not None:
                self.edits.append((node.start_mark.index, node.end_mark.index, f" [{', '.join(items)}]"))
                self.log.append((self._line(node.start_mark.index), f"aliases: + {', '.join(wanted)}"))
                return
            anchor = name.end_mark.index if name is not None else 0
            at = _line_end(fm, anchor) if name is not None else 0
            line = f"aliases: [{', '.join(items)}]"
            self._insert(at, f"{newline}{line}" if name is not None else f"{line}{newline}")
        else:
            raise EaError(f"{self.rel}: 'aliases' is not a list: add {', '.join(wanted)} by hand")
        self.log[-1] = (self.log[-1][0], f"aliases: + {', '.join(wanted)}")

    def _insert(self, at: int, text: str) -> None:
        self.edits.append((at, at, text))
        self.log.append((self._line(at), "inserted"))

    def append_body(self, text: str) -> None:
        self.tail += text

    def relink(self, old_rel: str, new_rel: str) -> None:
        """Body links (relative Markdown links) to ``old_rel`` point to ``new_rel``."""
        folder = posixpath.dirname(self.rel)
        body = self.text[self.end :]

        def fix(m: re.Match[str]) -> str:
            target = m.group(2)
            if "://" in target or target.startswith("/"):
                return m.group(0)
            if posixpath.normpath(posixpath.join(folder, target)) != old_rel:
                return m.group(0)
            self.log.append((self.text.count("\n", 0, self.end + m.start()) + 1, f"link {target} -> {new_rel}"))
            return m.group(1) + posixpath.relpath(new_rel, folder) + m.group(3)

        self.body = _LINK.sub(fix, body)

    def _line(self, index: int) -> int:
        """1-based line in the file of an index in the frontmatter."""
        return self.text.count("\n", 0, self.start + index) + 1

    def encode(self) -> bytes:
        fm = self.text[self.start : self.end]
        for start, end, text in sorted(self.edits, key=lambda e: (e[0], e[1]), reverse=True):
            fm = fm[:start] + text + fm[end:]
        out = self.text[: self.start] + fm + (self.text[self.end :] if self.body is None else self.body)
        if self.tail:
            newline = "\r\n" if "\r\n" in self.text else "\n"
            out = out.rstrip("\r\n") + newline + self.tail.replace("\n", newline)
        return (b"\xef\xbb\xbf" if self.bom else b"") + out.encode("utf-8")


def _line_end(text: str, index: int) -> int:
    """The end of the line holding ``index``, before its line break (and
    after any comment on it, so a comment stays with its own item)."""
    end = text.find("\n", index)
    end = len(text) if end < 0 else end
    return end - 1 if end > 0 and text[end - 1] == "\r" else end


def _plain_ok(text: str) -> bool:
    """Whether ``text`` written plain reads back as the same text."""
    try:
        return yaml.safe_load(text) == text and "\n" not in text and text.strip() == text
    except yaml.YAMLError:
        return False


def _scalar_text(value: str, style: str | None = None) -> str:
    """``value`` as a YAML scalar on one line: in ``style``'s quotes when
    given, else plain when that reads back the same (and is safe in a flow
    list), else single-quoted."""
    if style == '"':
        return json.dumps(value, ensure_ascii=False)
    plain = _plain_ok(value) and not any(c in value for c in ",[]{}#&*!|>%@`\"'") and ": " not in value
    if style != "'" and plain:
        return value
    return "'" + value.replace("'", "''") + "'"


def _body(raw: bytes, rel: str) -> str:
    text = _Text(raw, rel)
    after = text.text[text.end :]
    return after.split("\n", 1)[1] if "\n" in after else ""


def _field_text(key: str, value: Any) -> str:
    return f"{key}: {json.dumps(value, default=str, ensure_ascii=False)}"


def _other_fields(raw: bytes, rel: str) -> list[tuple[str, Any]]:
    """Fields of a merged vendor besides its names, which the merge drops."""
    text = _Text(raw, rel)
    data = yaml.safe_load(text.text[text.start : text.end]) or {}
    return [(k, v) for k, v in data.items() if k not in ("id", "name", "aliases")]


_LINK = re.compile(r"(\]\()([^)\s#]+\.md)((?:#[^)\s]*)?\))")


def _move_links(raw: bytes, old_rel: str, new_rel: str) -> bytes:
    """Relative Markdown links in a moved file's body still point where they
    did when its folder changes (a sub-folder to the top folder)."""
    old_dir, new_dir = posixpath.dirname(old_rel), posixpath.dirname(new_rel)
    if old_dir == new_dir:
        return raw
    text = raw.decode("utf-8-sig")

    def fix(m: re.Match[str]) -> str:
        target = m.group(2)
        if "://" in target or target.startswith("/"):
            return m.group(0)
        absolute = posixpath.normpath(posixpath.join(old_dir, target))
        return m.group(1) + posixpath.relpath(absolute, new_dir) + m.group(3)

    out = _LINK.sub(fix, text)
    return (b"\xef\xbb\xbf" if raw.startswith(b"\xef\xbb\xbf") else b"") + out.encode("utf-8")
