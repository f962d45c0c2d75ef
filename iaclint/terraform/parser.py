"""Parse one ``.tf`` file into python-hcl2's concrete syntax tree, which keeps every node's position."""

from __future__ import annotations

import re

from ..collector import collector_paused
from ..findings import InputError

# Parsed trees by text, least recently used first: a module directory is often read both as a root and as
# a child of other modules.  Trees are never modified after parsing, so sharing them is safe.  The bound
# keeps memory flat on large scans (4,000 trees held the whole corpus: 750 MiB peak; 128: ~170 MiB).
_CACHE: dict[str, object] = {}
_CACHE_LIMIT = 128
# Where parsed trees outlive the run (the result cache), or None: see `keep_trees_in`.
_store = None
# The parser is iterative and accepts 100,000 nested parentheses, but the evaluator is recursive: past a
# few thousand frames every value of the file silently became unknown.  Real files nest ~25 tree levels.
MAX_DEPTH = 500


def keep_trees_in(store) -> None:
    """Keep the trees of later parses in ``store`` (``load_parsed(text, kind)``, ``store_parsed(text, data,
    kind)``), and look for them there first: a file that did not change since the last run is not parsed
    again, and pool workers share what each parsed.  The parser's tables are kept there too.  ``None`` stops
    it."""
    global _store
    _store = store


def parse(text: str, *, cache: bool = True):
    """The Lark tree of ``text``; raises `InputError` with line and column on a syntax error.
    ``cache=False`` for a tree the caller will modify (template snippets whose positions are shifted)."""
    cached = _CACHE.pop(text, None) if cache else None
    if cached is not None:
        _CACHE[text] = cached  # now the most recently used
        return cached
    if cache and _store is not None:
        tree = _stored_tree(text)
        if tree is None:
            tree = _parsed(text)
            _store_tree(text, tree)
    else:
        tree = _parsed(text)
    if cache:
        if len(_CACHE) >= _CACHE_LIMIT:
            del _CACHE[next(iter(_CACHE))]
        _CACHE[text] = tree
    return tree


def _stored_tree(text: str):
    from . import trees

    data = _store.load_parsed(text, trees.KIND)
    if data is None:
        return None
    with collector_paused():  # as for parsing: many small objects, all kept
        try:
            return trees.decode(data)
        except ValueError:
            return None


def _store_tree(text: str, tree) -> None:
    from . import trees

    _store.store_parsed(text, trees.encode(tree), trees.KIND)


def _parsed(text: str):
    from lark.exceptions import LarkError, UnexpectedInput

    from . import grammar  # imported here: the parser costs ~0.1 s and only Terraform input needs it

    # Lark allocates many small objects that all survive: with the collector on, each parse pays for
    # scanning every tree parsed so far (measured: 2x-5x slower over the benchmark corpus).
    try:
        with collector_paused():
            # The newline as python-hcl2 adds it: its grammar cannot match "end of line or of file".
            tree = grammar.parser(_store).parse(_heredoc_markers(text) + "\n")
    except UnexpectedInput as exc:
        line = getattr(exc, "line", None)
        column = getattr(exc, "column", None)
        return _raise(f"invalid HCL: {_unexpected(exc)}", line if line and line > 0 else None, column)
    except (LarkError, RecursionError, ValueError):
        return _raise("invalid HCL: the file could not be parsed", None, None)
    _check_depth(tree)
    return tree


def _check_depth(tree) -> None:
    """Raise `InputError` at the first node nested deeper than `MAX_DEPTH` tree levels."""
    from lark import Token, Tree

    # A level at a time: one list comprehension per level instead of a stack push per node.
    level, depth = [tree], 1
    while level:
        if depth > MAX_DEPTH:
            # The line only: a node's column comes from its first kept token, not its (dropped) bracket.
            node = level[0]
            where = node if isinstance(node, Token) else getattr(node, "meta", None)
            line = getattr(where, "line", None)
            _raise(f"invalid HCL: expressions nest deeper than {MAX_DEPTH} levels; not evaluated", line, None)
        level = [child for node in level if isinstance(node, Tree) for child in node.children]
        depth += 1


_HEREDOC_OPENER = re.compile(r"<<-?([A-Za-z][\w.-]*)[ \t]*\r?\n")


def _heredoc_markers(text: str) -> str:
    """Terraform accepts spaces after a heredoc's closing marker (``EOF  ``); python-hcl2's grammar does
    not.  Remove them: only trailing blanks of those lines change, so every position stays the same."""
    if "<<" not in text:
        return text
    for marker in set(_HEREDOC_OPENER.findall(text)):
        text = re.sub(rf"^([ \t]*{re.escape(marker)})[ \t]+(?=\r?$)", r"\1", text, flags=re.M)
    return text


def _unexpected(exc) -> str:
    """What the parser did not expect, by kind only.  Lark's own message quotes the token's text, which can
    be a whole file (a credentials file named .tf printed its keys) or a secret value: never echo it."""
    from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedToken

    if isinstance(exc, UnexpectedEOF) or (isinstance(exc, UnexpectedToken) and exc.token.type == "$END"):
        return "unexpected end of file"
    if isinstance(exc, UnexpectedCharacters):
        return "unexpected character"
    if isinstance(exc, UnexpectedToken):
        text = str(exc.token)
        if 0 < len(text) <= 3 and not any(c.isalnum() for c in text):
            return f"unexpected {text!r}"  # punctuation: safe to show, and what the user looks for
        return "unexpected text"
    return "syntax error"


def _raise(message: str, line, column):
    raise InputError(message, line, column if column and column > 0 else None)
