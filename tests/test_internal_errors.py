"""The last resort: a bug met while checking one construct (a function call, a template resource, an adapter
reading a resource, a rule) costs that construct only, and is reported as an internal error that names the file,
the line and the construct.  Each test injects such a bug, since no input is known to reach one."""

from __future__ import annotations

from pathlib import Path

from iaclint import scan
from test_hostile_inputs import GOOD_CFN, GOOD_TF

BUCKET = 'resource "aws_s3_bucket" "b" {\n  bucket = "b"\n}\n'
WEB_GROUP = """
resource "aws_s3_bucket" "b" {
  bucket = lower("A")
}

resource "aws_security_group" "web" {
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = [lower("A")]
  }
}
"""


def _main_tf(tmp_path: Path, extra: str) -> str:
    (tmp_path / "main.tf").write_text(GOOD_TF + extra)  # the open SSH group on lines 1-8, its finding on 6
    return str(tmp_path / "main.tf")


def test_a_bug_in_a_function_costs_that_expression_and_names_file_line_and_call(tmp_path, monkeypatch):
    from iaclint.terraform import functions

    def broken(ev, args, loc):
        raise KeyError("boom")

    monkeypatch.setitem(functions._FUNCTIONS, "lower", (False, broken))
    main = _main_tf(tmp_path, WEB_GROUP)
    report = scan([str(tmp_path)])
    assert [(e.file, e.line, e.column, e.message) for e in report.errors] == [
        (main, 11, 12, "internal error in evaluating function lower() (KeyError); please report it"),
        (main, 19, 20, "internal error in evaluating function lower() (KeyError); please report it")]
    assert [(f.file, f.line, f.code) for f in report.findings] == [(main, 6, "IAC201"), (main, 10, "IAC402")]


def test_a_bug_in_a_rule_costs_that_rules_findings_and_names_the_place(tmp_path, monkeypatch):
    from iaclint.catalog import all_rules

    rule = next(r for r in all_rules() if r.code == "IAC402")

    def broken(bucket, account_blocks):
        raise RuntimeError("boom")

    monkeypatch.setattr(rule.module, "access_gaps", broken)
    main = _main_tf(tmp_path, BUCKET)
    report = scan([str(tmp_path)])
    assert [(e.file, e.line, e.message) for e in report.errors] == [
        (main, 9, "internal error in rule IAC402 s3-public-access-not-blocked (RuntimeError); please report it")]
    assert [(f.file, f.line, f.code) for f in report.findings] == [(main, 6, "IAC201")]


def test_a_bug_on_one_template_resource_costs_that_resource_and_names_its_line(tmp_path, monkeypatch):
    from iaclint.cloudformation import template

    nested_stack = template._nested_stack

    def broken(kind, properties):
        if kind == "AWS::S3::Bucket":
            raise KeyError("boom")
        return nested_stack(kind, properties)

    monkeypatch.setattr(template, "_nested_stack", broken)
    (tmp_path / "t.yaml").write_text(GOOD_CFN + "  Bucket:\n    Type: AWS::S3::Bucket\n")
    report = scan([str(tmp_path)])
    path = str(tmp_path / "t.yaml")
    assert [(e.file, e.line, e.column, e.message) for e in report.errors] == [
        (path, 12, 3, "internal error in reading resource Bucket (KeyError); please report it")]
    assert [(f.file, f.line, f.code, f.resource) for f in report.findings] == [(path, 11, "IAC201", "Sg")]


def test_a_bug_in_an_adapter_costs_that_resource_and_names_its_line(tmp_path, monkeypatch):
    from iaclint.adapters import s3

    adapt = s3.adapt

    def broken(resource, model):
        adapt(resource, model)  # what it added before failing is taken back
        if resource.type == "aws_s3_bucket":
            raise KeyError("boom")

    monkeypatch.setattr(s3, "adapt", broken)
    main = _main_tf(tmp_path, BUCKET)
    report = scan([str(tmp_path)])
    assert [(e.file, e.line, e.message) for e in report.errors] == [
        (main, 9, "internal error in reading resource aws_s3_bucket.b (KeyError); please report it")]
    assert [(f.file, f.line, f.code) for f in report.findings] == [(main, 6, "IAC201")]
