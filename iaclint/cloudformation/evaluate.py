"""Evaluate CloudFormation intrinsic functions in a `Value` tree, as far as can be known before deployment.

This first version decides what is certain without parameter values: a ``Ref`` to a resource is a
`ResourceRef`, ``Fn::GetAtt`` likewise; a ``Ref`` to a parameter is unknown but records the parameter in
``via`` (so secret rules can follow it); every other function is unknown with the reason.
"""

from __future__ import annotations

from ..document import Parameter
from ..values import RESOLVED, ResourceRef, Value

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


class Evaluator:
    def __init__(self, parameters: dict[str, Parameter], resource_ids: set[str]) -> None:
        self.parameters = parameters
        self.resource_ids = resource_ids

    def evaluate(self, value: Value) -> Value:
        raw = value.raw
        if isinstance(raw, dict):
            if len(raw) == 1:
                (name, argument), = raw.items()
                if name == "Ref" or name.startswith("Fn::"):
                    return self._function(name, argument, value)
            evaluated = {key: self.evaluate(item) for key, item in raw.items()}
            # `Ref: AWS::NoValue` removes the property.
            evaluated = {k: v for k, v in evaluated.items() if not _is_no_value(v)}
            return Value(evaluated, value.loc, value.origin, via=value.via, key_loc=value.key_loc)
        if isinstance(raw, list):
            items = [self.evaluate(item) for item in raw]
            items = [item for item in items if not _is_no_value(item)]
            return Value(items, value.loc, value.origin, via=value.via, key_loc=value.key_loc)
        return value

    def _function(self, name: str, argument: Value, node: Value) -> Value:
        if name == "Ref" and isinstance(argument.raw, str):
            target = argument.raw
            if target in self.parameters:
                parameter = self.parameters[target]
                return _keyed(Value.unknown(node.loc, f"parameter {target} has no value at scan time",
                                            via=(parameter.reference,)), node)
            if target in self.resource_ids:
                return _keyed(Value(ResourceRef(target), node.loc, RESOLVED), node)
            if target == "AWS::NoValue":
                return _keyed(Value(_NO_VALUE, node.loc, RESOLVED), node)
            return _keyed(Value.unknown(node.loc, f"Ref {target} is not known before deployment"), node)
        if name == "Fn::GetAtt":
            parts = [p.raw for p in argument.items() if p.is_str()]
            if len(parts) == 2 and parts[0] in self.resource_ids:
                return _keyed(Value(ResourceRef(parts[0], parts[1]), node.loc, RESOLVED), node)
        return _keyed(Value.unknown(node.loc, f"{name} is not evaluated"), node)


class _NoValue:
    def __repr__(self) -> str:
        return "AWS::NoValue"


_NO_VALUE = _NoValue()


def _is_no_value(value: Value) -> bool:
    return value.raw is _NO_VALUE


def _keyed(result: Value, node: Value) -> Value:
    result.key_loc = node.key_loc
    return result
