"""Load a Terraform module directory (all its ``.tf`` files together) into a `Document`."""

from __future__ import annotations

import os

from ..document import TERRAFORM, Document, Parameter, Resource
from ..findings import InputError, ScanError
from ..values import Value
from .expressions import Evaluator
from .parser import parse
from .syntax import Block, location, read_file


def load_module(directory: str, files: list[str], read_text, options=None) -> tuple[Document, list[ScanError]]:
    """``files`` are the module's ``.tf`` files; ``read_text(path)`` returns a file's text or raises
    `InputError`.  A file that does not parse is reported and the rest of the module is still used."""
    document = Document(TERRAFORM, directory, files=list(files))
    errors: list[ScanError] = []
    blocks: list[Block] = []
    for path in files:
        try:
            blocks.extend(read_file(parse(read_text(path)), path))
        except InputError as exc:
            errors.append(ScanError(path, exc.message, exc.line, exc.column))
    resource_types = {block.labels[0] for block in blocks if block.type == "resource" and block.labels}
    for block in blocks:
        evaluator = Evaluator(block.file, resource_types)
        if block.type == "resource" and len(block.labels) == 2:
            kind, name = block.labels
            properties = _body_value(block, evaluator)
            document.resources.append(Resource(TERRAFORM, kind, f"{kind}.{name}", block.loc, properties))
        elif block.type == "provider" and block.labels:
            properties = _body_value(block, evaluator)
            document.resources.append(
                Resource(TERRAFORM, f"provider.{block.labels[0]}", f"provider.{block.labels[0]}", block.loc, properties)
            )
        elif block.type == "variable" and block.labels:
            document.parameters[block.labels[0]] = _variable(block, evaluator)
    return document, errors


def _variable(block: Block, evaluator: Evaluator) -> Parameter:
    name = block.labels[0]
    default = block.attributes.get("default")
    sensitive = block.attributes.get("sensitive")
    sensitive_value = evaluator.evaluate(sensitive.expression) if sensitive else None
    default_value = None
    if default is not None:
        default_value = evaluator.evaluate(default.expression)
        default_value.key_loc = default.loc
    return Parameter(
        name=name,
        loc=block.loc,
        reference=f"var.{name}",
        default=default_value,
        sensitive=bool(sensitive_value and sensitive_value.raw is True),
    )


def _body_value(block: Block, evaluator: Evaluator) -> Value:
    """Attributes as values, nested blocks as lists of mappings under their type."""
    result: dict[str, Value] = {}
    for name, attribute in block.attributes.items():
        value = evaluator.evaluate(attribute.expression)
        value.key_loc = attribute.loc
        result[name] = value
    for nested in block.blocks:
        if nested.type == "dynamic" and nested.labels:
            entry = Value.unknown(nested.loc, f'dynamic "{nested.labels[0]}" block is not expanded')
            key = nested.labels[0]
        else:
            entry = _body_value(nested, evaluator)
            key = nested.type
        entry.key_loc = nested.loc
        result.setdefault(key, Value([], nested.loc)).raw.append(entry)
    return Value(result, block.loc)


def module_files(directory: str) -> list[str]:
    """The ``.tf`` files of ``directory``, sorted (Terraform reads them all, in name order)."""
    try:
        names = sorted(os.listdir(directory))
    except OSError:
        return []
    return [os.path.join(directory, n) for n in names if n.endswith(".tf") and os.path.isfile(os.path.join(directory, n))]


__all__ = ["load_module", "module_files", "location"]
