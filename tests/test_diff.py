import os

from iaclint.diff import parse_diff
from integration_helpers import finding_lines, git, iaclint, make_repo

WEB_RULE = '{"IpProtocol": "tcp", "FromPort": 3389, "ToPort": 3389, "CidrIp": "0.0.0.0/0"}'
SSH_RULE = '{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": "0.0.0.0/0"}'


def _edit(path, old, new):
    path.write_text(path.read_text().replace(old, new))


def test_only_findings_on_changed_lines_and_untracked_files(tmp_path):
    repo = make_repo(tmp_path / "repo", "cfn", "tf")
    # stack.yaml: change only the SSH rule's CidrIp line (15); its other findings are old.
    _edit(repo / "cfn" / "stack.yaml", "CidrIp: 0.0.0.0/0", "CidrIp: ::/0")
    # web.template: a second open rule added as a new line 10.
    _edit(repo / "cfn" / "web.template", WEB_RULE + "\n", WEB_RULE + ",\n          " + SSH_RULE + "\n")
    git("add", "cfn/web.template", cwd=repo)  # staged and unstaged edits both count
    (repo / "new").mkdir()
    (repo / "new" / "users.tf").write_text('resource "aws_iam_user" "bob" {\n  name = "bob"\n}\n')
    done = iaclint("--diff", "HEAD", ".", cwd=repo)
    assert done.returncode == 1, done.stderr
    # Line 9 of web.template changed too (a comma was added); tf/users.tf's finding (line 1) is old.
    assert finding_lines(done.stdout) == [
        ("cfn/stack.yaml", 15, "IAC201"),
        ("cfn/web.template", 9, "IAC201"),
        ("cfn/web.template", 10, "IAC201"),
        ("new/users.tf", 1, "IAC103"),
    ]


def test_from_a_subdirectory_paths_map_to_the_top_level(tmp_path):
    repo = make_repo(tmp_path / "repo", "cfn")
    _edit(repo / "cfn" / "stack.yaml", "CidrIp: 0.0.0.0/0", "CidrIp: ::/0")
    done = iaclint("--diff", "HEAD", "stack.yaml", cwd=repo / "cfn")
    assert (done.returncode, finding_lines(done.stdout)) == (1, [("stack.yaml", 15, "IAC201")])


def test_run_from_outside_the_checkout_uses_the_scanned_paths_checkout(tmp_path):
    repo = make_repo(tmp_path / "repo", "cfn")
    _edit(repo / "cfn" / "stack.yaml", "CidrIp: 0.0.0.0/0", "CidrIp: ::/0")
    (tmp_path / "elsewhere").mkdir()
    done = iaclint("--diff", "HEAD", str(repo / "cfn"), cwd=tmp_path / "elsewhere",
                   env={"GIT_CEILING_DIRECTORIES": str(tmp_path)})
    assert done.returncode == 1, done.stderr
    assert [(line, code) for _, line, code in finding_lines(done.stdout)] == [(15, "IAC201")]


def test_nothing_changed_is_clean(tmp_path):
    repo = make_repo(tmp_path / "repo", "cfn")
    done = iaclint("--diff", "HEAD", "cfn", cwd=repo)
    assert (done.returncode, finding_lines(done.stdout)) == (0, [])


def test_against_an_older_commit(tmp_path):
    repo = make_repo(tmp_path / "repo", "cfn")
    base = git("rev-parse", "HEAD", cwd=repo).strip()
    _edit(repo / "cfn" / "stack.yaml", "MasterUsername: admin", "MasterUsername: root")
    git("commit", "-qam", "change", cwd=repo)
    _edit(repo / "cfn" / "stack.yaml", "FromPort: 22\n          ToPort: 22", "FromPort: 23\n          ToPort: 23")
    done = iaclint("--diff", base, "cfn", cwd=repo)
    assert done.returncode == 0  # lines 13-14 and 37 changed; no finding sits on them
    assert finding_lines(done.stdout) == []


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


def test_parse_diff_hunks_quoted_names_and_deletions():
    diff = "\n".join([
        "diff --git a/x.tf b/x.tf",
        "--- a/x.tf",
        "+++ b/x.tf",
        "@@ -3 +3 @@",
        "-old",
        "+new",
        "@@ -10,0 +11,2 @@",
        "+a",
        "+b",
        "@@ -20,2 +22,0 @@",
        '--- "a/sp ace\\303\\251.yaml"',
        '+++ "b/sp ace\\303\\251.yaml"',
        "@@ -1 +1 @@",
        "--- a/gone.yaml",
        "+++ /dev/null",
        "@@ -1,5 +0,0 @@",
    ])
    changed = parse_diff(diff, "/top")
    assert changed == {
        os.path.realpath("/top/x.tf"): {3, 11, 12},
        os.path.realpath("/top/sp aceé.yaml"): {1},
    }


def test_diff_narrows_suppressed_findings_too(tmp_path):
    repo = make_repo(tmp_path / "repo", "cfn")
    stack = repo / "cfn" / "stack.yaml"
    stack.write_text(stack.read_text().replace("  Trail:\n", "  # iaclint:ignore IAC301 -- legacy trail\n  Trail:\n"))
    git("commit", "-qam", "accept", cwd=repo)
    stack.write_text(stack.read_text().replace("CidrIp: 0.0.0.0/0", "CidrIp: ::/0"))
    done = iaclint("--diff", "HEAD", "--format", "json", "cfn", cwd=repo)
    import json

    data = json.loads(done.stdout)
    assert [(f["file"], f["line"], f["code"]) for f in data["findings"]] == [("cfn/stack.yaml", 15, "IAC201")]
    assert data["suppressed"] == []
