"""What IAM policy statements mean: does a statement force MFA, and when one tries but falls short, why."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Callable

from .iam_actions import ACTIONS
from .policy import Statement
from .values import PartlyKnown, ResourceRef, Value, is_false, is_true

MFA_KEY = "aws:multifactorauthpresent"
MFA_AGE_KEY = "aws:multifactorauthage"
_KEY_SPELLING = {MFA_KEY: "aws:MultiFactorAuthPresent", MFA_AGE_KEY: "aws:MultiFactorAuthAge"}

# What a Deny may leave a user without MFA and still force MFA: setting up an MFA device, the password
# (changed at first sign-in), who they are, and trading an MFA code for a session.  AWS's documented "force
# MFA" policies exempt the MFA device actions, iam:GetUser, iam:ListUsers and sts:GetSessionToken.  Access
# keys are left out: AWS never exempts them, and a key created without MFA is a long-lived credential.
SELF_SERVICE = {
    "iam": frozenset({
        # every IAM action on MFA devices, so that iam:*MFADevice counts
        "createvirtualmfadevice", "deactivatemfadevice", "deletevirtualmfadevice", "enablemfadevice",
        "getmfadevice", "listmfadevices", "listmfadevicetags", "listvirtualmfadevices", "resyncmfadevice",
        "tagmfadevice", "untagmfadevice",
        # the password and the console sign-in profile, so that iam:*LoginProfile counts
        "changepassword", "getaccountpasswordpolicy",
        "createloginprofile", "deleteloginprofile", "getloginprofile", "updateloginprofile",
        # who am I
        "getuser", "listusers", "listaccountaliases", "getaccountsummary",
    }),
    "sts": frozenset({"getsessiontoken", "getcalleridentity"}),
}


@dataclass(frozen=True, slots=True)
class MfaVerdict:
    """Whether one statement forces MFA: ``forces`` is ``None`` when that depends on a value that is not
    known (``blocker`` says which).  ``shortfall`` says why a Deny conditioned on MFA does not force it
    ("exempts iam:*, more than MFA set-up"); it is empty for a statement that does not try."""

    forces: bool | None
    shortfall: str = ""
    blocker: str = ""


_NOT_TRYING = MfaVerdict(False)


def forces_mfa(statement: Statement) -> MfaVerdict:
    """A Deny, for every action but MFA self-service, whenever MFA is absent: AWS's "force MFA" pattern."""
    if statement.effect != "Deny" or statement.conditions is None:
        return _NOT_TRYING
    tests = _mfa_tests(statement)
    if not tests:
        return _NOT_TRYING
    for _, key, values in tests:
        for value in values:
            if value.is_unknown:
                return MfaVerdict(None, blocker=value.reason or f"the value {_KEY_SPELLING[key]} is tested against")
    for operator, key, values in tests:
        if not _holds_without_mfa(operator, key, values):
            shown = ", ".join(_shown(v) for v in values)
            return MfaVerdict(False, f"denies when {operator} {_KEY_SPELLING[key]} is {shown}, not when MFA is absent")
    if not ("*" in _strings(statement.resources) or statement.not_resources):
        return _unless_unknown(statement.resources, f"applies only to {_listed('resource', statement.resources)}")
    if "*" in _strings(statement.actions):
        return MfaVerdict(True)
    if statement.actions:
        return _unless_unknown(statement.actions, f"denies only {', '.join(_strings(statement.actions))} without MFA")
    if not statement.not_actions:
        return MfaVerdict(False, "names no action")
    wide = [action for action in _strings(statement.not_actions) if not is_self_service(action)]
    if wide:
        return MfaVerdict(False, f"exempts {', '.join(wide)}, more than MFA set-up")
    return _unless_unknown(statement.not_actions, "")


@functools.lru_cache(maxsize=4096)  # the same few entries, once per user a policy reaches
def is_self_service(action: str) -> bool:
    """Whether a ``NotAction`` entry (``*`` and ``?`` wildcards allowed) exempts only what a user without MFA
    may do: every IAM or STS action it matches must be in `SELF_SERVICE`.  A wildcard over a whole service
    (``iam:*``, ``iam:Create*``, ``iam:*User*``) matches far more.  An entry that matches no known action
    exempts nothing and counts."""
    service, _, name = action.lower().partition(":")
    if service not in SELF_SERVICE or not name:
        return False
    pattern = re.compile(re.escape(name).replace(r"\*", ".*").replace(r"\?", "."))
    return all(known in SELF_SERVICE[service] for known in ACTIONS[service] if pattern.fullmatch(known))


def allows_only_with_mfa(statement: Statement) -> bool:
    tested = statement.condition_values(("boolifexists", "bool"), MFA_KEY)
    return bool(tested) and all(is_true(v) for v in tested)


def _mfa_tests(statement: Statement) -> list[tuple[str, str, list[Value]]]:
    """(operator as written, key, values) of every test of an MFA key in the statement's Condition."""
    return [(operator, key, values) for operator, tests in (statement.conditions or {}).items()
            for key, values in tests.items() if key in _KEY_SPELLING]


def _holds_without_mfa(operator: str, key: str, values: list[Value]) -> bool:
    """Whether a condition test is true of every request made without MFA (long-term keys, where
    aws:MultiFactorAuthPresent is absent, and console sessions, where it is false)."""
    operator = operator.lower()
    if key == MFA_KEY:
        return operator in ("bool", "boolifexists") and bool(values) and all(is_false(v) for v in values)
    # aws:MultiFactorAuthAge is present only when MFA was used.
    if operator == "null":
        return bool(values) and all(is_true(v) for v in values)
    return operator.endswith("ifexists")


def _unless_unknown(values: list[Value], shortfall: str) -> MfaVerdict:
    """The verdict from the known entries of ``values``, unless an entry is not known (it might be ``*``)."""
    unknown = next((v for v in values if v.is_unknown), None)
    if unknown is not None:
        return MfaVerdict(None, blocker=unknown.reason or "a policy entry is not known")
    return MfaVerdict(not shortfall, shortfall)


def _listed(what: str, values: list[Value]) -> str:
    names = _strings(values)
    return f"{what}{'s' if len(names) > 1 else ''} {', '.join(names)}" if names else f"no {what}"


def _shown(value: Value) -> str:
    return str(value.raw).lower() if isinstance(value.raw, bool) else str(value.raw)


def _strings(values: list[Value]) -> list[str]:
    return [v.raw for v in values if v.is_str()]


# -- administrator access -------------------------------------------------------------------------------------
ADMIN_POLICY = "AdministratorAccess"
_AWS_MANAGED_ARN = re.compile(r"arn:[^:]*:iam::aws:policy/(.+)")


@dataclass(frozen=True, slots=True)
class AdminVerdict:
    """Whether one statement grants every action on every resource: ``grants`` is ``None`` when that depends
    on a value that is not known (``blocker`` says which); ``how`` says what it allows, for messages."""

    grants: bool | None
    how: str = ""
    blocker: str = ""


def grants_admin(statement: Statement) -> AdminVerdict:
    """An Allow of ``*`` (or of everything but a ``NotAction`` list) on resource ``*``: administrator access,
    whatever its Condition (a condition narrows who or when, not what)."""
    if statement.effect == "Deny" or statement.not_resources:
        return AdminVerdict(False)
    actions = _strings(statement.actions)
    if any(action in ("*", "*:*") for action in actions):
        how = "every action (*)"
    elif statement.not_actions and not statement.actions:
        how = f"every action except {', '.join(_strings(statement.not_actions)) or 'those listed'} (NotAction)"
    elif any(v.is_unknown for v in statement.actions):
        how = ""  # an action not known might be `*`
    else:
        return AdminVerdict(False)
    every_resource = "*" in _strings(statement.resources)
    if not every_resource and not any(v.is_unknown for v in statement.resources):
        return AdminVerdict(False)
    if statement.effect is None or not how or not every_resource:
        unknown = next((v for v in statement.actions + statement.resources if v.is_unknown), None)
        return AdminVerdict(None, blocker=unknown.reason if unknown is not None and unknown.reason
                            else "the statement's effect is not known")
    return AdminVerdict(True, f"{how} on every resource (*)")


def names_aws_policy(value: Value, name: str) -> bool | None:
    """Whether an ARN names the AWS managed policy ``name`` (``arn:aws:iam::aws:policy/AdministratorAccess``,
    its partition possibly known only at deploy time); ``None`` when a part not known decides it."""
    if isinstance(value.raw, ResourceRef):
        return False  # a policy of the scanned files
    text = _text(value)
    if text is None:
        return None if value.is_unknown else False
    written = text[0]
    match = _AWS_MANAGED_ARN.fullmatch(written)
    if match and _HOLE not in match.group(1):
        return match.group(1) == name
    could_be = re.fullmatch(".*".join(map(re.escape, written.split(_HOLE))), f"arn:aws:iam::aws:policy/{name}")
    return None if could_be else False


# -- who a role trusts ----------------------------------------------------------------------------------------
_ACCOUNT_ID = re.compile(r"\d{12}")
_PRINCIPAL_ARN = re.compile(r"arn:[^:]*:(?:iam|sts)::([^:]*):.*")
_HOLE = "\x00"  # stands in for a part of a text known only at deploy time
_MFA_AGE_OPERATORS = ("numericlessthan", "numericlessthanequals")
_EXTERNAL_ID_OPERATORS = ("stringequals", "stringlike", "stringequalsignorecase")


def trusted_account(value: Value, is_this_account: Callable[[str], bool]) -> tuple[str, str]:
    """(account, shown) of one AWS principal of a trust policy: account ``"any"``, ``"this"``, ``"other"`` or
    ``"unknown"`` (see `iaclint.model.Trusted`).  ``is_this_account`` tells from why a value is not known
    whether it is the id of the account deployed to: only its framework knows how that is written."""
    if isinstance(value.raw, ResourceRef):
        return "this", str(value.raw)
    text = _text(value)
    if text is None:
        return ("this", "") if value.is_unknown and is_this_account(value.reason) else ("unknown", "")
    written, holes = text
    shown = written.replace(_HOLE, "…")
    if written == "*":
        return "any", "*"
    match = _PRINCIPAL_ARN.fullmatch(written)
    account = match.group(1) if match else written
    if _ACCOUNT_ID.fullmatch(account):
        return "other", shown
    if account == _HOLE:
        # Which hole is the account: count those before it (a partition known only at deploy time).
        before = written.split(":")[:4] if match else []
        index = sum(part.count(_HOLE) for part in before)
        # A template may itself hold the character that marks a hole: then there is no reason to read.
        own = index < len(holes) and is_this_account(holes[index])
        return ("this" if own else "unknown"), shown
    return "unknown", shown


def requires_external_id_or_mfa(statement: Statement) -> bool | None:
    """Whether a trust statement lets its principals in only with an ``sts:ExternalId`` (StringEquals or
    StringLike: any value, even one known only at deploy time) or with MFA (``Bool``
    ``aws:MultiFactorAuthPresent`` true, or a ``Numeric`` limit on ``aws:MultiFactorAuthAge``, both false
    without MFA; ``BoolIfExists`` is true of long-term keys, which carry no MFA key).  ``None`` when the
    Condition is not known."""
    if statement.conditions is None:
        return None
    undecided = False
    for operator, tests in statement.conditions.items():
        base = operator.lower().rsplit(":", 1)[-1]  # ForAnyValue:StringEquals tests like StringEquals
        if base in _EXTERNAL_ID_OPERATORS and tests.get("sts:externalid"):
            return True
        if base in _MFA_AGE_OPERATORS and tests.get(MFA_AGE_KEY):
            return True
        present = tests.get(MFA_KEY, []) if base == "bool" else []
        if present and all(is_true(v) for v in present):
            return True
        undecided = undecided or any(v.is_unknown for v in present)
    return None if undecided else False


def may_assume_role(statement: Statement) -> bool | None:
    """Whether a trust statement allows ``sts:AssumeRole`` (``None`` when its effect or actions are not known)."""
    if statement.effect != "Allow":
        return None if statement.effect is None else False
    if statement.not_actions:
        return not any(_matches(a, "sts:assumerole") for a in _strings(statement.not_actions))
    if any(_matches(a, "sts:assumerole") for a in _strings(statement.actions)):
        return True
    return None if any(v.is_unknown for v in statement.actions) else False


def _matches(pattern: str, action: str) -> bool:
    regex = re.escape(pattern.lower()).replace(r"\*", ".*").replace(r"\?", ".")
    return re.fullmatch(regex, action) is not None


def _text(value: Value) -> tuple[str, tuple[str, ...]] | None:
    """A string value's text with each part known only at deploy time as a hole, and why each is not
    known; ``None`` for a value that is not text."""
    if value.is_str():
        return value.raw, ()
    if isinstance(value, PartlyKnown):
        return "".join(_HOLE if part is None else part for part in value.parts), value.reasons
    return None
