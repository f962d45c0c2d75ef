"""Machine output: one JSON object with the version, findings, notes and errors."""

from __future__ import annotations

import json


def render_json(report) -> str:
    from .. import __version__

    data = {
        "version": __version__,
        "findings": [f.to_dict() for f in report.findings],
        "notes": [n.to_dict() for n in report.notes],
        "errors": [e.to_dict() for e in report.errors],
        "warnings": [w.to_dict() for w in report.warnings],
        # Accepted findings stay visible, each with its "suppression" (kind, justification, source).
        "suppressed": [f.to_dict() for f in report.suppressed],
        "summary": {"findings": len(report.findings), "errors": len(report.errors), "files": report.files_scanned,
                    "suppressed": len(report.suppressed), "baselined": len(report.baselined),
                    "baseline_stale": report.baseline_stale, "warnings": len(report.warnings),
                    "fail_on": report.fail_on, "exit_code": report.exit_code}
                   | ({"baseline": report.baseline_file} if report.baseline_file is not None else {})
                   | ({"compared_with": report.compared_with, "existing": report.existing}
                      if report.compared_with is not None else {})
                   | ({"shown_from": report.shown_from, "below_shown": report.below_shown}
                      if report.shown_from is not None else {}),
    }
    return json.dumps(data, indent=2) + "\n"
