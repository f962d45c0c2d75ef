from iaclint.findings import Finding, Report, ScanError
from iaclint.report.github import escape_data, escape_property, render_github, render_summary
from integration_helpers import iaclint, make_repo


def test_annotations_for_a_template(tmp_path):
    repo = make_repo(tmp_path / "repo", "cfn")
    done = iaclint("--format", "github", "web.template", cwd=repo / "cfn")
    assert done.returncode == 1
    assert done.stdout == (
        "::error file=cfn/web.template,line=9,endLine=9,col=77,endColumn=87,title=IAC201 open-ingress::"
        "security group allows port 3389 (RDP) from 0.0.0.0/0; restrict the source range or reach the "
        "instances through a load balancer or Session Manager\n")


def test_levels_by_severity_and_multiline_spans_drop_columns(tmp_path):
    repo = make_repo(tmp_path / "repo", "cfn")
    done = iaclint("--format", "github", "cfn/stack.yaml", cwd=repo)
    heads = [line.split("::")[1] for line in done.stdout.splitlines()]
    assert heads == [
        "error file=cfn/stack.yaml,line=15,endLine=15,col=19,endColumn=27,title=IAC201 open-ingress",
        "error file=cfn/stack.yaml,line=16,endLine=16,col=3,endColumn=7,title=IAC103 user-without-mfa-enforcement",
        "warning file=cfn/stack.yaml,line=20,endLine=20,col=11,endColumn=48,title=IAC102 user-attached-policy",
        "warning file=cfn/stack.yaml,line=22,endLine=29,title=IAC101 user-inline-policy",
        "warning file=cfn/stack.yaml,line=29,endLine=29,col=3,endColumn=7,title=IAC301 trail-not-encrypted",
        "error file=cfn/stack.yaml,line=38,endLine=38,col=27,endColumn=48,title=IAC001 hardcoded-secret",
    ]


def test_escaping():
    assert escape_data("100% done\r\nnext: a,b") == "100%25 done%0D%0Anext: a,b"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


def _report() -> Report:
    finding = Finding(code="IAC201", slug="open-ingress", severity="low", message="50% open\nreally | wide",
                      file="dir,x/a:b.yaml", line=3, column=5, end_line=3, end_column=9,
                      framework="cloudformation", resource="Web")
    return Report(findings=[finding], errors=[ScanError("bad.yaml", "cannot parse: bad\nindent", 7, 2)],
                  files_scanned=2)


def test_notice_level_escaped_properties_and_errors(tmp_path):
    text = render_github(_report(), root=str(tmp_path))
    assert text.splitlines() == [
        "::notice file=dir%2Cx/a%3Ab.yaml,line=3,endLine=3,col=5,endColumn=9,title=IAC201 open-ingress::"
        "50%25 open%0Areally | wide",
        "::error file=bad.yaml,line=7,col=2,title=iaclint could not scan this file::cannot parse: bad%0Aindent",
    ]


def test_summary_markdown(tmp_path):
    assert render_summary(_report(), root=str(tmp_path)) == (
        "## iaclint\n\n1 finding, 1 error in 2 files scanned.\n\n"
        "| Severity | Rule | Location | Message |\n| --- | --- | --- | --- |\n"
        "| low | IAC201 open-ingress | `dir,x/a:b.yaml:3` | 50% open really \\| wide |\n\n"
        "| Error | Location |\n| --- | --- |\n| cannot parse: bad indent | `bad.yaml:7` |\n\n")


def test_summary_is_appended_to_github_step_summary(tmp_path):
    repo = make_repo(tmp_path / "repo", "cfn")
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    done = iaclint("--format", "github", "cfn/web.template", cwd=repo, env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert done.returncode == 1
    assert summary.read_text() == (
        "earlier step\n## iaclint\n\n1 finding, 0 errors in 1 file scanned.\n\n"
        "| Severity | Rule | Location | Message |\n| --- | --- | --- | --- |\n"
        "| high | IAC201 open-ingress | `cfn/web.template:9` | security group allows port 3389 (RDP) from "
        "0.0.0.0/0; restrict the source range or reach the instances through a load balancer or Session "
        "Manager |\n\n")


def test_no_summary_without_github_format(tmp_path):
    repo = make_repo(tmp_path / "repo", "cfn")
    summary = tmp_path / "summary.md"
    iaclint("cfn/web.template", cwd=repo, env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert not summary.exists()


def test_undecided_checks_are_notices(tmp_path):
    repo = make_repo(tmp_path / "repo", "tf")
    (repo / "tf" / "groups.tf").unlink()
    done = iaclint("--strict", "--format", "github", "tf", cwd=repo)
    assert done.returncode == 0
    assert done.stdout == (
        "::notice file=tf/users.tf,line=1,title=IAC103 user-without-mfa-enforcement (undecided)::could not "
        "decide whether this IAM user is forced to use MFA: group (aws_iam_group.devs.name is not known before "
        "apply) is not defined in the scanned files\n")


def test_suppression_warnings_are_warning_commands_and_suppressed_findings_are_left_out(tmp_path):
    repo = make_repo(tmp_path / "repo", "cfn")
    stack = repo / "cfn" / "stack.yaml"
    stack.write_text(stack.read_text().replace("  Trail:\n", "  # iaclint:ignore IAC301\n  Trail:\n"))
    done = iaclint("--format", "github", "cfn/stack.yaml", cwd=repo)
    lines = done.stdout.splitlines()
    assert lines[-1] == "::warning file=cfn/stack.yaml,line=29,title=iaclint::suppression of IAC301 has no reason"
    assert not any("IAC301" in line for line in lines[:-1])
