"""A finding belongs to every file on its chain: naming any one of them (pre-commit names only what is
staged) reports it, and a suppression on any of those lines, or above the resource, applies."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from integration_helpers import finding_lines, iaclint, make_repo

MYSQL = ("security group allows port 3306 (MySQL) from 0.0.0.0/0; restrict the source range or reach the "
         "instances through a load balancer or Session Manager")


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


@pytest.fixture()
def repo(tmp_path) -> Path:
    return make_repo(tmp_path / "repo", "infra")


def _open_db_through_variable(repo: Path) -> None:
    _edit(repo / "infra/db/main.tf", 'cidr_blocks = ["10.0.0.0/8"]', "cidr_blocks = [var.allowed_cidr]")


@pytest.mark.parametrize("named", ["infra/db/main.tf", "infra/db/variables.tf"])
def test_the_use_site_or_the_default_named_alone_reports_the_finding(repo, named):
    _open_db_through_variable(repo)
    done = iaclint(named, cwd=repo)
    assert (done.returncode, done.stdout) == (1, (
        f"infra/db/main.tf:8:20: IAC201 [high] open-ingress: {MYSQL} "
        "(the default of var.allowed_cidr, infra/db/variables.tf:3)\n"
        "1 finding (1 high) in 1 file scanned\n"))


def test_a_file_off_the_chain_does_not_report_it(repo):
    _open_db_through_variable(repo)
    (repo / "infra/db/outputs.tf").write_text('output "name" {\n  value = "db"\n}\n')
    done = iaclint("infra/db/outputs.tf", cwd=repo)
    assert (done.returncode, finding_lines(done.stdout)) == (0, [])


def test_a_named_tfvars_file_is_checked_with_its_module(repo):
    _edit(repo / "infra/net/terraform.tfvars", "10.0.0.0/8", "0.0.0.0/0")
    done = iaclint("--format", "json", "infra/net/terraform.tfvars", cwd=repo)
    data = json.loads(done.stdout)
    assert done.returncode == 1 and data["summary"]["files"] == 1
    assert [(f["file"], f["line"], f["code"], f["resource"], [(o["file"], o["line"]) for o in f["origin"]])
            for f in data["findings"]] == [
        ("infra/net/main.tf", 12, "IAC201", "aws_security_group.bastion", [("infra/net/terraform.tfvars", 1)])]


def test_a_named_variable_file_that_terraform_does_not_load_by_itself_is_applied(repo):
    # prod.tfvars opens SSH; it counts only with -var-file, so a directory scan passes…
    assert finding_lines(iaclint("infra/net", cwd=repo).stdout) == []
    # …and naming it evaluates the module with it.
    done = iaclint("infra/net/prod.tfvars", cwd=repo)
    assert (done.returncode, finding_lines(done.stdout)) == (1, [("infra/net/main.tf", 12, "IAC201")])
    assert "(the value given for var.admin_cidr, infra/net/prod.tfvars:1)" in done.stdout


def test_a_named_child_module_file_is_checked_through_its_callers(repo):
    _edit(repo / "infra/modules/sg/main.tf", 'cidr_blocks       = ["10.0.0.0/8"]', "cidr_blocks       = [var.cidr]")
    done = iaclint("--format", "json", "infra/modules/sg/main.tf", cwd=repo)
    findings = json.loads(done.stdout)["findings"]
    assert done.returncode == 1
    # One finding per module call, each with its own port and its own argument as origin.
    assert [(f["file"], f["line"], f["resource"], f["message"].split(";")[0], f["origin"][0]["line"])
            for f in findings] == [
        ("infra/modules/sg/main.tf", 15, "module.rdp.aws_security_group_rule.this",
         "security group allows port 3389 (RDP) from 0.0.0.0/0", 10),
        ("infra/modules/sg/main.tf", 15, "module.ssh.aws_security_group_rule.this",
         "security group allows port 22 (SSH) from 0.0.0.0/0", 4),
    ]


def test_a_suppression_above_the_terraform_resource_applies(repo):
    _open_db_through_variable(repo)
    _edit(repo / "infra/db/main.tf", 'resource "aws_security_group" "db" {',
          '# iaclint:ignore IAC201 -- reachable only through the VPN\nresource "aws_security_group" "db" {')
    done = iaclint("--format", "json", "infra/db", cwd=repo)
    data = json.loads(done.stdout)
    assert (done.returncode, data["findings"]) == (0, [])
    assert [(f["file"], f["line"], f["suppression"]["source"]) for f in data["suppressed"]] == [
        ("infra/db/main.tf", 9, "infra/db/main.tf:1")]


def test_a_suppression_on_the_origin_line_applies_to_every_use(repo):
    _open_db_through_variable(repo)
    _edit(repo / "infra/db/variables.tf", 'default = "0.0.0.0/0"',
          'default = "0.0.0.0/0" # iaclint:ignore IAC201 -- reviewed: the database sits in a private subnet')
    done = iaclint("infra/db/main.tf", cwd=repo)
    assert (done.returncode, finding_lines(done.stdout)) == (0, [])
    assert "1 suppressed" in done.stdout


def test_a_named_nested_template_is_checked_with_what_its_parent_passes(tmp_path):
    repo = make_repo(tmp_path / "repo", "stacks")
    _edit(repo / "stacks/nested/network.yaml", "CidrIp: 10.0.0.0/8", "CidrIp: !Ref AdminCidr")
    done = iaclint("--format", "json", "stacks/nested/network.yaml", cwd=repo)
    findings = json.loads(done.stdout)["findings"]
    assert done.returncode == 1
    assert [(f["file"], f["line"], f["code"], f["resource"], [(o["file"], o["line"]) for o in f["origin"]])
            for f in findings] == [
        ("stacks/nested/network.yaml", 14, "IAC201", "Network/Admin", [("stacks/main.yaml", 8)])]


def test_a_value_computed_by_a_function_keeps_the_places_of_its_arguments(tmp_path):
    (tmp_path / "variables.tf").write_text('variable "ip" {\n  default = "0.0.0.0"\n}\n')
    (tmp_path / "main.tf").write_text(
        'resource "aws_security_group" "s" {\n  ingress {\n    protocol    = "tcp"\n    from_port   = 22\n'
        '    to_port     = 22\n    cidr_blocks = [format("%s/0", var.ip)]\n  }\n}\n')
    done = iaclint("variables.tf", cwd=tmp_path)  # only the file holding the default is named
    assert (done.returncode, finding_lines(done.stdout)) == (1, [("main.tf", 6, "IAC201")])
    assert "(the default of var.ip, variables.tf:2)" in done.stdout
