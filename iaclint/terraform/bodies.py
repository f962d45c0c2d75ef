"""A Terraform block's body as a value: attributes evaluated, nested blocks as lists of mappings under
their type, ``dynamic`` blocks expanded."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..values import LITERAL, RESOLVED, Value
from .expansion import body_size
from .operations import EvalError, with_key_loc

if TYPE_CHECKING:  # pragma: no cover
    from .expressions import Evaluator

# Arguments and blocks that configure Terraform itself, not the resource.
META_ATTRIBUTES = {"count", "for_each", "depends_on", "provider", "providers"}
_META_BLOCKS = {"lifecycle", "provisioner", "connection"}


def block_body(block, evaluator: Evaluator, *, top: bool = True) -> Value:
    """Attributes as values, nested blocks as lists of mappings under their type; ``dynamic`` blocks
    expanded (one unknown entry when their for_each is unknown)."""
    result: dict[str, Value] = {}
    for name, attribute in block.attributes.items():
        if top and name in META_ATTRIBUTES and block.type in ("resource", "data"):
            continue
        result[name] = with_key_loc(evaluator.value(attribute.expression), attribute.loc)
    nested_blocks: dict[str, Value] = {}
    for nested in block.blocks:
        if top and nested.type in _META_BLOCKS:
            continue
        if nested.type == "dynamic" and nested.labels:
            name = nested.labels[0]
            entries = nested_blocks.setdefault(name, Value([], nested.loc, LITERAL, key_loc=nested.loc)).raw
            entries.extend(_dynamic(nested, evaluator))
            continue
        entry = block_body(nested, evaluator, top=False)
        entry.key_loc = nested.loc
        nested_blocks.setdefault(nested.type, Value([], nested.loc, LITERAL, key_loc=nested.loc)).raw.append(entry)
    for name, entries in nested_blocks.items():
        if name in result:
            # Terraform refuses a name that is both an argument and a block; which one the provider reads
            # is not known here.
            argument = block.attributes[name].loc
            result[name] = Value.unknown(argument, f"{name} is written both as an argument (line {argument.line}) "
                                                   f"and as a block (line {entries.loc.line})")
            result[name].key_loc = argument
        else:
            result[name] = entries
    return Value(result, block.loc)


def _dynamic(block, evaluator: Evaluator) -> list[Value]:
    name = block.labels[0]
    iterator = name
    if "iterator" in block.attributes:
        from .syntax import string_text

        iterator = string_text(block.attributes["iterator"].expression).strip() or name
    content = next((b for b in block.blocks if b.type == "content"), None)
    for_each = block.attributes.get("for_each")
    if content is None or for_each is None:
        return [Value.unknown(block.loc, f'dynamic "{name}" has no for_each or content')]
    try:
        evaluator.expanding(0, f'dynamic "{name}"')  # spent: not even its for_each is evaluated
    except EvalError as exc:
        return [Value.unknown(block.loc, exc.message)]
    collection = evaluator.value(for_each.expression)
    if collection.is_unknown:
        return [Value.unknown(block.loc, f'dynamic "{name}": for_each is not known: {collection.reason}',
                              via=collection.via)]
    raw = collection.raw
    if isinstance(raw, dict):
        pairs = [(Value(k, raw[k].key_loc or raw[k].loc, RESOLVED, via=collection.via), raw[k]) for k in sorted(raw)]
    elif isinstance(raw, list):
        pairs = [(Value(i, item.loc, RESOLVED, via=collection.via), item) for i, item in enumerate(raw)]
    elif raw is None:
        return []
    else:
        return [Value.unknown(block.loc, f'dynamic "{name}": for_each needs a collection')]
    try:
        evaluator.expanding(len(pairs) * (1 + body_size(content)), f'dynamic "{name}"')
    except EvalError as exc:
        return [Value.unknown(block.loc, exc.message)]
    entries = []
    for key, item in pairs:
        scope = evaluator.child({iterator: Value({"key": key, "value": item}, item.loc, RESOLVED)})
        entry = block_body(content, scope, top=False)
        entry.loc = content.loc
        entry.key_loc = block.loc
        entries.append(entry)
    return entries
