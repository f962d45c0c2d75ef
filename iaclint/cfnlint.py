"""iaclint's rules as cfn-lint rules: ``cfn-lint template.yaml --append-rules iaclint.cfnlint``.

cfn-lint imports this module and instantiates every `CloudFormationLintRule` subclass it finds at module
level; one class is generated per iaclint rule that covers CloudFormation.  The classes hold no rule
logic: the first of them to run on a template scans it once with iaclint's engine (cached), and each
class reports its own code's findings.

Ids live in the range cfn-lint reserves for user rules (``9xxx``): ``IACnnn`` becomes ``9nnn``, prefixed
``E`` for critical/high rules and ``W`` for medium/low ones (cfn-lint runs E and W by default).  The
iaclint code and slug stay at the start of the message.

The match path points at the resource (``Resources/<name>/Properties/...``) so that cfn-lint's
``Metadata: cfn-lint: config: ignore_checks`` suppression works.  When cfn-lint linted a file, the line
and column are iaclint's own for that same file; for a template given as a string (``cfnlint.api.lint``)
iaclint scans cfn-lint's decoded template and cfn-lint places the match by its path.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections import OrderedDict

from cfnlint.rules import CloudFormationLintRule, RuleMatch

from .catalog import all_rules
from .config import ConfigError, PerFile
from .engine import scan
from .options import ScanOptions
from .rule_docs import docs_url

_CACHE: OrderedDict = OrderedDict()  # template key -> findings; cfn-lint asks once per rule
_CACHE_SIZE = 16
_TOKEN = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def cfn_lint_id(rule) -> str:
    """The stable cfn-lint id of an iaclint rule: ``IAC201`` (high) → ``E9201``, ``IAC101`` (medium) → ``W9101``."""
    letter = "E" if rule.severity in ("critical", "high") else "W"
    return f"{letter}9{rule.code[3:]}"


def _findings(cfn) -> tuple[list, bool]:
    """iaclint's findings for the template, and whether they were read from cfn-lint's own file."""
    filename = getattr(cfn, "filename", None)
    if filename and filename != "-" and os.path.isfile(filename):
        stat = os.stat(filename)
        key = ("file", os.path.realpath(filename), stat.st_mtime_ns, stat.st_size)
        from_file = True
    else:
        text = json.dumps(cfn.template, default=str)
        key = ("text", hashlib.sha256(text.encode()).hexdigest())
        from_file = False
    if key not in _CACHE:
        _CACHE[key] = _scan_file(filename) if from_file else _scan_text(text)
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    _CACHE.move_to_end(key)
    return _CACHE[key], from_file


def _scan_file(filename: str) -> list | str:
    """iaclint's findings for one template file, under the configuration that governs it (the same one the
    iaclint command would use); the configuration's error message when it cannot be used."""
    wanted = os.path.realpath(filename)
    try:
        report = scan([filename], per_file=PerFile(ScanOptions(), {}).options_for)
    except ConfigError as exc:
        return str(exc)
    return [f for f in report.findings if os.path.realpath(f.file) == wanted]


def _scan_text(text: str) -> list:
    # The engine reads files; cfn-lint's decoded template is written out as JSON for it.
    with tempfile.TemporaryDirectory(prefix="iaclint-cfnlint-") as directory:
        path = os.path.join(directory, "template.json")
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
        return _scan_file(path)


def _cfn_path(template, finding) -> tuple[list, bool]:
    """The path of the finding's node in cfn-lint's template; when part of it is missing (a property that
    should be set) the path of its resource, where iaclint reports it too.  And whether it was found whole."""
    wanted: list = []
    for section in ("Resources", "Parameters", "Outputs"):
        block = template.get(section) if isinstance(template, dict) else None
        if isinstance(block, dict) and finding.resource in block:
            wanted = [section, finding.resource]
            if section == "Resources" and finding.path:
                wanted.append("Properties")
                wanted += [name if index == "" else int(index) for name, index in _TOKEN.findall(finding.path)]
            break
    node, found = template, []
    for step in wanted:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            return found[:2], False
        found.append(step)
    return found, True


class _Bridge:
    """What every generated rule does; kept outside the CloudFormationLintRule hierarchy so that cfn-lint
    does not instantiate it as a rule of its own."""

    iaclint_code = ""

    def match(self, cfn):
        findings, from_file = _findings(cfn)
        if isinstance(findings, str):  # a configuration that cannot be used: said once, by the first rule
            first = self.iaclint_code == RULE_CLASSES[0].iaclint_code
            return [RuleMatch([], f"iaclint: {findings}", location=(0, 0, 0, 1))] if first else []
        matches = []
        for finding in findings:
            if finding.code != self.iaclint_code:
                continue
            path, exact = _cfn_path(cfn.template, finding)
            message = f"{finding.code} {finding.slug}: {finding.message}"
            if from_file:  # same file: iaclint's location is exact (0-based start, exclusive end)
                location = (finding.line - 1, finding.column - 1, max(finding.end_line, finding.line) - 1,
                            finding.end_column)
                matches.append(RuleMatch(path, message, location=location))
            elif path:
                matches.append(RuleMatch(path, message))
        return matches


def _rule_class(rule) -> type:
    return type(
        f"{rule.code}_{rule.slug.replace('-', '_')}",
        (_Bridge, CloudFormationLintRule),
        {
            "id": cfn_lint_id(rule),
            "shortdesc": f"{rule.code} {rule.slug}",
            "description": rule.summary,
            "source_url": docs_url(rule),
            "tags": ["iaclint", "security", rule.area],
            "iaclint_code": rule.code,
            "__module__": __name__,
        },
    )


RULE_CLASSES = [_rule_class(rule) for rule in all_rules() if "cloudformation" in rule.frameworks]
globals().update({cls.__name__: cls for cls in RULE_CLASSES})  # cfn-lint finds rules as module attributes
