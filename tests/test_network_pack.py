"""Network ACL entries open to the internet (IAC202) and rules kept in a managed default security group
(IAC203): what is reported, with which message and severity, in rule-number order per ACL."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

from iaclint import scan
from iaclint.options import ScanOptions
from iaclint.ports import without

PACK = Path(__file__).resolve().parent.parent / "fixtures" / "network-pack"
REMEDY = "; restrict the source range or deny these ports in an entry with a lower rule number"


def _scan(folder: Path, **options):
    report = scan([str(folder)], ScanOptions(select=("IAC202", "IAC203"), **options))
    found = [(Path(f.file).relative_to(folder).as_posix(), f.line, f.code, f.severity, f.resource, f.message)
             for f in report.findings]
    return found, report


def test_network_acl_fixtures_report_each_open_entry_with_its_severity(tmp_path):
    shutil.copytree(PACK, tmp_path / "pack")
    found, _ = _scan(tmp_path / "pack")
    nacl = [f for f in found if f[2] == "IAC202"]
    assert nacl == [
        ("nacl.yaml", 20, "IAC202", "high", "Ssh", "network ACL entry 100 allows inbound port 22 (SSH) from 0.0.0.0/0"
         + REMEDY),
        ("nacl.yaml", 33, "IAC202", "high", "RdpIpv6", "network ACL entry 101 allows inbound port 3389 (RDP) from ::/0"
         + REMEDY),
        ("nacl.yaml", 57, "IAC202", "medium", "Dns", "network ACL entry 103 allows inbound port 53 from 0.0.0.0/0"
         + REMEDY),
        ("nacl.yaml", 97, "IAC202", "high", "AllIpv6", "network ACL entry 210 allows inbound all traffic from ::/0"
         + REMEDY),
        ("nacl/main.tf", 12, "IAC202", "high", "aws_network_acl.public",
         "network ACL entry 100 allows inbound port 22 (SSH) from 0.0.0.0/0" + REMEDY),
        ("nacl/main.tf", 22, "IAC202", "high", "aws_network_acl.public",
         "network ACL entry 110 allows inbound port 3389 (RDP) from ::/0" + REMEDY),
        ("nacl/main.tf", 42, "IAC202", "medium", "aws_network_acl.public",
         "network ACL entry 130 allows inbound port 1194 from 0.0.0.0/0" + REMEDY),
        ("nacl/main.tf", 108, "IAC202", "high", "aws_network_acl_rule.ssh_before_deny",
         "network ACL entry 50 allows inbound port 22 (SSH) from 0.0.0.0/0" + REMEDY),
        ("nacl/main.tf", 120, "IAC202", "high", "aws_network_acl_rule.all_ipv6",
         "network ACL entry 210 allows inbound all traffic from ::/0" + REMEDY),
        # The denied MySQL/RDP block is taken out of the range: what is left has no administrative port.
        ("nacl/main.tf", 163, "IAC202", "medium", "aws_default_network_acl.default",
         "network ACL entry 300 allows inbound ports 3000-3299, 3400-3999 from 0.0.0.0/0" + REMEDY),
        ("nacl/main.tf", 191, "IAC202", "high", "aws_network_acl.from_variable",
         "network ACL entry 100 allows inbound port 22 (SSH) from 0.0.0.0/0" + REMEDY),
    ]


def test_the_value_that_opens_a_dynamic_entry_is_traced_to_its_tfvars_line(tmp_path):
    shutil.copytree(PACK / "nacl", tmp_path / "nacl")
    _, report = _scan(tmp_path / "nacl")
    finding = next(f for f in report.findings if f.resource == "aws_network_acl.from_variable")
    assert [(Path(step.loc.file).name, step.loc.line) for step in finding.origin] == [
        ("terraform.tfvars", 3), ("main.tf", 185)]


def test_an_unknown_rule_number_that_decides_the_order_is_a_note_not_a_finding(tmp_path):
    shutil.copy(PACK / "nacl.yaml", tmp_path)
    _, report = _scan(tmp_path, strict=True)
    assert [(n.line, n.message) for n in report.notes] == [
        (119, "could not decide whether an earlier entry denies what this one allows from 0.0.0.0/0: "
              "parameter RuleNumber has no value")]


def test_an_unknown_rule_number_that_cannot_shadow_the_entry_does_not_hide_it(tmp_path):
    (tmp_path / "t.yaml").write_text(textwrap.dedent("""\
        Parameters:
          RuleNumber: {Type: Number}
        Resources:
          Acl:
            Type: AWS::EC2::NetworkAcl
            Properties: {VpcId: vpc-1}
          DenyHttps:
            Type: AWS::EC2::NetworkAclEntry
            Properties:
              {NetworkAclId: !Ref Acl, RuleNumber: !Ref RuleNumber, Protocol: 6, RuleAction: deny,
               CidrBlock: 0.0.0.0/0, PortRange: {From: 443, To: 443}}
          AllowAdmin:
            Type: AWS::EC2::NetworkAclEntry
            Properties:
              {NetworkAclId: !Ref Acl, RuleNumber: 200, Protocol: 6, RuleAction: allow,
               CidrBlock: 0.0.0.0/0, PortRange: {From: 22, To: 3389}}
        """))
    found, report = _scan(tmp_path, strict=True)
    assert [(f[1], f[3], f[5]) for f in found] == [
        (16, "high", "network ACL entry 200 allows inbound ports 22-3389 (Docker, MS RPC, MySQL, …) from 0.0.0.0/0"
         + REMEDY)]
    assert report.notes == []


def test_an_unknown_direction_or_action_is_a_note(tmp_path):
    (tmp_path / "main.tf").write_text(textwrap.dedent("""\
        variable "egress" {}
        variable "action" {}
        resource "aws_network_acl_rule" "maybe_inbound" {
          network_acl_id = "acl-1"
          rule_number    = 100
          egress         = var.egress
          rule_action    = "allow"
          protocol       = "-1"
          cidr_block     = "0.0.0.0/0"
        }
        resource "aws_network_acl_rule" "maybe_allow" {
          network_acl_id = "acl-2"
          rule_number    = 100
          rule_action    = var.action
          protocol       = "-1"
          cidr_block     = "0.0.0.0/0"
        }
        """))
    found, report = _scan(tmp_path, strict=True)
    assert found == []
    assert [(n.line, n.message) for n in report.notes] == [
        (6, "could not decide whether this network ACL entry is inbound: var.egress has no value"),
        (14, "could not decide whether this network ACL entry allows traffic: var.action has no value")]


def test_entries_of_an_acl_outside_the_scanned_files_are_ordered_together(tmp_path):
    (tmp_path / "main.tf").write_text(textwrap.dedent("""\
        resource "aws_network_acl_rule" "deny_ssh" {
          network_acl_id = "acl-0123"
          rule_number    = 10
          rule_action    = "deny"
          protocol       = "tcp"
          cidr_block     = "0.0.0.0/0"
          from_port      = 22
          to_port        = 22
        }
        resource "aws_network_acl_rule" "ssh_elsewhere" {
          network_acl_id = "acl-9999"
          rule_number    = 20
          rule_action    = "allow"
          protocol       = "tcp"
          cidr_block     = "0.0.0.0/0"
          from_port      = 22
          to_port        = 22
        }
        resource "aws_network_acl_rule" "ssh_shadowed" {
          network_acl_id = "acl-0123"
          rule_number    = 20
          rule_action    = "allow"
          protocol       = "tcp"
          cidr_block     = "0.0.0.0/0"
          from_port      = 22
          to_port        = 22
        }
        """))
    found, _ = _scan(tmp_path)
    assert [(f[1], f[4]) for f in found] == [(15, "aws_network_acl_rule.ssh_elsewhere")]


def test_public_ports_apply_to_network_acls_too(tmp_path):
    shutil.copytree(PACK / "nacl", tmp_path / "nacl")
    found, _ = _scan(tmp_path / "nacl", public_ports=(80, 443, 1194))
    assert 42 not in [f[1] for f in found]
    found, _ = _scan(tmp_path / "nacl", public_ports=())
    assert (42, "medium") in [(f[1], f[3]) for f in found]
    assert (32, "medium") in [(f[1], f[3]) for f in found]


def test_default_security_group_rules_are_each_reported(tmp_path):
    shutil.copytree(PACK / "default-sg", tmp_path / "default-sg")
    found, _ = _scan(tmp_path / "default-sg")
    remedy = ("rule; remove every rule so that resources left in it get no traffic, and give them security "
              "groups of their own")
    assert found == [
        ("main.tf", 8, "IAC203", "low", "aws_default_security_group.with_rules",
         f"default security group keeps an ingress {remedy}"),
        ("main.tf", 16, "IAC203", "low", "aws_default_security_group.with_rules",
         f"default security group keeps an egress {remedy}"),
    ]


def test_without_takes_ports_out_of_ranges():
    assert without([(0, 65535)], 22, 22) == [(0, 21), (23, 65535)]
    assert without([(0, 10), (20, 30)], 5, 25) == [(0, 4), (26, 30)]
    assert without([(22, 22)], 0, 65535) == []
