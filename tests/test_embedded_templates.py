"""A template in `aws_cloudformation_stack.template_body` is CloudFormation: findings at the Terraform lines,
resources named after their stack, a malformed one an error at its stack."""

from __future__ import annotations

from pathlib import Path

from iaclint import scan

ROOT = Path(__file__).resolve().parent.parent


def test_findings_are_at_the_terraform_lines_and_named_after_the_stack() -> None:
    report = scan([str(ROOT / "fixtures/terraform/embedded-template")])
    found = [(Path(f.file).name, f.line, f.column, f.code, f.resource) for f in report.findings]
    assert found == [("main.tf", 22, 23, "IAC201", "aws_cloudformation_stack.network/Web"),
                     ("main.tf", 33, 31, "IAC001", "aws_cloudformation_stack.network/Db"),
                     ("main.tf", 42, 7, "IAC401", "aws_cloudformation_stack.keys/Key")]


def test_a_malformed_template_is_an_error_at_its_stack(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text('resource "aws_cloudformation_stack" "broken" {\n  name = "b"\n'
                                      '  template_body = <<-EOT\n    Resources:\n      X: [unclosed\n  EOT\n}\n')
    report = scan([str(tmp_path)])
    assert [(Path(e.file).name, e.line, e.message) for e in report.errors] == [
        ("main.tf", 6, "aws_cloudformation_stack.broken: template_body: while parsing a flow sequence did not "
                       "find expected ',' or ']'")]
    assert report.findings == []
