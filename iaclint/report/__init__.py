"""Renderers: each turns a `Report` into one output format.  A renderer never decides what is a finding."""

from __future__ import annotations

FORMATS = ("text", "json", "sarif", "github", "junit")


def render(report, fmt: str, *, color: bool = False) -> str:
    if fmt == "json":
        from .json_format import render_json

        return render_json(report)
    if fmt == "sarif":
        from .sarif import render_sarif

        return render_sarif(report)
    if fmt == "github":
        from .github import render_github

        return render_github(report)
    if fmt == "junit":
        from .junit import render_junit

        return render_junit(report)
    from .text import render_text

    return render_text(report, color=color)
