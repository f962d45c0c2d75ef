"""``--diff BASE`` reports the findings BASE does not have, through real git: a change elsewhere, a deleted
setting or a new tfvars line is new; moved lines and unrelated edits are not; the checkout is never touched."""

import json
import os

from iaclint.diff import Change, affected_units
from iaclint.engine import scan
from integration_helpers import finding_lines, git, iaclint, make_repo


def _edit(path, old, new):
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def _summary(stdout: str) -> str:
    return stdout.splitlines()[-1]


def test_a_parameter_default_reached_by_a_changed_reference_is_new(tmp_path):
    repo = make_repo(tmp_path / "repo", "guarded")
    _edit(repo / "guarded/stack.yaml", "CidrIp: 10.0.0.0/8", "CidrIp: !Ref Cidr")
    done = iaclint("--diff", "HEAD", "guarded", cwd=repo)
    assert (done.returncode, finding_lines(done.stdout)) == (1, [("guarded/stack.yaml", 15, "IAC201")])
    assert _summary(done.stdout) == ("1 finding (1 high), 1 existing finding not shown (--diff HEAD) "
                                     "in 3 files scanned")


def test_a_deleted_setting_is_new(tmp_path):
    repo = make_repo(tmp_path / "repo", "guarded")
    _edit(repo / "guarded/stack.yaml", "      EnableKeyRotation: true\n", "")
    _edit(repo / "guarded/tf/main.tf", '  kms_key_id                 = "alias/trail"\n', "")
    done = iaclint("--diff", "HEAD", "guarded", cwd=repo)
    assert (done.returncode, finding_lines(done.stdout)) == (1, [
        ("guarded/stack.yaml", 16, "IAC401"), ("guarded/tf/main.tf", 15, "IAC301")])


def test_a_new_tfvars_line_is_new(tmp_path):
    repo = make_repo(tmp_path / "repo", "guarded")
    (repo / "guarded/tf/terraform.tfvars").write_text('admin_cidr = "0.0.0.0/0"\n')  # untracked: new
    done = iaclint("--diff", "HEAD", "guarded", cwd=repo)
    assert (done.returncode, finding_lines(done.stdout)) == (1, [("guarded/tf/main.tf", 11, "IAC201")])
    assert "(the value given for var.admin_cidr, guarded/tf/terraform.tfvars:1)" in done.stdout


def test_a_deleted_tfvars_file_is_a_change_too(tmp_path):
    repo = make_repo(tmp_path / "repo", "guarded")
    _edit(repo / "guarded/tf/main.tf", 'default = "10.0.0.0/8"', 'default = "0.0.0.0/0"')
    (repo / "guarded/tf/terraform.tfvars").write_text('admin_cidr = "10.0.0.0/8"\n')
    git("add", "-A", cwd=repo)
    git("commit", "-qm", "narrowed by tfvars", cwd=repo)
    (repo / "guarded/tf/terraform.tfvars").unlink()
    done = iaclint("--diff", "HEAD", "guarded", cwd=repo)
    assert (done.returncode, finding_lines(done.stdout)) == (1, [("guarded/tf/main.tf", 11, "IAC201")])


def test_moved_lines_and_unrelated_edits_are_not_new(tmp_path):
    repo = make_repo(tmp_path / "repo", "guarded")
    _edit(repo / "guarded/tf/old.tf", 'resource "aws_security_group" "legacy" {',
          '# Kept for the old VPN.\n\nresource "aws_security_group" "legacy" {\n  description = "legacy"')
    done = iaclint("--diff", "HEAD", "guarded", cwd=repo)
    assert (done.returncode, finding_lines(done.stdout)) == (0, [])
    assert _summary(done.stdout) == "0 findings, 1 existing finding not shown (--diff HEAD) in 3 files scanned"
    data = json.loads(iaclint("--diff", "HEAD", "--format", "json", "guarded", cwd=repo).stdout)
    assert (data["findings"], data["summary"]["compared_with"], data["summary"]["existing"]) == ([], "HEAD", 1)


def test_an_untracked_template_is_new(tmp_path):
    repo = make_repo(tmp_path / "repo", "guarded")
    (repo / "guarded/new.yaml").write_text(
        "Resources:\n  Sg:\n    Type: AWS::EC2::SecurityGroupIngress\n"
        "    Properties: {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0, GroupId: sg-1}\n")
    done = iaclint("--diff", "HEAD", "guarded", cwd=repo)
    assert (done.returncode, finding_lines(done.stdout)) == (1, [("guarded/new.yaml", 4, "IAC201")])


def test_against_an_older_commit_staged_and_unstaged_changes_count(tmp_path):
    repo = make_repo(tmp_path / "repo", "guarded")
    base = git("rev-parse", "HEAD", cwd=repo).strip()
    _edit(repo / "guarded/stack.yaml", "CidrIp: 10.0.0.0/8", "CidrIp: !Ref Cidr")
    git("commit", "-qam", "open", cwd=repo)
    _edit(repo / "guarded/tf/main.tf", '  kms_key_id                 = "alias/trail"\n', "")
    git("add", "guarded/tf/main.tf", cwd=repo)
    done = iaclint("--diff", base, "guarded", cwd=repo)
    assert finding_lines(done.stdout) == [("guarded/stack.yaml", 15, "IAC201"), ("guarded/tf/main.tf", 15, "IAC301")]
    assert finding_lines(iaclint("--diff", "HEAD", "guarded", cwd=repo).stdout) == [("guarded/tf/main.tf", 15, "IAC301")]


def test_the_checkout_is_never_touched(tmp_path):
    repo = make_repo(tmp_path / "repo", "guarded")
    _edit(repo / "guarded/stack.yaml", "CidrIp: 10.0.0.0/8", "CidrIp: !Ref Cidr")
    git("add", "guarded/stack.yaml", cwd=repo)
    (repo / "untracked.txt").write_text("x\n")
    before = (git("status", "--porcelain", cwd=repo), git("worktree", "list", cwd=repo),
              git("stash", "list", cwd=repo), sorted(os.listdir(repo / ".git")))
    assert iaclint("--diff", "HEAD", "guarded", cwd=repo).returncode == 1
    after = (git("status", "--porcelain", cwd=repo), git("worktree", "list", cwd=repo),
             git("stash", "list", cwd=repo), sorted(os.listdir(repo / ".git")))
    assert after == before


def test_only_the_units_that_read_a_changed_file_are_scanned_again(tmp_path):
    repo = make_repo(tmp_path / "repo", "guarded")
    report = scan([str(repo / "guarded")])
    units = {os.path.relpath(unit, repo): unit for unit in report.units}
    assert sorted(units) == ["guarded/stack.yaml", "guarded/tf"]
    change = Change("HEAD", str(repo), frozenset({os.path.realpath(repo / "README.md")}))
    assert affected_units(report.units, change) == []
    change = Change("HEAD", str(repo), frozenset({os.path.realpath(repo / "guarded/tf/old.tf")}))
    assert affected_units(report.units, change) == [units["guarded/tf"]]
    # A file no unit reads, beside the files of one (a deleted terraform.tfvars), affects that one.
    change = Change("HEAD", str(repo), frozenset({os.path.realpath(repo / "guarded/tf/terraform.tfvars")}))
    assert affected_units(report.units, change) == [units["guarded/tf"]]


def test_from_a_subdirectory_and_from_outside_the_checkout(tmp_path):
    repo = make_repo(tmp_path / "repo", "guarded")
    _edit(repo / "guarded/stack.yaml", "CidrIp: 10.0.0.0/8", "CidrIp: !Ref Cidr")
    done = iaclint("--diff", "HEAD", "stack.yaml", cwd=repo / "guarded")
    assert (done.returncode, finding_lines(done.stdout)) == (1, [("stack.yaml", 15, "IAC201")])
    (tmp_path / "elsewhere").mkdir()
    done = iaclint("--diff", "HEAD", str(repo / "guarded"), cwd=tmp_path / "elsewhere",
                   env={"GIT_CEILING_DIRECTORIES": str(tmp_path)})
    assert done.returncode == 1, done.stderr
    assert [(line, code) for _, line, code in finding_lines(done.stdout)] == [(15, "IAC201")]


def test_nothing_changed_is_clean(tmp_path):
    repo = make_repo(tmp_path / "repo", "guarded")
    done = iaclint("--diff", "HEAD", "guarded", cwd=repo)
    assert (done.returncode, finding_lines(done.stdout)) == (0, [])
    assert _summary(done.stdout) == "0 findings, 1 existing finding not shown (--diff HEAD) in 3 files scanned"


def test_bad_revision_is_exit_2(tmp_path):
    repo = make_repo(tmp_path / "repo", "cfn")
    done = iaclint("--diff", "no-such-branch", "cfn", cwd=repo)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == ("iaclint: error: --diff: unknown git revision 'no-such-branch' (fetch it, e.g. "
                           "`git fetch origin no-such-branch`, or check out with fetch-depth: 0)\n")
    done = iaclint("--diff", "--output", "cfn", cwd=repo)  # an option is never taken for a revision
    assert done.returncode == 2


def test_outside_a_git_checkout_is_exit_2(tmp_path):
    (tmp_path / "plain").mkdir()
    done = iaclint("--diff", "HEAD", ".", cwd=tmp_path / "plain", env={"GIT_CEILING_DIRECTORIES": str(tmp_path)})
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (f"iaclint: error: --diff needs a git checkout, and {tmp_path / 'plain'} "
                           "is not inside one\n")


def test_suppressed_findings_are_narrowed_too(tmp_path):
    repo = make_repo(tmp_path / "repo", "cfn")
    stack = repo / "cfn" / "stack.yaml"
    stack.write_text(stack.read_text().replace("  Trail:\n", "  # iaclint:ignore IAC301 -- legacy trail\n  Trail:\n"))
    git("commit", "-qam", "accept", cwd=repo)
    stack.write_text(stack.read_text().replace(
        "  Alice:\n", "        - {IpProtocol: tcp, FromPort: 3389, ToPort: 3389, CidrIp: 0.0.0.0/0}\n  Alice:\n"))
    data = json.loads(iaclint("--diff", "HEAD", "--format", "json", "cfn", cwd=repo).stdout)
    assert [(f["file"], f["line"], f["code"]) for f in data["findings"]] == [("cfn/stack.yaml", 16, "IAC201")]
    assert data["suppressed"] == []
