import xml.etree.ElementTree as ET

from iaclint.findings import Finding, Report, ScanError
from iaclint.report.junit import render_junit
from integration_helpers import STACK, iaclint, make_repo


def test_junit_testcase_per_finding(tmp_path):
    repo = make_repo(tmp_path / "repo", "cfn")
    done = iaclint("--format", "junit", "cfn", cwd=repo)
    assert done.returncode == 1
    root = ET.fromstring(done.stdout)
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("7", "7", "0")
    suites = {suite.get("name"): suite for suite in root.iter("testsuite")}
    assert sorted(suites) == ["cfn/stack.yaml", "cfn/web.template"]
    cases = [(case.get("file"), int(case.get("line")), case.find("failure").get("type"))
             for case in suites["cfn/stack.yaml"].iter("testcase")]
    assert cases == [("cfn/stack.yaml", line, code) for line, code in STACK]
    first = suites["cfn/web.template"].find("testcase")
    assert first.get("name") == "IAC201 open-ingress at line 9"
    assert first.find("failure").text == (
        "cfn/web.template:9:77: IAC201 [high] open-ingress: security group allows port 3389 (RDP) from "
        "0.0.0.0/0; restrict the source range or reach the instances through a load balancer or Session Manager")


def test_junit_escapes_and_reports_errors():
    finding = Finding(code="IAC001", slug="hardcoded-secret", severity="critical", message='a <b> & "c"\x01',
                      file="a&b.yaml", line=2, column=1, end_line=2, end_column=4, framework="cloudformation",
                      resource="R")
    report = Report(findings=[finding], errors=[ScanError("bad <1>.yaml", "cannot parse & stop", 3)])
    root = ET.fromstring(render_junit(report))
    failure = root.find("testsuite/testcase/failure")
    assert failure.get("message") == 'a <b> & "c"?'
    error = root.find(".//error")
    assert (error.get("message"), error.text) == ("cannot parse & stop", "bad <1>.yaml:3: error: cannot parse & stop")
    assert root.get("errors") == "1"


def test_clean_run_is_one_passing_test(tmp_path):
    root = ET.fromstring(render_junit(Report(files_scanned=3)))
    [case] = root.iter("testcase")
    assert case.get("name") == "3 files scanned"
    assert ET.fromstring(render_junit(Report(files_scanned=1))).find(".//testcase").get("name") == "1 file scanned"
    assert case.find("failure") is None
