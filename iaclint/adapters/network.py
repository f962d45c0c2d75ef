"""EC2 networking: security-group rules that let traffic in."""

from __future__ import annotations

from ..document import CLOUDFORMATION, TERRAFORM
from ..model import IngressRule
from .reader import Mapping, Source

_CFN_FIELDS = {"protocol": "IpProtocol", "from_port": "FromPort", "to_port": "ToPort"}
_CFN_CIDRS = ("cidr", ("CidrIp", "CidrIpv6"))
_TF_FIELDS = {"protocol": "protocol", "from_port": "from_port", "to_port": "to_port"}
_TF_CIDRS = ("cidr", ("cidr_blocks[*]", "ipv6_cidr_blocks[*]"))

MAPPINGS = (
    Mapping(
        IngressRule, "ingress",
        Source(CLOUDFORMATION, "AWS::EC2::SecurityGroup", _CFN_FIELDS, each="SecurityGroupIngress[*]",
               fan_out=_CFN_CIDRS),
        Source(CLOUDFORMATION, "AWS::EC2::SecurityGroupIngress", _CFN_FIELDS, fan_out=_CFN_CIDRS),
        Source(TERRAFORM, "aws_security_group", _TF_FIELDS, each="ingress[*]", fan_out=_TF_CIDRS),
        Source(TERRAFORM, "aws_security_group_rule", {**_TF_FIELDS, "direction": "type"}, fan_out=_TF_CIDRS,
               require={"direction": "ingress"}),
        Source(TERRAFORM, "aws_vpc_security_group_ingress_rule",
               {"protocol": "ip_protocol", "from_port": "from_port", "to_port": "to_port"},
               fan_out=("cidr", ("cidr_ipv4", "cidr_ipv6"))),
    ),
)
