"""Inline and Metadata suppressions: which findings (file, line, code) they suppress, and every warning."""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import pytest

from iaclint.engine import scan
from iaclint.options import FindingPolicy, ScanOptions
from iaclint.suppress import comments

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "suppressions"
TODAY = datetime.date(2026, 11, 26)  # between the fixtures' 2020-01-01 and 2099-01-01


@pytest.fixture
def fixtures(tmp_path: Path, monkeypatch) -> Path:
    shutil.copytree(FIXTURES, tmp_path / "s")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _scan(**options):
    return scan(["s"], ScanOptions(policy=FindingPolicy(today=TODAY, **options)))


def _suppressed(report) -> set[tuple]:
    return {(f.file, f.line, f.code, f.suppression.source, f.suppression.justification) for f in report.suppressed}


def _reported(report) -> set[tuple]:
    return {(f.file, f.line, f.code) for f in report.findings}


def test_each_form_suppresses_exactly_its_findings(fixtures) -> None:
    report = _scan(report_unused_suppressions=True)
    assert _suppressed(report) == {
        # YAML: above the logical id (whole resource), same line, line above, no reason.
        ("s/inline.yaml", 13, "IAC201", "s/inline.yaml:4", "public load balancer"),
        ("s/inline.yaml", 22, "IAC201", "s/inline.yaml:22", "bastion, reviewed"),
        ("s/inline.yaml", 32, "IAC201", "s/inline.yaml:31", "migration window"),
        ("s/inline.yaml", 50, "IAC201", "s/inline.yaml:50", ""),
        # JSON: resource Metadata (the entry's line is the source).
        ("s/metadata.json", 16, "IAC201", "s/metadata.json:9", "public load balancer"),
        ("s/metadata.json", 48, "IAC201", "s/metadata.json:41", ""),
        # Template-level Metadata covers every resource.
        ("s/template-metadata.yaml", 16, "IAC201", "s/template-metadata.yaml:5", "sandbox account, no production data"),
        ("s/template-metadata.yaml", 25, "IAC201", "s/template-metadata.yaml:5", "sandbox account, no production data"),
        # HCL: above the resource block, `//` on the same line, line above, no reason.
        ("s/terraform/main.tf", 8, "IAC201", "s/terraform/main.tf:1", "public load balancer"),
        ("s/terraform/main.tf", 17, "IAC201", "s/terraform/main.tf:17", "bastion, reviewed"),
        ("s/terraform/main.tf", 27, "IAC201", "s/terraform/main.tf:26", "migration window"),
        ("s/terraform/main.tf", 45, "IAC201", "s/terraform/main.tf:45", ""),
    }
    # Expired suppressions, and directives inside quoted strings, suppress nothing.
    assert _reported(report) == {
        ("s/inline.yaml", 41, "IAC201"),
        ("s/inline.yaml", 59, "IAC201"),
        ("s/metadata.json", 32, "IAC201"),
        ("s/terraform/main.tf", 36, "IAC201"),
        ("s/terraform/main.tf", 55, "IAC201"),
    }
    assert [str(w) for w in report.warnings] == [
        "s/inline.yaml:41: warning: suppression of IAC201 expired on 2020-01-01 and no longer applies",
        "s/inline.yaml:50: warning: suppression of IAC201 has no reason",
        "s/inline.yaml:60: warning: unused suppression of IAC101: no finding matched",
        "s/metadata.json:25: warning: suppression of IAC201 expired on 2020-01-01 and no longer applies",
        "s/metadata.json:41: warning: suppression of IAC201 has no reason",
        "s/metadata.json:57: warning: unused suppression of IAC101: no finding matched",
        "s/terraform/main.tf:36: warning: suppression of IAC201 expired on 2020-01-01 and no longer applies",
        "s/terraform/main.tf:45: warning: suppression of IAC201 has no reason",
        "s/terraform/main.tf:59: warning: unused suppression of IAC101: no finding matched",
    ]
    assert report.exit_code == 1  # the expired and quoted ones


def test_unused_suppressions_are_reported_only_when_asked(fixtures) -> None:
    messages = [w.message for w in _scan().warnings]
    assert not any(m.startswith("unused") for m in messages)


def test_future_expiry_lapses_once_its_date_has_passed(fixtures) -> None:
    report = scan(["s/inline.yaml"], ScanOptions(policy=FindingPolicy(today=datetime.date(2099, 1, 2))))
    assert ("s/inline.yaml", 32, "IAC201") in _reported(report)
    assert "s/inline.yaml:31: warning: suppression of IAC201 expired on 2099-01-01 and no longer applies" in [
        str(w) for w in report.warnings]


def test_require_reason_turns_reasonless_suppressions_off(fixtures) -> None:
    report = _scan(require_reason=True)
    assert {("s/inline.yaml", 50, "IAC201"), ("s/metadata.json", 48, "IAC201"),
            ("s/terraform/main.tf", 45, "IAC201")} <= _reported(report)
    reasonless = [str(w) for w in report.warnings if "reason" in w.message]
    assert reasonless == [
        "s/inline.yaml:50: warning: suppression of IAC201 has no reason and require-reason is set: not applied",
        "s/metadata.json:41: warning: suppression of IAC201 has no reason and require-reason is set: not applied",
        "s/terraform/main.tf:45: warning: suppression of IAC201 has no reason and require-reason is set: not applied",
    ]


def test_no_suppressions_reports_everything_without_warnings(fixtures) -> None:
    normal = _scan()
    everything = _reported(normal) | {(f.file, f.line, f.code) for f in normal.suppressed}
    report = _scan(use_suppressions=False)
    assert report.suppressed == [] and report.warnings == []
    assert _reported(report) == everything


def test_suppressed_findings_never_count_for_the_exit_status(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("t.yaml").write_text(
        "Resources:\n"
        "  Sg:\n"
        "    Type: AWS::EC2::SecurityGroup\n"
        "    Properties:\n"
        "      GroupDescription: x\n"
        "      SecurityGroupIngress:\n"
        "        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}  # iaclint:ignore IAC201 -- ok\n"
    )
    report = scan(["t.yaml"], ScanOptions(policy=FindingPolicy(today=TODAY)))
    assert report.findings == [] and [(f.line, f.code) for f in report.suppressed] == [(7, "IAC201")]
    assert report.exit_code == 0


def test_stacked_comments_above_a_resource_and_invalid_directives(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("t.yaml").write_text(
        "Resources:\n"
        "  # iaclint:ignore IAC999,IAC201 -- one unknown code, one good\n"
        "  # iaclint:ignore IAC201 until=2027-13-01 -- bad date\n"
        "  # iaclint:ignore -- no codes\n"
        "  Sg:\n"
        "    Type: AWS::EC2::SecurityGroup\n"
        "    Properties:\n"
        "      GroupDescription: x\n"
        "      SecurityGroupIngress:\n"
        "        - IpProtocol: tcp\n"
        "          FromPort: 22\n"
        "          ToPort: 22\n"
        "          CidrIp: 0.0.0.0/0\n"
        "  Other:\n"
        "    Type: AWS::EC2::SecurityGroup\n"
        "    Properties:\n"
        "      GroupDescription: y\n"
        "      SecurityGroupIngress:\n"
        "        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}\n"
    )
    report = scan(["t.yaml"], ScanOptions(policy=FindingPolicy(today=TODAY)))
    assert _suppressed(report) == {("t.yaml", 13, "IAC201", "t.yaml:2", "one unknown code, one good")}
    assert _reported(report) == {("t.yaml", 19, "IAC201")}  # the resource span ends before `Other`
    assert [str(w) for w in report.warnings] == [
        "t.yaml:2: warning: invalid suppression: unknown rule 'IAC999'",
        "t.yaml:3: warning: invalid suppression: bad date 'until=2027-13-01' (expected until=YYYY-MM-DD)",
        "t.yaml:4: warning: invalid suppression: no rule codes (write `iaclint:ignore IAC201 -- reason`)",
    ]


def test_invalid_metadata_is_a_warning(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("t.yaml").write_text(
        "Resources:\n"
        "  Sg:\n"
        "    Type: AWS::EC2::SecurityGroup\n"
        "    Metadata:\n"
        "      iaclint:\n"
        "        ignore:\n"
        "          - reason: no code given\n"
        "    Properties:\n"
        "      GroupDescription: x\n"
        "      SecurityGroupIngress:\n"
        "        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}\n"
        "  Other:\n"
        "    Type: AWS::EC2::SecurityGroup\n"
        "    Metadata:\n"
        "      iaclint: {ignore: IAC201}\n"
        "    Properties:\n"
        "      GroupDescription: x\n"
    )
    report = scan(["t.yaml"], ScanOptions(policy=FindingPolicy(today=TODAY)))
    assert _reported(report) == {("t.yaml", 11, "IAC201")}
    assert [str(w) for w in report.warnings] == [
        "t.yaml:7: warning: invalid suppression: each Metadata iaclint.ignore entry needs a `code`",
        "t.yaml:15: warning: invalid suppression: Metadata iaclint needs an `ignore` list",
    ]


@pytest.mark.parametrize("line, hcl, expected", [
    ("key: value # c", False, [(1, " c", False)]),
    ("# c", False, [(1, " c", True)]),
    ("key: a#b", False, []),
    ("key: 'x # y'", False, []),
    ("key: 'it''s # y' # c", False, [(1, " c", False)]),
    ('key: "x \\" # y" # c', False, [(1, " c", False)]),
    ("key: it's # c", False, [(1, " c", False)]),  # an apostrophe inside a plain value opens no string
    ('a = "x # y"', True, []),
    ('a = "x // y" // c', True, [(1, " c", False)]),
    ("a = 1 # c", True, [(1, " c", False)]),
    ("a = 1#c", True, [(1, "c", False)]),
])
def test_comment_scan_skips_quoted_strings(line: str, hcl: bool, expected) -> None:
    assert list(comments(line, hcl)) == expected


def test_comment_scan_skips_heredocs_and_block_scalars() -> None:
    hcl = 'policy = <<EOF\n# not a comment\nEOF\n# comment\n'
    assert list(comments(hcl, True)) == [(4, " comment", True)]
    yaml = "Script: |\n  # not a comment\n  echo\nKey: v # comment\n"
    assert list(comments(yaml, False)) == [(4, " comment", False)]


def test_through_the_command(tmp_path: Path) -> None:
    import json
    import subprocess
    import sys

    beside = Path(sys.executable).parent / "iaclint"
    command = str(beside) if beside.exists() else shutil.which("iaclint")
    (tmp_path / ".git").mkdir()
    (tmp_path / "t.tf").write_text(
        'resource "aws_security_group" "lb" {\n'
        "  ingress {\n"
        '    protocol    = "tcp"\n'
        "    from_port   = 22\n"
        "    to_port     = 22\n"
        '    cidr_blocks = ["0.0.0.0/0"] # iaclint:ignore IAC201 until=2099-01-01 -- bastion, reviewed\n'
        "  }\n"
        "}\n"
    )

    def run(*args):
        return subprocess.run([command, *args, "t.tf"], cwd=tmp_path, capture_output=True, text=True, timeout=120)

    quiet = run()
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, "0 findings, 1 suppressed in 1 file scanned\n", "")
    data = json.loads(run("--format", "json").stdout)
    assert data["findings"] == []
    assert [(f["file"], f["line"], f["code"], f["suppression"]) for f in data["suppressed"]] == [
        ("t.tf", 6, "IAC201", {"kind": "inSource", "justification": "bastion, reviewed", "source": "t.tf:6"})]
    audit = run("--no-suppressions")
    assert audit.returncode == 1
    assert [line.split(": ")[0] for line in audit.stdout.splitlines()] == [
        "t.tf:6:20", "1 finding (1 high) in 1 file scanned"]
    (tmp_path / ".iaclint.toml").write_text("require-reason = true\n")
    (tmp_path / "t.tf").write_text((tmp_path / "t.tf").read_text().replace(" -- bastion, reviewed", ""))
    strict = run()
    assert strict.returncode == 1
    assert strict.stdout.splitlines()[1:] == [
        "t.tf:6: warning: suppression of IAC201 has no reason and require-reason is set: not applied",
        "1 finding (1 high), 1 warning in 1 file scanned",
    ]
    assert run("--no-require-reason").returncode == 0
