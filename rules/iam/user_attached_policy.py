"""A managed policy is attached directly to an IAM user.

## What it does
Flags a managed policy attached to an individual user: `AWS::IAM::User` `ManagedPolicyArns`,
`AWS::IAM::ManagedPolicy` `Users`; Terraform `aws_iam_user_policy_attachment` and
`aws_iam_policy_attachment` with `users`.

## Why is this bad?
Permissions granted user by user are hard to audit and are forgotten when people move on.  AWS
recommends attaching policies to groups (for people) or roles (for workloads) and adding users to groups.

## Example
```yaml cloudformation
Resources:
  Alice:
    Type: AWS::IAM::User
    Properties:
      ManagedPolicyArns:
        - arn:aws:iam::aws:policy/ReadOnlyAccess
```

```hcl terraform
resource "aws_iam_user" "alice" {
  name = "alice"
}

resource "aws_iam_user_policy_attachment" "read_only" {
  user       = aws_iam_user.alice.name
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}
```

## Use instead
```yaml cloudformation
Resources:
  Readers:
    Type: AWS::IAM::Group
    Properties:
      ManagedPolicyArns:
        - arn:aws:iam::aws:policy/ReadOnlyAccess
```

```hcl terraform
resource "aws_iam_group" "readers" {
  name = "readers"
}

resource "aws_iam_group_policy_attachment" "read_only" {
  group      = aws_iam_group.readers.name
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}
```

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/id_groups.html
"""

from __future__ import annotations

from iaclint.findings import Issue

CODE = "IAC102"
SLUG = "user-attached-policy"
SEVERITY = "medium"
CONTROLS = ("FSBP IAM.2", "CIS 1.15")


def check(model, settings):
    for attachment in model.attachments:
        if attachment.principal_kind == "user":
            when = attachment.policy.when or attachment.principal.when
            yield Issue(attachment.loc, f"managed policy attached directly to an IAM user"
                        f"{' ' + ' and '.join(when) if when else ''}; attach it to a group or role",
                        attachment.resource.name, attachment.path)
