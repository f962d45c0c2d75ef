"""The S3 bucket a CloudTrail trail writes to is open to the public or loses overwritten logs.

## What it does
Flags a trail whose bucket is defined in the scanned files when that bucket does not block all public access
(all four settings of its `PublicAccessBlockConfiguration`, or of a Terraform
`aws_s3_bucket_public_access_block` naming it or an `aws_s3_account_public_access_block`, must be `true`),
or keeps no old versions of its objects: neither versioning (`Status: Enabled`) nor object lock.  The
message names what is missing.  The bucket is found by reference (`!Ref Logs`, `aws_s3_bucket.logs.id`), by
its name, or by the parameter or variable given no value that names both the bucket and the trail's
`S3BucketName` / `s3_bucket_name`.  A trail whose bucket is elsewhere is not judged.  Reported under
`--strict` as undecided: a trail whose bucket name is known only at deploy time, when the scanned files hold
buckets it may name; and an access block or versioning naming a bucket known only at deploy time, which may
be the trail bucket's.

## Why is this bad?
The trail's bucket holds the record of everything done in the account.  A bucket policy or ACL mistake on
a bucket whose public access is not blocked exposes it to the world; without versioning or object lock, a
log file overwritten or deleted by an intruder is gone for good.

## Example
```yaml cloudformation
Resources:
  Logs:
    Type: AWS::S3::Bucket
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties:
      IsLogging: true
      S3BucketName: !Ref Logs
```

```hcl terraform
resource "aws_s3_bucket" "logs" {
  bucket_prefix = "audit-logs"
}

resource "aws_cloudtrail" "main" {
  name           = "main"
  s3_bucket_name = aws_s3_bucket.logs.id
}
```

## Use instead
```yaml cloudformation
Resources:
  Logs:
    Type: AWS::S3::Bucket
    Properties:
      PublicAccessBlockConfiguration:
        BlockPublicAcls: true
        BlockPublicPolicy: true
        IgnorePublicAcls: true
        RestrictPublicBuckets: true
      VersioningConfiguration:
        Status: Enabled
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties:
      IsLogging: true
      S3BucketName: !Ref Logs
```

```hcl terraform
resource "aws_s3_bucket" "logs" {
  bucket_prefix = "audit-logs"
}

resource "aws_s3_bucket_public_access_block" "logs" {
  bucket                  = aws_s3_bucket.logs.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "logs" {
  bucket = aws_s3_bucket.logs.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_cloudtrail" "main" {
  name           = "main"
  s3_bucket_name = aws_s3_bucket.logs.id
}
```

## References
- https://docs.aws.amazon.com/awscloudtrail/latest/userguide/best-practices-security.html
- https://docs.aws.amazon.com/securityhub/latest/userguide/cloudtrail-controls.html#cloudtrail-6
"""

from __future__ import annotations

from iaclint.buckets import access_gaps, keeps_versions, undecided_value
from iaclint.findings import Issue, Undecided

CODE = "IAC305"
SLUG = "trail-bucket-unprotected"
SEVERITY = "medium"
CONTROLS = ("FSBP CloudTrail.6",)


def check(model, settings):
    for trail in model.trails:
        bucket = trail.bucket
        if bucket is None:
            # Written elsewhere: nothing to judge; unless its name is not known and a bucket here may be it.
            named = trail.bucket_name
            unknown = next((v for v in named.variants() if v.is_unknown), None) if named is not None else None
            if unknown is not None and model.buckets:
                yield Undecided(unknown.loc or trail.resource.loc, "whether the trail writes to a bucket of the "
                                "scanned files, and whether that is protected", unknown.reason, trail.resource.name,
                                unknown.trace)
            continue
        gaps = access_gaps(bucket, model.account_access_blocks)
        versions = keeps_versions(bucket)
        problems, fixes = [], []
        if gaps.problem():
            problems.append(gaps.problem())
            fixes.append(gaps.fix(bucket))
        if versions is False:
            problems.append("is neither versioned nor object-locked")
            fixes.append(f"turn on versioning in {bucket.names['versioning']} "
                         f"or set {bucket.names['object_lock']} to true")
        where = trail.bucket_name.loc if trail.bucket_name is not None and trail.bucket_name.loc else trail.resource.loc
        if problems:
            yield Issue(where, f"CloudTrail trail writes its logs to bucket {bucket.resource.name}, which "
                        f"{' and '.join(problems)}; {', and '.join(fixes)}", trail.resource.name,
                        trail.names["bucket_name"])
            continue
        unknown = gaps.unknown or (undecided_value(bucket) if versions is None else None)
        if unknown is not None:
            yield Undecided(unknown.loc or bucket.resource.loc, "whether the trail's bucket is protected",
                            unknown.reason, trail.resource.name, unknown.trace)
