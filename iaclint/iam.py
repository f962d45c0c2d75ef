"""What IAM policy statements mean: does a statement force MFA, and when one tries but falls short, why."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .iam_actions import ACTIONS
from .policy import Statement
from .values import Value, is_false, is_true

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
