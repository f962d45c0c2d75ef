"""Findings of one rule that land on one position (two resources using one local, a child module scanned
through its caller and on its own) are reported once, and the one kept is the most severe."""

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


def test_the_most_severe_finding_at_one_position_is_kept(tmp_path):
    # "port 2222" sorts before "port 5432": the medium finding must not hide the high one.
    text = 'locals {\n  open = "0.0.0.0/0"\n}\n' + RULE.format(name="alt_ssh", port=2222) \
        + RULE.format(name="postgres", port=5432)
    (tmp_path / "main.tf").write_text(textwrap.dedent(text))
    report = iaclint.scan([str(tmp_path)], ScanOptions(fail_on="high"))
    assert [(f.code, f.line, f.severity) for f in report.findings] == [("IAC201", 2, "high")]
    assert "port 5432" in report.findings[0].message
    assert report.exit_code == 1
