"""An IAM user is not forced to use multi-factor authentication.

## What it does
Looks at every policy that reaches an IAM user — its inline policies, the managed policies attached to
it, and the inline and attached policies of the groups it belongs to — and flags the user when none of
them forces MFA.  A policy forces MFA when it denies `*`, on every resource, whenever MFA is absent
(`aws:MultiFactorAuthPresent` false under `BoolIfExists` or `Bool`, as text or a boolean; or `Null` on
`aws:MultiFactorAuthAge`), as in AWS's documented "force MFA" policy.  It may exempt (`NotAction`) what a
user needs to set MFA up: the MFA device actions, its password and sign-in profile, `iam:GetUser`,
`iam:ListUsers`, `sts:GetSessionToken` and the like.  A wildcard exemption counts when every IAM action it
matches is one of those: `iam:*MFADevice` does, `iam:*`, `iam:Get*` or `iam:*AccessKey*` do not.  MFA is
also enforced when every `Allow` that reaches the user requires `aws:MultiFactorAuthPresent` to be true.

When a policy tries — a Deny conditioned on MFA — but falls short, the finding names it and says why: it
exempts more than MFA set-up, denies only some actions, applies only to some resources, or tests MFA the
wrong way round.  When a group or policy the user depends on is not defined in the scanned files, or a
value that decides it is not known, the answer is unknown and nothing is reported (`--strict` says so).

## Why is this bad?
A password alone is phished, guessed or reused.  AWS recommends requiring MFA for every human IAM user;
a policy that denies access without MFA is the only way a template can make sure of it.

## Example
```yaml cloudformation
Resources:
  Alice:
    Type: AWS::IAM::User
    Properties:
      Groups:
        - !Ref Developers
  Developers:
    Type: AWS::IAM::Group
    Properties:
      ManagedPolicyArns:
        - arn:aws:iam::aws:policy/ReadOnlyAccess
```

```hcl terraform
resource "aws_iam_user" "alice" {
  name = "alice"
}
```

## Use instead
```yaml cloudformation
Resources:
  Alice:
    Type: AWS::IAM::User
    Properties:
      Groups:
        - !Ref Developers
  Developers:
    Type: AWS::IAM::Group
    Properties:
      Policies:
        - PolicyName: force-mfa
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Sid: DenyAllExceptListedIfNoMFA
                Effect: Deny
                NotAction:
                  - iam:CreateVirtualMFADevice
                  - iam:EnableMFADevice
                  - iam:GetUser
                  - iam:ListMFADevices
                  - iam:ListVirtualMFADevices
                  - iam:ResyncMFADevice
                  - sts:GetSessionToken
                Resource: "*"
                Condition:
                  BoolIfExists:
                    aws:MultiFactorAuthPresent: "false"
```

```hcl terraform
resource "aws_iam_user" "alice" {
  name = "alice"
}

resource "aws_iam_group" "people" {
  name = "people"
}

resource "aws_iam_user_group_membership" "alice" {
  user   = aws_iam_user.alice.name
  groups = [aws_iam_group.people.name]
}

resource "aws_iam_group_policy" "force_mfa" {
  group  = aws_iam_group.people.name
  policy = <<POLICY
{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Deny",
    "NotAction": ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:GetUser",
                  "iam:ListMFADevices", "iam:ListVirtualMFADevices", "iam:ResyncMFADevice",
                  "sts:GetSessionToken"],
    "Resource": "*",
    "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}
  }]
}
POLICY
}
```

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_aws_my-sec-creds-self-manage-mfa-only.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#enable-mfa-for-privileged-users
- https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_configure-api-require.html
"""

from __future__ import annotations

from iaclint.findings import Issue, Undecided
from iaclint.iam import allows_only_with_mfa, forces_mfa

CODE = "IAC103"
SLUG = "user-without-mfa-enforcement"
SEVERITY = "high"
CONTROLS = ("FSBP IAM.5", "FSBP IAM.19", "CIS 1.10")


def check(model, settings):
    for user in model.users:
        reach = user.reach
        verdicts = [(named.name, forces_mfa(s)) for named in reach.policies for s in named.policy.statements]
        if any(verdict.forces for _, verdict in verdicts):
            continue
        # What blocks a statement that might force MFA is named first: it is the decisive part.
        unknown = reach.unknown + [verdict.blocker for _, verdict in verdicts if verdict.forces is None]
        # A statement whose effect and conditions are known is decided by `forces_mfa` even if, say, its
        # resource is known only after apply: an Allow never forces MFA, whatever it applies to.
        unknown += [named.policy.unknown_reason or "a policy statement is not known"
                    for named in reach.policies
                    if named.policy.unknown_reason or any(s.effect is None or s.conditions is None
                                                          for s in named.policy.statements)]
        if unknown:
            yield Undecided(user.resource.loc, "whether this IAM user is forced to use MFA", unknown[0], user.resource.name)
            continue
        allows = [s for named in reach.policies for s in named.policy.statements if s.effect == "Allow"]
        if allows and not reach.aws_managed and all(allows_only_with_mfa(s) for s in allows):
            continue
        # A policy that tries (a Deny conditioned on MFA) but falls short is named, with why.
        shortfalls = list(dict.fromkeys(f"policy {name} {verdict.shortfall}" for name, verdict in verdicts
                                        if verdict.shortfall))
        why = "; ".join(shortfalls) or ("no policy that reaches it denies access when aws:MultiFactorAuthPresent "
                                        "is false")
        yield Issue(user.resource.loc, f"IAM user is not forced to use MFA: {why}", user.resource.name)
