"""Human output: ``path:line:col: CODE [severity] slug: message``, then a summary.

Under a finding, on request: the source around it (``--show-source``, see `iaclint.report.source`) and its
rule's page (``--show-docs-url``: ``= docs: URL``, after the snippet, as ruff puts its ``= help:`` lines).
A finding stays one line that starts with ``path:line:col:``, so tools that match those lines still do."""

from __future__ import annotations

_COLORS = {"critical": "\033[1;31m", "high": "\033[31m", "medium": "\033[33m", "low": "\033[36m"}
_RESET = "\033[0m"


def render_text(report, *, color: bool = False, show_source: bool = False, show_docs_url: bool = False,
                quiet: bool = False) -> str:
    lines = []
    sources = None
    if show_source:
        from .source import Sources

        sources = Sources(report)
    urls = _docs_urls() if show_docs_url else {}
    for finding in report.findings:
        tint, reset = (_COLORS.get(finding.severity, ""), _RESET) if color else ("", "")
        lines.append(f"{finding.file}:{finding.line}:{finding.column}: {finding.code} {tint}[{finding.severity}]{reset} "
                     f"{finding.slug}: {finding.message}{finding.origin_note}")
        snippet = sources.snippet(finding, tint, reset) if sources else []
        lines += snippet
        if finding.code in urls:
            gutter = snippet[0].index("|") if snippet else 2
            lines.append(f"{' ' * gutter}= docs: {urls[finding.code]}")
        if snippet:
            lines.append("")
    for note in () if quiet else report.notes:
        lines.append(f"{note.file}:{note.line}:{note.column}: note: {note.code} {note.slug}: {note.message}"
                     f"{note.origin_note}")
    for error in report.errors:
        lines.append(str(error))
    if quiet:
        return "".join(line + "\n" for line in lines)
    for warning in getattr(report, "warnings", ()):
        lines.append(str(warning))
    lines.append(_summary(report))
    return "\n".join(lines) + "\n"


def _docs_urls() -> dict[str, str]:
    from ..catalog import all_rules
    from ..rule_docs import docs_url

    return {rule.code: docs_url(rule) for rule in all_rules()}


def _summary(report) -> str:
    count = len(report.findings)
    parts = [f"{count} finding{'s' if count != 1 else ''}"]
    if count:
        by_severity = {}
        for finding in report.findings:
            by_severity[finding.severity] = by_severity.get(finding.severity, 0) + 1
        order = ("critical", "high", "medium", "low")
        parts[0] += " (" + ", ".join(f"{by_severity[s]} {s}" for s in order if s in by_severity) + ")"
    if report.notes:
        parts.append(f"{len(report.notes)} undecided")
    # Accepted findings are counted, never listed: the JSON output lists them with their reasons.
    if getattr(report, "suppressed", None):
        parts.append(f"{len(report.suppressed)} suppressed")
    if getattr(report, "baselined", None):
        count = len(report.baselined)
        parts.append(f"{count} baselined finding{'s' if count != 1 else ''} not shown ({report.baseline_file})")
    stale = getattr(report, "baseline_stale", 0)
    if stale:
        parts.append(f"{stale} baseline entr{'ies' if stale != 1 else 'y'} no longer occur{'s' if stale == 1 else ''}")
    if getattr(report, "warnings", None):
        parts.append(f"{len(report.warnings)} warning{'s' if len(report.warnings) != 1 else ''}")
    if report.errors:
        parts.append(f"{len(report.errors)} error{'s' if len(report.errors) != 1 else ''}")
    if getattr(report, "compared_with", None) is not None:
        existing = report.existing
        parts.append(f"{existing} existing finding{'s' if existing != 1 else ''} not shown "
                     f"(--diff {report.compared_with})")
    if getattr(report, "shown_from", None) is not None and report.below_shown:
        parts.append(f"{report.below_shown} below {report.shown_from} not shown (--severity)")
    files = report.files_scanned
    return f"{', '.join(parts)} in {files} file{'s' if files != 1 else ''} scanned"
