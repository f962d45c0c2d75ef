"""Helpers the per-framework adapters share: walking property paths, naming principals, secret names."""

from __future__ import annotations

from typing import Iterator

from ..document import Resource
from ..values import RESOLVED, ResourceRef, Value


def values_at(root: Value, path: str) -> Iterator[tuple[str, Value]]:
    """Every value at a dotted property path; ``[*]`` walks a list (``Users[*].Password``).

    Yields ``(concrete path, value)``, e.g. ``("Users[1].Password", <Value>)``; absent parts yield nothing.
    """
    current: list[tuple[str, Value]] = [("", root)]
    for part in path.split("."):
        name, each = (part[:-3], True) if part.endswith("[*]") else (part, False)
        following: list[tuple[str, Value]] = []
        for prefix, value in current:
            child = value.get(name)
            if child is None:
                continue
            here = f"{prefix}.{name}" if prefix else name
            if each:
                following.extend((f"{here}[{i}]", item) for i, item in enumerate(child.items()))
            else:
                following.append((here, child))
        current = following
    yield from current


def principal_keys(value: Value) -> set[str]:
    """How a reference to a user/group/policy identifies its target: ``res:<id>`` for a reference to a
    resource, ``name:<name>`` for a literal name (the last part of an ARN is its name)."""
    keys: set[str] = set()
    for variant in value.variants():
        if isinstance(variant.raw, ResourceRef):
            keys.add("res:" + variant.raw.target)
        elif variant.is_str() and variant.raw:
            keys.add("name:" + variant.raw.rsplit("/", 1)[-1])
    return keys


def own_keys(resource_name: str, name: Value | None) -> set[str]:
    keys = {"res:" + resource_name}
    if name is not None and name.is_str() and name.raw:
        keys.add("name:" + name.raw)
    return keys


def reference_to(resource: Resource) -> Value:
    """A reference to ``resource`` itself, as a `Users`/`Groups` entry would make one."""
    return Value(ResourceRef(resource.name), resource.loc, RESOLVED)
