"""Read the `ruleid:` / `ok:` annotations of a fixture file (DESIGN.md: semgrep's habit).

``# ruleid: a, b`` (or ``// ruleid: …`` in JSON) says the next line that holds more than a comment must be
reported for rules ``a`` and ``b``; ``ok:`` that it must not; ``todoruleid:`` a known miss (must *not* be
reported yet, so that fixing it is noticed); ``todook:`` a known false positive (not checked).  In a
``.tfvars`` file, which holds no resources, "reported" means that a finding's origin passes through the line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_ANNOTATION = re.compile(r"^\s*(?:#|//)\s*(ruleid|ok|todoruleid|todook):\s*(.+?)\s*$")
_COMMENT_ONLY = re.compile(r"^\s*(?:#|//|$)")


@dataclass
class Expectations:
    ruleid: set[tuple[int, str]] = field(default_factory=set)
    ok: set[tuple[int, str]] = field(default_factory=set)
    todoruleid: set[tuple[int, str]] = field(default_factory=set)
    todook: set[tuple[int, str]] = field(default_factory=set)

    @property
    def mentioned(self) -> set[str]:
        return {slug for group in (self.ruleid, self.ok) for _, slug in group}

    def ordered(self) -> list[tuple[int, str]]:
        """Every annotated (line, rule), in file order."""
        return sorted(self.ruleid | self.ok | self.todoruleid | self.todook)


def read_annotations(text: str) -> Expectations:
    expectations = Expectations()
    pending: list[tuple[str, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = _ANNOTATION.match(line)
        if match:
            kind, slugs = match.groups()
            pending.extend((kind, slug.strip()) for slug in slugs.split(","))
            continue
        if _COMMENT_ONLY.match(line):
            continue
        for kind, slug in pending:
            getattr(expectations, kind).add((number, slug))
        pending = []
    return expectations


def blank_json_annotations(text: str) -> str:
    """JSON cannot hold comments: blank `//` annotation lines to spaces, keeping every line number."""
    return "\n".join(" " * len(line) if _ANNOTATION.match(line) else line for line in text.split("\n"))
