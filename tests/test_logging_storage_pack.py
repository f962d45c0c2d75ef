"""IAC304-306, IAC402, IAC403: exact messages, lines and severities in both frameworks, and what is noted
under --strict when a deciding value is unknown."""

from __future__ import annotations

import textwrap
from pathlib import Path

from iaclint import scan
from iaclint.options import FindingPolicy, ScanOptions

CODES = ("IAC304", "IAC305", "IAC306", "IAC402", "IAC403")
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def _scan(tmp_path, name: str, text: str, *codes: str):
    (tmp_path / name).write_text(textwrap.dedent(text))
    report = scan([str(tmp_path)], ScanOptions(policy=FindingPolicy(strict=True, select=codes or CODES)))
    assert report.errors == []
    findings = [(f.line, f.code, f.severity, f.resource, f.message) for f in report.findings]
    notes = [(n.line, n.code, n.message) for n in report.notes]
    return findings, notes


def test_trail_logging_off_and_bucket_both_public_and_unversioned_cloudformation(tmp_path):
    findings, notes = _scan(tmp_path, "t.yaml", """\
        Resources:
          Logs:
            Type: AWS::S3::Bucket
          Trail:
            Type: AWS::CloudTrail::Trail
            Properties:
              IsLogging: false
              S3BucketName: !Ref Logs
        """, "IAC304", "IAC305", "IAC306")
    assert findings == [
        (4, "IAC306", "low", "Trail", "CloudTrail trail does not send its events to CloudWatch Logs, so no alarm "
                                      "can watch them; set CloudWatchLogsLogGroupArn and CloudWatchLogsRoleArn"),
        (7, "IAC304", "high", "Trail", "CloudTrail trail is not logging; set IsLogging to true"),
        (8, "IAC305", "medium", "Trail", "CloudTrail trail writes its logs to bucket Logs, which has no public "
                                         "access block in the scanned files and is neither versioned nor "
                                         "object-locked; add "
                                         "PublicAccessBlockConfiguration with all four settings true, and turn on "
                                         "versioning in VersioningConfiguration or set ObjectLockEnabled to true"),
    ]
    assert notes == []


def test_trail_bucket_partly_blocked_terraform(tmp_path):
    findings, _ = _scan(tmp_path, "main.tf", """\
        resource "aws_s3_bucket" "logs" {
          bucket = "audit-logs"
        }
        resource "aws_s3_bucket_public_access_block" "logs" {
          bucket                  = aws_s3_bucket.logs.id
          block_public_acls       = true
          block_public_policy     = true
          ignore_public_acls      = false
          restrict_public_buckets = true
        }
        resource "aws_s3_bucket_versioning" "logs" {
          bucket = aws_s3_bucket.logs.id
          versioning_configuration {
            status = "Enabled"
          }
        }
        resource "aws_cloudtrail" "main" {
          name           = "main"
          s3_bucket_name = "audit-logs"
          enable_logging = false
        }
        """, "IAC304", "IAC305", "IAC402")
    assert findings == [
        (8, "IAC402", "medium", "aws_s3_bucket.logs", "S3 bucket does not block all public access "
                                                      "(ignore_public_acls not true); set ignore_public_acls to true"),
        (19, "IAC305", "medium", "aws_cloudtrail.main", "CloudTrail trail writes its logs to bucket "
                                                        "aws_s3_bucket.logs, which does not block all public access "
                                                        "(ignore_public_acls not true); set ignore_public_acls to true"),
        (20, "IAC304", "high", "aws_cloudtrail.main", "CloudTrail trail is not logging; set enable_logging to true"),
    ]


def test_unknown_protection_of_a_trail_bucket_is_noted(tmp_path):
    findings, notes = _scan(tmp_path, "t.yaml", """\
        Parameters:
          Status: {Type: String}
          Logging: {Type: String}
        Resources:
          Logs:
            Type: AWS::S3::Bucket
            Properties:
              PublicAccessBlockConfiguration:
                BlockPublicAcls: true
                BlockPublicPolicy: true
                IgnorePublicAcls: true
                RestrictPublicBuckets: true
              VersioningConfiguration:
                Status: !Ref Status
          Trail:
            Type: AWS::CloudTrail::Trail
            Properties:
              IsLogging: !Ref Logging
              S3BucketName: !Ref Logs
              CloudWatchLogsLogGroupArn: arn:aws:logs:us-east-1:111111111111:log-group:trail:*
        """)
    assert findings == []
    assert notes == [
        (14, "IAC305", "could not decide whether the trail's bucket is protected: parameter Status has no value"),
        (18, "IAC304", "could not decide whether the trail is logging: parameter Logging has no value"),
    ]


def test_buckets_public_acls_and_the_account_block_terraform(tmp_path):
    findings, notes = _scan(tmp_path, "main.tf", """\
        variable "acl" {}
        resource "aws_s3_account_public_access_block" "account" {
          block_public_acls       = true
          block_public_policy     = true
          ignore_public_acls      = true
          restrict_public_buckets = true
        }
        resource "aws_s3_bucket" "site" {
          bucket = "site"
          acl    = "public-read"
        }
        resource "aws_s3_bucket" "maybe" {
          bucket = "maybe"
        }
        resource "aws_s3_bucket_acl" "maybe" {
          bucket = aws_s3_bucket.maybe.id
          acl    = var.acl
        }
        resource "aws_s3_bucket" "covered" {
          bucket = "covered"
        }
        """, "IAC402")
    assert findings == [
        (10, "IAC402", "high", "aws_s3_bucket.site", "S3 bucket is given the public canned ACL public-read; "
                                                     "remove acl or make it private"),
    ]
    assert notes == [(17, "IAC402", "could not decide whether the bucket's ACL makes it public: var.acl has no value")]


def test_buckets_cloudformation(tmp_path):
    findings, notes = _scan(tmp_path, "t.yaml", """\
        Parameters:
          Restrict: {Type: String}
        Resources:
          Open:
            Type: AWS::S3::Bucket
            Properties:
              AccessControl: PublicReadWrite
          Partly:
            Type: AWS::S3::Bucket
            Properties:
              PublicAccessBlockConfiguration:
                BlockPublicAcls: true
          Unknown:
            Type: AWS::S3::Bucket
            Properties:
              PublicAccessBlockConfiguration:
                BlockPublicAcls: true
                BlockPublicPolicy: true
                IgnorePublicAcls: true
                RestrictPublicBuckets: !Ref Restrict
        """, "IAC402")
    assert findings == [
        (4, "IAC402", "medium", "Open", "S3 bucket has no public access block in the scanned files; add "
                                        "PublicAccessBlockConfiguration with all four settings true"),
        (7, "IAC402", "high", "Open", "S3 bucket is given the public canned ACL PublicReadWrite; remove AccessControl "
                                      "or make it private"),
        (8, "IAC402", "medium", "Partly", "S3 bucket does not block all public access (BlockPublicPolicy, "
                                          "IgnorePublicAcls and RestrictPublicBuckets not true); set BlockPublicPolicy, "
                                          "IgnorePublicAcls and RestrictPublicBuckets to true"),
    ]
    assert notes == [(20, "IAC402", "could not decide whether the bucket blocks public access: "
                                    "parameter Restrict has no value")]


def test_secrets_and_their_rotation(tmp_path):
    findings, notes = _scan(tmp_path, "t.yaml", """\
        Parameters:
          SecretArn: {Type: String}
        Resources:
          Plain:
            Type: AWS::SecretsManager::Secret
            Properties:
              GenerateSecretString: {GenerateStringKey: password, SecretStringTemplate: '{}'}
          Schedule:
            Type: AWS::SecretsManager::RotationSchedule
            Properties:
              SecretId: !Ref SecretArn
              RotationRules: {AutomaticallyAfterDays: 30}
        """, "IAC403")
    assert findings == []
    assert notes == [(11, "IAC403", "could not decide whether the secret is rotated: parameter SecretArn has no value")]


def test_a_secret_without_rotation_terraform(tmp_path):
    findings, _ = _scan(tmp_path, "main.tf", """\
        resource "aws_secretsmanager_secret" "db" {
          name = "db"
        }
        resource "aws_secretsmanager_secret" "api" {
          name = "app/api"
        }
        resource "aws_secretsmanager_secret_rotation" "api" {
          secret_id           = aws_secretsmanager_secret.api.id
          rotation_lambda_arn = "arn:aws:lambda:us-east-1:111111111111:function:rotate"
        }
        """, "IAC403")
    assert findings == [(1, "IAC403", "low", "aws_secretsmanager_secret.db",
                         "Secrets Manager secret is never rotated; add an aws_secretsmanager_secret_rotation for it")]


def test_a_block_of_a_counted_bucket_is_its_block(tmp_path):
    """`aws_s3_bucket.b[0]` names the bucket whose count is unknown, read as one resource."""
    findings, notes = _scan(tmp_path, "main.tf", """\
        variable "region" {}
        resource "aws_s3_bucket" "b" {
          count  = var.region == "" ? 0 : 1
          bucket = "b"
        }
        resource "aws_s3_bucket_public_access_block" "b" {
          count                   = var.region == "" ? 0 : 1
          bucket                  = aws_s3_bucket.b[0].id
          block_public_acls       = true
          block_public_policy     = true
          ignore_public_acls      = false
          restrict_public_buckets = true
        }
        """, "IAC402")
    assert findings == [(11, "IAC402", "medium", "aws_s3_bucket.b", "S3 bucket does not block all public access "
                                                                    "(ignore_public_acls not true); set "
                                                                    "ignore_public_acls to true")]


def test_a_block_chosen_by_a_condition_names_the_case_that_falls_short(tmp_path):
    findings, notes = _scan(tmp_path, "t.yaml", """\
        Parameters:
          Audience: {Type: String}
        Conditions:
          Private: !Equals [!Ref Audience, private]
        Resources:
          Bucket:
            Type: AWS::S3::Bucket
            Properties:
              PublicAccessBlockConfiguration: !If
                - Private
                - {BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true}
                - {BlockPublicAcls: true, BlockPublicPolicy: false, IgnorePublicAcls: true, RestrictPublicBuckets: false}
        """, "IAC402")
    assert findings == [
        (12, "IAC402", "medium", "Bucket", "S3 bucket does not block all public access (BlockPublicPolicy and "
                                           "RestrictPublicBuckets not true) when Private is false; set "
                                           "BlockPublicPolicy and RestrictPublicBuckets to true"),
    ]
    assert notes == []


def test_a_block_versioning_or_acl_naming_a_bucket_not_known_leaves_the_buckets_without_one_undecided():
    """Each may be the block, versioning or ACL of the bucket that has none: not "no public access block in
    the scanned files" (there is one), nor "neither versioned" — undecided, saying what is not known."""
    report = scan([str(FIXTURES / "storage-pack" / "terraform" / "unknown-bucket")],
                  ScanOptions(policy=FindingPolicy(strict=True, select=CODES)))
    unknown = "data.aws_ssm_parameter.logs.value is known only after apply"
    assert (report.errors, report.findings) == ([], [])
    assert [(n.line, n.code, n.message) for n in report.notes] == [
        (14, "IAC305", f"could not decide whether the trail's bucket is protected: {unknown}"),
        (14, "IAC402", f"could not decide whether the bucket blocks public access: {unknown}"),
        (29, "IAC402", f"could not decide whether the bucket is given a public canned ACL: {unknown}"),
    ]


def test_a_trail_whose_bucket_name_is_not_known_is_undecided_when_a_bucket_here_may_be_it(tmp_path):
    findings, notes = _scan(tmp_path, "t.yaml", """\
        Parameters:
          Suffix: {Type: String}
        Resources:
          Logs:
            Type: AWS::S3::Bucket
          Trail:
            Type: AWS::CloudTrail::Trail
            Properties:
              IsLogging: true
              S3BucketName: !Sub "audit-${Suffix}"
              CloudWatchLogsLogGroupArn: arn:aws:logs:us-east-1:111111111111:log-group:trail:*
        """, "IAC305")
    assert findings == []
    assert notes == [
        (10, "IAC305", "could not decide whether the trail writes to a bucket of the scanned files, and whether "
                       "that is protected: parameter Suffix has no value"),
    ]
