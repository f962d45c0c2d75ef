"""Write the CloudFormation properties that hold a secret, derived from the resource schemas cfn-lint ships,
to ``iaclint/adapters/cfn_secret_properties.json`` (package data read by the secrets adapter).

A property holds a secret when it is a string (or a list of strings) that a template sets, and its name
says it *is* a secret (Password, Token, PrivateKey, ClientSecret, …), not merely that it names or points at
one (``…Arn``, ``…Id``, ``SecretName``, lengths, TTLs, flags: see ``is_secret_name``).  The names below were
reviewed by hand and are not secrets despite their name.

    python tools/cfn_secret_properties.py            # rewrite the file from the installed cfn-lint
    python tools/cfn_secret_properties.py --check    # exit 1 if the file differs (the test does this)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from iaclint.secrets import is_secret_name  # noqa: E402  (the same judgement the runtime uses)
from generated import write_or_check  # noqa: E402

OUTPUT = ROOT / "iaclint" / "adapters" / "cfn_secret_properties.json"

# Secret-sounding names that hold no secret, beyond what `is_secret_name` already knows: property name → why.
NOT_SECRETS = {
    "AuthorizerCredentials": "the ARN of the role API Gateway assumes",
    "CdnIdentifierSecret": "the ARN of a Secrets Manager secret",
    "DomainJoinServiceAccountSecret": "the ARN of a Secrets Manager secret",
    "SqlServerCredentials": "the ARN of a Secrets Manager secret",
    "RemovePrivateKey": "the id of a key to remove",
    "Credentials": "an ARN, of a role (API Gateway) or a Secrets Manager secret (Kendra)",
}
# Property paths that are not secrets despite their name (a path ends with the property's name).
NOT_SECRET_PATHS = {
    ("AWS::CodeBuild::Project", "Environment.RegistryCredential.Credential"): "the ARN of a Secrets Manager secret",
    ("AWS::Cognito::UserPoolClient", "TokenValidityUnits.AccessToken"): "a unit of time",
    ("AWS::Cognito::UserPoolClient", "TokenValidityUnits.IdToken"): "a unit of time",
    ("AWS::Cognito::UserPoolClient", "TokenValidityUnits.RefreshToken"): "a unit of time",
}
# AppMesh's ``…TLS.Certificate.File.PrivateKey``: the path of a file on the host.
NOT_SECRET_PARENTS = ("File.",)


def _resolve(schema: dict, node: dict, seen: set[str]) -> tuple[dict, set[str]]:
    while isinstance(node, dict) and "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        if name in seen:
            return {}, seen
        seen = seen | {name}
        node = schema.get("definitions", {}).get(name, {})
    return node, seen


def _types(node: dict) -> set[str]:
    kind = node.get("type", ())
    return {kind} if isinstance(kind, str) else set(kind)


def _walk(schema: dict, node: dict, prefix: str, seen: set[str], read_only: set[str]):
    node, seen = _resolve(schema, node, seen)
    for name, child in node.get("properties", {}).items():
        path = f"{prefix}{name}"
        if f"/properties/{path.replace('[*]', '/*').replace('.', '/')}" in read_only:
            continue
        child, child_seen = _resolve(schema, child, seen)
        kinds = _types(child)
        if "array" in kinds:
            items, items_seen = _resolve(schema, child.get("items", {}), child_seen)
            if "string" in _types(items) and is_secret_name(name):
                yield f"{path}[*]"
            elif "object" in _types(items) or "properties" in items:
                yield from _walk(schema, items, f"{path}[*].", items_seen, read_only)
        elif "string" in kinds and is_secret_name(name):
            yield path
        elif "object" in kinds or "properties" in child:
            yield from _walk(schema, child, f"{path}.", child_seen, read_only)


def _regions() -> list[str]:
    import cfnlint

    providers = Path(cfnlint.__file__).parent / "data" / "schemas" / "providers"
    # us-east-1 first: it has the most types; a type found only elsewhere (OpsWorks) is read from there.
    return ["us-east-1"] + sorted(p.stem for p in providers.glob("*-*.json") if p.stem != "us-east-1")


def schemas():
    """Every resource type cfn-lint knows in any region, with its schema: ``(type, schema)``."""
    from cfnlint.schema import PROVIDER_SCHEMA_MANAGER

    seen: set[str] = set()
    for region in _regions():
        for kind in sorted(set(PROVIDER_SCHEMA_MANAGER.get_resource_types(region)) - seen):
            seen.add(kind)
            yield kind, PROVIDER_SCHEMA_MANAGER.get_resource_schema(region, kind).schema


def _is_secret(kind: str, path: str) -> bool:
    name = path.rsplit(".", 1)[-1].removesuffix("[*]")
    return (name not in NOT_SECRETS and (kind, path) not in NOT_SECRET_PATHS
            and not any(f"{parent}{name}" in path for parent in NOT_SECRET_PARENTS))


def secret_properties() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for kind, schema in schemas():
        read_only = set(schema.get("readOnlyProperties", ()))
        paths = sorted({path for path in _walk(schema, schema, "", set(), read_only) if _is_secret(kind, path)})
        if paths:
            found[kind] = paths
    return dict(sorted(found.items()))


def main(argv: list[str]) -> int:
    found = secret_properties()
    return write_or_check(OUTPUT, json.dumps(found, indent=1, sort_keys=True) + "\n",
                          "the installed cfn-lint's schemas", f"{sum(map(len, found.values()))} properties of "
                          f"{len(found)} types", argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
