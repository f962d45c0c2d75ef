"""EC2 networking: security groups and the rules that let traffic in, inline or resources of their own
(joined to their group by `link`); network ACLs and their entries, likewise; the rules of a managed default
security group."""

from __future__ import annotations

from ..document import CLOUDFORMATION, TERRAFORM, Resource
from ..model import (INSTANCE, LOAD_BALANCER, AclEntry, DefaultGroupRule, GroupUse, IngressRule, Model, NetworkAcl,
                     SecurityGroup)
from .link import own_keys, reference_keys
from .reader import Mapping, Source, values_at

_CFN_FIELDS = {"protocol": "IpProtocol", "from_port": "FromPort", "to_port": "ToPort"}
_CFN_CIDRS = ("cidr", ("CidrIp", "CidrIpv6"))
_TF_FIELDS = {"protocol": "protocol", "from_port": "from_port", "to_port": "to_port"}
_TF_CIDRS = ("cidr", ("cidr_blocks[*]", "ipv6_cidr_blocks[*]"))
_CFN_ACL_ENTRY = {"action": "RuleAction", "number": "RuleNumber", "protocol": "Protocol", "from_port": "PortRange.From",
                  "to_port": "PortRange.To", "egress": "Egress", "acl": "NetworkAclId"}
_TF_ACL_BLOCK = {"action": "action", "number": "rule_no", "protocol": "protocol", "from_port": "from_port",
                 "to_port": "to_port"}
_TF_ACL_RULE = {"action": "rule_action", "number": "rule_number", "protocol": "protocol", "from_port": "from_port",
                "to_port": "to_port", "egress": "egress", "acl": "network_acl_id"}
_TF_ACL_CIDRS = ("cidr", ("cidr_block", "ipv6_cidr_block"))
# A managed default security group: the blocks that give it rules (none is the safe state).
_DEFAULT_GROUP = (TERRAFORM, "aws_default_security_group")
_DEFAULT_GROUP_RULES = ("ingress", "egress")

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
    # What a group is attached to decides the advice for it: a load balancer serves the internet on purpose.
    Mapping(
        GroupUse, "load_balancer_groups",
        Source(CLOUDFORMATION, "AWS::ElasticLoadBalancingV2::LoadBalancer", {}, fan_out=("group", ("SecurityGroups[*]",))),
        Source(CLOUDFORMATION, "AWS::ElasticLoadBalancing::LoadBalancer", {}, fan_out=("group", ("SecurityGroups[*]",))),
        *(Source(TERRAFORM, kind, {}, fan_out=("group", ("security_groups[*]",))) for kind in ("aws_lb", "aws_alb", "aws_elb")),
    ),
    Mapping(
        GroupUse, "instance_groups",
        Source(CLOUDFORMATION, "AWS::EC2::Instance", {},
               fan_out=("group", ("SecurityGroupIds[*]", "SecurityGroups[*]", "NetworkInterfaces[*].GroupSet[*]"))),
        Source(CLOUDFORMATION, "AWS::EC2::LaunchTemplate", {},
               fan_out=("group", ("LaunchTemplateData.SecurityGroupIds[*]", "LaunchTemplateData.SecurityGroups[*]",
                                  "LaunchTemplateData.NetworkInterfaces[*].Groups[*]"))),
        Source(CLOUDFORMATION, "AWS::AutoScaling::LaunchConfiguration", {}, fan_out=("group", ("SecurityGroups[*]",))),
        Source(TERRAFORM, "aws_instance", {}, fan_out=("group", ("vpc_security_group_ids[*]", "security_groups[*]"))),
        Source(TERRAFORM, "aws_launch_template", {},
               fan_out=("group", ("vpc_security_group_ids[*]", "security_group_names[*]",
                                  "network_interfaces[*].security_groups[*]"))),
        Source(TERRAFORM, "aws_launch_configuration", {}, fan_out=("group", ("security_groups[*]",))),
    ),
    Mapping(
        NetworkAcl, "network_acls",
        Source(CLOUDFORMATION, "AWS::EC2::NetworkAcl", {}),
        Source(TERRAFORM, "aws_network_acl", {}),
        Source(TERRAFORM, "aws_default_network_acl", {}),
    ),
    Mapping(
        AclEntry, "acl_entries",
        Source(CLOUDFORMATION, "AWS::EC2::NetworkAclEntry", _CFN_ACL_ENTRY,
               fan_out=("cidr", ("CidrBlock", "Ipv6CidrBlock"))),
        Source(TERRAFORM, "aws_network_acl", _TF_ACL_BLOCK, each="ingress[*]", fan_out=_TF_ACL_CIDRS),
        Source(TERRAFORM, "aws_default_network_acl", _TF_ACL_BLOCK, each="ingress[*]", fan_out=_TF_ACL_CIDRS),
        Source(TERRAFORM, "aws_network_acl_rule", _TF_ACL_RULE, fan_out=_TF_ACL_CIDRS),
    ),
)


def paths() -> dict[tuple[str, str], set[str]]:
    """The rule blocks of a managed default security group, read by `adapt`."""
    return {_DEFAULT_GROUP: set(_DEFAULT_GROUP_RULES)}


def adapt(resource: Resource, model: Model) -> None:
    if (resource.framework, resource.type) != _DEFAULT_GROUP:
        return
    for block in _DEFAULT_GROUP_RULES:
        for where, rule in values_at(resource.properties, f"{block}[*]"):
            model.default_group_rules.append(DefaultGroupRule(resource, rule, where, {"rule": block}))


def link(model: Model) -> None:
    """Join every rule to its group: inline rules to the group that holds them, rules of their own to the
    group they name."""
    # Indexed once (the first group of a resource, the first group of a key), so that a template of many
    # groups is linked in one pass.
    by_resource: dict[int, SecurityGroup] = {}
    by_key: dict[str, tuple[int, SecurityGroup]] = {}
    for order, group in enumerate(model.security_groups):
        by_resource.setdefault(id(group.resource), group)
        for key in own_keys(group.resource.name, group.name):
            by_key.setdefault(key, (order, group))
    for rule in model.ingress:
        if rule.group is None:
            owner = by_resource.get(id(rule.resource))
        else:
            named = [by_key[key] for key in reference_keys(rule.group) if key in by_key]
            owner = min(named, key=lambda found: found[0])[1] if named else None
        if owner is not None:
            owner.ingress.append(rule)
    _link_group_uses(model, by_key)
    _link_acl_entries(model)


def _link_group_uses(model: Model, by_key: dict[str, tuple[int, SecurityGroup]]) -> None:
    """Tell each group's rules what the group is attached to (a load balancer, instances)."""
    used_by: dict[int, set[str]] = {}
    for kind, uses in ((LOAD_BALANCER, model.load_balancer_groups), (INSTANCE, model.instance_groups)):
        for use in uses:
            for key in reference_keys(use.group):
                if key in by_key:
                    used_by.setdefault(id(by_key[key][1]), set()).add(kind)
    for group in model.security_groups:
        if id(group) in used_by:
            for rule in group.ingress:
                rule.group_used_by = frozenset(used_by[id(group)])


def _link_acl_entries(model: Model) -> None:
    """Gather every ACL entry with the others of its ACL (whose rule numbers order them): inline entries in
    the ACL that holds them, entries of their own in the ACL they name.  Entries naming an ACL that is not
    in the scanned files are gathered under a stand-in for it; an entry whose ACL cannot be told stands
    alone."""
    keys = [(acl, own_keys(acl.resource.name, None)) for acl in model.network_acls]
    stand_ins: dict[frozenset[str], NetworkAcl] = {}
    for entry in model.acl_entries:
        wanted = frozenset(reference_keys(entry.acl)) if entry.acl is not None else frozenset()
        if entry.acl is None:
            owner = next((acl for acl, _ in keys if acl.resource is entry.resource), None)
        else:
            owner = next((acl for acl, named in keys if wanted & named), None)
        if owner is None and wanted:
            owner = stand_ins.setdefault(wanted, NetworkAcl(None))
        owner = owner or NetworkAcl(None)
        if owner.resource is None and not owner.entries:
            model.network_acls.append(owner)
        owner.entries.append(entry)
