"""What an IAM statement means for MFA (`iaclint.iam`): which NotAction entries leave a user without MFA only
MFA set-up and self-service, and why a Deny conditioned on MFA falls short."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest

from iaclint import scan
from iaclint.iam import SELF_SERVICE, forces_mfa, is_self_service
from iaclint.iam_actions import ACTIONS
from iaclint.options import FindingPolicy, ScanOptions
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


# -- the rule: what it reports, and why ------------------------------------------------------------------------

GROUP_TEMPLATE = """\
Parameters:
  MfaPresent:
    Type: String
Resources:
  Alice:
    Type: AWS::IAM::User
    Properties:
      Groups: [!Ref People]
  People:
    Type: AWS::IAM::Group
    Properties:
      Policies:
{policies}
"""


def _cloudformation_policy(name: str, statement: str) -> str:
    return (f"        - PolicyName: {name}\n          PolicyDocument:\n            Statement:\n"
            f"              - {statement}\n")


def _scan(tmp_path, name: str, text: str):
    (tmp_path / name).write_text(text)
    report = scan([str(tmp_path)], ScanOptions(policy=FindingPolicy(strict=True, select=("IAC103",))))
    assert report.errors == []
    return ([(Path(f.file).name, f.line, f.resource, f.message) for f in report.findings],
            [(Path(n.file).name, n.line, n.message) for n in report.notes])


def test_a_policy_that_falls_short_is_named_with_why(tmp_path):
    policies = (_cloudformation_policy("exempts-iam", "{Effect: Deny, NotAction: ['iam:*'], Resource: '*', "
                                       "Condition: {BoolIfExists: {'aws:MultiFactorAuthPresent': 'false'}}}")
                + _cloudformation_policy("ec2-only", "{Effect: Deny, Action: 'ec2:*', Resource: '*', "
                                         "Condition: {Bool: {'aws:MultiFactorAuthPresent': false}}}")
                + _cloudformation_policy("reads", "{Effect: Allow, Action: 's3:GetObject', Resource: '*'}"))
    assert _scan(tmp_path, "t.yaml", GROUP_TEMPLATE.format(policies=policies)) == ([(
        "t.yaml", 5, "Alice", "IAM user is not forced to use MFA: policy exempts-iam exempts iam:*, more than MFA "
        "set-up; policy ec2-only denies only ec2:* without MFA")], [])


def test_one_policy_that_forces_mfa_is_enough(tmp_path):
    policies = (_cloudformation_policy("exempts-iam", "{Effect: Deny, NotAction: ['iam:*'], Resource: '*', "
                                       "Condition: {BoolIfExists: {'aws:MultiFactorAuthPresent': 'false'}}}")
                + _cloudformation_policy("force-mfa", "{Effect: Deny, NotAction: ['iam:*MFADevice'], Resource: "
                                         "'*', Condition: {'Null': {'aws:MultiFactorAuthAge': true}}}"))
    assert _scan(tmp_path, "t.yaml", GROUP_TEMPLATE.format(policies=policies)) == ([], [])


def test_without_a_policy_that_tries_the_message_is_unchanged(tmp_path):
    policies = _cloudformation_policy("reads", "{Effect: Allow, Action: 's3:GetObject', Resource: '*'}")
    assert _scan(tmp_path, "t.yaml", GROUP_TEMPLATE.format(policies=policies)) == ([(
        "t.yaml", 5, "Alice", "IAM user is not forced to use MFA: no policy that reaches it denies access when "
        "aws:MultiFactorAuthPresent is false")], [])


def test_an_unknown_condition_value_is_noted_not_reported(tmp_path):
    policies = _cloudformation_policy("force-mfa", "{Effect: Deny, NotAction: ['iam:*MFADevice'], Resource: '*', "
                                      "Condition: {BoolIfExists: {'aws:MultiFactorAuthPresent': !Ref MfaPresent}}}")
    assert _scan(tmp_path, "t.yaml", GROUP_TEMPLATE.format(policies=policies)) == ([], [(
        "t.yaml", 5, "could not decide whether this IAM user is forced to use MFA: parameter MfaPresent has no value")])


TERRAFORM = """\
variable "exempt" {{}}

resource "aws_iam_user" "alice" {{
  name = "alice"
}}

resource "aws_iam_user_policy_attachment" "alice" {{
  user       = aws_iam_user.alice.name
  policy_arn = aws_iam_policy.force_mfa.arn
}}

resource "aws_iam_policy" "force_mfa" {{
  policy = jsonencode({{
    Statement = [{{
      Effect    = "Deny"
      {actions}
      Resource  = "{resource}"
      Condition = {{ BoolIfExists = {{ "aws:MultiFactorAuthPresent" = "false" }} }}
    }}]
  }})
}}
"""


@pytest.mark.parametrize(("actions", "resource", "message"), [
    ('NotAction = ["iam:*User*"]', "*", "policy aws_iam_policy.force_mfa exempts iam:*User*, more than MFA set-up"),
    ('Action = ["ec2:*"]', "*", "policy aws_iam_policy.force_mfa denies only ec2:* without MFA"),
    ('Action = "*"', "arn:aws:s3:::data/*", "policy aws_iam_policy.force_mfa applies only to resource arn:aws:s3:::data/*"),
])
def test_terraform_names_the_policy_by_its_address(tmp_path, actions, resource, message):
    assert _scan(tmp_path, "main.tf", TERRAFORM.format(actions=actions, resource=resource)) == (
        [("main.tf", 3, "aws_iam_user.alice", f"IAM user is not forced to use MFA: {message}")], [])


def test_terraform_an_unknown_exemption_is_noted(tmp_path):
    module = TERRAFORM.format(actions='NotAction = ["iam:*MFADevice", var.exempt]', resource="*")
    assert _scan(tmp_path, "main.tf", module) == ([], [
        ("main.tf", 3, "could not decide whether this IAM user is forced to use MFA: var.exempt has no value")])
