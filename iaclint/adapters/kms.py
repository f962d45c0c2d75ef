"""KMS: customer managed keys and their rotation."""

from __future__ import annotations

from ..document import CLOUDFORMATION, TERRAFORM
from ..model import KmsKey
from .reader import Mapping, Source

MAPPINGS = (
    Mapping(
        KmsKey, "kms_keys",
        Source(CLOUDFORMATION, "AWS::KMS::Key", {"rotation": "EnableKeyRotation", "spec": "KeySpec"}),
        Source(TERRAFORM, "aws_kms_key", {"rotation": "enable_key_rotation", "spec": "customer_master_key_spec"}),
    ),
)
