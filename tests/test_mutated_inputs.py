"""Inputs found by mutating real templates: each costs only what it breaks.  A bad expression is an unknown
value, a bad file an error at its line, a bad block that block; the module's other findings are still
reported, and nothing hangs."""

from __future__ import annotations

import json
import textwrap
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
                                                "error: floor() with 0 argument(s) that Terraform refuses "
                                                "(IndexError)")]


def test_a_bad_escape_in_a_json_key_is_an_error_at_its_place(tmp_path: Path) -> None:
    module = _module(tmp_path, main_tf_json='{"locals": {"a\\q": 1}}')
    status, findings, errors, _ = _scan(module)
    assert (status, findings) == (2, [("m/sg.tf", *SSH_FINDING)])
    assert errors == [{"file": "m/main.tf.json", "line": 1, "column": 13, "message": "invalid JSON: invalid string escape"}]


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


def test_a_plan_whose_resource_type_is_not_a_string_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "plan.json").write_text(json.dumps({"format_version": "1.2", "planned_values": {
        "root_module": {"resources": [{"address": "x", "mode": "managed", "type": {"a": 1}, "name": "n",
                                       "values": {}}]}}}))
    (tmp_path / "m" / "sg.tf").write_text(OPEN_SSH)
    status, findings, errors, _ = _scan(tmp_path / "m")
    assert (status, findings, errors) == (1, [("m/sg.tf", *SSH_FINDING)], [])


@pytest.mark.parametrize("character", [0x01, 0x0B, 0x0C, 0x0E, 0x1A, 0x1B, 0x7F])
def test_a_control_character_in_yaml_is_an_error_at_its_line_and_column(tmp_path: Path, character: int) -> None:
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "t.yaml").write_text("Resources:\n  SG:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n"
                                            f'      GroupDescription: "a{chr(character)}b"\n')
    (tmp_path / "m" / "sg.tf").write_text(OPEN_SSH)
    status, findings, errors, _ = _scan(tmp_path / "m")
    assert (status, findings) == (2, [("m/sg.tf", *SSH_FINDING)])
    assert errors == [{"file": "m/t.yaml", "line": 5, "column": 27,
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


@pytest.mark.parametrize("body", [
    'ingress = []\n  ingress {\n    from_port = 1\n  }',
    'ingress {\n    from_port = 1\n  }\n  ingress = "x"',
], ids=["argument-first", "block-first"])
def test_an_argument_and_a_block_of_one_name_make_it_unknown(tmp_path: Path, body: str) -> None:
    module = _module(tmp_path, main_tf=f'resource "aws_security_group" "b" {{\n  {body}\n}}\n')
    status, findings, errors, _ = _scan(module)
    assert (status, findings, errors) == (1, [("m/sg.tf", *SSH_FINDING)], [])


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
