"""open-ingress (IAC201) advises what fits the group: a load balancer's group, an instance's, or one the
scanned files do not attach to anything; the same in CloudFormation and Terraform, through the command."""

from __future__ import annotations

import textwrap
from pathlib import Path

from test_cli import run

LOAD_BALANCER = ("restrict it to the listener ports the load balancer serves, or put CloudFront or AWS WAF in "
                 "front of it")
INSTANCE = "restrict the source range, or reach the instances through Session Manager or a bastion host"
GENERAL = "restrict the source range or reach the instances through a load balancer or Session Manager"

TEMPLATE = textwrap.dedent("""\
    Resources:
      LbGroup:
        Type: AWS::EC2::SecurityGroup
        Properties:
          GroupDescription: load balancer
          SecurityGroupIngress:
            - {IpProtocol: tcp, FromPort: 8443, ToPort: 8443, CidrIp: 0.0.0.0/0}
      Lb:
        Type: AWS::ElasticLoadBalancingV2::LoadBalancer
        Properties:
          SecurityGroups: [!GetAtt LbGroup.GroupId]
      AppGroup:
        Type: AWS::EC2::SecurityGroup
        Properties:
          GroupDescription: app
      AppSsh:
        Type: AWS::EC2::SecurityGroupIngress
        Properties:
          GroupId: !Ref AppGroup
          IpProtocol: tcp
          FromPort: 22
          ToPort: 22
          CidrIp: 0.0.0.0/0
      Servers:
        Type: AWS::EC2::LaunchTemplate
        Properties:
          LaunchTemplateData:
            NetworkInterfaces:
              - {DeviceIndex: 0, Groups: [!Ref AppGroup]}
      Loose:
        Type: AWS::EC2::SecurityGroup
        Properties:
          GroupDescription: attached to nothing here
          SecurityGroupIngress:
            - {IpProtocol: tcp, FromPort: 3389, ToPort: 3389, CidrIp: 0.0.0.0/0}
      Shared:
        Type: AWS::EC2::SecurityGroup
        Properties:
          GroupDescription: a load balancer's and an instance's
          SecurityGroupIngress:
            - {IpProtocol: tcp, FromPort: 8080, ToPort: 8080, CidrIpv6: "::/0"}
      Classic:
        Type: AWS::ElasticLoadBalancing::LoadBalancer
        Properties:
          Listeners: [{LoadBalancerPort: "80", InstancePort: "80", Protocol: HTTP}]
          SecurityGroups: [!Ref Shared]
      Bastion:
        Type: AWS::EC2::Instance
        Properties:
          ImageId: ami-12345678
          SecurityGroupIds: [!Ref Shared]
    """)

MODULE = textwrap.dedent("""\
    resource "aws_security_group" "lb" {
      ingress {
        from_port   = 8443
        to_port     = 8443
        protocol    = "tcp"
        cidr_blocks = ["0.0.0.0/0"]
      }
    }
    resource "aws_lb" "web" {
      security_groups = [aws_security_group.lb.id]
    }
    resource "aws_security_group" "app" {}
    resource "aws_vpc_security_group_ingress_rule" "ssh" {
      security_group_id = aws_security_group.app.id
      ip_protocol       = "tcp"
      from_port         = 22
      to_port           = 22
      cidr_ipv4         = "0.0.0.0/0"
    }
    resource "aws_instance" "app" {
      ami                    = "ami-12345678"
      vpc_security_group_ids = [aws_security_group.app.id]
    }
    resource "aws_security_group" "loose" {
      ingress {
        from_port   = 3389
        to_port     = 3389
        protocol    = "tcp"
        cidr_blocks = ["0.0.0.0/0"]
      }
    }
    """)


def test_advice_fits_the_group_in_cloudformation(tmp_path: Path) -> None:
    (tmp_path / "stack.yaml").write_text(TEMPLATE)
    result = run("--no-cache", "-q", "--select", "IAC201", "stack.yaml", cwd=tmp_path)
    assert (result.returncode, result.stdout.splitlines()) == (1, [
        "stack.yaml:7:67: IAC201 [medium] open-ingress: security group allows port 8443 from 0.0.0.0/0; "
        + LOAD_BALANCER,
        "stack.yaml:23:15: IAC201 [high] open-ingress: security group allows port 22 (SSH) from 0.0.0.0/0; "
        + INSTANCE,
        "stack.yaml:35:67: IAC201 [high] open-ingress: security group allows port 3389 (RDP) from 0.0.0.0/0; "
        + GENERAL,
        "stack.yaml:41:69: IAC201 [medium] open-ingress: security group allows port 8080 from ::/0; " + GENERAL,
    ])


def test_advice_fits_the_group_in_terraform(tmp_path: Path) -> None:
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "main.tf").write_text(MODULE)
    result = run("--no-cache", "-q", "--select", "IAC201", "m", cwd=tmp_path)
    assert (result.returncode, result.stdout.splitlines()) == (1, [
        "m/main.tf:6:20: IAC201 [medium] open-ingress: security group allows port 8443 from 0.0.0.0/0; "
        + LOAD_BALANCER,
        "m/main.tf:18:23: IAC201 [high] open-ingress: security group allows port 22 (SSH) from 0.0.0.0/0; "
        + INSTANCE,
        "m/main.tf:29:20: IAC201 [high] open-ingress: security group allows port 3389 (RDP) from 0.0.0.0/0; "
        + GENERAL,
    ])
