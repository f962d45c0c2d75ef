"""Baselines: record today's findings so that only new ones are reported.

A finding's fingerprint is its rule code, its file (relative to the baseline file's directory, with ``/``),
its resource (logical id or Terraform address) and its property path — never its line, so findings
survive lines moving and unrelated edits.  Several findings with the same key get an occurrence index in
file order.  The file holds no messages or values, so no secret ever reaches it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from typing import Callable, Iterable

from .findings import Finding, Report

VERSION = 1
# Nested stacks' logical ids before a resource name (`Network/ChildSG`).
_STACK_PATH = re.compile(r"^(?:[A-Za-z0-9]+/)+")


def _relative(file: str, root: str) -> str:
    return os.path.relpath(os.path.abspath(file), root).replace(os.sep, "/")


def _key(finding: Finding, root: str) -> tuple[str, str, str, str]:
    return (finding.code, _relative(finding.file, root), finding.resource, finding.path)


def _earlier_key(finding: Finding, root: str) -> tuple[str, str, str, str]:
    """The key the same finding had when findings were placed where their value was written (the first
    step of the origin chain), nested stack resources went by their own logical id and a Terraform
    variable by its bare name: baselines written then keep matching."""
    file = finding.origin[0].loc.file if finding.origin else finding.file
    resource = _STACK_PATH.sub("", finding.resource)
    if resource.startswith("var.") and finding.code == "IAC002":
        resource = resource[len("var."):]
    return (finding.code, _relative(file, root), resource, finding.path)


def entries(findings: Iterable[Finding], root: str,
            key: Callable[[Finding, str], tuple[str, str, str, str]] = _key) -> list[tuple[dict, Finding]]:
    """(baseline entry, finding) for each finding, with fingerprints made unique by occurrence index."""
    seen: dict[tuple, int] = {}
    result = []
    for finding in sorted(findings, key=lambda f: f.sort_key):
        key_of_finding = key(finding, root)
        occurrence = seen.get(key_of_finding, 0)
        seen[key_of_finding] = occurrence + 1
        digest = hashlib.sha256("\0".join(key_of_finding + (str(occurrence),)).encode()).hexdigest()[:32]
        code, file, resource, path = key_of_finding
        entry = {"fingerprint": digest, "code": code, "file": file, "resource": resource, "path": path,
                 "occurrence": occurrence}
        result.append((entry, finding))
    return result


def _root(baseline_file: str) -> str:
    return os.path.dirname(os.path.abspath(baseline_file))


def write(report: Report, baseline_file: str) -> int:
    """Record the reported findings in ``baseline_file`` (sorted, stable); returns how many."""
    recorded = sorted((entry for entry, _ in entries(report.findings, _root(baseline_file))),
                      key=lambda e: (e["file"], e["code"], e["resource"], e["path"], e["occurrence"]))
    data = {"iaclint-baseline": VERSION, "findings": recorded}
    try:
        with open(baseline_file, "w", encoding="utf-8") as handle:
            handle.write(json.dumps(data, indent=2, sort_keys=True) + "\n")
    except OSError as exc:
        raise ValueError(f"cannot write baseline {baseline_file}: {exc.strerror or exc}") from None
    return len(recorded)


def read(baseline_file: str) -> set[str]:
    """The fingerprints recorded in ``baseline_file``; ValueError when it is missing or not a baseline."""
    try:
        with open(baseline_file, encoding="utf-8") as handle:
            data = json.load(handle)
    except OSError as exc:
        raise ValueError(f"cannot read baseline {baseline_file}: {exc.strerror or exc}") from None
    except (ValueError, UnicodeDecodeError):
        raise ValueError(f"baseline {baseline_file} is not valid JSON") from None
    findings = data.get("findings") if isinstance(data, dict) and data.get("iaclint-baseline") == VERSION else None
    if not isinstance(findings, list) or not all(isinstance(e, dict) and isinstance(e.get("fingerprint"), str)
                                                 for e in findings):
        raise ValueError(f"baseline {baseline_file} is not an iaclint baseline (write one with --write-baseline)")
    return {entry["fingerprint"] for entry in findings}


def apply(report: Report, baseline_file: str) -> None:
    """Move findings recorded in the baseline to ``report.baselined``; count entries no longer found."""
    recorded = read(baseline_file)
    root = _root(baseline_file)
    earlier = {id(finding): entry["fingerprint"] for entry, finding in entries(report.findings, root, _earlier_key)}
    kept = []
    matched: set[str] = set()
    for entry, finding in entries(report.findings, root):
        fingerprint = next((f for f in (entry["fingerprint"], earlier[id(finding)]) if f in recorded), None)
        if fingerprint is not None:
            matched.add(fingerprint)
            report.baselined.append(finding)
        else:
            kept.append(finding)
    report.findings = sorted(kept, key=lambda f: f.sort_key)
    report.baseline_stale = len(recorded - matched)
    relative = os.path.relpath(baseline_file)
    report.baseline_file = baseline_file if relative.startswith(os.pardir) else relative
