"""A security group accepts traffic from the whole internet.

## What it does
Flags a security-group ingress permission whose source is `0.0.0.0/0` or `::/0` (any prefix length 0):
`AWS::EC2::SecurityGroup` `SecurityGroupIngress`, `AWS::EC2::SecurityGroupIngress`; Terraform
`aws_security_group` `ingress` blocks, `aws_security_group_rule` of type `ingress`,
`aws_vpc_security_group_ingress_rule`.  Ports wholly inside the public-ports allowance (80 and 443 by
default) are not reported.  All traffic, and ranges that include an administrative or database port
(SSH, RDP, MySQL, PostgreSQL, …) are high severity; other ports medium.

## Why is this bad?
Anything listening behind such a rule can be reached, scanned and brute-forced by every host on the
internet.  Administrative and database ports are found by automated scanners within minutes.

## Example
```yaml cloudformation
Resources:
  Web:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 22
          ToPort: 22
          CidrIp: 0.0.0.0/0
```

```hcl terraform
resource "aws_security_group" "web" {
  ingress {
    protocol    = "tcp"
    from_port   = 22
    to_port     = 22
    cidr_blocks = ["0.0.0.0/0"]
  }
}
```

## Use instead
```yaml cloudformation
Resources:
  Web:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 22
          ToPort: 22
          CidrIp: 10.20.0.0/16
```

```hcl terraform
resource "aws_security_group" "web" {
  ingress {
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["0.0.0.0/0"]
  }
}
```

## References
- https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html
- https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-13
- https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager.html
"""

from __future__ import annotations

import ipaddress

from iaclint.findings import Issue, Undecided
from iaclint.values import conditions

CODE = "IAC201"
SLUG = "open-ingress"
SEVERITY = "high"
CONTROLS = ("FSBP EC2.13", "FSBP EC2.14", "FSBP EC2.18", "FSBP EC2.19", "FSBP EC2.53", "FSBP EC2.54",
            "CIS 5.2", "CIS 5.3")

ADMIN_PORTS = {
    22: "SSH", 23: "Telnet", 135: "MS RPC", 139: "NetBIOS", 445: "SMB", 1433: "SQL Server", 1521: "Oracle",
    2375: "Docker", 2376: "Docker", 3306: "MySQL", 3389: "RDP", 5432: "PostgreSQL", 5900: "VNC",
    5985: "WinRM", 5986: "WinRM", 6379: "Redis", 9042: "Cassandra", 9200: "Elasticsearch",
    9300: "Elasticsearch", 11211: "Memcached", 27017: "MongoDB",
}
_ALL_PROTOCOLS = {"-1", "all"}
_ICMP = {"icmp", "icmpv6", "1", "58"}


def check(model, settings):
    for rule in model.ingress:
        direction = rule.direction
        if direction is not None and any(v.is_unknown for v in direction.variants()):
            unknown = next(v for v in direction.variants() if v.is_unknown)
            yield Undecided(unknown.loc or rule.resource.loc, "whether this rule lets traffic in", unknown.reason,
                            rule.resource.name, unknown.trace)
            continue
        for cidr in rule.cidr.variants():
            if cidr.is_unknown:
                yield Undecided(cidr.loc or rule.resource.loc, "whether this ingress is open to the internet",
                                cidr.reason, rule.resource.name, cidr.trace)
                continue
            if not (cidr.is_str() and _is_open(cidr.raw)):
                continue
            ports = _ports(rule)
            if ports is None:
                yield Undecided(cidr.loc, f"which ports {cidr.raw} may reach", "protocol or port is not known",
                                rule.resource.name, cidr.trace)
                continue
            low, high, label = ports
            if label is None and _within(low, high, settings["public-ports"]):
                continue
            admin = sorted({name for port, name in ADMIN_PORTS.items() if low <= port <= high})
            severity = "high" if label == "all traffic" or admin else "medium"
            what = label or (f"port {low}" if low == high else f"ports {low}-{high}")
            if admin and label is None:
                what += f" ({', '.join(admin[:3])}{', …' if len(admin) > 3 else ''})"
            yield Issue(cidr.loc, f"security group allows {what} from {cidr.raw}{conditions(cidr)}; restrict the "
                        "source range or reach the instances through a load balancer or Session Manager",
                        rule.resource.name, rule.path, severity, cidr.trace)


def _is_open(text: str) -> bool:
    try:
        return ipaddress.ip_network(text.strip(), strict=False).prefixlen == 0
    except ValueError:
        return False


def _number(value) -> int | None:
    if value is None or value.is_unknown:
        return None
    try:
        return int(str(value.raw).strip())
    except ValueError:
        return None


def _ports(rule) -> tuple[int, int, str | None] | None:
    """The port range the rule opens, with a label for all traffic or ICMP; ``None`` when unknown."""
    protocol = rule.protocol
    if protocol is None or protocol.is_unknown or protocol.raw is None:
        return None if protocol is not None and protocol.is_unknown else (0, 65535, "all traffic")
    name = str(protocol.raw).strip().lower()
    if name in _ALL_PROTOCOLS:
        return 0, 65535, "all traffic"
    if name in _ICMP:
        return 0, 0, "ICMP"
    low, high = _number(rule.from_port), _number(rule.to_port)
    if low is None or high is None:
        if rule.from_port is None and rule.to_port is None:
            return 0, 65535, None
        return None
    if low == -1 or high == -1:  # -1 means every port of the protocol
        return 0, 65535, None
    return min(low, high), max(low, high), None


def _within(low: int, high: int, allowed) -> bool:
    return high - low < 1024 and all(port in allowed for port in range(low, high + 1))
