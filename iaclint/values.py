"""Values that know where they came from.

Every front end (CloudFormation, Terraform, plan JSON) turns its input into trees of `Value`.  A value
carries the Python data, the source location it was read from, and its *origin*:

- ``literal``  written in the template at this location;
- ``default``  the default of a CloudFormation parameter or a Terraform variable;
- ``resolved`` computed from other values (a supplied parameter, a tfvars value, a function, a reference);
- ``unknown``  cannot be known before deployment (a data source, an import, an attribute known after
  apply, a function we do not evaluate).  ``reason`` says what blocked it.

``via`` records the parameters/variables a value travelled through (``"parameter DbPassword"``,
``"var.db_password"``), so a rule can tell a hard-coded secret from one passed in.  ``when`` records the
conditions under which the value applies (CloudFormation ``Fn::If``), for messages such as
"when IsProd is false".

Rules never look at raw front-end data: they read the model (see `iaclint.model`), whose fields are Values.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator

LITERAL = "literal"
DEFAULT = "default"
RESOLVED = "resolved"
UNKNOWN = "unknown"
# One of several alternatives (CloudFormation ``Fn::If`` whose condition is not decided): ``raw`` is the
# list of alternatives, each with its complete ``when``.  Read it through `variants`, `items` and `get`.
CHOICE = "choice"


@dataclass(frozen=True, slots=True)
class Location:
    """A span in a source file; lines and columns are 1-based, the end is inclusive of the last character."""

    file: str
    line: int
    column: int = 1
    end_line: int | None = None
    end_column: int | None = None

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


_new = object.__new__
_set_file = Location.file.__set__  # type: ignore[attr-defined]
_set_line = Location.line.__set__  # type: ignore[attr-defined]
_set_column = Location.column.__set__  # type: ignore[attr-defined]
_set_end_line = Location.end_line.__set__  # type: ignore[attr-defined]
_set_end_column = Location.end_column.__set__  # type: ignore[attr-defined]


def span(file: str, line: int, column: int, end_line: int, end_column: int) -> Location:
    """``Location(file, line, column, end_line, end_column)`` at a third of the cost: a reader makes one per
    value and key (a large template has hundreds of thousands), and a frozen dataclass sets each field
    through ``object.__setattr__``."""
    loc = _new(Location)
    _set_file(loc, file)
    _set_line(loc, line)
    _set_column(loc, column)
    _set_end_line(loc, end_line)
    _set_end_column(loc, end_column)
    return loc


@dataclass(frozen=True, slots=True)
class Step:
    """One place a value was on its way to where it is used: where it was written (a parameter default, a
    tfvars line, a mapping entry) or a place it travelled through (a module argument, a local, a parent
    stack's parameter).  ``what`` says what that place is: ``"the default of parameter AdminCidr"``."""

    loc: Location
    what: str

    def __str__(self) -> str:
        return f"{self.what}, {self.loc.file}:{self.loc.line}"


@dataclass(frozen=True, slots=True)
class ResourceRef:
    """A reference to another resource of the same template or module, e.g. ``!Ref MyUser`` or
    ``aws_iam_user.alice.name``.  ``target`` is the logical id or Terraform address; ``attribute`` is the
    attribute read (``None`` for a plain CloudFormation ``Ref``)."""

    target: str
    attribute: str | None = None

    def __str__(self) -> str:
        return self.target + (f".{self.attribute}" if self.attribute else "")


class Value:
    """A datum with its location and provenance.

    ``raw`` is ``None``/bool/int/float/str, a ``ResourceRef``, a ``list[Value]`` or a ``dict[str, Value]``.
    An unknown value has ``raw is None`` and says why in ``reason``.
    """

    __slots__ = ("raw", "loc", "origin", "via", "when", "reason", "key_loc", "trace")

    def __init__(
        self,
        raw: Any,
        loc: Location | None,
        origin: str = LITERAL,
        *,
        via: tuple[str, ...] = (),
        when: tuple[str, ...] = (),
        reason: str = "",
        key_loc: Location | None = None,
        trace: tuple[Step, ...] = (),
    ) -> None:
        self.raw = raw
        self.loc = loc
        self.origin = origin
        self.via = via
        self.when = when
        self.reason = reason
        # Where the mapping key that holds this value was written (for "the property is set here").
        self.key_loc = key_loc
        # Where the value was written and each place it travelled before ``loc`` (its use), oldest first.
        self.trace = trace

    @classmethod
    def unknown(cls, loc: Location | None, reason: str, *, via: tuple[str, ...] = (),
                trace: tuple[Step, ...] = ()) -> Value:
        return cls(None, loc, UNKNOWN, via=via, reason=reason, trace=trace)

    def replace(self, **changes: Any) -> Value:
        """A shallow copy with some fields changed (the others, provenance included, kept)."""
        kind = type(self)
        copy = _new(kind)  # copies are made on every reference: no keyword parsing, no loop over fields
        copy.raw = self.raw
        copy.loc = self.loc
        copy.origin = self.origin
        copy.via = self.via
        copy.when = self.when
        copy.reason = self.reason
        copy.key_loc = self.key_loc
        copy.trace = self.trace
        if kind is not Value:
            for name in kind.__slots__:
                setattr(copy, name, getattr(self, name))
        for name, value in changes.items():
            setattr(copy, name, value)
        return copy

    # -- what it is -------------------------------------------------------------------------------------
    @property
    def is_unknown(self) -> bool:
        return self.origin == UNKNOWN

    @property
    def is_known(self) -> bool:
        return self.origin != UNKNOWN

    def is_str(self) -> bool:
        return self.is_known and isinstance(self.raw, str)

    def is_list(self) -> bool:
        return self.is_known and isinstance(self.raw, list)

    def is_map(self) -> bool:
        return self.is_known and isinstance(self.raw, dict)

    # -- navigation ---------------------------------------------------------------------------------------
    def variants(self) -> Iterator[Value]:
        """The concrete values this may be: itself, or each alternative of a choice."""
        if self.origin == CHOICE:
            for alternative in self.raw:
                yield from alternative.variants()
        else:
            yield self

    def get(self, key: str) -> Value | None:
        """The value under ``key`` of a known mapping, else ``None`` (absent, or this is not a mapping).
        On a choice, a choice of what each alternative holds under ``key``."""
        if isinstance(self.raw, dict):
            return self.raw.get(key)
        if self.origin == CHOICE:
            found = [_under(v.get(key), v.when) for v in self.variants() if v.get(key) is not None]
            if not found:
                return None
            return found[0] if len(found) == 1 else Value(found, self.loc, CHOICE)
        return None

    def items(self) -> list[Value]:
        """The elements of a known list; a single known non-list value is a list of itself (IAM policy
        fields accept both a string and a list of strings).  An unknown value is a list of itself, so
        that callers see the unknown.  On a choice, the elements of every alternative."""
        if self.origin == CHOICE:
            return [_under(item, v.when) for v in self.variants() for item in v.items()]
        if isinstance(self.raw, list):
            return self.raw
        if self.is_known and self.raw is None:
            return []
        return [self]

    def plain(self) -> Any:
        """The Python data without provenance; unknown parts become ``None``.  Iterative: values nest as
        deep as their input does."""
        result: list[Any] = [None]
        stack: list[tuple[Value, Any, Any]] = [(self, result, 0)]  # (value, container to fill, its key)
        while stack:
            value, into, key = stack.pop()
            raw = value.raw
            if isinstance(raw, dict):
                made: Any = dict.fromkeys(raw)  # the keys in their order, filled in below
                stack.extend((child, made, name) for name, child in raw.items())
            elif isinstance(raw, list):
                made = [None] * len(raw)
                stack.extend((child, made, index) for index, child in enumerate(raw))
            else:
                made = raw
            into[key] = made
        return result[0]

    def walk(self) -> Iterator[Value]:
        """This value and every value nested in it, depth first.  Iterative, like `plain`."""
        stack = [self]
        while stack:
            value = stack.pop()
            yield value
            raw = value.raw
            if isinstance(raw, dict):
                stack.extend(reversed(list(raw.values())))
            elif isinstance(raw, list):
                stack.extend(reversed(raw))

    def __repr__(self) -> str:
        # Bounded: a hostile document nests lists hundreds deep, past what recursion allows.
        if _repr_depth[0] >= _MAX_REPR_DEPTH:
            return "Value(…)"
        _repr_depth[0] += 1
        try:
            extra = f" via={self.via}" if self.via else ""
            extra += f" when={self.when}" if self.when else ""
            extra += f" reason={self.reason!r}" if self.reason else ""
            return f"Value({self.raw!r}, {self.origin}{extra} @ {self.loc})"
        finally:
            _repr_depth[0] -= 1


_MAX_REPR_DEPTH = 20
_repr_depth = [0]


def _under(value: Value, when: tuple[str, ...]) -> Value:
    """``value`` as it applies only ``when`` (a shallow copy with the conditions prepended)."""
    if not when or value.when[: len(when)] == when:
        return value
    return value.replace(when=when + value.when)


def used_at(value: Value, at: Location | None, what: str) -> Value:
    """``value`` as it is used at ``at`` (a reference to a parameter, variable, local, mapping or module
    argument written there): every part is located at ``at`` and remembers where it was before, as a
    `Step` described by ``what``, at the end of its ``trace``.  A copy; ``value`` is not changed."""
    if at is None:
        return value
    raw = value.raw
    if isinstance(raw, dict):
        raw = {key: used_at(item, at, what) for key, item in raw.items()}
    elif isinstance(raw, list):
        raw = [used_at(item, at, what) for item in raw]
    trace = value.trace
    if value.loc is not None and value.loc != at and not (trace and trace[-1].loc == value.loc):
        trace = trace + (Step(value.loc, what),)
    return value.replace(raw=raw, loc=at, trace=trace)


def merged_trace(*values: Value) -> tuple[Step, ...]:
    """The steps of several values that were combined into one (a joined string, a computed value)."""
    steps: dict[Step, None] = {}
    for value in values:
        for step in value.trace:
            steps[step] = None
    return tuple(steps)


def is_enabled(value: Value | None) -> bool | None:
    """A boolean setting that is off unless written: ``True``/``False``, or ``None`` when unknown.  Under an
    undecided condition it is enabled only when every alternative is."""
    if value is None:
        return False
    variants = list(value.variants())
    if any(v.is_unknown for v in variants):
        return None
    return all(is_true(v) for v in variants)


def is_true(value: Value) -> bool:
    """``true`` written as a boolean or as text (IAM conditions and CloudFormation accept both)."""
    return value.raw is True or (isinstance(value.raw, str) and value.raw.strip().lower() == "true")


def is_false(value: Value) -> bool:
    return value.raw is False or (isinstance(value.raw, str) and value.raw.strip().lower() == "false")


def conditions(value: Value, beyond: tuple[str, ...] = ()) -> str:
    """`` when IsProd is false`` for a value that applies only under conditions, for messages; ``beyond``
    are conditions already said (the resource's own), left out."""
    when = value.when[len(beyond):] if value.when[: len(beyond)] == beyond else value.when
    return f" {' and '.join(when)}" if when else ""


class PartlyKnown(Value):
    """A text not known as a whole because some of its parts are known only after apply
    (``"{\\"arn\\": \\"${aws_iam_user.u.arn}\\", \\"password\\": \\"…\\"}"``): unknown, but the parts written
    around the unknown ones still say something (a literal password, a policy statement)."""

    __slots__ = ("parts", "reasons")

    def __init__(self, parts: tuple[str | None, ...], loc: Location | None, reason: str, *,
                 via: tuple[str, ...] = (), trace: tuple[Step, ...] = (), reasons: tuple[str, ...] = ()) -> None:
        super().__init__(None, loc, UNKNOWN, via=via, reason=reason, trace=trace)
        self.parts = parts  # the text in order, ``None`` for each part not known
        # Why each part that is not known is not known, in order (what it is: ``AWS::AccountId …``).
        self.reasons = reasons or tuple(reason for part in parts if part is None)
