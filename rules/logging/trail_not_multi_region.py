"""A CloudTrail trail records only the region it is created in.

## What it does
Flags an `AWS::CloudTrail::Trail` whose `IsMultiRegionTrail` is not `true`, and a Terraform
`aws_cloudtrail` whose `is_multi_region_trail` is not `true` (both default to a single region).  In an
account baseline (the `account-baseline` configuration or `--account-baseline`), a baseline path that
declares no trail at all is flagged too, at its first file, line 1 (its single-region trails are flagged
where they are written).

## Why is this bad?
Activity in every other region goes unrecorded: an attacker who launches instances or creates keys in a
region nobody uses leaves no trace.  AWS recommends at least one multi-region trail per account.

## Example
```yaml cloudformation
Resources:
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties:
      IsLogging: true
      S3BucketName: audit-logs
```

```hcl terraform
resource "aws_cloudtrail" "main" {
  name           = "main"
  s3_bucket_name = "audit-logs"
}
```

## Use instead
```yaml cloudformation
Resources:
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties:
      IsLogging: true
      S3BucketName: audit-logs
      IsMultiRegionTrail: true
```

```hcl terraform
resource "aws_cloudtrail" "main" {
  name                  = "main"
  s3_bucket_name        = "audit-logs"
  is_multi_region_trail = true
}
```

## References
- https://docs.aws.amazon.com/awscloudtrail/latest/userguide/receive-cloudtrail-log-files-from-multiple-regions.html
- https://docs.aws.amazon.com/securityhub/latest/userguide/cloudtrail-controls.html#cloudtrail-1
"""

from __future__ import annotations

from iaclint.checks import account_lacks, require_enabled

CODE = "IAC303"
SLUG = "trail-not-multi-region"
SEVERITY = "medium"
CONTROLS = ("FSBP CloudTrail.1", "CIS 3.1")


def check(model, settings):
    for trail in model.trails:
        name = trail.names["multi_region"]
        yield from require_enabled(trail.multi_region, trail.resource, name, "CloudTrail trail records a single region",
                                   f"set {name} to true",
                                   "whether the trail covers every region")
    baseline = model.account_baseline
    if baseline is not None:
        yield from account_lacks(baseline, baseline.declared.trails,
                                 "account baseline has no CloudTrail trail; add one that records every region")
