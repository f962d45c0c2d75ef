"""Which modules call a module directory: so that naming one file of a child module (pre-commit names only
what is staged) still evaluates it with the values its callers pass.

A text search, not a parse: every ``.tf`` file of the repository is read and its ``source = "./…"`` /
``"../…"`` strings resolved.  A false match only costs the evaluation of one more module, whose findings are
reported only where their chain touches a named file.
"""

from __future__ import annotations

import os
import re

from ..discover import SKIP_DIRS

_LOCAL_SOURCE = re.compile(r'''\bsource\s*=\s*"(\.\.?(?:/[^"]*)?)"''')
# A module tree deeper than this calls itself or is not worth following.
_MAX_LEVELS = 10
_MAX_FILE_BYTES = 2 * 1024 * 1024


def repository_root(directory: str) -> str | None:
    """The nearest directory at or above ``directory`` that holds ``.git``; ``None`` outside a repository."""
    current = os.path.abspath(directory)
    while True:
        if os.path.exists(os.path.join(current, ".git")):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


def callers(directories: set[str], root: str) -> set[str]:
    """The directories under ``root`` of the modules that call any of ``directories``, directly or through
    other modules; relative to the current directory when they are below it."""
    calls = _local_calls(root)
    reached = {os.path.realpath(d) for d in directories}
    found: set[str] = set()
    for _ in range(_MAX_LEVELS):
        new = {caller for caller, targets in calls.items()
               if targets & reached and os.path.realpath(caller) not in reached}
        if not new:
            break
        found |= new
        reached |= {os.path.realpath(caller) for caller in new}
    return {_display(caller) for caller in found}


def _display(path: str) -> str:
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


def _local_calls(root: str) -> dict[str, set[str]]:
    """Module directory -> real paths of the local modules it calls."""
    calls: dict[str, set[str]] = {}
    for directory, subdirs, files in os.walk(root):
        subdirs[:] = sorted(d for d in subdirs if d not in SKIP_DIRS)
        for name in files:
            if not name.endswith((".tf", ".tf.json")):
                continue
            text = _read(os.path.join(directory, name))
            if "source" not in text:
                continue
            for match in _LOCAL_SOURCE.finditer(text):
                target = os.path.realpath(os.path.join(directory, match.group(1)))
                calls.setdefault(os.path.normpath(directory), set()).add(target)
    return calls


def _read(path: str) -> str:
    try:
        with open(path, "rb") as handle:
            return handle.read(_MAX_FILE_BYTES).decode("utf-8", "replace")
    except OSError:
        return ""
