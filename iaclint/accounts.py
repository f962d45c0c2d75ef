"""Account baselines (``account-baseline`` / ``--account-baseline``): the documents read from such a path set
up the account, so what the account lacks there is a finding.

A baseline may span several documents (a directory of CloudFormation templates, one document each; several
Terraform modules).  What they declare is taken together, per baseline path, into one model that holds
nothing of its own (`Model.account_baseline`): the rules judge "missing" once per path on it, at the
baseline's first file, line 1, while each document's declared resources are judged in its own model as
anywhere else.  The rules never see a path.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from typing import Iterator

from .document import Document
from .model import AccountBaseline, Model
from .values import Location

# The model's lists (what a document declares), not its sources, headers or baseline.
_DECLARED = tuple(f.name for f in dataclasses.fields(Model) if f.name not in ("sources", "headers", "account_baseline"))


@dataclass
class _Found:
    declared: Model = field(default_factory=Model)
    frameworks: list[str] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)  # absolute path -> the name findings use


class Baselines:
    """The account baseline paths of one scan and what the documents read from them declare."""

    def __init__(self, paths: tuple[str, ...]) -> None:
        self.paths = tuple(os.path.abspath(path) for path in paths)
        self._found: dict[str, _Found] = {}

    def of(self, name: str) -> str | None:
        """The baseline path that holds the file or directory ``name``, if any."""
        where = os.path.abspath(name)
        return next((path for path in self.paths if where == path or where.startswith(path.rstrip(os.sep) + os.sep)),
                    None)

    def add(self, document: Document, model: Model) -> None:
        """Take in what one document declares, when it was read from a baseline path."""
        path = self.of(document.path)
        if path is None:
            return
        found = self._found.setdefault(path, _Found())
        if document.framework not in found.frameworks:
            found.frameworks.append(document.framework)
        for name in [document.path, *document.files]:
            if self.of(name) == path and os.path.isfile(name):
                found.files.setdefault(os.path.abspath(name), name)
        for name in _DECLARED:
            getattr(found.declared, name).extend(getattr(model, name))

    def views(self) -> Iterator[tuple[Document, tuple[str, ...], Model]]:
        """Per baseline path that documents were read from: a document standing for the whole baseline (its
        path and files), the frameworks it is written in, and the model the rules judge it on."""
        for path, found in self._found.items():
            if not found.files:
                continue
            first = found.files[min(found.files)]
            document = Document(framework=found.frameworks[0], path=path, files=sorted(found.files.values()))
            yield document, tuple(found.frameworks), Model(account_baseline=AccountBaseline(Location(first, 1),
                                                                                            found.declared))
