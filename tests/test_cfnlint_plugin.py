"""The cfn-lint plugin, run by cfn-lint itself: through cfnlint.api and through the cfn-lint command."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import cfnlint.api as cfnlint_api
import pytest

import iaclint.cfnlint as plugin
from iaclint.catalog import all_rules
from integration_helpers import DATA

# (cfn-lint id, line, column) of iaclint's findings in cfn/stack.yaml, as cfn-lint reports them
STACK = [
    ("E9201", 15, 19), ("E9103", 16, 3), ("W9102", 20, 11), ("W9101", 22, 11), ("W9301", 29, 3), ("E9001", 38, 27),
]
MESSAGE_9201 = ("IAC201 open-ingress: security group allows port 22 (SSH) from 0.0.0.0/0; restrict the source "
                "range or reach the instances through a load balancer or Session Manager")


def ours(matches) -> list[tuple[str, int, int]]:
    return sorted(((m.rule.id, m.linenumber, m.columnnumber) for m in matches if m.rule.id[1] == "9"),
                  key=lambda t: (t[1], t[0]))


def config(**extra):
    return cfnlint_api.ManualArgs(append_rules=["iaclint.cfnlint"], regions=["us-east-1"], **extra)


def test_ids_follow_the_codes_and_never_change():
    ids = {cls.iaclint_code: cls.id for cls in plugin.RULE_CLASSES}
    # cfn-lint gets the rules that claim CloudFormation (a Terraform-only rule, such as IAC106 or IAC203, has no id).
    claiming = [rule for rule in all_rules() if "cloudformation" in rule.frameworks]
    assert list(ids) == [rule.code for rule in claiming]
    for rule in claiming:
        assert ids[rule.code] == ("E" if rule.severity in ("critical", "high") else "W") + "9" + rule.code[3:]
    # Users' cfn-lint configurations name these: they stay what they were when first released.
    assert {"IAC001": "E9001", "IAC101": "W9101", "IAC103": "E9103", "IAC201": "E9201",
            "IAC401": "W9401"}.items() <= ids.items()


def test_lint_file(tmp_path):
    shutil.copy(DATA / "cfn" / "stack.yaml", tmp_path / "stack.yaml")
    matches = cfnlint_api.lint_file(tmp_path / "stack.yaml", config=config())
    assert ours(matches) == STACK
    ingress = next(m for m in matches if m.rule.id == "E9201")
    assert ingress.message == MESSAGE_9201
    assert (ingress.linenumberend, ingress.columnnumberend) == (15, 28)
    assert ingress.rule.shortdesc == "IAC201 open-ingress"


def test_lint_string_uses_cfn_lints_locations():
    matches = cfnlint_api.lint((DATA / "cfn" / "stack.yaml").read_text(), config=config())
    # No file: iaclint scans cfn-lint's decoded template and cfn-lint places each match by its path
    # (the key of the offending property; the resource for a missing property).
    assert ours(matches) == [
        ("E9201", 15, 11), ("E9103", 16, 3), ("W9102", 20, 11), ("W9101", 22, 11), ("W9301", 29, 3),
        ("E9001", 38, 7),
    ]


def test_template_is_scanned_once(tmp_path, monkeypatch):
    shutil.copy(DATA / "cfn" / "stack.yaml", tmp_path / "stack.yaml")
    calls = []
    real_scan = plugin.scan
    monkeypatch.setattr(plugin, "scan", lambda paths, **kwargs: calls.append(paths) or real_scan(paths, **kwargs))
    plugin._CACHE.clear()
    cfnlint_api.lint_file(tmp_path / "stack.yaml", config=config())
    assert calls == [[str(tmp_path / "stack.yaml")]]


def test_metadata_suppression(tmp_path):
    text = (DATA / "cfn" / "stack.yaml").read_text().replace(
        "  Alice:\n",
        "  Alice:\n    Metadata:\n      cfn-lint:\n        config:\n          ignore_checks: [E9103, W9102]\n")
    (tmp_path / "stack.yaml").write_text(text)
    matches = cfnlint_api.lint_file(tmp_path / "stack.yaml", config=config())
    # Four lines were inserted above Alice's properties; E9103 and W9102 are suppressed for Alice only.
    assert ours(matches) == [("E9201", 15, 19), ("W9101", 26, 11), ("W9301", 33, 3), ("E9001", 42, 27)]


def cfn_lint(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    # the `cfn-lint` command installed next to this Python (cfnlint has no __main__)
    command = Path(sys.executable).parent / "cfn-lint"
    if not command.exists():
        pytest.skip("the cfn-lint command is not installed next to this Python")
    return subprocess.run([str(command), *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(Path(plugin.__file__).parent.parent)}, check=False)


def parseable(stdout: str) -> list[tuple[str, int, str]]:
    rows = [line.split(":", 6) for line in stdout.splitlines()]  # file:line:col:endline:endcol:id:message
    return [(row[0], int(row[1]), row[5]) for row in rows if len(row) == 7 and row[5][1:2] == "9"]


def test_cfn_lint_lists_every_rule(tmp_path):
    # The README sends cfn-lint users here for the ids.
    listed = cfn_lint("--append-rules", "iaclint.cfnlint", "--list-rules", cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    ours = [line for line in listed.stdout.splitlines() if re.match(r"[EW]9\d{3}: IAC", line)]
    assert sorted(ours) == sorted(f"{cls.id}: {cls.shortdesc}" for cls in plugin.RULE_CLASSES)


def test_cfn_lint_command(tmp_path):
    shutil.copy(DATA / "cfn" / "stack.yaml", tmp_path / "stack.yaml")
    shutil.copy(DATA / "cfn" / "web.template", tmp_path / "web.template")
    # `=` ends the option: --append-rules takes several values and would swallow the file names otherwise
    # (pre-commit appends file names after a hook's args).
    done = cfn_lint("--format", "parseable", "--append-rules=iaclint.cfnlint", "stack.yaml", "web.template",
                    cwd=tmp_path)
    assert done.returncode == 6  # cfn-lint: errors (2) | warnings (4)
    assert parseable(done.stdout) == [("stack.yaml", line, rule) for rule, line, _ in STACK] + [
        ("web.template", 9, "E9201")]
    assert f"stack.yaml:15:19:15:28:E9201:{MESSAGE_9201}" in done.stdout.splitlines()


def test_cfnlintrc_append_rules_and_ignore(tmp_path):
    shutil.copy(DATA / "cfn" / "web.template", tmp_path / "web.template")
    (tmp_path / ".cfnlintrc").write_text("append_rules:\n  - iaclint.cfnlint\n")
    done = cfn_lint("--format", "parseable", "web.template", cwd=tmp_path)
    assert parseable(done.stdout) == [("web.template", 9, "E9201")]
    (tmp_path / ".cfnlintrc").write_text("append_rules:\n  - iaclint.cfnlint\nignore_checks:\n  - E9201\n")
    done = cfn_lint("--format", "parseable", "web.template", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (0, "")


def test_the_plugin_reads_the_configuration_that_governs_the_template(tmp_path):
    for name in ("ignores", "allows", "plain"):
        (tmp_path / name).mkdir()
        shutil.copy(DATA / "cfn" / "stack.yaml", tmp_path / name / "stack.yaml")
    (tmp_path / "ignores" / ".iaclint.toml").write_text('ignore = ["IAC201", "IAC001"]\n')
    (tmp_path / "allows" / ".iaclint.toml").write_text("public-ports = [22]\n")
    done = cfn_lint("--format", "parseable", "--append-rules=iaclint.cfnlint", "ignores/stack.yaml",
                    "allows/stack.yaml", "plain/stack.yaml", cwd=tmp_path)
    found = parseable(done.stdout)
    assert [(line, rule) for file, line, rule in found if file == "plain/stack.yaml"] == [
        (line, rule) for rule, line, _ in STACK]
    assert [(line, rule) for file, line, rule in found if file == "ignores/stack.yaml"] == [
        (line, rule) for rule, line, _ in STACK if rule not in ("E9201", "E9001")]
    assert [(line, rule) for file, line, rule in found if file == "allows/stack.yaml"] == [
        (line, rule) for rule, line, _ in STACK if rule != "E9201"]


def test_a_configuration_that_cannot_be_used_is_said_once(tmp_path):
    shutil.copy(DATA / "cfn" / "web.template", tmp_path / "web.template")
    (tmp_path / ".iaclint.toml").write_text('fail-on = "urgent"\n')
    done = cfn_lint("--format", "parseable", "--append-rules=iaclint.cfnlint", "web.template", cwd=tmp_path)
    lines = [line for line in done.stdout.splitlines() if ":E9001:" in line or "iaclint" in line]
    assert lines == ["web.template:1:1:1:2:E9001:iaclint: .iaclint.toml: 'fail-on' must be one of critical, "
                     "high, medium, low, not 'urgent'"]
