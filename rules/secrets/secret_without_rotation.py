"""A Secrets Manager secret is never rotated.

## What it does
Flags an `AWS::SecretsManager::Secret` that no `AWS::SecretsManager::RotationSchedule` in the scanned files
names in its `SecretId`, and a Terraform `aws_secretsmanager_secret` that no
`aws_secretsmanager_secret_rotation` names in its `secret_id`.

## Why is this bad?
A secret that never changes stays useful to whoever once read it — from a log, a laptop, a former
colleague.  Automatic rotation limits how long a leaked secret works, and proves that the applications
using it can take a new one.

## Example
```yaml cloudformation
Resources:
  DbSecret:
    Type: AWS::SecretsManager::Secret
    Properties:
      Name: app/db
      GenerateSecretString:
        SecretStringTemplate: '{"username": "app"}'
        GenerateStringKey: password
```

```hcl terraform
resource "aws_secretsmanager_secret" "db" {
  name = "app/db"
}
```

## Use instead
```yaml cloudformation
Resources:
  DbSecret:
    Type: AWS::SecretsManager::Secret
    Properties:
      Name: app/db
      GenerateSecretString:
        SecretStringTemplate: '{"username": "app"}'
        GenerateStringKey: password
  DbSecretRotation:
    Type: AWS::SecretsManager::RotationSchedule
    Properties:
      SecretId: !Ref DbSecret
      HostedRotationLambda:
        RotationType: MySQLSingleUser
      RotationRules:
        AutomaticallyAfterDays: 30
```

```hcl terraform
resource "aws_secretsmanager_secret" "db" {
  name = "app/db"
}

resource "aws_secretsmanager_secret_rotation" "db" {
  secret_id           = aws_secretsmanager_secret.db.id
  rotation_lambda_arn = aws_lambda_function.rotate_db.arn
  rotation_rules {
    automatically_after_days = 30
  }
}
```

## References
- https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotating-secrets.html
- https://docs.aws.amazon.com/securityhub/latest/userguide/secretsmanager-controls.html#secretsmanager-1
"""

from __future__ import annotations

from iaclint.findings import Issue, Undecided

CODE = "IAC403"
SLUG = "secret-without-rotation"
SEVERITY = "low"
CONTROLS = ("FSBP SecretsManager.1",)
# Its findings point at the secret resource, not at a secret value: a source snippet may show them.
POINTS_AT_SECRETS = False


def check(model, settings):
    for secret in model.managed_secrets:
        if secret.rotations:
            continue
        if secret.maybe_rotated:  # a schedule whose secret is unknown may be this one's
            named = secret.maybe_rotated[0].secret
            unknown = next(v for v in named.variants() if v.is_unknown)
            yield Undecided(unknown.loc or secret.resource.loc, "whether the secret is rotated", unknown.reason,
                            secret.resource.name, unknown.trace)
            continue
        yield Issue(secret.resource.loc, f"Secrets Manager secret is never rotated; add an {secret.names['rotation']} "
                    "for it", secret.resource.name)
