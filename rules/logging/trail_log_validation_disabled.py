"""A CloudTrail trail does not validate the integrity of its log files.

## What it does
Flags an `AWS::CloudTrail::Trail` whose `EnableLogFileValidation` is not `true`, and a Terraform
`aws_cloudtrail` whose `enable_log_file_validation` is not `true` (both default to off).

## Why is this bad?
Without log file validation CloudTrail writes no signed digest files, so nobody can prove that a log file
was not modified or deleted after delivery — the first thing an intruder with bucket access would do.

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
      EnableLogFileValidation: true
```

```hcl terraform
resource "aws_cloudtrail" "main" {
  name                       = "main"
  s3_bucket_name             = "audit-logs"
  enable_log_file_validation = true
}
```

## References
- https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-intro.html
- https://docs.aws.amazon.com/securityhub/latest/userguide/cloudtrail-controls.html#cloudtrail-4
"""

from __future__ import annotations

from iaclint.checks import require_enabled

CODE = "IAC302"
SLUG = "trail-log-validation-disabled"
SEVERITY = "medium"
CONTROLS = ("FSBP CloudTrail.4", "CIS 3.2")


def check(model, settings):
    for trail in model.trails:
        name = trail.names["log_validation"]
        yield from require_enabled(trail.log_validation, trail.resource, name, "CloudTrail trail does not validate its log files",
                                   f"set {name} to true",
                                   "whether log file validation is enabled")
