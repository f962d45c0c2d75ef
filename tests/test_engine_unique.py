"""Findings of one rule at one position: two resources sharing one value are two findings; one resource met
twice (a child module scanned through its caller and on its own) is one, and the one kept is the most
severe."""

from __future__ import annotations

import textwrap

import iaclint
from iaclint.options import ScanOptions

RULE = """
resource "aws_security_group_rule" "{name}" {{
  type              = "ingress"
  security_group_id = "sg-1"
  protocol          = "tcp"
  from_port         = {port}
  to_port           = {port}
  cidr_blocks       = [local.open]
}}
"""


def test_resources_sharing_one_value_are_each_reported(tmp_path):
    text = 'locals {\n  open = "0.0.0.0/0"\n}\n' + RULE.format(name="alt_ssh", port=2222) \
        + RULE.format(name="postgres", port=5432)
    (tmp_path / "main.tf").write_text(textwrap.dedent(text))
    report = iaclint.scan([str(tmp_path)], ScanOptions(fail_on="high"))
    assert [(f.code, f.line, f.severity, f.resource) for f in report.findings] == [
        ("IAC201", 2, "medium", "aws_security_group_rule.alt_ssh"),
        ("IAC201", 2, "high", "aws_security_group_rule.postgres"),
    ]
    assert report.exit_code == 1


CHILD = """
variable "port" {
  default = 22
}

resource "aws_security_group_rule" "this" {
  type              = "ingress"
  security_group_id = "sg-1"
  protocol          = "tcp"
  from_port         = var.port
  to_port           = var.port
  cidr_blocks       = ["0.0.0.0/0"]
}
"""


def test_a_child_module_met_twice_is_reported_once_and_most_severely(tmp_path):
    (tmp_path / "child").mkdir()
    (tmp_path / "child" / "main.tf").write_text(CHILD)
    # Through the caller the port is 2222 (medium); on its own the default 22 (high).
    (tmp_path / "main.tf").write_text('module "web" {\n  source = "./child"\n  port   = 2222\n}\n')
    report = iaclint.scan([str(tmp_path)])
    assert [(f.code, f.file, f.line, f.severity) for f in report.findings] == [
        ("IAC201", str(tmp_path / "child" / "main.tf"), 12, "high")]
