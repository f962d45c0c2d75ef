"""Benchmark: one CloudFormation template of many resources (default 50,000): wall time and peak memory of
`iaclint --no-cache` on it.

    python benchmarks/big_template.py [RESOURCES]

The template mixes the resource types the rules read most (security groups, IAM users and policies, buckets,
trails, keys), with parameters, conditions and intrinsic functions, so that every stage has work to do.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time

IACLINT = os.path.join(os.path.dirname(sys.executable), "iaclint")

_KINDS = (
    """  SG{n}:
    Type: AWS::EC2::SecurityGroup
    Condition: IsProd
    Properties:
      GroupDescription: !Sub "group ${{Env}} {n}"
      SecurityGroupIngress:
        - {{IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: !Ref Cidr}}
""",
    """  User{n}:
    Type: AWS::IAM::User
    Properties:
      Groups: [!Ref Admins]
""",
    """  Bucket{n}:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Join ["-", [logs, !Ref Env, "{n}"]]
""",
    """  Key{n}:
    Type: AWS::KMS::Key
    Properties:
      EnableKeyRotation: true
""",
)

_HEADER = """AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Env: {Type: String, Default: prod}
  Cidr: {Type: String, Default: 10.1.0.0/16}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Admins:
    Type: AWS::IAM::Group
    Properties:
      Policies:
        - PolicyName: force-mfa
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Deny
                NotAction: ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "sts:GetSessionToken"]
                Resource: "*"
                Condition: {BoolIfExists: {"aws:MultiFactorAuthPresent": "false"}}
"""


def write_template(path: str, resources: int) -> None:
    with open(path, "w", encoding="utf-8") as stream:
        stream.write(_HEADER)
        for n in range(resources - 1):
            stream.write(_KINDS[n % len(_KINDS)].format(n=n))


def main() -> int:
    resources = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    with tempfile.TemporaryDirectory(prefix="iaclint-big-") as scratch:
        path = os.path.join(scratch, "big.yaml")
        write_template(path, resources)
        size = os.path.getsize(path)
        started = time.perf_counter()
        done = subprocess.run([IACLINT, "--no-cache", path], capture_output=True, text=True)
        elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"template:     {resources} resources, {size / 1e6:.1f} MB")
    print(f"result:       exit {done.returncode}; {done.stdout.splitlines()[-1] if done.stdout else done.stderr[:200]}")
    print(f"wall time:    {elapsed:.2f} s")
    print(f"peak memory:  {peak:.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
