"""A CloudTrail trail does not encrypt its log files with a KMS key.

## What it does
Flags an `AWS::CloudTrail::Trail` without `KMSKeyId` and a Terraform `aws_cloudtrail` without
`kms_key_id`.

## Why is this bad?
Trail logs record every API call in the account.  Without SSE-KMS they are protected only by the bucket's
default encryption, and anyone who can read the bucket can read them; a customer managed key adds a
second, separately audited permission and lets you revoke access to the logs.

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
      KMSKeyId: alias/cloudtrail
```

```hcl terraform
resource "aws_cloudtrail" "main" {
  name           = "main"
  s3_bucket_name = "audit-logs"
  kms_key_id     = aws_kms_key.trail.arn
}
```

## References
- https://docs.aws.amazon.com/awscloudtrail/latest/userguide/encrypting-cloudtrail-log-files-with-aws-kms.html
- https://docs.aws.amazon.com/securityhub/latest/userguide/cloudtrail-controls.html#cloudtrail-2
"""

from __future__ import annotations

from iaclint.findings import Issue, Undecided

CODE = "IAC301"
SLUG = "trail-not-encrypted"
SEVERITY = "medium"
CONTROLS = ("FSBP CloudTrail.2", "CIS 3.5")


def check(model, settings):
    for trail in model.trails:
        name = trail.names["kms_key"]
        key = trail.kms_key
        if key is not None and key.is_unknown:
            yield Undecided(key.loc or trail.resource.loc, "whether the trail's logs are encrypted", key.reason,
                            trail.resource.name, key.trace)
            continue
        if key is None or (key.is_known and key.raw in (None, "")):
            where = key.loc if key is not None and key.loc else trail.resource.loc
            yield Issue(where, f"CloudTrail trail does not encrypt its logs with a KMS key; set {name}",
                        trail.resource.name, name, origin=key.trace if key is not None else ())
            continue
        # Set only under a condition (a key when IsProd is true, none otherwise): unencrypted otherwise.
        conditions = [v.when for v in key.variants() if v.is_known and v.raw not in (None, "")]
        resource_when = trail.resource.properties.when
        if conditions and all(len(when) > len(resource_when) for when in conditions):
            only = " or ".join(" and ".join(when[len(resource_when):]) for when in conditions)
            yield Issue(trail.resource.loc, f"CloudTrail trail encrypts its logs with a KMS key only {only}; "
                        f"set {name} unconditionally", trail.resource.name, name)
