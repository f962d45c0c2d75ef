"""Evaluate HCL expressions into `Value`s.

This first version knows literals, strings without unknown interpolations, tuples, objects, heredocs,
``jsonencode`` and references: ``var.x`` is unknown but recorded in ``via`` (so the secret rules can follow
it to the variable), ``aws_x.y.attr`` is a `ResourceRef`, anything else is unknown with the reason.
"""

from __future__ import annotations

import json

from lark import Token, Tree

from ..values import LITERAL, RESOLVED, UNKNOWN, Location, ResourceRef, Value
from .syntax import location

_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}


class Evaluator:
    def __init__(self, file: str, resource_types: set[str]) -> None:
        self.file = file
        self.resource_types = resource_types

    def evaluate(self, node) -> Value:
        loc = location(node, self.file)
        if isinstance(node, Token):
            return Value(str(node), loc)
        kind = node.data
        method = getattr(self, "_" + kind, None)
        if method is None:
            return Value.unknown(loc, f"{kind.replace('_', ' ')} is not evaluated")
        return method(node, loc)

    # -- terms ----------------------------------------------------------------------------------------
    def _expr_term(self, node: Tree, loc: Location) -> Value:
        inner = [child for child in node.children if isinstance(child, Tree) and child.data != "new_line_or_comment"]
        if len(inner) == 1:
            return self.evaluate(inner[0])
        return Value.unknown(loc, "expression is not evaluated")

    def _int_lit(self, node: Tree, loc: Location) -> Value:
        return Value(int(node.children[0]), loc)

    def _float_lit(self, node: Tree, loc: Location) -> Value:
        return Value(float(node.children[0]), loc)

    def _literal_value(self, node: Tree, loc: Location) -> Value:
        return Value({"true": True, "false": False, "null": None}[str(node.children[0])], loc)

    def _unary_op(self, node: Tree, loc: Location) -> Value:
        operator, operand = str(node.children[0]), self.evaluate(node.children[1])
        if operand.is_unknown:
            return operand
        if operator == "-" and isinstance(operand.raw, (int, float)):
            return Value(-operand.raw, loc, operand.origin)
        if operator == "!" and isinstance(operand.raw, bool):
            return Value(not operand.raw, loc, operand.origin)
        return Value.unknown(loc, f"operator {operator} is not evaluated")

    def _string(self, node: Tree, loc: Location) -> Value:
        parts: list[Value] = []
        for part in node.children:
            if not isinstance(part, Tree):
                continue
            piece = part.children[0]
            if isinstance(piece, Token):
                text = str(piece)
                if piece.type == "ESCAPED_INTERPOLATION":
                    text = text[1:]
                elif piece.type == "ESCAPED_DIRECTIVE":
                    text = text[1:]
                else:
                    text = _unescape(text)
                parts.append(Value(text, loc))
            elif piece.data == "interpolation":
                parts.append(self.evaluate(piece.children[1]))
            else:
                return Value.unknown(loc, "template directives are not evaluated")
        return _concatenate(parts, loc)

    def _heredoc_template(self, node: Tree, loc: Location) -> Value:
        return self._heredoc(str(node.children[0]), loc, trim=False)

    def _heredoc_template_trim(self, node: Tree, loc: Location) -> Value:
        return self._heredoc(str(node.children[0]), loc, trim=True)

    def _heredoc(self, text: str, loc: Location, *, trim: bool) -> Value:
        lines = text.split("\n")
        body = lines[1:-2]  # drop `<<EOT` and the closing marker (the token ends with a newline)
        if trim:
            indents = [len(line) - len(line.lstrip(" \t")) for line in body if line.strip()]
            cut = min(indents, default=0)
            body = [line[cut:] for line in body]
        content = "\n".join(body) + ("\n" if body else "")
        if "${" in content.replace("$${", ""):
            return Value.unknown(loc, "heredoc interpolation is not evaluated")
        return Value(content.replace("$${", "${").replace("%%{", "%{"), loc)

    def _tuple(self, node: Tree, loc: Location) -> Value:
        items = [self.evaluate(child) for child in _expressions(node)]
        return Value(items, loc)

    def _object(self, node: Tree, loc: Location) -> Value:
        result: dict[str, Value] = {}
        for element in node.children:
            if not isinstance(element, Tree) or element.data != "object_elem":
                continue
            key_node, value_node = element.children[0], element.children[-1]
            key = self._object_key(key_node)
            if key is None:
                return Value.unknown(loc, "an object key is not known")
            value = self.evaluate(value_node)
            value.key_loc = location(key_node, self.file)
            result[key] = value
        return Value(result, loc)

    def _object_key(self, key_node: Tree) -> str | None:
        inner = key_node.children[0]
        if isinstance(inner, Tree) and inner.data == "expr_term":
            term = inner.children[0]
            if isinstance(term, Tree) and term.data == "identifier":
                return str(term.children[0])
        if isinstance(inner, Tree) and inner.data == "keyword":
            return str(inner.children[0])
        key = self.evaluate(inner)
        return str(key.raw) if key.is_known and isinstance(key.raw, (str, int, float)) else None

    # -- references and calls ------------------------------------------------------------------------------
    def _identifier(self, node: Tree, loc: Location) -> Value:
        return self._reference([str(node.children[0])], loc)

    def _get_attr_expr_term(self, node: Tree, loc: Location) -> Value:
        path = _traversal(node)
        if path is None:
            return Value.unknown(loc, "expression is not evaluated")
        return self._reference(path, loc)

    def _reference(self, path: list[str], loc: Location) -> Value:
        dotted = ".".join(path)
        if path[0] == "var" and len(path) >= 2:
            return Value.unknown(loc, f"var.{path[1]} is not evaluated", via=(f"var.{path[1]}",))
        if path[0] in self.resource_types and len(path) >= 2:
            attribute = ".".join(path[2:]) or None
            return Value(ResourceRef(f"{path[0]}.{path[1]}", attribute), loc, RESOLVED)
        return Value.unknown(loc, f"{dotted} is not known before apply")

    def _function_call(self, node: Tree, loc: Location) -> Value:
        name = str(node.children[0].children[0])
        arguments = next((c for c in node.children if isinstance(c, Tree) and c.data == "arguments"), None)
        args = [self.evaluate(child) for child in _expressions(arguments)] if arguments is not None else []
        if name == "jsonencode" and len(args) == 1:
            # Keep the structure (and its positions): policy readers accept a mapping as well as JSON text.
            encoded = args[0]
            return Value(encoded.raw, encoded.loc or loc, RESOLVED if encoded.origin == LITERAL else encoded.origin,
                         via=encoded.via, reason=encoded.reason)
        if name == "jsondecode" and len(args) == 1 and args[0].is_str():
            try:
                return _from_python(json.loads(args[0].raw), loc)
            except ValueError:
                return Value.unknown(loc, "jsondecode of invalid JSON")
        return Value.unknown(loc, f"function {name}() is not evaluated")


def _expressions(node: Tree | None) -> list[Tree]:
    if node is None:
        return []
    return [c for c in node.children if isinstance(c, Tree) and c.data != "new_line_or_comment"]


def _traversal(node: Tree) -> list[str] | None:
    """``a.b.c`` as ``["a", "b", "c"]``; ``None`` when the chain has anything but names."""
    if node.data == "expr_term":
        inner = _expressions(node)
        return _traversal(inner[0]) if len(inner) == 1 else None
    if node.data == "identifier":
        return [str(node.children[0])]
    if node.data == "get_attr_expr_term":
        head = _traversal(node.children[0])
        name = node.children[1].children[-1]
        if head is None or not isinstance(name, Tree):
            return None
        return head + [str(name.children[0])]
    return None


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
            if following == "u" and i + 6 <= len(text):
                try:
                    out.append(chr(int(text[i + 2 : i + 6], 16)))
                    i += 6
                    continue
                except ValueError:
                    pass
        out.append(char)
        i += 1
    return "".join(out)


def _concatenate(parts: list[Value], loc: Location) -> Value:
    if len(parts) == 1 and isinstance(parts[0].raw, str) and parts[0].origin == LITERAL:
        return Value(parts[0].raw, loc)
    via = tuple(dict.fromkeys(name for part in parts for name in part.via))
    unknown = [part for part in parts if part.is_unknown or isinstance(part.raw, (dict, list, ResourceRef))]
    if unknown:
        reason = unknown[0].reason or "interpolation of a value known only after apply"
        return Value.unknown(loc, reason, via=via)
    text = "".join("" if p.raw is None else str(p.raw).lower() if isinstance(p.raw, bool) else str(p.raw) for p in parts)
    origin = LITERAL if all(p.origin == LITERAL for p in parts) else RESOLVED
    return Value(text, loc, origin, via=via)


def _from_python(data, loc: Location) -> Value:
    if isinstance(data, dict):
        return Value({str(k): _from_python(v, loc) for k, v in data.items()}, loc, RESOLVED)
    if isinstance(data, list):
        return Value([_from_python(v, loc) for v in data], loc, RESOLVED)
    return Value(data, loc, RESOLVED)


__all__ = ["Evaluator", "UNKNOWN"]
