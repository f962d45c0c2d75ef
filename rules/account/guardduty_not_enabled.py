"""GuardDuty is not enabled: a detector is disabled, or an account baseline has none.

## What it does
Flags an `AWS::GuardDuty::Detector` whose `Enable` is `false` and a Terraform `aws_guardduty_detector`
whose `enable` is `false` (it defaults to `true`), wherever they are.  In an account baseline (the
`account-baseline` configuration or `--account-baseline`), a baseline path that declares no detector at all
is flagged too, at its first file, line 1; elsewhere a missing detector is not a finding, since no single
template or module is wrong for lacking one.

## Why is this bad?
GuardDuty watches CloudTrail, VPC flow logs and DNS queries for signs of compromise: leaked credentials used
from unusual places, crypto-mining, reconnaissance.  Without a detector in a region, nobody is told.

## Example
```yaml cloudformation
Resources:
  Detector:
    Type: AWS::GuardDuty::Detector
    Properties:
      Enable: false
```

```hcl terraform
resource "aws_guardduty_detector" "main" {
  enable = false
}
```

## Use instead
```yaml cloudformation
Resources:
  Detector:
    Type: AWS::GuardDuty::Detector
    Properties:
      Enable: true
```

```hcl terraform
resource "aws_guardduty_detector" "main" {
  enable = true
}
```

## References
- https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_settingup.html
- https://docs.aws.amazon.com/securityhub/latest/userguide/guardduty-controls.html#guardduty-1
"""

from __future__ import annotations

from iaclint.checks import account_lacks
from iaclint.findings import Issue, Undecided
from iaclint.values import conditions, is_true

CODE = "IAC501"
SLUG = "guardduty-not-enabled"
SEVERITY = "high"
CONTROLS = ("FSBP GuardDuty.1",)


def check(model, settings):
    for detector in model.detectors:
        if detector.enabled is None:
            continue  # on unless written
        name = detector.names["enabled"]
        variants = list(detector.enabled.variants())
        off = next((v for v in variants if v.is_known and not is_true(v)), None)
        unknown = next((v for v in variants if v.is_unknown), None)
        if off is not None:
            yield Issue(off.loc or detector.resource.loc, f"GuardDuty detector is disabled{conditions(off)}; "
                        f"set {name} to true", detector.resource.name, name, origin=off.trace)
        elif unknown is not None:
            yield Undecided(unknown.loc or detector.resource.loc, "whether the GuardDuty detector is enabled",
                            unknown.reason, detector.resource.name, unknown.trace)
    baseline = model.account_baseline
    if baseline is not None:
        # A disabled detector is flagged where it is written: only a baseline without any lacks one.
        yield from account_lacks(baseline, baseline.declared.detectors,
                                 "account baseline has no GuardDuty detector; add one")
