"""Every Terraform attribute path the adapters read exists in the AWS provider's schema.

The schema is `tests/data/terraform_aws_schema.json.gz`, written by `tools/terraform_aws_schema.py` from the
prebuilt cdktf AWS provider (the only offline copy of the provider schema); the paths come from the adapters'
own declarations, as for CloudFormation.  A misspelt attribute silently misses every case.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from iaclint.adapters import declared_paths
from iaclint.document import TERRAFORM

SCHEMA = json.loads(gzip.decompress((Path(__file__).parent / "data" / "terraform_aws_schema.json.gz").read_bytes()))
CASES = sorted((kind, path) for kind, paths in declared_paths(TERRAFORM).items() for path in paths)


def _exists(kind: str, path: str) -> bool:
    node = SCHEMA.get(kind)
    for part in path.replace("[*]", "").split("."):
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
    return True


@pytest.mark.parametrize(("kind", "path"), CASES, ids=[f"{k}:{p}" for k, p in CASES])
def test_attribute_path_exists_in_the_provider_schema(kind: str, path: str) -> None:
    assert _exists(kind, path), f"{kind} has no attribute {path} in the AWS provider's schema"


def test_every_resource_type_read_is_in_the_provider_schema() -> None:
    assert set(declared_paths(TERRAFORM)) - set(SCHEMA) == set()


def test_known_misspelling_is_caught() -> None:
    assert _exists("aws_cloudtrail", "kms_key_id") and not _exists("aws_cloudtrail", "kms_key_arn")
    assert _exists("aws_security_group", "ingress[*].cidr_blocks[*]")
    assert not _exists("aws_security_group", "ingress[*].cidr_block")
