"""Baselines: fingerprints survive moved resources and unrelated edits; new findings are still reported."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from iaclint import baseline
from iaclint.engine import scan
from iaclint.findings import Finding, Report
from iaclint.options import FindingPolicy, ScanOptions

_BESIDE = Path(sys.executable).parent / "iaclint"
IACLINT = str(_BESIDE) if _BESIDE.exists() else shutil.which("iaclint")


def _group(name: str, port: int, description: str = "x") -> str:
    return (f"  {name}:\n"
            "    Type: AWS::EC2::SecurityGroup\n"
            "    Properties:\n"
            f"      GroupDescription: {description}\n"
            "      SecurityGroupIngress:\n"
            f"        - {{IpProtocol: tcp, FromPort: {port}, ToPort: {port}, CidrIp: 0.0.0.0/0}}\n")


def _tf(name: str, port: int) -> str:
    return (f'resource "aws_security_group" "{name}" {{\n'
            f'  ingress {{\n    protocol = "tcp"\n    from_port = {port}\n    to_port = {port}\n'
            '    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n')


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / "stacks").mkdir()
    (tmp_path / "tf").mkdir()
    (tmp_path / "stacks" / "net.yaml").write_text("Resources:\n" + _group("Ssh", 22) + _group("Rdp", 3389))
    (tmp_path / "tf" / "main.tf").write_text(_tf("ssh", 22) + "\n" + _tf("db", 5432))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _where(findings) -> set[tuple]:
    return {(f.file, f.line, f.code, f.resource) for f in findings}


def test_moved_resources_and_edited_lines_still_match(project: Path) -> None:
    (project / "ci").mkdir()
    baseline.write(scan(["."]), "ci/iaclint-baseline.json")  # paths are recorded relative to ci/
    # Reorder the resources, add lines above them, edit unrelated values.
    (project / "stacks" / "net.yaml").write_text(
        'AWSTemplateFormatVersion: "2010-09-09"\nDescription: moved around\n\nResources:\n'
        + _group("Rdp", 3389, "remote desktop, described now") + "  # a comment\n" + _group("Ssh", 22))
    (project / "tf" / "main.tf").write_text("# header\n\n" + _tf("db", 5432) + "\n\n" + _tf("ssh", 22))
    report = scan(["."], ScanOptions(policy=FindingPolicy(baseline="ci/iaclint-baseline.json")))
    assert report.findings == []
    assert _where(report.baselined) == {
        ("stacks/net.yaml", 10, "IAC201", "Rdp"), ("stacks/net.yaml", 17, "IAC201", "Ssh"),
        ("tf/main.tf", 8, "IAC201", "aws_security_group.db"), ("tf/main.tf", 18, "IAC201", "aws_security_group.ssh"),
    }
    assert report.baseline_stale == 0 and report.exit_code == 0


def test_new_findings_are_reported_and_gone_ones_counted(project: Path) -> None:
    baseline.write(scan(["."]), "baseline.json")
    (project / "stacks" / "net.yaml").write_text("Resources:\n" + _group("Ssh", 22) + _group("Mysql", 3306))
    report = scan(["."], ScanOptions(policy=FindingPolicy(baseline="baseline.json")))
    assert _where(report.findings) == {("stacks/net.yaml", 13, "IAC201", "Mysql")}
    assert report.baseline_stale == 1  # Rdp no longer occurs
    assert report.exit_code == 1
    from iaclint.report.text import render_text

    assert render_text(report).splitlines()[-1] == (
        "1 finding (1 high), 3 baselined findings not shown (baseline.json), 1 baseline entry no longer occurs in 2 "
        "files scanned")


def test_the_file_is_stable_sorted_and_holds_no_messages(project: Path) -> None:
    assert baseline.write(scan(["."]), "baseline.json") == 4
    first = Path("baseline.json").read_text()
    (project / "stacks" / "net.yaml").write_text("Resources:\n" + _group("Rdp", 3389) + _group("Ssh", 22))
    baseline.write(scan(["."]), "baseline.json")
    assert Path("baseline.json").read_text() == first
    data = json.loads(first)
    assert [(e["file"], e["code"], e["resource"], e["path"], e["occurrence"]) for e in data["findings"]] == [
        ("stacks/net.yaml", "IAC201", "Rdp", "SecurityGroupIngress[0].CidrIp", 0),
        ("stacks/net.yaml", "IAC201", "Ssh", "SecurityGroupIngress[0].CidrIp", 0),
        ("tf/main.tf", "IAC201", "aws_security_group.db", "ingress[0].cidr_blocks[0]", 0),
        ("tf/main.tf", "IAC201", "aws_security_group.ssh", "ingress[0].cidr_blocks[0]", 0),
    ]
    assert "message" not in first and "0.0.0.0/0" not in first


def _finding(line: int) -> Finding:
    return Finding("IAC103", "user-without-mfa-enforcement", "high", "m", "a.yaml", line, 1, line, 1,
                   "cloudformation", "User", "")


def test_findings_sharing_a_key_get_an_occurrence_index(tmp_path: Path) -> None:
    entries = baseline.entries([_finding(9), _finding(3)], str(tmp_path))
    assert [(e["occurrence"], f.line) for e, f in entries] == [(0, 3), (1, 9)]
    assert entries[0][0]["fingerprint"] != entries[1][0]["fingerprint"]
    report = Report(findings=[_finding(3)])
    baseline.write(Report(findings=[_finding(3), _finding(9)]), str(tmp_path / "b.json"))
    baseline.apply(report, str(tmp_path / "b.json"))
    assert report.findings == [] and report.baseline_stale == 1


@pytest.mark.parametrize("content, message", [
    (None, "cannot read baseline {f}: No such file or directory"),
    ("{", "baseline {f} is not valid JSON"),
    ('{"findings": []}', "baseline {f} is not an iaclint baseline (write one with --write-baseline)"),
])
def test_unusable_baseline_files(tmp_path: Path, content, message) -> None:
    path = tmp_path / "b.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(ValueError) as caught:
        baseline.read(str(path))
    assert str(caught.value) == message.format(f=path)


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([IACLINT, *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_round_trip_through_the_command(project: Path) -> None:
    written = run("--write-baseline", "baseline.json", ".", cwd=project)
    assert (written.returncode, written.stdout) == (0, "")
    assert written.stderr == "iaclint: wrote 4 findings to baseline baseline.json\n"
    clean = run("--baseline", "baseline.json", ".", cwd=project)
    assert clean.returncode == 0
    assert clean.stdout == "0 findings, 4 baselined findings not shown (baseline.json) in 2 files scanned\n"
    (project / "tf" / "extra.tf").write_text(_tf("redis", 6379))
    new = run("--baseline", "baseline.json", ".", cwd=project)
    assert new.returncode == 1
    assert [line.split(": ")[0] for line in new.stdout.splitlines()] == [
        "tf/extra.tf:6:20", "1 finding (1 high), 4 baselined findings not shown (baseline.json) in 3 files scanned"]
    missing = run("--baseline", "nope.json", ".", cwd=project)
    assert (missing.returncode, missing.stdout) == (2, "")
    assert missing.stderr == "iaclint: error: cannot read baseline nope.json: No such file or directory\n"
    as_json = json.loads(run("--baseline", "baseline.json", "--format", "json", ".", cwd=project).stdout)
    assert {k: as_json["summary"][k] for k in ("findings", "baselined", "baseline", "baseline_stale", "exit_code")} == {
        "findings": 1, "baselined": 4, "baseline": "baseline.json", "baseline_stale": 0, "exit_code": 1}


def test_a_baseline_written_when_findings_sat_at_their_origin_still_matches(tmp_path: Path) -> None:
    # Findings used to be placed where their value was written (here the variable's default, in
    # variables.tf); a baseline recorded then must keep accepting the same finding at its use site.
    (tmp_path / "variables.tf").write_text('variable "cidr" {\n  default = "0.0.0.0/0"\n}\n')
    (tmp_path / "main.tf").write_text(_tf("db", 3306).replace('["0.0.0.0/0"]', "[var.cidr]"))
    key = ("IAC201", "variables.tf", "aws_security_group.db", "ingress[0].cidr_blocks[0]", "0")
    recorded = {"fingerprint": hashlib.sha256("\0".join(key).encode()).hexdigest()[:32],
                "code": key[0], "file": key[1], "resource": key[2], "path": key[3], "occurrence": 0}
    (tmp_path / "old.json").write_text(json.dumps({"iaclint-baseline": 1, "findings": [recorded]}))
    report = scan([str(tmp_path)], ScanOptions(policy=FindingPolicy(baseline=str(tmp_path / "old.json"))))
    assert [(f.file, f.line, f.code) for f in report.baselined] == [(str(tmp_path / "main.tf"), 6, "IAC201")]
    assert (report.findings, report.baseline_stale) == ([], 0)


def test_the_step_summary_counts_what_the_baseline_left_out(project: Path) -> None:
    assert run("--write-baseline", "baseline.json", ".", cwd=project).returncode == 0
    summary = project / "summary.md"
    done = subprocess.run([IACLINT, "--baseline", "baseline.json", "-f", "github", "."], cwd=project,
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "GITHUB_STEP_SUMMARY": str(summary)})
    assert (done.returncode, done.stdout) == (0, "")
    assert summary.read_text().splitlines()[2] == ("0 findings, 0 errors in 2 files scanned. 4 baselined findings of "
                                                   "`baseline.json` not shown.")
