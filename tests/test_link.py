"""The link step joins what spans resources, alike for both frameworks: a bucket and its access block and
versioning, a trail and its bucket, a security group and its rules, written inline or as resources of
their own."""

from __future__ import annotations

import textwrap

from iaclint.adapters import build_model
from iaclint.cloudformation.template import load_templates
from iaclint.files import read_text
from iaclint.options import Inputs
from iaclint.terraform.module import load_module

CLOUDFORMATION = """
Resources:
  Logs:
    Type: AWS::S3::Bucket
    Properties:
      PublicAccessBlockConfiguration:
        BlockPublicAcls: true
        BlockPublicPolicy: true
        IgnorePublicAcls: true
        RestrictPublicBuckets: false
      VersioningConfiguration:
        Status: Enabled
  Other:
    Type: AWS::S3::Bucket
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties:
      IsLogging: true
      S3BucketName: !Ref Logs
  Group:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: g
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/8}
  Ssh:
    Type: AWS::EC2::SecurityGroupIngress
    Properties: {GroupId: !GetAtt Group.GroupId, IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}
"""

TERRAFORM = """
resource "aws_s3_bucket" "logs" {
  bucket = "audit-logs"
}
resource "aws_s3_bucket_public_access_block" "logs" {
  bucket                  = aws_s3_bucket.logs.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = false
}
resource "aws_s3_bucket_versioning" "logs" {
  bucket = aws_s3_bucket.logs.id
  versioning_configuration {
    status = "Enabled"
  }
}
resource "aws_s3_bucket" "other" {
  bucket = "other"
}
resource "aws_cloudtrail" "trail" {
  name           = "trail"
  s3_bucket_name = "audit-logs"
}
resource "aws_security_group" "group" {
  ingress {
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["10.0.0.0/8"]
  }
}
resource "aws_security_group_rule" "ssh" {
  type              = "ingress"
  security_group_id = aws_security_group.group.id
  protocol          = "tcp"
  from_port         = 22
  to_port           = 22
  cidr_blocks       = ["0.0.0.0/0"]
}
"""


def _models(tmp_path):
    (tmp_path / "t.yaml").write_text(CLOUDFORMATION)
    (document,) = load_templates(str(tmp_path / "t.yaml"), CLOUDFORMATION, Inputs(), read_text)
    (tmp_path / "tf").mkdir()
    (tmp_path / "tf" / "main.tf").write_text(textwrap.dedent(TERRAFORM))
    terraform, errors = load_module(str(tmp_path / "tf"), [str(tmp_path / "tf" / "main.tf")], read_text, Inputs())
    assert errors == []
    return build_model(document), build_model(terraform)


def _view(model) -> dict:
    def plain(value):
        return None if value is None else value.plain()

    buckets = {}
    for bucket in model.buckets:
        block = bucket.access_block
        buckets[bucket.resource.name.split(".")[-1].lower()] = (
            None if block is None else (plain(block.block_public_acls), plain(block.block_public_policy),
                                        plain(block.ignore_public_acls), plain(block.restrict_public_buckets)),
            None if bucket.versioning is None else plain(bucket.versioning.status))
    return {
        "buckets": buckets,
        "trail buckets": [None if t.bucket is None else t.bucket.resource.name.split(".")[-1].lower()
                          for t in model.trails],
        "groups": [sorted((plain(r.cidr), int(plain(r.from_port))) for r in group.ingress)
                   for group in model.security_groups],
    }


def test_both_frameworks_link_alike(tmp_path):
    from_cloudformation, from_terraform = _models(tmp_path)
    assert _view(from_cloudformation) == _view(from_terraform) == {
        "buckets": {"logs": ((True, True, True, False), "Enabled"), "other": (None, None)},
        "trail buckets": ["logs"],
        "groups": [[("0.0.0.0/0", 22), ("10.0.0.0/8", 443)]],
    }


SAME_INPUT_CLOUDFORMATION = """
Parameters:
  LogsName:
    Type: String
Resources:
  Suffixed:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub "${LogsName}-old"
  Logs:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Ref LogsName
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties:
      IsLogging: true
      S3BucketName: !Ref LogsName
"""

SAME_INPUT_TERRAFORM = """
variable "logs_name" {
  type = string
}
resource "aws_s3_bucket" "suffixed" {
  bucket = "${var.logs_name}-old"
}
resource "aws_s3_bucket" "logs" {
  bucket = var.logs_name
}
resource "aws_s3_bucket_versioning" "logs" {
  bucket = var.logs_name
  versioning_configuration {
    status = "Enabled"
  }
}
resource "aws_cloudtrail" "trail" {
  name           = "trail"
  s3_bucket_name = var.logs_name
}
"""


def test_a_parameter_given_no_value_names_the_bucket_named_by_it_and_no_other(tmp_path):
    """Names are unique: the trail given the parameter that names a bucket writes to that bucket (and a
    versioning naming it by the variable is that bucket's), not to one whose name only contains it."""
    (tmp_path / "t.yaml").write_text(SAME_INPUT_CLOUDFORMATION)
    (document,) = load_templates(str(tmp_path / "t.yaml"), SAME_INPUT_CLOUDFORMATION, Inputs(), read_text)
    (tmp_path / "tf").mkdir()
    (tmp_path / "tf" / "main.tf").write_text(SAME_INPUT_TERRAFORM)
    terraform, errors = load_module(str(tmp_path / "tf"), [str(tmp_path / "tf" / "main.tf")], read_text, Inputs())
    assert errors == []
    from_cloudformation, from_terraform = build_model(document), build_model(terraform)
    assert [trail.bucket.resource.name for trail in from_cloudformation.trails] == ["Logs"]
    assert [trail.bucket.resource.name for trail in from_terraform.trails] == ["aws_s3_bucket.logs"]
    assert {bucket.resource.name: bucket.versioning is not None for bucket in from_terraform.buckets} == {
        "aws_s3_bucket.suffixed": False, "aws_s3_bucket.logs": True}
