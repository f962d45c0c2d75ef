"""Configuration files: discovery, precedence (defaults < file < command line), effects, every error."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from iaclint import config
from iaclint.cli import main

_BESIDE = Path(sys.executable).parent / "iaclint"
IACLINT = str(_BESIDE) if _BESIDE.exists() else shutil.which("iaclint")

OPEN_SSH = (
    "Resources:\n"
    "  Sg:\n"
    "    Type: AWS::EC2::SecurityGroup\n"
    "    Properties:\n"
    "      GroupDescription: x\n"
    "      SecurityGroupIngress:\n"
    "        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}\n"
)
OPEN_8080 = OPEN_SSH.replace("22", "8080")  # medium: not an administrative port


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> Path:
    (tmp_path / ".git").mkdir()  # discovery stops here, whatever lies above the temporary directory
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _resolve(*paths: str, command_line=None, config_file=None):
    return config.resolve(list(paths) or ["."], command_line or {}, config_file)


def test_defaults_without_a_file(project: Path) -> None:
    path, effective = _resolve()
    assert path is None
    assert {k: (s.value, s.source) for k, s in effective.items()} == {
        "select": ((), "default"), "ignore": ((), "default"), "exclude": ((), "default"),
        "per-file-ignores": ({}, "default"), "severity": ({}, "default"), "fail-on": ("low", "default"),
        "min-severity": ("low", "default"),
        "public-ports": ((80, 443), "default"), "require-reason": (False, "default"),
        "strict": (False, "default"), "var-files": ((), "default"), "baseline": ("", "default"),
        "account-baseline": ((), "default"),
    }


def test_found_by_walking_up_and_overridden_by_the_command_line(project: Path) -> None:
    (project / "pyproject.toml").write_text('[tool.iaclint]\nfail-on = "high"\nignore = ["IAC102"]\nstrict = true\n')
    (project / "stacks" / "web").mkdir(parents=True)
    path, effective = _resolve("stacks/web", command_line={"fail-on": "medium", "strict": False})
    assert path == "pyproject.toml"
    assert (effective["fail-on"].value, effective["fail-on"].source) == ("medium", "command line")
    assert (effective["strict"].value, effective["strict"].source) == (False, "command line")
    assert (effective["ignore"].value, effective["ignore"].source) == (("IAC102",), "pyproject.toml")


def test_iaclint_toml_wins_over_pyproject_and_nearest_wins(project: Path) -> None:
    (project / "pyproject.toml").write_text('[tool.iaclint]\nfail-on = "high"\n')
    (project / "sub").mkdir()
    (project / "sub" / "pyproject.toml").write_text('[project]\nname = "x"\n')  # no [tool.iaclint]: skipped
    assert _resolve("sub")[0] == "pyproject.toml"
    (project / "sub" / ".iaclint.toml").write_text('fail-on = "critical"\n')
    (project / "sub" / "pyproject.toml").write_text('[tool.iaclint]\nfail-on = "medium"\n')
    path, effective = _resolve("sub")
    assert path == os.path.join("sub", ".iaclint.toml") and effective["fail-on"].value == "critical"


@pytest.mark.parametrize("git_is_a_file", [False, True])  # a worktree or submodule has a .git file
def test_discovery_stops_at_the_repository_root(tmp_path: Path, monkeypatch, git_is_a_file: bool) -> None:
    (tmp_path / ".iaclint.toml").write_text('fail-on = "high"\n')
    (tmp_path / "repo").mkdir()
    if git_is_a_file:
        (tmp_path / "repo" / ".git").write_text("gitdir: /elsewhere\n")
    else:
        (tmp_path / "repo" / ".git").mkdir()
    monkeypatch.chdir(tmp_path / "repo")
    assert _resolve(".")[0] is None


ERRORS = [
    ('fail_on = "high"\n', "{f}: unknown key 'fail_on' (did you mean 'fail-on'? known keys: select, ignore, exclude, per-file-ignores, "
                           "severity, fail-on, min-severity, require-reason, strict, var-files, baseline, account-baseline, "
                           "public-ports)"),
    ('fail-on = "severe"\n', "{f}: 'fail-on' must be one of critical, high, medium, low, not 'severe'"),
    ('select = "IAC201"\n', "{f}: 'select' must be a list of strings"),
    ('ignore = ["IAC999"]\n', "{f}: 'ignore': unknown rule 'IAC999' (`iaclint rules` lists them)"),
    ('exclude = [1]\n', "{f}: 'exclude' must be a list of strings"),
    ('var-files = "a.tfvars"\n', "{f}: 'var-files' must be a list of strings"),
    ('public-ports = [80, 70000]\n', "{f}: 'public-ports': port 70000 is out of range (0-65535)"),
    ('public-ports = ["80"]\n', "{f}: 'public-ports' must be a list of port numbers (0-65535)"),
    ('strict = "yes"\n', "{f}: 'strict' must be true or false, not 'yes'"),
    ('require-reason = 1\n', "{f}: 'require-reason' must be true or false, not 1"),
    ('severity = "low"\n', "{f}: 'severity' must be a table of rule = severity (to show only findings at or above "
                          "a severity, use min-severity)"),
    ('min-severity = "hi"\n', "{f}: 'min-severity' must be one of critical, high, medium, low, not 'hi'"),
    ('severity = {IAC201 = "urgent"}\n', "{f}: 'severity': 'IAC201': must be one of critical, high, medium, low, "
                                         "not 'urgent'"),
    ('severity = {nope = "low"}\n', "{f}: 'severity': 'nope': unknown rule 'nope' (`iaclint rules` lists them)"),
    ('per-file-ignores = ["a"]\n', "{f}: 'per-file-ignores' must be a table of glob = [rules]"),
    ('per-file-ignores = {"legacy/*" = "IAC201"}\n', "{f}: 'per-file-ignores': 'legacy/*': must be a list of strings"),
    ('per-file-ignores = {"legacy/*" = ["x"]}\n', "{f}: 'per-file-ignores': 'legacy/*': unknown rule 'x' "
                                                  "(`iaclint rules` lists them)"),
]


@pytest.mark.parametrize("text, message", ERRORS)
def test_every_bad_value_names_the_key_and_the_file(project: Path, text: str, message: str, capsys) -> None:
    (project / ".iaclint.toml").write_text(text)
    with pytest.raises(config.ConfigError) as caught:
        _resolve()
    assert str(caught.value) == message.format(f=".iaclint.toml")
    # The command reports it as an error, exit status 2, no traceback.
    (project / "t.yaml").write_text(OPEN_SSH)
    assert main(["t.yaml"]) == 2
    assert capsys.readouterr().err == f"iaclint: error: {message.format(f='.iaclint.toml')}\n"


def test_file_level_errors(project: Path) -> None:
    (project / ".iaclint.toml").write_text("fail-on = \n")
    with pytest.raises(config.ConfigError) as caught:
        _resolve()
    assert str(caught.value) == ".iaclint.toml: invalid TOML: Invalid value (at line 1, column 11)"
    with pytest.raises(config.ConfigError) as caught:
        _resolve(config_file="missing.toml")
    assert str(caught.value) == "cannot read configuration missing.toml: No such file or directory"
    (project / "other.toml").write_text("")
    (project / "pyproject.toml").write_text('[project]\nname = "x"\n')
    with pytest.raises(config.ConfigError) as caught:
        _resolve(config_file="pyproject.toml")
    assert str(caught.value) == "pyproject.toml: no [tool.iaclint] table"
    assert _resolve(config_file="other.toml")[0] == "other.toml"  # --config skips discovery


def _lines(capsys) -> list[str]:
    return capsys.readouterr().out.splitlines()


def test_fail_on_severity_and_public_ports_from_file_and_command_line(project: Path, capsys) -> None:
    (project / "ssh.yaml").write_text(OPEN_SSH)
    (project / "web.yaml").write_text(OPEN_8080)
    (project / ".iaclint.toml").write_text('fail-on = "high"\nseverity = {"open-ingress" = "low"}\n')
    # The high SSH finding is lowered to low by the file: nothing reaches fail-on = high.
    assert main(["ssh.yaml"]) == 0
    assert _lines(capsys)[0].startswith("ssh.yaml:7:63: IAC201 [low] open-ingress:")
    assert main(["ssh.yaml", "--fail-on", "low"]) == 1  # the command line wins
    capsys.readouterr()
    (project / ".iaclint.toml").write_text("public-ports = [80, 443, 8080]\n")
    assert main(["web.yaml"]) == 0 and _lines(capsys) == ["0 findings in 1 file scanned"]
    assert main(["web.yaml", "--public-ports", "443"]) == 1
    assert _lines(capsys)[-1] == "1 finding (1 medium) in 1 file scanned"


def test_exclude_and_per_file_ignores_are_relative_to_the_file(project: Path, capsys) -> None:
    for folder in ("legacy", "new", "vendored"):
        (project / "infra" / folder).mkdir(parents=True)
        (project / "infra" / folder / "t.yaml").write_text(OPEN_SSH)
    (project / "infra" / ".iaclint.toml").write_text(
        'exclude = ["vendored"]\nper-file-ignores = {"legacy/*.yaml" = ["open-ingress"]}\n')
    assert main(["infra"]) == 1
    assert [line.split(": ")[0] for line in _lines(capsys)] == ["infra/new/t.yaml:7:63", "1 finding (1 high) in 2 files scanned"]
    # --exclude replaces the file's list and is relative to the current directory.
    assert main(["infra", "--exclude", "infra/new"]) == 1
    assert [line.split(": ")[0] for line in _lines(capsys)] == ["infra/vendored/t.yaml:7:63",
                                                               "1 finding (1 high) in 2 files scanned"]


def test_var_files_are_resolved_against_the_config_directory(project: Path) -> None:
    (project / ".iaclint.toml").write_text('var-files = ["env/prod.tfvars"]\n')
    path, effective = _resolve()
    from iaclint.options import ScanOptions

    options = config.configure(ScanOptions(), effective, path)
    assert options.inputs.terraform_var_files == (str(project / "env" / "prod.tfvars"),)


def test_iaclint_config_command_prints_values_and_sources(project: Path) -> None:
    (project / "pyproject.toml").write_text(
        '[tool.iaclint]\nfail-on = "high"\nselect = ["IAC201", "hardcoded-secret"]\n'
        'per-file-ignores = {"legacy/**" = ["IAC201"]}\n')
    result = subprocess.run([IACLINT, "config", ".", "--strict", "--ignore", "IAC102"], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "# configuration file: pyproject.toml",
        'select = ["IAC201", "hardcoded-secret"]        # pyproject.toml',
        'ignore = ["IAC102"]                            # command line',
        "exclude = []                                   # default",
        'per-file-ignores = {"legacy/**" = ["IAC201"]}  # pyproject.toml',
        "severity = {}                                  # default",
        'fail-on = "high"                               # pyproject.toml',
        'min-severity = "low"                           # default',
        "require-reason = false                         # default",
        "strict = true                                  # command line",
        "var-files = []                                 # default",
        'baseline = ""                                  # default',
        "account-baseline = []                          # default",
        "public-ports = [80, 443]                       # default",
    ]
    (project / "pyproject.toml").write_text('[tool.iaclint]\nfail-on = "urgent"\n')
    result = subprocess.run([IACLINT, "config"], capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == ("iaclint: error: pyproject.toml: 'fail-on' must be one of critical, high, medium, low, "
                             "not 'urgent'\n")


# -- each file governed by its nearest configuration, like ruff ---------------------------------------------

def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([IACLINT, *args], cwd=cwd, capture_output=True, text=True, timeout=60)


def _found(stdout: str) -> list[tuple[str, str]]:
    return [(line.split(":")[0], line.split()[1]) for line in stdout.splitlines() if " IAC" in line]


def _tree(project: Path) -> None:
    for name in ("a", "b", "c"):
        (project / name).mkdir()
        (project / name / "t.yaml").write_text(OPEN_SSH)
    (project / "a" / ".iaclint.toml").write_text('ignore = ["IAC201"]\n')
    (project / "b" / "pyproject.toml").write_text("[tool.iaclint]\npublic-ports = [22]\n")


def test_each_file_is_governed_by_its_nearest_configuration(project: Path) -> None:
    _tree(project)
    done = _run("a/t.yaml", "b/t.yaml", "c/t.yaml", cwd=project)
    assert (done.returncode, _found(done.stdout)) == (1, [("c/t.yaml", "IAC201")])
    done = _run(".", cwd=project)  # the same from a directory scan
    assert (done.returncode, _found(done.stdout)) == (1, [("c/t.yaml", "IAC201")])


def test_a_terraform_module_is_governed_by_the_configuration_above_its_directory(project: Path) -> None:
    (project / "net").mkdir()
    (project / "net" / "main.tf").write_text(
        'resource "aws_security_group" "s" {\n  ingress {\n    protocol = "tcp"\n    from_port = 22\n'
        '    to_port = 22\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n')
    (project / "net" / ".iaclint.toml").write_text('ignore = ["open-ingress"]\n')
    (project / "t.yaml").write_text(OPEN_SSH)
    done = _run("net/main.tf", "t.yaml", cwd=project)
    assert (done.returncode, _found(done.stdout)) == (1, [("t.yaml", "IAC201")])


def test_config_option_governs_every_file(project: Path) -> None:
    _tree(project)
    (project / "all.toml").write_text("select = []\n")
    done = _run("--config", "all.toml", "a/t.yaml", "b/t.yaml", "c/t.yaml", cwd=project)
    assert _found(done.stdout) == [("a/t.yaml", "IAC201"), ("b/t.yaml", "IAC201"), ("c/t.yaml", "IAC201")]


def test_fail_on_is_each_files_own(project: Path) -> None:
    for name in ("a", "b"):
        (project / name).mkdir()
    (project / "a" / "t.yaml").write_text(OPEN_8080)  # a medium finding
    (project / "a" / ".iaclint.toml").write_text('fail-on = "high"\n')
    (project / "b" / "t.yaml").write_text("Resources:\n  B:\n    Type: AWS::SNS::Topic\n")  # nothing to find
    done = _run("a/t.yaml", "b/t.yaml", cwd=project)
    assert (done.returncode, _found(done.stdout)) == (0, [("a/t.yaml", "IAC201")])
    (project / "a" / ".iaclint.toml").unlink()
    assert _run("a/t.yaml", "b/t.yaml", cwd=project).returncode == 1


def test_iaclint_config_shows_what_governs_each_path(project: Path) -> None:
    _tree(project)
    done = _run("config", "a/t.yaml", "b", "c/t.yaml", "--strict", cwd=project)
    assert done.returncode == 0, done.stderr
    blocks = done.stdout.split("\n\n")
    assert [block.splitlines()[0] for block in blocks] == [
        "# configuration file: a/.iaclint.toml (governs a/t.yaml)",
        "# configuration file: b/pyproject.toml (governs b)",
        "# configuration file: none found (governs c/t.yaml)",
    ]

    def settings(block: str) -> list[str]:
        return [" ".join(line.split()) for line in block.splitlines()[1:]]

    assert 'ignore = ["IAC201"] # a/.iaclint.toml' in settings(blocks[0])
    assert "public-ports = [22] # b/pyproject.toml" in settings(blocks[1])
    assert "strict = true # command line" in settings(blocks[2])
    assert "public-ports = [80, 443] # default" in settings(blocks[2])
    missing = _run("config", "nope", cwd=project)
    assert (missing.returncode, missing.stderr) == (2, "iaclint: error: no such file or directory: nope\n")


def test_a_baseline_named_in_the_configuration_is_read_relative_to_it(project: Path) -> None:
    (project / "infra").mkdir()
    (project / "infra" / "t.yaml").write_text(OPEN_SSH)
    assert _run("--write-baseline", "infra/accepted.json", "infra", cwd=project).returncode == 0
    (project / "infra" / ".iaclint.toml").write_text('baseline = "accepted.json"\n')
    done = _run("infra", cwd=project)
    assert (done.returncode, _found(done.stdout)) == (0, [])
    assert done.stdout.endswith("0 findings, 1 baselined finding not shown (infra/accepted.json) in 1 file scanned\n")


def test_rule_settings_are_declared_by_their_rule_area() -> None:
    from iaclint.options import ScanOptions
    from iaclint.settings import declared

    # public-ports belongs to the network rules: declared there, a configuration key, a default for scans.
    assert "public-ports" in declared() and "public-ports" not in config.KEYS
    assert config.all_keys()["public-ports"][1] == (80, 443)
    assert ScanOptions().settings == {"public-ports": (80, 443)}
    with pytest.raises(ValueError):
        declared()["public-ports"].check([70000])


def test_options_are_still_taken_one_by_one() -> None:
    from iaclint.options import ScanOptions

    options = ScanOptions(strict=True, terraform_vars={"env": '"prod"'}, public_ports=(22,))
    assert (options.policy.strict, options.inputs.terraform_vars, options.settings) == (
        True, {"env": '"prod"'}, {"public-ports": (22,)})
    with pytest.raises(TypeError, match="ScanOptions has no option 'nope'"):
        ScanOptions(nope=1)
