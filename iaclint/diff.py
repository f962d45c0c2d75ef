"""``--diff BASE``: keep only the findings on lines added or changed since a git revision.

The scan itself is unchanged (a changed line can be wrong because of an unchanged one); only what is
reported is narrowed.  git computes the changes: ``git diff --unified=0 BASE`` against the working tree
(staged and unstaged edits), and untracked files count as wholly added.
"""

from __future__ import annotations

import os
import re

from .gitrepo import GitError, run_git, toplevel

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")
_ESCAPES = {"a": 7, "b": 8, "t": 9, "n": 10, "v": 11, "f": 12, "r": 13, '"': 34, "\\": 92}

WHOLE_FILE = None  # in ChangedLines: every line of the file is new


class DiffError(Exception):
    pass


ChangedLines = dict  # realpath -> set of line numbers, or WHOLE_FILE


def changed_lines(base: str, cwd: str = ".") -> ChangedLines:
    top = toplevel(cwd)
    if top is None:
        raise DiffError(f"--diff needs a git checkout, and {os.path.abspath(cwd)} is not inside one")
    if not base or base.startswith("-"):
        raise DiffError(f"--diff: {base!r} is not a git revision")
    try:
        run_git(["rev-parse", "--verify", "--quiet", f"{base}^{{commit}}"], top)
    except GitError:
        raise DiffError(f"--diff: unknown git revision {base!r} (fetch it, e.g. `git fetch origin {base}`, "
                        "or check out with fetch-depth: 0)") from None
    try:
        diff = run_git(["-c", "core.quotepath=off", "diff", "--unified=0", "--no-color", "--no-ext-diff",
                        "--no-textconv", "--src-prefix=a/", "--dst-prefix=b/", base, "--"], top)
        untracked = run_git(["ls-files", "--others", "--exclude-standard", "-z"], top)
    except GitError as exc:
        raise DiffError(f"--diff: git failed: {exc}") from None
    changed = parse_diff(diff, top)
    for name in filter(None, untracked.split("\0")):
        changed[os.path.realpath(os.path.join(top, name))] = WHOLE_FILE
    return changed


def parse_diff(diff: str, top: str) -> ChangedLines:
    """The added lines of each file in a ``--unified=0`` diff, keyed by real path."""
    changed: ChangedLines = {}
    current: str | None = None
    for line in diff.splitlines():
        if line.startswith("+++ "):
            name = _unquote(line[4:].rstrip("\t"))
            current = None if name == "/dev/null" else os.path.realpath(os.path.join(top, name[2:]))
            if current is not None:
                changed.setdefault(current, set())
        elif current is not None and (hunk := _HUNK.match(line)):
            start, count = int(hunk.group(1)), int(hunk.group(2) or 1)
            lines = changed[current]
            if lines is not WHOLE_FILE:
                lines.update(range(start, start + count))
    return changed


def _unquote(name: str) -> str:
    """git C-quotes names holding special characters: ``"b/a\\tb.tf"`` (octal escapes are UTF-8 bytes)."""
    if not (len(name) >= 2 and name[0] == name[-1] == '"'):
        return name
    out, body, i = bytearray(), name[1:-1], 0
    while i < len(body):
        char = body[i]
        if char == "\\" and i + 1 < len(body):
            nxt = body[i + 1]
            if nxt in "01234567":
                out.append(int(body[i + 1:i + 4], 8))
                i += 4
                continue
            out.append(_ESCAPES.get(nxt, ord(nxt)))
            i += 2
            continue
        out.extend(char.encode("utf-8", "surrogateescape"))
        i += 1
    return out.decode("utf-8", "surrogateescape")


def is_changed(finding, changed: ChangedLines) -> bool:
    """Whether any line of the finding's span was added or changed."""
    key = os.path.realpath(finding.file)
    if key not in changed:
        return False
    lines = changed[key]
    if lines is WHOLE_FILE:
        return True
    return any(n in lines for n in range(finding.line, max(finding.end_line, finding.line) + 1))


def only_changed(report, changed: ChangedLines) -> None:
    """Narrow the report's findings, notes and suppressed findings to changed lines; errors are kept."""
    report.findings = [f for f in report.findings if is_changed(f, changed)]
    report.notes = [n for n in report.notes if is_changed(n, changed)]
    if hasattr(report, "suppressed"):
        report.suppressed = [f for f in report.suppressed if is_changed(f, changed)]
