"""IAC105 admin-policy and IAC107 role-trust-without-mfa-or-external-id: exactly what each says, where, about
which resource and at which severity, in both frameworks (fixtures under fixtures/iam-pack)."""

from __future__ import annotations

from pathlib import Path

import pytest

from iaclint import scan
from iaclint.options import FindingPolicy, ScanOptions

PACK = Path(__file__).resolve().parent.parent / "fixtures" / "iam-pack"
ADMIN = "full administrator access; grant only the actions and resources needed"
ATTACHED = "AWS managed policy AdministratorAccess attached to an IAM {}: " + ADMIN
CROSS = ("{} lets another AWS account ({}) assume this role without an external id or MFA; require sts:ExternalId "
         "or aws:MultiFactorAuthPresent true in its Condition")
ANY = ("{} lets any AWS account (*) assume this role without an external id or MFA; require sts:ExternalId or "
       "aws:MultiFactorAuthPresent true in its Condition")
ANY_UNCONDITIONED = ("{} lets any AWS account (*) assume this role, with no condition at all; name the accounts "
                     "trusted and require sts:ExternalId or MFA")


def _found(name: str, code: str, strict: bool = False) -> list[tuple[int, str, str, str]]:
    report = scan([str(PACK / name)], ScanOptions(policy=FindingPolicy(strict=strict, select=(code,))))
    assert not report.errors
    return sorted((f.line, f.resource, f.severity, f.message) for f in report.findings + report.notes)


def test_admin_policy_cloudformation() -> None:
    assert _found("admin.yaml", "IAC105") == [
        (27, "AppRole", "high", f"policy everything allows every action (*) on every resource (*): {ADMIN}"),
        (32, "AppRole", "high", ATTACHED.format("role")),
        (34, "AppRole", "high", ATTACHED.format("role")),  # its partition known only at deploy time
        (47, "AdminManaged", "high", f"policy AdminManaged allows every action (*) on every resource (*): {ADMIN}"),
        (63, "Operators", "high", "policy power-user allows every action except iam:* (NotAction) on every resource "
         f"(*): {ADMIN}"),
        (68, "Operators", "high", ATTACHED.format("group")),
        # embedded in a user, a group and a role: reported once
        (82, "Shared", "high", f"policy Shared allows every action (*) on every resource (*): {ADMIN}"),
    ]


def test_admin_policy_terraform() -> None:
    assert _found("admin", "IAC105") == [
        (13, "aws_iam_role.app", "high", f"policy everything allows every action (*) on every resource (*): {ADMIN}"),
        (22, "aws_iam_role.app", "high", ATTACHED.format("role")),
        (48, "aws_iam_policy.admin", "high",
         f"policy aws_iam_policy.admin allows every action (*) on every resource (*): {ADMIN}"),
        (61, "aws_iam_group_policy.power_user", "high", "policy aws_iam_group_policy.power_user allows every action "
         f"except iam:*, organizations:* (NotAction) on every resource (*): {ADMIN}"),
        (72, "aws_iam_role_policy_attachment.admin", "high", ATTACHED.format("role")),
        (78, "aws_iam_group_policy_attachment.admin", "high", ATTACHED.format("group")),
        (94, "aws_iam_policy_attachment.admins", "high", ATTACHED.format("role")),
        (94, "aws_iam_policy_attachment.admins", "high", ATTACHED.format("user")),
    ]


def test_role_trust_cloudformation() -> None:
    trust = "AssumeRolePolicyDocument"
    assert _found("trust.yaml", "IAC107") == [
        (13, "CrossAccount", "high", CROSS.format(trust, "arn:aws:iam::111122223333:root")),
        (15, "CrossAccount", "high", CROSS.format(trust, "444455556666")),
        (29, "Anyone", "critical", ANY_UNCONDITIONED.format(trust)),
        (40, "AnyoneInTheOrganization", "high", ANY.format(trust)),  # aws:PrincipalOrgID is no mitigation
        (76, "People", "high", CROSS.format(trust, "arn:aws:iam::111122223333:user/alice")),  # BoolIfExists
    ]


def test_role_trust_terraform() -> None:
    trust = "assume_role_policy"
    assert _found("trust", "IAC107") == [
        (12, "aws_iam_role.cross_account", "high", CROSS.format(trust, "arn:aws:iam::111122223333:root")),
        (29, "aws_iam_role.anyone", "critical", ANY_UNCONDITIONED.format(trust)),
        (82, "aws_iam_role.people", "high", CROSS.format(trust, "999988887777")),
    ]


@pytest.mark.parametrize("name", ["trust", "trust.yaml"])
def test_the_deploying_account_is_decided_not_undecided(name: str) -> None:
    """A reference to the deploying account's id is the same account: no note even under --strict."""
    report = scan([str(PACK / name)], ScanOptions(policy=FindingPolicy(strict=True, select=("IAC107",))))
    assert report.findings and report.notes == []


def test_a_principal_not_known_is_undecided(tmp_path) -> None:
    (tmp_path / "main.tf").write_text('''variable "partner" {}
resource "aws_iam_role" "partner" {
  name = "partner"
  assume_role_policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "sts:AssumeRole",
    Principal = { AWS = "arn:aws:iam::${var.partner}:root" } }] })
}
''')
    report = scan([str(tmp_path)], ScanOptions(policy=FindingPolicy(strict=True, select=("IAC107",))))
    assert report.findings == []
    assert [(n.line, n.resource, n.message) for n in report.notes] == [
        (5, "aws_iam_role.partner", "could not decide whether another AWS account may assume this role without an "
         "external id or MFA: var.partner has no value")]


def test_a_principal_that_names_no_account_is_undecided_and_says_so(tmp_path) -> None:
    """A bare role name is no principal AWS accepts; what is undecided is the principal, not the statement."""
    (tmp_path / "t.yaml").write_text('''Resources:
  Developer:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal:
              AWS: admin-role
            Action: sts:AssumeRole
''')
    report = scan([str(tmp_path)], ScanOptions(policy=FindingPolicy(strict=True, select=("IAC107",))))
    assert report.findings == []
    assert [(n.line, n.resource, n.message) for n in report.notes] == [
        (9, "Developer", "could not decide whether another AWS account may assume this role without an external "
         "id or MFA: the principal admin-role is neither an account id nor an IAM ARN")]
