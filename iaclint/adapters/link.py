"""How the link step tells which resource a reference names: the same keys for the named resource and for
every reference to it."""

from __future__ import annotations

import re

from ..values import PartlyKnown, ResourceRef, Value

# The instance index of a reference (`aws_s3_bucket.logs[0]`): a resource whose count or for_each is unknown is
# one resource without it.
_INSTANCE = re.compile(r"\[[^\[\]]*\]$")


def own_keys(resource_name: str, name: Value | None) -> set[str]:
    """How a resource is named: ``res:<logical id or address>``, when its name is a known literal
    ``name:<name>``, and when its name is a parameter or variable given no value, ``input:<it>`` (see
    `target_keys`)."""
    keys = {"res:" + resource_name}
    if name is not None and name.is_str() and name.raw:
        keys.add("name:" + name.raw)
    if name is not None:
        keys |= _input_keys(name)
    return keys


def reference_keys(value: Value) -> set[str]:
    """How a reference identifies its target: ``res:<id>`` for a reference to a resource (with and without
    its instance index), ``name:<name>`` for a literal name (the last part of an ARN is its name).  Empty when
    it cannot be told."""
    keys: set[str] = set()
    for variant in value.variants():
        if isinstance(variant.raw, ResourceRef):
            keys.update({"res:" + variant.raw.target, "res:" + _INSTANCE.sub("", variant.raw.target)})
        elif variant.is_str() and variant.raw:
            keys.add("name:" + variant.raw.rsplit("/", 1)[-1].rsplit(":", 1)[-1])
    return keys


def target_keys(value: Value) -> set[str]:
    """How a reference to one resource identifies it: `reference_keys`, and ``input:<parameter or variable>``
    when it is a parameter or variable given no value.  A resource whose name is that same input is then the
    one it names (a bucket and the trail writing to it, both given the bucket-name parameter): names are unique,
    so one input names one resource.  Only references to a single resource may use this; a resource named
    otherwise may still be the one meant."""
    keys = reference_keys(value)
    for variant in value.variants():
        keys |= _input_keys(variant)
    return keys


def _input_keys(value: Value) -> set[str]:
    # The value of a parameter or variable without one says so in these words.  A function of it alone keeps
    # them, so ``lower(var.name)`` counts as the input; a text around it (``"${var.name}-logs"``) does not.
    if isinstance(value, PartlyKnown) or not value.is_unknown or not value.via:
        return set()
    return {"input:" + value.via[0]} if value.reason == f"{value.via[0]} has no value" else set()
