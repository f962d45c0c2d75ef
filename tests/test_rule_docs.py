"""Rule documentation at hand: `iaclint rules [NAME ...]`, `iaclint --explain`, the JSON catalog, and the
generated pages under docs/rules/, through the installed command."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import iaclint
from iaclint.catalog import all_rules
from test_cli import run

REPO = Path(__file__).resolve().parent.parent
PAGE = f"https://github.com/iaclint/iaclint/blob/v{iaclint.__version__}/docs/rules/"
RULES = all_rules()


def test_a_prefix_lists_the_rules_whose_code_starts_with_it() -> None:
    result = run("rules", "IAC2")
    assert (result.returncode, result.stderr) == (0, "")
    assert [line.split()[:3] for line in result.stdout.splitlines()] == [
        ["IAC201", "open-ingress", "high"], ["IAC202", "open-nacl-ingress", "high"],
        ["IAC203", "default-security-group-allows-traffic", "low"]]
    tens = run("rules", "iac10", "IAC201", "admin-policy")  # lower case, overlapping names: each rule once
    assert [line.split()[0] for line in tens.stdout.splitlines()] == [
        "IAC101", "IAC102", "IAC103", "IAC104", "IAC105", "IAC106", "IAC107", "IAC201"]


def test_one_rule_prints_its_whole_documentation() -> None:
    result = run("rules", "IAC201")
    assert (result.returncode, result.stderr) == (0, "")
    rule = next(rule for rule in RULES if rule.code == "IAC201")
    assert result.stdout == (
        "# IAC201 open-ingress\n\nA security group accepts traffic from the whole internet.\n\n"
        "- Code: `IAC201`\n- Slug: `open-ingress`\n- Default severity: high\n- Frameworks: CloudFormation, Terraform\n"
        "- Controls: FSBP EC2.13, FSBP EC2.14, FSBP EC2.18, FSBP EC2.19, FSBP EC2.53, FSBP EC2.54, CIS 5.2, CIS 5.3\n"
        f"- Online: {PAGE}open-ingress.md\n\n{rule.details}\n")
    sections = [line for line in result.stdout.splitlines() if line.startswith("## ")]
    assert sections == ["## What it does", "## Why is this bad?", "## Example", "## Use instead", "## References"]
    assert "- https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html" in result.stdout
    assert run("rules", "open-ingress").stdout == result.stdout
    assert run("--explain", "iac201").stdout == result.stdout


def test_json_gives_every_rule_with_its_documentation() -> None:
    result = run("rules", "--format", "json")
    assert result.returncode == 0
    listed = json.loads(result.stdout)
    assert [entry["code"] for entry in listed] == [rule.code for rule in RULES]
    secret = listed[0]
    assert set(secret) == {"code", "slug", "severity", "frameworks", "controls", "summary", "docs", "url"}
    assert secret["slug"] == "hardcoded-secret" and secret["severity"] == "critical"
    assert secret["frameworks"] == ["cloudformation", "terraform"]
    assert secret["controls"] == ["FSBP CodeBuild.2", "FSBP ECS.8"]
    assert secret["summary"] == "A secret is written into the template in plain text."
    assert secret["docs"].startswith("## What it does\n") and "## References\n" in secret["docs"]
    assert secret["url"] == PAGE + "hardcoded-secret.md"
    one = run("rules", "-f", "json", "IAC201")  # one rule is still a list, so scripts read one shape
    assert [entry["slug"] for entry in json.loads(one.stdout)] == ["open-ingress"]


def test_unknown_names_are_errors_with_a_suggestion() -> None:
    cases = {
        ("rules", "IAC2O1"): "iaclint: error: unknown rule 'IAC2O1'; did you mean IAC201 (open-ingress)?\n",
        ("rules", "IAC201", "trail-not-encryptd"):
            "iaclint: error: unknown rule 'trail-not-encryptd'; did you mean trail-not-encrypted (IAC301)?\n",
        ("rules", "IAC9"): "iaclint: error: no rule code starts with IAC9 (`iaclint rules` lists them)\n",
        ("rules", "firewall"): "iaclint: error: unknown rule 'firewall' (`iaclint rules` lists them)\n",
        ("--explain", "hardcoded_secret"):
            "iaclint: error: unknown rule 'hardcoded_secret'; did you mean hardcoded-secret (IAC001)?\n",
        ("--explain", "IAC3"): "iaclint: error: --explain takes one rule; IAC3 names 6 (IAC301, IAC302, IAC303, "
                               "IAC304, IAC305, IAC306); `iaclint rules IAC3` lists them\n",
    }
    for args, message in cases.items():
        result = run(*args)
        assert (result.returncode, result.stdout, result.stderr) == (2, "", message), args


def test_rules_has_its_own_help() -> None:
    result = run("rules", "--help")
    assert result.returncode == 0
    assert result.stdout.startswith("usage: iaclint rules [-h] [-f {text,json}] [CODE|SLUG|PREFIX ...]\n")
    assert "a code prefix (IAC2, IAC10)" in " ".join(result.stdout.split())
    assert "--explain RULE" in run("--help").stdout


def test_rule_pages_are_current() -> None:
    # The committed pages are the generator's output; edit a docstring and rerun tools/rule_pages.py.
    result = subprocess.run([sys.executable, str(REPO / "tools" / "rule_pages.py"), "--check"],
                            capture_output=True, text=True, timeout=120)
    assert (result.returncode, result.stdout) == (0, "")


def test_each_page_is_its_rules_documentation_and_the_index_links_them_all() -> None:
    folder = REPO / "docs" / "rules"
    assert {path.name for path in folder.glob("*.md")} == {f"{rule.slug}.md" for rule in RULES} | {"README.md"}
    page = (folder / "hardcoded-secret.md").read_text(encoding="utf-8")
    assert page.startswith("<!-- Generated by tools/rule_pages.py from the docstring of "
                           "rules/secrets/hardcoded_secret.py; edit the source, not this page. -->\n"
                           "# IAC001 hardcoded-secret\n\nA secret is written into the template in plain text.\n")
    assert page.endswith("\n---\n[All rules](README.md)\n")
    index = (folder / "README.md").read_text(encoding="utf-8")
    assert ("| IAC201 | [open-ingress](open-ingress.md) | high | CloudFormation, Terraform | FSBP EC2.13, FSBP "
            "EC2.14, FSBP EC2.18, FSBP EC2.19, FSBP EC2.53, FSBP EC2.54, CIS 5.2, CIS 5.3 | A security group "
            "accepts traffic from the whole internet. |") in index.splitlines()
    assert "## Retired codes" in index


def test_check_names_a_stale_page(tmp_path: Path) -> None:
    # The check itself can fail: a copy of the tool beside an edited page reports it.
    copy = tmp_path / "tools"
    copy.mkdir()
    (copy / "rule_pages.py").write_text((REPO / "tools" / "rule_pages.py").read_text())
    pages = tmp_path / "docs" / "rules"
    pages.mkdir(parents=True)
    for path in (REPO / "docs" / "rules").glob("*.md"):
        (pages / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (pages / "open-ingress.md").write_text("edited by hand\n")
    (pages / "gone.md").write_text("a rule that no longer exists\n")
    result = subprocess.run([sys.executable, str(copy / "rule_pages.py"), "--check"], capture_output=True,
                            text=True, timeout=120)
    assert (result.returncode, result.stdout) == (
        1, "docs/rules/ is not current (gone.md, open-ingress.md); run python tools/rule_pages.py\n")
