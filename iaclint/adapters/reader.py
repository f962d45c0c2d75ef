"""The one reader that executes the adapters' declarations.

An adapter declares, per model object, where each framework keeps each of its fields::

    Mapping(Trail, "trails",
            Source(CLOUDFORMATION, "AWS::CloudTrail::Trail", fields={"kms_key": "KMSKeyId"}),
            Source(TERRAFORM, "aws_cloudtrail", fields={"kms_key": "kms_key_id"}))

and the reader makes one model object per matching resource (or per entry of ``each``, or per value found
under ``fan_out``), with the setting names as written (``names``) for messages.  The same declarations are
what the schema test checks, so what is read and what is checked cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator

from ..document import Resource
from ..values import Value


@dataclass(frozen=True)
class Source:
    """Where one framework keeps a model object's fields in one resource type."""

    framework: str
    type: str  # "AWS::CloudTrail::Trail", "aws_cloudtrail", "provider.aws"
    fields: dict[str, str] = field(default_factory=dict)  # model field -> property path (dotted, `[*]` for lists)
    # One object per entry of this list (``SecurityGroupIngress[*]``), or only when this mapping is written
    # (``PublicAccessBlockConfiguration``), with the fields read inside it.
    each: str | None = None
    # (model field, property paths): one object per value found at any of the paths (``CidrIp``, ``CidrIpv6``)
    fan_out: tuple[str, tuple[str, ...]] | None = None
    # model field -> the value it must have; an object whose value is known and different is not made (an
    # unknown one is kept: the rule says it could not decide)
    require: dict[str, str] = field(default_factory=dict)

    def matches(self, resource: Resource) -> bool:
        if resource.framework != self.framework:
            return False
        # A provider configuration may have an alias: `provider.aws.west`.
        return resource.type == self.type or (self.type.startswith("provider.")
                                               and resource.type.startswith(self.type + "."))

    def paths(self) -> set[str]:
        """Every property path read, from the resource's top (for the schema test)."""
        inner = set(self.fields.values()) | set(self.fan_out[1] if self.fan_out else ())
        return {f"{self.each}.{path}" if self.each else path for path in inner}


@dataclass(frozen=True)
class Mapping:
    """A model object kind (``model``), the `Model` list it goes to (``into``) and its sources."""

    model: type
    into: str
    sources: tuple[Source, ...]

    def __init__(self, model: type, into: str, *sources: Source) -> None:
        object.__setattr__(self, "model", model)
        object.__setattr__(self, "into", into)
        object.__setattr__(self, "sources", sources)


def read(mappings: tuple[Mapping, ...], resource: Resource, model: Any) -> None:
    """Add to ``model`` every object the declarations make of ``resource``."""
    key = (id(mappings), resource.framework, resource.type)
    known = _MATCHING.get(key)
    if known is None:
        known = _MATCHING[key] = (mappings, _matching(mappings, resource))
    for mapping, source, names in known[1]:
        getattr(model, mapping.into).extend(_objects(mapping, source, names, resource))


# The sources of each tuple of declarations (kept alive: its id is the key) that match a (framework, resource
# type), in declaration order, with their fields' setting names: a template of many resources is read
# without trying every declaration on every resource.
_Matching = list[tuple[Mapping, Source, dict[str, str]]]
_MATCHING: dict[tuple[int, str, str], tuple[tuple[Mapping, ...], _Matching]] = {}


def _matching(mappings: tuple[Mapping, ...], resource: Resource) -> _Matching:
    return [(mapping, source, {name: path.rsplit(".", 1)[-1] for name, path in source.fields.items()})
            for mapping in mappings for source in mapping.sources if source.matches(resource)]


def _objects(mapping: Mapping, source: Source, setting_names: dict[str, str], resource: Resource) -> Iterator[Any]:
    entries = values_at(resource.properties, source.each) if source.each else [("", resource.properties)]
    for where, entry in entries:
        # A choice of maps (`!If [Cond, {…}, {…}]`) is read through: each field is then a choice too.
        if not any(v.is_map() for v in entry.variants()):
            if entry.is_unknown and source.each and source.fan_out is not None:
                # An entry not known (a dynamic block whose for_each is not): every field of the one object
                # it stands for is that unknown, so that a rule says it could not decide, never passes.
                fields = {name: entry for name in source.fields}
                yield mapping.model(resource, **fields, **{source.fan_out[0]: entry}, path=where,
                                    names=dict(setting_names))
            continue
        fields = {name: first_at(entry, path) for name, path in source.fields.items()}
        if not all(_may_be(fields.get(name), wanted) for name, wanted in source.require.items()):
            continue
        names = dict(setting_names)  # each object its own: an adapter may add to it
        if source.fan_out is None:
            yield mapping.model(resource, **fields, path=where, names=names)
            continue
        fan_field, paths = source.fan_out
        for path in paths:
            for inner, value in values_at(entry, path):
                full = f"{where}.{inner}" if where else inner
                spelled = {**names, fan_field: path.split(".")[-1].split("[")[0]}
                yield mapping.model(resource, **fields, **{fan_field: value}, path=full, names=spelled)


def _may_be(value: Value | None, wanted: str) -> bool:
    if value is None:
        return False
    return any(v.is_unknown or (v.is_str() and v.raw == wanted) for v in value.variants())


def first_at(root: Value, path: str) -> Value | None:
    """The value at a dotted property path, or ``None`` when it is not written."""
    if "[*]" in path:
        return next((value for _, value in values_at(root, path)), None)
    value: Value | None = root
    for name in _parts(path):
        value = value.get(name)
        if value is None:
            return None
    return value


def _parts(path: str) -> list[str]:
    parts = _PARTS.get(path)
    if parts is None:
        parts = _PARTS[path] = path.split(".")
    return parts


_PARTS: dict[str, list[str]] = {}


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
