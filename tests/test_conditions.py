"""A value decided under an undecided condition is never an unconditional claim: every rule that reports
one says under which condition (``when IsProd is false``)."""

from __future__ import annotations

from iaclint import scan
from iaclint.options import ScanOptions

TEMPLATE = """
Parameters:
  Env: {Type: String, AllowedValues: [prod, dev]}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Key:
    Type: AWS::KMS::Key
    Properties:
      EnableKeyRotation: !If [IsProd, true, false]
      KeyPolicy: {Version: "2012-10-17", Statement: []}
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties:
      IsLogging: true
      S3BucketName: logs
      KMSKeyId: alias/trail
      EnableLogFileValidation: !If [IsProd, true, false]
      IsMultiRegionTrail: !If [IsProd, false, true]
      CloudWatchLogsLogGroupArn: !If [IsProd, !Ref AWS::NoValue, arn:aws:logs:us-east-1:111111111111:log-group:t:*]
  Alice:
    Type: AWS::IAM::User
    Properties:
      ManagedPolicyArns: !If [IsProd, !Ref AWS::NoValue, [arn:aws:iam::aws:policy/ReadOnlyAccess]]
      Policies:
        - !If
          - IsProd
          - !Ref AWS::NoValue
          - PolicyName: debug
            PolicyDocument: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "s3:*", Resource: "*"}]}
  Web:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !If [IsProd, 10.0.0.0/8, 0.0.0.0/0]}
"""


def test_every_rule_names_the_condition(tmp_path):
    (tmp_path / "t.yaml").write_text(TEMPLATE)
    report = scan([str(tmp_path)], ScanOptions(ignore=("IAC103",)))
    assert [(f.line, f.code, f.message) for f in report.findings] == [
        (10, "IAC401", "KMS key is not rotated automatically when IsProd is false; set EnableKeyRotation to true"),
        (12, "IAC306", "CloudTrail trail sends its events to CloudWatch Logs only when IsProd is false; "
                       "set CloudWatchLogsLogGroupArn and CloudWatchLogsRoleArn unconditionally"),
        (18, "IAC302", "CloudTrail trail does not validate its log files when IsProd is false; "
                       "set EnableLogFileValidation to true"),
        (19, "IAC303", "CloudTrail trail records a single region when IsProd is true; set IsMultiRegionTrail to true"),
        (24, "IAC102", "managed policy attached directly to an IAM user when IsProd is false; attach it to a group "
                       "or role"),
        (29, "IAC101", "inline policy embedded in an IAM user when IsProd is false; grant permissions through a "
                       "group or role"),
        (36, "IAC201", "security group allows port 22 (SSH) from 0.0.0.0/0 when IsProd is false; restrict the "
                       "source range or reach the instances through a load balancer or Session Manager"),
    ]
