"""The pipeline: discover → parse → adapt → rules → findings → report."""

from __future__ import annotations

import gc
import os
import re
from dataclasses import replace
from typing import Callable

from .catalog import select_rules
from .discover import Targets, discover
from .files import read_text
from .findings import SEVERITY_RANK, Finding, Report, ScanError, ScanWarning
from .options import ScanOptions
from .units import CALLING_MODULE, MODULE, NESTING_TEMPLATE, TEMPLATE, VAR_FILE, Judged, Unit, UnitResult, judge
# The instance part of a resource name: `module.web.` / `module.web["a"].` / `module.web[0].` address
# prefixes, however deep, or the logical ids of the nested stacks (`Network/`) that hold a resource.
_INSTANCE_PREFIX = re.compile(r'^(?:module\.[\w-]+(?:\[[^\]]*\])?\.|[A-Za-z0-9]+/)+')


# Where a warning about a command-line value points.
COMMAND_LINE = "command line"

OptionsFor = Callable[[str], "tuple[str | None, ScanOptions]"]


def scan(paths: list[str] | None = None, options: ScanOptions | None = None, *,
         per_file: OptionsFor | None = None, jobs: int = 1, cache_dir: str | None = None, progress=None) -> Report:
    """Scan files and directories (default: the current directory) and return every finding and error.

    ``per_file(path)`` gives the options that govern a scanned path and a key naming where they came from
    (the nearest configuration file): each group of paths is scanned with its own.  Without it, ``options``
    govern every path.  ``jobs`` processes share the work when there is enough of it; ``cache_dir`` keeps
    each unit's result for the next scan (see `iaclint.cache`).  Neither changes the report.  ``progress``
    (see `iaclint.progress`) is told of each unit started and finished, and closed at the end."""
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
            report.errors.append(ScanError(missing, "no such file or directory" + _subcommand_hint(missing)))
        report.files += targets.skipped
        for empty in targets.empty:  # a mistyped path in CI must not pass unseen
            report.warnings.append(ScanWarning(empty, None, "nothing to scan: no template or Terraform file here"))
        for named in targets.unreadable:
            report.warnings.append(ScanWarning(named, None, "nothing to scan: iaclint reads YAML, JSON, .template "
                                                            "and Terraform files"))
            report.files.append((named, "skipped: not a YAML, JSON, .template or Terraform file"))
        runner = _runner(jobs, cache_dir, progress)
        given: set[str] = set()  # --var names
        declared: set[str] = set()  # the variables of the root modules scanned
        try:
            for group_options, group_targets in groups:
                part, variables = _scan(group_targets, paths, group_options, runner)
                _merge(report, part, several=len(groups) > 1)
                given.update(group_options.inputs.terraform_vars)
                declared |= variables
        finally:
            runner.close()
        for name in sorted(given - declared):  # Terraform refuses a -var that names no variable: likely a typo
            report.warnings.append(ScanWarning(COMMAND_LINE, None, f"--var {name}: no scanned Terraform module "
                                                                   f"declares variable {name!r}{_guess(name, declared)}"))
        if len(groups) == 1:
            report.fail_on = groups[0][0].policy.fail_on
        report.errors = sorted(dict.fromkeys(report.errors), key=lambda e: (e.file, e.line or 0))
        return report
    finally:
        gc.set_threshold(*thresholds)
        if progress is not None:
            progress.close()


def _guess(name: str, known: set[str]) -> str:
    import difflib

    guess = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.7)
    return f" (did you mean {guess[0]!r}?)" if guess else ""


def _subcommand_hint(path: str) -> str:
    """`` (did you mean `iaclint rules`?)`` for a missing path that looks like a mistyped subcommand."""
    import difflib

    guess = difflib.get_close_matches(path, ["rules", "config"], n=1, cutoff=0.7)
    return f" (did you mean `iaclint {guess[0]}`?)" if guess else ""


def _runner(jobs: int, cache_dir: str | None, progress):
    from .runner import Runner

    cache = None
    if cache_dir is not None:
        from .cache import open_cache

        cache = open_cache(cache_dir)
    return Runner(jobs, cache, progress)


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
    report.files += part.files
    report.files_scanned += part.files_scanned
    report.baseline_stale += part.baseline_stale
    report.shown_from = report.shown_from or part.shown_from
    report.baseline_file = report.baseline_file or part.baseline_file
    report.below_shown += part.below_shown
    for unit, read in part.units.items():
        report.units.setdefault(unit, set()).update(read)
    if several:  # each finding fails the run by the threshold of the configuration that governs it
        report.fail_on_by_file.update({finding.file: part.fail_on for finding in part.findings})


def _scan(targets: Targets, paths: list[str], options: ScanOptions, runner) -> tuple[Report, set[str]]:
    """Scan the discovered ``targets`` with one set of options; also the variables their root Terraform
    modules declare."""
    selected = {rule.code for rule in select_rules(options.policy.select, options.policy.ignore)}
    report = Report()
    targets = _without_excluded(targets, options, report)
    parameter_files = tuple(os.path.abspath(path) for path in options.inputs.cfn_parameter_files)
    options = _prepared(options, paths, report)
    requested = {os.path.abspath(path) for path in targets.requested}
    from .accounts import Baselines

    baselines = Baselines(options.inputs.account_baselines)
    for path in baselines.paths:
        if not os.path.exists(path):
            report.errors.append(ScanError(_shown(path), "account baseline: no such file or directory"))
    directives: list = []
    directive_warnings: list = []
    variables: set[str] = set()
    for result in runner.results(_units(targets), options, parameter_files, baselines):
        variables.update(result.variables)
        # What each unit read, so that only-new (--diff) rescans only the units a change can affect.
        report.units.setdefault(result.unit.name, set()).update(result.read)
        report.files += result.files
        report.warnings += result.notices
        report.errors += result.errors
        report.files_scanned += result.files_scanned
        report.findings += _asked(result.findings, selected, requested)
        if options.policy.strict:
            report.notes += _asked(result.notes, selected, requested)
        directives += result.directives
        directive_warnings += result.warnings
        for document, model in result.models:
            baselines.add(document, model)
    rules = [rule for rule in runner.rules if rule.code in selected]
    for account, frameworks, model in baselines.views():
        # The baseline path is a unit: scanned on its own it gives the same account model.
        report.units.setdefault(account.path, set()).update(os.path.abspath(name) for name in account.files)
        judged = UnitResult(Unit(TEMPLATE, account.path))
        judge(model, account, frameworks, rules, options, judged)
        report.errors += judged.errors
        report.findings += _asked(judged.findings, selected, requested)
        if options.policy.strict:
            report.notes += _asked(judged.notes, selected, requested)
    report.findings = _unique(report.findings)
    report.notes = _unique(report.notes)
    # A child module's parse error is met through its caller and again when its directory is scanned.
    report.errors = sorted(dict.fromkeys(report.errors), key=lambda e: (e.file, e.line or 0))
    if not options.policy.use_suppressions:
        directives, directive_warnings = [], []
    _settle(report, directives, directive_warnings, options)
    return report, variables


def _asked(judged: list[Judged], selected: set[str], requested: set[str]) -> list[Finding]:
    """The selected rules' findings that belong to a named file: a finding belongs to every file on its chain,
    so it is reported when its use site or any place its value came through was asked about."""
    return [item.finding for item in judged if item.finding.code in selected and (item.always or any(
        os.path.abspath(file) in requested for file, _ in item.finding.places))]


def _units(targets: Targets) -> list[Unit]:
    """The units of ``targets``, in the order their results are merged."""
    units = [Unit(TEMPLATE, path) for path in targets.templates]
    units += [Unit(MODULE, directory, tuple(files)) for directory, files in sorted(targets.terraform.items())]
    units += [Unit(VAR_FILE, directory, (var_file,)) for directory, var_file in targets.terraform_var_files]
    return units + _callers(targets)


def _callers(targets: Targets) -> list[Unit]:
    """A named file of a child module or a nested template is evaluated with what its callers pass, too:
    the modules and templates that use it, which are reported only where a finding's chain touches a
    named file."""
    from .callers import module_callers, repository_root, template_parents

    named = targets.named_terraform_dirs | targets.named_templates
    if not named:
        return []
    roots = sorted({repository_root(path) for path in named} - {None})
    scanned = {os.path.abspath(path) for path in [*targets.terraform, *targets.templates]}
    units = []
    if targets.named_terraform_dirs:
        found = {caller for root in roots for caller in module_callers(targets.named_terraform_dirs, root)}
        units += [Unit(CALLING_MODULE, directory) for directory in sorted(found)
                  if os.path.abspath(directory) not in scanned]
    if targets.named_templates:
        found = {parent for root in roots for parent in template_parents(targets.named_templates, root)}
        units += [Unit(NESTING_TEMPLATE, path) for path in sorted(found) if os.path.abspath(path) not in scanned]
    return units


def _without_excluded(targets, options: ScanOptions, report: Report):
    """Drop the files that the `exclude` patterns name (explicitly named files too: pre-commit names them),
    listing them in ``report.files``."""
    if not options.policy.exclude:
        return targets
    from .globs import matches

    def kept(path: str) -> bool:
        if any(matches(pattern, path) for pattern in options.policy.exclude):
            report.files.append((path, "skipped: excluded (exclude)"))
            return False
        return True

    targets.templates = [path for path in targets.templates if kept(path)]
    targets.terraform = {d: [f for f in files if kept(f)] for d, files in targets.terraform.items()}
    targets.terraform = {d: files for d, files in targets.terraform.items() if files}
    targets.terraform_var_files = [(d, f) for d, f in targets.terraform_var_files if kept(f)]
    return targets


def _settle(report: Report, directives: list, directive_warnings: list, options: ScanOptions) -> None:
    """What the project has decided about the findings: per-file ignores, severity overrides, inline and
    Metadata suppressions, the baseline, and the exit threshold."""
    from .catalog import rule_codes
    from .globs import matches

    if options.policy.per_file_ignores:
        ignored = [(pattern, {code for name in names for code in rule_codes(name)})
                   for pattern, names in options.policy.per_file_ignores]
        report.findings = [f for f in report.findings
                           if not any(f.code in codes and matches(pattern, f.file) for pattern, codes in ignored)]
    if options.policy.severity:
        overrides = {code: severity for name, severity in options.policy.severity.items()
                     for code in rule_codes(name)}
        report.findings = [replace(f, severity=overrides[f.code]) if f.code in overrides else f
                           for f in report.findings]
    from . import suppress

    suppress.apply(report, directives, directive_warnings, options)
    if options.policy.baseline:
        from . import baseline

        baseline.apply(report, options.policy.baseline)
    if options.policy.min_severity != "low":
        report.show_from(options.policy.min_severity)
    report.fail_on = options.policy.fail_on


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


def _shown(path: str) -> str:
    relative = os.path.relpath(path)
    return path if relative.startswith(os.pardir) else relative


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
