"""CloudTrail: trails and how they protect and cover what they record."""

from __future__ import annotations

from ..document import CLOUDFORMATION, TERRAFORM
from ..model import Model, Trail
from .link import target_keys
from .reader import Mapping, Source

MAPPINGS = (
    Mapping(
        Trail, "trails",
        Source(CLOUDFORMATION, "AWS::CloudTrail::Trail", {
            "kms_key": "KMSKeyId", "log_validation": "EnableLogFileValidation", "multi_region": "IsMultiRegionTrail",
            "bucket_name": "S3BucketName", "logging": "IsLogging", "log_group": "CloudWatchLogsLogGroupArn",
            "log_role": "CloudWatchLogsRoleArn"}),
        Source(TERRAFORM, "aws_cloudtrail", {
            "kms_key": "kms_key_id", "log_validation": "enable_log_file_validation",
            "multi_region": "is_multi_region_trail", "bucket_name": "s3_bucket_name", "logging": "enable_logging",
            "log_group": "cloud_watch_logs_group_arn", "log_role": "cloud_watch_logs_role_arn"}),
    ),
)


def link(model: Model) -> None:
    """Join each trail to the bucket it writes to, when that bucket is in the scanned files."""
    for trail in model.trails:
        wanted = target_keys(trail.bucket_name) if trail.bucket_name is not None else set()
        trail.bucket = next((bucket for bucket in model.buckets if wanted & bucket.keys), None)
