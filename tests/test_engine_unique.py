"""Findings of one rule at one position: two resources sharing one value are two findings; one resource met
twice (a child module scanned through its caller and on its own) is one when both say the same, and two when
the caller's values make them differ."""

from __future__ import annotations

import textwrap

import iaclint
from iaclint.options import FindingPolicy, ScanOptions

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
    report = iaclint.scan([str(tmp_path)], ScanOptions(policy=FindingPolicy(fail_on="high")))
    # Each at its own use of local.open, both with the local's line as their origin.
    assert [(f.code, f.line, f.severity, f.resource, [s.loc.line for s in f.origin]) for f in report.findings] == [
        ("IAC201", 11, "medium", "aws_security_group_rule.alt_ssh", [2]),
        ("IAC201", 20, "high", "aws_security_group_rule.postgres", [2]),
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


def test_a_child_module_met_twice_differently_is_two_findings(tmp_path):
    (tmp_path / "child").mkdir()
    (tmp_path / "child" / "main.tf").write_text(CHILD)
    # Through the caller the port is 2222 (medium); on its own the default 22 (high): both are true.
    (tmp_path / "main.tf").write_text('module "web" {\n  source = "./child"\n  port   = 2222\n}\n')
    report = iaclint.scan([str(tmp_path)])
    assert [(f.code, f.file, f.line, f.severity, f.resource) for f in report.findings] == [
        ("IAC201", str(tmp_path / "child" / "main.tf"), 12, "high", "aws_security_group_rule.this"),
        ("IAC201", str(tmp_path / "child" / "main.tf"), 12, "medium", "module.web.aws_security_group_rule.this")]


def test_a_child_module_met_twice_alike_is_one_finding(tmp_path):
    (tmp_path / "child").mkdir()
    (tmp_path / "child" / "main.tf").write_text(CHILD)
    (tmp_path / "main.tf").write_text('module "web" {\n  source = "./child"\n}\n')
    report = iaclint.scan([str(tmp_path)])
    assert [(f.code, f.file, f.line, f.severity, f.resource) for f in report.findings] == [
        ("IAC201", str(tmp_path / "child" / "main.tf"), 12, "high", "module.web.aws_security_group_rule.this")]


def test_two_calls_of_one_module_are_two_findings(tmp_path):
    (tmp_path / "child").mkdir()
    (tmp_path / "child" / "main.tf").write_text(CHILD.replace("default = 22", "type = number"))
    (tmp_path / "main.tf").write_text('module "ssh" {\n  source = "./child"\n  port   = 22\n}\n'
                                      'module "rdp" {\n  source = "./child"\n  port   = 3389\n}\n')
    report = iaclint.scan([str(tmp_path)])
    assert [(f.line, f.resource, f.message.split(";")[0]) for f in report.findings] == [
        (12, "module.rdp.aws_security_group_rule.this", "security group allows port 3389 (RDP) from 0.0.0.0/0"),
        (12, "module.ssh.aws_security_group_rule.this", "security group allows port 22 (SSH) from 0.0.0.0/0"),
    ]
