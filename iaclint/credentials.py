"""Recognisable credential formats (AWS keys, private keys, GitHub, Slack, Stripe, JWT…), from
detect-secrets' format plugins: see `credential_formats` for the table and how it is made.

Nearly every string of a template holds no credential, and calling every plugin on each costs about
20 µs (benchmarks/credentials.py), while one alternation of their regexes is slower still (Python's ``re``
tries every branch at every position).  So each regex is gated by literals it cannot match without; the
gates are searched in one pass for the case-sensitive regexes and one for the others, and a regex runs
only when its literals are in the string.  detect-secrets itself is imported only to confirm a match with
its plugin's own check (a JWT must decode), that is when a template holds something that looks like a
credential.
"""

from __future__ import annotations

import json
import os
import re
from functools import lru_cache

# These formats have an exact length: a longer run of the same characters is something else.
_WHOLE_TOKEN = frozenset({"AWS access key id", "Twilio API key"})
_TABLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "credential_formats.json")


class _Format:
    __slots__ = ("kind", "source", "flags", "plugin", "folded", "anchors", "others", "_pattern")

    def __init__(self, entry: dict):
        self.kind: str = entry["kind"]
        self.source: str = entry["pattern"]
        self.flags: int = entry["flags"]
        self.plugin: str | None = entry["plugin"]  # whose own check a match must pass (a JWT must decode)
        self.folded = bool(self.flags & re.IGNORECASE)
        # Every match holds one literal of each choice (in lower case when the pattern ignores case), the
        # strongest choice first; none: the regex runs on every string.
        self.anchors: tuple[tuple[str, ...], ...] = tuple(tuple(choice) for choice in entry["anchors"])
        self.others = self.anchors[1:]  # what the gate, which looks for the strongest, leaves to check
        self._pattern: re.Pattern[str] | None = None

    @property
    def pattern(self) -> re.Pattern[str]:
        if self._pattern is None:
            self._pattern = re.compile(self.source, self.flags)
        return self._pattern

    def accepts(self, found: str) -> bool:
        return self.plugin is None or any(_detector(self.plugin).analyze_string(found))


class _Gate:
    """The strongest choice of literals of each gated format, searched for in one pass."""

    def __init__(self, formats: list[tuple[int, _Format]]):
        self.formats: dict[str, list[tuple[int, _Format]]] = {}
        for index, form in formats:
            for anchor in form.anchors[0]:
                self.formats.setdefault(anchor, []).append((index, form))
        self.any = re.compile(_trie(sorted(self.formats)) or "(?!)")

    def formats_in(self, haystack: str) -> list[tuple[int, _Format]]:
        if self.any.search(haystack) is None:
            return []
        return [entry for anchor, entries in self.formats.items() if anchor in haystack for entry in entries]


def _trie(words: list[str]) -> str:
    """One regex for a set of literals, branching on a character at a time: Python's re tries every
    branch at every place, and passes over a branch whose first literal is not there at a glance."""
    heads: dict[str, list[str]] = {}
    for word in words:
        heads.setdefault(word[:1], []).append(word[1:])
    branches = [re.escape(head) + _trie(rests) for head, rests in sorted(heads.items()) if head]
    if not branches:
        return ""
    optional = "" in heads
    body = branches[0] if len(branches) == 1 and not optional else "(?:" + "|".join(branches) + ")"
    return body + "?" if optional else body


_gates: tuple[_Gate, _Gate, list[tuple[int, _Format]], re.Pattern[str]] | None = None


def find_credentials(text: str) -> list[tuple[str, int]]:
    """The credentials recognisable in ``text``: ``(kind, 1-based column)`` for each kind found, e.g.
    ``[("AWS access key id", 23)]``."""
    return list(_remembered(text) if len(text) <= _REMEMBERED_LENGTH else _credentials_in(text))


def _credentials_in(text: str) -> tuple[tuple[str, int], ...]:
    exact, folded, ungated, ungated_any = _gates or _build()
    lowered = text.lower()
    candidates = exact.formats_in(text) + folded.formats_in(lowered)
    if ungated_any.search(text):
        candidates += ungated
    if not candidates:
        return ()
    found: dict[str, tuple[int, int]] = {}
    for index, form in sorted(dict(candidates).items()):
        if form.others:  # the gate saw one choice of literals, not all of them
            haystack = lowered if form.folded else text
            if not all(any(anchor in haystack for anchor in choice) for choice in form.others):
                continue
        column = _first_column(form, text)
        if column is not None and (column, index) < found.get(form.kind, (len(text) + 1, 0)):
            found[form.kind] = (column, index)
    return tuple((kind, column) for kind, (column, _) in sorted(found.items(), key=lambda item: item[1]))


# A scan asks about the same strings again and again (a module read by each of its callers, the same
# names and CIDRs everywhere): over the benchmark corpus, 1.08 million questions about 149,000 strings.
# Short ones are remembered, so that what is kept stays small whatever the input.
_REMEMBERED_LENGTH = 256
_remembered = lru_cache(maxsize=1 << 16)(_credentials_in)


def _first_column(form: _Format, text: str) -> int | None:
    for match in form.pattern.finditer(text):
        start = _secret_start(match)
        if start > 0 and text[start - 1].isalnum():
            continue  # in the middle of a longer word: a hash, a base64 blob, an ARN's account id
        if form.kind in _WHOLE_TOKEN and match.end() < len(text) and text[match.end()].isalnum():
            continue
        if form.accepts(match.group()):
            return start + 1
    return None


def _secret_start(match: re.Match[str]) -> int:
    """Where the secret begins: at its group when the pattern matches a name or a URL around it."""
    if match.re.groups and match.group(1) is not None:
        return match.start(1)
    return match.start() + len(match.group()) - len(match.group().lstrip(" \t=:\"'"))


def _build() -> tuple[_Gate, _Gate, list[tuple[int, _Format]], re.Pattern[str]]:
    global _gates
    formats = list(enumerate(_Format(entry) for entry in _table()["formats"]))
    ungated = [(index, form) for index, form in formats if not form.anchors]
    # The few regexes without literals to gate them (Discord, Telegram): one search says whether any of
    # them is worth running.
    ungated_any = re.compile("|".join(_scoped(form.pattern) for _, form in ungated) or "(?!)")
    _gates = (_Gate([(i, form) for i, form in formats if form.anchors and not form.folded]),
              _Gate([(i, form) for i, form in formats if form.anchors and form.folded]),
              ungated, ungated_any)
    return _gates


def _table() -> dict:
    """The table written from the installed detect-secrets, or one read from it now if it was upgraded."""
    from .versions import installed_version

    with open(_TABLE, encoding="utf-8") as stream:
        table = json.load(stream)
    if table["detect-secrets"] == installed_version("detect-secrets"):
        return table
    from .credential_formats import table as read_table

    return read_table()


_detectors: dict[str, object] = {}


def _detector(plugin: str):
    if plugin not in _detectors:
        from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class

        by_name = {cls.__name__: cls for cls in get_mapping_from_secret_type_to_class().values()}
        _detectors[plugin] = by_name[plugin]()
    return _detectors[plugin]


def _scoped(pattern: re.Pattern[str]) -> str:
    flags = "".join(letter for flag, letter in ((re.I, "i"), (re.M, "m"), (re.S, "s"), (re.X, "x"))
                    if pattern.flags & flag)
    return f"(?{flags}:{pattern.pattern})" if flags else f"(?:{pattern.pattern})"
