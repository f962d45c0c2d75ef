"""Parameter values supplied for a scan: ``--parameter NAME=VALUE`` and parameter files.

Parameter files come in the formats people already keep next to their templates:

- the ``aws cloudformation create-stack --parameters file://…`` JSON list:
  ``[{"ParameterKey": "Env", "ParameterValue": "prod"}, …]``;
- a JSON (or YAML) mapping ``{"Parameters": {"Env": "prod"}}`` (CodePipeline template configuration), or a
  bare ``{"Env": "prod"}`` mapping;
- ``NAME=VALUE`` lines (``aws cloudformation deploy --parameter-overrides``, ``samconfig``-style), with
  ``#`` comments and blank lines.

Files are applied in the order given, then ``--parameter`` values, so the command line wins.
"""

from __future__ import annotations

import re
from typing import Callable

from ..findings import InputError
from ..values import Value
from . import loader
from .evaluate import scalar_text

_NAME = re.compile(r"^[A-Za-z0-9]+$")


class ParameterFileError(InputError):
    """A parameter file that cannot be read; ``file`` names it (the line is a line of that file)."""

    def __init__(self, file: str, message: str, line: int | None = None, column: int | None = None) -> None:
        super().__init__(f"parameter file {file}: {message}", line, column)
        self.file = file


def read_parameter_files(paths: tuple[str, ...] | list[str], read_text: Callable[[str], str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for path in paths:
        try:
            text = read_text(path)
        except InputError as exc:  # the engine's reader: too large, binary, not UTF-8
            raise ParameterFileError(path, exc.message, exc.line, exc.column) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ParameterFileError(path, f"cannot be read ({getattr(exc, 'strerror', None) or exc})") from None
        values.update(parse_parameter_file(path, text))
    return values


def supplied_parameters(inputs, read_text: Callable[[str], str]) -> dict[str, str]:
    """Every parameter value given for this scan, files first, then the command line."""
    values = read_parameter_files(tuple(getattr(inputs, "cfn_parameter_files", ()) or ()), read_text)
    values.update({str(k): str(v) for k, v in (getattr(inputs, "cfn_parameters", None) or {}).items()})
    return values


def parse_parameter_file(path: str, text: str) -> dict[str, str]:
    stripped = text.lstrip()
    if stripped.startswith(("[", "{")):
        return _structured(path, text)
    if not stripped:
        return {}
    # NAME=VALUE lines, unless it reads as a YAML mapping (`Parameters:` …).
    first = next(line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#"))
    if "=" not in first.split(":", 1)[0]:
        return _structured(path, text)
    return _lines(path, text)


def _lines(path: str, text: str) -> dict[str, str]:
    values: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), 1):
        content = line.strip()
        if not content or content.startswith("#"):
            continue
        name, equals, value = content.partition("=")
        name = name.strip()
        if not equals or not _NAME.match(name):
            # Never echo the line: it may hold a secret.
            raise ParameterFileError(path, "expected NAME=VALUE (a parameter name of letters and digits)", number,
                                     len(line) - len(line.lstrip()) + 1)
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        values[name] = value
    return values


def _structured(path: str, text: str) -> dict[str, str]:
    try:
        root = loader.parse(text, path)
    except InputError as exc:
        raise ParameterFileError(path, exc.message, exc.line, exc.column) from None
    if isinstance(root.raw, list):
        return _key_value_list(path, root)
    if isinstance(root.raw, dict):
        section = root.raw.get("Parameters", root)
        if isinstance(section.raw, list):
            return _key_value_list(path, section)
        if isinstance(section.raw, dict):
            values = {}
            for name, value in section.raw.items():
                values[name] = _text(path, value)
            return values
    raise ParameterFileError(path, "expected a list of {ParameterKey, ParameterValue} or a Parameters mapping",
                             *_where(root))


def _key_value_list(path: str, root: Value) -> dict[str, str]:
    values: dict[str, str] = {}
    for entry in root.raw:
        key = entry.get("ParameterKey") if isinstance(entry.raw, dict) else None
        if key is None or not isinstance(key.raw, str):
            raise ParameterFileError(path, "each entry needs a ParameterKey", *_where(entry))
        if entry.get("UsePreviousValue") is not None and entry.get("ParameterValue") is None:
            continue  # the previous value is not known here
        value = entry.get("ParameterValue")
        if value is None:
            raise ParameterFileError(path, f"parameter {key.raw} has no ParameterValue", *_where(entry))
        values[key.raw] = _text(path, value)
    return values


def _text(path: str, value: Value) -> str:
    raw = value.raw
    text = scalar_text(raw)
    if text is not None:
        return text
    if isinstance(raw, list) and all(isinstance(item.raw, (str, int, float)) for item in raw):
        return ",".join(str(item.raw) for item in raw)  # a CommaDelimitedList written as a list
    raise ParameterFileError(path, "a parameter value must be a string", *_where(value))


def _where(value: Value) -> tuple[int | None, int | None]:
    return (value.loc.line, value.loc.column) if value.loc else (None, None)
