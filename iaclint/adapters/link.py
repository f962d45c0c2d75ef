"""How the link step tells which resource a reference names: the same keys for the named resource and for
every reference to it."""

from __future__ import annotations

import re

from ..values import ResourceRef, Value

# The instance index of a reference (`aws_s3_bucket.logs[0]`): a resource whose count or for_each is unknown is
# one resource without it.
_INSTANCE = re.compile(r"\[[^\[\]]*\]$")


def own_keys(resource_name: str, name: Value | None) -> set[str]:
    """How a resource is named: ``res:<logical id or address>`` and, when its name is a known literal,
    ``name:<name>``."""
    keys = {"res:" + resource_name}
    if name is not None and name.is_str() and name.raw:
        keys.add("name:" + name.raw)
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
