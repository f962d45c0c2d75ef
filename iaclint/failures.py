"""What a bug in iaclint becomes: an error that names the file, the line and the construct it failed on, and
costs only that construct (one value, one resource, one rule's findings for one file), never the scan.

The place is the one given, or else the innermost place the failing code was looking at: the nearest
local variable of the traceback that has a source location (a resource, a value, a model object)."""

from __future__ import annotations

from .findings import ScanError
from .values import Location


def internal_error(exc: BaseException, construct: str, at: Location | None = None, *,
                   fallback_file: str = "") -> ScanError:
    """The error that reports ``exc``, raised while working on ``construct`` ("rule IAC103 admin-policy",
    "function floor()"), at ``at`` or where the traceback says.  Never quotes a value: only the type of
    the exception is shown (its text may hold template content)."""
    where = at or _where(exc)
    message = f"internal error in {construct} ({type(exc).__name__}); please report it"
    if where is None:
        return ScanError(fallback_file, message, 1, 1)
    return ScanError(where.file, message, where.line, where.column)


def _where(exc: BaseException) -> Location | None:
    frames = []
    traceback = exc.__traceback__
    while traceback is not None:
        frames.append(traceback.tb_frame)
        traceback = traceback.tb_next
    for frame in reversed(frames):
        if not frame.f_globals.get("__name__", "").startswith("iaclint."):
            continue
        for value in reversed(list(frame.f_locals.values())):
            found = _location_of(value)
            if found is not None:
                return found
    return None


def _location_of(value) -> Location | None:
    if isinstance(value, Location):
        return value
    for holder in (value, getattr(value, "resource", None)):
        loc = getattr(holder, "loc", None) if holder is not None and not isinstance(holder, type) else None
        if isinstance(loc, Location) and loc.file:
            return loc
    return None
