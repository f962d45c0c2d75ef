"""Terraform's JSON configuration syntax (``.tf.json``) read into the same `Block`s as HCL files.

Without provider schemas, a JSON object inside a resource cannot be told from a nested block, so every
property is read as an attribute (an object, or a list of objects for repeated blocks).  Strings are
templates: ``"${var.x}"`` is evaluated like HCL.
"""

from __future__ import annotations

from ..findings import InputError
from ..values import Value
from .jsonpos import JsonError, load
from .syntax import Attribute, Block

_LABELS = {"resource": 2, "data": 2, "variable": 1, "output": 1, "module": 1, "provider": 1}


class JsonExpr:
    """An attribute value of a ``.tf.json`` file; `Evaluator` evaluates the strings in it as templates."""

    __slots__ = ("value",)

    def __init__(self, value: Value) -> None:
        self.value = value


def read_json_config(text: str, path: str) -> list[Block]:
    try:
        document = load(text, path)
    except JsonError as exc:
        raise InputError(f"invalid JSON: {exc.message}", exc.line, exc.column) from None
    if not isinstance(document.raw, dict):
        raise InputError("a .tf.json file must hold a JSON object", 1, 1)
    blocks: list[Block] = []
    for kind, content in document.raw.items():
        if kind == "locals":
            for body in _bodies(content):
                blocks.append(_block(kind, [], body, path))
            continue
        depth = _LABELS.get(kind)
        if depth is None:
            continue
        _labelled(kind, [], content, depth, path, blocks)
    return blocks


def _labelled(kind: str, labels: list[str], content: Value, depth: int, path: str, out: list[Block]) -> None:
    if depth == 0:
        for body in _bodies(content):
            out.append(_block(kind, labels, body, path))
        return
    if not isinstance(content.raw, dict):
        return
    for label, inner in content.raw.items():
        _labelled(kind, labels + [label], inner, depth - 1, path, out)


def _bodies(content: Value) -> list[Value]:
    if isinstance(content.raw, list):
        return [item for item in content.raw if isinstance(item.raw, dict)]
    return [content] if isinstance(content.raw, dict) else []


def _block(kind: str, labels: list[str], body: Value, path: str) -> Block:
    block = Block(kind, labels, body.key_loc or body.loc, file=path)
    for name, value in body.raw.items():
        if name == "//":
            continue
        block.attributes[name] = Attribute(name, JsonExpr(value), value.key_loc or value.loc)
    return block
