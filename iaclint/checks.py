"""Small checks that several rules share."""

from __future__ import annotations

from typing import Any, Callable, Iterator

from .document import Resource
from .findings import Issue, Undecided
from .model import AccountBaseline
from .values import Value, is_true


def require_enabled(setting: Value | None, resource: Resource, name: str, problem: str, fix: str,
                    what: str) -> Iterator[Issue | Undecided]:
    """An `Issue` when a boolean setting that is off by default is absent or false — under the conditions
    where it is, named in the message (``problem when IsProd is false; fix``) — pointing at the value when
    written, else at the resource; `Undecided` when it is unknown and not off in any case."""
    if setting is None:
        yield Issue(resource.loc, f"{problem}; {fix}", resource.name, name)
        return
    variants = list(setting.variants())
    off = [v for v in variants if v.is_known and not is_true(v)]
    if off:
        cases = list(dict.fromkeys(" and ".join(v.when) for v in off))
        when = " or ".join(case for case in cases if case) if all(cases) else ""
        first = off[0]
        yield Issue(first.loc or resource.loc, f"{problem}{' ' + when if when else ''}; {fix}", resource.name, name,
                    origin=first.trace)
        return
    unknown = next((v for v in variants if v.is_unknown), None)
    if unknown is not None:
        yield Undecided(unknown.loc or resource.loc, what, unknown.reason, resource.name, unknown.trace)


def account_lacks(baseline: AccountBaseline, declared: list, problem: str, *,
                  deciding: Callable[[Any], Value | None] | None = None,
                  counts: Callable[[Value | None], bool] | None = None, what: str = "") -> Iterator[Issue | Undecided]:
    """An `Issue` at an account baseline when none of the ``declared`` resources of a kind counts: any does,
    or, given ``deciding`` (the value that decides it, ``None`` when not written), one whose value
    ``counts``.  `Undecided` (about ``what``) when none is known to count but one may."""
    if not declared:
        yield Issue(baseline.loc, problem)
        return
    if deciding is None or counts is None:
        return
    variants = [v for value in map(deciding, declared) for v in (value.variants() if value is not None else [None])]
    if any(counts(v) for v in variants if v is None or v.is_known):
        return
    unknown = next((v for v in variants if v is not None and v.is_unknown), None)
    if unknown is not None:
        yield Undecided(baseline.loc, what, unknown.reason, "", unknown.trace)
        return
    yield Issue(baseline.loc, problem)


def written_only(setting: Value, resource: Resource) -> str:
    """The conditions under which a setting is written (``when IsProd is true``) when that is only under some
    beyond its resource's own — its other alternative left it out (``AWS::NoValue``); else ""."""
    conditions = [v.when for v in setting.variants() if v.is_known and v.raw not in (None, "")]
    own = resource.properties.when
    if conditions and all(len(when) > len(own) for when in conditions):
        return " or ".join(" and ".join(when[len(own):]) for when in conditions)
    return ""
