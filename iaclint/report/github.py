"""GitHub Actions workflow commands (``::error file=…::message``) and the job-summary Markdown.

File paths are repository-relative because GitHub places annotations by path from the checkout root.
"""

from __future__ import annotations

from ..gitrepo import relative_uri, source_root

COMMAND = {"critical": "error", "high": "error", "medium": "warning", "low": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _command(name: str, properties: dict, message: str) -> str:
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
    return f"::{name} {props}::{escape_data(message)}"


def _path(file: str, root: str) -> str:
    return relative_uri(file, root) or file


def render_github(report, *, root: str | None = None) -> str:
    root = root or source_root()
    lines = []
    for finding in report.findings:
        properties = {
            "file": _path(finding.file, root),
            "line": finding.line,
            "endLine": max(finding.end_line, finding.line),
            "col": finding.column,
            "endColumn": finding.end_column,
            "title": f"{finding.code} {finding.slug}",
        }
        if properties["endLine"] != finding.line:  # GitHub only honours columns on one-line annotations
            del properties["col"], properties["endColumn"]
        lines.append(_command(COMMAND.get(finding.severity, "warning"), properties,
                              finding.message + finding.origin_note))
    for note in report.notes:  # --strict: checks that could not be decided never fail a run
        properties = {"file": _path(note.file, root), "line": note.line,
                      "title": f"{note.code} {note.slug} (undecided)"}
        lines.append(_command("notice", properties, note.message + note.origin_note))
    for error in report.errors:
        properties = {"file": _path(error.file, root)}
        if error.line is not None:
            properties["line"] = error.line
        if error.column is not None:
            properties["col"] = error.column
        properties["title"] = "iaclint could not scan this file"
        lines.append(_command("error", properties, error.message))
    for warning in getattr(report, "warnings", ()):
        properties = {"file": _path(warning.file, root)}
        if warning.line is not None:
            properties["line"] = warning.line
        lines.append(_command("warning", properties | {"title": "iaclint"}, warning.message))
    return "".join(line + "\n" for line in lines)


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def render_summary(report, *, root: str | None = None) -> str:
    """Markdown for ``$GITHUB_STEP_SUMMARY``: a count line and a table of findings and errors."""
    root = root or source_root()
    count, errors = len(report.findings), len(report.errors)
    lines = ["## iaclint", ""]
    lines.append(f"{count} finding{'s' if count != 1 else ''}, {errors} error{'s' if errors != 1 else ''} "
                 f"in {report.files_scanned} file{'s' if report.files_scanned != 1 else ''} scanned.")
    if getattr(report, "compared_with", None) is not None:
        lines[-1] += (f" {report.existing} existing finding{'s' if report.existing != 1 else ''} of "
                      f"`{report.compared_with}` not shown.")
    if getattr(report, "baselined", None):
        lines[-1] += (f" {len(report.baselined)} baselined finding{'s' if len(report.baselined) != 1 else ''} "
                      f"of `{report.baseline_file}` not shown.")
    if report.findings:
        lines += ["", "| Severity | Rule | Location | Message |", "| --- | --- | --- | --- |"]
        for f in report.findings:
            where = f"`{_path(f.file, root)}:{f.line}`"
            lines.append(f"| {f.severity} | {f.code} {f.slug} | {_cell(where)} | {_cell(f.message)} |")
    if report.errors:
        lines += ["", "| Error | Location |", "| --- | --- |"]
        for e in report.errors:
            where = f"`{_path(e.file, root)}{'' if e.line is None else f':{e.line}'}`"
            lines.append(f"| {_cell(e.message)} | {_cell(where)} |")
    return "\n".join(lines) + "\n\n"
