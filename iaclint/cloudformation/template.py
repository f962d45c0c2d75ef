"""Turn a template file into `Document`s: its parameters and its evaluated resources, plus one Document per
local nested stack.

`load_templates` is the entry point the engine calls for every YAML/JSON file it discovers.
"""

from __future__ import annotations

import json
import os
import re
from contextlib import contextmanager
from typing import Callable

from ..document import CLOUDFORMATION, Document, Parameter, Resource
from ..failures import internal_error
from ..findings import InputError, ScanError
from ..values import Location, Value
from . import loader
from .evaluate import Evaluator, is_no_value, scalar_text, with_when
from .parameters import supplied_parameters

# Nested stacks deeper than this are not followed (CloudFormation itself allows a handful of levels).
MAX_NESTING = 8

# A file that fails to parse is reported only when it clearly means to be a template; anything else
# (Helm templates, multi-document Kubernetes manifests) is not ours and is skipped quietly.
_CLAIMS_TEMPLATE = re.compile(r"""^[ \t{]*["']?AWSTemplateFormatVersion["']?[ \t]*:""", re.MULTILINE)
_CLAIMS_RESOURCES = re.compile(r"""^[ \t{]*["']?Resources["']?[ \t]*:""", re.MULTILINE)
_CLAIMS_AWS_TYPE = re.compile(r"""["']?Type["']?[ \t]*:[ \t]*["']?(AWS|Custom|Alexa)::""")

# SAM `Globals` sections and the resource types they apply to.
_SAM_GLOBALS = {
    "Function": "AWS::Serverless::Function",
    "Api": "AWS::Serverless::Api",
    "HttpApi": "AWS::Serverless::HttpApi",
    "SimpleTable": "AWS::Serverless::SimpleTable",
    "StateMachine": "AWS::Serverless::StateMachine",
    "LayerVersion": "AWS::Serverless::LayerVersion",
}

ReadText = Callable[[str], str]


def load_templates(path: str, text: str, inputs, read_text: ReadText, *, stack_path: str = "",
                   parameters: dict[str, Value] | None = None) -> list[Document]:
    """The Documents of the template in ``path`` (already read into ``text``): the template's own, then one
    per local nested stack.  An empty list when the file is not a CloudFormation template.  Raises only
    `InputError` (a malformed template, a bad parameter file).

    A template written inside another file (a Terraform stack's ``template_body``) names its resources
    after their stack (``stack_path``) and is given that stack's ``parameters``."""
    with _reading_errors(path):
        root = _parse_template(path, text)
    return load_parsed_template(root, path, inputs, read_text, stack_path=stack_path, parameters=parameters)


def load_parsed_template(root: Value | None, path: str, inputs, read_text: ReadText, *, stack_path: str = "",
                         parameters: dict[str, Value] | None = None) -> list[Document]:
    """`load_templates` for a template already read into values (a Terraform ``jsonencode({...})``)."""
    if root is None or not looks_like_template(root):
        return []
    with _reading_errors(path):
        supplied: dict[str, Value | str] = dict(parameters or supplied_parameters(inputs, read_text))
        documents: list[Document] = []
        roots = _scan_roots(inputs, path)
        _load(root, path, supplied, read_text, roots, (os.path.realpath(path),), documents, stack_path)
    return documents


@contextmanager
def _reading_errors(path: str):
    """Every failure while reading the template ``path`` as `InputError` with a line: never let a bug take
    the whole scan down, never echo template values.  The last resort: each resource has its own (`_build`)."""
    try:
        yield
    except InputError:
        raise
    except RecursionError:
        raise InputError("the template nests too deeply to be read", 1, 1) from None
    except Exception as exc:
        error = internal_error(exc, "reading the template", fallback_file=path)
        inside = error.file == path  # else the place is in a nested template: name this one's top
        raise InputError(error.message, error.line if inside else 1, error.column if inside else 1) from None


def _parse_template(path: str, text: str) -> Value | None:
    try:
        if path.lower().endswith(".json"):
            _check_json(text)
        root = loader.parse(text, path)
    except InputError:
        if claims_to_be_template(text):
            raise
        return None
    return root if looks_like_template(root) else None


def _check_json(text: str) -> None:
    """The YAML reader also accepts what JSON forbids (trailing commas, comments, single quotes), which
    CloudFormation rejects in a JSON template.  Like cfn-lint, a `.json` file that is not JSON at all (no
    leading ``{``/``[``) is left to the YAML reader."""
    if not text.lstrip().startswith(("{", "[")):
        return
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON: {exc.msg}", exc.lineno, exc.colno) from None
    except (RecursionError, ValueError):
        pass  # too deep, or an integer too long for Python: the YAML reader reports or keeps these


def claims_to_be_template(text: str) -> bool:
    """Whether text that does not parse was meant to be a template (so its error is worth reporting)."""
    if _CLAIMS_TEMPLATE.search(text):
        return True
    return bool(_CLAIMS_RESOURCES.search(text) and _CLAIMS_AWS_TYPE.search(text))


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
        if kind is not None and kind.is_str() and kind.raw.startswith(("AWS::", "Custom::", "Alexa::")):
            return True
    return False


def build_document(root: Value, path: str, supplied: dict[str, Value | str] | None = None) -> Document:
    """The Document of one parsed template (nested stacks are not followed: see `load_templates`)."""
    document, _ = _build(root, path, supplied or {})
    return document


def _load(root: Value, path: str, supplied: dict[str, Value | str], read_text: ReadText, roots: list[str],
          stack: tuple[str, ...], documents: list[Document], stack_path: str = "") -> None:
    document, nested = _build(root, path, supplied, stack_path)
    documents.append(document)
    if len(stack) > MAX_NESTING:
        return
    for logical_id, url, parameters in nested:
        child_path = _local_template(path, url, roots)
        if child_path is None:
            continue
        real = os.path.realpath(child_path)
        if real in stack:  # a template that nests itself
            continue
        try:
            child_root = _parse_template(child_path, read_text(child_path))
        except (InputError, OSError, UnicodeDecodeError):
            continue  # the child's own scan reports what is wrong with it
        if child_root is None:
            continue
        _load(child_root, child_path, parameters, read_text, roots, stack + (real,), documents,
              f"{stack_path}{logical_id}/")


def _build(root: Value, path: str, supplied: dict[str, Value | str], stack_path: str = ""
           ) -> tuple[Document, list]:
    document = Document(CLOUDFORMATION, path, files=[path], metadata=root.get("Metadata"))
    section = root.get("Parameters")
    document.parameters = _parameters(section, stack_path)
    resources = root.get("Resources")
    nested: list[tuple[str, str, dict[str, Value | str]]] = []
    if resources is None or not resources.is_map():
        return document, nested
    evaluator = Evaluator(
        document.parameters,
        set(),
        supplied={k: v for k, v in supplied.items() if k in document.parameters},
        mappings=root.get("Mappings"),
        conditions=root.get("Conditions"),
        parameter_types=_parameter_field(section, "Type"),
        allowed_values=_allowed_values(section),
        stack_path=stack_path,
    )
    entries = _expand_for_each(resources.raw, evaluator)
    evaluator.resource_ids.update(entries)
    globals_ = _sam_globals(root)
    for logical_id, body in entries.items():
        try:
            _add_resource(document, nested, evaluator, globals_, logical_id, body, path, stack_path)
        except RecursionError:
            header = body.key_loc or body.loc or Location(path, 1)
            document.errors.append(ScanError(header.file, f"resource {logical_id} nests too deeply to be read",
                                             header.line, header.column))
        except Exception as exc:  # a bug costs this resource only, and is reported where it is
            document.errors.append(internal_error(exc, f"reading resource {logical_id}",
                                                  body.key_loc or body.loc or Location(path, 1)))
    return document, nested


def _add_resource(document: Document, nested: list, evaluator: Evaluator, globals_: dict, logical_id: str,
                  body: Value, path: str, stack_path: str) -> None:
    """Evaluate one resource of the template into ``document`` (and ``nested``, when it is a local nested
    stack)."""
    kind = body.get("Type")
    if kind is None or not kind.is_str():
        return
    properties = body.get("Properties")
    if properties is None or not isinstance(properties.raw, dict):
        properties = properties if properties is not None else Value({}, body.loc)
    if kind.raw in globals_:
        properties = _merge_globals(globals_[kind.raw], properties)
    condition = body.get("Condition")
    condition_name = condition.raw if condition is not None and condition.is_str() else None
    decided = evaluator.condition(condition_name) if condition_name else True
    if decided is False:
        return  # never created with the parameter values given
    if decided is None:
        evaluated = evaluator.assuming(condition_name, True, lambda p=properties: evaluator.evaluate(p))
        evaluated = with_when(evaluated, (f"when {condition_name} is true",))
    else:
        evaluated = evaluator.evaluate(properties)
    if is_no_value(evaluated):
        evaluated = Value({}, properties.loc, key_loc=properties.key_loc)
    header = body.key_loc or body.loc or Location(path, 1)
    child = _nested_stack(kind.raw, evaluated)
    document.resources.append(
        Resource(CLOUDFORMATION, kind.raw, stack_path + logical_id, header, evaluated,
                 metadata=body.get("Metadata"))
    )
    if child is not None:
        nested.append((logical_id, *child))


def _parameters(section: Value | None, stack_path: str) -> dict[str, Parameter]:
    """The template's parameters; in a nested stack each is named after its place (``Network/VpcCidr``)."""
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
            address=stack_path + name if stack_path else "",
            type=str(kind.raw) if (kind := body.get("Type")) is not None and kind.is_known else "",
        )
    return parameters


def _parameter_field(section: Value | None, field: str) -> dict[str, str]:
    if section is None or not section.is_map():
        return {}
    found = {}
    for name, body in section.raw.items():
        value = body.get(field)
        if value is not None and value.is_str():
            found[name] = value.raw
    return found


def _allowed_values(section: Value | None) -> dict[str, list[str]]:
    if section is None or not section.is_map():
        return {}
    found = {}
    for name, body in section.raw.items():
        value = body.get("AllowedValues")
        if value is not None and value.is_list():
            texts = [scalar_text(item.raw) for item in value.raw]
            if all(t is not None for t in texts):
                found[name] = texts
    return found


# -- Fn::ForEach (AWS::LanguageExtensions) ----------------------------------------------------------------------------
MAX_EXPANDED_RESOURCES = 2_000  # CloudFormation allows 500 resources per template


def _expand_for_each(entries: dict[str, Value], evaluator: Evaluator, depth: int = 0) -> dict[str, Value]:
    """``Resources`` with every ``Fn::ForEach::Loop: [Identifier, Collection, {KeyTemplate: body}]`` expanded:
    one resource per element, ``${Identifier}``/``&{Identifier}`` replaced in keys and strings and
    ``Ref: Identifier`` by the element.  Expanded values keep the location of the body they come from."""
    expanded: dict[str, Value] = {}
    for key, body in entries.items():
        if not key.startswith("Fn::ForEach::"):
            expanded[key] = body
            continue
        loop = body.raw if isinstance(body.raw, list) else []
        if len(loop) != 3 or not loop[0].is_str() or not isinstance(loop[2].raw, dict) or depth > 5:
            continue
        identifier = loop[0].raw
        collection = evaluator.evaluate(loop[1])
        elements = [scalar_text(item.raw) for item in collection.items() if item.is_known] \
            if collection.is_list() else []
        for element in elements:
            if element is None:
                continue
            replaced = {_replace_text(k, identifier, element): _replace(v, identifier, element)
                        for k, v in loop[2].raw.items()}
            expanded.update(_expand_for_each(replaced, evaluator, depth + 1))
            if len(expanded) > MAX_EXPANDED_RESOURCES:
                return expanded
    return expanded


def _replace_text(text: str, identifier: str, element: str) -> str:
    return text.replace("${" + identifier + "}", element).replace(
        "&{" + identifier + "}", re.sub(r"[^A-Za-z0-9]", "", element))


def _replace(value: Value, identifier: str, element: str) -> Value:
    raw = value.raw
    if isinstance(raw, str):
        raw = _replace_text(raw, identifier, element)
    elif isinstance(raw, dict):
        ref = raw.get("Ref")
        if len(raw) == 1 and ref is not None and ref.raw == identifier:
            return Value(element, value.loc, value.origin, key_loc=value.key_loc)
        raw = {_replace_text(k, identifier, element): _replace(v, identifier, element) for k, v in raw.items()}
    elif isinstance(raw, list):
        raw = [_replace(item, identifier, element) for item in raw]
    return Value(raw, value.loc, value.origin, via=value.via, when=value.when, key_loc=value.key_loc)


# -- SAM ------------------------------------------------------------------------------------------------------
def _sam_globals(root: Value) -> dict[str, Value]:
    section = root.get("Globals")
    if section is None or not section.is_map():
        return {}
    return {_SAM_GLOBALS[name]: body for name, body in section.raw.items()
            if name in _SAM_GLOBALS and isinstance(body.raw, dict)}


def _is_intrinsic(value: Value) -> bool:
    return isinstance(value.raw, dict) and len(value.raw) == 1 and next(iter(value.raw)) in ("Ref", "Condition") \
        or isinstance(value.raw, dict) and len(value.raw) == 1 and next(iter(value.raw)).startswith("Fn::")


def _merge_globals(global_value: Value, local: Value) -> Value:
    """SAM's rule: mappings merge (the resource's own keys win), lists concatenate (globals first), anything
    else the resource's value replaces.  Values keep where each part is written."""
    if isinstance(global_value.raw, dict) and isinstance(local.raw, dict) \
            and not _is_intrinsic(global_value) and not _is_intrinsic(local):
        merged = dict(global_value.raw)
        for key, value in local.raw.items():
            merged[key] = _merge_globals(global_value.raw[key], value) if key in global_value.raw else value
        return Value(merged, local.loc, local.origin, key_loc=local.key_loc)
    if isinstance(global_value.raw, list) and isinstance(local.raw, list):
        return Value(global_value.raw + local.raw, local.loc, local.origin, key_loc=local.key_loc)
    return local


# -- nested stacks ---------------------------------------------------------------------------------------------
def _nested_stack(kind: str, properties: Value) -> tuple[str, dict[str, Value | str]] | None:
    if kind == "AWS::CloudFormation::Stack":
        url = properties.get("TemplateURL")
    elif kind == "AWS::Serverless::Application":
        url = properties.get("Location")
    else:
        return None
    if url is None or not url.is_str():
        return None
    parameters = properties.get("Parameters")
    passed: dict[str, Value | str] = {}
    if parameters is not None and parameters.is_map():
        passed = dict(parameters.raw)
    return url.raw, passed


def _scan_roots(inputs, path: str) -> list[str]:
    roots = list(getattr(inputs, "scan_roots", ()) or ())
    if not roots:
        roots = [os.path.dirname(path) or "."]
    return [os.path.realpath(root) for root in roots]


def _local_template(parent: str, url: str, roots: list[str]) -> str | None:
    """The path of a nested template given by a local ``TemplateURL``, if it stays inside the scanned tree."""
    if "://" in url or url.startswith(("s3:", "http:", "https:", "/")) or not url.strip():
        return None
    candidate = os.path.normpath(os.path.join(os.path.dirname(parent), url))
    real = os.path.realpath(candidate)
    for root in roots:
        base = root if os.path.isdir(root) else os.path.dirname(root)
        if real == base or real.startswith(base.rstrip(os.sep) + os.sep):
            return candidate if os.path.isfile(real) else None
    return None
