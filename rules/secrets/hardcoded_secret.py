"""A secret is written into the template in plain text.

## What it does
Flags a literal value in a property that holds a secret and a recognisable credential anywhere in a string
(AWS access key ids, PEM private keys, GitHub and Slack tokens).  In CloudFormation the secret-bearing
properties are those the resource schemas name (database master passwords, auth tokens, client secrets,
private keys, … of every resource type), plus Secrets Manager `SecretString`, the properties of a custom
resource and the parameters passed to a nested stack whose names say they are secrets.  In Terraform, where
any provider may take a secret, it is every attribute of a resource, data source, provider or module call
whose name says it holds a secret (`password`, `admin_password`, `token`, `api_key`, `client_secret`,
`private_key`, …), nested blocks and maps included.  Everywhere: environment variables and SSM parameters
whose names say they are secret.  Names that only point at a secret (`…Arn`, `…Id`, `SecretName`,
`KmsKeyId`, idempotency tokens), identifiers (ARNs, KMS aliases and key ids), flags and placeholders
(`<PASSWORD>`, `null`) are not secrets; dynamic references (`{{resolve:secretsmanager:…}}`,
`{{resolve:ssm-secure:…}}`), parameters, variables and references are not hard-coded.  The advice fits
the property: a managed master password for a database, a run-time read for an environment variable, the
provider's environment variables for provider credentials.

## Why is this bad?
A template is stored in version control, copied into CI logs and shown in the CloudFormation console
and Terraform state.  A secret written into it is readable by everyone who can read any of those, for
as long as the history exists, and cannot be rotated without a code change.

## Example
```yaml cloudformation
Resources:
  Database:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      MasterUsername: admin
      MasterUserPassword: correct-horse-battery
```

```hcl terraform
resource "aws_db_instance" "db" {
  engine   = "postgres"
  username = "admin"
  password = "correct-horse-battery"
}
```

## Use instead
```yaml cloudformation
Resources:
  Database:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      MasterUsername: admin
      MasterUserPassword: '{{resolve:secretsmanager:prod/db:SecretString:password}}'
```

```hcl terraform
resource "aws_db_instance" "db" {
  engine                      = "postgres"
  username                    = "admin"
  manage_master_user_password = true
}
```

## References
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/security-best-practices.html#creds
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references.html
- https://docs.aws.amazon.com/secretsmanager/latest/userguide/best-practices.html
"""

from __future__ import annotations

from iaclint.findings import Issue, Undecided
from iaclint.secrets import (find_credentials, is_dynamic_reference, is_identifier, is_placeholder, mask,
                             secret_leaves)
from iaclint.values import LITERAL, RESOLVED, Location, conditions

CODE = "IAC001"
SLUG = "hardcoded-secret"
SEVERITY = "critical"

def check(model, settings):
    flagged_lines = set()
    # A value handed to a module or nested stack is reported where a resource of it uses the value, if one
    # does: the advice there fits the property.
    for site in sorted(model.secrets, key=lambda site: site.passed_on):
        for value, _ in secret_leaves(site.value):
            # Written in the template (also when passed literally to a child module or nested stack), or
            # computed from what is (a mapping entry, a Join of literals, a local value).  A default or a
            # value supplied for a parameter or variable is that parameter's business (secret-parameter-exposed).
            written = value.origin == LITERAL or (value.origin == RESOLVED and not value.via)
            if not written or not isinstance(value.raw, str):
                continue
            if (not value.raw.strip() or is_dynamic_reference(value.raw) or is_identifier(value.raw)
                    or is_placeholder(value.raw)):
                continue
            written_at = value.trace[0].loc if value.trace else value.loc
            if (written_at.file, written_at.line) in flagged_lines:
                continue
            flagged_lines.add((written_at.file, written_at.line))
            if site.unsure is not None:
                yield Undecided(value.loc, f"whether {site.what} is a secret", site.unsure.reason, site.resource.name,
                                site.unsure.trace)
                continue
            yield Issue(value.loc, f"hard-coded secret in {site.what} ({mask(value.raw)}){conditions(value)}; "
                        + site.remedy,
                        site.resource.name, site.path, origin=value.trace)
    # Credentials are recognised in the source text itself, so that one hidden in a Fn::Sub body, user
    # data or a comment is found at its exact line and column.
    for file, text in model.sources.items():
        for number, line in enumerate(text.splitlines(), start=1):
            if (file, number) in flagged_lines:
                continue
            for kind, column in find_credentials(line):
                yield Issue(Location(file, number, column), f"hard-coded {kind}; keep credentials out of templates "
                            "(use an IAM role, or Secrets Manager)", model.resource_at(file, number))
                break
