"""An S3 bucket's public access is not blocked in code, or it is given a public canned ACL.

## What it does
Flags an `AWS::S3::Bucket` or Terraform `aws_s3_bucket` unless all four public access settings —
`BlockPublicAcls`, `BlockPublicPolicy`, `IgnorePublicAcls`, `RestrictPublicBuckets` — are `true`, in the
bucket's own `PublicAccessBlockConfiguration`, a Terraform `aws_s3_bucket_public_access_block` naming it,
or a Terraform `aws_s3_account_public_access_block` (which covers every bucket of the account;
CloudFormation has no resource for it).  The message names the settings that are not on.  A bucket given
the canned ACL `PublicRead` / `PublicReadWrite` (`public-read` / `public-read-write` on `aws_s3_bucket` or
`aws_s3_bucket_acl`) is flagged with high severity.  An access block or ACL of its own whose bucket is known
only at deploy time (`bucket = data.aws_ssm_parameter.name.value`) may be that of any bucket left without
one: what it would decide for them is reported under `--strict` as undecided.

## Why is this bad?
Without the block, one bucket policy or ACL mistake makes the bucket's objects readable — or writable — by
anyone on the internet, the cause of many data leaks.  A public canned ACL is that mistake made on purpose.
S3 turns the block on for buckets created since April 2023, but a template or module that does not set it
does not keep it on: a bucket created before then, or one whose block someone switches off, stays open to
that mistake, and the code does not say so.  The message says "no public access block in the scanned files",
not that public access is allowed.

## Example
```yaml cloudformation
Resources:
  Data:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: team-data
```

```hcl terraform
resource "aws_s3_bucket" "data" {
  bucket = "team-data"
}
```

## Use instead
```yaml cloudformation
Resources:
  Data:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: team-data
      PublicAccessBlockConfiguration:
        BlockPublicAcls: true
        BlockPublicPolicy: true
        IgnorePublicAcls: true
        RestrictPublicBuckets: true
```

```hcl terraform
resource "aws_s3_bucket" "data" {
  bucket = "team-data"
}

resource "aws_s3_bucket_public_access_block" "data" {
  bucket                  = aws_s3_bucket.data.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
```

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
- https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html#s3-1
- https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html#s3-8
"""

from __future__ import annotations

from iaclint.buckets import access_gaps
from iaclint.findings import Issue, Undecided

CODE = "IAC402"
SLUG = "s3-public-access-not-blocked"
SEVERITY = "medium"
CONTROLS = ("FSBP S3.1", "FSBP S3.8", "CIS 2.1.4")

_PUBLIC_ACLS = {"publicread", "publicreadwrite"}  # compared without case or dashes: `PublicRead`, `public-read`


def check(model, settings):
    for bucket in model.buckets:
        yield from _acl(bucket)
        gaps = access_gaps(bucket, model.account_access_blocks)
        if gaps.problem():
            written = gaps.written_off
            block = bucket.access_block
            where = written.loc if written is not None and written.loc else (
                block.resource.loc if block is not None else bucket.resource.loc)
            setting = gaps.missing[0] if gaps.missing else bucket.names["access_block"]
            yield Issue(where, f"S3 bucket {gaps.problem()}; {gaps.fix(bucket)}", bucket.resource.name, setting,
                        origin=written.trace if written is not None else ())
        elif gaps.unknown is not None:
            unknown = gaps.unknown
            yield Undecided(unknown.loc or bucket.resource.loc, "whether the bucket blocks public access",
                            unknown.reason, bucket.resource.name, unknown.trace)


def _acl(bucket):
    acl = bucket.acl
    if acl is None or acl.acl is None:
        yield from _maybe_acl(bucket)
        return
    name = acl.names["acl"]
    variants = list(acl.acl.variants())
    public = [v for v in variants if _public(v)]
    if public:
        first = public[0]
        yield Issue(first.loc or acl.resource.loc, f"S3 bucket is given the public canned ACL {first.raw}; "
                    f"remove {name} or make it private", bucket.resource.name, name, severity="high",
                    origin=first.trace)
        return
    unknown = next((v for v in variants if v.is_unknown), None)
    if unknown is not None:
        yield Undecided(unknown.loc or acl.resource.loc, "whether the bucket's ACL makes it public", unknown.reason,
                        bucket.resource.name, unknown.trace)


def _maybe_acl(bucket):
    """A public (or unknown) ACL naming a bucket that is not known may be this bucket's."""
    acl = bucket.maybe.get("acl")
    if acl is None or acl.acl is None or not any(v.is_unknown or _public(v) for v in acl.acl.variants()):
        return
    target = next(v for v in acl.bucket.variants() if v.is_unknown)
    yield Undecided(target.loc or acl.resource.loc, "whether the bucket is given a public canned ACL", target.reason,
                    bucket.resource.name, target.trace)


def _public(value) -> bool:
    return value.is_str() and value.raw.replace("-", "").lower() in _PUBLIC_ACLS
