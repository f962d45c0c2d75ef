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
        "summary": {"findings": len(report.findings), "errors": len(report.errors), "files": report.files_scanned},
    }
    return json.dumps(data, indent=2) + "\n"
