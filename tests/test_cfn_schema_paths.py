"""Every CloudFormation property path the adapters read exists in the resource schemas cfn-lint ships.

The paths come from the adapters' own declarations (what the reader executes and what each service's code
says it reads), not from a list kept beside them.

A misspelt path (trivy's `KmsKeyId` for `KMSKeyId`, KICS's `ManagedPoliciesArns`) silently misses every case.
"""

from __future__ import annotations

import pytest
import subprocess
import sys
from functools import cache
from pathlib import Path

import cfnlint
from cfnlint.schema import PROVIDER_SCHEMA_MANAGER as schema_manager

from iaclint.adapters import declared_paths
from iaclint.document import CLOUDFORMATION

# SAM resources are a transform, not a CloudFormation resource type: cfn-lint has no provider schema for them.
SAM_TYPES = {"AWS::Serverless::Function"}
CASES = sorted((kind, path) for kind, paths in declared_paths(CLOUDFORMATION).items() if kind not in SAM_TYPES
               for path in paths)


ROOT = Path(__file__).resolve().parent.parent
_PROVIDERS = Path(cfnlint.__file__).parent / "data" / "schemas" / "providers"


@cache
def _schema(kind: str) -> dict:
    # us-east-1 has the most types; one it lacks (OpsWorks) is read from a region that has it.
    regions = ["us-east-1"] + sorted(p.stem for p in _PROVIDERS.glob("*-*.json") if p.stem != "us-east-1")
    for region in regions:
        if kind in schema_manager.get_resource_types(region):
            return schema_manager.get_resource_schema(region, kind).schema
    raise AssertionError(f"{kind} is no resource type cfn-lint knows in any region")


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
    assert _exists(_schema(kind), path), f"{kind} has no property {path} in cfn-lint's schema"


def test_known_misspelling_is_caught() -> None:
    schema = _schema("AWS::CloudTrail::Trail")
    assert not _exists(schema, "KmsKeyId")
    assert _exists(schema, "KMSKeyId")


def test_secret_properties_are_what_the_installed_schemas_give() -> None:
    # The committed table is the generator's output; a cfn-lint upgrade that adds types shows up here.
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "cfn_secret_properties.py"), "--check"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
