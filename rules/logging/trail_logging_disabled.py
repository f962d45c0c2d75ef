"""A CloudTrail trail is switched off: it records nothing.

## What it does
Flags an `AWS::CloudTrail::Trail` whose `IsLogging` is not `true`, and a Terraform `aws_cloudtrail` whose
`enable_logging` is written `false` (it defaults to on; CloudFormation requires `IsLogging`).

## Why is this bad?
A trail that is not logging delivers no events: API calls in the account go unrecorded while the trail's
presence suggests they are audited.  Turning a trail off is a classic first step of an intruder covering
their tracks; a template should never do it for them.

## Example
```yaml cloudformation
Resources:
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties:
      IsLogging: false
      S3BucketName: audit-logs
```

```hcl terraform
resource "aws_cloudtrail" "main" {
  name           = "main"
  s3_bucket_name = "audit-logs"
  enable_logging = false
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
```

```hcl terraform
resource "aws_cloudtrail" "main" {
  name           = "main"
  s3_bucket_name = "audit-logs"
}
```

## References
- https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-turning-off-logging.html
- https://docs.aws.amazon.com/securityhub/latest/userguide/cloudtrail-controls.html#cloudtrail-1
"""

from __future__ import annotations

from iaclint.checks import require_enabled

CODE = "IAC304"
SLUG = "trail-logging-disabled"
SEVERITY = "high"
CONTROLS = ("FSBP CloudTrail.1", "CIS 3.1")


def check(model, settings):
    for trail in model.trails:
        logging = trail.logging
        if logging is None or (logging.is_known and logging.raw is None):
            continue  # not written: on
        name = trail.names["logging"]
        yield from require_enabled(logging, trail.resource, name, "CloudTrail trail is not logging",
                                   f"set {name} to true", "whether the trail is logging")
