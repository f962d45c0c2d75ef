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
    (project / "notes.md").write_text("# notes\n")
    result = run("--no-cache", "notes.md", cwd=project)
    assert (result.returncode, result.stdout.splitlines()) == (0, [
        "notes.md: warning: nothing to scan: iaclint reads YAML, JSON, .template and Terraform files",
        "0 findings, 1 warning in 0 files scanned"])


def test_config_has_its_own_help_and_checks_its_paths(project: Path) -> None:
    helped = run("config", "--help", cwd=project)
    assert helped.returncode == 0 and helped.stdout.startswith("usage: iaclint config [PATH ...] [OPTIONS]\n")
    missing = run("config", "nowhere", cwd=project)
    assert (missing.returncode, missing.stderr) == (2, "iaclint: error: no such file or directory: nowhere\n")


def test_min_severity_is_also_a_configuration_key(project: Path) -> None:
    (project / ".iaclint.toml").write_text('min-severity = "high"\n')
    result = run("--no-cache", "m", cwd=project)
    assert (result.returncode, result.stdout.splitlines()) == (1, [
        SSH, "1 finding (1 high), 1 below high not shown (--severity) in 1 file scanned"])
    # The command line wins over the file, under either spelling.
    for flag in ("--severity", "--min-severity"):
        assert run("--no-cache", "-q", flag, "low", "m", cwd=project).stdout.splitlines() == [SSH, KMS]
    shown = run("config", "m", cwd=project).stdout.splitlines()
    assert 'min-severity = "high"  # .iaclint.toml' in [" ".join(line.split()).replace(" #", "  #") for line in shown]
    (project / ".iaclint.toml").write_text('severity = "high"\n')
    wrong = run("--no-cache", "m", cwd=project)
    assert (wrong.returncode, wrong.stderr) == (2, "iaclint: error: .iaclint.toml: 'severity' must be a table of rule "
                                                   "= severity (to show only findings at or above a severity, use "
                                                   "min-severity)\n")


@pytest.mark.parametrize("args, message", [
    (("-f", "jsn"), "invalid choice: 'jsn' (choose from 'text', 'json', 'sarif', 'github', 'junit') "
                    "(did you mean json?)"),
    (("--fail-on", "hihg"), "(did you mean high?)"),
])
def test_mistyped_choices_get_a_suggestion(project: Path, args: tuple[str, ...], message: str) -> None:
    result = run(*args, "m", cwd=project)
    assert result.returncode == 2 and message in result.stderr.splitlines()[-1]


def test_a_var_that_names_no_variable_is_a_warning(project: Path) -> None:
    (project / "m" / "variables.tf").write_text('variable "environment" {\n  default = "dev"\n}\n')
    result = run("--no-cache", "--var", "enviroment=prod", "--var", "environment=prod", "--var", "zone=a", "m",
                 cwd=project)
    assert (result.returncode, result.stdout.splitlines()) == (1, [
        SSH, KMS,
        "command line: warning: --var enviroment: no scanned Terraform module declares variable 'enviroment' "
        "(did you mean 'environment'?)",
        "command line: warning: --var zone: no scanned Terraform module declares variable 'zone'",
        "2 findings (1 high, 1 medium), 2 warnings in 2 files scanned"])
    # A variable declared in any of the modules scanned is not a typo.
    (project / "n").mkdir()
    (project / "n" / "main.tf").write_text('variable "zone" {}\n')
    quiet = run("--no-cache", "-f", "json", "--var", "zone=a", "m", "n", cwd=project)
    assert json.loads(quiet.stdout)["warnings"] == []


@pytest.mark.parametrize("ports, message", [
    ("70000", "iaclint: error: --public-ports: port 70000 is out of range (0-65535)"),
    ("80,-1,65536", "iaclint: error: --public-ports: port -1, 65536 is out of range (0-65535)"),
    ("80,ssh", "iaclint: error: --public-ports expects comma-separated port numbers (0-65535), got '80,ssh'"),
])
def test_out_of_range_ports_are_errors_naming_the_value(project: Path, ports: str, message: str) -> None:
    result = run("--no-cache", f"--public-ports={ports}", "m", cwd=project)
    assert (result.returncode, result.stdout, result.stderr) == (2, "", message + "\n")


def test_help_is_grouped_by_task() -> None:
    shown = run("--help").stdout
    groups: dict[str, list[str]] = {}
    for line in shown.splitlines():
        if line.endswith(":") and not line.startswith(" "):
            current = groups.setdefault(line[:-1], [])
        elif line.startswith("  ") and not line.startswith("   ") and groups:
            current.append(line.split()[0].rstrip(","))
    assert groups == {
        "options": ["-h", "-V"],
        "what to scan": ["paths", "--exclude", "--config"],
        "inputs to evaluation": ["--var", "--var-file", "--parameter", "--parameter-file", "--account-baseline"],
        "which rules and findings": ["--select", "--ignore", "--severity", "--fail-on", "--exit-zero", "--strict",
                                     "--public-ports"],
        "output": ["-f", "-o", "--show-source", "--show-docs-url", "-q", "--color", "--show-files"],
        "suppressions and baselines": ["--no-suppressions", "--require-reason", "--report-unused-suppressions",
                                       "--baseline", "--write-baseline"],
        "integration": ["--diff"],
        "performance": ["-j", "--cache-dir", "--no-cache"],
        "rule documentation": ["--explain"],
    }


def _large(path: Path, head: str) -> None:
    """A file just over the 20 MiB limit that starts with ``head``."""
    with path.open("w") as handle:
        handle.write(head)
        handle.write(" " * (20 * 1024 * 1024 + 10))
        handle.write("\n")


def test_a_large_data_file_is_skipped_with_a_warning_but_a_large_template_fails(project: Path) -> None:
    _large(project / "data.json", '{"items": [')
    _large(project / "records.yaml", "# exported\n---\n- id: 1\n")
    result = run("--no-cache", ".", cwd=project)
    assert (result.returncode, result.stdout.splitlines()[2:]) == (1, [
        "data.json: warning: skipped: larger than 20 MiB, and not a template or plan",
        "records.yaml: warning: skipped: larger than 20 MiB, and not a template or plan",
        "2 findings (1 high, 1 medium), 2 warnings in 1 file scanned"])
    for name, head in (("stack.json", '{\n  "AWSTemplateFormatVersion": "2010-09-09",'),
                       ("stack.yaml", "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n"),
                       ("plan.json", '{"format_version":"1.2","terraform_version":"1.9.0",')):
        (project / "data.json").unlink(missing_ok=True)
        (project / "records.yaml").unlink(missing_ok=True)
        _large(project / name, head)
        failed = run("--no-cache", "-q", name, cwd=project)
        assert (failed.returncode, failed.stdout) == (2, f"{name}: error: file is larger than 20 MiB; not scanned\n")
        (project / name).unlink()


def test_show_files_lists_what_was_scanned_and_how(project: Path) -> None:
    (project / "m" / "terraform.tfvars").write_text("")
    (project / "m" / "prod.tfvars").write_text("")
    (project / "cfn").mkdir()
    (project / "cfn" / "topic.yaml").write_text("Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n")
    (project / "cfn" / "pod.yaml").write_text("apiVersion: v1\nkind: Pod\n")
    (project / "cfn" / "old.yaml").write_text("Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n")
    (project / "plan.json").write_text('{"format_version": "1.2", "planned_values": {"root_module": {}}}')
    (project / "node_modules" / "x").mkdir(parents=True)
    (project / "node_modules" / "x" / "t.yaml").write_text("Resources: {}\n")
    (project / "cdk.out").mkdir()
    (project / "cdk.out" / "manifest.json").write_text("{}")
    (project / "notes.md").write_text("not listed: iaclint never reads Markdown\n")
    result = run("--no-cache", "-q", "--show-files", "--exclude", "cfn/old.yaml", ".", cwd=project)
    assert (result.returncode, result.stdout.splitlines()) == (1, [SSH, KMS])
    assert result.stderr.splitlines() == [
        "cdk.out/manifest.json: skipped: a CDK or npm bookkeeping file",
        "cfn/old.yaml: skipped: excluded (exclude)",
        "cfn/pod.yaml: skipped: not a CloudFormation template or Terraform plan",
        "cfn/topic.yaml: CloudFormation template",
        "m/main.tf: Terraform module m",
        "m/prod.tfvars: skipped: Terraform reads this variables file only when it is named (--var-file)",
        "m/terraform.tfvars: Terraform variables of module m",
        "node_modules/: skipped: a directory of dependencies, caches or version control",
        "plan.json: Terraform plan",
    ]
    named = run("--no-cache", "-q", "--show-files", "-f", "json", "m/prod.tfvars", cwd=project)
    assert named.stderr == "m/prod.tfvars: Terraform variables of module m\n"
    # Findings belong to the files on their chain, and this file is on none.
    assert json.loads(named.stdout)["findings"] == []
