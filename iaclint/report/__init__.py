"""Renderers: each turns a `Report` into one output format.  A renderer never decides what is a finding."""

from __future__ import annotations

FORMATS = ("text", "json", "sarif", "github", "junit")


def render(report, fmt: str, *, color: bool = False, show_source: bool = False, show_docs_url: bool = False,
           quiet: bool = False) -> str:
    """``show_source`` and ``show_docs_url`` add to the text format (the others carry both already: SARIF
    regions and helpUri); ``quiet`` leaves only its findings and errors."""
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

    return render_text(report, color=color, show_source=show_source, show_docs_url=show_docs_url, quiet=quiet)
