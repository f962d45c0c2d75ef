"""A secret is kept in a plain-text SSM parameter.

## What it does
Flags a secret-bearing property (see `hardcoded-secret`) whose value is read from a `String` SSM
parameter, which Parameter Store keeps unencrypted: a `{{resolve:ssm:…}}` dynamic reference, a
CloudFormation parameter of type `AWS::SSM::Parameter::Value<String>`; and an SSM parameter whose name says
it holds a secret (`/prod/db/password`) but whose type is `String`.

## Why is this bad?
A `String` parameter is stored and returned in plain text: everyone who may call `ssm:GetParameter` on it
reads the secret, it is not encrypted with a KMS key you control, and it shows in the console and in
CloudTrail data events.  `SecureString` parameters and Secrets Manager secrets are encrypted, can be
restricted by key policy, and (for Secrets Manager) rotated.

## Example
```yaml cloudformation
Resources:
  Database:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      MasterUsername: admin
      MasterUserPassword: '{{resolve:ssm:/prod/db/password}}'
```

```hcl terraform
resource "aws_ssm_parameter" "db_password" {
  name  = "/prod/db/password"
  type  = "String"
  value = var.db_password
}

variable "db_password" {
  sensitive = true
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
      MasterUserPassword: '{{resolve:ssm-secure:/prod/db/password}}'
```

```hcl terraform
resource "aws_ssm_parameter" "db_password" {
  name  = "/prod/db/password"
  type  = "SecureString"
  value = var.db_password
}

variable "db_password" {
  sensitive = true
}
```

## References
- https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-securestring.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references-ssm-secure-strings.html
- https://docs.aws.amazon.com/secretsmanager/latest/userguide/best-practices.html
"""

from __future__ import annotations

from iaclint.findings import Issue, Undecided
from iaclint.secrets import plaintext_reference, secret_leaves

CODE = "IAC003"
SLUG = "secret-in-plaintext-parameter"
SEVERITY = "medium"
CONTROLS: tuple[str, ...] = ()  # no AWS or CIS control covers it
# Its findings point at where a secret is read from or at the parameter's type, never at a secret value.
POINTS_AT_SECRETS = False

_FIX = "use a SecureString parameter (ssm-secure) or Secrets Manager"


def check(model, settings):
    plaintext_inputs = {item.reference: item for item in model.inputs if item.plaintext_store}
    for site in model.secrets:
        for value, _ in secret_leaves(site.value):
            name = plaintext_reference(value.raw) if value.is_str() else None
            if name is not None:
                yield Issue(value.loc, f"{site.what} of {site.resource.name} is read from the String SSM parameter "
                            f"{name}, which is stored unencrypted; {_FIX}", site.resource.name, site.path,
                            origin=value.trace)
            for reference in value.via:
                source = plaintext_inputs.get(reference)
                if source is not None:
                    yield Issue(value.loc, f"{site.what} of {site.resource.name} comes from {source.name}, read from "
                                f"{source.plaintext_store}, which is stored unencrypted; {_FIX}",
                                site.resource.name, site.path, origin=value.trace)
        yield from _store(site)


def _store(site):
    kind = site.store_type
    if not site.in_parameter_store or kind is None:
        return
    if kind.is_unknown:
        yield Undecided(kind.loc or site.resource.loc, "whether this secret parameter is encrypted", kind.reason,
                        site.resource.name, kind.trace)
    elif kind.is_str() and kind.raw == "String" and site.unsure is not None:
        yield Undecided(kind.loc or site.resource.loc, f"whether {site.what} is a secret", site.unsure.reason,
                        site.resource.name, site.unsure.trace)
    elif kind.is_str() and kind.raw == "String":
        yield Issue(kind.loc or site.resource.loc, f"{site.what} is a secret kept as a String parameter, which is "
                    f"stored unencrypted; {_FIX}", site.resource.name, site.path, origin=kind.trace)
