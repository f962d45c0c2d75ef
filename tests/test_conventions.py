"""The flags users of ruff, checkov, trivy and cfn-lint type, and no silent pass: what they do, through the
installed command."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from iaclint import __version__
from test_cli import run

MODULE = textwrap.dedent("""\
    resource "aws_security_group" "ssh" {
      ingress {
        from_port   = 22
        to_port     = 22
        protocol    = "tcp"
        cidr_blocks = ["0.0.0.0/0"]
      }
    }
    resource "aws_kms_key" "k" {}
    """)
SSH = ("m/main.tf:6:20: IAC201 [high] open-ingress: security group allows port 22 (SSH) from 0.0.0.0/0; restrict "
       "the source range or reach the instances through a load balancer or Session Manager")
KMS = ("m/main.tf:9:1: IAC401 [medium] kms-key-rotation-disabled: KMS key is not rotated "
       "automatically; set enable_key_rotation to true")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "main.tf").write_text(MODULE)
    return tmp_path


def test_short_flags(project: Path) -> None:
    assert run("-V").stdout == f"iaclint {__version__}\n"
    result = run("--no-cache", "-f", "json", "-o", "out.json", "m", cwd=project)
    assert (result.returncode, result.stdout) == (1, "")
    assert [f["code"] for f in json.loads((project / "out.json").read_text())["findings"]] == ["IAC201", "IAC401"]


def test_quiet_prints_only_findings_and_errors(project: Path) -> None:
    (project / "m" / "bad.tf").write_text("resource {\n")
    result = run("--no-cache", "-q", "--strict", "m", cwd=project)
    lines = result.stdout.splitlines()
    assert result.returncode == 2
    assert lines[:2] == [SSH, KMS]
    assert lines[2:] == ["m/bad.tf:2:1: error: invalid HCL: unexpected end of file"]


def test_exit_zero_keeps_errors_apart(project: Path) -> None:
    assert run("--no-cache", "--exit-zero", "m", cwd=project).returncode == 0
    (project / "m" / "bad.tf").write_text("resource {\n")
    assert run("--no-cache", "--exit-zero", "m", cwd=project).returncode == 2


def test_severity_shows_only_what_is_at_or_above_it(project: Path) -> None:
    result = run("--no-cache", "--severity", "high", "m", cwd=project)
    assert (result.returncode, result.stdout.splitlines()) == (1, [
        SSH, "1 finding (1 high), 1 below high not shown (--severity) in 1 file scanned"])
    quiet = run("--no-cache", "--severity", "critical", "-f", "json", "m", cwd=project)
    summary = json.loads(quiet.stdout)["summary"]
    assert (quiet.returncode, summary["findings"], summary["shown_from"], summary["below_shown"]) == (0, 0, "critical", 2)


def test_code_prefixes_select_and_ignore(project: Path) -> None:
    assert run("--no-cache", "-q", "--select", "IAC2", "m", cwd=project).stdout.splitlines() == [SSH]
    assert run("--no-cache", "-q", "--ignore", "IAC20", "m", cwd=project).stdout.splitlines() == [KMS]


@pytest.mark.parametrize("args, message", [
    (("--select", "IAC2O1"), "iaclint: error: unknown rule 'IAC2O1'; did you mean IAC201 (open-ingress)?\n"),
    (("--ignore", "IAC9"), "iaclint: error: no rule code starts with IAC9 (`iaclint rules` lists them)\n"),
    (("--fail_on", "high"), "unrecognized arguments: --fail_on (did you mean --fail-on?)"),
    (("--strickt",), "unrecognized arguments: --strickt (did you mean --strict?)"),
])
def test_typos_get_a_suggestion(project: Path, args: tuple[str, ...], message: str) -> None:
    result = run(*args, "m", cwd=project)
    assert result.returncode == 2
    assert message in result.stderr


def test_a_mistyped_subcommand_or_path_fails_and_an_empty_directory_warns(project: Path) -> None:
    result = run("--no-cache", "rulez", cwd=project)
    assert (result.returncode, result.stdout.splitlines()) == (2, [
        "rulez: error: no such file or directory (did you mean `iaclint rules`?)", "0 findings, 1 error in 0 files scanned"])
    (project / "empty").mkdir()
    result = run("--no-cache", "empty", cwd=project)
    assert (result.returncode, result.stdout.splitlines()) == (0, [
        "empty: warning: nothing to scan: no template or Terraform file here", "0 findings, 1 warning in 0 files scanned"])


def test_config_has_its_own_help_and_checks_its_paths(project: Path) -> None:
    helped = run("config", "--help", cwd=project)
    assert helped.returncode == 0 and helped.stdout.startswith("usage: iaclint config [PATH ...] [OPTIONS]\n")
    missing = run("config", "nowhere", cwd=project)
    assert (missing.returncode, missing.stderr) == (2, "iaclint: error: no such file or directory: nowhere\n")
