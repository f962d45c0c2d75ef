"""S3: buckets, their public access blocks, versioning and canned ACLs, written inline (CloudFormation) or
as resources of their own (Terraform), joined to their bucket by `link`; and account-wide public access
blocks (Terraform only: CloudFormation has no resource for them)."""

from __future__ import annotations

from ..document import CLOUDFORMATION, TERRAFORM, Resource
from ..model import Bucket, CannedAcl, Model, PublicAccessBlock, Versioning
from .link import own_keys, target_keys
from .reader import Mapping, Source

_BLOCK = {"block_public_acls": "block_public_acls", "block_public_policy": "block_public_policy",
          "ignore_public_acls": "ignore_public_acls", "restrict_public_buckets": "restrict_public_buckets"}

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
        Source(TERRAFORM, "aws_s3_bucket_public_access_block", {"bucket": "bucket", **_BLOCK}),
    ),
    Mapping(PublicAccessBlock, "account_access_blocks", Source(TERRAFORM, "aws_s3_account_public_access_block", _BLOCK)),
    Mapping(
        Versioning, "versionings",
        Source(CLOUDFORMATION, "AWS::S3::Bucket", {"status": "Status"}, each="VersioningConfiguration"),
        Source(TERRAFORM, "aws_s3_bucket_versioning", {"bucket": "bucket",
                                                       "status": "versioning_configuration[*].status"}),
        Source(TERRAFORM, "aws_s3_bucket", {"status": "enabled"}, each="versioning[*]"),  # the provider's older form
    ),
    Mapping(
        CannedAcl, "acls",
        Source(CLOUDFORMATION, "AWS::S3::Bucket", {"acl": "AccessControl"}),
        Source(TERRAFORM, "aws_s3_bucket", {"acl": "acl"}),  # the provider's older form
        Source(TERRAFORM, "aws_s3_bucket_acl", {"bucket": "bucket", "acl": "acl"}),
    ),
)

# How messages name where a bucket's access block and versioning are written.
_WRITTEN_IN = {
    CLOUDFORMATION: {"access_block": "PublicAccessBlockConfiguration", "versioning": "VersioningConfiguration"},
    TERRAFORM: {"access_block": "aws_s3_bucket_public_access_block", "versioning": "aws_s3_bucket_versioning"},
}


def adapt(resource: Resource, model: Model) -> None:
    for bucket in reversed(model.buckets):
        if bucket.resource is not resource:
            break
        bucket.names.update(_WRITTEN_IN[resource.framework])


def link(model: Model) -> None:
    """Give each bucket its keys, and join to it the access block, versioning and ACL written in it or
    naming it (one of its own wins over one written inline).  One naming a bucket that is not known may be
    that of any bucket left without one: it is kept in their ``maybe``."""
    for bucket in model.buckets:
        bucket.keys = own_keys(bucket.resource.name, bucket.name)
    joined = ((model.access_blocks, "access_block"), (model.versionings, "versioning"), (model.acls, "acl"))
    for setting, attribute in joined:
        unplaced = []
        for item in setting:
            if item.bucket is None:  # written inside the bucket itself
                if isinstance(item, CannedAcl) and item.acl is None:
                    continue  # a bucket without an ACL written: nothing to join
                owner = next((b for b in model.buckets if b.resource is item.resource), None)
                if owner is not None and getattr(owner, attribute) is not None:
                    continue
            else:
                wanted = target_keys(item.bucket)
                owner = next((b for b in model.buckets if wanted & b.keys), None)
            if owner is not None:
                setattr(owner, attribute, item)
            elif item.bucket is not None and any(v.is_unknown for v in item.bucket.variants()):
                unplaced.append(item)
        for bucket in model.buckets:
            if unplaced and getattr(bucket, attribute) is None:
                bucket.maybe[attribute] = unplaced[0]
