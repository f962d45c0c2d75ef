"""``data "aws_iam_policy_document"`` as the IAM JSON it renders, with positions in the HCL.

The result is a mapping Value ``{"Version", "Id"?, "Statement": [{"Sid", "Effect", "Action"/"NotAction",
"Resource"/"NotResource", "Principal"/"NotPrincipal", "Condition": {test: {variable: [values]}}}]}``;
several ``condition`` blocks of one statement merge into its Condition map.  ``source_policy_documents``
come first and ``override_policy_documents`` replace statements with the same Sid (as the provider does).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from ..values import LITERAL, RESOLVED, Value
from .bodies import block_body
from .operations import JsonText, resolved_value

if TYPE_CHECKING:  # pragma: no cover
    from .expressions import Evaluator

_FIELDS = (
    ("sid", "Sid"),
    ("effect", "Effect"),
    ("actions", "Action"),
    ("not_actions", "NotAction"),
    ("resources", "Resource"),
    ("not_resources", "NotResource"),
)


def policy_document(module, block, evaluator: Evaluator) -> Value:
    body = block_body(block, evaluator)
    fields = body.raw
    statements: list[Value] = []
    for source in _documents(fields.get("source_policy_documents")) + _documents(fields.get("source_json")):
        statements.extend(source)
    for statement in _blocks(fields.get("statement")):
        converted = _statement(statement)
        _replace_or_add(statements, converted)
    for override in _documents(fields.get("override_policy_documents")) + _documents(fields.get("override_json")):
        for statement in override:
            _replace_or_add(statements, statement, replace_only=False)
    document: dict[str, Value] = {
        "Version": fields.get("version") or Value("2012-10-17", block.loc, LITERAL),
    }
    if "policy_id" in fields:
        document["Id"] = fields["policy_id"]
    document["Statement"] = Value(statements, block.loc, RESOLVED)
    return JsonText(document, block.loc, RESOLVED)  # `.json` is JSON text: replace() and templates serialise it


def _blocks(value: Value | None) -> list[Value]:
    if value is None:
        return []
    return value.raw if isinstance(value.raw, list) else [value]


def _statement(statement: Value) -> Value:
    if not statement.is_map():
        return statement  # an unknown dynamic statement stays unknown
    fields = statement.raw
    result: dict[str, Value] = {}
    for name, key in _FIELDS:
        if name in fields and not (fields[name].is_known and fields[name].raw is None):
            result[key] = fields[name]
    if "Effect" not in result:
        result["Effect"] = Value("Allow", statement.loc, LITERAL)
    for name, key in (("principals", "Principal"), ("not_principals", "NotPrincipal")):
        principals = _principals(fields.get(name))
        if principals is not None:
            result[key] = principals
    conditions = _conditions(fields.get("condition"))
    if conditions is not None:
        result["Condition"] = conditions
    return Value(result, statement.loc, RESOLVED, key_loc=statement.key_loc)


def _principals(value: Value | None) -> Value | None:
    entries = _blocks(value)
    if not entries:
        return None
    merged: dict[str, Value] = {}
    for entry in entries:
        if not entry.is_map():
            return Value.unknown(entry.loc, entry.reason or "principals are not known", via=entry.via)
        kind, identifiers = entry.raw.get("type"), entry.raw.get("identifiers")
        if kind is None or identifiers is None:
            continue
        if not kind.is_str():
            return Value.unknown(kind.loc, kind.reason or "principal type is not known", via=kind.via)
        if kind.raw == "*":
            return Value("*", entry.loc, RESOLVED)
        previous = merged.get(kind.raw)
        if previous is not None and previous.is_list() and identifiers.is_list():
            identifiers = Value(previous.raw + identifiers.raw, previous.loc, RESOLVED)
        merged[kind.raw] = identifiers
    return Value(merged, entries[0].loc, RESOLVED)


def _conditions(value: Value | None) -> Value | None:
    entries = _blocks(value)
    if not entries:
        return None
    merged: dict[str, Value] = {}
    for entry in entries:
        if not entry.is_map():
            return Value.unknown(entry.loc, entry.reason or "a condition is not known", via=entry.via)
        test, variable, values = entry.raw.get("test"), entry.raw.get("variable"), entry.raw.get("values")
        for part in (test, variable):
            if part is None or not part.is_str():
                reason = part.reason if part is not None else "a condition is incomplete"
                return Value.unknown(entry.loc, reason or "a condition is not known")
        if values is None:
            values = Value([], entry.loc, RESOLVED)
        operator = merged.setdefault(test.raw, Value({}, test.loc, RESOLVED, key_loc=test.loc))
        operator.raw[variable.raw] = Value(values.raw, values.loc, values.origin, via=values.via, reason=values.reason,
                                           key_loc=variable.loc)
    return Value(merged, entries[0].loc, RESOLVED)


def _documents(value: Value | None) -> list[list[Value]]:
    """The statement lists of ``source_policy_documents``-like values (JSON text or mappings)."""
    if value is None or (value.is_known and value.raw is None):
        return []
    documents = value.raw if isinstance(value.raw, list) else [value]
    out: list[list[Value]] = []
    for document in documents:
        if document.is_unknown:
            out.append([Value.unknown(document.loc, document.reason, via=document.via)])
            continue
        if document.is_str():

            try:
                document = resolved_value(json.loads(document.raw), document.loc, document.via)
            except ValueError:
                out.append([Value.unknown(document.loc, "source policy document is not valid JSON")])
                continue
        statements = document.get("Statement") if document.is_map() else None
        if statements is None:
            continue
        out.append(statements.items())
    return out


def _replace_or_add(statements: list[Value], statement: Value, *, replace_only: bool = False) -> None:
    sid = statement.get("Sid") if statement.is_map() else None
    if sid is not None and sid.is_str():
        for index, existing in enumerate(statements):
            other = existing.get("Sid") if existing.is_map() else None
            if other is not None and other.is_str() and other.raw == sid.raw:
                statements[index] = statement
                return
    if not replace_only:
        statements.append(statement)
