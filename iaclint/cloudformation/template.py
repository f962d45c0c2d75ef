"""Turn a parsed template into a `Document`: its parameters and its evaluated resources."""

from __future__ import annotations

from ..document import CLOUDFORMATION, Document, Parameter, Resource
from ..values import Location, Value
from .evaluate import Evaluator


def looks_like_template(root: Value) -> bool:
    """A template has ``AWSTemplateFormatVersion``, or ``Resources`` whose entries have an ``AWS::`` (or
    ``Custom::``, ``Alexa::``) ``Type``.  Anything else (Kubernetes, workflows, OpenAPI) is not ours."""
    if not root.is_map():
        return False
    if root.get("AWSTemplateFormatVersion") is not None:
        return True
    resources = root.get("Resources")
    if resources is None or not resources.is_map():
        return False
    for resource in resources.raw.values():
        kind = resource.get("Type")
        if kind is not None and kind.is_str() and "::" in kind.raw:
            return True
    return False


def build_document(root: Value, path: str) -> Document:
    document = Document(CLOUDFORMATION, path, files=[path], metadata=root.get("Metadata"))
    document.parameters = _parameters(root.get("Parameters"))
    resources = root.get("Resources")
    if resources is None or not resources.is_map():
        return document
    evaluator = Evaluator(document.parameters, set(resources.raw))
    for logical_id, body in resources.raw.items():
        kind = body.get("Type")
        if kind is None or not kind.is_str():
            continue
        properties = body.get("Properties")
        if properties is None or not properties.is_map():
            properties = Value({}, body.loc)
        else:
            properties = evaluator.evaluate(properties)
        header = body.key_loc or body.loc or Location(path, 1)
        document.resources.append(
            Resource(CLOUDFORMATION, kind.raw, logical_id, header, properties, metadata=body.get("Metadata"))
        )
    return document


def _parameters(section: Value | None) -> dict[str, Parameter]:
    parameters: dict[str, Parameter] = {}
    if section is None or not section.is_map():
        return parameters
    for name, body in section.raw.items():
        no_echo = body.get("NoEcho")
        parameters[name] = Parameter(
            name=name,
            loc=body.key_loc or body.loc,
            reference=f"parameter {name}",
            default=body.get("Default"),
            no_echo=no_echo is not None and str(no_echo.raw).lower() == "true",
        )
    return parameters
