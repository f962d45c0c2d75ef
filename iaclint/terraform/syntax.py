"""Read python-hcl2's concrete syntax tree: blocks, attributes, positions, and string templates.

python-hcl2 keeps a heredoc as one token and leaves template directives flat, so this module also turns
quoted strings, heredocs and template files into one list of `TemplatePart`s, parsing each interpolated
expression with positions that point into the original file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lark import Token, Tree

from ..values import Location, span


@dataclass(slots=True)
class Block:
    type: str
    labels: list[str]
    loc: Location
    attributes: dict[str, "Attribute"] = field(default_factory=dict)
    blocks: list["Block"] = field(default_factory=list)
    file: str = ""


@dataclass(slots=True)
class Attribute:
    name: str
    expression: Tree
    loc: Location  # of the name


def location(node, file: str) -> Location:
    if isinstance(node, Tree):
        meta = node.meta
        if meta.empty:
            return Location(file, 1, 1)
    else:
        meta = node  # a token: its own position (None where a token was made up rather than read)
    end_column = meta.end_column
    # One per node read: the cheaper constructor.
    return span(file, meta.line or 1, meta.column or 1, meta.end_line, end_column - 1 if end_column else None)


def read_body(body: Tree, file: str, block: Block) -> None:
    for child in body.children:
        if not isinstance(child, Tree):
            continue
        if child.data == "attribute":
            name_node = child.children[0]
            name = _name(name_node)
            expression = child.children[-1]
            block.attributes[name] = Attribute(name, expression, location(name_node, file))
        elif child.data == "block":
            block.blocks.append(read_block(child, file))


def read_block(node: Tree, file: str) -> Block:
    names: list[str] = []
    body = None
    for child in node.children:
        if isinstance(child, Tree):
            if child.data == "body":
                body = child
            elif child.data in ("identifier", "keyword", "literal_value", "string"):
                names.append(_name(child))
    block = Block(names[0], names[1:], location(node, file), file=file)
    if body is not None:
        read_body(body, file, block)
    return block


def read_file(tree: Tree, file: str) -> list[Block]:
    root = Block("", [], Location(file, 1, 1), file=file)
    body = tree.children[0] if tree.children else None
    if isinstance(body, Tree):
        read_body(body, file, root)
    return root.blocks


def _name(node) -> str:
    if isinstance(node, Token):
        return str(node)
    if node.data == "string":
        return "".join(string_text(part) for part in node.children if isinstance(part, Tree))
    return "".join(str(token) for token in node.scan_values(lambda v: isinstance(v, Token)))


def string_text(part: Tree) -> str:
    return "".join(str(token) for token in part.scan_values(lambda v: isinstance(v, Token)))


def expressions_of(node: Tree | None) -> list[Tree]:
    """The child trees of ``node`` that are not newlines or comments."""
    if node is None:
        return []
    return [c for c in node.children if isinstance(c, Tree) and c.data != "new_line_or_comment"]


# -- expressions parsed out of template text ----------------------------------------------------------------

def parse_expression(text: str, line: int, column: int) -> Tree:
    """Parse one HCL expression written at ``line``/``column`` of some file; the positions in the tree
    point there.  Raises `InputError` when it does not parse."""
    from .parser import parse

    tree = parse("_=" + text, cache=False)
    attribute = next(tree.children[0].find_data("attribute"))
    expression = attribute.children[-1]
    _shift(expression, line - 1, column - 3)
    return expression


def _shift(tree: Tree, lines: int, columns: int) -> None:
    nodes = list(tree.iter_subtrees())
    # A node's position may be worked out from its children on first use: take every one before any moves.
    metas = [node.meta for node in nodes]
    for node, meta in zip(nodes, metas):
        if not getattr(meta, "empty", True):
            if meta.line == 1:
                meta.column += columns
            if meta.end_line == 1:
                meta.end_column += columns
            meta.line += lines
            meta.end_line += lines
        for child in node.children:
            if isinstance(child, Token) and child.line is not None:
                if child.line == 1:
                    child.column += columns
                if child.end_line == 1 and child.end_column is not None:
                    child.end_column += columns
                child.line += lines
                if child.end_line is not None:
                    child.end_line += lines


# -- templates -------------------------------------------------------------------------------------------------

@dataclass(slots=True)
class TemplatePart:
    """One piece of a template: ``text`` (already unescaped), ``interp`` (``expr``), or a directive
    ``if`` / ``else`` / ``endif`` / ``for`` / ``endfor`` (``expr`` is the condition or collection,
    ``names`` the for variables).  ``strip_left``/``strip_right`` are the ``~`` markers."""

    kind: str
    loc: Location
    text: str = ""
    expr: Tree | None = None
    names: tuple[str, ...] = ()
    strip_left: bool = False
    strip_right: bool = False


_SPECIAL = re.compile(r"[$%]")
_DIRECTIVE = re.compile(r"^(~?)\s*(if|else|endif|for|endfor)\b(.*?)\s*(~?)$", re.S)
_FOR_HEAD = re.compile(r"^\s*([A-Za-z_][\w-]*)\s*(?:,\s*([A-Za-z_][\w-]*)\s*)?\s+in\s+(.*)$", re.S)


class TemplateError(ValueError):
    pass


def scan_template(text: str, file: str, line: int, column: int, *, unescape_backslashes: bool) -> list[TemplatePart]:
    """Split template ``text`` (a heredoc body or a template file, starting at ``line``/``column``)
    into parts.  Raises `TemplateError` (or `InputError`) when an interpolation is malformed."""
    parts: list[TemplatePart] = []
    buffer: list[str] = []
    buffer_start = (line, column)
    i, n = 0, len(text)
    cur_line, cur_col = line, column

    def advance(upto: int) -> None:
        nonlocal i, cur_line, cur_col
        segment = text[i:upto]
        newlines = segment.count("\n")
        if newlines:
            cur_line += newlines
            cur_col = len(segment) - segment.rfind("\n")
        else:
            cur_col += len(segment)
        i = upto

    def flush() -> None:
        if buffer:
            raw = "".join(buffer)
            parts.append(TemplatePart("text", Location(file, buffer_start[0], buffer_start[1]),
                                      text=_unescape(raw) if unescape_backslashes else raw))
            buffer.clear()

    while i < n:
        if text.startswith("$${", i) or text.startswith("%%{", i):
            if not buffer:
                buffer_start = (cur_line, cur_col)
            buffer.append(text[i + 1 : i + 3])
            advance(i + 3)
            continue
        if text.startswith("${", i) or text.startswith("%{", i):
            flush()
            start_loc = Location(file, cur_line, cur_col)
            end = _closing_brace(text, i + 2)
            if end is None:
                raise TemplateError(f"unterminated template sequence at line {cur_line}")
            inner = text[i + 2 : end]
            inner_start = (cur_line, cur_col + 2)
            is_directive = text[i] == "%"
            advance(end + 1)
            if not is_directive:
                strip_left = inner.startswith("~")
                strip_right = inner.rstrip().endswith("~") and not inner.rstrip().endswith("~~")
                body, offset = inner, 0
                if strip_left:
                    body, offset = body[1:], 1
                if strip_right:
                    body = body.rstrip()[:-1]
                expr = parse_expression(body, inner_start[0], inner_start[1] + offset)
                parts.append(TemplatePart("interp", start_loc, expr=expr, strip_left=strip_left, strip_right=strip_right))
                continue
            parts.append(_directive(inner, start_loc, inner_start))
            continue
        if not buffer:
            buffer_start = (cur_line, cur_col)
        # Copy plain text up to the next `$` or `%` (which may start a sequence) in one step.
        found = _SPECIAL.search(text, i + 1)
        nxt = found.start() if found else n
        buffer.append(text[i:nxt])
        advance(nxt)
    flush()
    return parts


def _directive(inner: str, loc: Location, inner_start: tuple[int, int]) -> TemplatePart:
    match = _DIRECTIVE.match(inner.strip())
    if not match:
        raise TemplateError(f"unknown template directive %{{{inner.strip()}}}")
    strip_left, keyword, rest, strip_right = match.group(1) == "~", match.group(2), match.group(3), match.group(4) == "~"
    part = TemplatePart(keyword, loc, strip_left=strip_left, strip_right=strip_right)
    # Where the rest of the directive starts, for the positions of its expression.
    rest_offset = inner.find(rest) if rest else 0
    before = inner[:rest_offset]
    line = inner_start[0] + before.count("\n")
    column = (len(before) - before.rfind("\n")) if "\n" in before else inner_start[1] + rest_offset
    if keyword == "if":
        part.expr = parse_expression(rest, line, column)
    elif keyword == "for":
        head = _FOR_HEAD.match(rest)
        if not head:
            raise TemplateError("malformed %{for} directive")
        part.names = tuple(name for name in head.group(1, 2) if name)
        collection = head.group(3)
        offset = rest.rfind(collection)
        part.expr = parse_expression(collection, line, column + offset if "\n" not in rest[:offset] else 1)
    return part


def _closing_brace(text: str, i: int) -> int | None:
    """Index of the ``}`` that closes a template sequence whose body starts at ``i``."""
    stack = ["code"]
    n = len(text)
    while i < n:
        char = text[i]
        state = stack[-1]
        if state == "str":
            if char == "\\":
                i += 2
                continue
            if char == '"':
                stack.pop()
            elif text.startswith("${", i) or text.startswith("%{", i):
                stack.append("code")
                i += 2
                continue
        else:
            if char == '"':
                stack.append("str")
            elif char == "{":
                stack.append("code")
            elif char == "}":
                stack.pop()
                if not stack:
                    return i
        i += 1
    return None


def string_parts(node: Tree, file: str) -> list[TemplatePart]:
    """The parts of a quoted string node (``string``), unescaped."""
    parts: list[TemplatePart] = []
    for part in node.children:
        if not isinstance(part, Tree):
            continue
        piece = part.children[0] if part.children else None
        if piece is None:
            continue
        if isinstance(piece, Token):
            loc = location(piece, file)
            text = str(piece)
            if piece.type in ("ESCAPED_INTERPOLATION", "ESCAPED_DIRECTIVE"):
                text = text[1:]
            else:
                text = _unescape(text)
            parts.append(TemplatePart("text", loc, text=text))
            continue
        loc = location(piece, file)
        kind = piece.data
        if kind == "interpolation":
            parts.append(TemplatePart("interp", loc, expr=piece.children[1]))
            continue
        tokens = [c for c in piece.children if isinstance(c, Token)]
        strips = [t for t in tokens if t.type == "STRIP_MARKER"]
        strip_left = bool(strips) and tokens.index(strips[0]) == 1
        strip_right = bool(strips) and tokens[-2].type == "STRIP_MARKER"
        trees = expressions_of(piece)
        if kind == "template_if_start":
            parts.append(TemplatePart("if", loc, expr=trees[-1], strip_left=strip_left, strip_right=strip_right))
        elif kind == "template_else":
            parts.append(TemplatePart("else", loc, strip_left=strip_left, strip_right=strip_right))
        elif kind == "template_endif":
            parts.append(TemplatePart("endif", loc, strip_left=strip_left, strip_right=strip_right))
        elif kind == "template_for_start":
            names = tuple(str(t.children[0]) for t in trees if t.data == "identifier")
            parts.append(TemplatePart("for", loc, expr=trees[-1], names=names, strip_left=strip_left,
                                      strip_right=strip_right))
        elif kind == "template_endfor":
            parts.append(TemplatePart("endfor", loc, strip_left=strip_left, strip_right=strip_right))
    return parts


def heredoc_parts(token_text: str, file: str, line: int, *, trim: bool) -> list[TemplatePart]:
    """The parts of a heredoc token (``<<EOT\\n…\\nEOT\\n`` or ``<<-EOT``); ``<<-`` removes the smallest
    indentation of the non-blank lines (Terraform's rule; the closing marker's line does not count)."""
    lines = token_text.replace("\r\n", "\n").split("\n")
    body = lines[1:-2]  # the opening `<<EOT`, then the closing marker line and the final empty string
    cut = 0
    if trim:
        indents = [len(text) - len(text.lstrip(" \t")) for text in body if text.strip()]
        cut = min(indents, default=0)
    parts: list[TemplatePart] = []
    for number, text in enumerate(body):
        content = text[cut:] + "\n"
        # Each line is scanned on its own only when it holds no template sequence spanning lines; scan
        # the whole body at once instead so that `${` … `}` across lines works.
        body[number] = content
    joined = "".join(body)
    if not trim or cut == 0:
        return scan_template(joined, file, line + 1, 1, unescape_backslashes=False)
    # With trimming, columns shift by ``cut`` on every line: scan line by line when no sequence spans lines.
    try:
        for number, content in enumerate(body):
            parts.extend(scan_template(content, file, line + 1 + number, 1 + cut, unescape_backslashes=False))
        return _merge_text(parts)
    except TemplateError:
        return scan_template(joined, file, line + 1, 1, unescape_backslashes=False)


def _merge_text(parts: list[TemplatePart]) -> list[TemplatePart]:
    merged: list[TemplatePart] = []
    for part in parts:
        if part.kind == "text" and merged and merged[-1].kind == "text":
            merged[-1].text += part.text
        else:
            merged.append(part)
    return merged


_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}


def _unescape(text: str) -> str:
    if "\\" not in text:
        return text
    out, i = [], 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text):
            following = text[i + 1]
            if following in _ESCAPES:
                out.append(_ESCAPES[following])
                i += 2
                continue
            if following in "uU":
                width = 4 if following == "u" else 8
                try:
                    out.append(chr(int(text[i + 2 : i + 2 + width], 16)))
                    i += 2 + width
                    continue
                except ValueError:
                    pass
        out.append(char)
        i += 1
    return "".join(out)
