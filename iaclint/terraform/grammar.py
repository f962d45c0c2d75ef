"""python-hcl2's parser, built to leave a node's position until it is asked for.

python-hcl2 builds its Lark parser with ``propagate_positions``: as each rule is reduced, Lark looks through
the children for the first and last position and copies them into a new ``Meta``.  Over the benchmark corpus
that was a quarter to a third of the parse, for positions most nodes never report.  `Node` works the same
answer out on first use instead.  The two agree when no token is dropped from the tree (a dropped bracket
would still count for Lark): python-hcl2's grammar names every token, and `keeps_every_token` checks it, so
a grammar that drops one gets python-hcl2's own parser.

The parser is python-hcl2's: the same grammar, tables, lexer and post-lexer, only loaded with other tree
options.  Its tables are kept in the result cache, so a process reads them once instead of loading
python-hcl2's parser and converting it.
"""

from __future__ import annotations

import marshal
import os
import zlib

from lark import Lark, Token, Tree
from lark.tree import Meta

# The kind of cache entry that holds the tables (the trees of `.tf` files are another kind).
TABLES = "hcl2-tables"

_parser: Lark | None = None


class Node(Tree):
    """A syntax tree node whose ``meta`` (line, column, end line, end column, offsets) is worked out from its
    first and last positioned child when first asked for, and kept."""

    @property
    def meta(self) -> Meta:
        meta = self._meta
        if meta is None:
            meta = self._meta = Meta()
            first = _positioned(self.children)
            if first is not None:
                last = _positioned(reversed(self.children))
                meta.line, meta.column, meta.start_pos = first.line, first.column, first.start_pos
                meta.end_line, meta.end_column, meta.end_pos = last.end_line, last.end_column, last.end_pos
                meta.empty = False
        return meta


def _positioned(children):
    """The first child that spans text: a token, or a node that is not empty (as Lark's propagation)."""
    for child in children:
        if isinstance(child, Tree):
            meta = child.meta
            if not meta.empty:
                return meta
        elif isinstance(child, Token):
            return child
    return None


def parser(store=None) -> Lark:
    """The parser, made once per process.  Without a ``store`` (``load_parsed(text, kind)``,
    ``store_parsed(text, data, kind)``) it is python-hcl2's own, with eager positions: converting it costs
    more than a handful of files would save."""
    global _parser
    if _parser is not None:
        return _parser
    import hcl2.parser

    if store is None:
        return hcl2.parser.parser()
    grammar = _grammar_text(hcl2.parser.__file__)
    _parser = _from_tables(store.load_parsed(grammar, TABLES)) if grammar is not None else None
    if _parser is None:
        _parser = _converted(hcl2.parser.parser(), store, grammar)
    return _parser


def _grammar_text(module_file: str) -> str | None:
    try:
        with open(os.path.join(os.path.dirname(module_file), "hcl2.lark"), encoding="utf-8") as stream:
            return stream.read()
    except OSError:
        return None


def _from_tables(data: bytes | None) -> Lark | None:
    """The lazy parser from tables `_converted` stored, or None when there are none or they do not load."""
    if data is None:
        return None
    try:
        tables = marshal.loads(zlib.decompress(data))
        return _load(tables["data"], tables["memo"])
    except Exception:  # noqa: BLE001 - any fault in a stored entry means: build the tables again
        return None


def _converted(standard: Lark, store, grammar: str | None) -> Lark:
    """python-hcl2's parser loaded again with lazy positions (and its tables stored), or itself unchanged when
    its grammar drops a token."""
    if not keeps_every_token(standard):
        return standard
    from lark.grammar import Rule
    from lark.lexer import TerminalDef

    try:
        data, memo = standard.memo_serialize([TerminalDef, Rule])
        # The post-lexer is an object, not data: it is given again on loading.
        data["options"] = {name: value for name, value in data["options"].items() if name != "postlex"}
        lazy = _load(data, memo)
    except Exception:  # noqa: BLE001 - a Lark that serialises or loads otherwise: its own parser still works
        return standard
    if grammar is not None:
        store.store_parsed(grammar, zlib.compress(marshal.dumps({"data": data, "memo": memo}), 1), TABLES)
    return lazy


def _load(data, memo) -> Lark:
    from hcl2.postlexer import PostLexer

    # Lark's loader takes tree options (those that do not change the tables) as keywords; it has no public
    # name for this, but it is how Lark itself loads a cached parser with new options.
    return Lark._load_from_dict(data, memo, propagate_positions=False, tree_class=Node, postlex=PostLexer())


def keeps_every_token(standard: Lark) -> bool:
    """Whether every token the parser reads stays in the tree (none filtered out as punctuation)."""
    return all(rule.options.keep_all_tokens or not any(symbol.is_term and symbol.filter_out
                                                       for symbol in rule.expansion)
               for rule in standard.rules)
