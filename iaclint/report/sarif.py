"""SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

Paths are relative to ``%SRCROOT%`` (the git top-level, else the working directory) because code scanning
matches results to files by repository-relative URI.  SARIF regions end *after* the last character
(``endColumn`` is exclusive) while iaclint's ``end_column`` is inclusive, hence the ``+ 1``.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from urllib.parse import quote

from ..gitrepo import relative_uri, source_root

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
# GitHub's scale: over 9.0 critical, 7.0-8.9 high, 4.0-6.9 medium, 0.1-3.9 low.
SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0"}
LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note"}


def render_sarif(report, *, root: str | None = None) -> str:
    from .. import __version__
    from ..catalog import all_rules

    root = root or source_root()
    rules = list(all_rules())
    index = {rule.code: position for position, rule in enumerate(rules)}
    results = [_result(f, index, root) for f in report.findings]
    results += [_result(n, index, root, undecided=True) for n in report.notes]
    # Accepted findings stay in the log, marked suppressed, so code scanning shows them as dismissed.
    results += [_suppressed(f, index, root) for f in getattr(report, "suppressed", ())]
    run = {
        "tool": {
            "driver": {
                "name": "iaclint",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": [_descriptor(rule) for rule in rules],
            }
        },
        "originalUriBaseIds": {SRCROOT: {"uri": Path(root).as_uri().rstrip("/") + "/"}},
        "columnKind": "unicodeCodePoints",
        "invocations": [
            {
                "executionSuccessful": not report.errors,
                "toolExecutionNotifications": [_notification(e, root) for e in report.errors]
                + [_notification(w, root, "warning") for w in getattr(report, "warnings", ())],
            }
        ],
        "results": results,
    }
    sarif = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json.dumps(sarif, indent=2) + "\n"


def _descriptor(rule) -> dict:
    from ..rule_docs import docs_url

    body = rule.details
    descriptor = {
        "id": rule.code,
        "name": rule.slug,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": " ".join(rule.section("What it does").split()) or rule.summary},
        "help": {"text": body, "markdown": body},
        "defaultConfiguration": {"level": LEVEL[rule.severity]},
        "properties": {
            "tags": ["security", rule.area, *rule.frameworks, *rule.controls],
            "security-severity": SECURITY_SEVERITY[rule.severity],
            "precision": "high",
        },
    }
    descriptor["helpUri"] = docs_url(rule)
    return descriptor


def _artifact(path: str, root: str) -> dict:
    relative = relative_uri(path, root)
    if relative is None:  # outside the source root: an absolute URI is the only honest answer
        return {"uri": Path(os.path.abspath(path)).as_uri()}
    return {"uri": quote(relative, safe="/"), "uriBaseId": SRCROOT}


def _region(line: int, column: int, end_line: int, end_column: int) -> dict:
    end_line = max(end_line, line)
    end_column = end_column + 1 if end_line > line else max(end_column + 1, column + 1)
    return {"startLine": line, "startColumn": column, "endLine": end_line, "endColumn": end_column}


def _result(finding, index: dict, root: str, *, undecided: bool = False) -> dict:
    artifact = _artifact(finding.file, root)
    result = {"ruleId": finding.code}
    if finding.code in index:
        result["ruleIndex"] = index[finding.code]
    if undecided:  # a check that could not be decided is something to review, not a failure
        result.update(kind="review", level="none")
    else:
        result.update(kind="fail", level=LEVEL.get(finding.severity, "warning"))
    result["message"] = {"text": f"{finding.slug}: {finding.message}{finding.origin_note}"}
    result["locations"] = [
        {
            "physicalLocation": {
                "artifactLocation": artifact,
                "region": _region(finding.line, finding.column, finding.end_line, finding.end_column),
            },
            **({"logicalLocations": [{"name": finding.resource, "kind": "resource"}]} if finding.resource else {}),
        }
    ]
    if finding.origin:  # where the value was written and each place it travelled through
        result["relatedLocations"] = [
            {
                "id": number,
                "physicalLocation": {
                    "artifactLocation": _artifact(step.loc.file, root),
                    "region": _region(step.loc.line, step.loc.column, step.loc.end_line or step.loc.line,
                                      step.loc.end_column or step.loc.column),
                },
                "message": {"text": step.what},
            }
            for number, step in enumerate(finding.origin, start=1)
        ]
    # Keyed on what the finding is about, not its line, so an alert survives edits above it.
    anchor = finding.path if finding.resource or finding.path else str(finding.line)
    key = "\0".join((finding.code, artifact["uri"], finding.resource, anchor))
    result["partialFingerprints"] = {"iaclint/v1": hashlib.sha256(key.encode()).hexdigest()[:32]}
    # The finding's own severity (a graded finding, a configured override), not only the rule's default.
    result["properties"] = {"severity": finding.severity, "framework": finding.framework}
    if not undecided:
        result["properties"]["security-severity"] = SECURITY_SEVERITY.get(finding.severity, "5.5")
    return result


def _suppressed(finding, index: dict, root: str) -> dict:
    result = _result(finding, index, root)
    suppression = finding.suppression
    entry = {"kind": suppression.kind if suppression else "external", "status": "accepted"}
    if suppression and suppression.justification:
        entry["justification"] = suppression.justification
    result["suppressions"] = [entry]
    return result


def _notification(error, root: str, level: str = "error") -> dict:
    notification = {"level": level, "message": {"text": error.message}}
    location = {"artifactLocation": _artifact(error.file, root)}
    if error.line is not None:
        column = getattr(error, "column", None)
        location["region"] = {"startLine": error.line, **({"startColumn": column} if column else {})}
    notification["locations"] = [{"physicalLocation": location}]
    return notification
