"""CloudTrail: trails and how they protect and cover what they record."""

from __future__ import annotations

from ..document import CLOUDFORMATION, TERRAFORM
from ..model import Trail
from .reader import Mapping, Source

MAPPINGS = (
    Mapping(
        Trail, "trails",
        Source(CLOUDFORMATION, "AWS::CloudTrail::Trail", {
            "kms_key": "KMSKeyId", "log_validation": "EnableLogFileValidation", "multi_region": "IsMultiRegionTrail"}),
        Source(TERRAFORM, "aws_cloudtrail", {
            "kms_key": "kms_key_id", "log_validation": "enable_log_file_validation",
            "multi_region": "is_multi_region_trail"}),
    ),
)
