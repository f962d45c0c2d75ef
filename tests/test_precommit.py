"""The pre-commit hook, run for real with `pre-commit try-repo` against this checkout.

try-repo clones this repository (with uncommitted changes as a temporary commit) and builds the hook's
virtualenv from it, which installs iaclint's dependencies from the package index: the slow part.
PRE_COMMIT_HOME is shared by both tests of a session so the environment is built once.
"""

import importlib.util
import os
import shutil
import subprocess
import sys

import pytest

from integration_helpers import REPO, STACK, finding_lines, git, make_repo


def _pre_commit() -> list[str] | None:
    if importlib.util.find_spec("pre_commit") is not None:
        return [sys.executable, "-m", "pre_commit"]
    found = shutil.which("pre-commit")
    return [found] if found else None


pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
    pytest.mark.skipif(_pre_commit() is None, reason="pre-commit is not installed (pip install pre-commit)"),
]


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory):
    return tmp_path_factory.mktemp("pre-commit-home")


def try_repo(repo, home, *extra: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}
    env.pop("PRE_COMMIT", None)
    return subprocess.run([*_pre_commit(), "try-repo", str(REPO), "iaclint", "--color", "never", *extra],
                          cwd=repo, capture_output=True, text=True, env=env, timeout=900, check=False)


def test_all_files(tmp_path, pre_commit_home):
    repo = make_repo(tmp_path / "repo", "cfn", "tf")
    done = try_repo(repo, pre_commit_home, "--all-files")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "- exit code: 1" in done.stdout
    # stack.yaml, web.template (only the `files` pattern lets a .template through), both .tf files;
    # workflow.yaml is YAML but not a template and is reported as nothing.
    assert finding_lines(done.stdout) == [
        *[("cfn/stack.yaml", line, code) for line, code in STACK],
        ("cfn/web.template", 9, "IAC201"),
        ("tf/users.tf", 1, "IAC103"),
    ]


def test_one_staged_terraform_file_is_checked_with_its_module(tmp_path, pre_commit_home):
    repo = make_repo(tmp_path / "repo", "cfn", "tf")
    users = repo / "tf" / "users.tf"
    users.write_text(users.read_text().replace('name = "alice"', 'name = "alice-admin"'))
    git("add", "tf/users.tf", cwd=repo)
    done = try_repo(repo, pre_commit_home)
    # Only users.tf is passed; the finding needs groups.tf (the group's policy does not force MFA: without
    # that file the answer would be unknown and nothing reported), so the module was loaded whole.
    assert done.returncode == 1, done.stdout + done.stderr
    assert finding_lines(done.stdout) == [("tf/users.tf", 1, "IAC103")]


def _staged_only(repo, path, old, new):
    file = repo / path
    file.write_text(file.read_text().replace(old, new))
    git("add", path, cwd=repo)


def test_a_staged_use_of_a_variable_whose_default_is_open_fails(tmp_path, pre_commit_home):
    repo = make_repo(tmp_path / "repo", "infra")
    _staged_only(repo, "infra/db/main.tf", 'cidr_blocks = ["10.0.0.0/8"]', "cidr_blocks = [var.allowed_cidr]")
    done = try_repo(repo, pre_commit_home)
    assert done.returncode == 1, done.stdout + done.stderr
    assert finding_lines(done.stdout) == [("infra/db/main.tf", 8, "IAC201")]
    assert "(the default of var.allowed_cidr, infra/db/variables.tf:3)" in done.stdout


def test_a_staged_tfvars_line_that_opens_ssh_fails(tmp_path, pre_commit_home):
    repo = make_repo(tmp_path / "repo", "infra")
    _staged_only(repo, "infra/net/terraform.tfvars", "10.0.0.0/8", "0.0.0.0/0")
    done = try_repo(repo, pre_commit_home)
    assert done.returncode == 1, done.stdout + done.stderr
    assert finding_lines(done.stdout) == [("infra/net/main.tf", 12, "IAC201")]


def test_a_staged_child_module_is_checked_through_its_callers(tmp_path, pre_commit_home):
    repo = make_repo(tmp_path / "repo", "infra")
    _staged_only(repo, "infra/modules/sg/main.tf", 'cidr_blocks       = ["10.0.0.0/8"]',
                 "cidr_blocks       = [var.cidr]")
    done = try_repo(repo, pre_commit_home)
    assert done.returncode == 1, done.stdout + done.stderr
    assert finding_lines(done.stdout) == [("infra/modules/sg/main.tf", 15, "IAC201")] * 2
