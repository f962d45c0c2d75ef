"""An IAM identity policy grants full administrator access.

## What it does
Flags a policy of a user, group or role — inline (`Policies`, `AWS::IAM::Policy`, `AWS::IAM::RolePolicy`,
`aws_iam_role_policy`, `inline_policy`…) or customer managed (`AWS::IAM::ManagedPolicy`, `aws_iam_policy`,
attached or not) — with a statement that allows every action on every resource: `"Effect": "Allow"`,
`"Action": "*"` and `"Resource": "*"`.  An `Allow` of `NotAction` on `"Resource": "*"` counts too: it allows
every action but those listed, which is administrator access in all but name (AWS's `PowerUserAccess`
pattern).  It also flags AWS's `AdministratorAccess` managed policy (`arn:aws:iam::aws:policy/AdministratorAccess`)
attached to a user, group or role (`ManagedPolicyArns`, `managed_policy_arns`, `aws_iam_*_policy_attachment`,
`aws_iam_policy_attachment`).

A `Condition` on such a statement does not make it pass: a condition (MFA, a source IP, a tag) narrows who
may use the grant and when, not what it grants, and whoever meets it holds every permission in the account.
This is what AWS Security Hub's IAM.1 control does: it flags any `Allow` of `*` on `*` whatever its
conditions.  A policy, action or resource known only at deploy time that might make the grant full access
is reported under `--strict` as undecided.

## Why is this bad?
Full access to everything defeats least privilege: one leaked credential, one compromised workload or one
mistake can read every secret, delete every resource and create new administrators.  AWS recommends
granting only the actions and resources a task needs.

## Example
```yaml cloudformation
Resources:
  Deployer:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              Service: codebuild.amazonaws.com
            Action: sts:AssumeRole
      Policies:
        - PolicyName: everything
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: "*"
                Resource: "*"
```

```hcl terraform
resource "aws_iam_role_policy_attachment" "admin" {
  role       = "deployer"
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}
```

## Use instead
```yaml cloudformation
Resources:
  Deployer:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              Service: codebuild.amazonaws.com
            Action: sts:AssumeRole
      Policies:
        - PolicyName: deploy-site
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action:
                  - s3:PutObject
                  - s3:DeleteObject
                Resource: arn:aws:s3:::example-site/*
```

```hcl terraform
resource "aws_iam_role_policy_attachment" "read_only" {
  role       = "deployer"
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}
```

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege
- https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-1
- https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AdministratorAccess.html
"""

from __future__ import annotations

from iaclint.findings import Issue, Undecided
from iaclint.iam import ADMIN_POLICY, grants_admin, names_aws_policy
from iaclint.values import conditions

CODE = "IAC105"
SLUG = "admin-policy"
SEVERITY = "high"
CONTROLS = ("FSBP IAM.1", "CIS 1.16")

_FIX = "grant only the actions and resources needed"


def check(model, settings):
    for named in model.identity_policies():
        for statement in named.policy.statements:
            verdict = grants_admin(statement)
            loc = statement.loc or named.resource.loc
            if verdict.grants:
                yield Issue(loc, f"policy {named.name} allows {verdict.how}: full administrator access; {_FIX}",
                            named.resource.name)
            elif verdict.grants is None:
                yield Undecided(loc, f"whether policy {named.name} grants full administrator access",
                                verdict.blocker, named.resource.name)
        if named.policy.unknown_reason:  # a statement that could not be read might be the one
            yield Undecided(named.resource.loc, f"whether policy {named.name} grants full administrator access",
                            named.policy.unknown_reason, named.resource.name)
    for attachment in model.attachments:
        for policy in attachment.policy.variants():
            admin = names_aws_policy(policy, ADMIN_POLICY)
            if admin:
                yield Issue(policy.loc or attachment.loc,
                            f"AWS managed policy {ADMIN_POLICY} attached to an IAM {attachment.principal_kind}"
                            f"{conditions(policy)}: full administrator access; {_FIX}",
                            attachment.resource.name, attachment.path, origin=policy.trace)
            elif admin is None:
                yield Undecided(policy.loc or attachment.loc, f"whether the policy attached is {ADMIN_POLICY}",
                                policy.reason, attachment.resource.name, policy.trace)
