"""Account-wide security services: GuardDuty, Security Hub, IAM Access Analyzer, the security contact and
the IAM password policy.  CloudFormation has no resource for an account's alternate contacts nor for its
password policy (none in cfn-lint's schemas), so those are read from Terraform only."""

from __future__ import annotations

from ..document import CLOUDFORMATION, TERRAFORM, Resource
from ..model import AccessAnalyzer, AlternateContact, Detector, Model, PasswordPolicy, SecurityHub
from .reader import Mapping, Source

_PASSWORD_POLICY = "aws_iam_account_password_policy"
# The AWS provider's minimum_password_length when none is written.
_TERRAFORM_DEFAULT_LENGTH = 6

MAPPINGS = (
    Mapping(
        Detector, "detectors",
        Source(CLOUDFORMATION, "AWS::GuardDuty::Detector", {"enabled": "Enable"}),
        Source(TERRAFORM, "aws_guardduty_detector", {"enabled": "enable"}),
    ),
    Mapping(
        SecurityHub, "security_hubs",
        Source(CLOUDFORMATION, "AWS::SecurityHub::Hub"),
        Source(TERRAFORM, "aws_securityhub_account"),
    ),
    Mapping(
        AccessAnalyzer, "access_analyzers",
        Source(CLOUDFORMATION, "AWS::AccessAnalyzer::Analyzer", {"kind": "Type"}),
        Source(TERRAFORM, "aws_accessanalyzer_analyzer", {"kind": "type"}),
    ),
    Mapping(
        AlternateContact, "alternate_contacts",
        Source(TERRAFORM, "aws_account_alternate_contact", {"kind": "alternate_contact_type"}),
    ),
    Mapping(
        PasswordPolicy, "password_policies",
        Source(TERRAFORM, _PASSWORD_POLICY, {
            "minimum_length": "minimum_password_length", "reuse_prevention": "password_reuse_prevention",
            "require_uppercase": "require_uppercase_characters",
            "require_lowercase": "require_lowercase_characters", "require_numbers": "require_numbers",
            "require_symbols": "require_symbols", "max_age": "max_password_age"}),
    ),
)


def adapt(resource: Resource, model: Model) -> None:
    if resource.framework == TERRAFORM and resource.type == _PASSWORD_POLICY:
        model.password_policies[-1].default_length = _TERRAFORM_DEFAULT_LENGTH
