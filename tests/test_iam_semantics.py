"""What an IAM statement means for MFA (`iaclint.iam`): which NotAction entries leave a user without MFA only
MFA set-up and self-service, and why a Deny conditioned on MFA falls short."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from iaclint.iam import SELF_SERVICE, forces_mfa, is_self_service
from iaclint.iam_actions import ACTIONS
from iaclint.policy import json_value, parse_policy
from iaclint.values import Location, Value

# AWS's documented "force MFA" NotAction list, with the MFA device actions written as wildcards.
DOCUMENTED = ["iam:*MFADevice", "iam:*MFADevices", "iam:GetUser", "iam:ListUsers", "sts:GetSessionToken"]
NO_MFA = {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}


@pytest.mark.parametrize("action", [
    "iam:*MFADevice", "iam:*MFADevices", "iam:List*MFADevices", "iam:*mfadevice", "iam:*MFA*",
    "iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:ResyncMFADevice", "iam:DeleteVirtualMFADevice",
    "iam:DeactivateMFADevice", "iam:ListMFADevices", "iam:ListVirtualMFADevices", "iam:GetMFADevice",
    "iam:GetUser", "iam:ListUsers", "iam:GetAccountPasswordPolicy", "iam:ChangePassword", "iam:GetLoginProfile",
    "iam:*LoginProfile", "iam:ListAccountAliases", "iam:GetAccountSummary", "sts:GetSessionToken",
    "sts:GetCallerIdentity", "iam:Enable?FADevice",
    "iam:NoSuchAction*",  # matches no action: exempts nothing
])
def test_exempting_only_mfa_and_self_service_counts(action):
    assert is_self_service(action) is True


@pytest.mark.parametrize("action", [
    "*", "iam:*", "iam:Create*", "iam:Delete*", "iam:*User*", "iam:Get*", "iam:List*", "iam:Update*",
    "iam:*Password*",  # also UpdateAccountPasswordPolicy: an administrator's action
    "iam:*AccessKey*", "iam:CreateAccessKey", "iam:ListAccessKeys",  # AWS's policies never exempt access keys
    "iam:CreateUser", "iam:AttachUserPolicy", "sts:*", "sts:AssumeRole", "s3:*", "ec2:DescribeInstances",
    "*:GetUser", "i?m:GetUser", "iam:", "iam",
])
def test_exempting_more_does_not_count(action):
    assert is_self_service(action) is False


def test_the_self_service_actions_are_real_actions():
    assert {service: names - ACTIONS[service] for service, names in SELF_SERVICE.items()} == {"iam": set(), "sts": set()}


def test_the_action_list_is_not_behind_cfn_lint():
    # A wildcard exemption is judged by the actions it matches: an action AWS added since the list was made
    # could be one it exempts.  Regenerate with tools/iam_actions.py when this fails.
    data = json.loads(resources.files("cfnlint.data.AdditionalSpecs").joinpath("Policies.json").read_text())
    missing = {service: {name.lower() for name in data[service]["Actions"]} - ACTIONS[service] for service in ACTIONS}
    assert missing == {"iam": set(), "sts": set()}


def _statement(**fields):
    statement = {"Effect": "Deny", "Resource": "*", **fields}
    [parsed] = parse_policy(json_value({"Statement": [statement]}, Location("p.json", 1))).statements
    return parsed


@pytest.mark.parametrize("condition", [
    NO_MFA,
    {"Bool": {"aws:MultiFactorAuthPresent": False}},
    {"Bool": {"aws:MultiFactorAuthPresent": ["false"]}},
    {"BoolIfExists": {"aws:MultiFactorAuthPresent": False}},
    {"Null": {"aws:MultiFactorAuthAge": "true"}},
    {"Null": {"aws:MultiFactorAuthAge": True}},
    {"NumericGreaterThanIfExists": {"aws:MultiFactorAuthAge": "3600"}},  # absent without MFA: the test holds
])
def test_a_deny_whenever_mfa_is_absent_forces_it(condition):
    verdict = forces_mfa(_statement(NotAction=DOCUMENTED, Condition=condition))
    assert (verdict.forces, verdict.shortfall, verdict.blocker) == (True, "", "")


@pytest.mark.parametrize(("fields", "shortfall"), [
    ({"NotAction": ["iam:*", "sts:GetSessionToken"]}, "exempts iam:*, more than MFA set-up"),
    ({"NotAction": ["s3:*", "iam:Get*", "iam:EnableMFADevice"]}, "exempts s3:*, iam:Get*, more than MFA set-up"),
    ({"Action": "ec2:*"}, "denies only ec2:* without MFA"),
    ({"Action": ["ec2:*", "s3:*"]}, "denies only ec2:*, s3:* without MFA"),
    ({"Action": "*", "Resource": "arn:aws:s3:::data"}, "applies only to resource arn:aws:s3:::data"),
    ({"Action": "*", "Resource": ["arn:aws:s3:::a", "arn:aws:s3:::b"]},
     "applies only to resources arn:aws:s3:::a, arn:aws:s3:::b"),
    ({"Action": "*", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}},
     "denies when Bool aws:MultiFactorAuthPresent is true, not when MFA is absent"),
    ({"Action": "*", "Condition": {"Null": {"aws:MultiFactorAuthAge": False}}},
     "denies when Null aws:MultiFactorAuthAge is false, not when MFA is absent"),
    ({"Action": "*", "Condition": {"Null": {"aws:MultiFactorAuthPresent": "true"}}},  # false on the console
     "denies when Null aws:MultiFactorAuthPresent is true, not when MFA is absent"),
    ({"Action": "*", "Condition": {**NO_MFA, "NumericGreaterThan": {"aws:MultiFactorAuthAge": "3600"}}},
     "denies when NumericGreaterThan aws:MultiFactorAuthAge is 3600, not when MFA is absent"),
])
def test_a_deny_that_falls_short_says_why(fields, shortfall):
    verdict = forces_mfa(_statement(**{"Condition": NO_MFA, **fields}))
    assert (verdict.forces, verdict.shortfall) == (False, shortfall)


@pytest.mark.parametrize("fields", [
    {"Effect": "Allow", "Action": "*", "Condition": NO_MFA},
    {"Action": "*"},
    {"Action": "*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
])
def test_a_statement_that_does_not_test_mfa_does_not_try(fields):
    verdict = forces_mfa(_statement(**fields))
    assert (verdict.forces, verdict.shortfall) == (False, "")


def _with_unknown(path: tuple[str, ...], statement: dict):
    """The statement parsed, with the value at ``path`` replaced by an unknown one."""
    parsed = json_value(statement, Location("p.json", 1))
    holder = parsed
    for key in path[:-1]:
        holder = holder.raw[key]
    if isinstance(holder.raw, list):
        holder.raw[int(path[-1])] = Value.unknown(None, "var.exempt has no value")
    else:
        holder.raw[path[-1]] = Value.unknown(None, "var.exempt has no value")
    [found] = parse_policy(Value({"Statement": Value([parsed], None)}, None)).statements
    return found


def test_an_unknown_condition_value_is_undecided():
    statement = _with_unknown(("Condition", "BoolIfExists", "aws:MultiFactorAuthPresent"),
                              {"Effect": "Deny", "NotAction": DOCUMENTED, "Resource": "*", "Condition": NO_MFA})
    verdict = forces_mfa(statement)
    assert (verdict.forces, verdict.blocker) == (None, "var.exempt has no value")


def test_an_unknown_exemption_is_undecided_unless_a_known_one_already_falls_short():
    shape = {"Effect": "Deny", "NotAction": ["iam:GetUser", "x"], "Resource": "*", "Condition": NO_MFA}
    verdict = forces_mfa(_with_unknown(("NotAction", "1"), shape))
    assert (verdict.forces, verdict.blocker) == (None, "var.exempt has no value")
    verdict = forces_mfa(_with_unknown(("NotAction", "1"), {**shape, "NotAction": ["iam:*", "x"]}))
    assert (verdict.forces, verdict.shortfall) == (False, "exempts iam:*, more than MFA set-up")
