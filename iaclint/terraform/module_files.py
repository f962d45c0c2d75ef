"""The files a Terraform module may read through ``file()``, ``fileset()``, ``fileexists()`` and
``templatefile()``: only inside the scanned tree (the root module's directory, or the module's own)."""

from __future__ import annotations

import os
from typing import Callable

from ..findings import InputError
from ..values import RESOLVED, Location, Value
from .operations import EvalError


class ModuleFiles:
    def __init__(self, root: str, directory: str, read_text: Callable[[str], str], files_read: list[str]) -> None:
        self.root = root  # the root module's directory: relative paths are relative to it, as in Terraform
        self.directory = directory
        self.read_text = read_text
        self.files_read = files_read  # every file read, for the document's list of sources

    def abspath(self, path: str) -> str:
        return os.path.abspath(os.path.join(self.root, path))

    def inside_tree(self, path: str, loc: Location) -> str | Value:
        if os.path.isabs(path):
            return Value.unknown(loc, f"{path} is outside the scanned tree and is not read")
        resolved = os.path.realpath(os.path.join(self.root, path))
        allowed = {os.path.realpath(self.root), os.path.realpath(self.directory)}
        for top in allowed:
            try:
                if os.path.commonpath([resolved, top]) == top:
                    return resolved
            except ValueError:
                continue
        return Value.unknown(loc, f"{path} is outside the scanned tree and is not read")

    def read_file(self, path: str, loc: Location) -> str | Value:
        resolved = self.inside_tree(path, loc)
        if isinstance(resolved, Value):
            return resolved
        if not os.path.isfile(resolved):
            raise EvalError(f"file {path} does not exist")
        try:
            text = self.read_text(os.path.join(self.root, path))
        except InputError as exc:
            return Value.unknown(loc, f"{path} is not readable text ({exc.message})")
        shown = os.path.normpath(os.path.join(self.root, path))
        if shown not in self.files_read:
            self.files_read.append(shown)
        return text

    def fileset(self, path: str, pattern: str, loc: Location) -> Value:
        """``fileset(path, pattern)``: the files under ``path`` (inside the scanned tree) matching the glob."""
        import glob

        resolved = self.inside_tree(path, loc)
        if isinstance(resolved, Value):
            return resolved
        if not os.path.isdir(resolved):
            return Value([], loc, RESOLVED)
        matches = sorted(
            os.path.relpath(found, resolved).replace(os.sep, "/")
            for found in glob.glob(os.path.join(glob.escape(resolved), pattern), recursive=True)
            if os.path.isfile(found) and os.path.realpath(found).startswith(resolved)
        )
        return Value([Value(name, loc, RESOLVED) for name in matches[:10000]], loc, RESOLVED)

    def file_exists(self, path: str, loc: Location) -> Value:
        resolved = self.inside_tree(path, loc)
        if isinstance(resolved, Value):
            return resolved
        return Value(os.path.isfile(resolved), loc, RESOLVED)
