"""IAM policy documents as one model, whatever they were written as: a YAML/JSON mapping, a JSON string,
a Terraform ``jsonencode(...)``, heredoc or ``aws_iam_policy_document``."""

from __future__ import annotations

import json
import re
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
    # A resource or trust policy's Principal as written: ``"*"`` or a mapping of kind (AWS, Service,
    # Federated, CanonicalUser) to one or more values; ``None`` when not written (an identity policy).
    principal: Value | None = None

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
        principal=item.get("Principal"),
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


# Stands in for a part known only after apply (numbered, in order) while the rest of the text is read as JSON.
_UNKNOWN_PART = "\u2063iaclint-unknown-{}\u2063"
_UNKNOWN_MARK = re.compile("\u2063iaclint-unknown-(\\d+)\u2063")


def partly_known_json(value: PartlyKnown) -> Value | None:
    """The JSON document a partly known text holds, its unknown parts unknown values; ``None`` when the text
    around them is not JSON.  ``{"Resource": "${aws_s3_bucket.b.arn}/*", "Effect": "Deny"}`` still says Deny."""
    pieces: list[str] = []
    in_string = False
    unknowns = 0
    for part in value.parts:
        if part is None:
            mark = _UNKNOWN_PART.format(unknowns)
            unknowns += 1
            pieces.append(mark if in_string else f'"{mark}"')
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
    if isinstance(node.raw, str) and _UNKNOWN_MARK.search(node.raw):
        # A string with unknown parts is itself partly known: ``arn:aws:iam::${account}:root``.
        split = _UNKNOWN_MARK.split(node.raw)  # text, index, text, index, …, text
        reasons = tuple(_reason(whole, int(index)) for index in split[1::2])
        if len(split) == 3 and not split[0] and not split[2]:
            return Value.unknown(node.loc, reasons[0], via=whole.via, trace=whole.trace)
        parts = tuple(None if number % 2 else text for number, text in enumerate(split) if number % 2 or text)
        return PartlyKnown(parts, node.loc, reasons[0], via=whole.via, trace=whole.trace, reasons=reasons)
    return node.replace(via=whole.via, trace=whole.trace)


def _reason(whole: PartlyKnown, index: int) -> str:
    return whole.reasons[index] if index < len(whole.reasons) else whole.reason
