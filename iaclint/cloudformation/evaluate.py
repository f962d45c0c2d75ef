"""Evaluate CloudFormation intrinsic functions in a `Value` tree, as far as can be known before deployment.

What is decided, and how:

- ``Ref`` to a parameter is its supplied value (origin ``resolved``, located at the ``Ref``; a value passed
  by a parent stack is located where the parent writes it), else its ``Default`` (origin ``default``,
  located at the default), else unknown; always with ``via=("parameter NAME",)``.  ``List<…>`` and
  ``CommaDelimitedList`` values become lists; ``AWS::SSM::Parameter::Value<…>`` parameters are read from
  SSM at deploy time and stay unknown.
- ``Ref``/``Fn::GetAtt`` to a resource of the template is a `ResourceRef`; pseudo parameters are unknown,
  except ``AWS::NoValue``, which removes the property or list item that holds it.
- ``Fn::Sub``, ``Fn::Join``, ``Fn::Select``, ``Fn::Split``, ``Fn::FindInMap``, ``Fn::Base64``,
  ``Fn::ToJsonString``, ``Fn::Cidr`` and ``Fn::Length`` are computed when their inputs are known (origin
  ``resolved``; ``via`` is the union of the inputs').  A value picked out of a list or a mapping keeps the
  location where it is written.
- ``Fn::If``: a condition is decided from literals and *supplied* parameter values only (a ``Default`` can
  be overridden at deploy time, so it decides nothing), and ``AllowedValues`` rule out comparisons that can
  never hold.  An undecided ``Fn::If`` is a ``choice`` between its branches, each with its complete ``when``
  (``"when IsProd is true"``), down to every value nested in it; inside a branch its condition is assumed,
  so a nested ``Fn::If`` on the same (or a derived) condition is decided.  A function over a choice is a
  choice of its results.
- Everything else (``Fn::ImportValue``, ``Fn::GetAZs``, macros) is unknown with the reason.
"""

from __future__ import annotations

import ipaddress
import json
import re
from typing import Callable

from ..document import Parameter
from ..values import (CHOICE, DEFAULT, LITERAL, RESOLVED, UNKNOWN, Location, PartlyKnown, ResourceRef, Value,
                      merged_trace, used_at)

PSEUDO_PARAMETERS = {
    "AWS::AccountId",
    "AWS::NotificationARNs",
    "AWS::NoValue",
    "AWS::Partition",
    "AWS::Region",
    "AWS::StackId",
    "AWS::StackName",
    "AWS::URLSuffix",
}

# Resources the SAM transform adds under fixed names.
_SAM_IMPLICIT = {"ServerlessRestApi", "ServerlessHttpApi", "ServerlessRestApiProdStage", "ServerlessRestApiDeployment"}

# Beyond this many alternatives (nested undecided conditions multiplied together) a value is left unknown.
MAX_ALTERNATIVES = 64
# Intrinsic functions nest a few levels in real templates; deeper is a malformed or hostile template.
MAX_DEPTH = 100

_SUB_VARIABLE = re.compile(r"\$\{([^}]*)\}")


class _NoValue:
    def __repr__(self) -> str:
        return "AWS::NoValue"


_NO_VALUE = _NoValue()


def _without_no_value(data):
    """Plain data with the entries that are ``AWS::NoValue`` left out, as CloudFormation leaves them out."""
    if isinstance(data, dict):
        return {key: _without_no_value(item) for key, item in data.items() if not isinstance(item, _NoValue)}
    if isinstance(data, list):
        return [_without_no_value(item) for item in data if not isinstance(item, _NoValue)]
    return None if isinstance(data, _NoValue) else data


def is_no_value(value: Value) -> bool:
    return value.raw is _NO_VALUE


def is_list_parameter(kind: str | None) -> bool:
    return bool(kind) and (kind == "CommaDelimitedList" or kind.startswith("List<")
                           or kind.startswith("AWS::SSM::Parameter::Value<List<")
                           or kind == "AWS::SSM::Parameter::Value<CommaDelimitedList>")


class Evaluator:
    """Evaluates the intrinsic functions of one template.

    ``supplied`` holds the parameter values given for this stack (command line, parameter files, or a
    parent stack's ``Parameters``): a string, or a `Value` (possibly unknown) from a parent template.
    """

    def __init__(
        self,
        parameters: dict[str, Parameter],
        resource_ids: set[str],
        *,
        supplied: dict[str, Value | str] | None = None,
        mappings: Value | None = None,
        conditions: Value | None = None,
        parameter_types: dict[str, str] | None = None,
        allowed_values: dict[str, list[str]] | None = None,
        stack_path: str = "",
    ) -> None:
        self.parameters = parameters
        # A nested stack's resources are named after the stacks that hold them (``Network/ChildSG``), and so
        # are references to them.
        self.stack_path = stack_path
        self.resource_ids = resource_ids
        self.supplied = supplied or {}
        self.mappings = mappings.raw if mappings is not None and isinstance(mappings.raw, dict) else {}
        self.conditions = conditions.raw if conditions is not None and isinstance(conditions.raw, dict) else {}
        self.parameter_types = parameter_types or {}
        self.allowed_values = allowed_values or {}
        # Conditions assumed while evaluating a branch, and the `when` that goes with them (outermost first).
        self.assumed: dict[str, bool] = {}
        self.when: tuple[str, ...] = ()
        self._depth = 0
        self._deciding: set[str] = set()
        self._decided: dict[tuple, bool | None] = {}
        self._refers: dict[str, bool] = {}
        # While deciding a condition, a parameter's Default is not a value (it can be overridden).
        self._use_defaults = True

    # -- conditions -----------------------------------------------------------------------------------------
    def condition(self, name: str) -> bool | None:
        """True/False when the condition ``name`` is decided for every deployment with the given values."""
        if name in self.assumed:
            return self.assumed[name]
        # Decided without assumptions, it is decided under any; assumptions only matter to a condition
        # that refers to other conditions.
        result = self._decide_under(name, {})
        if result is None and self.assumed and self._refers_to_conditions(name):
            result = self._decide_under(name, self.assumed)
        return result

    def _decide_under(self, name: str, assumed: dict[str, bool]) -> bool | None:
        key = (name, tuple(sorted(assumed.items())))
        if key in self._decided:
            return self._decided[key]
        definition = self.conditions.get(name)
        if definition is None or name in self._deciding:
            return None
        self._deciding.add(name)
        saved = self._use_defaults, self.assumed, self.when
        self._use_defaults, self.assumed, self.when = False, assumed, ()
        try:
            result = self._decide(definition)
        finally:
            self._use_defaults, self.assumed, self.when = saved
            self._deciding.discard(name)
        self._decided[key] = result
        return result

    def _refers_to_conditions(self, name: str) -> bool:
        if name not in self._refers:
            definition = self.conditions.get(name)
            self._refers[name] = definition is not None and any(
                isinstance(v.raw, dict) and "Condition" in v.raw for v in definition.walk())
        return self._refers[name]

    def _decide(self, node: Value) -> bool | None:
        if isinstance(node.raw, bool):
            return node.raw
        if not isinstance(node.raw, dict) or len(node.raw) != 1:
            return None
        (name, argument), = node.raw.items()
        arguments = argument.raw if isinstance(argument.raw, list) else [argument]
        if name == "Condition":
            return self.condition(argument.raw) if isinstance(argument.raw, str) else None
        if name == "Fn::Not":
            inner = self._decide(arguments[0]) if len(arguments) == 1 else None
            return None if inner is None else not inner
        if name in ("Fn::And", "Fn::Or"):
            results = [self._decide(a) for a in arguments]
            decisive = name == "Fn::Or"  # any True decides Or, any False decides And
            if decisive in results:
                return decisive
            return None if None in results or not results else not decisive
        if name == "Fn::Equals" and len(arguments) == 2:
            return self._equals(arguments[0], arguments[1])
        return None

    def _equals(self, left_node: Value, right_node: Value) -> bool | None:
        left, right = self.evaluate(left_node), self.evaluate(right_node)
        outcomes = set()
        for _, (a, b) in self._combinations([left, right]):
            outcomes.add(self._equal_scalars(a, b, left_node, right_node))
            if None in outcomes or len(outcomes) > 1:
                return None
        return outcomes.pop() if outcomes else None

    def _equal_scalars(self, a: Value, b: Value, a_node: Value, b_node: Value) -> bool | None:
        if a.is_known and b.is_known:
            sa, sb = scalar_text(a.raw), scalar_text(b.raw)
            if sa is not None and sb is not None:
                return sa == sb
            return None
        # One side unknown: a parameter restricted by AllowedValues can rule the comparison out.
        for unknown_side, known_side in ((a_node, b), (b_node, a)):
            allowed = self._allowed_for(unknown_side)
            text = scalar_text(known_side.raw) if known_side.is_known else None
            if allowed is not None and text is not None:
                if text not in allowed:
                    return False
                if len(allowed) == 1:
                    return True
        return None

    def _allowed_for(self, node: Value) -> list[str] | None:
        if isinstance(node.raw, dict) and len(node.raw) == 1 and "Ref" in node.raw:
            name = node.raw["Ref"].raw
            if isinstance(name, str) and name in self.allowed_values:
                return self.allowed_values[name]
        return None

    def assuming(self, name: str, truth: bool, fn: Callable[[], Value]) -> Value:
        saved_assumed, saved_when = self.assumed, self.when
        self.assumed = {**saved_assumed, name: truth}
        self.when = saved_when + (_when(name, truth),)
        try:
            return fn()
        finally:
            self.assumed, self.when = saved_assumed, saved_when

    # -- values -----------------------------------------------------------------------------------------------
    def evaluate(self, value: Value) -> Value:
        if self._depth < MAX_DEPTH and not isinstance(value.raw, (dict, list)):
            return value  # most values of a template: a scalar is itself
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                return Value.unknown(value.loc, f"intrinsic functions nest deeper than {MAX_DEPTH} levels")
            return self._evaluate(value)
        finally:
            self._depth -= 1

    def _evaluate(self, value: Value) -> Value:
        raw = value.raw
        if isinstance(raw, dict):
            if len(raw) == 1:
                (name, argument), = raw.items()
                if name == "Ref" or name.startswith("Fn::"):
                    result = self._function(name, argument, value)
                    if result.key_loc is not value.key_loc:  # a copy: `result` may be a node of the template
                        result = result.replace(key_loc=value.key_loc)
                    return result
            evaluated = {}
            for key, item in raw.items():
                result = self.evaluate(item)
                if not is_no_value(result):  # `Ref: AWS::NoValue` removes the property
                    evaluated[key] = result
            return value.replace(raw=evaluated)
        if isinstance(raw, list):
            items = [self.evaluate(item) for item in raw]
            items = [item for item in items if not is_no_value(item)]
            return value.replace(raw=items)
        return value

    def _function(self, name: str, argument: Value, node: Value) -> Value:
        handler = _HANDLERS.get(name)
        if handler is not None:
            try:
                return handler(self, argument, node)
            except (ArithmeticError, ValueError) as exc:
                # Numbers beyond Python's limits (1e400, .nan, 5,000 digits) must not cost the whole template
                # an internal error: the one function's value is unknown.  No value is quoted.
                return Value.unknown(node.loc, f"{name} could not be evaluated ({type(exc).__name__})")
        if name.startswith("Fn::Rain::"):
            return Value.unknown(node.loc, f"{name} is a rain pre-processor directive, not CloudFormation")
        return Value.unknown(node.loc, f"{name} is not evaluated")

    # Ref ------------------------------------------------------------------------------------------------------
    def _ref(self, argument: Value, node: Value) -> Value:
        target = argument.raw
        if not isinstance(target, str):
            return Value.unknown(node.loc, "Ref needs a name")
        return self._name(target, node)

    def _name(self, target: str, node: Value) -> Value:
        if target in self.parameters:
            return self.parameter_value(target, node.loc)
        if target == "AWS::NoValue":
            return Value(_NO_VALUE, node.loc, RESOLVED)
        if target in PSEUDO_PARAMETERS:
            return Value.unknown(node.loc, f"{target} is known only at deploy time")
        if target in self.resource_ids:
            return Value(ResourceRef(self.stack_path + target), node.loc, RESOLVED)
        base = target.split(".", 1)[0]  # `MyFunction.Alias`, `MyApi.Stage`
        if base in self.resource_ids or target in _SAM_IMPLICIT:
            return Value.unknown(node.loc, f"Ref {target} names a resource that SAM generates, known only after "
                                 "deployment")
        return Value.unknown(node.loc, f"Ref {target} names nothing in the template")

    def parameter_value(self, name: str, at: Location | None) -> Value:
        """The value of parameter ``name`` as a ``Ref`` written at ``at`` sees it."""
        parameter = self.parameters[name]
        via = (parameter.reference,)
        kind = self.parameter_types.get(name, "")
        supplied = self.supplied.get(name)
        if isinstance(supplied, Value):
            if supplied.is_unknown:
                return Value.unknown(at, f"parameter {name}: {supplied.reason}", via=via)
            if isinstance(supplied.raw, ResourceRef):
                return Value.unknown(at, f"parameter {name} is passed {supplied.raw} by the parent stack, "
                                     "known only after deployment", via=via)
            if supplied.origin == CHOICE or not isinstance(supplied.raw, (str, int, float, bool)):
                return Value.unknown(at, f"parameter {name} is passed a value that is not a plain string",
                                     via=via)
            raw, loc, origin = supplied.raw, supplied.loc or at, RESOLVED
            via = _merge(via, supplied.via)
            what, trace = f"parameter {name} as the parent stack passes it", supplied.trace
        elif supplied is not None:
            raw, loc, origin, what, trace = supplied, at, RESOLVED, "", ()
        elif parameter.default is not None and self._use_defaults:
            raw, loc, origin = parameter.default.raw, parameter.default.loc, DEFAULT
            what, trace = f"the default of parameter {name}", ()
        elif parameter.default is not None:
            return Value.unknown(at, f"parameter {name} has only a default, which can be overridden", via=via)
        else:
            return Value.unknown(at, f"parameter {name} has no value", via=via)
        if kind.startswith("AWS::SSM::Parameter::Value<"):
            return Value.unknown(at, f"parameter {name} is read from SSM Parameter Store at deploy time", via=via)
        if is_list_parameter(kind) and isinstance(raw, str):
            items = [Value(part.strip(), loc, origin, via=via, trace=trace) for part in raw.split(",")] if raw else []
            written = Value(items, loc, origin, via=via, trace=trace)
        elif isinstance(raw, list):
            items = [Value(item.raw, item.loc, origin, via=via, trace=item.trace or trace)
                     for item in raw if isinstance(item, Value)]
            written = Value(items, loc, origin, via=via, trace=trace)
        elif isinstance(raw, dict):
            return Value.unknown(at, f"parameter {name} has a value that is not a string", via=via)
        else:
            written = Value(raw, loc, origin, via=via, trace=trace)
        # Used where the Ref is written: that is where the value enters the resource.
        return used_at(written, at, what)

    # Fn::GetAtt ----------------------------------------------------------------------------------------------
    def _get_att(self, argument: Value, node: Value) -> Value:
        if isinstance(argument.raw, str):
            logical_id, _, attribute = argument.raw.partition(".")
            parts: list = [logical_id, attribute]
        elif isinstance(argument.raw, list) and len(argument.raw) == 2:
            attribute_value = self.evaluate(argument.raw[1])
            parts = [argument.raw[0].raw, attribute_value.raw if attribute_value.is_str() else None]
        else:
            return Value.unknown(node.loc, "Fn::GetAtt needs [resource, attribute]")
        logical_id, attribute = parts
        if isinstance(logical_id, str) and logical_id in self.resource_ids:
            return Value(ResourceRef(self.stack_path + logical_id, attribute if isinstance(attribute, str) else None), node.loc,
                         RESOLVED)
        return Value.unknown(node.loc, f"Fn::GetAtt {logical_id} names no resource of the template")

    # Fn::Sub -------------------------------------------------------------------------------------------------
    def _sub(self, argument: Value, node: Value) -> Value:
        variables: dict[str, Value] = {}
        if isinstance(argument.raw, list):
            if len(argument.raw) != 2:
                return Value.unknown(node.loc, "Fn::Sub needs a string and a map of variables")
            text_value = self.evaluate(argument.raw[0])
            mapping = self.evaluate(argument.raw[1])
            if mapping.origin == CHOICE or not isinstance(mapping.raw, dict):
                return self._unknown_from(mapping, node, "Fn::Sub variables")
            variables = mapping.raw
        else:
            text_value = self.evaluate(argument)
        if not text_value.is_str() or text_value.origin == CHOICE:
            return self._unknown_from(text_value, node, "Fn::Sub needs a string")
        text = text_value.raw
        pieces: list[str | Value] = []
        position = 0
        for match in _SUB_VARIABLE.finditer(text):
            pieces.append(text[position:match.start()])
            position = match.end()
            name = match.group(1).strip()
            if name.startswith("!"):  # `${!Literal}` is the text `${Literal}`
                pieces.append("${" + name[1:] + "}")
                continue
            pieces.append(self._sub_variable(name, variables, node))
        pieces.append(text[position:])
        operands = [p for p in pieces if isinstance(p, Value)]

        def join(values: list[Value]) -> Value:
            values_iter = iter(values)
            parts = [p if isinstance(p, str) else next(values_iter) for p in pieces]
            return _concatenate(parts, node, "Fn::Sub")

        return self._lift(operands, join, node)

    def _sub_variable(self, name: str, variables: dict[str, Value], node: Value) -> Value:
        if name in variables:
            return variables[name]
        if "." in name and name.split(".", 1)[0] in self.resource_ids:
            return Value.unknown(node.loc, f"${{{name}}} is known only after the resource is created")
        if name in self.resource_ids:
            return Value.unknown(node.loc, f"${{{name}}} is the physical id of a resource, known only after deployment")
        if name == "AWS::NoValue":
            return Value.unknown(node.loc, "${AWS::NoValue} cannot be substituted")
        return self._name(name, node)

    # Fn::Join / Fn::Select / Fn::Split -----------------------------------------------------------------------------
    def _join(self, argument: Value, node: Value) -> Value:
        if not isinstance(argument.raw, list) or len(argument.raw) != 2:
            return Value.unknown(node.loc, "Fn::Join needs [delimiter, list]")
        delimiter = self.evaluate(argument.raw[0])
        items = self.evaluate(argument.raw[1])

        def join(values: list[Value]) -> Value:
            sep, source = values
            if not sep.is_str():
                return self._unknown_from(sep, node, "Fn::Join delimiter")
            if not source.is_list():
                return self._unknown_from(source, node, "Fn::Join needs a list")
            parts: list[str | Value] = []
            for index, item in enumerate(source.raw):
                if index:
                    parts.append(sep.raw)
                parts.append(item)
            return _concatenate(parts, node, "Fn::Join", extra_via=source.via + sep.via)

        return self._lift([delimiter, items], join, node)

    def _select(self, argument: Value, node: Value) -> Value:
        if not isinstance(argument.raw, list) or len(argument.raw) != 2:
            return Value.unknown(node.loc, "Fn::Select needs [index, list]")
        index = self.evaluate(argument.raw[0])
        source = self.evaluate(argument.raw[1])

        def select(values: list[Value]) -> Value:
            position, items = values
            if position.is_unknown:
                return self._unknown_from(position, node, "Fn::Select index")
            try:
                number = int(position.raw)
            except (TypeError, ValueError):
                return Value.unknown(node.loc, "Fn::Select index is not a number")
            if not items.is_list():
                return self._unknown_from(items, node, "Fn::Select needs a list")
            if not 0 <= number < len(items.raw):
                return Value.unknown(node.loc, f"Fn::Select index {number} is out of range")
            chosen = items.raw[number]
            return _derived(chosen, via=_merge(items.via, chosen.via, position.via))

        return self._lift([index, source], select, node)

    def _split(self, argument: Value, node: Value) -> Value:
        if not isinstance(argument.raw, list) or len(argument.raw) != 2:
            return Value.unknown(node.loc, "Fn::Split needs [delimiter, string]")
        delimiter = self.evaluate(argument.raw[0])
        source = self.evaluate(argument.raw[1])

        def split(values: list[Value]) -> Value:
            sep, text = values
            if not sep.is_str() or not sep.raw:
                return self._unknown_from(sep, node, "Fn::Split delimiter")
            if not text.is_str():
                return self._unknown_from(text, node, "Fn::Split needs a string")
            via = _merge(sep.via, text.via)
            parts = [Value(part, node.loc, RESOLVED, via=via, trace=text.trace) for part in text.raw.split(sep.raw)]
            return Value(parts, node.loc, RESOLVED, via=via, trace=text.trace)

        return self._lift([delimiter, source], split, node)

    # Fn::FindInMap -------------------------------------------------------------------------------------------
    def _find_in_map(self, argument: Value, node: Value) -> Value:
        if not isinstance(argument.raw, list) or len(argument.raw) not in (3, 4):
            return Value.unknown(node.loc, "Fn::FindInMap needs [map, key, key]")
        keys = [self.evaluate(part) for part in argument.raw[:3]]
        fallback = None
        if len(argument.raw) == 4:  # AWS::LanguageExtensions: {DefaultValue: …}
            option = argument.raw[3]
            if isinstance(option.raw, dict) and "DefaultValue" in option.raw:
                fallback = self.evaluate(option.raw["DefaultValue"])

        def find(values: list[Value]) -> Value:
            found: Value | None = None
            level: dict = self.mappings
            for key in values:
                if key.is_unknown:
                    return self._unknown_from(key, node, "Fn::FindInMap key")
                text = scalar_text(key.raw)
                # The keys only select the entry: the value does not travel through their parameters.
                found = level.get(text) if isinstance(level, dict) and text is not None else None
                if found is None:
                    if fallback is not None:
                        return fallback
                    # Not the key itself: it may be a supplied parameter value, and reasons are printed.
                    return Value.unknown(node.loc, "Fn::FindInMap: the mapping has no entry for the key")
                level = found.raw
            assert found is not None
            entry = "/".join(scalar_text(key.raw) or "" for key in values)
            return used_at(_derived(found, via=found.via), node.loc, f"the mapping entry {entry}")

        return self._lift(keys, find, node)

    # Fn::If --------------------------------------------------------------------------------------------------
    def _if(self, argument: Value, node: Value) -> Value:
        if not isinstance(argument.raw, list) or len(argument.raw) != 3 or not isinstance(argument.raw[0].raw, str):
            return Value.unknown(node.loc, "Fn::If needs [condition, value if true, value if false]")
        name = argument.raw[0].raw
        if name not in self.conditions:
            return Value.unknown(node.loc, f"Fn::If names an undefined condition {name}")
        decided = self.condition(name)
        if decided is True:
            return self.evaluate(argument.raw[1])
        if decided is False:
            return self.evaluate(argument.raw[2])
        alternatives = []
        for truth, branch in ((True, argument.raw[1]), (False, argument.raw[2])):
            result = self.assuming(name, truth, lambda branch=branch: self.evaluate(branch))
            if is_no_value(result):
                continue
            when = self.when + (_when(name, truth),)
            alternatives.extend(_with_when(variant, when) for variant in _alternatives_of(result))
        if len(alternatives) > MAX_ALTERNATIVES:
            return Value.unknown(node.loc, f"more than {MAX_ALTERNATIVES} alternatives under undecided conditions")
        if not alternatives:
            return Value(_NO_VALUE, node.loc, RESOLVED)
        if len(alternatives) == 1:  # the other branch removes the property: present only `when`
            return alternatives[0]
        return Value(alternatives, node.loc, CHOICE, key_loc=node.key_loc)

    # the rest --------------------------------------------------------------------------------------------------
    def _base64(self, argument: Value, node: Value) -> Value:
        # Keep the text itself: rules look for secrets in user data, not in its encoding.
        inner = self.evaluate(argument)
        return self._lift([inner], lambda values: _derived(values[0], via=values[0].via), node)

    def _to_json_string(self, argument: Value, node: Value) -> Value:
        inner = self.evaluate(argument)
        for part in inner.walk():
            if part.origin in (UNKNOWN, CHOICE) or isinstance(part.raw, ResourceRef):
                return self._unknown_from(part if part.is_unknown else inner, node, "Fn::ToJsonString")
        return Value(json.dumps(_without_no_value(inner.plain()), separators=(",", ":")), node.loc, RESOLVED,
                     via=_merge(*(p.via for p in inner.walk())), trace=merged_trace(*inner.walk()))

    def _length(self, argument: Value, node: Value) -> Value:
        inner = self.evaluate(argument)
        if inner.is_list():
            return Value(len(inner.raw), node.loc, RESOLVED, via=inner.via)
        return self._unknown_from(inner, node, "Fn::Length needs a list")

    def _cidr(self, argument: Value, node: Value) -> Value:
        if not isinstance(argument.raw, list) or len(argument.raw) != 3:
            return Value.unknown(node.loc, "Fn::Cidr needs [ip block, count, cidr bits]")
        operands = [self.evaluate(part) for part in argument.raw]

        def cidr(values: list[Value]) -> Value:
            block, count, bits = values
            for part in values:
                if part.is_unknown:
                    return self._unknown_from(part, node, "Fn::Cidr")
            try:
                network = ipaddress.ip_network(str(block.raw), strict=False)
                wanted, host_bits = int(count.raw), int(bits.raw)
                if wanted > 256:  # CloudFormation's limit; checked first: ::/0 in /64s is 2**64 subnets
                    return Value.unknown(node.loc, "Fn::Cidr asks for more than 256 subnets")
                prefix = network.max_prefixlen - host_bits
                subnets = network.subnets(new_prefix=prefix) if prefix >= network.prefixlen else iter(())
                chosen = [str(subnet) for _, subnet in zip(range(wanted), subnets)]
            except (TypeError, ValueError):
                return Value.unknown(node.loc, "Fn::Cidr has an invalid argument")
            if len(chosen) < wanted or wanted > 256:
                return Value.unknown(node.loc, "Fn::Cidr asks for more subnets than the block holds")
            via, trace = _merge(*(v.via for v in values)), merged_trace(*values)
            return Value([Value(text, node.loc, RESOLVED, via=via, trace=trace) for text in chosen], node.loc,
                         RESOLVED, via=via, trace=trace)

        return self._lift(operands, cidr, node)

    def _import_value(self, argument: Value, node: Value) -> Value:
        return Value.unknown(node.loc, "Fn::ImportValue is resolved at deploy time")

    def _get_azs(self, argument: Value, node: Value) -> Value:
        return Value.unknown(node.loc, "Fn::GetAZs depends on the account and region")

    def _transform(self, argument: Value, node: Value) -> Value:
        return Value.unknown(node.loc, "Fn::Transform runs a macro at deploy time")

    # -- helpers ---------------------------------------------------------------------------------------------------
    def _unknown_from(self, cause: Value, node: Value, what: str) -> Value:
        if cause.is_unknown:
            return Value.unknown(node.loc, cause.reason, via=cause.via)
        if isinstance(cause.raw, ResourceRef):
            return Value.unknown(node.loc, f"{what}: {cause.raw} is known only after deployment", via=cause.via)
        return Value.unknown(node.loc, f"{what}: unexpected value", via=cause.via)

    def _combinations(self, operands: list[Value]) -> list[tuple[tuple[str, ...], list[Value]]]:
        """Every combination of the concrete alternatives of ``operands`` (list items included), each with
        its complete ``when``; contradictory combinations are left out."""
        combos: list[tuple[tuple[str, ...], list[Value]]] = [(self.when, [])]
        for operand in operands:
            next_combos = []
            for when, chosen in combos:
                for variant_when, variant in _concrete(operand, self.when):
                    merged = _merge_when(when, variant_when)
                    if merged is not None:
                        next_combos.append((merged, chosen + [variant]))
            combos = next_combos
            if len(combos) > MAX_ALTERNATIVES:
                return []
        return combos

    def _lift(self, operands: list[Value], fn: Callable[[list[Value]], Value], node: Value) -> Value:
        """``fn`` over the operands; over a choice, a choice of ``fn`` over each alternative."""
        if not any(_has_choice(o, self.when) for o in operands):
            return fn(operands)
        combos = self._combinations(operands)
        if not combos:
            return Value.unknown(node.loc, f"more than {MAX_ALTERNATIVES} alternatives under undecided conditions")
        results = [_with_when(fn(chosen), when) for when, chosen in combos]
        if len(results) == 1:
            return results[0]
        return Value(results, node.loc, CHOICE)


_HANDLERS: dict[str, Callable[[Evaluator, Value, Value], Value]] = {
    "Ref": Evaluator._ref,
    "Fn::GetAtt": Evaluator._get_att,
    "Fn::Sub": Evaluator._sub,
    "Fn::Join": Evaluator._join,
    "Fn::Select": Evaluator._select,
    "Fn::Split": Evaluator._split,
    "Fn::FindInMap": Evaluator._find_in_map,
    "Fn::If": Evaluator._if,
    "Fn::Base64": Evaluator._base64,
    "Fn::ToJsonString": Evaluator._to_json_string,
    "Fn::Length": Evaluator._length,
    "Fn::Cidr": Evaluator._cidr,
    "Fn::ImportValue": Evaluator._import_value,
    "Fn::GetAZs": Evaluator._get_azs,
    "Fn::Transform": Evaluator._transform,
}


def _when(name: str, truth: bool) -> str:
    return f"when {name} is {'true' if truth else 'false'}"


def _flip(clause: str) -> str:
    if clause.endswith(" is true"):
        return clause[: -len("true")] + "false"
    return clause[: -len("false")] + "true"


def _merge_when(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...] | None:
    """Both sets of conditions, in order; ``None`` when they contradict each other."""
    if not b or a[: len(b)] == b:
        return a
    if b[: len(a)] == a:
        a, b, new = a, b, b[len(a):]
    else:
        new = tuple(c for c in b if c not in a)
    if not new:
        return a
    present = set(a)
    for clause in new:
        if _flip(clause) in present:
            return None
        present.add(clause)
    return a + new


def _merge(*vias: tuple[str, ...]) -> tuple[str, ...]:
    merged: list[str] = []
    for via in vias:
        for item in via:
            if item not in merged:
                merged.append(item)
    return tuple(merged)


def _alternatives_of(value: Value) -> list[Value]:
    return list(value.variants()) if value.origin == CHOICE else [value]


def _with_when(value: Value, when: tuple[str, ...]) -> Value:
    """``value`` as an alternative that applies ``when`` (complete: outer conditions first).  Every value
    nested in it applies only ``when`` too, so a rule that reads a leaf can say under which conditions."""
    if value.when[: len(when)] == when and not isinstance(value.raw, (dict, list)):
        return value
    merged = _merge_when(when, value.when) or when
    raw = value.raw
    if isinstance(raw, dict):
        raw = {key: _with_when(child, when) for key, child in raw.items()}
    elif isinstance(raw, list):
        raw = [_with_when(child, when) for child in raw]
    return value.replace(raw=raw, when=merged)


def with_when(value: Value, when: tuple[str, ...]) -> Value:
    return _with_when(value, when)


def _has_choice(value: Value, context: tuple[str, ...]) -> bool:
    if value.origin == CHOICE or len(value.when) > len(context):
        return True
    return isinstance(value.raw, list) and any(
        item.origin == CHOICE or len(item.when) > len(context) for item in value.raw)


def _concrete(value: Value, context: tuple[str, ...]) -> list[tuple[tuple[str, ...], Value]]:
    """The concrete forms of ``value`` with the ``when`` of each.  A list item present only under a
    condition (`Fn::If` with ``AWS::NoValue``) gives one form with it and one without it."""
    if value.origin == CHOICE:
        return [(alt.when, alt) for alt in value.variants()]
    if isinstance(value.raw, list) and value.is_known:
        forms: list[tuple[tuple[str, ...], list[Value]]] = [(context, [])]
        for item in value.raw:
            options: list[tuple[tuple[str, ...], Value | None]]
            if item.origin == CHOICE:
                options = [(alt.when, alt) for alt in item.variants()]
            elif len(item.when) > len(context):
                options = [(item.when, item), (item.when[:-1] + (_flip(item.when[-1]),), None)]
            else:
                options = [(context, item)]
            next_forms = []
            for when, items in forms:
                for option_when, option in options:
                    merged = _merge_when(when, option_when)
                    if merged is not None:
                        next_forms.append((merged, items + ([option] if option is not None else [])))
            forms = next_forms[: MAX_ALTERNATIVES + 1]
        return [(when, Value(items, value.loc, value.origin, via=value.via, key_loc=value.key_loc, trace=value.trace))
                for when, items in forms]
    return [(value.when or context, value)]


def scalar_text(raw) -> str | None:
    """How CloudFormation sees a scalar when it compares or joins it: as a string."""
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, (str, int, float)):
        return str(raw)
    return None


def _derived(value: Value, *, via: tuple[str, ...]) -> Value:
    """A value picked out of a list or mapping by a function: still written where it is written, but
    computed (``literal`` becomes ``resolved``)."""
    origin = RESOLVED if value.origin == LITERAL else value.origin
    return Value(value.raw, value.loc, origin, via=via, when=value.when, reason=value.reason, trace=value.trace)


def _concatenate(parts: list, node: Value, what: str, extra_via: tuple[str, ...] = ()) -> Value:
    # Every input's parameters, even when one of them makes the result unknown.
    via = _merge(extra_via, *(p.via for p in parts if isinstance(p, Value)))
    trace = merged_trace(*(p for p in parts if isinstance(p, Value)))
    if parts and isinstance(parts[0], str) and parts[0].lstrip().startswith("{{resolve:"):
        # A dynamic reference: the parameters only name where the value is kept; the value itself comes
        # from Secrets Manager or Parameter Store at deploy time, not through them.
        via = ()
    texts: list[str | None] = []
    reasons: list[str] = []
    for part in parts:
        if isinstance(part, str):
            texts.append(part)
            continue
        text = None if part.is_unknown else scalar_text(part.raw)
        if text is None:
            # Keep going: the parts around it stay readable (see PartlyKnown).
            reasons.append(part.reason if part.is_unknown else
                           f"{what}: {part.raw} is known only after deployment" if isinstance(part.raw, ResourceRef)
                           else f"{what} needs strings")
        texts.append(text)
    if reasons:
        return PartlyKnown(tuple(texts), node.loc, reasons[0], via=via, trace=trace, reasons=tuple(reasons))
    return Value("".join(texts), node.loc, RESOLVED, via=via, trace=trace)
