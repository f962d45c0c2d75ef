"""Glob patterns for paths (`exclude`, `per-file-ignores`): ``*`` and ``?`` stay within one path segment,
``**`` spans any number of them, and a pattern that names a directory covers everything under it."""

from __future__ import annotations

import os
import re
from functools import lru_cache


@lru_cache(maxsize=256)
def _compile(pattern: str) -> re.Pattern:
    parts = []
    index = 0
    while index < len(pattern):
        if pattern.startswith("**/", index):
            parts.append("(?:.*/)?")
            index += 3
        elif pattern.startswith("**", index):
            parts.append(".*")
            index += 2
        elif pattern[index] == "*":
            parts.append("[^/]*")
            index += 1
        elif pattern[index] == "?":
            parts.append("[^/]")
            index += 1
        elif pattern[index] == "[" and "]" in pattern[index + 1:]:
            end = pattern.index("]", index + 1)
            body = pattern[index + 1:end].replace("\\", "\\\\")
            parts.append("[" + ("^" + body[1:] if body.startswith("!") else body) + "]")
            index = end + 1
        else:
            parts.append(re.escape(pattern[index]))
            index += 1
    # A directory pattern covers the files under it.
    return re.compile("".join(parts) + "(?:/.*)?", re.S)


def anchored(base: str, pattern: str) -> str:
    """``pattern`` made absolute against ``base`` (the configuration file's directory, or the cwd)."""
    pattern = pattern.replace(os.sep, "/")
    if not pattern.startswith("/"):
        pattern = os.path.abspath(base).replace(os.sep, "/").rstrip("/") + "/" + pattern
    return pattern


def matches(pattern: str, path: str) -> bool:
    """Whether ``path`` (made absolute) matches the absolute ``pattern`` from `anchored`."""
    return _compile(pattern).fullmatch(os.path.abspath(path).replace(os.sep, "/")) is not None
