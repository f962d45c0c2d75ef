"""Suppressions: findings a user has accepted on purpose, with a reason, and optionally until a date.

Two forms:

- an inline comment, one grammar for YAML (``#``) and HCL (``#`` or ``//``)::

      # iaclint:ignore IAC201,open-ingress until=2027-01-31 -- public load balancer

  at the end of the flagged line, or on a comment-only line directly above it (stacked comment lines
  are skipped over).  Directly above a resource (a CloudFormation logical id, a Terraform ``resource``
  block header) it covers the whole resource;
- CloudFormation ``Metadata`` (the only form JSON templates can hold)::

      Metadata: {iaclint: {ignore: [{code: IAC201, reason: "...", until: "2027-01-31"}]}}

  on a resource (its findings) or at template level (every finding of the template).

A suppression that is expired, invalid or, under ``require-reason``, without a reason does not suppress;
each says so as a warning.  Warnings never change the exit status.
"""

from __future__ import annotations

import dataclasses
import datetime
import os
import re
from dataclasses import dataclass, field
from typing import Callable, Iterable

from .document import Document, Resource
from .findings import Finding, InputError, Report, ScanWarning, Suppression
from .options import ScanOptions
from .values import Value

_DIRECTIVE = re.compile(r"iaclint:ignore(?![\w-])(.*)$")
_UNTIL = re.compile(r"until=(\S*)")
_HEREDOC = re.compile(r"<<-?\s*([A-Za-z_][\w-]*)\s*$")
_BLOCK_SCALAR = re.compile(r"(?:^|[:\-]\s*|\s)[|>][+-]?\d*\s*$")


@dataclass(slots=True)
class Directive:
    """One suppression: which rules, where it was written, and what it covers."""

    file: str  # normalised: a module lists `./main.tf` where the command line said `main.tf`
    line: int  # of the comment, or of the Metadata entry
    codes: tuple[str, ...]  # canonical rule codes
    reason: str
    until: datetime.date | None
    lines: frozenset[int] = frozenset()  # findings on these lines of ``file`` …
    resources: frozenset[str] = frozenset()  # … or of these resources of ``file`` …
    whole_file: bool = False  # … or anywhere in ``file`` (template-level Metadata)
    comment: bool = True
    used: set[str] = field(default_factory=set)

    def covers(self, finding: Finding) -> bool:
        """Whether this suppresses ``finding``: at its use site or its resource, or on a line its value came
        from (a reviewed default is accepted once, where it is written)."""
        if finding.code not in self.codes:
            return False
        if os.path.normpath(finding.file) == self.file and (
                self.whole_file or finding.line in self.lines or finding.resource in self.resources):
            return True
        return self.comment and any(os.path.normpath(step.loc.file) == self.file and step.loc.line in self.lines
                                    for step in finding.origin)


def apply(report: Report, directives: list[Directive], warnings: list[ScanWarning], options: ScanOptions) -> None:
    """Move suppressed findings from ``report.findings`` to ``report.suppressed`` and add the warnings.
    ``directives`` and ``warnings`` are what `collect` found, document by document, during the scan."""
    if not options.policy.use_suppressions:
        return
    today = options.policy.today or datetime.date.today()
    warnings = list(warnings)
    active = []
    for directive in directives:
        if directive.until is not None and directive.until < today:
            warnings.append(ScanWarning(directive.file, directive.line,
                                        f"suppression of {_names(directive.codes)} expired on "
                                        f"{directive.until.isoformat()} and no longer applies"))
        elif not directive.reason and options.policy.require_reason:
            warnings.append(ScanWarning(directive.file, directive.line,
                                        f"suppression of {_names(directive.codes)} has no reason and "
                                        "require-reason is set: not applied"))
        else:
            if not directive.reason:
                warnings.append(ScanWarning(directive.file, directive.line,
                                            f"suppression of {_names(directive.codes)} has no reason"))
            active.append(directive)
    kept = []
    for finding in report.findings:
        directive = next((d for d in active if d.covers(finding)), None)
        if directive is None:
            kept.append(finding)
            continue
        directive.used.add(finding.code)
        suppression = Suppression("inSource", directive.reason, f"{directive.file}:{directive.line}")
        report.suppressed.append(dataclasses.replace(finding, suppression=suppression))
    report.findings = kept
    if options.policy.report_unused_suppressions:
        for directive in active:
            unused = [code for code in directive.codes if code not in directive.used]
            if unused:
                warnings.append(ScanWarning(directive.file, directive.line,
                                            f"unused suppression of {_names(tuple(unused))}: no finding matched"))
    report.warnings.extend(dict.fromkeys(warnings))  # once each, in order
    report.warnings.sort(key=lambda w: (w.file, w.line or 0, w.message))


def _names(codes: tuple[str, ...]) -> str:
    return ", ".join(codes)


def collect(documents: list[Document], read_text: Callable[[str], str],
            warnings: list[ScanWarning]) -> list[Directive]:
    """Every suppression written in the documents' files (each file read once) and Metadata."""
    resources_by_file: dict[str, list[Resource]] = {}
    for document in documents:
        for resource in document.resources:
            if resource.loc is not None:
                resources_by_file.setdefault(os.path.normpath(resource.loc.file), []).append(resource)
    # Every file a finding can belong to: the document's own, and those its values came from (tfvars,
    # parameter files, child modules, nested templates).
    files = sorted({os.path.normpath(f) for document in documents
                    for f in [*(document.files or [document.path]), *document.sources]})
    sources = {os.path.normpath(name): text for document in documents for name, text in document.sources.items()}
    directives: list[Directive] = []
    for file in files:
        if file.endswith(".json"):
            continue  # JSON cannot hold comments; its suppressions live in Metadata
        try:
            text = sources[file] if file in sources else read_text(file)
        except InputError:
            continue  # already reported by the scan
        if "iaclint:ignore" not in text:
            continue  # the common case: nothing to parse, and the line scan is the costly part
        directives.extend(_comment_directives(file, text, resources_by_file.get(file, []), warnings))
    seen: set[tuple] = set()
    for document in documents:
        for directive in _metadata_directives(document, warnings):
            key = (directive.file, directive.line, directive.codes, directive.resources, directive.whole_file)
            if key not in seen:
                seen.add(key)
                directives.append(directive)
    return directives


# -- inline comments --------------------------------------------------------------------------------------

def comments(text: str, hcl: bool) -> Iterable[tuple[int, str, bool]]:
    """(line number, comment text, whether the line holds only the comment) for each line with a comment.

    A small scan of each line, not a tokenizer: ``#`` (HCL also ``//``) starts a comment outside quoted
    strings; YAML needs whitespace before ``#`` (``a#b`` is a plain value).  Lines inside HCL heredocs and
    YAML block scalars are content, not comments."""
    lines = text.splitlines()
    heredoc: str | None = None
    block_indent: int | None = None
    for number, line in enumerate(lines, start=1):
        if heredoc is not None:
            if line.strip() == heredoc:
                heredoc = None
            continue
        indent = len(line) - len(line.lstrip())
        if block_indent is not None:
            if not line.strip() or indent > block_indent:
                continue
            block_indent = None
        start, marker = _comment_start(line, hcl)
        code = line if start is None else line[:start]
        if hcl:
            match = _HEREDOC.search(code)
            if match:
                heredoc = match.group(1)
        elif _BLOCK_SCALAR.search(code.rstrip()) and code.strip() not in ("|", ">"):
            block_indent = indent
        if start is not None:
            yield number, line[start + len(marker):], not code.strip()


def _comment_start(line: str, hcl: bool) -> tuple[int | None, str]:
    quote: str | None = None
    previous = " "  # the last non-space character outside strings
    index = 0
    while index < len(line):
        char = line[index]
        if quote is not None:
            if char == "\\" and quote == '"':
                index += 2
                continue
            if char == quote:
                if quote == "'" and line[index + 1:index + 2] == "'":  # YAML '' is an escaped quote
                    index += 2
                    continue
                quote = None
            index += 1
            continue
        if char == '"' or (char == "'" and not hcl and previous in " :-[{,?"):
            quote = char
        elif char == "#" and (hcl or index == 0 or line[index - 1] in " \t"):
            return index, "#"
        elif hcl and line.startswith("//", index):
            return index, "//"
        if not char.isspace():
            previous = char
        index += 1
    return None, ""


def _comment_directives(file: str, text: str, resources: list[Resource],
                        warnings: list[ScanWarning]) -> list[Directive]:
    hcl = file.endswith(".tf")
    found = list(comments(text, hcl))
    comment_only = {number for number, _, alone in found if alone}
    headers: dict[int, list[Resource]] = {}
    for resource in resources:
        headers.setdefault(resource.loc.line, []).append(resource)
    lines = text.splitlines()
    directives = []
    for number, comment, alone in found:
        match = _DIRECTIVE.match(comment.strip())
        if match is None:
            continue
        parsed = _parse(match.group(1), file, number, warnings)
        if parsed is None:
            continue
        codes, until, reason = parsed
        target = number
        if alone:  # a comment-only line covers the next line that is not a comment-only line
            target = number + 1
            while target in comment_only:
                target += 1
        directive = Directive(file, number, codes, reason, until, lines=frozenset({target}))
        if alone and target in headers:
            names = frozenset(r.name for r in headers[target])
            end = max(_resource_end(r, lines, hcl) for r in headers[target])
            directive.resources = names
            directive.lines = frozenset(range(target, end + 1))
        directives.append(directive)
    return directives


def _resource_end(resource: Resource, lines: list[str], hcl: bool) -> int:
    """The last line of a resource: the block's end in HCL; in YAML, the last line indented deeper than
    the logical id (the parsed key location ends at the key)."""
    start = resource.loc.line
    end = max(resource.loc.end_line or start, start)
    if hcl:
        return end
    indent = _indent(lines[start - 1]) if start <= len(lines) else 0
    last = start
    for number in range(start + 1, len(lines) + 1):
        line = lines[number - 1]
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if _indent(line) <= indent:
            break
        last = number
    return max(end, last)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _parse(text: str, file: str, line: int, warnings: list[ScanWarning]):
    """``CODES [until=DATE] [-- reason]`` → (codes, until, reason), or None (with a warning) if invalid."""
    head, separator, reason = text.partition("--")
    until = None
    match = _UNTIL.search(head)
    if match:
        head = head[: match.start()] + head[match.end():]
        until = _date(match.group(1))
        if until is None:
            warnings.append(ScanWarning(file, line, f"invalid suppression: bad date {match.group(0)!r} "
                                                    "(expected until=YYYY-MM-DD)"))
            return None
    names = [name for name in re.split(r"[,\s]+", head.strip()) if name]
    codes = _codes(names, file, line, warnings)
    if codes is None:
        return None
    return codes, until, reason.strip() if separator else ""


def _date(text: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None


def _codes(names: list[str], file: str, line: int, warnings: list[ScanWarning]) -> tuple[str, ...] | None:
    """Canonical codes for codes or slugs; an unknown name is a warning (the others still apply)."""
    from .catalog import rule_code
    if not names:
        warnings.append(ScanWarning(file, line, "invalid suppression: no rule codes "
                                                "(write `iaclint:ignore IAC201 -- reason`)"))
        return None
    codes = []
    for name in names:
        code = rule_code(name)
        if code is None:
            warnings.append(ScanWarning(file, line, f"invalid suppression: unknown rule {name!r}"))
        elif code not in codes:
            codes.append(code)
    return tuple(codes) or None


# -- CloudFormation Metadata ------------------------------------------------------------------------------

def _metadata_directives(document: Document, warnings: list[ScanWarning]) -> list[Directive]:
    directives = []
    if document.metadata is not None:
        for directive in _entries(document.metadata, os.path.normpath(document.path), warnings):
            directive.whole_file = True
            directives.append(directive)
    for resource in document.resources:
        if resource.metadata is None or resource.loc is None:
            continue
        for directive in _entries(resource.metadata, os.path.normpath(resource.loc.file), warnings):
            directive.resources = frozenset({resource.name})
            directives.append(directive)
    return directives


def _entries(metadata: Value, file: str, warnings: list[ScanWarning]) -> list[Directive]:
    section = metadata.get("iaclint")
    if section is None:
        return []
    ignore = section.get("ignore")
    where = (section.loc or metadata.loc).line if (section.loc or metadata.loc) else None
    if ignore is None or not ignore.is_list():
        warnings.append(ScanWarning(file, where, "invalid suppression: Metadata iaclint needs an `ignore` list"))
        return []
    directives = []
    for entry in ignore.raw:
        line = entry.loc.line if entry.loc else where
        code = entry.get("code")
        if not entry.is_map() or code is None:
            warnings.append(ScanWarning(file, line, "invalid suppression: each Metadata iaclint.ignore entry "
                                                    "needs a `code`"))
            continue
        names = [n for v in code.items() if v.is_str() for n in re.split(r"[,\s]+", v.raw) if n]
        codes = _codes(names, file, line, warnings)
        if codes is None:
            continue
        until = None
        until_value = entry.get("until")
        if until_value is not None:
            until = _date(str(until_value.raw))
            if until is None:
                warnings.append(ScanWarning(file, line, f"invalid suppression: bad date 'until={until_value.raw}' "
                                                        "(expected until=YYYY-MM-DD)"))
                continue
        reason = entry.get("reason")
        text = str(reason.raw).strip() if reason is not None and reason.is_known and reason.raw is not None else ""
        directives.append(Directive(file, line, codes, text, until, comment=False))
    return directives
