"""A parameter or variable that carries a secret is not protected.

## What it does
Follows every CloudFormation parameter and Terraform variable that reaches a secret-bearing property
(see `hardcoded-secret`) and flags a CloudFormation parameter that has a non-empty `Default` or lacks
`NoEcho: true`, and a Terraform variable that has a non-empty literal `default` or is not marked
`sensitive = true`.  The finding points at the default (or at the declaration when no default is the
problem), and its origin lists every property the secret reaches.

## Why is this bad?
A default is a hard-coded secret by another name: it sits in the template and is used whenever nobody
overrides it.  Without `NoEcho`, CloudFormation shows the value in the console, in `describe-stacks`
output and in events, to everyone with read access to the stack; without `sensitive`, Terraform prints
it in plan and apply output.

## Example
```yaml cloudformation
Parameters:
  DbPassword:
    Type: String
    Default: changeme123
Resources:
  Database:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      MasterUsername: admin
      MasterUserPassword: !Ref DbPassword
```

```hcl terraform
variable "db_password" {
  default = "changeme123"
}

resource "aws_db_instance" "db" {
  engine   = "postgres"
  username = "admin"
  password = var.db_password
}
```

## Use instead
```yaml cloudformation
Parameters:
  DbPassword:
    Type: String
    NoEcho: true
Resources:
  Database:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      MasterUsername: admin
      MasterUserPassword: !Ref DbPassword
```

```hcl terraform
variable "db_password" {
  sensitive = true
}

resource "aws_db_instance" "db" {
  engine   = "postgres"
  username = "admin"
  password = var.db_password
}
```

## References
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/security-best-practices.html#creds
- https://developer.hashicorp.com/terraform/language/values/variables#suppressing-values-in-cli-output
"""

from __future__ import annotations

from iaclint.findings import Issue
from iaclint.secrets import is_dynamic_reference, is_placeholder, is_secret_name, secret_leaves
from iaclint.values import Step

CODE = "IAC002"
SLUG = "secret-parameter-exposed"
SEVERITY = "high"
CONTROLS: tuple[str, ...] = ()  # no AWS or CIS control covers it


def check(model, settings):
    by_reference = {parameter.reference: parameter for parameter in model.inputs}
    # parameter name -> (the first secret site it reaches, where it reaches each one)
    reached: dict[str, tuple] = {}
    for site in model.secrets:
        if site.unsure is not None:
            continue  # not known to hold a secret: the rules about the value itself say they could not decide
        for value, one_part in secret_leaves(site.value):
            if isinstance(value.raw, str) and is_dynamic_reference(value.raw):
                continue  # the parameter only names where the secret is kept ({{resolve:ssm-secure:/${Env}/x}})
            if value.is_known and (value.raw is None or isinstance(value.raw, bool)):
                continue  # an optional attribute left out, or a flag: no secret travels
            for reference in value.via:
                parameter = by_reference.get(reference)
                if parameter is None:
                    continue
                if one_part and not is_secret_name(parameter.name):
                    continue  # the user name or host of a secret document, not the secret
                first, uses = reached.setdefault(parameter.reference, (site, {}))
                if value.loc is not None:
                    uses.setdefault(Step(value.loc, f"{site.what} of {site.resource.name}"), None)
    for reference, (site, uses) in reached.items():
        parameter = by_reference[reference]
        problems = _problems(parameter)
        if not problems:
            continue
        default = parameter.default
        # About the parameter itself: at its default when it has one, else at its declaration.
        where = default.loc if default is not None and default.loc is not None and _has_value(default) else parameter.loc
        yield Issue(where, f"{parameter.reference} reaches {site.what} of {site.resource.name} "
                    f"but {' and '.join(problems)}", parameter.name, site.path,
                    origin=tuple(uses))


def _problems(parameter) -> list[str]:
    problems = ["has a default value"] if parameter.default is not None and _has_value(parameter.default) else []
    return problems + list(parameter.unprotected)


def _has_value(default) -> bool:
    # A placeholder default ("null", "<token>") holds no secret; the deploy must supply one.
    return default.is_known and default.raw not in (None, "") and not (default.is_str() and is_placeholder(default.raw))
