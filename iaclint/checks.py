"""Small checks that several rules share."""

from __future__ import annotations

from typing import Iterator

from .document import Resource
from .findings import Issue, Undecided
from .values import Value, is_enabled


def require_enabled(setting: Value | None, resource: Resource, name: str, message: str,
                    what: str) -> Iterator[Issue | Undecided]:
    """An `Issue` when a boolean setting that is off by default is absent or false (pointing at the value
    when written, else at the resource); `Undecided` when it is unknown."""
    enabled = is_enabled(setting)
    if enabled is None:
        yield Undecided(setting.loc or resource.loc, what, setting.reason, resource.name)
    elif not enabled:
        where = setting.loc if setting is not None and setting.loc else resource.loc
        yield Issue(where, message, resource.name, name)
