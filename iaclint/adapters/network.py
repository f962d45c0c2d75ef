"""EC2 networking: security groups and the rules that let traffic in, inline or resources of their own
(joined to their group by `link`)."""

from __future__ import annotations

from ..document import CLOUDFORMATION, TERRAFORM
from ..model import IngressRule, Model, SecurityGroup
from .link import own_keys, reference_keys
from .reader import Mapping, Source

_CFN_FIELDS = {"protocol": "IpProtocol", "from_port": "FromPort", "to_port": "ToPort"}
_CFN_CIDRS = ("cidr", ("CidrIp", "CidrIpv6"))
_TF_FIELDS = {"protocol": "protocol", "from_port": "from_port", "to_port": "to_port"}
_TF_CIDRS = ("cidr", ("cidr_blocks[*]", "ipv6_cidr_blocks[*]"))

MAPPINGS = (
    Mapping(
        SecurityGroup, "security_groups",
        Source(CLOUDFORMATION, "AWS::EC2::SecurityGroup", {"name": "GroupName"}),
        Source(TERRAFORM, "aws_security_group", {"name": "name"}),
        Source(TERRAFORM, "aws_default_security_group", {}),
    ),
    Mapping(
        IngressRule, "ingress",
        Source(CLOUDFORMATION, "AWS::EC2::SecurityGroup", _CFN_FIELDS, each="SecurityGroupIngress[*]",
               fan_out=_CFN_CIDRS),
        Source(CLOUDFORMATION, "AWS::EC2::SecurityGroupIngress", {**_CFN_FIELDS, "group": "GroupId"},
               fan_out=_CFN_CIDRS),
        Source(TERRAFORM, "aws_security_group", _TF_FIELDS, each="ingress[*]", fan_out=_TF_CIDRS),
        Source(TERRAFORM, "aws_security_group_rule", {**_TF_FIELDS, "direction": "type", "group": "security_group_id"},
               fan_out=_TF_CIDRS, require={"direction": "ingress"}),
        Source(TERRAFORM, "aws_vpc_security_group_ingress_rule",
               {"protocol": "ip_protocol", "from_port": "from_port", "to_port": "to_port",
                "group": "security_group_id"},
               fan_out=("cidr", ("cidr_ipv4", "cidr_ipv6"))),
    ),
)


def link(model: Model) -> None:
    """Join every rule to its group: inline rules to the group that holds them, rules of their own to the
    group they name."""
    keys = [(group, own_keys(group.resource.name, group.name)) for group in model.security_groups]
    for rule in model.ingress:
        if rule.group is None:
            owner = next((group for group in model.security_groups if group.resource is rule.resource), None)
        else:
            wanted = reference_keys(rule.group)
            owner = next((group for group, named in keys if wanted & named), None)
        if owner is not None:
            owner.ingress.append(rule)
