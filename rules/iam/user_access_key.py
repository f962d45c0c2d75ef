"""An IAM user is given a long-lived access key.

## What it does
Flags `AWS::IAM::AccessKey` and Terraform `aws_iam_access_key`: an access key created for an IAM user.

## Why is this bad?
An access key does not expire.  It ends up in CI variables, laptops and logs, and works from anywhere until
someone notices and deletes it.  AWS recommends roles with temporary credentials instead: an instance
profile, a task or function role, OIDC federation for CI, IAM Identity Center for people.  A key created by
a template is also readable by whoever can read the stack's outputs or the Terraform state.

## Example
```yaml cloudformation
Resources:
  DeployKey:
    Type: AWS::IAM::AccessKey
    Properties:
      UserName: deploy
```

```hcl terraform
resource "aws_iam_access_key" "deploy" {
  user = "deploy"
}
```

## Use instead
```yaml cloudformation
Resources:
  DeployRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              Federated: arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com
            Action: sts:AssumeRoleWithWebIdentity
```

```hcl terraform
resource "aws_iam_role" "deploy" {
  name = "deploy"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com" }
      Action    = "sts:AssumeRoleWithWebIdentity"
    }]
  })
}
```

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#bp-workloads-use-roles
- https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html
"""

from __future__ import annotations

from iaclint.findings import Issue

CODE = "IAC104"
SLUG = "user-access-key"
SEVERITY = "medium"
CONTROLS = ("FSBP IAM.3", "CIS 1.11", "CIS 1.14")


def check(model, settings):
    for key in model.access_keys:
        yield Issue(key.resource.loc, "long-lived access key for an IAM user; use a role with temporary "
                    "credentials instead", key.resource.name)
