"""Read a YAML or JSON template into a `Value` tree that keeps the position of every key and value.

PyYAML reads JSON too (every JSON template in the corpus parses identically), so one reader serves both
and JSON findings get the same exact lines as YAML ones.  We *compose* (node graph with marks) rather
than *load*, because the marks are what give each value its line and column.
"""

from __future__ import annotations

import datetime

import yaml

from ..findings import InputError
from ..values import LITERAL, Location, Value

try:  # libyaml is ~10x faster; fall back to the pure-Python reader where it is missing.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

# Short-form intrinsic tags: `!Ref X` is `{Ref: X}`, `!Sub s` is `{Fn::Sub: s}`, and so on.
_BARE_TAGS = {"!Ref": "Ref", "!Condition": "Condition"}
# An alias-expansion bomb ("billion laughs") is a small file that expands to a huge tree: refuse it early.
# CloudFormation accepts templates of at most 1 MB, which hold fewer nodes than this; only aliases get there.
MAX_EXPANDED_NODES = 500_000  # nodes that aliases add beyond the document's own
# Composing costs ~6 us and ~300 bytes per node before any check can run: a 20 MiB flow list of 10 million
# numbers took minutes and gigabytes.  Text over CloudFormation's own 1 MB template limit is counted first
# (events are ~5x cheaper than nodes, and counting stops at the limit); 50,000 resources are ~800,000 nodes.
MAX_NODES = 1_000_000
_COUNT_NODES_ABOVE = 1_000_000  # characters
# Real templates nest a few dozen levels; the reader is recursive, so refuse absurd depths cleanly.
MAX_DEPTH = 200

_STR_TAG = "tag:yaml.org,2002:str"
_KNOWN_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}


def parse(text: str, file: str) -> Value:
    """Compose ``text`` into a `Value` tree.  Raises `InputError` (with line and column) when it is not
    well-formed YAML/JSON, has duplicate keys, or expands beyond `MAX_EXPANDED_NODES`."""
    if len(text) > _COUNT_NODES_ABOVE and _most_nodes(text) > MAX_NODES:
        _check_node_count(text)
    loader = None
    try:
        loader = _Loader(text)  # the pure-Python reader checks the characters here already
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = " ".join(filter(None, [exc.context, exc.problem])) or "malformed YAML"
        raise InputError(message, *_line_col(mark)) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow: it knows where
        line, column = _reader_position(text, exc)
        raise InputError(f"{exc.reason}: character #x{exc.character:04x} is not allowed in YAML"
                         if isinstance(exc.character, int) else str(exc.reason), line, column) from None
    except yaml.YAMLError as exc:
        raise InputError(str(exc).splitlines()[0], 1, 1) from None
    finally:
        if loader is not None:
            loader.dispose()
    if node is None:
        return Value(None, Location(file, 1, 1))
    # Without an anchor (`&name`) there is no alias to expand and nothing to count.
    return _Converter(file, loader, may_alias="&" in text).convert(node)


def _most_nodes(text: str) -> int:
    """An upper bound on the nodes of a YAML or JSON text, counted at C speed: every node but the first
    starts after a line break, a key's colon, a sequence dash, a comma, an opening bracket or a complex key's
    question mark (each counted even inside a string: the bound only ever overshoots)."""
    return 1 + sum(text.count(delimiter) for delimiter in ("\n", ":", "-", ",", "[", "{", "?"))


def _check_node_count(text: str) -> None:
    """Raise `InputError` at the node past `MAX_NODES`, counting parser events (nodes are never built)."""
    loader = _Loader(text)
    count = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                count += 1
                if count > MAX_NODES:
                    raise InputError(f"the document has more than {MAX_NODES:,} values; not scanned",
                                     *_line_col(event.start_mark))
    except yaml.YAMLError:
        return  # composing reports it, with its position
    finally:
        loader.dispose()


def _reader_position(text: str, exc: yaml.reader.ReaderError) -> tuple[int, int]:
    """The 1-based line and column of the character the reader refused.  libyaml counts its position in
    bytes of UTF-8 (past any non-ASCII text it is not a character index), the Python reader in characters;
    both stop at the first character they refuse, so its first occurrence is the one."""
    index = text.find(chr(exc.character)) if isinstance(exc.character, int) else -1
    if index < 0:
        index = min(max(exc.position, 0), len(text))
    line_start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index) + 1, index - line_start + 1


def _line_col(mark) -> tuple[int | None, int | None]:
    if mark is None:
        return None, None
    return mark.line + 1, mark.column + 1


class _Converter:
    def __init__(self, file: str, loader, *, may_alias: bool = True) -> None:
        self.file = file
        self.loader = loader
        self.may_alias = may_alias
        self.expanded = 0
        self.sizes: dict[int, int] = {}
        self.depth = 0

    def location(self, node) -> Location:
        start, end = node.start_mark, node.end_mark
        # The end mark points one past the last character; keep spans inclusive.
        return Location(self.file, start.line + 1, start.column + 1, end.line + 1, max(end.column, 1))

    def convert(self, node) -> Value:
        if self.may_alias:
            self._check_size(node)
        return self._convert(node)

    def _check_size(self, root) -> None:
        """Count the nodes the tree has once aliases are expanded, sharing work between aliases."""
        sizes = self.sizes
        # Nodes whose children are still being counted: an alias to one of them is inside its own anchor
        # (`a: &a [*a]`, `<<: *self`), a tree of infinite size that would otherwise loop here forever.
        open_nodes: set[int] = set()
        stack = [(root, False)]
        while stack:
            node, children_done = stack.pop()
            key = id(node)
            if key in sizes:
                continue
            children = _children(node)
            if not children_done and children:
                if any(id(child) in open_nodes or child is node for child in children):
                    line, column = _line_col(node.start_mark)
                    raise InputError("a YAML alias refers to a node that contains it (a recursive alias)",
                                     line, column)
                open_nodes.add(key)
                stack.append((node, True))
                stack.extend((child, False) for child in children if id(child) not in sizes)
                continue
            open_nodes.discard(key)
            total = 1 + sum(sizes.get(id(child), 0) for child in children)
            # Only what aliases add counts: a large template without aliases (bounded by the file size
            # limit) is not a bomb, and was refused as one.  `sizes` holds every distinct node seen so far.
            if total > MAX_EXPANDED_NODES + len(sizes):
                line, column = _line_col(node.start_mark)
                raise InputError(
                    f"YAML aliases add more than {MAX_EXPANDED_NODES:,} nodes (an alias-expansion bomb?)",
                    line,
                    column,
                )
            sizes[key] = total

    def _convert(self, node) -> Value:
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                line, column = _line_col(node.start_mark)
                raise InputError(f"the document nests deeper than {MAX_DEPTH} levels", line, column)
            return self._convert_node(node)
        finally:
            self.depth -= 1

    def _convert_node(self, node) -> Value:
        loc = self.location(node)
        tag = node.tag
        if isinstance(node, yaml.ScalarNode):
            raw = self._scalar(node)
        elif isinstance(node, yaml.SequenceNode):
            raw = [self._convert(child) for child in node.value]
        else:
            raw = self._mapping(node)
        if tag.startswith("!"):
            return self._short_form(tag, raw, node, loc)
        return Value(raw, loc, LITERAL)

    def _scalar(self, node):
        if node.tag not in _KNOWN_SCALAR_TAGS:
            # Timestamps (`2010-09-09`), binary and short-form tags: CloudFormation sees the text.
            return node.value
        try:
            raw = self.loader.construct_object(node)
        except (ValueError, yaml.constructor.ConstructorError):
            # An integer of thousands of digits exceeds Python's int-conversion limit: keep its text.  The
            # constructor then still counts the node as being built, so an alias to it would be refused as
            # recursive: forget it.
            self.loader.recursive_objects.pop(node, None)
            return node.value
        if isinstance(raw, (datetime.date, datetime.datetime)):
            return node.value
        return raw

    def _mapping(self, node) -> dict[str, Value]:
        result: dict[str, Value] = {}
        first_seen: dict[str, int] = {}
        for key_node, value_node in _merged_pairs(node):
            if not isinstance(key_node, yaml.ScalarNode):
                line, column = _line_col(key_node.start_mark)
                raise InputError("a mapping key must be a plain value", line, column)
            key = str(self._scalar(key_node))
            line = key_node.start_mark.line + 1
            if key in first_seen:
                raise InputError(f"duplicate key {key!r} (first defined on line {first_seen[key]})", line,
                                 key_node.start_mark.column + 1)
            first_seen[key] = line
            value = self._convert(value_node)
            value.key_loc = self.location(key_node)
            result[key] = value
        return result

    def _short_form(self, tag: str, raw, node, loc: Location) -> Value:
        name = _BARE_TAGS.get(tag) or "Fn::" + tag[1:]
        if name == "Fn::GetAtt" and isinstance(raw, str):
            # `!GetAtt Resource.Attribute.Part` splits at the first dot only.
            logical_id, _, attribute = raw.partition(".")
            raw = [Value(logical_id, loc), Value(attribute, loc)]
        inner = Value(raw, loc, LITERAL)
        return Value({name: inner}, loc, LITERAL)


def _children(node) -> list:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _merged_pairs(node) -> list:
    """Mapping pairs with YAML merge keys (`<<: *base`) applied; explicit keys win over merged ones."""
    pairs = []
    merged = []
    for key_node, value_node in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            sources = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
            for source in sources:
                if isinstance(source, yaml.MappingNode):
                    merged.extend(_merged_pairs(source))
        else:
            pairs.append((key_node, value_node))
    explicit = {k.value for k, _ in pairs if isinstance(k, yaml.ScalarNode)}
    return [(k, v) for k, v in merged if k.value not in explicit] + pairs
