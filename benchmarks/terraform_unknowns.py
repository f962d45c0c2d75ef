"""Run the Terraform front end over every module directory under the given paths and print how it went.

    python benchmarks/terraform_unknowns.py /work/shared/corpus [--per-module]
    python benchmarks/terraform_unknowns.py --scaling     # time against module size (synthetic modules)

Prints the number of module directories evaluated, parse errors (and other errors), resources, attribute
values (every Value in resource properties, walked) and how many of them stayed unknown, the most common
reasons, the time taken, and whether any exception escaped.  Works with any version of
`iaclint.terraform.module.load_module` (with or without the ``options`` argument).
"""

from __future__ import annotations

import collections
import inspect
import os
import re
import sys
import time
import traceback

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from iaclint.findings import InputError  # noqa: E402
from iaclint.terraform import module as terraform_module  # noqa: E402

SKIP = {".git", ".terraform", "node_modules", "cdk.out"}


def read_text(path: str) -> str:
    """The engine's reader when there is one (older versions had none: then the same rules here)."""
    try:
        from iaclint.files import read_text as engine_read_text
    except ImportError:
        engine_read_text = None
    if engine_read_text is not None:
        return engine_read_text(path)
    try:
        with open(path, "rb") as handle:
            data = handle.read()
        if b"\x00" in data:
            raise InputError("binary file")
        return data.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read: {exc}") from None


def module_directories(top: str):
    for directory, subdirectories, names in os.walk(top):
        subdirectories[:] = sorted(d for d in subdirectories if d not in SKIP)
        files = sorted(os.path.join(directory, n) for n in names if n.endswith(".tf") or n.endswith(".tf.json"))
        if files:
            yield directory, files


def _reason_kind(reason: str) -> str:
    reason = re.sub(r'"[^"]*"', '"…"', reason)
    reason = re.sub(r"\b(var|local|module|data)\.[\w.\-\[\]\"…]+", r"\1.X", reason)
    reason = re.sub(r"\b[a-z0-9]+_[a-z0-9_]+\.[\w\-]+(\.[\w\-\[\]]+)*", "RESOURCE.ATTR", reason)
    reason = re.sub(r"function \w+\(\)", lambda m: m.group(0), reason)
    return reason[:90]


def synthetic_module(directory: str, size: int) -> None:
    """A module with ``size`` of everything: variables, chained locals, for_each rules, dynamic blocks,
    policy documents and calls of one child module."""
    os.makedirs(os.path.join(directory, "child"), exist_ok=True)
    parts = ['locals {\n  l0 = "10.0.0.0/8"\n']
    parts += [f'  l{i} = "${{local.l{i - 1}}}"\n' for i in range(1, min(size, 50))]
    parts.append('  ports = toset([for p in range(20) : tostring(p)])\n}\n')
    for i in range(size):
        parts.append(f'''
variable "cidr_{i}" {{
  default = {{ a = {{ port = 22, cidr = "0.0.0.0/0" }}, b = {{ port = 443, cidr = local.l{i % 50 if size >= 50 else 0} }} }}
}}
resource "aws_security_group" "sg_{i}" {{
  name = "sg-${{local.l0}}-{i}"
  dynamic "ingress" {{
    for_each = var.cidr_{i}
    content {{
      from_port   = ingress.value.port
      to_port     = ingress.value.port
      cidr_blocks = [ingress.value.cidr]
    }}
  }}
}}
resource "aws_security_group_rule" "r_{i}" {{
  for_each          = local.ports
  type              = "ingress"
  from_port         = each.value
  security_group_id = aws_security_group.sg_{i}.id
}}
data "aws_iam_policy_document" "p_{i}" {{
  statement {{
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::bucket-{i}/*"]
    condition {{
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["true"]
    }}
  }}
}}
resource "aws_iam_policy" "p_{i}" {{
  policy = data.aws_iam_policy_document.p_{i}.json
}}
module "child_{i}" {{
  source = "./child"
  name   = "user-{i}"
}}
''')
    with open(os.path.join(directory, "main.tf"), "w") as handle:
        handle.write("".join(parts))
    with open(os.path.join(directory, "child", "main.tf"), "w") as handle:
        handle.write('variable "name" {}\nresource "aws_iam_user" "u" { name = var.name }\noutput "arn" { value = aws_iam_user.u.arn }\n')


def scaling() -> int:
    """Time `load_module` on synthetic modules of doubling size: evaluation should grow linearly."""
    import tempfile

    takes_options = "options" in inspect.signature(terraform_module.load_module).parameters
    print("size  resources  parse+evaluate  evaluate only  per resource (evaluate)")
    for size in (50, 100, 200, 400, 800):
        with tempfile.TemporaryDirectory() as directory:
            synthetic_module(directory, size)
            files = [os.path.join(directory, "main.tf")]
            args = (directory, files, read_text) + ((None,) if takes_options else ())
            begun = time.perf_counter()
            document, errors = terraform_module.load_module(*args)
            first = time.perf_counter() - begun
            begun = time.perf_counter()
            document, errors = terraform_module.load_module(*args)  # the parse is cached: evaluation alone
            second = time.perf_counter() - begun
            count = len(document.resources)
            print(f"{size:4d}  {count:9d}  {first:13.2f}s  {second:12.2f}s  {1000 * second / max(count, 1):.3f} ms")
    return 0


def main(argv: list[str]) -> int:
    if "--scaling" in argv:
        return scaling()
    paths = [a for a in argv if not a.startswith("--")]
    per_module = "--per-module" in argv
    takes_options = "options" in inspect.signature(terraform_module.load_module).parameters
    modules = parse_errors = other_errors = resources = values = unknown = crashes = 0
    reasons: collections.Counter[str] = collections.Counter()
    slowest: list[tuple[float, str]] = []
    started = time.perf_counter()
    for top in paths:
        for directory, files in module_directories(top):
            modules += 1
            begun = time.perf_counter()
            try:
                if takes_options:
                    document, errors = terraform_module.load_module(directory, files, read_text, None)
                else:
                    document, errors = terraform_module.load_module(directory, files, read_text)
            except Exception:  # the front end must never raise: count and show it
                crashes += 1
                print(f"EXCEPTION in {directory}:", file=sys.stderr)
                traceback.print_exc()
                continue
            elapsed = time.perf_counter() - begun
            slowest.append((elapsed, directory))
            for error in errors:
                if "invalid HCL" in error.message or "invalid JSON" in error.message:
                    parse_errors += 1
                    if per_module:
                        print(f"  parse error: {error}")
                else:
                    other_errors += 1
                    if per_module:
                        print(f"  error: {error}")
            module_values = module_unknown = 0
            for resource in document.resources:
                resources += 1
                for value in resource.properties.walk():
                    module_values += 1
                    if value.is_unknown:
                        module_unknown += 1
                        reasons[_reason_kind(value.reason)] += 1
            values += module_values
            unknown += module_unknown
            if per_module:
                print(f"{directory}: {len(document.resources)} resources, {module_unknown}/{module_values} unknown, {elapsed:.3f}s")
    total = time.perf_counter() - started
    print(f"module directories evaluated: {modules}")
    print(f"exceptions escaped:           {crashes}")
    print(f"parse errors:                 {parse_errors}")
    print(f"other errors:                 {other_errors}")
    print(f"resources (instances):        {resources}")
    print(f"attribute values walked:      {values}")
    print(f"values unknown:               {unknown} ({100.0 * unknown / max(values, 1):.1f}%)")
    print(f"time:                         {total:.2f}s")
    slowest.sort(reverse=True)
    print("slowest modules:")
    for elapsed, directory in slowest[:5]:
        print(f"  {elapsed:.3f}s {directory}")
    print("most common unknown reasons:")
    for reason, count in reasons.most_common(15):
        print(f"  {count:6d}  {reason}")
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
