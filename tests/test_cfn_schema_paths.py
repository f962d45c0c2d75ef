"""Every CloudFormation property path the adapters read exists in the resource schemas cfn-lint ships.

The paths come from the adapters' own declarations (what the reader executes and what each service's code
says it reads), not from a list kept beside them.

A misspelt path (trivy's `KmsKeyId` for `KMSKeyId`, KICS's `ManagedPoliciesArns`) silently misses every case.
"""

from __future__ import annotations

import pytest
from cfnlint.schema import PROVIDER_SCHEMA_MANAGER as schema_manager

from iaclint.adapters import declared_paths
from iaclint.document import CLOUDFORMATION

# SAM resources are a transform, not a CloudFormation resource type: cfn-lint has no provider schema for them.
SAM_TYPES = {"AWS::Serverless::Function"}
CASES = sorted((kind, path) for kind, paths in declared_paths(CLOUDFORMATION).items() if kind not in SAM_TYPES
               for path in paths)


def _resolve(schema: dict, node: dict) -> dict:
    while "$ref" in node:
        node = schema["definitions"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def _exists(schema: dict, path: str) -> bool:
    node = schema
    for part in path.split("."):
        name, each = (part[:-3], True) if part.endswith("[*]") else (part, False)
        node = _resolve(schema, node)
        properties = node.get("properties", {})
        if name not in properties:
            return False
        node = _resolve(schema, properties[name])
        if each:
            if node.get("type") != "array" and "array" not in node.get("type", []):
                return False
            node = node.get("items", {})
    return True


@pytest.mark.parametrize(("kind", "path"), CASES, ids=[f"{k}:{p}" for k, p in CASES])
def test_property_path_exists_in_cfn_schema(kind: str, path: str) -> None:
    schema = schema_manager.get_resource_schema("us-east-1", kind).schema
    assert _exists(schema, path), f"{kind} has no property {path} in cfn-lint's schema"


def test_known_misspelling_is_caught() -> None:
    schema = schema_manager.get_resource_schema("us-east-1", "AWS::CloudTrail::Trail").schema
    assert not _exists(schema, "KmsKeyId")
    assert _exists(schema, "KMSKeyId")
