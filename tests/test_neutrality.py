"""One model, two readers: rules never name a framework, and both frameworks' forms of the same resource
give the same model objects."""

from __future__ import annotations

import ast
import re
import textwrap
from pathlib import Path

import pytest

from iaclint.adapters import build_model
from iaclint.catalog import all_rules
from iaclint.cloudformation.template import load_templates
from iaclint.files import read_text
from iaclint.options import Inputs
from iaclint.terraform.module import load_module

# What naming a framework looks like in code: its name, a resource type of either, or the document itself.
_FRAMEWORK_WORDS = re.compile(r"cloudformation|terraform|framework|AWS::|\baws_[a-z0-9]+_[a-z]|\.document\b", re.I)


def _code_without_docstring(path: Path) -> str:
    source = path.read_text()
    tree = ast.parse(source)
    docstring = ast.get_docstring(tree, clean=False)
    return source.replace(docstring, "", 1) if docstring else source


@pytest.mark.parametrize("rule", all_rules(), ids=lambda rule: rule.code)
def test_rule_code_names_no_framework(rule):
    code = _code_without_docstring(Path(rule.module.__file__))
    named = sorted({match.group(0) for match in _FRAMEWORK_WORDS.finditer(code)})
    assert named == [], f"{rule.code} names {named}: read the model, whose names carry each setting's spelling"


def test_the_neutrality_check_would_catch_a_framework_branch(tmp_path):
    rule = tmp_path / "rule.py"
    rule.write_text('"""Docs may say CloudFormation."""\nname = "KMSKeyId" if x.framework == "cloudformation" else "k"\n')
    assert _FRAMEWORK_WORDS.findall(_code_without_docstring(rule)) == ["framework", "cloudformation"]


# -- parity --------------------------------------------------------------------------------------------------

CLOUDFORMATION = """
Resources:
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties:
      S3BucketName: logs
      IsLogging: true
      KMSKeyId: alias/trail
      EnableLogFileValidation: true
      IsMultiRegionTrail: false
  Key:
    Type: AWS::KMS::Key
    Properties:
      EnableKeyRotation: false
      KeySpec: SYMMETRIC_DEFAULT
  Group:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: g
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}
        - {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIpv6: "::/0"}
  Key2:
    Type: AWS::IAM::AccessKey
    Properties:
      UserName: alice
"""

TERRAFORM = """
resource "aws_cloudtrail" "trail" {
  name                       = "trail"
  s3_bucket_name             = "logs"
  kms_key_id                 = "alias/trail"
  enable_log_file_validation = true
  is_multi_region_trail      = false
}
resource "aws_kms_key" "key" {
  enable_key_rotation      = false
  customer_master_key_spec = "SYMMETRIC_DEFAULT"
}
resource "aws_security_group" "group" {
  ingress {
    protocol    = "tcp"
    from_port   = 22
    to_port     = 22
    cidr_blocks = ["0.0.0.0/0"]
  }
  ingress {
    protocol         = "tcp"
    from_port        = 443
    to_port          = 443
    ipv6_cidr_blocks = ["::/0"]
  }
}
resource "aws_iam_access_key" "key2" {
  user = "alice"
}
"""


def _plain(value):
    return None if value is None else value.plain()


def _view(model) -> dict:
    """What rules read of each model object, without locations and names."""
    return {
        "trails": [(_plain(t.kms_key), _plain(t.log_validation), _plain(t.multi_region)) for t in model.trails],
        "kms_keys": [(_plain(k.rotation), _plain(k.spec)) for k in model.kms_keys],
        "ingress": [(_plain(r.cidr), str(_plain(r.protocol)), int(_plain(r.from_port)), int(_plain(r.to_port)))
                    for r in model.ingress],
        "access_keys": [_plain(k.user) for k in model.access_keys],
    }


def test_both_forms_of_the_same_resources_give_the_same_model(tmp_path):
    template = tmp_path / "t.yaml"
    template.write_text(CLOUDFORMATION)
    (document,) = load_templates(str(template), CLOUDFORMATION, Inputs(), read_text)
    module = tmp_path / "tf"
    module.mkdir()
    (module / "main.tf").write_text(textwrap.dedent(TERRAFORM))
    terraform, errors = load_module(str(module), [str(module / "main.tf")], read_text, Inputs())
    assert errors == []
    from_cloudformation, from_terraform = build_model(document), build_model(terraform)
    assert _view(from_cloudformation) == _view(from_terraform)
    assert _view(from_cloudformation)["ingress"] == [("0.0.0.0/0", "tcp", 22, 22), ("::/0", "tcp", 443, 443)]
    # Each carries its own spelling of the settings, for messages.
    assert (from_cloudformation.trails[0].names["kms_key"], from_terraform.trails[0].names["kms_key"]) == (
        "KMSKeyId", "kms_key_id")
