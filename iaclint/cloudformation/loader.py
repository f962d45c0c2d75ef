"""Read a YAML or JSON template into a `Value` tree that keeps the position of every key and value.

PyYAML reads JSON too (every JSON template in the corpus parses identically), so one reader serves both
and JSON findings get the same exact lines as YAML ones.  Values are built from the parser's events, whose
marks give each value its line and column.  Documents with merge keys (`<<: *base`), and documents refused
for anything but their syntax, are read again by composing the node graph: its order of merged keys and of
the checks (which error a document with several gets) is the reference, and such documents are rare.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager

import yaml

from ..collector import collector_paused
from ..findings import InputError
from ..values import LITERAL, Location, Value, span

try:  # libyaml is ~10x faster; fall back to the pure-Python reader where it is missing.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

# Short-form intrinsic tags: `!Ref X` is `{Ref: X}`, `!Sub s` is `{Fn::Sub: s}`, and so on.
_BARE_TAGS = {"!Ref": "Ref", "!Condition": "Condition"}
# An alias-expansion bomb ("billion laughs") is a small file that expands to a huge tree: refuse it early.
# CloudFormation accepts templates of at most 1 MB, which hold fewer nodes than this; only aliases get there.
MAX_EXPANDED_NODES = 500_000  # nodes that aliases add beyond the document's own
# A 20 MiB flow list of 10 million numbers took minutes and gigabytes to compose.  In text over
# CloudFormation's own 1 MB template limit the values are counted as they are read (and, before composing,
# as events: ~5x cheaper than nodes, counting stops at the limit); 50,000 resources are ~800,000 nodes.
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
    """Read ``text`` into a `Value` tree.  Raises `InputError` (with line and column) when it is not
    well-formed YAML/JSON, has duplicate keys, or expands beyond `MAX_EXPANDED_NODES`."""
    counted = len(text) > _COUNT_NODES_ABOVE and _most_nodes(text) > MAX_NODES
    try:
        with collector_paused(), _reading(text) as loader:  # values hold no cycles
            return _EventReader(file, MAX_NODES if counted else None).read(loader)
    except _Unusual:
        return compose(text, file)


def compose(text: str, file: str) -> Value:
    """`parse` through PyYAML's node graph (about three times the time, twice the memory): what `parse`
    must give, and how it reads the documents it cannot read exactly from events."""
    if len(text) > _COUNT_NODES_ABOVE and _most_nodes(text) > MAX_NODES:
        _check_node_count(text)
    with _reading(text) as loader:
        node = loader.get_single_node()
    if node is None:
        return Value(None, Location(file, 1, 1))
    # Without an anchor (`&name`) there is no alias to expand and nothing to count.
    return _Converter(file, loader, may_alias="&" in text).convert(node)


@contextmanager
def _reading(text: str):
    """A parser of ``text``; what it refuses as YAML becomes `InputError` with a line and column."""
    loader = None
    try:
        loader = _Loader(text)  # the pure-Python reader checks the characters here already
        yield loader
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
                    raise _too_many_nodes(event.start_mark)
    except yaml.YAMLError:
        return  # composing reports it, with its position
    finally:
        loader.dispose()


def _too_many_nodes(mark) -> InputError:
    return InputError(f"the document has more than {MAX_NODES:,} values; not scanned", *_line_col(mark))


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


class _Unusual(Exception):
    """A document the event reader leaves to the composing one (see the module's docstring)."""


_MISSING = object()
_MERGE_TAG = "tag:yaml.org,2002:merge"


class _EventReader:
    """Builds the `Value` tree of one document from the parser's events, as the composing reader would,
    without holding the node graph: merge keys and every document that reader would refuse for something
    other than its syntax (a duplicate key, a key that is a collection, nesting past `MAX_DEPTH`, an
    undefined, duplicate or recursive anchor, aliases past `MAX_EXPANDED_NODES`, more than one document)
    raise `_Unusual`.  Refusing more than needed is harmless: the composing reader decides."""

    def __init__(self, file: str, node_limit: int | None) -> None:
        self.file = file
        self.node_limit = node_limit
        self.loader = None
        # Anchor name -> (value, size of its expansion in nodes, its text as a key or None); None while open.
        self.anchors: dict[str, tuple[Value, int, str | None] | None] = {}
        self.expanded = 0  # nodes that aliases add
        # A plain scalar's text -> its value (same text, same value); quoted texts share one string.
        self.plain: dict[str, object] = {}
        self.quoted: dict[str, str] = {}
        self.plain_keys: dict[str, str] = {}

    def read(self, loader) -> Value:
        """The document's value.  One loop over local names: it runs once per event (800,000 for 50,000
        resources), the rare cases (tags, anchors, aliases) in methods."""
        self.loader = loader
        get_event = loader.get_event
        file = self.file
        limit = self.node_limit or sys.maxsize
        plain, quoted, plain_keys, anchors = self.plain, self.quoted, self.plain_keys, self.anchors
        get_event()  # the stream's start
        if type(get_event()) is yaml.StreamEndEvent:
            return Value(None, Location(file, 1, 1))
        # Open collections, innermost last: the state of their parent to resume when they end.
        stack: list[tuple] = []
        container: dict | list | None = None  # the innermost open collection
        in_map = False
        key: str | None = None  # in a mapping, the key whose value comes next; None when a key comes next
        key_loc: Location | None = None
        root: Value | None = None
        nodes = 0
        last_line = -1
        line = 0
        while True:
            event = get_event()
            kind = type(event)
            if kind is _SCALAR:
                nodes += 1
                if nodes > limit:
                    raise _too_many_nodes(event.start_mark)
                start, end = event.start_mark, event.end_mark
                if start.line != last_line:  # values on one line share its number
                    last_line = start.line
                    line = last_line + 1
                loc = span(file, line, start.column + 1, line if end.line == last_line else end.line + 1,
                           end.column or 1)
                text = event.value
                tag = event.tag
                if in_map and key is None:
                    if tag is None and event.implicit[0]:
                        key = plain_keys.get(text)
                        if key is None:
                            key = plain_keys[text] = self.key(tag, event.implicit, text)
                    elif tag is None:
                        key = quoted.get(text) or quoted.setdefault(text, text)
                    else:
                        key = self.key(tag, event.implicit, text)
                    if key in container:
                        raise _Unusual
                    key_loc = loc
                    if event.anchor is not None:
                        self.anchor_scalar(event, tag, text, loc, key)
                    continue
                if tag is None:
                    if event.implicit[0]:
                        raw = plain.get(text, _MISSING)
                        if raw is _MISSING:
                            raw = self.scalar(tag, event.implicit, text)
                            if not isinstance(raw, float):  # each NaN is its own object
                                plain[text] = raw
                    else:
                        raw = quoted.get(text) or quoted.setdefault(text, text)
                    value = Value(raw, loc, LITERAL)
                else:
                    value = self.tagged(tag, event.implicit, text, loc)
                if event.anchor is not None:
                    self.anchor_scalar(event, tag, text, loc, None)
            elif kind is _MAPPING_START or kind is _SEQUENCE_START:
                nodes += 1
                if nodes > limit:
                    raise _too_many_nodes(event.start_mark)
                if (in_map and key is None) or len(stack) >= MAX_DEPTH - 1:
                    raise _Unusual  # a collection as a key; or its values could nest too deep
                anchor = event.anchor
                if anchor is not None:
                    if anchor in anchors:
                        raise _Unusual
                    anchors[anchor] = None
                stack.append((container, in_map, key, key_loc, event, anchor, nodes + self.expanded))
                in_map = kind is _MAPPING_START
                container = {} if in_map else []
                key = None
                continue
            elif kind is _MAPPING_END or kind is _SEQUENCE_END:
                raw = container
                container, in_map, key, key_loc, started, anchor, before = stack.pop()
                start, end = started.start_mark, event.end_mark
                loc = span(file, start.line + 1, start.column + 1, end.line + 1, end.column or 1)
                tag = started.tag
                if tag is not None and tag != "!" and tag.startswith("!"):
                    value = _short_form(tag, raw, loc)
                else:
                    value = Value(raw, loc, LITERAL)
                if anchor is not None:
                    anchors[anchor] = (value, nodes + self.expanded - before + 1, None)
            elif kind is _ALIAS:
                anchored = anchors.get(event.anchor)
                if anchored is None:  # undefined, or inside its own anchor
                    raise _Unusual
                target, size, as_key = anchored
                # The composing reader refuses a document whose aliases add this many nodes (at its root,
                # if not at a node below).
                self.expanded += size
                if self.expanded >= MAX_EXPANDED_NODES:
                    raise _Unusual
                if in_map and key is None:
                    if as_key is None or as_key in container:
                        raise _Unusual
                    key = as_key
                    key_loc = target.loc
                    continue
                value, height = _copy(target)
                if len(stack) + height > MAX_DEPTH:
                    raise _Unusual
            elif kind is yaml.DocumentEndEvent:
                break
            else:
                raise _Unusual
            if container is None:
                root = value
            elif in_map:
                value.key_loc = key_loc
                container[key] = value
                key = None
            else:
                container.append(value)
        if type(get_event()) is not yaml.StreamEndEvent:
            raise _Unusual  # more than one document
        return root

    def scalar(self, tag: str | None, implicit, text: str):
        """What the composing reader makes of a scalar, before its short-form tag (if any) is applied."""
        if tag is None or tag == "!":
            tag = self.loader.resolve(yaml.ScalarNode, text, implicit)
        try:
            return _scalar_value(self.loader, tag, text)
        except Exception:
            raise _Unusual from None

    def key(self, tag: str | None, implicit, text: str) -> str:
        if tag is None or tag == "!":
            tag = self.loader.resolve(yaml.ScalarNode, text, implicit)
        if tag == _MERGE_TAG:
            raise _Unusual
        return str(self.scalar(tag, implicit, text))

    def tagged(self, tag: str, implicit, text: str, loc: Location) -> Value:
        raw = self.scalar(tag, implicit, text)
        if tag != "!" and tag.startswith("!"):
            return _short_form(tag, raw, loc)
        return Value(raw, loc, LITERAL)

    def anchor_scalar(self, event, tag: str | None, text: str, loc: Location, key: str | None) -> None:
        """Remember an anchored scalar, read as a key (``key``) or as a value: an alias may use it as either."""
        if event.anchor in self.anchors:
            raise _Unusual
        if key is None:
            key = self.key(tag, event.implicit, text)
        value = self.tagged(tag, event.implicit, text, loc) if tag is not None else Value(
            self.scalar(tag, event.implicit, text), loc, LITERAL)
        self.anchors[event.anchor] = (value, 1, key)


_SCALAR = yaml.ScalarEvent
_MAPPING_START = yaml.MappingStartEvent
_MAPPING_END = yaml.MappingEndEvent
_SEQUENCE_START = yaml.SequenceStartEvent
_SEQUENCE_END = yaml.SequenceEndEvent
_ALIAS = yaml.AliasEvent


def _scalar_value(loader, tag: str, text: str):
    """What CloudFormation sees of a scalar whose tag is resolved: a number, boolean or null as such; the text
    of anything else (timestamps such as `2010-09-09`, binary, short-form tags)."""
    if tag not in _KNOWN_SCALAR_TAGS or tag == _STR_TAG:
        return text
    try:
        # The constructor itself, not construct_object: a scalar has no children, and construct_object's
        # bookkeeping of nodes being built would outlive a failure.
        return loader.yaml_constructors[tag](loader, yaml.ScalarNode(tag, text))
    except (ValueError, yaml.constructor.ConstructorError):
        return text  # an integer of thousands of digits exceeds Python's int-conversion limit


def _copy(value: Value) -> tuple[Value, int]:
    """A fresh copy of a value just read (what reading its node again gives) and its height in values."""
    raw = value.raw
    height = 0
    if isinstance(raw, dict):
        copied: dict | list = {}
        for name, item in raw.items():
            copied[name], below = _copy(item)
            copied[name].key_loc = item.key_loc
            height = max(height, below)
    elif isinstance(raw, list):
        copied = []
        for item in raw:
            made, below = _copy(item)
            copied.append(made)
            height = max(height, below)
    else:
        copied = raw
    return Value(copied, value.loc, LITERAL), height + 1


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
        return span(self.file, start.line + 1, start.column + 1, end.line + 1, max(end.column, 1))

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
            return _short_form(tag, raw, loc)
        return Value(raw, loc, LITERAL)

    def _scalar(self, node):
        return _scalar_value(self.loader, node.tag, node.value)

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


def _short_form(tag: str, raw, loc: Location) -> Value:
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
