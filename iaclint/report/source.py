"""The source under a text finding (``--show-source``): the lines around the use site with a line-number
gutter and a marker under the offending value, as ruff and flake8 show it::

       |
    11 |           FromPort: 22
    12 |           CidrIp: 0.0.0.0/0
       |                   ^^^^^^^^^
    13 |           ToPort: 22
       |

A secret is never printed.  Masked in every line shown: the span of every finding (reported, suppressed,
baselined or undecided) of a rule that points at secret values, with the places its value was written, and
whatever `iaclint.secrets.secret_spans` recognises in the text itself, so that a secret stays hidden in the
lines around another finding and when its own rule is not selected.
"""

from __future__ import annotations

import re
from collections import defaultdict

from ..secrets import mask, secret_spans

CONTEXT = 2  # lines shown above and below the use site
WIDTH = 120  # characters of a line shown around the marker; longer lines are cut with an ellipsis
# Control characters would move the cursor or colour the terminal; a hostile template may hold them.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class Sources:
    """Snippets for the findings of one report; each file is read once."""

    def __init__(self, report) -> None:
        from ..catalog import all_rules

        self._lines: dict[str, list[str] | None] = {}
        self._hidden: dict[str, dict[int, list[tuple[int, int]]]] = {}  # by file and line: what to mask
        # (line, column, end line, end column) of what findings of secrets rules point at, by file.
        self._reported: dict[str, list[tuple[int, int, int, int]]] = defaultdict(list)
        self._shown: dict[tuple[str, int], tuple[str, list[int]]] = {}
        about_secrets = {rule.code for rule in all_rules() if rule.points_at_secrets}
        for finding in _every_finding(report):
            if finding.code in about_secrets:
                for file, *place in _places(finding):
                    self._reported[file].append(tuple(place))

    def snippet(self, finding, marker_color: str = "", reset: str = "") -> list[str]:
        """The lines shown under ``finding``; none when its file cannot be read or has no such line."""
        lines = self._read(finding.file)
        if lines is None or not 1 <= finding.line <= len(lines):
            return []
        first, last = max(1, finding.line - CONTEXT), min(len(lines), finding.line + CONTEXT)
        text, columns = self._display(finding.file, finding.line)
        start = columns[max(0, min(finding.column - 1, len(columns) - 1))]
        end = (columns[max(0, min(finding.end_column, len(columns) - 1))] if finding.end_line == finding.line
               else len(text))
        cut = 0 if len(text) <= WIDTH or start < WIDTH // 2 else min(start - WIDTH // 2, len(text) - WIDTH)
        gutter = len(str(last))
        shown = [" " * gutter + " |"]
        for number in range(first, last + 1):
            line = self._display(finding.file, number)[0]
            window = ("…" if cut else "") + line[cut:cut + WIDTH] + ("…" if len(line) > cut + WIDTH else "")
            shown.append(f"{number:>{gutter}} | {window}".rstrip())
            if number == finding.line:
                left = start - cut + (1 if cut else 0)
                width = max(1, min(end, cut + WIDTH) - start)
                shown.append(f"{' ' * gutter} | {' ' * left}{marker_color}{'^' * width}{reset}")
        shown.append(" " * gutter + " |")
        return shown

    def _read(self, file: str) -> list[str] | None:
        if file not in self._lines:
            try:
                with open(file, encoding="utf-8", errors="replace") as handle:
                    text = handle.read()
            except OSError:
                text = None
            # The lines as the parsers count them; a final newline ends the last line, it starts none.
            lines = None if text is None else [line.rstrip("\r") for line in text.removesuffix("\n").split("\n")]
            self._lines[file] = lines
            self._hidden[file] = {} if text is None else secret_spans(text)
            for place in self._reported.get(file, ()) if lines else ():
                for number, span in _secret_value_spans(lines, *place):
                    self._hidden[file].setdefault(number, []).append(span)
        return self._lines[file]

    def _display(self, file: str, number: int) -> tuple[str, list[int]]:
        """Line ``number`` as shown (secrets masked, tabs expanded, control characters replaced), and for
        each 0-based column of the line (and one past its end) the column where it is shown."""
        key = (file, number)
        if key not in self._shown:
            line = self._lines[file][number - 1]
            hidden = _merged(self._hidden[file].get(number, []), len(line))
            text, columns = [], []
            position = 0
            for start, end in hidden + [(len(line), len(line))]:
                for char in line[position:start]:
                    columns.append(len(text))
                    text.extend(" " * (4 - len(text) % 4) if char == "\t" else _CONTROL.sub("?", char))
                if start < end:
                    columns.extend([len(text)] * (end - start))
                    text.extend(mask(line[start:end]))
                position = end
            columns.append(len(text))
            self._shown[key] = ("".join(text), columns)
        return self._shown[key]


def _every_finding(report):
    for name in ("findings", "suppressed", "baselined", "notes"):
        yield from getattr(report, name, ())


def _places(finding):
    yield finding.file, finding.line, finding.column, finding.end_line, finding.end_column
    for step in finding.origin:
        loc = step.loc
        yield loc.file, loc.line, loc.column, loc.end_line or loc.line, loc.end_column or loc.column


# A span that names something rather than holding a value: a mapping key (`DbPassword:`), a Terraform block,
# a plain reference (where a secret parameter is used).
_KEY_AFTER = re.compile(r"""^["']?\s*:""")
_BLOCK_HEADER = re.compile(r"""^\s*[\w-]+(?:\s+"[^"]*")+\s*\{""")
_PLAIN_REFERENCE = re.compile(r"""^(?:!Ref\s+[\w.:-]+|(?:var|local|module|data)\.[\w.-]+)$""")


def _secret_value_spans(lines: list[str], line: int, column: int, end_line: int, end_column: int):
    """``(line, (start, end))`` to mask for a secret a finding points at: its span on one line; from its
    column to the end of the line when the span is a point (a script's ``DB_PASSWORD=…`` is reported where
    the setting starts); every line of a span over several.  Nothing when the finding points at the name of
    a parameter or variable (the secret is not there)."""
    if not 1 <= line <= len(lines):
        return
    text = lines[line - 1]
    if end_line <= line:
        end = end_column if end_column > column else len(text)
        if not _KEY_AFTER.match(text[end:]) and not _PLAIN_REFERENCE.match(text[column - 1:end].strip()):
            yield line, (column - 1, end)
        return
    if _BLOCK_HEADER.match(text):
        return
    yield line, (column - 1, len(text))
    for number in range(line + 1, min(end_line, len(lines)) + 1):
        yield number, (0, len(lines[number - 1]))


def _merged(spans: list[tuple[int, int]], length: int) -> list[tuple[int, int]]:
    """The spans inside a line of ``length``, sorted, overlapping ones joined."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        start, end = max(0, start), min(end, length)
        if start >= end:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
