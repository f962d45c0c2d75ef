"""Questions about the IAM graph of one model: which policies reach a user, and does a policy force MFA."""

from __future__ import annotations

from dataclasses import dataclass, field

from .adapters.common import principal_keys
from .model import Model, Principal
from .policy import PolicyDocument, Statement
from .values import Value, is_false, is_true

# Actions a user must be able to call without MFA to set MFA up (AWS's documented "force MFA" policy).
_SELF_SERVICE_PREFIXES = ("iam:", "sts:getsessiontoken")
_AWS_MANAGED_POLICY = ("arn:aws:iam::aws:policy/", "arn:aws-us-gov:iam::aws:policy/", "arn:aws-cn:iam::aws:policy/")
MFA_KEY = "aws:multifactorauthpresent"


@dataclass
class Reach:
    """What reaches a user: the documents known to apply, and why the picture may be incomplete."""

    documents: list[PolicyDocument] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    aws_managed: list[str] = field(default_factory=list)  # AWS managed policies: never force MFA


def _applies(reference: Value, keys: set[str]) -> bool | None:
    """Whether a principal reference names the principal with ``keys``; ``None`` when it cannot be told."""
    referenced = principal_keys(reference)
    if not referenced:
        return None
    return bool(referenced & keys)


def _describe(value: Value) -> str:
    return value.reason or "a reference that is not known"


def policies_reaching(model: Model, user: Principal) -> Reach:
    reach = Reach()
    _direct(model, "user", user.keys, reach)
    for membership in model.memberships:
        applies = _applies(membership.user, user.keys)
        if applies is None:
            reach.unknown.append(f"group membership with {_describe(membership.user)}")
            continue
        if not applies:
            continue
        group = _find(model.groups, membership.group)
        if group is None:
            reach.unknown.append(f"group {_name(membership.group)} is not defined in the scanned files")
            continue
        _direct(model, "group", group.keys, reach)
    return reach


def _direct(model: Model, kind: str, keys: set[str], reach: Reach) -> None:
    for policy in model.inline_policies:
        if policy.principal_kind != kind:
            continue
        applies = _applies(policy.principal, keys)
        if applies is None:
            reach.unknown.append(f"policy {policy.resource.name} attached to {_describe(policy.principal)}")
        elif applies:
            reach.documents.append(policy.document)
    for attachment in model.attachments:
        if attachment.principal_kind != kind:
            continue
        applies = _applies(attachment.principal, keys)
        if applies is None:
            reach.unknown.append(f"attachment {attachment.resource.name} to {_describe(attachment.principal)}")
            continue
        if not applies:
            continue
        policy_value = attachment.policy
        managed = next((p for p in model.managed_policies if principal_keys(policy_value) & p.keys), None)
        if managed is not None:
            reach.documents.append(managed.document)
        elif policy_value.is_str() and policy_value.raw.startswith(_AWS_MANAGED_POLICY):
            reach.aws_managed.append(policy_value.raw)
        else:
            reach.unknown.append(f"managed policy {_name(policy_value)} is not defined in the scanned files")


def _find(principals: list[Principal], reference: Value) -> Principal | None:
    referenced = principal_keys(reference)
    return next((p for p in principals if referenced & p.keys), None)


def _name(value: Value) -> str:
    if value.is_known and value.raw is not None:
        return str(value.raw)
    return f"({_describe(value)})"


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
