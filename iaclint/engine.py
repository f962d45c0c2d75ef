"""The pipeline: discover → parse → adapt → rules → findings → report."""

from __future__ import annotations

import gc
import os
import re
from dataclasses import replace
from typing import Callable

from .adapters import build_model
from .catalog import Rule, select_rules
from .discover import Targets, discover
from .document import CLOUDFORMATION, Document
from .files import read_text
from .findings import SEVERITY_RANK, Finding, InputError, Issue, Report, ScanError, Undecided
from .model import Model
from .options import ScanOptions

# A Terraform plan (`terraform show -json`) rather than a CloudFormation template.
_LOOKS_LIKE_PLAN = re.compile(r'"planned_values"\s*:')
# The instance part of a resource name: `module.web.` / `module.web["a"].` / `module.web[0].` address
# prefixes, however deep, or the logical ids of the nested stacks (`Network/`) that hold a resource.
_INSTANCE_PREFIX = re.compile(r'^(?:module\.[\w-]+(?:\[[^\]]*\])?\.|[A-Za-z0-9]+/)+')


OptionsFor = Callable[[str], "tuple[str | None, ScanOptions]"]


def scan(paths: list[str] | None = None, options: ScanOptions | None = None, *,
         per_file: OptionsFor | None = None) -> Report:
    """Scan files and directories (default: the current directory) and return every finding and error.

    ``per_file(path)`` gives the options that govern a scanned path and a key naming where they came from
    (the nearest configuration file): each group of paths is scanned with its own.  Without it, ``options``
    govern every path."""
    # Parsed trees are many small long-lived objects: with the default thresholds the cyclic collector
    # keeps rescanning them (measured: 44.8 s -> 37.8 s over ../shared/corpus, same peak memory).
    thresholds = gc.get_threshold()
    gc.set_threshold(50_000, 20, 100)
    try:
        paths = list(paths or ["."])
        targets = discover(paths)
        groups = _grouped(targets, per_file) if per_file else [(options or ScanOptions(), targets)]
        report = Report()
        for missing in targets.missing:
            report.errors.append(ScanError(missing, "no such file or directory"))
        for group_options, group_targets in groups:
            _merge(report, _scan(group_targets, paths, group_options), several=len(groups) > 1)
        if len(groups) == 1:
            report.fail_on = groups[0][0].policy.fail_on
        report.errors = sorted(dict.fromkeys(report.errors), key=lambda e: (e.file, e.line or 0))
        return report
    finally:
        gc.set_threshold(*thresholds)


def _grouped(targets: Targets, per_file: OptionsFor) -> list[tuple[ScanOptions, Targets]]:
    """The discovered units split by the configuration that governs them, in a stable order."""
    groups: dict[str | None, tuple[ScanOptions, Targets]] = {}

    def group(path: str) -> Targets:
        key, options = per_file(path)
        return groups.setdefault(key, (options, Targets()))[1]

    for path in targets.templates:
        group(path).templates.append(path)
        if path in targets.named_templates:
            group(path).named_templates.add(path)
    for directory, files in targets.terraform.items():
        group(directory).terraform[directory] = files
        if directory in targets.named_terraform_dirs:
            group(directory).named_terraform_dirs.add(directory)
    for directory, var_file in targets.terraform_var_files:
        group(directory).terraform_var_files.append((directory, var_file))
        group(directory).named_terraform_dirs.add(directory)
    return [groups[key] for key in sorted(groups, key=lambda k: (k is not None, k or ""))]


def _merge(report: Report, part: Report, *, several: bool) -> None:
    report.findings = sorted(report.findings + part.findings, key=lambda f: f.sort_key)
    report.notes = sorted(report.notes + part.notes, key=lambda f: f.sort_key)
    report.suppressed = sorted(report.suppressed + part.suppressed, key=lambda f: f.sort_key)
    report.baselined = sorted(report.baselined + part.baselined, key=lambda f: f.sort_key)
    report.errors += part.errors
    report.warnings = sorted(report.warnings + part.warnings, key=lambda w: (w.file, w.line or 0, w.message))
    report.files_scanned += part.files_scanned
    report.baseline_stale += part.baseline_stale
    for unit, read in part.units.items():
        report.units.setdefault(unit, set()).update(read)
    if several:  # each finding fails the run by the threshold of the configuration that governs it
        report.fail_on_by_file.update({finding.file: part.fail_on for finding in part.findings})


def _scan(targets: Targets, paths: list[str], options: ScanOptions) -> Report:
    """Scan the discovered ``targets`` with one set of options."""
    rules = select_rules(options.policy.select, options.policy.ignore)
    targets = _without_excluded(targets, options)
    report = Report()
    parameter_files = [os.path.abspath(path) for path in options.inputs.cfn_parameter_files]
    options = _prepared(options, paths, report)
    # Suppressions are read document by document, so no document outlives its own check.
    directives: list = []
    directive_warnings: list = []
    requested = {os.path.abspath(path) for path in targets.requested}
    from . import suppress
    from .accounts import Baselines

    baselines = Baselines(options.inputs.account_baselines)
    for path in baselines.paths:
        if not os.path.exists(path):
            report.errors.append(ScanError(_shown(path), "account baseline: no such file or directory"))
    for unit, document in _documents(targets, options, report):
        # What each unit read, so that only-new (--diff) rescans only the units a change can affect.
        read = report.units.setdefault(unit, set())
        read.update(os.path.abspath(name) for name in [document.path, *document.files, *document.sources])
        if document.framework == CLOUDFORMATION:
            read.update(parameter_files)
        model = _check(document, rules, options, report, requested)
        if model is not None:
            baselines.add(document, model)
        if options.policy.use_suppressions:
            directives.extend(suppress.collect([document], read_text, directive_warnings))
    for account, frameworks, model in baselines.views():
        # The baseline path is a unit: scanned on its own it gives the same account model.
        report.units.setdefault(account.path, set()).update(os.path.abspath(name) for name in account.files)
        _judge(model, account, frameworks, rules, options, report, requested)
    report.findings = _unique(report.findings)
    report.notes = _unique(report.notes)
    # A child module's parse error is met through its caller and again when its directory is scanned.
    report.errors = sorted(dict.fromkeys(report.errors), key=lambda e: (e.file, e.line or 0))
    _settle(report, directives, directive_warnings, options)
    return report


def _documents(targets, options: ScanOptions, report: Report):
    """(unit, document) for every template's and module's documents, one at a time (each is checked, then
    dropped).  A unit is the path that, scanned on its own, gives the same documents."""
    for path in targets.templates:
        yield from ((path, document) for document in _load_template(path, options, report))
    for directory, files in sorted(targets.terraform.items()):
        yield from ((directory, document) for document in _load_module(directory, files, options, report))
    for directory, var_file in targets.terraform_var_files:
        with_file = replace(options, inputs=replace(options.inputs, terraform_var_files=(
            *options.inputs.terraform_var_files, var_file)))
        yield from ((var_file, document) for document in _load_module(directory, [var_file], with_file, report))
    yield from _callers(targets, options, report)


def _callers(targets, options: ScanOptions, report: Report):
    """A named file of a child module or a nested template is evaluated with what its callers pass, too:
    the documents of the modules and templates that use it, which are reported only where a finding's
    chain touches a named file."""
    from .callers import module_callers, repository_root, template_parents

    named = targets.named_terraform_dirs | targets.named_templates
    if not named:
        return
    roots = sorted({repository_root(path) for path in named} - {None})
    scanned = {os.path.abspath(path) for path in [*targets.terraform, *targets.templates]}
    if targets.named_terraform_dirs:
        found = {caller for root in roots for caller in module_callers(targets.named_terraform_dirs, root)}
        for directory in sorted(found):
            if os.path.abspath(directory) not in scanned:
                yield from ((directory, document) for document in _load_module(directory, [], options, report))
    if targets.named_templates:
        found = {parent for root in roots for parent in template_parents(targets.named_templates, root)}
        for path in sorted(found):
            if os.path.abspath(path) not in scanned:  # its own errors are not asked about
                yield from ((path, document) for document in _load_template(path, options, Report()))


def _without_excluded(targets, options: ScanOptions):
    """Drop the files that the `exclude` patterns name (explicitly named files too: pre-commit names them)."""
    if not options.policy.exclude:
        return targets
    from .globs import matches

    def kept(path: str) -> bool:
        return not any(matches(pattern, path) for pattern in options.policy.exclude)

    targets.templates = [path for path in targets.templates if kept(path)]
    targets.terraform = {d: [f for f in files if kept(f)] for d, files in targets.terraform.items()}
    targets.terraform = {d: files for d, files in targets.terraform.items() if files}
    targets.terraform_var_files = [(d, f) for d, f in targets.terraform_var_files if kept(f)]
    return targets


def _settle(report: Report, directives: list, directive_warnings: list, options: ScanOptions) -> None:
    """What the project has decided about the findings: per-file ignores, severity overrides, inline and
    Metadata suppressions, the baseline, and the exit threshold."""
    from .catalog import rule_code
    from .globs import matches

    def code_of(name: str) -> str:
        return rule_code(name) or name

    if options.policy.per_file_ignores:
        report.findings = [
            f for f in report.findings
            if not any(matches(pattern, f.file) and f.code in {code_of(n) for n in names}
                       for pattern, names in options.policy.per_file_ignores)
        ]
    if options.policy.severity:
        overrides = {code_of(name): severity for name, severity in options.policy.severity.items()}
        report.findings = [replace(f, severity=overrides[f.code]) if f.code in overrides else f
                           for f in report.findings]
    from . import suppress

    suppress.apply(report, directives, directive_warnings, options)
    if options.policy.baseline:
        from . import baseline

        baseline.apply(report, options.policy.baseline)
    report.fail_on = options.policy.fail_on


def _load_template(path: str, options: ScanOptions, report: Report) -> list[Document]:
    try:
        text = read_text(path)
    except InputError as exc:
        report.errors.append(ScanError(path, exc.message, exc.line, exc.column))
        return []
    try:
        if path.endswith(".json") and _LOOKS_LIKE_PLAN.search(text):
            from .terraform.plan import load_plan

            document = load_plan(path, text, options.inputs)
            if document is not None:
                report.files_scanned += 1
                return [document]
        documents = _templates(path, text, options, _recording_reader(sources := {}))
    except InputError as exc:
        report.errors.append(ScanError(path, exc.message, exc.line, exc.column))
        return []
    except Exception as exc:  # a reader bug must cost this file only, never the scan; never echo content
        report.errors.append(ScanError(path, f"internal error while reading the file ({type(exc).__name__}); "
                                             "please report it"))
        return []
    sources[path] = text
    for document in documents:
        document.sources = {name: sources[name] for name in document.files if name in sources}
    if documents:
        report.files_scanned += 1
    return documents


def _recording_reader(sources: dict[str, str]):
    """``read_text`` that also keeps what it read, for `Document.sources`."""

    def read(path: str) -> str:
        sources[path] = read_text(path)
        return sources[path]

    return read


def _templates(path: str, text: str, options: ScanOptions, reader) -> list[Document]:
    from .cloudformation.template import load_templates

    return load_templates(path, text, options.inputs, reader)


def _prepared(options: ScanOptions, paths: list[str], report: Report) -> ScanOptions:
    """Options with what every template shares worked out once: CloudFormation parameter files read (a bad
    one is reported once, against itself, and the scan goes on without it) and the roots that nested
    stacks may be read from (the paths the user gave)."""
    changes: dict = {}
    if not options.inputs.scan_roots:
        changes["scan_roots"] = tuple(p if os.path.isdir(p) else (os.path.dirname(p) or ".") for p in paths)
    if options.inputs.cfn_parameter_files:
        from .cloudformation.parameters import ParameterFileError, read_parameter_files

        values: dict[str, str] = {}
        for name in options.inputs.cfn_parameter_files:
            try:
                values.update(read_parameter_files([name], read_text))
            except ParameterFileError as exc:
                report.errors.append(ScanError(exc.file, exc.message, exc.line, exc.column))
        changes["cfn_parameters"] = {**values, **options.inputs.cfn_parameters}
        changes["cfn_parameter_files"] = ()
    return replace(options, inputs=replace(options.inputs, **changes)) if changes else options


def _load_module(directory: str, files: list[str], options: ScanOptions, report: Report) -> list[Document]:
    from .discover import TERRAFORM_SUFFIXES
    from .terraform.embedded import embedded_templates
    from .terraform.module import load_module, module_files

    # Normalised like the discovered names ("t.tf", not "./t.tf"), so a named file is not loaded twice.
    all_files = [os.path.normpath(path) for path in module_files(directory)]
    for name in files:  # a named .tf.json or a file listing missed is still part of the module
        if name not in all_files and name.endswith(TERRAFORM_SUFFIXES):
            all_files.append(name)
    sources: dict[str, str] = {}
    documents, errors = load_module(directory, all_files, _recording_reader(sources), options.inputs)
    documents = documents if isinstance(documents, list) else [documents]
    for document in list(documents):
        embedded, embedded_errors = embedded_templates(document, options.inputs, read_text)
        documents.extend(embedded)
        errors.extend(embedded_errors)
    whole = set(all_files) <= set(files)
    for document in documents:
        document.sources = sources
        document.whole = whole
    report.errors.extend(error for error in errors if error.file in files or error.file not in all_files)
    report.files_scanned += len(files)
    return documents


def _shown(path: str) -> str:
    relative = os.path.relpath(path)
    return path if relative.startswith(os.pardir) else relative


def _check(document: Document, rules: list[Rule], options: ScanOptions, report: Report,
           requested: set[str]) -> Model | None:
    """Judge one document; its model, or None when it could not be built."""
    try:
        model = build_model(document)
    except Exception as exc:  # an adapter bug must not hide the other files' findings
        report.errors.append(ScanError(document.path, f"internal error while reading resources: {exc!r}"))
        return None
    _judge(model, document, (document.framework,), rules, options, report, requested)
    return model


def _judge(model: Model, document: Document, frameworks: tuple[str, ...], rules: list[Rule], options: ScanOptions,
           report: Report, requested: set[str]) -> None:
    """Run the rules that claim one of ``frameworks`` on ``model`` (of ``document``)."""
    for rule in rules:
        if not set(frameworks) & set(rule.frameworks):
            continue
        try:
            for result in rule.check(model, options.settings):
                if not _asked_about(result, document, requested):
                    continue
                if isinstance(result, Issue):
                    report.findings.append(_finding(rule, result, document))
                elif isinstance(result, Undecided) and options.policy.strict:
                    report.notes.append(_note(rule, result, document))
        except Exception as exc:
            report.errors.append(ScanError(document.path, f"internal error in rule {rule.code} {rule.slug}: {exc!r}"))


def _asked_about(result: Issue | Undecided, document: Document, requested: set[str]) -> bool:
    """A finding belongs to every file on its chain: it is reported when its use site or any place its
    value came through was asked about.  A child module's resources are reported through a scanned
    caller only when the caller's directory was scanned as a whole (a named file asks about its chain)."""
    if os.path.abspath(result.loc.file) in requested or any(
            os.path.abspath(step.loc.file) in requested for step in result.origin):
        return True
    return document.whole and result.loc.file not in document.files

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


def _unique(findings: list[Finding]) -> list[Finding]:
    """Sorted, without the findings that are the same finding twice.  A child module's directory (a nested
    template) is also scanned on its own: its ``aws_x.y`` finding is the caller's ``module.m.aws_x.y`` one
    when it says the same about a value from the same places, and only the instance's is kept.  Findings of
    different resources, instances, properties, origins or messages are never merged.  Of exact duplicates
    the most severe is kept, so a medium finding never hides a high one from ``--fail-on``."""

    def position(finding: Finding) -> tuple:
        return (finding.code, finding.file, finding.line, finding.column, finding.path, finding.origin)

    def standalone(finding: Finding) -> tuple:
        # What the instance's finding says with the instance's prefix taken out of the resource and message.
        prefix = _INSTANCE_PREFIX.match(finding.resource).group(0)
        origin = tuple(replace(step, what=step.what.replace(prefix, "")) for step in finding.origin)
        return ((finding.code, finding.file, finding.line, finding.column, finding.path, origin)
                + (finding.message.replace(prefix, ""), finding.severity, finding.resource[len(prefix):]))

    in_instances = {standalone(f) for f in findings if _INSTANCE_PREFIX.match(f.resource)}
    seen: set[tuple] = set()
    unique = []
    for finding in sorted(findings, key=lambda f: (f.file, f.line, f.column, f.code,
                                                   -SEVERITY_RANK.get(f.severity, 0), f.message)):
        key = position(finding) + (finding.resource,)
        if key in seen or (not _INSTANCE_PREFIX.match(finding.resource)
                           and position(finding) + (finding.message, finding.severity, finding.resource)
                           in in_instances):
            continue
        seen.add(key)
        unique.append(finding)
    return sorted(unique, key=lambda f: f.sort_key)
