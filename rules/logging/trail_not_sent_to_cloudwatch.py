"""A CloudTrail trail does not deliver its events to CloudWatch Logs, so nothing can alarm on them.

## What it does
Flags an `AWS::CloudTrail::Trail` without `CloudWatchLogsLogGroupArn` and a Terraform `aws_cloudtrail`
without `cloud_watch_logs_group_arn`.

## Why is this bad?
Events delivered only to S3 are read after the fact, if ever.  Sent to a CloudWatch Logs log group they can
feed metric filters and alarms — root account use, IAM policy changes, console sign-in failures — so that
someone hears about them while it matters.

## Example
```yaml cloudformation
Resources:
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties:
      IsLogging: true
      S3BucketName: audit-logs
```

```hcl terraform
resource "aws_cloudtrail" "main" {
  name           = "main"
  s3_bucket_name = "audit-logs"
}
```

## Use instead
```yaml cloudformation
Resources:
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties:
      IsLogging: true
      S3BucketName: audit-logs
      CloudWatchLogsLogGroupArn: !GetAtt TrailLogs.Arn
      CloudWatchLogsRoleArn: !GetAtt TrailToLogs.Arn
  TrailLogs:
    Type: AWS::Logs::LogGroup
  TrailToLogs:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {Service: cloudtrail.amazonaws.com}
            Action: sts:AssumeRole
```

```hcl terraform
resource "aws_cloudtrail" "main" {
  name                       = "main"
  s3_bucket_name             = "audit-logs"
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn  = aws_iam_role.trail_to_logs.arn
}
```

## References
- https://docs.aws.amazon.com/awscloudtrail/latest/userguide/send-cloudtrail-events-to-cloudwatch-logs.html
- https://docs.aws.amazon.com/securityhub/latest/userguide/cloudtrail-controls.html#cloudtrail-5
"""

from __future__ import annotations

from iaclint.checks import written_only
from iaclint.findings import Issue

CODE = "IAC306"
SLUG = "trail-not-sent-to-cloudwatch"
SEVERITY = "low"
CONTROLS = ("FSBP CloudTrail.5",)


def check(model, settings):
    for trail in model.trails:
        group, name, role = trail.log_group, trail.names["log_group"], trail.names["log_role"]
        # Any value, known or not, names a log group; only an empty one (or none) names none.
        empty = [] if group is None else [v for v in group.variants() if v.is_known and v.raw in (None, "")]
        if group is not None and not empty:
            only = written_only(group, trail.resource)
            if only:
                yield Issue(trail.resource.loc, f"CloudTrail trail sends its events to CloudWatch Logs only {only}; "
                            f"set {name} and {role} unconditionally", trail.resource.name, name)
            continue
        cases = [" and ".join(v.when) for v in empty]
        when = " " + " or ".join(cases) if cases and all(cases) else ""
        where = empty[0].loc if empty and empty[0].loc else trail.resource.loc
        yield Issue(where, f"CloudTrail trail does not send its events to CloudWatch Logs{when}, so no alarm can "
                    f"watch them; set {name} and {role}", trail.resource.name, name,
                    origin=empty[0].trace if empty else ())
