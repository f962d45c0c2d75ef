"""Variable type constraints, applied the way Terraform converts a value to them.

What matters for evaluation is ``object({...})`` with ``optional(type, default)`` attributes: a missing
attribute becomes its default (or null), so ``var.settings.name_prefix`` is a value, not an error.
Primitive conversions (``"5"`` to a number, ``true`` to ``"true"``) follow Terraform's rules; a value that
does not convert is left as it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lark import Tree

from ..values import Value
from .syntax import expressions_of


@dataclass(slots=True)
class TypeSpec:
    kind: str  # string number bool any list set map tuple object
    element: "TypeSpec | None" = None
    attributes: dict[str, "TypeSpec"] = field(default_factory=dict)
    optional: dict[str, Tree | None] = field(default_factory=dict)  # attribute -> default expression
    elements: list["TypeSpec"] = field(default_factory=list)


ANY = TypeSpec("any")


def read_type(node) -> TypeSpec:
    """The type a ``type = …`` expression denotes; ``any`` for what is not understood."""
    if not isinstance(node, Tree):
        return ANY
    if node.data == "expr_term":
        inner = expressions_of(node)
        return read_type(inner[0]) if len(inner) == 1 else ANY
    if node.data == "identifier":
        name = str(node.children[0])
        return TypeSpec(name) if name in ("string", "number", "bool", "any") else ANY
    if node.data == "function_call":
        name = str(node.children[0].children[0])
        arguments = next((c for c in node.children if isinstance(c, Tree) and c.data == "arguments"), None)
        args = expressions_of(arguments)
        if name in ("list", "set", "map") and args:
            return TypeSpec(name, element=read_type(args[0]))
        if name == "object" and args:
            return _object(args[0])
        if name == "tuple" and args:
            tuple_node = _unwrap(args[0])
            if tuple_node is not None and tuple_node.data == "tuple":
                return TypeSpec("tuple", elements=[read_type(e) for e in expressions_of(tuple_node)])
        return ANY
    return ANY


def _unwrap(node) -> Tree | None:
    while isinstance(node, Tree) and node.data == "expr_term":
        inner = expressions_of(node)
        if len(inner) != 1:
            return None
        node = inner[0]
    return node if isinstance(node, Tree) else None


def _object(node) -> TypeSpec:
    object_node = _unwrap(node)
    spec = TypeSpec("object")
    if object_node is None or object_node.data != "object":
        return ANY
    for element in object_node.children:
        if not isinstance(element, Tree) or element.data != "object_elem":
            continue
        key_tokens = [str(t) for t in element.children[0].scan_values(lambda v: not isinstance(v, Tree))]
        name = "".join(t for t in key_tokens if t not in ('"',)).strip()
        value = _unwrap(element.children[-1])
        if value is not None and value.data == "function_call" and str(value.children[0].children[0]) == "optional":
            arguments = next((c for c in value.children if isinstance(c, Tree) and c.data == "arguments"), None)
            args = expressions_of(arguments)
            spec.attributes[name] = read_type(args[0]) if args else ANY
            spec.optional[name] = args[1] if len(args) > 1 else None
        else:
            spec.attributes[name] = read_type(element.children[-1])
    return spec


def convert(value: Value, spec: TypeSpec, evaluate_default) -> Value:
    """``value`` converted to ``spec``; ``evaluate_default(tree)`` evaluates an ``optional`` default."""
    if spec.kind == "any" or value.is_unknown:
        return value
    raw = value.raw
    if raw is None:
        return value
    if spec.kind == "string" and isinstance(raw, (int, float, bool)):
        text = ("true" if raw else "false") if isinstance(raw, bool) else (str(int(raw)) if isinstance(raw, float) and raw.is_integer() else str(raw))
        return _like(value, text)
    if spec.kind == "number" and isinstance(raw, str):
        try:
            number = float(raw)
        except ValueError:
            return value
        return _like(value, int(number) if number.is_integer() and "." not in raw and "e" not in raw.lower() else number)
    if spec.kind == "bool" and raw in ("true", "false"):
        return _like(value, raw == "true")
    if spec.kind in ("list", "set", "tuple") and isinstance(raw, list):
        if spec.kind == "tuple":
            items = [convert(v, spec.elements[i], evaluate_default) if i < len(spec.elements) else v for i, v in enumerate(raw)]
        else:
            items = [convert(v, spec.element or ANY, evaluate_default) for v in raw]
        return _like(value, items)
    if spec.kind == "map" and isinstance(raw, dict):
        return _like(value, {k: convert(v, spec.element or ANY, evaluate_default) for k, v in raw.items()})
    if spec.kind == "object" and isinstance(raw, dict):
        result: dict[str, Value] = {}
        for name, attribute in spec.attributes.items():
            if name in raw and not (raw[name].is_known and raw[name].raw is None and spec.optional.get(name) is not None):
                result[name] = convert(raw[name], attribute, evaluate_default)
            elif name in spec.optional:
                default = spec.optional[name]
                if default is None:
                    result[name] = Value(None, value.loc, value.origin, via=value.via)
                else:
                    result[name] = convert(evaluate_default(default), attribute, evaluate_default)
            else:
                result[name] = Value(None, value.loc, value.origin, via=value.via)
        return _like(value, result)
    return value


def _like(value: Value, raw) -> Value:
    return value.replace(raw=raw)
