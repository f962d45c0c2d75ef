"""JSON into `Value`s that know the line and column of every value and key (for ``terraform.tfvars.json``,
``.tf.json`` and plan files).  The standard library's decoder keeps no positions."""

from __future__ import annotations

import bisect
import json
import re

from ..values import LITERAL, Location, Value

_WHITESPACE = re.compile(r"[ \t\r\n]*")
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?")
_STRING = re.compile(r'"(?:[^"\\\x00-\x1f]|\\.)*"', re.S)


# Each value costs ~7 us and ~250 bytes here: a 20 MiB list of numbers took over a minute and 2.5 GB.
# Large real plans hold a few hundred thousand values.
MAX_VALUES = 2_000_000


class JsonError(ValueError):
    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


class _Reader:
    def __init__(self, text: str, file: str, origin: str) -> None:
        self.text = text
        self.file = file
        self.origin = origin
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.values = 0

    def position(self, index: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.line_starts, index)
        return line, index - self.line_starts[line - 1] + 1

    def location(self, start: int, end: int) -> Location:
        line, column = self.position(start)
        end_line, end_column = self.position(max(start, end - 1))
        return Location(self.file, line, column, end_line, end_column)

    def fail(self, message: str, index: int):
        line, column = self.position(min(index, len(self.text)))
        raise JsonError(message, line, column)

    def decoded(self, token: str, index: int, problem: str):
        """A string or number token's value; every problem decoding it is an error at its position."""
        try:
            return json.loads(token)
        except ValueError as exc:  # at the bad escape itself where the decoder says (never quote the text)
            self.fail(problem, index + getattr(exc, "pos", 0))

    def skip(self, index: int) -> int:
        return _WHITESPACE.match(self.text, index).end()

    def value(self, index: int, depth: int = 0) -> tuple[Value, int]:
        if depth > 500:
            self.fail("JSON nested too deeply", index)
        self.values += 1
        if self.values > MAX_VALUES:
            self.fail(f"more than {MAX_VALUES:,} values; not scanned", index)
        index = self.skip(index)
        if index >= len(self.text):
            self.fail("unexpected end of JSON", index)
        char = self.text[index]
        if char == "{":
            result: dict[str, Value] = {}
            start = index
            index = self.skip(index + 1)
            if self.text.startswith("}", index):
                return Value(result, self.location(start, index + 1), self.origin), index + 1
            while True:
                index = self.skip(index)
                match = _STRING.match(self.text, index)
                if not match:
                    self.fail("expected a string key", index)
                key = self.decoded(match.group(0), index, "invalid string escape")
                key_loc = self.location(index, match.end())
                index = self.skip(match.end())
                if not self.text.startswith(":", index):
                    self.fail("expected ':'", index)
                item, index = self.value(index + 1, depth + 1)
                item.key_loc = key_loc
                result[key] = item
                index = self.skip(index)
                if self.text.startswith(",", index):
                    index += 1
                    continue
                if self.text.startswith("}", index):
                    return Value(result, self.location(start, index + 1), self.origin), index + 1
                self.fail("expected ',' or '}'", index)
        if char == "[":
            items: list[Value] = []
            start = index
            index = self.skip(index + 1)
            if self.text.startswith("]", index):
                return Value(items, self.location(start, index + 1), self.origin), index + 1
            while True:
                item, index = self.value(index, depth + 1)
                items.append(item)
                index = self.skip(index)
                if self.text.startswith(",", index):
                    index += 1
                    continue
                if self.text.startswith("]", index):
                    return Value(items, self.location(start, index + 1), self.origin), index + 1
                self.fail("expected ',' or ']'", index)
        if char == '"':
            match = _STRING.match(self.text, index)
            if not match:
                self.fail("invalid string", index)
            text = self.decoded(match.group(0), index, "invalid string escape")
            return Value(text, self.location(index, match.end()), self.origin), match.end()
        for word, raw in (("true", True), ("false", False), ("null", None)):
            if self.text.startswith(word, index):
                return Value(raw, self.location(index, index + len(word)), self.origin), index + len(word)
        match = _NUMBER.match(self.text, index)
        if match:
            # More digits than Python converts would otherwise escape as a crash of the whole scan.
            number = self.decoded(match.group(0), index, "number with too many digits")
            return Value(number, self.location(index, match.end()), self.origin), match.end()
        self.fail(f"unexpected character {char!r}", index)
        raise AssertionError  # unreachable


def load(text: str, file: str, origin: str = LITERAL) -> Value:
    """The JSON document ``text`` as a Value tree; raises `JsonError` with line and column."""
    reader = _Reader(text.lstrip("\ufeff"), file, origin)
    try:
        value, index = reader.value(0)
    except RecursionError:  # the depth cap is below Python's limit, unless a caller is already deep
        reader.fail("JSON nested too deeply", 0)
    index = reader.skip(index)
    if index != len(reader.text):
        reader.fail("extra data after the JSON value", index)
    return value
