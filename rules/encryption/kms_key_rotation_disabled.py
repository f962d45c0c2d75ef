"""A customer managed KMS key is not rotated automatically.

## What it does
Flags a symmetric encryption key — `AWS::KMS::Key` or Terraform `aws_kms_key` without a key spec, or with
`SYMMETRIC_DEFAULT` — whose `EnableKeyRotation` / `enable_key_rotation` is not `true` (the default is off).
Asymmetric and HMAC keys cannot be rotated automatically and are not flagged.

## Why is this bad?
A key that never changes protects more data for longer, and a compromised key keeps working for
everything it ever encrypted.  Automatic rotation replaces the key material yearly at no effort and
without re-encrypting data.

## Example
```yaml cloudformation
Resources:
  Key:
    Type: AWS::KMS::Key
    Properties:
      KeyPolicy:
        Version: "2012-10-17"
        Statement: []
```

```hcl terraform
resource "aws_kms_key" "data" {
  description = "data"
}
```

## Use instead
```yaml cloudformation
Resources:
  Key:
    Type: AWS::KMS::Key
    Properties:
      EnableKeyRotation: true
      KeyPolicy:
        Version: "2012-10-17"
        Statement: []
```

```hcl terraform
resource "aws_kms_key" "data" {
  description         = "data"
  enable_key_rotation = true
}
```

## References
- https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html
- https://docs.aws.amazon.com/securityhub/latest/userguide/kms-controls.html#kms-4
"""

from __future__ import annotations

from iaclint.checks import require_enabled
from iaclint.findings import Undecided

CODE = "IAC401"
SLUG = "kms-key-rotation-disabled"
SEVERITY = "medium"
CONTROLS = ("FSBP KMS.4", "CIS 3.6")


def check(model, settings):
    for key in model.kms_keys:
        spec = key.spec
        if spec is not None and spec.is_str() and spec.raw != "SYMMETRIC_DEFAULT":
            continue  # only symmetric encryption keys rotate automatically
        name = key.names["rotation"]
        findings = list(require_enabled(key.rotation, key.resource, name, "KMS key is not rotated automatically",
                                        f"set {name} to true", "whether the key is rotated"))
        if spec is not None and spec.is_unknown:
            if findings:  # not rotated, but rotation applies only if the key turns out to be symmetric
                yield Undecided(spec.loc or key.resource.loc, "whether this key must be rotated", spec.reason,
                                key.resource.name, spec.trace)
            continue
        yield from findings
