"""``count`` and ``for_each``: the instances a block makes, and the keys that name them."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from ..values import RESOLVED, ResourceRef, Value
from .operations import EvalError

if TYPE_CHECKING:  # pragma: no cover
    from .expressions import Evaluator


def instances(evaluator: Evaluator, block) -> list[tuple[str, dict[str, Value]]] | Value:
    """The instances ``count`` or ``for_each`` make of a block: (address suffix, bindings) each, or an
    unknown value saying why they are not known; one instance without either."""
    count = block.attributes.get("count")
    for_each = block.attributes.get("for_each")
    if count is not None:
        value = evaluator.value(count.expression)
        if value.is_unknown:
            return Value.unknown(value.loc, f"count is not known: {value.reason}", via=value.via)
        number = value.raw
        if isinstance(number, str):
            try:
                number = int(number)
            except ValueError:
                return Value.unknown(value.loc, "count is not a number")
        if isinstance(number, bool) or not isinstance(number, (int, float)):
            return Value.unknown(value.loc, "count is not a number")
        if isinstance(number, float) and not math.isfinite(number):  # 1e400, "nan": int() raised
            return Value.unknown(value.loc, "count is not a finite number")
        number = max(0, int(number))
        try:
            evaluator.expanding(number * (1 + body_size(block)), "count")
        except EvalError as exc:
            return Value.unknown(value.loc, exc.message, via=value.via)
        return [
            (f"[{i}]", {"count": Value({"index": Value(i, value.loc, RESOLVED, via=value.via)}, value.loc, RESOLVED)})
            for i in range(number)
        ]
    if for_each is not None:
        value = evaluator.value(for_each.expression)
        if value.is_unknown:
            return Value.unknown(value.loc, f"for_each is not known: {value.reason}", via=value.via)
        try:
            found = each_bindings(value)
            if not isinstance(found, Value):
                evaluator.expanding(len(found) * (1 + body_size(block)), "for_each")
            return found
        except EvalError as exc:
            return Value.unknown(value.loc, f"for_each: {exc.message}", via=value.via)
    return [("", {})]


def body_size(block) -> int:
    """The attributes and nested blocks of ``block``, however deep: what evaluating one instance of it costs,
    in the units of the module's `ExpansionBudget`."""
    size, stack = 0, [block]
    while stack:
        current = stack.pop()
        size += len(current.attributes) + len(current.blocks)
        stack.extend(current.blocks)
    return size


def each_bindings(collection: Value) -> list[tuple[str, dict[str, Value]]] | Value:
    """for_each over a map (each.key/each.value) or a set of strings (each.key == each.value)."""
    raw = collection.raw
    out = []
    if isinstance(raw, dict):
        for key in sorted(raw):
            item = raw[key]
            key_value = Value(key, item.key_loc or item.loc, RESOLVED, via=collection.via)
            each = Value({"key": key_value, "value": item}, item.loc, RESOLVED)
            out.append((f'["{key}"]', {"each": each}))
        return out
    if isinstance(raw, list):
        seen = set()
        for item in raw:
            if item.is_unknown:
                return Value.unknown(item.loc, f"for_each is not known: {item.reason}", via=item.via)
            if isinstance(item.raw, ResourceRef):
                return Value.unknown(item.loc, f"for_each is not known: {item.raw} is known only after apply",
                                     via=item.via)
            if not isinstance(item.raw, (str, int, float)) or isinstance(item.raw, bool):
                raise EvalError("for_each over a set needs strings")
            text = str(item.raw)
            if text in seen:
                continue
            seen.add(text)
            each = Value({"key": item, "value": item}, item.loc, RESOLVED)
            out.append((f'["{text}"]', {"each": each}))
        return out
    if isinstance(raw, ResourceRef):
        return Value.unknown(collection.loc, f"for_each is not known: {raw} is known only after apply",
                             via=collection.via)
    if raw is None:
        raise EvalError("for_each is null")
    raise EvalError("for_each needs a map or a set of strings")


def instance_key(suffix: str):
    """The key of an instance suffix: ``[0]`` -> 0, ``["a"]`` -> "a"."""
    inner = suffix[1:-1]
    if inner.startswith('"'):
        return inner[1:-1]
    return int(inner)
