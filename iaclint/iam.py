"""What IAM policy statements mean: does a statement force MFA."""

from __future__ import annotations

from .policy import Statement
from .values import Value, is_false, is_true

# Actions a user must be able to call without MFA to set MFA up (AWS's documented "force MFA" policy).
_SELF_SERVICE_PREFIXES = ("iam:", "sts:getsessiontoken")
MFA_KEY = "aws:multifactorauthpresent"


def _strings(values: list[Value]) -> list[str]:
    return [v.raw for v in values if v.is_str()]


def denies_without_mfa(statement: Statement) -> bool:
    """A Deny, for every action but MFA self-service, whenever MFA is absent: AWS's "force MFA" pattern."""
    if statement.effect != "Deny" or statement.conditions is None:
        return False
    tested = statement.condition_values(("boolifexists", "bool"), MFA_KEY)
    if not tested or not all(is_false(v) for v in tested):
        return False
    if not ("*" in _strings(statement.resources) or statement.not_resources):
        return False
    if "*" in _strings(statement.actions):
        return True
    exempt = _strings(statement.not_actions)
    if not statement.not_actions or len(exempt) != len(statement.not_actions):
        return False
    return all(_is_self_service(action) for action in exempt)


def _is_self_service(action: str) -> bool:
    action = action.lower()
    if not action.startswith(_SELF_SERVICE_PREFIXES):
        return False
    # A wildcard over a whole service ("iam:*", "iam:Create*") would exempt far more than MFA set-up.
    name = action.split(":", 1)[1]
    return "*" not in name or name in ("get*", "list*")


def allows_only_with_mfa(statement: Statement) -> bool:
    tested = statement.condition_values(("boolifexists", "bool"), MFA_KEY)
    return bool(tested) and all(is_true(v) for v in tested)
