"""The installed `iaclint` command, run as a user runs it: output lines and exit codes."""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
# The command installed beside the interpreter running the tests (a venv's bin/), else the one on PATH.
_BESIDE = Path(sys.executable).parent / "iaclint"
IACLINT = str(_BESIDE) if _BESIDE.exists() else shutil.which("iaclint")
if IACLINT is None:
    pytest.fail("the iaclint command is not installed (pip install -e '.[test]')", pytrace=False)


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([IACLINT, *args], cwd=cwd, capture_output=True, text=True, timeout=120)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURES / "core", tmp_path / "core")
    return tmp_path


def test_text_output_lines_and_exit_status(project: Path) -> None:
    result = run("core/cloudformation/network.yaml", cwd=project)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "core/cloudformation/network.yaml:12:19: IAC201 [high] open-ingress: security group allows port 22 (SSH) "
        "from 0.0.0.0/0; restrict the source range or reach the instances through a load balancer or Session Manager"
    )
    assert [line.split(": ")[0] + ":" + line.split(" ")[1] for line in lines[:-1]] == [
        "core/cloudformation/network.yaml:12:19:IAC201",
        "core/cloudformation/network.yaml:25:21:IAC201",
        "core/cloudformation/network.yaml:30:19:IAC201",
        "core/cloudformation/network.yaml:49:15:IAC201",
        "core/cloudformation/network.yaml:56:15:IAC201",
        "core/cloudformation/network.yaml:58:3:IAC301",
        "core/cloudformation/network.yaml:58:3:IAC306",
        "core/cloudformation/network.yaml:67:3:IAC306",
    ]
    assert lines[-1] == "8 findings (4 high, 2 medium, 2 low) in 1 file scanned"
    assert result.stderr == ""


def test_json_output(project: Path) -> None:
    result = run("--format", "json", "--select", "trail-not-encrypted", "core/terraform/basics", cwd=project)
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert data["version"]
    assert data["errors"] == []
    assert data["findings"] == [
        {
            "code": "IAC301",
            "slug": "trail-not-encrypted",
            "severity": "medium",
            "message": "CloudTrail trail does not encrypt its logs with a KMS key; set kms_key_id",
            "file": os.path.join("core", "terraform", "basics", "main.tf"),
            "line": 147,
            "column": 1,
            "end_line": 152,
            "end_column": 1,
            "framework": "terraform",
            "resource": "aws_cloudtrail.plain",
            "path": "kms_key_id",
            "origin": [],
            "controls": ["FSBP CloudTrail.2", "CIS 3.5"],
        }
    ]


def test_findings_point_at_the_use_and_carry_their_origin() -> None:
    folder = os.path.join("terraform", "tfvars-precedence")
    result = run("--format", "json", "--select", "open-ingress", folder, cwd=FIXTURES)
    finding = json.loads(result.stdout)["findings"][0]
    assert (finding["file"], finding["line"], finding["resource"], finding["origin"]) == (
        os.path.join(folder, "main.tf"), 29, "aws_security_group.admin",
        [{"file": os.path.join(folder, "terraform.tfvars"), "line": 2, "column": 12,
          "what": "the value given for var.ssh_cidr"}])
    text = run("--select", "open-ingress", folder, cwd=FIXTURES).stdout
    assert text.splitlines()[0] == (
        f"{folder}/main.tf:29:20: IAC201 [high] open-ingress: security group allows port 22 (SSH) from 0.0.0.0/0; "
        "restrict the source range or reach the instances through a load balancer or Session Manager "
        f"(the value given for var.ssh_cidr, {folder}/terraform.tfvars:2)")


def test_clean_file_exits_zero(tmp_path: Path) -> None:
    (tmp_path / "ok.yaml").write_text("Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n"
                                      "      PublicAccessBlockConfiguration: {BlockPublicAcls: true, "
                                      "BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true}\n")
    result = run(str(tmp_path / "ok.yaml"))
    assert (result.returncode, result.stdout) == (0, "0 findings in 1 file scanned\n")


def test_secret_values_are_never_printed(project: Path) -> None:
    result = run("--format", "json", "core", cwd=project)
    for secret in ("hunter2hunter2", "changeme123", "wJalrXUtnFEMI", "s3cr3t-value", "AKIAIOSFODNN7EXAMPLE"):
        assert secret not in result.stdout


def test_malformed_file_is_reported_and_others_still_scanned(project: Path) -> None:
    (project / "broken.yaml").write_text("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  A: [1,\n")
    (project / "broken.tf").write_text('resource "aws_iam_user" "x" {\n  name = \n}\n')
    (project / "binary.json").write_bytes(b"\x00\x01\x02AWSTemplateFormatVersion")
    result = run("broken.yaml", "broken.tf", "binary.json", "core/cloudformation/network.yaml", cwd=project)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr + result.stdout
    assert "broken.yaml:4:1: error: while parsing a flow node did not find expected node content" in result.stdout
    assert "broken.tf:2:10: error: invalid HCL" in result.stdout
    assert "binary.json:1: error: binary file (contains NUL bytes); not scanned" in result.stdout
    # every other file is still scanned
    assert "core/cloudformation/network.yaml:12:19: IAC201" in result.stdout


def test_not_a_template_is_skipped_quietly(tmp_path: Path) -> None:
    (tmp_path / "deployment.yaml").write_text("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\n")
    (tmp_path / "workflow.yml").write_text("on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n")
    (tmp_path / "package.json").write_text('{"name": "x", "version": "1.0.0"}')
    (tmp_path / "chart.yaml").write_text("{{- if .Values.enabled }}\nkind: ConfigMap\n{{- end }}\n")
    result = run(str(tmp_path))
    assert (result.returncode, result.stdout) == (0, "0 findings in 0 files scanned\n")


def test_bad_arguments_exit_2(tmp_path: Path) -> None:
    result = run("--select", "IAC999", str(tmp_path))
    assert result.returncode == 2
    assert result.stderr == "iaclint: error: unknown rule 'IAC999' (`iaclint rules` lists them)\n"
    missing = run(str(tmp_path / "nope.yaml"))
    assert missing.returncode == 2
    assert f"{tmp_path / 'nope.yaml'}: error: no such file or directory" in missing.stdout


def test_rules_and_version() -> None:
    rules = run("rules")
    assert rules.returncode == 0
    assert rules.stdout.splitlines()[0].split() [:3] == ["IAC001", "hardcoded-secret", "critical"]
    version = run("--version")
    assert version.returncode == 0 and version.stdout.startswith("iaclint ")


def test_rules_answers_help_and_refuses_paths(tmp_path: Path) -> None:
    helped = run("rules", "--help")
    assert helped.returncode == 0 and helped.stdout.startswith("usage: iaclint rules [-h]")
    extra = run("rules", "templates/")
    assert extra.returncode == 2 and extra.stdout == ""
    assert extra.stderr == "iaclint: error: unknown rule 'templates/' (to scan a directory named rules, write ./rules)\n"
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "t.yaml").write_text("Resources:\n  U:\n    Type: AWS::IAM::User\n")
    scanned = run("./rules", cwd=tmp_path)
    assert scanned.returncode == 1 and "IAC103" in scanned.stdout


def test_naming_one_tf_file_loads_its_module_but_reports_only_that_file(project: Path) -> None:
    # groups.tf alone holds no finding; users.tf's users depend on groups.tf's policies
    result = run("core/terraform/iam/users.tf", cwd=project)
    reported = {line.split(":")[0] for line in result.stdout.splitlines()[:-1]}
    assert reported == {"core/terraform/iam/users.tf"}
    assert "core/terraform/iam/users.tf:38" not in result.stdout  # member is protected by groups.tf's policy


PROBE = """
import sys
from iaclint.cli import main
try:
    main(["--version"])
except SystemExit:
    pass
print(sorted(m for m in sys.modules if m.split(".")[0] in ("yaml", "hcl2", "lark", "cfnlint", "detect_secrets")))
"""


def test_version_does_not_import_parsers() -> None:
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True)
    assert result.stdout.splitlines()[-1] == "[]", result.stdout


def test_a_terraform_scan_does_not_import_the_yaml_reader(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text('resource "aws_s3_bucket" "b" {\n  bucket = "b"\n}\n')
    probe = PROBE.replace('main(["--version"])', f'main(["--no-cache", {str(tmp_path / "main.tf")!r}])')
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=tmp_path)
    imported = {name.split(".")[0] for name in ast.literal_eval(result.stdout.splitlines()[-1])}
    assert imported == {"hcl2", "lark"}, result.stdout


def test_bad_parameter_file_is_reported_once_against_itself(project: Path) -> None:
    (project / "params.json").write_text('[{"ParameterKey": "A"}]')
    result = run("--parameter-file", "params.json", "core/cloudformation/network.yaml",
                 "core/cloudformation/iam.yaml", cwd=project)
    assert result.returncode == 2
    errors = [line for line in result.stdout.splitlines() if ": error: " in line]
    assert len(errors) == 1 and errors[0].startswith("params.json:1:"), errors
    assert "core/cloudformation/network.yaml:12:19: IAC201" in result.stdout  # the scan went on
