"""An account baseline does not enable Security Hub.

## What it does
In an account baseline (the `account-baseline` configuration or `--account-baseline`), flags a baseline
path that declares no `AWS::SecurityHub::Hub` and no Terraform `aws_securityhub_account`, at the
baseline's first file, line 1.  Elsewhere a missing hub is not a finding: no single template or module is
wrong for lacking one.

## Why is this bad?
Security Hub runs the AWS Foundational Security Best Practices and CIS checks against the deployed account
and gathers GuardDuty, Inspector and Access Analyzer findings in one place.  Without it, drift after
deployment and other services' findings go unseen.

## Example
```yaml cloudformation account-baseline
Resources:
  Detector:
    Type: AWS::GuardDuty::Detector
    Properties:
      Enable: true
```

```hcl terraform account-baseline
resource "aws_guardduty_detector" "main" {
  enable = true
}
```

## Use instead
```yaml cloudformation account-baseline
Resources:
  Hub:
    Type: AWS::SecurityHub::Hub
    Properties:
      EnableDefaultStandards: true
```

```hcl terraform account-baseline
resource "aws_securityhub_account" "main" {
  enable_default_standards = true
}
```

## References
- https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-settingup.html
- https://docs.aws.amazon.com/securityhub/latest/userguide/cis-aws-foundations-benchmark.html
"""

from __future__ import annotations

from iaclint.checks import account_lacks

CODE = "IAC502"
SLUG = "securityhub-not-enabled"
SEVERITY = "medium"
# No Foundational Security Best Practices control checks Security Hub itself (it runs them).
CONTROLS = ("CIS 4.16",)


def check(model, settings):
    baseline = model.account_baseline
    if baseline is not None:
        yield from account_lacks(baseline, baseline.declared.security_hubs,
                                 "account baseline does not enable Security Hub; add it")
