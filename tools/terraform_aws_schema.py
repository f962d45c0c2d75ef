"""Write the attribute and block names of every resource of the Terraform AWS provider and of the provider block,
nested blocks included,
to ``tests/data/terraform_aws_schema.json.gz``, for the test that checks the paths the adapters read.

There is no offline Terraform provider schema on PyPI, but the prebuilt cdktf provider carries the provider's
schema as a jsii assembly whose every property links to its Terraform name.  Usage, with the wheel
downloaded (``pip download --no-deps cdktf-cdktf-provider-aws==21.22.1``)::

    python tools/terraform_aws_schema.py cdktf_cdktf_provider_aws-21.22.1-py3-none-any.whl
"""

from __future__ import annotations

import gzip
import io
import json
import re
import sys
import tarfile
import zipfile
from pathlib import Path

OUTPUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "terraform_aws_schema.json.gz"
# …/docs/resources/db_instance#password, …/docs#access_key (the provider block)
_REGISTRY_LINK = re.compile(r"registry\.terraform\.io/providers/hashicorp/aws/[\d.]+/docs"
                            r"(?:/(resources|data-sources)/(\w+))?#(\w+)")


def assembly(wheel: Path) -> dict:
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".jsii.tgz"))
        with tarfile.open(fileobj=io.BytesIO(archive.read(name))) as bundle:
            member = bundle.extractfile("package/.jsii")
            return json.load(member)


def _link(prop: dict) -> re.Match | None:
    docs = prop.get("docs", {})
    return _REGISTRY_LINK.search(docs.get("summary", "") + " " + docs.get("remarks", ""))


def _struct_of(type_reference: dict, types: dict) -> str | None:
    """The provider struct a property holds, alone or as the elements of a list, if any."""
    while "collection" in type_reference:
        type_reference = type_reference["collection"]["elementtype"]
    if "union" in type_reference:
        found = (_struct_of(option, types) for option in type_reference["union"]["types"])
        return next((fqn for fqn in found if fqn), None)
    fqn = type_reference.get("fqn")
    return fqn if fqn in types and types[fqn].get("datatype") else None


def _fields(types: dict, fqn: str, depth: int = 0) -> dict:
    fields: dict = {}
    for prop in types[fqn].get("properties", []):
        link = _link(prop)
        if not link:
            continue  # cdktf's own meta-arguments (count, provider, lifecycle, …)
        nested = _struct_of(prop["type"], types)
        fields[link.group(3)] = _fields(types, nested, depth + 1) if nested and depth < 8 else None
    return fields


def schema(jsii: dict) -> dict:
    types = jsii["types"]
    resources: dict = {}
    for fqn, kind in types.items():
        # A resource's (or the provider's) top-level configuration; nested blocks named …Config are not.
        top_level = "cdktf.TerraformMetaArguments" in kind.get("interfaces", []) or fqn.endswith(".AwsProviderConfig")
        if kind.get("kind") != "interface" or not top_level:
            continue
        links = {_link(p) for p in kind.get("properties", [])}
        found = {(m.group(1), m.group(2)) for m in links if m}
        if len(found) != 1:
            continue
        section, name = found.pop()
        if section == "resources":
            resources["aws_" + name] = _fields(types, fqn)
        elif section is None:
            resources["provider.aws"] = _fields(types, fqn)
    return dict(sorted(resources.items()))


def main(wheel: str) -> None:
    found = schema(assembly(Path(wheel)))
    OUTPUT.write_bytes(gzip.compress(json.dumps(found, sort_keys=True, separators=(",", ":")).encode(), mtime=0))
    print(f"{len(found)} resource types → {OUTPUT} ({OUTPUT.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main(*sys.argv[1:])
