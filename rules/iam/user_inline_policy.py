"""An IAM user has a policy embedded in it.

## What it does
Flags a policy embedded in an IAM user: `AWS::IAM::User` `Policies`, `AWS::IAM::Policy` with `Users`,
`AWS::IAM::UserPolicy`; Terraform `aws_iam_user_policy`.

## Why is this bad?
AWS recommends granting permissions to groups and roles, not to individual users.  Permissions written
into each user drift apart, are hard to review, and stay behind when a person changes job.  Inline
policies also cannot be reused or versioned.

## Example
```yaml cloudformation
Resources:
  Alice:
    Type: AWS::IAM::User
    Properties:
      Policies:
        - PolicyName: read-logs
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: logs:GetLogEvents
                Resource: "*"
```

```hcl terraform
resource "aws_iam_user" "alice" {
  name = "alice"
}

resource "aws_iam_user_policy" "read_logs" {
  user   = aws_iam_user.alice.name
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "logs:GetLogEvents", Resource = "*" }] })
}
```

## Use instead
```yaml cloudformation
Resources:
  Readers:
    Type: AWS::IAM::Group
    Properties:
      Policies:
        - PolicyName: read-logs
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: logs:GetLogEvents
                Resource: "*"
```

```hcl terraform
resource "aws_iam_group" "readers" {
  name = "readers"
}

resource "aws_iam_group_policy" "read_logs" {
  group  = aws_iam_group.readers.name
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "logs:GetLogEvents", Resource = "*" }] })
}
```

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html
"""

from __future__ import annotations

from iaclint.findings import Issue

CODE = "IAC101"
SLUG = "user-inline-policy"
SEVERITY = "medium"
CONTROLS = ("FSBP IAM.2", "CIS 1.15")


def check(model, settings):
    for policy in model.inline_policies:
        if policy.principal_kind == "user":
            when = policy.when or policy.principal.when
            yield Issue(policy.loc, f"inline policy embedded in an IAM user{' ' + ' and '.join(when) if when else ''}; "
                        "grant permissions through a group or role", policy.resource.name, policy.path)
