"""IAM policy documents as one model, whatever they were written as: a YAML/JSON mapping, a JSON string,
a Terraform ``jsonencode(...)``, heredoc or ``aws_iam_policy_document``."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from .values import RESOLVED, Location, PartlyKnown, Value


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
    if isinstance(value, PartlyKnown):
        value = partly_known_json(value) or value
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


# Stands in for a part known only after apply while the rest of the text is read as JSON.
_UNKNOWN_PART = "\u2063iaclint-unknown\u2063"


def partly_known_json(value: PartlyKnown) -> Value | None:
    """The JSON document a partly known text holds, its unknown parts unknown values; ``None`` when the text
    around them is not JSON.  ``{"Resource": "${aws_s3_bucket.b.arn}/*", "Effect": "Deny"}`` still says Deny."""
    pieces: list[str] = []
    in_string = False
    for part in value.parts:
        if part is None:
            pieces.append(_UNKNOWN_PART if in_string else f'"{_UNKNOWN_PART}"')
            continue
        pieces.append(part)
        in_string = _ends_inside_string(part, in_string)
    try:
        data = json.loads("".join(pieces))
    except ValueError:
        return None
    return _marking_unknowns(json_value(data, value.loc), value)


def _ends_inside_string(text: str, inside: bool) -> bool:
    escaped = False
    for char in text:
        if escaped:
            escaped = False
        elif char == "\\" and inside:
            escaped = True
        elif char == '"':
            inside = not inside
    return inside


def _marking_unknowns(node: Value, whole: PartlyKnown) -> Value:
    # Every part carries what the whole text came through, so a variable's value inside it stays its own.
    if isinstance(node.raw, dict):
        return node.replace(raw={k: _marking_unknowns(v, whole) for k, v in node.raw.items()}, via=whole.via)
    if isinstance(node.raw, list):
        return node.replace(raw=[_marking_unknowns(v, whole) for v in node.raw], via=whole.via)
    if isinstance(node.raw, str) and _UNKNOWN_PART in node.raw:
        return Value.unknown(node.loc, whole.reason, via=whole.via, trace=whole.trace)
    return node.replace(via=whole.via, trace=whole.trace)
