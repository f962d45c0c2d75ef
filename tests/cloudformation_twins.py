"""Write the JSON twin of an annotated YAML CloudFormation fixture.

    PYTHONPATH=. python tests/cloudformation_twins.py fixtures/cloudformation/*.yaml

Every annotated YAML fixture has a JSON twin with the same template in long-form intrinsics and the same
annotations as ``// ruleid: …`` lines (which the fixture harness blanks before parsing), each above the JSON
line that holds the annotated YAML line's key or value.  Generating the twin, rather than writing it by
hand, keeps the pair identical; ``test_fixtures`` checks that the twins are up to date and
that both give the same findings.
"""

from __future__ import annotations

import json
import re
import sys

from iaclint.cloudformation import loader
from iaclint.values import Value

_ANNOTATION = re.compile(r"^\s*#\s*((?:todo)?(?:ruleid|ok)):\s*(\S+)")


def annotations(text: str) -> dict[int, list[str]]:
    """YAML line -> the annotation comments (``ruleid: slug``) written directly above it."""
    found: dict[int, list[str]] = {}
    pending: list[str] = []
    for number, line in enumerate(text.splitlines(), 1):
        match = _ANNOTATION.match(line)
        if match:
            pending.append(f"{match.group(1)}: {match.group(2)}")
            continue
        if pending and line.strip() and not line.strip().startswith("#"):
            found[number] = pending
            pending = []
    return found


def twin(yaml_text: str, path: str = "fixture.yaml") -> str:
    root = loader.parse(yaml_text, path)
    notes = annotations(yaml_text)
    lines: list[str] = []
    _emit(root, None, 0, notes, lines, last=True)
    return "\n".join(lines) + "\n"


def _one_line(value: Value, notes: dict[int, list[str]]) -> bool:
    if not isinstance(value.raw, (dict, list)) or not value.raw:
        return True
    loc = value.loc
    return loc is not None and loc.line == loc.end_line and not any(
        loc.line < line <= loc.end_line for line in notes)


def _emit(value: Value, key: str | None, depth: int, notes, lines: list[str], *, last: bool) -> None:
    pad = "  " * depth
    where = value.key_loc.line if key is not None and value.key_loc else (value.loc.line if value.loc else 0)
    for note in notes.pop(where, []):
        lines.append(f"{pad}// {note}")
    head = f"{pad}{json.dumps(key)}: " if key is not None else pad
    comma = "" if last else ","
    if _one_line(value, notes):
        lines.append(head + json.dumps(value.plain(), separators=(", ", ": ")) + comma)
        return
    if isinstance(value.raw, dict):
        lines.append(head + "{")
        items = list(value.raw.items())
        for index, (child_key, child) in enumerate(items):
            _emit(child, child_key, depth + 1, notes, lines, last=index == len(items) - 1)
        lines.append(pad + "}" + comma)
    else:
        lines.append(head + "[")
        for index, child in enumerate(value.raw):
            _emit(child, None, depth + 1, notes, lines, last=index == len(value.raw) - 1)
        lines.append(pad + "]" + comma)


def main(paths: list[str]) -> None:
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
        target = re.sub(r"\.ya?ml$", ".json", path)
        with open(target, "w", encoding="utf-8") as handle:
            handle.write(twin(text, path))
        print(target)


if __name__ == "__main__":
    main(sys.argv[1:])
