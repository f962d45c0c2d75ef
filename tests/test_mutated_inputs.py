"""Inputs found by mutating real templates: each costs only what it breaks.  A bad expression is an unknown
value, a bad file an error at its line, a bad block that block; the module's other findings are still
reported, and nothing hangs."""

from __future__ import annotations

import json
import textwrap
import time
from pathlib import Path

import pytest

from test_cli import run

OPEN_SSH = textwrap.dedent("""\
    resource "aws_security_group" "ssh" {
      ingress {
        from_port   = 22
        to_port     = 22
        protocol    = "tcp"
        cidr_blocks = ["0.0.0.0/0"]
      }
    }
    """)
# Where the open group's finding is: every case keeps it.
SSH_FINDING = (6, "IAC201", "aws_security_group.ssh")


def _scan(module: Path) -> tuple[int, list[tuple], list[dict], list[tuple]]:
    result = run("--no-cache", "--strict", "--format", "json", module.name, cwd=module.parent)
    assert result.stderr == ""
    report = json.loads(result.stdout)
    findings = [(f["file"], f["line"], f["code"], f["resource"]) for f in report["findings"]]
    notes = [(n["file"], n["line"], n["code"], n["message"]) for n in report["notes"]]
    assert not any("internal error" in e["message"] for e in report["errors"]), report["errors"]
    return result.returncode, findings, report["errors"], notes


def _module(tmp_path: Path, **files: str) -> Path:
    module = tmp_path / "m"
    module.mkdir()
    (module / "sg.tf").write_text(OPEN_SSH)
    for name, text in files.items():
        (module / name.replace("_", ".")).write_text(text)
    return module


def test_a_function_called_with_too_few_arguments_is_an_unknown_value(tmp_path: Path) -> None:
    module = _module(tmp_path, main_tf=textwrap.dedent("""\
        resource "aws_security_group_rule" "r" {
          type              = "ingress"
          security_group_id = aws_security_group.ssh.id
          from_port         = floor()
          to_port           = 3389
          protocol          = "tcp"
          cidr_blocks       = ["0.0.0.0/0"]
        }
        """))
    status, findings, errors, notes = _scan(module)
    assert (status, findings, errors) == (1, [("m/sg.tf", *SSH_FINDING)], [])
    assert notes == [("m/main.tf", 7, "IAC201", "could not decide which ports 0.0.0.0/0 may reach: evaluation "
                                                "error: floor(): takes 1 argument, 0 given")]


# Each call Terraform refuses, refused the way Terraform does: by the function's declared signature.
WEB_GROUP = """\
resource "aws_security_group" "web" {
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = [CALL]
  }
}
"""


@pytest.mark.parametrize("call, said", [
    ("ceil()", "ceil(): takes 1 argument, 0 given"),
    ("ceil(1, 2)", "ceil(): takes 1 argument, 2 given"),
    ('cidrsubnet("10.0.0.0/8", 8)', "cidrsubnet(): takes 3 arguments, 2 given"),
    ("range()", "range(): takes 1 to 3 arguments, 0 given"),
    ("max()", "max(): takes at least 1 argument, 0 given"),
    ('lower(["a"])', "lower(): argument 1 must be a string, not list"),
    ('floor("x")', "floor(): argument 1 must be a number, not string"),
    ('join(",", "a")', "join(): argument 2 must be a list, not string"),
    ('keys(["a"])', "keys(): argument 1 must be a map, not list"),
])
def test_a_call_that_does_not_fit_the_functions_signature_is_an_unknown_value_naming_it(tmp_path: Path, call: str,
                                                                                      said: str) -> None:
    module = _module(tmp_path, main_tf=WEB_GROUP.replace("CALL", call))
    status, findings, errors, notes = _scan(module)
    assert (status, findings, errors) == (1, [("m/sg.tf", *SSH_FINDING)], [])
    assert notes == [("m/main.tf", 6, "IAC201",
                      f"could not decide whether this ingress is open to the internet: evaluation error: {said}")]


def test_a_bad_escape_in_a_json_key_is_an_error_at_its_place(tmp_path: Path) -> None:
    module = _module(tmp_path, main_tf_json='{"locals": {"a\\q": 1}}')
    status, findings, errors, _ = _scan(module)
    assert (status, findings) == (2, [("m/sg.tf", *SSH_FINDING)])
    assert errors == [{"file": "m/main.tf.json", "line": 1, "column": 15, "message": "invalid JSON: invalid string escape"}]


def test_a_value_nested_hundreds_deep_is_told_apart_without_recursion(tmp_path: Path) -> None:
    arn: object = "arn:aws:iam::aws:policy/ReadOnlyAccess"
    for _ in range(480):
        arn = [arn]
    document = {"resource": {"aws_iam_user": {"u": {"name": "x"}},
                             "aws_iam_user_policy_attachment": {"a": {"user": "${aws_iam_user.u.name}",
                                                                      "policy_arn": arn}}}}
    module = _module(tmp_path, main_tf_json=json.dumps(document))
    status, findings, errors, notes = _scan(module)
    assert (status, errors) == (1, [])
    assert findings == [("m/main.tf.json", 1, "IAC102", "aws_iam_user_policy_attachment.a"), ("m/sg.tf", *SSH_FINDING)]
    assert [note[:3] for note in notes] == [("m/main.tf.json", 1, "IAC103")]
    assert notes[0][3].endswith("managed policy (a list, not a name) is not defined in the scanned files")


def test_a_plan_whose_resource_type_is_not_a_string_is_an_error_at_its_line(tmp_path: Path) -> None:
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "plan.json").write_text(json.dumps({"format_version": "1.2", "planned_values": {
        "root_module": {"resources": [{"address": "x", "mode": "managed", "type": {"a": 1}, "name": "n",
                                       "values": {}}]}}}, indent=1))
    (tmp_path / "m" / "sg.tf").write_text(OPEN_SSH)
    status, findings, errors, _ = _scan(tmp_path / "m")
    assert (status, findings) == (2, [("m/sg.tf", *SSH_FINDING)])
    assert errors == [{"file": "m/plan.json", "line": 6, "column": 5,
                       "message": "not a Terraform plan: a resource's type must be a string"}]


@pytest.mark.parametrize("before", ["a", "é€"], ids=["ascii", "after-non-ascii"])
@pytest.mark.parametrize("character", [0x01, 0x0B, 0x0C, 0x0E, 0x1A, 0x1B, 0x7F])
def test_a_control_character_in_yaml_is_an_error_at_its_line_and_column(tmp_path: Path, character: int,
                                                                         before: str) -> None:
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "t.yaml").write_text("Resources:\n  SG:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n"
                                            f'      GroupDescription: "{before[:-1]}\n        {before[-1]}'
                                            f'{chr(character)}b"\n')
    (tmp_path / "m" / "sg.tf").write_text(OPEN_SSH)
    status, findings, errors, _ = _scan(tmp_path / "m")
    assert (status, findings) == (2, [("m/sg.tf", *SSH_FINDING)])
    assert errors == [{"file": "m/t.yaml", "line": 6, "column": 10,
                       "message": f"control characters are not allowed: character #x{character:04x} is not "
                                  "allowed in YAML"}]


def test_nested_dynamic_blocks_share_one_budget(tmp_path: Path) -> None:
    module = _module(tmp_path, main_tf=textwrap.dedent("""\
        resource "aws_security_group" "d" {
          dynamic "ingress" {
            for_each = range(1024)
            content {
              dynamic "x" {
                for_each = range(1024)
                content {
                  dynamic "y" {
                    for_each = range(1024)
                    content { a = 1 }
                  }
                }
              }
            }
          }
        }
        """))
    status, findings, errors, _ = _scan(module)  # bounded: it took over 25 s before the budget was shared
    assert (status, findings, errors) == (1, [("m/sg.tf", *SSH_FINDING)], [])


BUDGET_SPENT = ("the expansions of this module (count, for_each, module instances, dynamic blocks, for expressions, "
                "splats) make more than 50,000 elements together; not evaluated")
# Each case took 1.2 s or less through the command (most of it start-up); the issue asks for < 2 s.  The bound
# is looser so that a loaded CI machine passes, and still far below the 10-25 s these inputs took.
FAST = 6.0


def _nested_dynamic(levels: int) -> str:
    body = "c = 1"
    for level in reversed(range(1, levels)):
        body = f'dynamic "level{level}" {{\n for_each = range(1024)\n content {{\n {body}\n }}\n }}'
    return textwrap.dedent("""\
        resource "aws_security_group" "bomb" {
          dynamic "ingress" {
            for_each = range(1024)
            content {
              from_port   = 443
              to_port     = 443
              protocol    = "tcp"
              cidr_blocks = ["10.0.0.0/8"]
              BODY
            }
          }
        }

        resource "aws_security_group" "after" {
          dynamic "ingress" {
            for_each = ["0.0.0.0/0"]
            content {
              from_port   = 22
              to_port     = 22
              protocol    = "tcp"
              cidr_blocks = [ingress.value]
            }
          }
        }
        """).replace("BODY", body)


@pytest.mark.parametrize("levels", [2, 3])
def test_what_nested_dynamic_blocks_leave_unexpanded_is_a_note_naming_the_budget(tmp_path: Path, levels: int) -> None:
    module = _module(tmp_path, main_tf=_nested_dynamic(levels))
    started = time.monotonic()
    status, findings, errors, notes = _scan(module)
    assert time.monotonic() - started < FAST
    assert (status, findings, errors) == (1, [("m/sg.tf", *SSH_FINDING)], [])
    after = (module / "main.tf").read_text().splitlines().index('resource "aws_security_group" "after" {') + 2
    assert notes == [("m/main.tf", after, "IAC201", "could not decide whether this ingress is open to the "
                      f'internet: dynamic "ingress": {BUDGET_SPENT}')]


def test_a_count_past_the_budget_is_unknown_at_once_with_a_note(tmp_path: Path) -> None:
    # A small group counted 24,000 times took 30 s within a budget that counted instances, not their bodies.
    module = _module(tmp_path, main_tf=textwrap.dedent("""\
        resource "aws_security_group" "many" {
          count = 24000
          ingress {
            from_port   = 22
            to_port     = 22
            protocol    = "tcp"
            cidr_blocks = [count.index == 0 ? "0.0.0.0/0" : "10.0.0.0/8"]
          }
        }
        """))
    started = time.monotonic()
    status, findings, errors, notes = _scan(module)
    assert time.monotonic() - started < FAST
    assert (status, findings, errors) == (1, [("m/sg.tf", *SSH_FINDING)], [])
    assert notes == [("m/main.tf", 7, "IAC201",
                      f"could not decide whether this ingress is open to the internet: count: {BUDGET_SPENT}")]


@pytest.mark.parametrize("body", [
    'ingress = []\n  ingress {\n    from_port = 1\n  }',
    'ingress {\n    from_port = 1\n  }\n  ingress = "x"',
], ids=["argument-first", "block-first"])
def test_an_argument_and_a_block_of_one_name_make_it_unknown(tmp_path: Path, body: str) -> None:
    module = _module(tmp_path, main_tf=f'resource "aws_security_group" "b" {{\n  {body}\n}}\n')
    status, findings, errors, notes = _scan(module)
    assert (status, findings, errors) == (1, [("m/sg.tf", *SSH_FINDING)], [])
    argument, block = (2, 3) if body.startswith("ingress =") else (5, 2)
    assert notes == [("m/main.tf", argument, "IAC201", "could not decide whether this ingress is open to the internet: "
                      f"ingress is written both as an argument (line {argument}) and as a block (line {block})")]


def test_a_principal_that_holds_the_character_marking_unknown_parts(tmp_path: Path) -> None:
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "t.yaml").write_text(textwrap.dedent("""\
        Resources:
          Role:
            Type: AWS::IAM::Role
            Properties:
              AssumeRolePolicyDocument:
                Statement:
                  - Effect: Allow
                    Principal: {AWS: "arn:aws:iam::\\0:root"}
                    Action: sts:AssumeRole
        """))
    (tmp_path / "m" / "sg.tf").write_text(OPEN_SSH)
    status, findings, errors, notes = _scan(tmp_path / "m")
    assert (status, findings, errors) == (1, [("m/sg.tf", *SSH_FINDING)], [])
    assert [note[:3] for note in notes] == [("m/t.yaml", 8, "IAC107")]


def test_to_json_string_over_no_value_leaves_it_out_like_cloudformation(tmp_path: Path) -> None:
    # Found by the fuzzer: AWS::NoValue reached json.dumps and lost its resource to an internal error.
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "t.yaml").write_text(textwrap.dedent("""\
        Resources:
          Sg:
            Type: AWS::EC2::SecurityGroup
            Properties:
              GroupDescription:
                Fn::ToJsonString: {a: 1, b: !Ref AWS::NoValue, c: [!Ref AWS::NoValue, 2]}
              Tags:
                - Key: k
                  Value: {"Fn::ToJsonString": {Ref: AWS::NoValue}}
              SecurityGroupIngress:
                - IpProtocol: tcp
                  FromPort: 22
                  ToPort: 22
                  CidrIp: 0.0.0.0/0
        """))
    (tmp_path / "m" / "sg.tf").write_text(OPEN_SSH)
    status, findings, errors, _ = _scan(tmp_path / "m")
    assert (status, errors) == (1, [])
    assert findings == [("m/sg.tf", *SSH_FINDING), ("m/t.yaml", 14, "IAC201", "Sg")]


def test_an_alias_to_a_number_python_cannot_convert_is_its_text(tmp_path: Path) -> None:
    (tmp_path / "m").mkdir()
    digits = "9" * 5000
    (tmp_path / "m" / "t.yaml").write_text(
        f"Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      DelaySeconds: &big {digits}\n"
        "      MaximumMessageSize: *big\n")
    (tmp_path / "m" / "sg.tf").write_text(OPEN_SSH)
    status, findings, errors, _ = _scan(tmp_path / "m")
    assert (status, findings, errors) == (1, [("m/sg.tf", *SSH_FINDING)], [])
