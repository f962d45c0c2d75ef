"""A network ACL lets traffic in from the whole internet to administrative ports or to every port.

## What it does
Flags an inbound network ACL entry that allows traffic from `0.0.0.0/0` or `::/0` (any prefix length 0):
`AWS::EC2::NetworkAclEntry` whose `Egress` is false or absent and `RuleAction` is `allow`; Terraform
`aws_network_acl` and `aws_default_network_acl` `ingress` blocks whose `action` is `allow`, and
`aws_network_acl_rule` that is not `egress` and whose `rule_action` is `allow`.  Severity follows
`open-ingress`: all traffic, and port ranges that include an administrative or database port (SSH, RDP,
MySQL, PostgreSQL, …), are high; other ports medium; ports wholly inside the `public-ports` allowance
(80 and 443 by default) are not reported.

A network ACL applies its entries in ascending rule number and the first that matches decides.  Entries are
gathered per ACL (inline, or naming it by `NetworkAclId` / `network_acl_id`); ports that an entry with a
lower rule number denies to the whole internet (the same IP version, all protocols or the same one) are
taken out, and an entry left with nothing is not reported.  When an unknown rule number, action, range or
protocol decides whether the entry is shadowed, the answer is unknown (`--strict` says so).

## Why is this bad?
A network ACL is the subnet's outer wall: an allow from anywhere to SSH, RDP or a database port leaves
only the security groups between every host on the internet and those services.  Network ACLs are
stateless, so a wide range left open for return traffic (1024-65535) also reaches whatever listens on
those ports; deny the administrative and database ports in front of it.

## Example
```yaml cloudformation
Resources:
  Acl:
    Type: AWS::EC2::NetworkAcl
    Properties:
      VpcId: vpc-0123456789abcdef0
  AllowSsh:
    Type: AWS::EC2::NetworkAclEntry
    Properties:
      NetworkAclId: !Ref Acl
      RuleNumber: 100
      Protocol: 6
      RuleAction: allow
      CidrBlock: 0.0.0.0/0
      PortRange:
        From: 22
        To: 22
```

```hcl terraform
resource "aws_network_acl" "main" {
  vpc_id = "vpc-0123456789abcdef0"

  ingress {
    rule_no    = 100
    action     = "allow"
    protocol   = "tcp"
    cidr_block = "0.0.0.0/0"
    from_port  = 22
    to_port    = 22
  }
}
```

## Use instead
```yaml cloudformation
Resources:
  Acl:
    Type: AWS::EC2::NetworkAcl
    Properties:
      VpcId: vpc-0123456789abcdef0
  AllowSsh:
    Type: AWS::EC2::NetworkAclEntry
    Properties:
      NetworkAclId: !Ref Acl
      RuleNumber: 100
      Protocol: 6
      RuleAction: allow
      CidrBlock: 10.20.0.0/16
      PortRange:
        From: 22
        To: 22
```

```hcl terraform
resource "aws_network_acl" "main" {
  vpc_id = "vpc-0123456789abcdef0"

  ingress {
    rule_no    = 100
    action     = "allow"
    protocol   = "tcp"
    cidr_block = "0.0.0.0/0"
    from_port  = 443
    to_port    = 443
  }

  ingress {
    rule_no    = 110
    action     = "allow"
    protocol   = "tcp"
    cidr_block = "10.20.0.0/16"
    from_port  = 22
    to_port    = 22
  }
}
```

## References
- https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html
- https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-21
- https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html
"""

from __future__ import annotations

from iaclint.findings import Issue, Undecided
from iaclint.ports import (ALL_TRAFFIC, exposure, number, open_network, port_range, protocol_number, unknown_ports,
                           without)
from iaclint.values import conditions

CODE = "IAC202"
SLUG = "open-nacl-ingress"
SEVERITY = "high"
CONTROLS = ("FSBP EC2.21", "CIS 5.1")


def check(model, settings):
    for acl in model.network_acls:
        for entry in acl.entries:
            yield from _entry(entry, acl.entries, settings["public-ports"])


def _entry(entry, siblings, public_ports):
    for field, what, test in ((entry.egress, "whether this network ACL entry is inbound", _inbound),
                              (entry.action, "whether this network ACL entry allows traffic", _allows)):
        states = _states(field, test)
        if True not in states and None not in states:
            return
        if None in states:
            unknown = _first_unknown(field)
            yield Undecided(unknown.loc or entry.resource.loc, what, unknown.reason, entry.resource.name,
                            unknown.trace)
            return
    cidr = entry.cidr
    for variant in cidr.variants():
        if variant.is_unknown:
            yield Undecided(variant.loc or entry.resource.loc, "whether this network ACL entry is open to the "
                            "internet", variant.reason, entry.resource.name, variant.trace)
            continue
        version = open_network(variant.raw) if variant.is_str() else None
        if version is None:
            continue
        ports = port_range(entry.protocol, entry.from_port, entry.to_port)
        if ports is None:
            yield Undecided(variant.loc, f"which ports {variant.raw} may reach", unknown_ports(entry.protocol, entry.from_port, entry.to_port),
                            entry.resource.name, variant.trace)
            continue
        yield from _judged(entry, variant, version, ports, siblings, public_ports)


def _judged(entry, cidr, version, ports, siblings, public_ports):
    """An allow from the internet: what the entries before it leave of it."""
    low, high, label = ports
    certain, unsure = [(low, high)], [(low, high)]
    blocker = None
    for other in siblings:
        if other is entry or not certain:
            continue
        state, unknown, denied = _denies_first(other, entry, version, label)
        if state is False:
            continue
        unsure = without(unsure, *denied)
        if state is True:
            certain = without(certain, *denied)
        else:
            blocker = blocker or unknown
    exposed = exposure(certain, label, public_ports) if certain else None
    if exposed is None:
        return
    if blocker is not None and (not unsure or exposure(unsure, label, public_ports) is None):
        yield Undecided(blocker.loc or entry.resource.loc, f"whether an earlier entry denies what this one allows "
                        f"from {cidr.raw}", blocker.reason, entry.resource.name, blocker.trace)
        return
    what, severity = exposed
    rule = number(entry.number)
    which = f"entry {rule}" if rule is not None else "entry"
    yield Issue(cidr.loc, f"network ACL {which} allows inbound {what} from {cidr.raw}{conditions(cidr)}; restrict "
                "the source range or deny these ports in an entry with a lower rule number",
                entry.resource.name, entry.path, severity, cidr.trace)


def _denies_first(other, entry, version, label):
    """Whether ``other`` denies, to the same internet, before ``entry``, traffic ``entry`` allows:
    ``(True | False | None, the unknown value that leaves it open, (low, high) of the ports it denies)``."""
    states = {
        "inbound": _states(other.egress, _inbound),
        "deny": _states(other.action, _denies),
        "source": {None if v.is_unknown else (v.is_str() and open_network(v.raw) == version)
                   for v in other.cidr.variants()},
        "earlier": _earlier(other.number, entry.number),
        "protocol": _covers(other.protocol, entry.protocol, label),
    }
    if any(found == {False} for found in states.values()):
        return False, None, (0, 0)
    denied = port_range(other.protocol, other.from_port, other.to_port)
    if protocol_number(other.protocol) == "-1" or denied is None:
        denied = (0, 65535, None)
    if all(found == {True} for found in states.values()) and port_range(
            other.protocol, other.from_port, other.to_port) is not None:
        return True, None, denied[:2]
    fields = (other.egress, other.action, other.cidr, other.number, entry.number, other.protocol,
              other.from_port, other.to_port)
    unknown = next((u for f in fields if f is not None for u in [_first_unknown(f)] if u is not None), None)
    return (None, unknown, denied[:2]) if unknown is not None else (False, None, (0, 0))


def _states(value, test) -> set:
    """What ``test`` says of each variant of ``value`` (``None`` for an unknown one); absent: ``test(None)``."""
    if value is None:
        return {test(None)}
    return {None if v.is_unknown else test(v) for v in value.variants()}


def _inbound(value) -> bool:
    return value is None or str(value.raw).strip().lower() not in ("true", "1")


def _allows(value) -> bool:
    return value is not None and str(value.raw).strip().lower() == "allow"


def _denies(value) -> bool:
    return value is not None and str(value.raw).strip().lower() == "deny"


def _earlier(mine, theirs) -> set:
    low, high = number(mine), number(theirs)
    if low is None or high is None:
        unknown = any(v is not None and v.is_unknown for v in (mine, theirs))
        return {None} if unknown else {False}
    return {low < high}


def _covers(deny, allow, label) -> set:
    """Whether a deny of protocol ``deny`` covers traffic of protocol ``allow``: all protocols cover any;
    the same protocol covers its own; traffic of every protocol is covered only by a deny of every one."""
    theirs, mine = protocol_number(deny), protocol_number(allow)
    if theirs is None or mine is None:
        return {None}
    return {theirs == "-1" or (label != ALL_TRAFFIC and theirs == mine)}


def _first_unknown(value):
    return next((v for v in value.variants() if v.is_unknown), None)
