"""IAM policy documents as one model, whatever they were written as: a YAML/JSON mapping, a JSON string,
a Terraform ``jsonencode(...)``, heredoc or ``aws_iam_policy_document``."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from .values import RESOLVED, Location, Value


@dataclass(slots=True)
class Statement:
    loc: Location | None
    effect: str | None  # "Allow" | "Deny"; None when unknown
    actions: list[Value] = field(default_factory=list)
    not_actions: list[Value] = field(default_factory=list)
    resources: list[Value] = field(default_factory=list)
    not_resources: list[Value] = field(default_factory=list)
    # operator -> condition key (lower-cased) -> values; None when the Condition block is unknown
    conditions: dict[str, dict[str, list[Value]]] | None = field(default_factory=dict)

    @property
    def is_known(self) -> bool:
        fields = self.actions + self.not_actions + self.resources + self.not_resources
        return self.effect is not None and self.conditions is not None and all(v.is_known for v in fields)

    def condition_values(self, operators: tuple[str, ...], key: str) -> list[Value]:
        """The values this statement's Condition tests ``key`` against under any of ``operators``."""
        found: list[Value] = []
        for operator, tests in (self.conditions or {}).items():
            if operator.lower() in operators:
                found.extend(tests.get(key.lower(), []))
        return found


@dataclass(slots=True)
class PolicyDocument:
    value: Value | None
    statements: list[Statement]
    unknown_reason: str = ""  # set when the document (or part of it) cannot be read

    @property
    def is_known(self) -> bool:
        return not self.unknown_reason and all(s.is_known for s in self.statements)


def parse_policy(value: Value | None) -> PolicyDocument:
    """Read a policy document.  Never raises: what cannot be read makes the document unknown."""
    if value is None:
        return PolicyDocument(None, [], "no policy document")
    if value.is_unknown:
        return PolicyDocument(value, [], value.reason or "policy document is not known")
    if value.is_str():
        try:
            data = json.loads(value.raw)
        except ValueError:
            return PolicyDocument(value, [], "policy document is not valid JSON")
        value = json_value(data, value.loc)
    if not value.is_map():
        return PolicyDocument(value, [], "policy document is not a mapping")
    statements_value = value.get("Statement")
    if statements_value is None:
        return PolicyDocument(value, [])
    if statements_value.is_unknown:
        return PolicyDocument(value, [], statements_value.reason or "statements are not known")
    statements = []
    for item in statements_value.items():
        if not item.is_map():
            return PolicyDocument(value, statements, item.reason or "a statement is not known")
        statements.append(_statement(item))
    return PolicyDocument(value, statements)


def _statement(item: Value) -> Statement:
    effect = item.get("Effect")
    statement = Statement(
        loc=item.loc,
        effect=effect.raw if effect is not None and effect.is_str() else None,
        actions=_list(item.get("Action")),
        not_actions=_list(item.get("NotAction")),
        resources=_list(item.get("Resource")),
        not_resources=_list(item.get("NotResource")),
    )
    condition = item.get("Condition")
    if condition is None:
        return statement
    if not condition.is_map():
        statement.conditions = None
        return statement
    conditions: dict[str, dict[str, list[Value]]] = {}
    for operator, tests in condition.raw.items():
        if not tests.is_map():
            statement.conditions = None
            return statement
        conditions[operator] = {key.lower(): _list(v) for key, v in tests.raw.items()}
    statement.conditions = conditions
    return statement


def _list(value: Value | None) -> list[Value]:
    return [] if value is None else value.items()


def json_value(data, loc: Location | None) -> Value:
    """Parsed JSON text as a Value tree whose every part points at the string that held the text."""
    if isinstance(data, dict):
        return Value({str(k): json_value(v, loc) for k, v in data.items()}, loc, RESOLVED)
    if isinstance(data, list):
        return Value([json_value(v, loc) for v in data], loc, RESOLVED)
    return Value(data, loc, RESOLVED)
