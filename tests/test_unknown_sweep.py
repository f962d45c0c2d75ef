"""Unknown is never silent: in every rule's documented example, each value in turn is replaced by a
reference nothing resolves (a parameter or variable without a value).  The rule must then still fire, or
say under --strict that it could not decide — never pass quietly."""

from __future__ import annotations

import re

import pytest

from iaclint import scan
from iaclint.catalog import all_rules, examples
from iaclint.options import FindingPolicy, Inputs, ScanOptions

# `Key: value` (a scalar) in YAML; `name = literal` in HCL.
_YAML_SCALAR = re.compile(r"^(\s+-?\s*[A-Za-z][\w:-]*:\s+)(?!!|\||>|\[|\{)(\S.*)$")
_HCL_LITERAL = re.compile(r'^(\s+\w+\s*=\s*)("[^"$]*"|-?\d+|true|false)\s*$')
_UNKNOWN_PARAMETER = "UnknownValue"
# A secret passed in through a parameter or variable is not hard-coded, nor read from an SSM String
# parameter (a plain parameter's value is what is given): that is the fix, not an unknown.
_PASSED_IN_IS_THE_FIX = {"IAC001", "IAC003"}


def _variants(framework: str, body: str) -> list[tuple[int, str]]:
    """(line number, the example with that line's value made unknown) for every line holding a value."""
    lines = body.splitlines()
    variants = []
    for number, line in enumerate(lines):
        if framework == "terraform":
            match = _HCL_LITERAL.match(line)
            if match:
                changed = lines[:number] + [match.group(1) + "var.unknown_value"] + lines[number + 1:]
                variants.append((number + 1, "\n".join(changed) + '\nvariable "unknown_value" {}\n'))
        else:
            match = _YAML_SCALAR.match(line)
            if match and not line.strip().startswith(("Type:", "AWSTemplateFormatVersion", "Version:")):
                changed = lines[:number] + [match.group(1) + f"!Ref {_UNKNOWN_PARAMETER}"] + lines[number + 1:]
                variants.append((number + 1, _with_parameter("\n".join(changed))))
    return variants


def _with_parameter(template: str) -> str:
    declaration = f"  {_UNKNOWN_PARAMETER}:\n    Type: String\n"
    if re.search(r"^Parameters:\s*$", template, re.M):
        return re.sub(r"^Parameters:\s*$", "Parameters:\n" + declaration.rstrip("\n"), template, count=1, flags=re.M)
    return f"Parameters:\n{declaration}{template}"


CASES = [(rule, block, number, text)
         for rule in all_rules() if rule.code not in _PASSED_IN_IS_THE_FIX
         for block in examples(rule.section("Example"))
         for number, text in _variants(block.framework, block.body)]


@pytest.mark.parametrize(("rule", "block", "line", "text"), CASES,
                         ids=[f"{rule.code}-{block.framework}-line{line}" for rule, block, line, _ in CASES])
def test_an_unknown_value_is_noted_or_still_found(rule, block, line, text, tmp_path):
    (tmp_path / ("main.tf" if block.framework == "terraform" else "template.yaml")).write_text(text)
    baselines = (str(tmp_path),) if block.account_baseline else ()  # scanned as the block's tag says
    report = scan([str(tmp_path)], ScanOptions(inputs=Inputs(account_baselines=baselines),
                                               policy=FindingPolicy(strict=True, select=(rule.code,))))
    assert report.errors == []
    fired = [f for f in report.findings if f.code == rule.code]
    noted = [n for n in report.notes if n.code == rule.code]
    assert fired or noted, f"{rule.code}: line {line} made unknown passes silently:\n{text}"


def test_the_sweep_covers_every_rule_but_the_exempt():
    assert {rule.code for rule, *_ in CASES} == {rule.code for rule in all_rules()} - _PASSED_IN_IS_THE_FIX


def _notes(tmp_path, name: str, text: str, code: str) -> list[tuple[int, str]]:
    (tmp_path / name).write_text(text)
    report = scan([str(tmp_path)], ScanOptions(policy=FindingPolicy(strict=True, select=(code,))))
    assert (report.errors, report.findings) == ([], [])
    return [(note.line, note.message) for note in report.notes]


def test_a_key_spec_without_a_value_is_noted(tmp_path):
    template = ("Parameters:\n  Spec:\n    Type: String\nResources:\n  Key:\n    Type: AWS::KMS::Key\n"
                "    Properties:\n      KeySpec: !Ref Spec\n")
    assert _notes(tmp_path, "t.yaml", template, "IAC401") == [
        (8, "could not decide whether this key must be rotated: parameter Spec has no value")]


def test_a_security_group_rule_of_unknown_direction_is_noted(tmp_path):
    module = ('variable "kind" {}\nresource "aws_security_group_rule" "r" {\n  type = var.kind\n'
              '  protocol = "tcp"\n  from_port = 22\n  to_port = 22\n  cidr_blocks = ["0.0.0.0/0"]\n}\n')
    assert _notes(tmp_path, "main.tf", module, "IAC201") == [
        (3, "could not decide whether this rule lets traffic in: var.kind has no value")]
