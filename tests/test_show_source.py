"""Text output extras, through the installed command: the source under each finding (`--show-source`), which
never shows a secret, and the rule's page under each finding (`--show-docs-url`)."""

from __future__ import annotations

from pathlib import Path

import iaclint
from test_cli import run

PAGE = f"https://github.com/iaclint/iaclint/blob/v{iaclint.__version__}/docs/rules/"
PASSWORD = "correct-horse-battery-staple"
DEFAULT = "Tr0ub4dor-and-3"
STACK = f"""\
Parameters:
  AdminPassword:
    Type: String
    Default: {DEFAULT}
Resources:
  Web:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web
      SecurityGroupIngress:
        - {{IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}}
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      MasterUsername: admin
      MasterUserPassword: "{PASSWORD}"
      Engine: postgres
"""


def test_source_and_docs_url_under_each_finding(tmp_path: Path) -> None:
    (tmp_path / "stack.yaml").write_text(STACK)
    result = run("stack.yaml", "--show-source", "--show-docs-url", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (1, "")
    assert result.stdout.splitlines() == [
        "stack.yaml:11:63: IAC201 [high] open-ingress: security group allows port 22 (SSH) from 0.0.0.0/0; "
        "restrict the source range or reach the instances through a load balancer or Session Manager",
        "   |",
        " 9 |       GroupDescription: web",
        "10 |       SecurityGroupIngress:",
        "11 |         - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}",
        "   |                                                               ^^^^^^^^^",
        "12 |   Db:",
        "13 |     Type: AWS::RDS::DBInstance",
        "   |",
        f"   = docs: {PAGE}open-ingress.md",
        "",
        "stack.yaml:16:27: IAC001 [critical] hardcoded-secret: hard-coded secret in MasterUserPassword (********); "
        "let the service manage it in Secrets Manager (ManageMasterUserPassword: true), or use a dynamic reference",
        "   |",
        "14 |     Properties:",
        "15 |       MasterUsername: admin",
        "16 |       MasterUserPassword: ********",
        "   |                           ^^^^^^^^",
        "17 |       Engine: postgres",
        "   |",
        f"   = docs: {PAGE}hardcoded-secret.md",
        "",
        "2 findings (1 critical, 1 high) in 1 file scanned",
    ]


def test_docs_url_alone_is_a_line_under_the_finding(tmp_path: Path) -> None:
    (tmp_path / "stack.yaml").write_text(STACK)
    result = run("stack.yaml", "--show-docs-url", "--select", "IAC201", cwd=tmp_path)
    assert result.stdout.splitlines()[1:3] == [f"  = docs: {PAGE}open-ingress.md",
                                               "1 finding (1 high) in 1 file scanned"]
    plain = run("stack.yaml", "--select", "IAC201", cwd=tmp_path)  # off by default
    assert len(plain.stdout.splitlines()) == 2 and "docs" not in plain.stdout and "|" not in plain.stdout


def test_no_snippet_shows_a_secret(tmp_path: Path) -> None:
    # The password and the default are on lines shown under open-ingress findings: masked whether the rule that
    # finds them is selected, reported or suppressed, and where no rule finds one.
    (tmp_path / "stack.yaml").write_text(f"""\
Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      MasterUsername: admin
      Engine: postgres
      MasterUserPassword: "{PASSWORD}"
  Ssh:
    Properties: {{GroupId: sg-1, IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}}
    Type: AWS::EC2::SecurityGroupIngress
  Rdp:
    Type: AWS::EC2::SecurityGroupIngress
    Properties: {{GroupId: sg-1, IpProtocol: tcp, FromPort: 3389, ToPort: 3389, CidrIp: 0.0.0.0/0}}
Parameters:
  AdminPassword: {{Default: {DEFAULT}, Type: String}}
""")
    (tmp_path / "main.tf").write_text(f"""\
resource "aws_db_instance" "db" {{
  engine   = "postgres"
  username = "admin"
  password = "{PASSWORD}"
  tags     = {{ key = "AKIAIOSFODNN7EXAMPLE" }}
}}
""")
    for args in ([], ["--select", "IAC201"], ["--ignore", "hardcoded-secret"], ["--strict"]):
        result = run("stack.yaml", "main.tf", "--show-source", *args, cwd=tmp_path)
        shown = result.stdout.splitlines()
        assert " 7 |       MasterUserPassword: ********" in shown, args
        assert "15 |   AdminPassword: {Default: ********, Type: String}" in shown, args
        for secret in (PASSWORD, DEFAULT, "IOSFODNN7EXAMPLE"):
            assert secret not in result.stdout, (args, secret)
    (tmp_path / "stack.yaml").write_text((tmp_path / "stack.yaml").read_text().replace(
        f'"{PASSWORD}"', f'"{PASSWORD}"  # iaclint:ignore hardcoded-secret -- a test database'))
    suppressed = run("stack.yaml", "--show-source", cwd=tmp_path)
    assert suppressed.stdout.startswith("stack.yaml:9:")
    assert " 7 |       MasterUserPassword: ********  # iaclint:ignore hardcoded-secret -- a test database" \
        in suppressed.stdout.splitlines()
    assert PASSWORD not in suppressed.stdout
    terraform = run("main.tf", "--show-source", cwd=tmp_path).stdout.splitlines()
    assert terraform[:8] == [
        "main.tf:4:14: IAC001 [critical] hardcoded-secret: hard-coded secret in password (********); let the service "
        "manage it in Secrets Manager (manage_master_user_password = true), or pass a sensitive variable",
        "  |",
        "2 |   engine   = \"postgres\"",
        "3 |   username = \"admin\"",
        "4 |   password = ********",
        "  |              ^^^^^^^^",
        "5 |   tags     = { key = \"AKIA********",  # a credential found in the text: masked to the line's end
        "6 | }",
    ]


def test_a_secret_parameter_default_is_masked_where_the_finding_points(tmp_path: Path) -> None:
    # `Creds` is no secret name: only the finding (secret-parameter-exposed at the default) says it holds one.
    (tmp_path / "stack.yaml").write_text("""\
Parameters:
  Creds:
    Type: String
    NoEcho: true
    Default: hunter2-is-not-a-password
Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      MasterUsername: admin
      ManageMasterUserPassword: false
      MasterUserPassword: !Ref Creds
  Key:
    Type: AWS::KMS::Key
    Properties: {KeyPolicy: {}}
""")
    result = run("stack.yaml", "--show-source", "--select", "secret-parameter-exposed,IAC401", cwd=tmp_path)
    assert result.stdout.splitlines()[:7] == [
        result.stdout.splitlines()[0],
        "  |",
        "3 |     Type: String",
        "4 |     NoEcho: true",
        "5 |     Default: ********",
        "  |              ^^^^^^^^",
        "6 | Resources:",
    ]
    assert result.stdout.startswith("stack.yaml:5:14: IAC002 [high] secret-parameter-exposed: ")
    assert "hunter2" not in result.stdout
    # Where the parameter is used, the reference is shown: it holds no secret.
    assert "12 |       MasterUserPassword: !Ref Creds" in result.stdout.splitlines()


def test_hostile_lines_are_shown_safely(tmp_path: Path) -> None:
    # A long line is cut around the marker, a control character cannot reach the terminal, and tabs keep the
    # marker aligned.
    (tmp_path / "stack.json").write_text(
        '{"Resources": {"Web": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "'
        + "x" * 300 + '", "SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, '
        '"CidrIp": "0.0.0.0/0"}]}}}}\n')
    lines = run("stack.json", "--show-source", cwd=tmp_path).stdout.splitlines()
    assert lines[0].startswith("stack.json:1:485: IAC201 ")
    source, marker = lines[2], lines[3]
    assert source == "1 | …" + ('x", "SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, '
                                '"CidrIp": "0.0.0.0/0"}]}}}}').rjust(120, "x")
    assert marker.index("^") == source.index('"0.0.0.0/0"') and marker.endswith(" " + "^" * 11)
    (tmp_path / "main.tf").write_text('resource "aws_security_group" "web" {\n  ingress {\n    from_port   = 22\n'
                                      '    to_port     = 22\n    protocol    = "tcp"\n'
                                      '\tcidr_blocks = ["0.0.0.0/0"] # \x1b[31mred\n  }\n}\n')
    tabbed = run("main.tf", "--show-source", cwd=tmp_path).stdout
    assert "\x1b" not in tabbed and "\t" not in tabbed
    assert '6 |     cidr_blocks = ["0.0.0.0/0"] # ?[31mred' in tabbed.splitlines()
    source, marker = tabbed.splitlines()[4:6]
    caret = marker.index("^")
    assert source[caret:caret + 11] == '"0.0.0.0/0"' and marker[caret:] == "^" * 11


def test_only_with_a_text_report(tmp_path: Path) -> None:
    result = run("--format", "json", "--show-source", str(tmp_path))
    assert result.returncode == 2
    assert result.stderr.endswith("iaclint: error: --show-source adds to the text report, and no text report is "
                                  "written (--format json)\n")
