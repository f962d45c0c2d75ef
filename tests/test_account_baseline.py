"""Account baselines: what an account lacks is a finding only in the paths the `account-baseline`
configuration or `--account-baseline` names, once per path, at its first file, line 1; everywhere else
only what is declared is judged."""

from __future__ import annotations

import json
import shutil
from collections import defaultdict
from pathlib import Path

import pytest

from annotations import read_annotations
from iaclint import scan
from iaclint.options import FindingPolicy, Inputs, ScanOptions
from test_cli import run

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "account-baseline"
MISSING_EVERYTHING = ["IAC106", "IAC303", "IAC501", "IAC502", "IAC503", "IAC504"]
_COMMENT_ONLY = ("#", "//")


def _first_statement(path: Path) -> int:
    """The first line that holds more than a comment: where a fixture's annotations for line 1 sit."""
    lines = path.read_text().splitlines()
    return next(number for number, line in enumerate(lines, 1) if line.strip() and not line.strip().startswith(
        _COMMENT_ONLY))


def _fixture_files() -> list[str]:
    return sorted(p.relative_to(FIXTURES).as_posix() for p in FIXTURES.rglob("*") if p.suffix in (".tf", ".yaml"))


@pytest.fixture(scope="module")
def fixture_findings() -> dict[str, set[tuple[int, str]]]:
    baselines = tuple(str(p) for p in FIXTURES.rglob("*-baseline") if p.is_dir())
    report = scan([str(FIXTURES)], ScanOptions(inputs=Inputs(account_baselines=baselines)))
    assert report.errors == []
    found: dict[str, set[tuple[int, str]]] = defaultdict(set)
    for finding in report.findings:
        path = Path(finding.file)
        # What a baseline lacks is at line 1, which no annotation can precede: its annotations sit above the
        # first statement.  Nothing else is ever reported at line 1 of these files.
        line = _first_statement(path) if (finding.line, finding.resource) == (1, "") else finding.line
        found[path.relative_to(FIXTURES).as_posix()].add((line, finding.slug))
    return found


@pytest.mark.parametrize("relative", _fixture_files())
def test_fixture(relative: str, fixture_findings) -> None:
    expectations = read_annotations((FIXTURES / relative).read_text())
    found = fixture_findings.get(relative, set())
    assert (sorted(expectations.ruleid - found), sorted(found - expectations.ruleid)) == ([], [])
    assert found & expectations.ok == set()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """infra/account: a Terraform baseline with nothing; infra/app: ordinary code with nothing either, and
    a disabled detector; security/: two CloudFormation templates."""
    (tmp_path / "infra" / "account").mkdir(parents=True)
    (tmp_path / "infra" / "account" / "providers.tf").write_text('provider "aws" {\n  region = "eu-west-1"\n}\n')
    (tmp_path / "infra" / "account" / "variables.tf").write_text('variable "region" {\n  default = "eu-west-1"\n}\n')
    (tmp_path / "infra" / "app").mkdir()
    (tmp_path / "infra" / "app" / "main.tf").write_text(
        'resource "aws_guardduty_detector" "off" {\n  enable = false\n}\n')
    (tmp_path / "security").mkdir()
    (tmp_path / "security" / "b-hub.yaml").write_text("Resources:\n  Hub:\n    Type: AWS::SecurityHub::Hub\n")
    (tmp_path / "security" / "a-detector.yaml").write_text(
        "Resources:\n  Detector:\n    Type: AWS::GuardDuty::Detector\n    Properties:\n      Enable: true\n")
    return tmp_path


def _reported(stdout: str) -> list[tuple[str, int, str]]:
    return sorted((f["file"], f["line"], f["code"]) for f in json.loads(stdout)["findings"])


def test_command_line_baseline_reports_each_missing_service_once_at_its_first_file(project: Path) -> None:
    result = run("--account-baseline", "infra/account", "--format", "json", "infra", cwd=project)
    assert result.returncode == 1, result.stderr
    assert _reported(result.stdout) == [
        *(("infra/account/providers.tf", 1, code) for code in MISSING_EVERYTHING),
        ("infra/app/main.tf", 2, "IAC501"),
    ]


def test_without_a_baseline_only_what_is_declared_is_judged(project: Path) -> None:
    result = run("--format", "json", "infra", "security", cwd=project)
    assert result.returncode == 1, result.stderr
    assert _reported(result.stdout) == [("infra/app/main.tf", 2, "IAC501")]
    result = run("infra/account", cwd=project)
    assert (result.returncode, result.stderr) == (0, "")


def test_configuration_paths_are_relative_to_the_configuration_file(project: Path) -> None:
    (project / ".iaclint.toml").write_text('account-baseline = ["infra/account", "security"]\n')
    result = run("--format", "json", "..", cwd=project / "infra")  # run from elsewhere: paths stay the file's
    assert result.returncode == 1, result.stderr
    assert _reported(result.stdout) == [
        *(("../infra/account/providers.tf", 1, code) for code in MISSING_EVERYTHING),
        ("../infra/app/main.tf", 2, "IAC501"),
        # Two templates are one baseline: what either declares counts, what both lack is reported once.
        ("../security/a-detector.yaml", 1, "IAC303"),
        ("../security/a-detector.yaml", 1, "IAC503"),
    ]
    shown = run("config", ".", cwd=project)
    assert 'account-baseline = ["infra/account", "security"]  # .iaclint.toml' in shown.stdout.splitlines()


def test_a_complete_baseline_passes(project: Path) -> None:
    shutil.copytree(FIXTURES / "terraform" / "complete-baseline", project / "complete")
    result = run("--account-baseline", "complete", "complete", cwd=project)
    assert (result.returncode, result.stdout.splitlines()[-1]) == (0, "0 findings in 1 file scanned")


def test_a_baseline_that_does_not_exist_is_an_error(project: Path) -> None:
    result = run("--account-baseline", "infra/acount", "infra/app", cwd=project)
    assert result.returncode == 2
    assert "infra/acount: error: account baseline: no such file or directory" in result.stdout.splitlines()


def test_only_a_scanned_baseline_is_judged(project: Path) -> None:
    # The baseline is configured but not asked about: nothing is said about it.
    result = run("--account-baseline", "infra/account", "--format", "json", "infra/app", cwd=project)
    assert _reported(result.stdout) == [("infra/app/main.tf", 2, "IAC501")]


def test_an_unknown_contact_type_is_noted_not_reported(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'variable "kind" {}\nresource "aws_account_alternate_contact" "c" {\n  alternate_contact_type = var.kind\n'
        '  name = "n"\n  title = "t"\n  email_address = "e@example.com"\n  phone_number = "+1"\n}\n')
    report = scan([str(tmp_path)], ScanOptions(inputs=Inputs(account_baselines=(str(tmp_path),)),
                                               policy=FindingPolicy(strict=True, select=("IAC504",))))
    assert report.findings == []
    assert [(n.line, n.message) for n in report.notes] == [
        (1, "could not decide whether the account has a security contact: var.kind has no value")]


def test_weak_password_policy_lists_every_shortfall(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'resource "aws_iam_account_password_policy" "p" {\n  minimum_password_length = 8\n'
        '  password_reuse_prevention = 5\n  require_uppercase_characters = true\n'
        '  require_lowercase_characters = true\n'
        '  require_numbers = false\n  require_symbols = true\n  max_password_age = 0\n}\n')
    report = scan([str(tmp_path)], ScanOptions(select=("IAC106",)))
    assert [(f.line, f.path, f.message) for f in report.findings] == [(1, "minimum_password_length", (
        "IAM password policy is weaker than CIS asks: minimum_password_length is 8 (needs 14 or more), "
        "password_reuse_prevention is 5 (needs 24), require_numbers is false (needs true), "
        "max_password_age is 0: passwords never expire (needs 1 to 90 days)"))]
