"""--format/--output pairing: each --output belongs to the --format just before it."""

import json

from integration_helpers import finding_lines, iaclint, make_repo


def test_text_to_stdout_and_sarif_and_junit_to_files(tmp_path):
    repo = make_repo(tmp_path / "repo", "cfn")
    done = iaclint("--format", "text", "--format", "sarif", "--output", "out.sarif", "--format", "junit",
                   "--output", "out.xml", "cfn/web.template", cwd=repo)
    assert done.returncode == 1
    assert finding_lines(done.stdout) == [("cfn/web.template", 9, "IAC201")]
    sarif = json.loads((repo / "out.sarif").read_text())
    assert sarif["runs"][0]["results"][0]["ruleId"] == "IAC201"
    assert (repo / "out.xml").read_text().startswith("<?xml")


def test_output_before_any_format_is_the_text_report(tmp_path):
    repo = make_repo(tmp_path / "repo", "cfn")
    done = iaclint("--output", "report.txt", "cfn/web.template", cwd=repo)
    assert (done.returncode, done.stdout) == (1, "")
    assert finding_lines((repo / "report.txt").read_text()) == [("cfn/web.template", 9, "IAC201")]


def test_two_reports_on_stdout_is_a_usage_error(tmp_path):
    repo = make_repo(tmp_path / "repo", "cfn")
    done = iaclint("--format", "json", "--format", "sarif", "cfn", cwd=repo)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.splitlines()[-1] == (
        "iaclint: error: only one report can go to standard output (got json, sarif); "
        "give --output FILE after the others")


def test_two_outputs_for_one_format_is_a_usage_error(tmp_path):
    repo = make_repo(tmp_path / "repo", "cfn")
    done = iaclint("--format", "sarif", "--output", "a", "--output", "b", "cfn", cwd=repo)
    assert done.returncode == 2
    assert done.stderr.splitlines()[-1] == (
        "iaclint: error: --output b: the --format before it already writes to a; "
        "give --format again before each --output")


def test_unwritable_output_is_exit_2_and_stdout_still_written(tmp_path):
    repo = make_repo(tmp_path / "repo", "cfn")
    done = iaclint("--format", "text", "--format", "sarif", "--output", "missing/dir/out.sarif",
                   "cfn/web.template", cwd=repo)
    assert done.returncode == 2
    assert finding_lines(done.stdout) == [("cfn/web.template", 9, "IAC201")]
    assert done.stderr == "iaclint: error: cannot write missing/dir/out.sarif: No such file or directory\n"


def test_fail_on_threshold(tmp_path):
    repo = make_repo(tmp_path / "repo", "cfn")
    # stack.yaml's worst finding is critical; web.template's is high.
    assert iaclint("--fail-on", "critical", "cfn/web.template", cwd=repo).returncode == 0
    assert iaclint("--fail-on", "high", "cfn/web.template", cwd=repo).returncode == 1
    assert iaclint("--fail-on", "critical", "cfn/stack.yaml", cwd=repo).returncode == 1
    quiet = iaclint("--fail-on", "critical", "cfn/web.template", cwd=repo)
    assert finding_lines(quiet.stdout) == [("cfn/web.template", 9, "IAC201")]  # still reported
