"""S3: buckets, their public access blocks and versioning, written inline (CloudFormation) or as resources
of their own (Terraform), joined to their bucket by `link`."""

from __future__ import annotations

from ..document import CLOUDFORMATION, TERRAFORM
from ..model import Bucket, Model, PublicAccessBlock, Versioning
from .link import own_keys, reference_keys
from .reader import Mapping, Source

MAPPINGS = (
    Mapping(
        Bucket, "buckets",
        Source(CLOUDFORMATION, "AWS::S3::Bucket", {"name": "BucketName", "object_lock": "ObjectLockEnabled"}),
        Source(TERRAFORM, "aws_s3_bucket", {"name": "bucket", "object_lock": "object_lock_enabled"}),
    ),
    Mapping(
        PublicAccessBlock, "access_blocks",
        Source(CLOUDFORMATION, "AWS::S3::Bucket", {
            "block_public_acls": "BlockPublicAcls", "block_public_policy": "BlockPublicPolicy",
            "ignore_public_acls": "IgnorePublicAcls", "restrict_public_buckets": "RestrictPublicBuckets"},
            each="PublicAccessBlockConfiguration"),
        Source(TERRAFORM, "aws_s3_bucket_public_access_block", {
            "bucket": "bucket", "block_public_acls": "block_public_acls", "block_public_policy": "block_public_policy",
            "ignore_public_acls": "ignore_public_acls", "restrict_public_buckets": "restrict_public_buckets"}),
    ),
    Mapping(
        Versioning, "versionings",
        Source(CLOUDFORMATION, "AWS::S3::Bucket", {"status": "Status"}, each="VersioningConfiguration"),
        Source(TERRAFORM, "aws_s3_bucket_versioning", {"bucket": "bucket",
                                                       "status": "versioning_configuration[*].status"}),
        Source(TERRAFORM, "aws_s3_bucket", {"status": "enabled"}, each="versioning[*]"),  # the provider's older form
    ),
)


def link(model: Model) -> None:
    """Give each bucket its keys, and join to it the access block and versioning written in it or naming it."""
    for bucket in model.buckets:
        bucket.keys = own_keys(bucket.resource.name, bucket.name)
    for setting, attribute in ((model.access_blocks, "access_block"), (model.versionings, "versioning")):
        for item in setting:
            if item.bucket is None:  # written inside the bucket itself
                owner = next((b for b in model.buckets if b.resource is item.resource), None)
            else:
                wanted = reference_keys(item.bucket)
                owner = next((b for b in model.buckets if wanted & b.keys), None)
            if owner is not None:
                setattr(owner, attribute, item)
