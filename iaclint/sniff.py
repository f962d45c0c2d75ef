"""Telling from the start of a YAML or JSON file whether it may be a CloudFormation template or a Terraform
plan, without reading it all: a data file too large to scan is skipped, while a template or plan too large
to scan fails the run."""

from __future__ import annotations

import codecs
import re

HEAD_BYTES = 64 * 1024
# Every top-level section CloudFormation accepts (it refuses any other, so a template's first key is one of
# them), with SAM's `Globals`.
TEMPLATE_SECTIONS = frozenset({
    "AWSTemplateFormatVersion", "Description", "Metadata", "Parameters", "Rules", "Mappings", "Conditions",
    "Transform", "Resources", "Outputs", "Globals", "Hooks"})
# The keys of `terraform show -json` that come first as Terraform writes them (format_version) or sorted
# (`jq -S`: applyable, checks, complete, configuration, …).
PLAN_KEYS = frozenset({
    "format_version", "terraform_version", "applyable", "checks", "complete", "configuration", "errored",
    "output_changes", "planned_values", "prior_state", "relevant_attributes", "resource_changes",
    "resource_drift", "timestamp"})

_JSON_KEY = re.compile(r'\{\s*"((?:[^"\\]|\\.)*)"\s*:')
_YAML_KEY = re.compile(r"""(?:"([^"]*)"|'([^']*)'|([^\s"'#:{\[\-?][^:#]*?))\s*:(?:\s|$)""")


def first_key(head: str) -> str | None:
    """The first top-level key of the document that ``head`` starts; "" when the document is not a mapping
    (a list, a scalar); None when ``head`` ends before telling."""
    for line in head.splitlines(keepends=True):
        stripped = line.strip()
        if stripped.startswith("{"):  # JSON, or YAML's flow style
            match = _JSON_KEY.match(head[head.index("{"):])
            return match.group(1) if match else None
        if not line.endswith(("\n", "\r")) and len(head) >= HEAD_BYTES:
            return None  # the line goes on past what was read
        if not stripped or stripped.startswith(("#", "%", "---")):
            continue
        if line[0].isspace() or stripped.startswith("?"):
            return None  # indented content or a complex key first: leave it to the parser
        match = _YAML_KEY.match(line)
        return next(group for group in match.groups() if group is not None).strip() if match else ""
    return None


def may_be_template(path: str) -> bool:
    """Whether the YAML or JSON file ``path`` may hold a template or a plan, from its first top-level key.
    True when that cannot be told (or the file cannot be read): only what is surely data is skipped."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(HEAD_BYTES)
    except OSError:
        return True
    encoding = "utf-16" if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) else "utf-8-sig"
    key = first_key(data.decode(encoding, errors="replace"))
    return key is None or key in TEMPLATE_SECTIONS | PLAN_KEYS
