"""Terraform plan JSON (``terraform show -json plan.out``, format 1.x) into a `Document`.

- The resources are those of ``planned_values`` (the root module and every child module), with their
  full addresses (``module.web.aws_iam_user.this["a"]``); data sources are left out.
- Attributes that ``resource_changes[].change.after_unknown`` marks are unknown ("… is known only after
  apply").
- ``configuration`` tells a literal from a computed value: an attribute whose expression is a
  ``constant_value`` is ``literal``; one whose expression refers to ``var.x`` is ``resolved`` with
  ``via=("var.x",)`` (followed through module calls: ``("var.x", "module.web.var.y")``); any other
  reference makes it ``resolved`` too.  Root variables
  are the document's parameters.
- Locations: when the configuration's ``.tf`` files are next to the plan, resources and values point at
  their source lines (the module is evaluated by `load_module` and matched by address and attribute path);
  otherwise they point at the plan JSON itself.
- No value is ever logged or put in a message here.
"""

from __future__ import annotations

import os
import re

from ..document import TERRAFORM, Document, Parameter, Resource
from ..findings import InputError, ScanError
from ..values import DEFAULT, LITERAL, RESOLVED, Value
from .jsonpos import JsonError, load

_INDEX = re.compile(r'\[(?:"(?:[^"\\]|\\.)*"|\d+)\]')


def load_plan(path: str, text: str, inputs=None) -> Document | None:
    """The plan in ``text`` as a Document, or ``None`` when the JSON is not a Terraform plan.  Raises
    `InputError` (with line and column) when the text is not valid JSON.  A part that does not have the
    shape Terraform writes (a resource whose ``type`` is an object) is left out, and reported in the
    document's ``errors`` at its line."""
    def malformed(value: Value, message: str) -> None:
        loc = value.loc
        document.errors.append(ScanError(path, f"not a Terraform plan: {message}", loc.line if loc else 1,
                                         loc.column if loc else 1))

    try:
        plan = load(text, path)
    except JsonError as exc:
        raise InputError(f"invalid JSON: {exc.message}", exc.line, exc.column) from None
    if not isinstance(plan.raw, dict) or "format_version" not in plan.raw:
        return None
    planned = plan.get("planned_values") or plan.get("values")
    if planned is None and "terraform_version" not in plan.raw:
        return None
    document = Document(TERRAFORM, path, files=[path])
    configuration = plan.get("configuration")
    root_config = configuration.get("root_module") if configuration is not None else None
    source = _SourceModule.for_plan(path, inputs)
    unknown_after = _after_unknown(plan.get("resource_changes"))
    if root_config is not None and root_config.is_map():
        for name, variable in _items(root_config.get("variables")):
            default = variable.get("default")
            sensitive = variable.get("sensitive")
            parameter_loc = variable.loc
            default_value = _retag(default, DEFAULT, (f"var.{name}",)) if default is not None else None
            if source is not None and name in source.document.parameters:
                parameter_loc = source.document.parameters[name].loc
                source_default = source.document.parameters[name].default
                if default_value is not None and source_default is not None:
                    default_value = _relocate(default_value, source_default)
            document.parameters[name] = Parameter(name, parameter_loc, f"var.{name}", default=default_value,
                                                  sensitive=bool(sensitive is not None and sensitive.raw is True))
    root = planned.get("root_module") if planned is not None else None
    for module_value in _modules(root):
        module_address = module_value.get("address")
        module_path = _module_path(module_address.raw if module_address is not None and module_address.is_str() else "")
        module_config = _module_config(root_config, module_path)
        listed = module_value.get("resources")
        if listed is not None and not listed.is_list():
            malformed(listed, "resources must be a list")
            continue
        for entry in (listed or Value([], None)).items():
            if not entry.is_map():
                malformed(entry, "a resource must be an object")
                continue
            mode, kind, address = entry.get("mode"), entry.get("type"), entry.get("address")
            wrong = next((f"a resource's {name} must be a string" for name, part in
                          (("mode", mode), ("type", kind), ("address", address))
                          if part is not None and not part.is_str()), None)
            if wrong is not None:
                malformed(entry, wrong)
                continue
            if mode is None or mode.raw != "managed" or kind is None or address is None:
                continue
            config = _resource_config(module_config, address.raw)
            expressions = config.get("expressions") if config is not None else None
            values = entry.get("values") or Value({}, entry.loc)
            if not values.is_map():
                malformed(values, "a resource's values must be an object")
                continue
            properties = _properties(values, expressions, module_path, root_config, address.raw)
            _mark_unknown(properties, unknown_after.get(address.raw), address.raw)
            loc = entry.loc
            if source is not None:
                match = source.resource(address.raw)
                if match is not None:
                    loc = match.loc
                    properties = _relocate(properties, match.properties)
            document.resources.append(Resource(TERRAFORM, kind.raw, address.raw, loc, properties))
    return document


# -- plan structure ---------------------------------------------------------------------------------------------

def _items(value: Value | None):
    if value is None or not value.is_map():
        return []
    return list(value.raw.items())


def _modules(module: Value | None):
    """A planned module and all its child modules, depth first."""
    if module is None or not module.is_map():
        return
    yield module
    for child in (module.get("child_modules") or Value([], None)).items():
        yield from _modules(child)


def _module_path(address: str) -> list[str]:
    """``module.a["x"].module.b[0]`` -> ``["a", "b"]`` (module call names, instance keys dropped)."""
    if not address:
        return []
    return [part for part in _INDEX.sub("", address).split(".")[1::2]]


def _module_config(root_config: Value | None, path: list[str]) -> Value | None:
    current = root_config
    for name in path:
        if current is None:
            return None
        call = (current.get("module_calls") or Value({}, None)).get(name)
        current = call.get("module") if call is not None else None
    return current


def _resource_config(module_config: Value | None, address: str) -> Value | None:
    if module_config is None:
        return None
    local = ".".join(_INDEX.sub("", address).split(".")[-2:])  # type.name, without module path and keys
    for resource in (module_config.get("resources") or Value([], None)).items():
        config_address = resource.get("address")
        if config_address is not None and config_address.raw == local:
            return resource
    return None


def _after_unknown(changes: Value | None) -> dict[str, Value]:
    out: dict[str, Value] = {}
    for change in (changes or Value([], None)).items():
        address = change.get("address")
        details = change.get("change")
        if address is None or details is None or not address.is_str():
            continue
        unknown = details.get("after_unknown")
        if unknown is not None:
            out[address.raw] = unknown
    return out


# -- values ------------------------------------------------------------------------------------------------------

def _properties(values: Value, expressions: Value | None, module_path: list[str], root_config: Value | None,
                address: str) -> Value:
    """``values`` with origins and via decided by the configuration ``expressions``."""
    if not values.is_map():
        return Value({}, values.loc)
    result: dict[str, Value] = {}
    for name, value in values.raw.items():
        if value.raw is None:
            continue  # the plan lists every attribute of the schema; an unset one is null, as good as absent
        expression = expressions.get(name) if expressions is not None and expressions.is_map() else None
        result[name] = _with_expression(value, expression, module_path, root_config)
    return Value(result, values.loc, LITERAL)


def _with_expression(value: Value, expression: Value | None, module_path: list[str], root_config: Value | None) -> Value:
    if expression is not None and isinstance(expression.raw, list) and isinstance(value.raw, list):
        # Nested blocks: one expression map per block.
        items = []
        for index, item in enumerate(value.raw):
            block_expressions = expression.raw[index] if index < len(expression.raw) else None
            if item.is_map() and block_expressions is not None and block_expressions.is_map():
                items.append(Value({k: _with_expression(v, block_expressions.get(k), module_path, root_config)
                                    for k, v in item.raw.items() if v.raw is not None}, item.loc, LITERAL,
                                   key_loc=item.key_loc))
            else:
                items.append(_retag(item, RESOLVED, ()))
        return Value(items, value.loc, LITERAL, key_loc=value.key_loc)
    if expression is None or not expression.is_map():
        return _retag(value, RESOLVED, ())  # set by the provider, or not described
    if "constant_value" in expression.raw:
        return _retag(value, LITERAL, ())
    references = [r.raw for r in (expression.get("references") or Value([], None)).items() if r.is_str()]
    origin, via = _trace(references, module_path, root_config)
    return _retag(value, origin, via)


def _trace(references: list[str], module_path: list[str], root_config: Value | None) -> tuple[str, tuple[str, ...]]:
    """Where the variables among ``references`` got their values: through module calls up to the root."""
    variables = list(dict.fromkeys(r.split(".")[1] for r in references if r.startswith("var.") and "." in r))
    others = [r for r in references if not r.startswith("var.")]
    if len(variables) != 1 or others:
        return RESOLVED, tuple(_variable_name(module_path, v) for v in variables)
    via: list[str] = []
    origin = RESOLVED
    path = list(module_path)
    name = variables[0]
    while True:
        via.insert(0, _variable_name(path, name))
        if not path:
            break
        caller = _module_config(root_config, path[:-1])
        call = (caller.get("module_calls") or Value({}, None)).get(path[-1]) if caller is not None else None
        argument = (call.get("expressions") or Value({}, None)).get(name) if call is not None else None
        if argument is None or not argument.is_map():
            break  # the child's default
        if "constant_value" in argument.raw:
            break  # written literally in the module call; still a variable's value here, so never literal
        upper = [r.raw for r in (argument.get("references") or Value([], None)).items() if r.is_str()]
        outer = [r.split(".")[1] for r in upper if r.startswith("var.")]
        if not outer:
            break
        path = path[:-1]
        name = outer[0]
    return origin, tuple(via)


def _variable_name(module_path: list[str], name: str) -> str:
    return "".join(f"module.{m}." for m in module_path) + f"var.{name}"


def _retag(value: Value, origin: str, via: tuple[str, ...]) -> Value:
    raw = value.raw
    if isinstance(raw, dict):
        raw = {k: _retag(v, origin, via) for k, v in raw.items()}
    elif isinstance(raw, list):
        raw = [_retag(v, origin, via) for v in raw]
    return Value(raw, value.loc, origin, via=via, key_loc=value.key_loc)


def _mark_unknown(properties: Value, unknown: Value | None, address: str, path: str = "") -> None:
    """Set what ``after_unknown`` marks as unknown (it mirrors the values' structure)."""
    if unknown is None or not isinstance(unknown.raw, (dict, list)) or not isinstance(properties.raw, (dict, list)):
        return
    pairs = unknown.raw.items() if isinstance(unknown.raw, dict) else enumerate(unknown.raw)
    for key, marker in pairs:
        where = f"{path}.{key}" if isinstance(key, str) else f"{path}[{key}]"
        if marker.raw is True:
            reason = f"{address}{where if where.startswith('[') else '.' + where.lstrip('.')} is known only after apply"
            if isinstance(properties.raw, dict) and isinstance(key, str):
                previous = properties.raw.get(key)
                properties.raw[key] = Value.unknown(previous.loc if previous else properties.loc, reason)
                properties.raw[key].key_loc = previous.key_loc if previous else None
            elif isinstance(properties.raw, list) and isinstance(key, int) and key < len(properties.raw):
                properties.raw[key] = Value.unknown(properties.raw[key].loc, reason)
        elif isinstance(marker.raw, (dict, list)):
            child = None
            if isinstance(properties.raw, dict) and isinstance(key, str):
                child = properties.raw.get(key)
            elif isinstance(properties.raw, list) and isinstance(key, int) and key < len(properties.raw):
                child = properties.raw[key]
            if child is not None:
                _mark_unknown(child, marker, address, where)


def _relocate(plan_value: Value, source_value: Value | None) -> Value:
    """``plan_value`` with the locations of the same parts of the evaluated ``.tf`` source."""
    if source_value is None:
        return plan_value
    loc = source_value.loc or plan_value.loc
    key_loc = source_value.key_loc or plan_value.key_loc
    raw = plan_value.raw
    if isinstance(raw, dict):
        source_raw = source_value.raw if isinstance(source_value.raw, dict) else {}
        raw = {k: _relocate(v, source_raw.get(k)) for k, v in raw.items()}
    elif isinstance(raw, list):
        source_raw = source_value.raw if isinstance(source_value.raw, list) else []
        raw = [_relocate(v, source_raw[i] if i < len(source_raw) else None) for i, v in enumerate(raw)]
    return Value(raw, loc, plan_value.origin, via=plan_value.via, reason=plan_value.reason, key_loc=key_loc,
                 trace=source_value.trace if source_value.loc else plan_value.trace)


class _SourceModule:
    """The configuration's ``.tf`` files, evaluated, when they are next to the plan."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.by_address = {r.name: r for r in document.resources}

    @classmethod
    def for_plan(cls, path: str, inputs) -> "_SourceModule | None":
        directory = os.path.dirname(path) or "."
        try:
            names = sorted(os.listdir(directory))
        except OSError:
            return None
        files = [os.path.join(directory, n) for n in names if n.endswith(".tf")]
        if not files:
            return None
        from ..files import read_text  # the HCL parser is imported only when there is HCL to read
        from .module import load_module
        try:
            document, _ = load_module(directory, files, read_text, inputs)
        except Exception:  # the plan is still read without source locations
            return None
        return cls(document)

    def resource(self, address: str) -> Resource | None:
        found = self.by_address.get(address)
        if found is None:
            found = self.by_address.get(_INDEX.sub("", address))
        if found is None:  # an instance the source could not expand: match on the resource itself
            base = _INDEX.sub("", address)
            found = next((r for name, r in self.by_address.items() if _INDEX.sub("", name) == base), None)
        return found
