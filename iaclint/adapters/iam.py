"""IAM: users, groups, roles, their policies (inline and managed), attachments, group memberships, access
keys and whom roles trust, both frameworks side by side.  Who is reached by which policy is worked out once,
in `link`."""

from __future__ import annotations

import re

from ..document import CLOUDFORMATION, TERRAFORM, Resource
from ..model import (
    AccessKey,
    Attachment,
    InlinePolicy,
    ManagedPolicy,
    Membership,
    Model,
    NamedPolicy,
    Principal,
    Reach,
    Role,
    Trusted,
)
from ..iam import trusted_account
from ..policy import PolicyDocument, parse_policy
from ..values import RESOLVED, ResourceRef, Value
from .link import own_keys, reference_keys
from .reader import Mapping, Source, first_at, values_at

MAPPINGS = (
    Mapping(AccessKey, "access_keys",
            Source(CLOUDFORMATION, "AWS::IAM::AccessKey", {"user": "UserName"}),
            Source(TERRAFORM, "aws_iam_access_key", {"user": "user"})),
)

# (framework, type) -> (principal kind, name field) of a user or group.
_PRINCIPALS = {
    (CLOUDFORMATION, "AWS::IAM::User"): ("user", "UserName"),
    (CLOUDFORMATION, "AWS::IAM::Group"): ("group", "GroupName"),
    (TERRAFORM, "aws_iam_user"): ("user", "name"),
    (TERRAFORM, "aws_iam_group"): ("group", "name"),
}
# (framework, type) -> (name field, policy document field) of a customer managed policy.
_MANAGED_POLICIES = {
    (CLOUDFORMATION, "AWS::IAM::ManagedPolicy"): ("ManagedPolicyName", "PolicyDocument"),
    (TERRAFORM, "aws_iam_policy"): ("name", "policy"),
}
# (framework, type) -> (name field, trust policy field) of a role.
_ROLES = {
    (CLOUDFORMATION, "AWS::IAM::Role"): ("RoleName", "AssumeRolePolicyDocument"),
    (TERRAFORM, "aws_iam_role"): ("name", "assume_role_policy"),
}
# An inline policy of one principal: (framework, type) -> (principal kind, principal field, document field).
_INLINE_POLICIES = {
    (CLOUDFORMATION, "AWS::IAM::UserPolicy"): ("user", "UserName", "PolicyDocument"),
    (CLOUDFORMATION, "AWS::IAM::GroupPolicy"): ("group", "GroupName", "PolicyDocument"),
    (TERRAFORM, "aws_iam_user_policy"): ("user", "user", "policy"),
    (TERRAFORM, "aws_iam_group_policy"): ("group", "group", "policy"),
    (CLOUDFORMATION, "AWS::IAM::RolePolicy"): ("role", "RoleName", "PolicyDocument"),
    (TERRAFORM, "aws_iam_role_policy"): ("role", "role", "policy"),
}
# One managed policy attached to one principal: (framework, type) -> (principal kind, principal field, policy field).
_ATTACHMENTS = {
    (TERRAFORM, "aws_iam_user_policy_attachment"): ("user", "user", "policy_arn"),
    (TERRAFORM, "aws_iam_group_policy_attachment"): ("group", "group", "policy_arn"),
    (TERRAFORM, "aws_iam_role_policy_attachment"): ("role", "role", "policy_arn"),
}
# Who a policy resource names, by its property: CloudFormation spelling, lower-cased for Terraform.
_TARGETS = (("Users", "user"), ("Groups", "group"), ("Roles", "role"))
# Extra paths read by the CloudFormation code below, for the schema test.
_CLOUDFORMATION_PATHS = {
    "AWS::IAM::User": ("Policies[*].PolicyName", "Policies[*].PolicyDocument", "ManagedPolicyArns", "Groups"),
    "AWS::IAM::Group": ("Policies[*].PolicyName", "Policies[*].PolicyDocument", "ManagedPolicyArns"),
    "AWS::IAM::Role": ("Policies[*].PolicyName", "Policies[*].PolicyDocument", "ManagedPolicyArns"),
    "AWS::IAM::Policy": ("PolicyDocument", "Users", "Groups", "Roles"),
    "AWS::IAM::ManagedPolicy": ("Users", "Groups", "Roles"),
    "AWS::IAM::UserToGroupAddition": ("GroupName", "Users"),
}
# Extra paths read by the Terraform code below, for the schema test.
_TERRAFORM_PATHS = {
    "aws_iam_role": ("inline_policy[*].name", "inline_policy[*].policy", "managed_policy_arns[*]"),
    "aws_iam_policy_attachment": ("policy_arn", "users[*]", "groups[*]", "roles[*]"),
}
# How each framework writes the id of the account deployed to, known only then: what the reason it is not
# known starts with (``AWS::AccountId``, ``data.aws_caller_identity.<name>.account_id``).
_THIS_ACCOUNT = {
    CLOUDFORMATION: re.compile(r"AWS::AccountId "),
    TERRAFORM: re.compile(r"data\.aws_caller_identity\.[\w-]+\.account_id "),
}


def paths() -> dict[tuple[str, str], set[str]]:
    found: dict[tuple[str, str], set[str]] = {}
    for key, (_, name) in _PRINCIPALS.items():
        found.setdefault(key, set()).add(name)
    for table in (_MANAGED_POLICIES, _ROLES):
        for key, fields in table.items():
            found.setdefault(key, set()).update(fields)
    for table in (_INLINE_POLICIES, _ATTACHMENTS):
        for key, (_, *fields) in table.items():
            found.setdefault(key, set()).update(fields)
    for framework, extra in ((CLOUDFORMATION, _CLOUDFORMATION_PATHS), (TERRAFORM, _TERRAFORM_PATHS)):
        for kind, fields in extra.items():
            found.setdefault((framework, kind), set()).update(fields)
    return found


def adapt(resource: Resource, model: Model) -> None:
    key, props = (resource.framework, resource.type), resource.properties
    if key in _PRINCIPALS:
        kind, name_field = _PRINCIPALS[key]
        principal = Principal(kind, resource, own_keys(resource.name, props.get(name_field)))
        (model.users if kind == "user" else model.groups).append(principal)
    elif key in _ROLES:
        name_field, trust_field = _ROLES[key]
        trust = parse_policy(props.get(trust_field))
        model.roles.append(Role(resource, own_keys(resource.name, props.get(name_field)), trust,
                                _trusted(trust, resource.framework), {"trust": trust_field}))
    elif key in _MANAGED_POLICIES:
        name_field, document_field = _MANAGED_POLICIES[key]
        model.managed_policies.append(ManagedPolicy(resource, own_keys(resource.name, props.get(name_field)),
                                                    parse_policy(props.get(document_field))))
    elif key in _INLINE_POLICIES:
        kind, principal_field, document_field = _INLINE_POLICIES[key]
        target = props.get(principal_field)
        if target is not None:
            where = resource.loc if resource.framework == TERRAFORM else (target.loc or resource.loc)
            model.inline_policies.append(InlinePolicy(resource, kind, target, parse_policy(props.get(document_field)),
                                                      where, principal_field))
    elif key in _ATTACHMENTS:
        kind, principal_field, policy_field = _ATTACHMENTS[key]
        target, policy = props.get(principal_field), props.get(policy_field)
        if target is not None and policy is not None:
            model.attachments.append(Attachment(resource, kind, target, policy, resource.loc, principal_field))
    if resource.framework == CLOUDFORMATION:
        _cloudformation(resource, model)
    else:
        _terraform(resource, model)


def _cloudformation(resource: Resource, model: Model) -> None:
    props, kind = resource.properties, resource.type
    if kind in ("AWS::IAM::User", "AWS::IAM::Group", "AWS::IAM::Role"):
        principal_kind = kind.rsplit(":", 1)[-1].lower()
        for where, entry in values_at(props, "Policies[*]"):
            name = entry.get("PolicyName")
            model.inline_policies.append(InlinePolicy(
                resource, principal_kind, _reference_to(resource), parse_policy(entry.get("PolicyDocument")),
                entry.loc or resource.loc, where, entry.when,
                name.raw if name is not None and name.is_str() else f"{resource.name}.{where}"))
        for where, arn in values_at(props, "ManagedPolicyArns[*]"):
            model.attachments.append(Attachment(resource, principal_kind, _reference_to(resource), arn,
                                                arn.loc or resource.loc, where))
        if principal_kind == "user":
            for _, group in values_at(props, "Groups[*]"):
                model.memberships.append(Membership(resource, _reference_to(resource), group))
    elif kind == "AWS::IAM::Policy":
        # Embedded in each user and group it names: an inline policy of each.
        document = parse_policy(props.get("PolicyDocument"))
        for field, principal_kind in _TARGETS:
            for where, target in values_at(props, field + "[*]"):
                model.inline_policies.append(InlinePolicy(resource, principal_kind, target, document,
                                                          target.loc or resource.loc, where))
    elif kind == "AWS::IAM::ManagedPolicy":
        for field, principal_kind in _TARGETS:
            for where, target in values_at(props, field + "[*]"):
                model.attachments.append(Attachment(resource, principal_kind, target, _reference_to(resource),
                                                    target.loc or resource.loc, where))
    elif kind == "AWS::IAM::UserToGroupAddition":
        group = first_at(props, "GroupName")
        if group is not None:
            for _, user in values_at(props, "Users[*]"):
                model.memberships.append(Membership(resource, user, group))


def _terraform(resource: Resource, model: Model) -> None:
    props, kind = resource.properties, resource.type
    if kind == "aws_iam_policy_attachment":
        policy = props.get("policy_arn")
        for field, principal_kind in _TARGETS:
            field = field.lower()
            for where, target in values_at(props, field + "[*]"):
                if policy is not None:
                    model.attachments.append(Attachment(resource, principal_kind, target, policy,
                                                        target.loc or resource.loc, where))
    elif kind == "aws_iam_role":
        for where, entry in values_at(props, "inline_policy[*]"):
            name = entry.get("name")
            model.inline_policies.append(InlinePolicy(
                resource, "role", _reference_to(resource), parse_policy(entry.get("policy")),
                entry.loc or resource.loc, where, entry.when,
                name.raw if name is not None and name.is_str() else f"{resource.name}.{where}"))
        for where, arn in values_at(props, "managed_policy_arns[*]"):
            model.attachments.append(Attachment(resource, "role", _reference_to(resource), arn,
                                                arn.loc or resource.loc, where))
    elif kind == "aws_iam_user_group_membership":
        user = props.get("user")
        for _, group in values_at(props, "groups[*]"):
            if user is not None:
                model.memberships.append(Membership(resource, user, group))
    elif kind == "aws_iam_group_membership":
        group = props.get("group")
        for _, user in values_at(props, "users[*]"):
            if group is not None:
                model.memberships.append(Membership(resource, user, group))


def _trusted(trust: PolicyDocument, framework: str) -> list[Trusted]:
    """The AWS principals a trust policy names (``*`` included), each with the account it stands for."""
    def is_this_account(reason: str) -> bool:
        return _THIS_ACCOUNT[framework].match(reason) is not None

    found = []
    for statement in trust.statements:
        principal = statement.principal
        if principal is None:
            continue
        aws = principal if not principal.is_map() else principal.get("AWS")
        for value in aws.items() if aws is not None else ():
            account, shown = trusted_account(value, is_this_account)
            found.append(Trusted(statement, value, account, shown))
    return found


def _reference_to(resource: Resource) -> Value:
    """A reference to ``resource`` itself, as a `Users`/`Groups` entry would make one."""
    return Value(ResourceRef(resource.name), resource.loc, RESOLVED)


# -- link: who is reached by which policy ---------------------------------------------------------------------
_AWS_MANAGED_POLICY = ("arn:aws:iam::aws:policy/", "arn:aws-us-gov:iam::aws:policy/", "arn:aws-cn:iam::aws:policy/")


def link(model: Model) -> None:
    """Work out, for every user, the policies that reach it: its own and its groups'."""
    if not model.users:
        return
    # Indexed once by the keys of what they name, so that linking is not users x memberships x policies.
    memberships = _ByReference(model.memberships, lambda membership: membership.user)
    inline = _ByReference(model.inline_policies, lambda policy: policy.principal)
    attachments = _ByReference(model.attachments, lambda attachment: attachment.principal)
    groups = _ByReference(model.groups, lambda group: None, keys=lambda group: group.keys)
    managed = _ByReference(model.managed_policies, lambda policy: None, keys=lambda policy: policy.keys)
    for user in model.users:
        reach = Reach()
        _direct("user", user.keys, inline, attachments, managed, reach)
        for membership, applies in memberships.naming(user.keys):
            if applies is None:
                reach.unknown.append(f"group membership with {_describe(membership.user)}")
                continue
            group = next((group for group, _ in groups.naming(reference_keys(membership.group), known_only=True)),
                         None)
            if group is None:
                reach.unknown.append(f"group {_name(membership.group)} is not defined in the scanned files")
                continue
            _direct("group", group.keys, inline, attachments, managed, reach)
        user.reach = reach


class _ByReference:
    """Items (memberships, policies, attachments) found by the keys of the principal or policy they name, in
    their own order; ``reference(item)`` is the reference, or ``keys(item)`` the item's own keys."""

    def __init__(self, items, reference, keys=None) -> None:
        self._items = list(items)
        self._unknown: list[int] = []  # items whose reference cannot be told: they may name anything
        self._by_key: dict[str, list[int]] = {}
        for index, item in enumerate(self._items):
            item_keys = keys(item) if keys is not None else reference_keys(reference(item))
            if not item_keys:
                self._unknown.append(index)
            for key in item_keys:
                self._by_key.setdefault(key, []).append(index)

    def naming(self, keys: set[str], *, known_only: bool = False):
        """``(item, True)`` for each item that names one of ``keys`` and ``(item, None)`` for each that cannot
        be told, in the items' order."""
        found = {index: True for key in keys for index in self._by_key.get(key, ())}
        if not known_only:
            found.update({index: None for index in self._unknown})
        return [(self._items[index], found[index]) for index in sorted(found)]


def _direct(kind: str, keys: set[str], inline: _ByReference, attachments: _ByReference, managed: _ByReference,
            reach: Reach) -> None:
    for policy, applies in inline.naming(keys):
        if policy.principal_kind != kind:
            continue
        if applies is None:
            reach.unknown.append(f"policy {policy.resource.name} attached to {_describe(policy.principal)}")
        else:
            reach.policies.append(NamedPolicy(policy.name or policy.resource.name, policy.document))
    for attachment, applies in attachments.naming(keys):
        if attachment.principal_kind != kind:
            continue
        if applies is None:
            reach.unknown.append(f"attachment {attachment.resource.name} to {_describe(attachment.principal)}")
            continue
        policy_value = attachment.policy
        found = next((policy for policy, _ in managed.naming(reference_keys(policy_value), known_only=True)), None)
        if found is not None:
            reach.policies.append(NamedPolicy(found.resource.name, found.document))
        elif policy_value.is_str() and policy_value.raw.startswith(_AWS_MANAGED_POLICY):
            reach.aws_managed.append(policy_value.raw)
        else:
            reach.unknown.append(f"managed policy {_name(policy_value)} is not defined in the scanned files")


def _describe(value: Value) -> str:
    return value.reason or "a reference that is not known"


def _name(value: Value) -> str:
    if value.is_known and isinstance(value.raw, (str, int, float, bool)):
        return str(value.raw)
    if value.is_known and isinstance(value.raw, (list, dict)):
        return f"({'a list' if isinstance(value.raw, list) else 'a map'}, not a name)"
    return f"({_describe(value)})"
