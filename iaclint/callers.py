"""Who uses a file that was named on its own: the Terraform modules that call a module directory, and the
CloudFormation templates that nest a template.  pre-commit names only what is staged; a staged child is
evaluated with the values its callers pass only if the callers are found and evaluated too.

A text search, not a parse: the repository's ``.tf`` files are searched for local module sources
(``source = "../modules/sg"``), its YAML/JSON files for local ``TemplateURL``/``Location`` paths.  A false
match costs one more evaluation, whose findings are reported only where their chain touches a named file.
"""

from __future__ import annotations

import os
import re

from .discover import SKIP_DIRS, TEMPLATE_SUFFIXES

_MODULE_SOURCE = re.compile(r'''\bsource\s*=\s*"(\.\.?(?:/[^"]*)?)"''')
_NESTED_TEMPLATE = re.compile(r'''\b(?:TemplateURL|Location)["']?\s*:\s*["']?([\w./-]+)''')
# A chain of callers longer than this calls itself or is not worth following.
_MAX_LEVELS = 10
_MAX_FILE_BYTES = 2 * 1024 * 1024


def repository_root(path: str) -> str | None:
    """The nearest directory at or above ``path`` that holds ``.git``; ``None`` outside a repository."""
    current = os.path.abspath(path)
    while True:
        if os.path.exists(os.path.join(current, ".git")):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


def module_callers(directories: set[str], root: str) -> set[str]:
    """The directories under ``root`` of the modules that call any of ``directories``, directly or through
    other modules."""
    return _users(directories, _uses(root, (".tf", ".tf.json"), _MODULE_SOURCE, "source"))


def template_parents(templates: set[str], root: str) -> set[str]:
    """The templates under ``root`` that nest any of ``templates`` (by a local path), however deep."""
    return _users(templates, _uses(root, TEMPLATE_SUFFIXES, _NESTED_TEMPLATE, "T"))


def _users(used: set[str], uses: dict[str, set[str]]) -> set[str]:
    reached = {os.path.realpath(path) for path in used}
    found: set[str] = set()
    for _ in range(_MAX_LEVELS):
        new = {user for user, targets in uses.items() if targets & reached and os.path.realpath(user) not in reached}
        if not new:
            break
        found |= new
        reached |= {os.path.realpath(user) for user in new}
    return {_display(user) for user in found}


def _uses(root: str, suffixes: tuple[str, ...], pattern: re.Pattern, hint: str) -> dict[str, set[str]]:
    """User (a module directory, or a template file) -> real paths of the local files or directories it
    names."""
    uses: dict[str, set[str]] = {}
    for directory, subdirs, files in os.walk(root):
        subdirs[:] = sorted(d for d in subdirs if d not in SKIP_DIRS)
        for name in files:
            if not name.lower().endswith(suffixes):
                continue
            path = os.path.join(directory, name)
            text = _read(path)
            if hint not in text:
                continue
            user = os.path.normpath(directory if hint == "source" else path)
            for match in pattern.finditer(text):
                target = match.group(1)
                if "://" in target or target.startswith(("s3:", "/")):
                    continue
                uses.setdefault(user, set()).add(os.path.realpath(os.path.join(directory, target)))
    return uses


def _display(path: str) -> str:
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


def _read(path: str) -> str:
    try:
        with open(path, "rb") as handle:
            return handle.read(_MAX_FILE_BYTES).decode("utf-8", "replace")
    except OSError:
        return ""
