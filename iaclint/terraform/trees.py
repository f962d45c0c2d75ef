"""python-hcl2's syntax trees as bytes and back, for the result cache: decoding a tree costs about a fifth of
parsing its text again.

A tree becomes nested tuples that ``marshal`` writes at C speed: ``(type, text, line, column, end_line,
end_column)`` for a token, ``(rule, children)`` for a `Node` (its position is worked out from its tokens again
when asked for) and ``(rule, position, children)`` for any other node, where a position is ``(line, column,
end_line, end_column)`` or ``None`` for a node that spans nothing.  Offsets into the text are not kept: no
reader of the trees uses them.  ``marshal`` must only read bytes this program wrote; the cache makes sure of
it by signing every entry.
"""

from __future__ import annotations

import marshal
import zlib

from lark import Token, Tree
from lark.tree import Meta

from .grammar import Node

# The kind of cache entry that holds a file's tree.
KIND = "tree"


def encode(tree: Tree) -> bytes:
    return zlib.compress(marshal.dumps(_plain(tree)), 1)


def decode(data: bytes) -> Tree:
    """The tree ``encode`` was given; raises ``ValueError`` when ``data`` is not one."""
    try:
        return _tree(marshal.loads(zlib.decompress(data)))
    except (EOFError, TypeError, ValueError, IndexError, zlib.error) as exc:
        raise ValueError(f"not an encoded syntax tree: {exc}") from None


def _plain(node):
    if isinstance(node, Token):
        return (node.type, str(node), node.line, node.column, node.end_line, node.end_column)
    if node is None:  # an optional part of a rule that was absent
        return None
    children = [_plain(child) for child in node.children]
    if isinstance(node, Node):
        return (str(node.data), children)
    meta = node.meta
    position = None if meta.empty else (meta.line, meta.column, meta.end_line, meta.end_column)
    return (str(node.data), position, children)


def _tree(plain):
    if plain is None:
        return None
    if len(plain) == 6:
        kind, text, line, column, end_line, end_column = plain
        return Token(kind, text, None, line, column, end_line, end_column)
    if len(plain) == 2:
        rule, children = plain
        return Node(rule, [_tree(child) for child in children])
    rule, position, children = plain
    meta = Meta()
    if position is not None:
        meta.line, meta.column, meta.end_line, meta.end_column = position
        meta.empty = False
    return Tree(rule, [_tree(child) for child in children], meta)
