"""Renderers: each turns a `Report` into one output format.  A renderer never decides what is a finding."""

from __future__ import annotations

FORMATS = ("text", "json")


def render(report, fmt: str, *, color: bool = False) -> str:
    if fmt == "json":
        from .json_format import render_json

        return render_json(report)
    from .text import render_text

    return render_text(report, color=color)
