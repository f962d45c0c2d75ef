"""One unit of a scan judged on its own: a template, a Terraform module directory, a module evaluated with a
variable file Terraform reads only when named, or a module or template read because it calls or nests a named
one.

A unit's result is what it read, every rule's findings and notes before any project decision (selection,
suppressions, severities, baseline, the files named), its errors and the suppression comments its files hold.
Units depend on nothing but their files and the inputs, so they can be judged in other processes and their
results kept in the cache."""

from __future__ import annotations

import gc
import os
import re
from contextlib import nullcontext
from dataclasses import dataclass, field, replace

from .adapters import build_model
from .collector import collector_paused
from .catalog import Rule
from .document import CLOUDFORMATION, TERRAFORM, Document
from .failures import internal_error
from .files import FileTooLarge, read_text
from .findings import Finding, InputError, Issue, Report, ScanError, ScanWarning, Undecided
from .model import Model
from .options import ScanOptions

# A Terraform plan (`terraform show -json`) rather than a CloudFormation template.
_LOOKS_LIKE_PLAN = re.compile(r'"planned_values"\s*:')
# Templates this big (CloudFormation's own limit is 1 MB) are hidden from the cyclic collector while judged;
# for the others it costs little, and a full collection before each would cost more.
HIDDEN_FROM_COLLECTOR_ABOVE = 1024 * 1024

TEMPLATE, MODULE, VAR_FILE, CALLING_MODULE, NESTING_TEMPLATE = (
    "template", "module", "var-file", "calling-module", "nesting-template")


@dataclass(frozen=True, slots=True)
class Unit:
    kind: str
    path: str  # the template, or the module directory
    files: tuple[str, ...] = ()  # a module's named files; a var-file unit's variable file

    @property
    def name(self) -> str:
        """The path that, scanned on its own, gives the same documents (`Report.units`)."""
        return self.files[0] if self.kind == VAR_FILE else self.path


@dataclass(slots=True)
class Judged:
    """A finding or note, and whether it is reported whatever files were named: a child module's resource
    judged through a caller scanned as a whole."""

    finding: Finding
    always: bool


@dataclass(slots=True)
class UnitResult:
    unit: Unit
    read: list[str] = field(default_factory=list)  # absolute paths of every file the unit read
    findings: list[Judged] = field(default_factory=list)
    notes: list[Judged] = field(default_factory=list)
    errors: list[ScanError] = field(default_factory=list)
    files_scanned: int = 0
    directives: list = field(default_factory=list)  # suppress.Directive
    warnings: list[ScanWarning] = field(default_factory=list)
    # (path, how it was read or why it was skipped) for the unit's files (`Report.files`).
    files: list[tuple[str, str]] = field(default_factory=list)
    # Warnings about the unit's files (a data file too large to read), whatever the suppressions.
    notices: list[ScanWarning] = field(default_factory=list)
    # The variables the unit's root Terraform modules declare (a --var naming none of a scan's is a warning).
    variables: list[str] = field(default_factory=list)
    # Documents and their models, kept only for account baselines (never cached nor sent between processes).
    models: list[tuple[Document, Model]] = field(default_factory=list)


def judge_unit(unit: Unit, options: ScanOptions, rules: list[Rule], *, parameter_files: tuple[str, ...] = (),
               keep_models: bool = False) -> UnitResult:
    """Load the unit's documents and run ``rules`` on each, one document at a time.  A CloudFormation
    document also reads the ``parameter_files`` its parameter values came from."""
    from . import suppress

    result = UnitResult(unit)
    sink = Report()
    read: set[str] = set()
    # A template's documents are trees of many small objects without cycles, kept until the unit is judged:
    # the cyclic collector would scan them again and again, for nothing to free (measured on a
    # 50,000-resource template: 0.9 s of 6 s).  They are built with it off, and a big one is hidden from it
    # while it is judged.  Not a Terraform module's: its evaluation pauses the collector itself, and what
    # it leaves (closures, a few values) can hold cycles, which a frozen heap would keep.
    acyclic = unit.kind in (TEMPLATE, NESTING_TEMPLATE)
    try:
        with collector_paused() if acyclic else nullcontext():
            documents = _documents(unit, options, sink, read)
    except Exception as exc:  # the last resort: each file, block, resource and expression has its own
        named = _own_files(unit) or [unit.path]
        sink.errors.append(internal_error(exc, f"reading {unit.path}", fallback_file=named[0]))
        documents = []
    if unit.kind in (MODULE, VAR_FILE, CALLING_MODULE):
        result.variables = sorted({name for document in documents if document.framework == TERRAFORM
                                   for name in document.parameters})
    hidden = acyclic and input_size(unit) >= HIDDEN_FROM_COLLECTOR_ABOVE
    if hidden:
        gc.collect()  # what earlier units left to collect must not be frozen with this one's documents
        gc.freeze()
    try:
        for document in documents:
            sink.errors.extend(document.errors)
            read.update(os.path.abspath(name) for name in [document.path, *document.files, *document.sources])
            if document.framework == CLOUDFORMATION:
                read.update(os.path.abspath(name) for name in parameter_files)
            model = build_model(document, sink.errors)
            judge(model, document, (document.framework,), rules, options, result)
            if keep_models:
                result.models.append((document, model))
            try:
                result.directives.extend(suppress.collect([document], read_text, result.warnings))
            except Exception as exc:
                sink.errors.append(internal_error(exc, "reading suppression comments",
                                                  fallback_file=_first_file(document)))
    finally:
        if hidden:
            gc.unfreeze()
    read.update(os.path.abspath(name) for name in _own_files(unit))
    result.read = sorted(read)
    if unit.kind in (CALLING_MODULE, NESTING_TEMPLATE):  # read for what they pass to a named file
        what = "Terraform module" if unit.kind == CALLING_MODULE else "CloudFormation template"
        result.files = [(unit.path, f"{what} read for context: it uses a named one")]
    else:
        result.files = sink.files
        result.notices = sink.warnings
    if unit.kind != NESTING_TEMPLATE:  # a nesting template's own reading errors are not asked about
        result.errors = sink.errors + result.errors
        result.files_scanned = sink.files_scanned
    return result


def input_size(unit: Unit) -> int:
    """About how much input a unit reads: its template, or its module directory's files."""
    try:
        if unit.kind in (MODULE, VAR_FILE) or os.path.isdir(unit.path):
            return sum(entry.stat().st_size for entry in os.scandir(unit.path) if entry.is_file())
        return os.path.getsize(unit.path)
    except OSError:
        return 0


def judge(model: Model, document: Document, frameworks: tuple[str, ...], rules: list[Rule], options: ScanOptions,
          result: UnitResult) -> None:
    """Run the rules that claim one of ``frameworks`` on ``model`` (of ``document``); a rule that fails loses its
    own findings for this document, nothing else."""
    for rule in rules:
        if not set(frameworks) & set(rule.frameworks):
            continue
        try:
            judged = []
            for outcome in rule.check(model, options.settings):
                always = document.whole and outcome.loc.file not in document.files
                if isinstance(outcome, Issue):
                    judged.append((result.findings, Judged(_finding(rule, outcome, document), always)))
                elif isinstance(outcome, Undecided):
                    judged.append((result.notes, Judged(_note(rule, outcome, document), always)))
        except Exception as exc:
            result.errors.append(internal_error(exc, f"rule {rule.code} {rule.slug}",
                                                fallback_file=_first_file(document)))
            continue
        for into, item in judged:
            into.append(item)


def _first_file(document: Document) -> str:
    """A file of ``document`` to name when nothing more precise is known (a module's path is its directory)."""
    return document.files[0] if document.files else document.path


def _own_files(unit: Unit) -> list[str]:
    if unit.kind in (TEMPLATE, NESTING_TEMPLATE):
        return [unit.path]
    return list(unit.files)


def _documents(unit: Unit, options: ScanOptions, report: Report, read: set[str]) -> list[Document]:
    """The unit's documents; ``read`` gets every file read, whether or not it could be parsed."""
    if unit.kind in (TEMPLATE, NESTING_TEMPLATE):
        return _load_template(unit.path, options, report, read)
    if unit.kind == VAR_FILE:
        with_file = replace(options, inputs=replace(options.inputs, terraform_var_files=(
            *options.inputs.terraform_var_files, *unit.files)))
        return _load_module(unit.path, list(unit.files), with_file, report, read)
    return _load_module(unit.path, list(unit.files), options, report, read)


def _load_template(path: str, options: ScanOptions, report: Report, read: set[str]) -> list[Document]:
    try:
        text = read_text(path)
    except FileTooLarge as exc:
        from .sniff import may_be_template

        if may_be_template(path):
            report.errors.append(ScanError(path, exc.message))
            report.files.append((path, "not scanned: an error"))
        else:  # a data file: only templates and Terraform may fail the run
            why = "skipped: larger than 20 MiB, and not a template or plan"
            report.warnings.append(ScanWarning(path, None, why))
            report.files.append((path, why))
        return []
    except InputError as exc:
        report.errors.append(ScanError(path, exc.message, exc.line, exc.column))
        report.files.append((path, "not scanned: an error"))
        return []
    try:
        if path.endswith(".json") and _LOOKS_LIKE_PLAN.search(text):
            from .terraform.plan import load_plan

            document = load_plan(path, text, options.inputs)
            if document is not None:
                report.files_scanned += 1
                report.files.append((path, "Terraform plan"))
                return [document]
        from .cloudformation.template import load_templates

        sources: dict[str, str] = {}
        documents = load_templates(path, text, options.inputs, _recording_reader(sources, read))
    except InputError as exc:
        report.errors.append(ScanError(path, exc.message, exc.line, exc.column))
        report.files.append((path, "not scanned: an error"))
        return []
    except Exception as exc:  # a reader bug must cost this file only, never the scan; never echo content
        report.errors.append(internal_error(exc, "the reader of this file", fallback_file=path))
        report.files.append((path, "not scanned: an error"))
        return []
    sources[path] = text
    for document in documents:
        document.sources = {name: sources[name] for name in document.files if name in sources}
    if documents:
        report.files_scanned += 1
        nested = len(documents) - 1
        report.files.append((path, "CloudFormation template" + (
            f" with {nested} nested stack{'s' if nested != 1 else ''}" if nested else "")))
    else:
        report.files.append((path, "skipped: not a CloudFormation template or Terraform plan"))
    return documents


def _recording_reader(sources: dict[str, str], read: set[str]):
    """``read_text`` that also keeps what it read, for `Document.sources`, and names every file it was asked
    for (one that could not be read decides the result too)."""

    def recording(path: str) -> str:
        read.add(os.path.abspath(path))
        sources[path] = read_text(path)
        return sources[path]

    return recording


def _load_module(directory: str, files: list[str], options: ScanOptions, report: Report,
                 read: set[str]) -> list[Document]:
    from .discover import TERRAFORM_SUFFIXES
    from .terraform.embedded import embedded_templates
    from .terraform.module import load_module, module_files

    # Normalised like the discovered names ("t.tf", not "./t.tf"), so a named file is not loaded twice.
    all_files = [os.path.normpath(path) for path in module_files(directory)]
    for name in files:  # a named .tf.json or a file listing missed is still part of the module
        if name not in all_files and name.endswith(TERRAFORM_SUFFIXES):
            all_files.append(name)
    read.update(os.path.abspath(name) for name in all_files)
    sources: dict[str, str] = {}
    reader = _recording_reader(sources, read)
    documents, errors = load_module(directory, all_files, reader, options.inputs)
    documents = documents if isinstance(documents, list) else [documents]
    for document in list(documents):
        embedded, embedded_errors = embedded_templates(document, options.inputs, reader)
        documents.extend(embedded)
        errors.extend(embedded_errors)
    whole = set(all_files) <= set(files)
    for document in documents:
        document.sources = sources
        document.whole = whole
    report.errors.extend(error for error in errors if error.file in files or error.file not in all_files)
    report.files_scanned += len(files)
    from .discover import TFVARS_SUFFIXES

    report.files += [(name, f"Terraform variables of module {directory}" if name.endswith(TFVARS_SUFFIXES)
                      else f"Terraform module {directory}") for name in files]
    return documents


def _finding(rule: Rule, issue: Issue, document: Document) -> Finding:
    loc = issue.loc
    return Finding(
        code=rule.code,
        slug=rule.slug,
        severity=issue.severity or rule.severity,
        message=issue.message,
        file=loc.file,
        line=loc.line,
        column=loc.column,
        end_line=loc.end_line or loc.line,
        end_column=loc.end_column or loc.column,
        framework=document.framework,
        resource=issue.resource,
        path=issue.path,
        origin=issue.origin,
        controls=rule.controls,
    )


def _note(rule: Rule, undecided: Undecided, document: Document) -> Finding:
    issue = Issue(undecided.loc, f"could not decide {undecided.what}: {undecided.blocker}", undecided.resource,
                  severity="low", origin=undecided.origin)
    return _finding(rule, issue, document)
