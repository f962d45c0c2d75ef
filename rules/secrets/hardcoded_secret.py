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
from iaclint.secrets import (find_assignments, find_credentials, is_dynamic_reference, is_identifier, is_placeholder,
                             mask, secret_leaves)
from iaclint.values import LITERAL, RESOLVED, Location, conditions

CODE = "IAC001"
SLUG = "hardcoded-secret"
SEVERITY = "critical"
CONTROLS = ("FSBP CodeBuild.2", "FSBP ECS.8")

_IN_SCRIPTS = ("read it at boot from Secrets Manager or Parameter Store (the instance role grants access) instead "
               "of writing it into the script")


def check(model, settings):
    flagged_lines: set[tuple[str, int]] = set()
    yield from _in_properties(model, flagged_lines)
    yield from _in_scripts(model, flagged_lines)
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


def _in_properties(model, flagged_lines):
    # A value handed to a module or nested stack is reported where a resource of it uses the value, if one
    # does: the advice there fits the property.
    for site in sorted(model.secrets, key=lambda site: site.passed_on):
        for value, _ in secret_leaves(site.value):
            if not _written(value) or not isinstance(value.raw, str):
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


def _written(value) -> bool:
    # Written in the template (also when passed literally to a child module or nested stack), or computed from
    # what is (a mapping entry, a Join of literals, a local value).  A default or a value supplied for a
    # parameter or variable is that parameter's business (secret-parameter-exposed).
    return value.origin == LITERAL or (value.origin == RESOLVED and not value.via)


def _in_scripts(model, flagged_lines):
    """Secrets set in user data and cfn-init scripts (``export DB_PASSWORD=…``), at the line that sets them;
    and in base64-encoded user data, which no line of the source shows, at the encoded value."""
    for script in model.scripts:
        value = script.text
        if value.loc is None:
            continue
        source = model.sources.get(value.loc.file, "")
        if not value.is_str() or not _written(value):
            # Known only in part (a parameter or reference substituted in): read the script as written.
            yield from _assignments(_written_text(model, value.loc, source), source, script, flagged_lines)
            continue
        yield from _assignments(script.decoded or value.raw, source, script, flagged_lines)
        if script.decoded is None or value.origin != LITERAL:
            continue  # not encoded, or encoded by a function (base64encode) whose argument the source shows
        hidden = [kind for kind, _ in find_credentials(script.decoded)]
        hidden += [f"secret in {name}" for name, _ in find_assignments(script.decoded)]
        if hidden and (value.loc.file, value.loc.line) not in flagged_lines:
            flagged_lines.add((value.loc.file, value.loc.line))
            yield Issue(value.loc, f"hard-coded {hidden[0]} in base64-encoded {script.what}; {_IN_SCRIPTS}",
                        script.resource.name, script.path, origin=value.trace)


def _assignments(text: str, source: str, script, flagged_lines):
    """Secret-named settings given a literal in ``text``, each at the source line that writes it (one that
    no line writes came from a substituted parameter, or is encoded)."""
    for name, assignment in find_assignments(text):
        at = _line_of(source, assignment, script.text.loc)
        if at is not None and (at.file, at.line) not in flagged_lines:
            flagged_lines.add((at.file, at.line))
            yield Issue(at, f"hard-coded secret in {name} in {script.what}; {_IN_SCRIPTS}", script.resource.name,
                        script.path)


def _written_text(model, start: Location, source: str) -> str:
    """The source from where a value starts to the next resource."""
    below = [loc.line for loc, _ in model.headers if loc.file == start.file and loc.line > start.line]
    lines = source.splitlines()
    return "\n".join(lines[start.line - 1:min(below, default=len(lines) + 1) - 1])


def _line_of(source: str, written: str, start: Location) -> Location | None:
    """Where ``written`` is in the source at or below the value's first line, or None."""
    for number, line in enumerate(source.splitlines()[start.line - 1:], start=start.line):
        column = line.find(written)
        if column >= 0:
            return Location(start.file, number, column + 1)
    return None
