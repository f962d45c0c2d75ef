"""The content cache and parallel scans: neither changes what is reported; a cached result is used only while
every file and input it depends on is unchanged; a damaged, planted or half-written entry is never trusted."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest

from iaclint import runner
from iaclint.engine import scan
from test_cli import FIXTURES, IACLINT, run

SSH_OPEN = 'security group allows port 22 (SSH) from 0.0.0.0/0'


def _lines(result: subprocess.CompletedProcess) -> list[str]:
    return result.stdout.splitlines()


def _entries(cache: Path) -> list[Path]:
    return sorted(cache.glob("v*/*/*.json"))


@pytest.fixture
def module(tmp_path: Path) -> Path:
    """A Terraform module whose open port comes from terraform.tfvars, with a file() target and a nested
    CloudFormation template beside it."""
    (tmp_path / "infra").mkdir()
    (tmp_path / "infra" / "main.tf").write_text(textwrap.dedent("""\
        variable "port" {}
        resource "aws_security_group" "web" {
          ingress {
            from_port   = var.port
            to_port     = var.port
            protocol    = "tcp"
            cidr_blocks = [trimspace(file("${path.module}/cidr.txt"))]
          }
        }
        """))
    (tmp_path / "infra" / "terraform.tfvars").write_text("port = 22\n")
    (tmp_path / "infra" / "cidr.txt").write_text("10.0.0.0/8\n")
    (tmp_path / "stacks").mkdir()
    (tmp_path / "stacks" / "parent.yaml").write_text(textwrap.dedent("""\
        Resources:
          Child:
            Type: AWS::CloudFormation::Stack
            Properties:
              TemplateURL: ./child.yaml
        """))
    (tmp_path / "stacks" / "child.yaml").write_text(textwrap.dedent("""\
        Resources:
          SG:
            Type: AWS::EC2::SecurityGroup
            Properties:
              GroupDescription: web
              SecurityGroupIngress:
                - {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/8}
        """))
    return tmp_path


def _scan(project: Path, *args: str) -> subprocess.CompletedProcess:
    return run("--cache-dir", "cache", "--select", "IAC201", *args, ".", cwd=project)


def test_a_warm_run_reports_what_the_cold_run_did_and_reads_from_the_cache(module: Path) -> None:
    cold = _scan(module)
    assert len(_entries(module / "cache")) == 3  # the module, and each template as a unit of its own
    warm = _scan(module)
    assert (warm.returncode, _lines(warm)) == (cold.returncode, _lines(cold)) == (0, ["0 findings in 4 files scanned"])
    # Proof that the warm run used the entries: one whose result was altered (and signed again would be
    # needed) is not used, but an intact one is — shown by the modification times staying put.
    stamps = {path: path.stat().st_mtime_ns for path in _entries(module / "cache")}
    _scan(module)
    assert {path: path.stat().st_mtime_ns for path in _entries(module / "cache")} == stamps


@pytest.mark.parametrize("change, expected", [
    # a variable file the module reads by itself
    (lambda p: (p / "infra" / "terraform.tfvars").write_text("port = 22\n\n"), "no change"),
    (lambda p: (p / "infra" / "cidr.txt").write_text("0.0.0.0/0\n"), "infra/main.tf:7:20"),
    (lambda p: (p / "infra" / "terraform.tfvars").write_text("port = 22\n") and
     (p / "infra" / "cidr.txt").write_text("0.0.0.0/0\n"), "infra/main.tf:7:20"),
    # a nested template read through its parent
    (lambda p: (p / "stacks" / "child.yaml").write_text((p / "stacks" / "child.yaml").read_text().replace(
        "443, ToPort: 443, CidrIp: 10.0.0.0/8", "22, ToPort: 22, CidrIp: 0.0.0.0/0")), "stacks/child.yaml:7:"),
    # a file added beside the module's files
    (lambda p: (p / "infra" / "open.auto.tfvars").write_text('port = 22\n'), "no change"),
], ids=["same-content-other-bytes", "file-target", "tfvars-and-file-target", "nested-template", "new-auto-tfvars"])
def test_a_changed_input_is_never_answered_from_the_cache(module: Path, change, expected: str) -> None:
    _scan(module)
    change(module)
    warm = _scan(module)
    fresh = run("--no-cache", "--select", "IAC201", ".", cwd=module)
    assert _lines(warm) == _lines(fresh)
    if expected == "no change":
        assert _lines(warm)[-1].startswith("0 findings")
    else:
        assert any(line.startswith(expected) and SSH_OPEN in line for line in _lines(warm)), _lines(warm)


def _parsed_entries(cache: Path) -> dict[Path, int]:
    return {path: path.stat().st_mtime_ns for path in cache.glob("v*/parsed/tree/*/*")}


def test_a_module_judged_again_parses_only_the_file_that_changed(module: Path) -> None:
    (module / "infra" / "cidr.txt").write_text("0.0.0.0/0\n")
    _scan(module)
    kept = _parsed_entries(module / "cache")
    assert len(kept) == 2  # main.tf and terraform.tfvars
    (module / "infra" / "extra.tf").write_text(textwrap.dedent("""\
        resource "aws_security_group" "admin" {
          ingress {
            from_port   = 3389
            to_port     = 3389
            protocol    = "tcp"
            cidr_blocks = ["0.0.0.0/0"]
          }
        }
        """))
    warm = _scan(module)
    assert _lines(warm) == _lines(run("--no-cache", "--select", "IAC201", ".", cwd=module))
    assert [line.split(" IAC201")[0] for line in _lines(warm)[:2]] == ["infra/extra.tf:6:20:", "infra/main.tf:7:20:"]
    now = _parsed_entries(module / "cache")
    assert {path: now[path] for path in kept} == kept  # the unchanged files were read back, not parsed anew
    assert len(now) == 3


@pytest.mark.parametrize("damage", [
    lambda data: data[: len(data) // 2],
    lambda data: data[:65] + b"\x00" * (len(data) - 65),  # signed, then altered
], ids=["truncated", "altered"])
def test_a_damaged_parsed_file_entry_is_parsed_again(module: Path, damage) -> None:
    (module / "infra" / "cidr.txt").write_text("0.0.0.0/0\n")
    cold = _scan(module)
    for entry in _parsed_entries(module / "cache"):
        entry.write_bytes(damage(entry.read_bytes()))
    (module / "infra" / "terraform.tfvars").write_text("port = 22\n\n")  # the module's result is not current
    warm = _scan(module)
    assert (warm.returncode, _lines(warm), warm.stderr) == (cold.returncode, _lines(cold), "")


def test_a_changed_variable_on_the_command_line_is_not_answered_from_the_cache(module: Path) -> None:
    (module / "infra" / "cidr.txt").write_text("0.0.0.0/0\n")
    first = _scan(module, "--var", "port=443")
    second = _scan(module, "--var", "port=22")
    assert _lines(first)[-1] == "0 findings in 4 files scanned"
    assert _lines(second)[0].startswith("infra/main.tf:7:20: IAC201 [high] open-ingress: " + SSH_OPEN)


def test_changing_the_selection_or_format_needs_no_new_entries(module: Path) -> None:
    (module / "infra" / "cidr.txt").write_text("0.0.0.0/0\n")
    run("--cache-dir", "cache", ".", cwd=module)
    stamps = {path: path.stat().st_mtime_ns for path in _entries(module / "cache")}
    selected = run("--cache-dir", "cache", "--select", "IAC201", "--format", "json", ".", cwd=module)
    assert [f["code"] for f in json.loads(selected.stdout)["findings"]] == ["IAC201"]
    assert {path: path.stat().st_mtime_ns for path in _entries(module / "cache")} == stamps


@pytest.mark.parametrize("damage", [
    lambda data: data[: len(data) // 2],  # a half-written file
    lambda data: b"\x00\xff" * 10,  # garbage
    # a result altered after it was signed: what a planted entry claiming "nothing found" looks like
    lambda data: data.replace(b'"IAC201"', b'"IAC999"'),
], ids=["truncated", "garbage", "forged"])
def test_a_damaged_or_planted_entry_is_ignored_and_rewritten(module: Path, damage) -> None:
    (module / "infra" / "cidr.txt").write_text("0.0.0.0/0\n")
    cold = _scan(module)
    for entry in _entries(module / "cache"):
        entry.write_bytes(damage(entry.read_bytes()))
    warm = _scan(module)
    assert (warm.returncode, _lines(warm)) == (cold.returncode, _lines(cold))
    assert warm.stderr == ""
    again = _scan(module)  # the entries were written anew and are good again
    assert _lines(again) == _lines(cold)


def test_an_entry_signed_by_another_user_is_not_trusted(module: Path, tmp_path: Path) -> None:
    (module / "infra" / "cidr.txt").write_text("0.0.0.0/0\n")
    cold = _scan(module)
    open_entry = next(p for p in _entries(module / "cache") if b"IAC201" in p.read_bytes())
    # Another user's key: the entry of a run that found nothing, planted where this one looks.
    other = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "other-user"))
    (module / "infra" / "cidr.txt").write_text("10.0.0.0/8\n")
    subprocess.run([IACLINT, "--cache-dir", "planted", "--select", "IAC201", "."], cwd=module, env=other,
                   capture_output=True, check=False)
    (module / "infra" / "cidr.txt").write_text("0.0.0.0/0\n")
    planted = next(p for p in _entries(module / "planted") if p.name == open_entry.name)
    shutil.copyfile(planted, open_entry)
    warm = _scan(module)
    assert _lines(warm) == _lines(cold)


def test_the_cache_keeps_out_of_git_and_lives_at_the_top_of_the_checkout(module: Path) -> None:
    subprocess.run(["git", "init", "-q", str(module)], check=True)
    default = {name: value for name, value in os.environ.items() if name != "IACLINT_CACHE_DIR"}
    result = subprocess.run([IACLINT, "../infra"], cwd=module / "stacks", env=default, capture_output=True,
                            text=True, check=False)
    assert (result.returncode, _lines(result)) == (0, ["0 findings in 2 files scanned"])
    assert (module / ".iaclint_cache" / ".gitignore").read_text().splitlines()[-1] == "*"
    status = subprocess.run(["git", "status", "--porcelain", "--ignored"], cwd=module, capture_output=True,
                            text=True, check=True).stdout
    assert "!! .iaclint_cache/" in status.splitlines()


def test_no_cache_writes_nothing(module: Path) -> None:
    result = run("--no-cache", ".", cwd=module)
    assert result.returncode == 0
    assert not (module / ".iaclint_cache").exists()


def test_two_runs_at_once_on_one_cache_both_succeed(module: Path) -> None:
    (module / "infra" / "cidr.txt").write_text("0.0.0.0/0\n")
    expected = _lines(run("--no-cache", "--select", "IAC201", ".", cwd=module))
    command = [IACLINT, "--cache-dir", "cache", "--select", "IAC201", "."]
    runs = [subprocess.Popen(command, cwd=module, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(2)]
    outputs = [process.communicate(timeout=120) for process in runs]
    assert [(process.returncode, out.splitlines(), err) for process, (out, err) in zip(runs, outputs)] == [
        (1, expected, "")] * 2
    assert not list((module / "cache").glob("v*/*/.tmp-*"))  # no temporary file left behind


def test_one_process_and_several_give_byte_identical_reports(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES, tmp_path / "fixtures")
    reports = []
    for jobs in ("1", "2", "3"):
        result = run("--no-cache", "--jobs", jobs, "--format", "json", "fixtures", cwd=tmp_path)
        reports.append((result.returncode, result.stdout))
    assert reports[0][0] == 2  # the fixture tree holds malformed files on purpose
    assert reports[1] == reports[0] and reports[2] == reports[0]


def test_a_pool_of_workers_gives_the_same_report_as_one_process(monkeypatch, tmp_path: Path) -> None:
    shutil.copytree(FIXTURES, tmp_path / "fixtures")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(runner, "PARALLEL_MIN_BYTES", 0)  # the fixtures are small: make a pool anyway
    alone = scan(["fixtures"])
    pooled = scan(["fixtures"], jobs=2)
    assert [f.to_dict() for f in pooled.findings] == [f.to_dict() for f in alone.findings]
    assert pooled.errors == alone.errors and pooled.warnings == alone.warnings
    assert [f.to_dict() for f in pooled.suppressed] == [f.to_dict() for f in alone.suppressed]
    assert pooled.units == alone.units and pooled.files_scanned == alone.files_scanned


@pytest.mark.parametrize("sizes,jobs,batches", [
    # Neighbours stay together, in order, about sum / (jobs * 16) = 20 bytes a batch.
    ([10] * 64, 2, [[2 * n, 2 * n + 1] for n in range(32)]),
    # A unit bigger than a batch is a batch of its own; its neighbours start and end the others.
    ([5, 5, 600, 5, 5], 1, [[0, 1], [2], [3, 4]]),
    ([0, 0, 0], 4, [[0, 1, 2]]),  # empty files: one batch of everything
])
def test_the_pool_is_given_runs_of_neighbouring_units(sizes: list[int], jobs: int,
                                                      batches: list[list[int]]) -> None:
    assert runner.neighbour_batches(sizes, jobs) == batches


def test_jobs_must_be_a_positive_number(tmp_path: Path) -> None:
    result = run("--jobs", "0", ".", cwd=tmp_path)
    assert result.returncode == 2
    assert "argument -j/--jobs: needs at least 1 process: '0'" in result.stderr


def _files(cache: Path) -> list[Path]:
    return sorted(path for path in cache.glob("v*/**/*") if path.is_file())


def test_the_cache_keeps_to_its_bound_by_dropping_the_oldest_entries(module: Path) -> None:
    from iaclint.cache import open_cache

    _scan(module)
    files = _files(module / "cache")
    for age, path in enumerate(reversed(files)):  # files[0] the oldest
        os.utime(path, (1_000_000 - age, 1_000_000 - age))
    untouched = open_cache(str(module / "cache"))
    untouched.prune(limit=0)  # it wrote nothing: nothing to do, and the cache is not walked
    assert _files(module / "cache") == files
    cache = open_cache(str(module / "cache"))
    cache.store_parsed("x = 1\n", b"a tree", "tree")
    newest = next(path for path in _files(module / "cache") if path not in files)
    cache.prune(limit=sum(path.stat().st_size for path in files[1:]) + newest.stat().st_size)
    assert _files(module / "cache") == sorted([*files[1:], newest])
