"""What Terraform evaluation shares between expressions, functions and modules: its error, JSON text
values, limits, and the operations on values (equality, conversion to text and number, type names)."""

from __future__ import annotations

import json

from ..values import RESOLVED, Location, ResourceRef, Step, Value


class JsonText(Value):
    """What ``jsonencode(x)`` returns: ``x``'s structure, with its positions, standing for JSON text.  Policy
    readers take the structure; a template or a string function serialises it (`json_text`)."""

    __slots__ = ()


def json_text(value: Value) -> str | None:
    """The JSON text of an encoded structure; ``None`` when a part of it is not known."""
    def plain(v: Value):
        if v.is_unknown or isinstance(v.raw, ResourceRef):
            raise ValueError
        if isinstance(v.raw, dict):
            return {k: plain(x) for k, x in v.raw.items()}
        if isinstance(v.raw, list):
            return [plain(x) for x in v.raw]
        return v.raw

    try:
        return json.dumps(plain(value), separators=(",", ":"))
    except ValueError:
        return None


# Hostile or runaway configuration must not hang the scan or exhaust memory: expansions multiply when they
# nest (two dynamic blocks over range(1024) made a million bodies: 10 s and 460 MB for a 321-byte file), and
# string functions can build gigabytes (format("%01000000000d", 1), replace(s, "x", s)).  What exceeds these
# limits is an evaluation error, so the value is unknown, never a guess.  Real modules stay far below both.
MAX_EXPANSIONS = 50_000  # what all expansions of one root module make together (see `ExpansionBudget`)
MAX_STRING = 1_000_000  # characters of one string built during evaluation


class ExpansionBudget:
    """What the expansions of one root module (count and for_each instances, module instances, dynamic block
    entries, for expression and %{for} elements, splat elements; in every module instance) may make
    together, so that their product is bounded however they nest.  An element weighs what evaluating it
    costs: a resource or dynamic block instance 1 + the attributes and nested blocks of its body, an
    instance of a counted module call 1 + the module's blocks, any other element 1.  Once spent, every later
    expansion fails at once: the blocks that are not expanded (most of a module) are still read."""

    def __init__(self, limit: int = MAX_EXPANSIONS) -> None:
        self.limit = limit
        self.used = 0

    def charge(self, count: int, what: str) -> None:
        """Count ``count`` more elements made by ``what`` (``dynamic "ingress"``); raise `EvalError` when
        the module's expansions have made more than the limit."""
        self.used += count
        if self.used > self.limit:
            raise EvalError(f"{what}: the expansions of this module (count, for_each, module instances, dynamic "
                            f"blocks, for expressions, splats) make more than {self.limit:,} elements together; "
                            "not evaluated")


def check_string_size(size: int, what: str) -> None:
    """Raise `EvalError` when a string of ``size`` characters would exceed `MAX_STRING`."""
    if size > MAX_STRING:
        raise EvalError(f"{what} would build a string longer than {MAX_STRING:,} characters; not evaluated")


class EvalError(Exception):
    """A Terraform evaluation error (as opposed to a value that is merely unknown)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def to_string(raw) -> str:
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, float):
        return str(int(raw)) if raw.is_integer() and abs(raw) < 1e16 else repr(raw)
    return str(raw)


def normalized_number(result):
    if isinstance(result, float) and result.is_integer() and abs(result) < 1e16:
        return int(result)
    return result


def as_number(value: Value):
    raw = value.raw
    if isinstance(raw, bool) or raw is None:
        raise EvalError(f"a number is required, not {type_name(raw)}")
    if isinstance(raw, (int, float)):
        return raw
    if isinstance(raw, str):
        try:
            return normalized_number(float(raw)) if any(c in raw for c in ".eE") else int(raw)
        except ValueError:
            raise EvalError("a string that is not a number was used as one") from None  # never show the value
    raise EvalError(f"a number is required, not {type_name(raw)}")


def equal(left: Value, right: Value) -> bool | None:
    """Terraform equality on known values; ``None`` when a nested part is unknown."""
    if left.is_known and right.is_known:
        a, b = left.raw, right.raw
        # null, or values of different kinds, compare unequal even when a nested part is unknown.
        if (a is None) != (b is None) and not isinstance(a, ResourceRef) and not isinstance(b, ResourceRef):
            return False
        if a is not None and b is not None and type_name(a) != type_name(b) and "reference" not in (type_name(a), type_name(b)):
            return False
        if isinstance(a, (list, dict)) and isinstance(b, (list, dict)) and len(a) != len(b):
            return False
    if any(v.is_unknown or isinstance(v.raw, ResourceRef) for v in left.walk()):
        return None
    if any(v.is_unknown or isinstance(v.raw, ResourceRef) for v in right.walk()):
        return None
    a, b = left.plain(), right.plain()
    if isinstance(a, bool) != isinstance(b, bool):
        return False
    return a == b


def type_name(raw) -> str:
    if raw is None:
        return "null"
    if isinstance(raw, bool):
        return "bool"
    if isinstance(raw, (int, float)):
        return "number"
    if isinstance(raw, str):
        return "string"
    if isinstance(raw, list):
        return "list"
    if isinstance(raw, dict):
        return "object"
    return "reference"


def merge_via(*values: Value) -> tuple[str, ...]:
    merged: dict[str, None] = {}
    for value in values:
        for name in value.via:
            merged[name] = None
    return tuple(merged)


def with_key_loc(value: Value, key_loc: Location) -> Value:
    """``value`` with ``key_loc`` set, copied when it already belongs somewhere else."""
    if value.key_loc == key_loc:
        return value
    return value.replace(key_loc=key_loc)


def resolved_value(result, loc: Location, via: tuple[str, ...], trace: tuple[Step, ...] = ()) -> Value:
    """Plain python data as a resolved Value (computed at ``loc`` from inputs that came through ``via`` and
    the places in ``trace``)."""
    if isinstance(result, Value):
        return result
    if isinstance(result, dict):
        return Value({k: resolved_value(v, loc, via, trace) for k, v in result.items()}, loc, RESOLVED, via=via,
                     trace=trace)
    if isinstance(result, list):
        return Value([resolved_value(v, loc, via, trace) for v in result], loc, RESOLVED, via=via, trace=trace)
    return Value(result, loc, RESOLVED, via=via, trace=trace)
