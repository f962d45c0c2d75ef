"""A security group accepts traffic from the whole internet.

## What it does
Flags a security-group ingress permission whose source is `0.0.0.0/0` or `::/0` (any prefix length 0):
`AWS::EC2::SecurityGroup` `SecurityGroupIngress`, `AWS::EC2::SecurityGroupIngress`; Terraform
`aws_security_group` `ingress` blocks, `aws_security_group_rule` of type `ingress`,
`aws_vpc_security_group_ingress_rule`.  Ports wholly inside the public-ports allowance (80 and 443 by
default) are not reported.  All traffic, and ranges that include an administrative or database port
(SSH, RDP, MySQL, PostgreSQL, …) are high severity; other ports medium.  The advice fits what the group is
attached to in the scanned files: a load balancer's group (its `SecurityGroups` / `security_groups`) should
open only the listener ports it serves, or sit behind CloudFront or AWS WAF; an instance's or launch
template's group is better reached through Session Manager or a bastion host.

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

from iaclint.findings import Issue, Undecided
from iaclint.model import INSTANCE, LOAD_BALANCER
from iaclint.ports import exposure, open_network, port_range, unknown_ports
from iaclint.values import conditions

CODE = "IAC201"
SLUG = "open-ingress"
SEVERITY = "high"
CONTROLS = ("FSBP EC2.13", "FSBP EC2.14", "FSBP EC2.18", "FSBP EC2.19", "FSBP EC2.53", "FSBP EC2.54",
            "CIS 5.2", "CIS 5.3")


ADVICE = {
    frozenset({LOAD_BALANCER}): "restrict it to the listener ports the load balancer serves, or put CloudFront or "
                                "AWS WAF in front of it",
    frozenset({INSTANCE}): "restrict the source range, or reach the instances through Session Manager or a bastion "
                           "host",
}
# Attached to nothing in the scanned files, or to both kinds.
GENERAL_ADVICE = "restrict the source range or reach the instances through a load balancer or Session Manager"


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
            if not (cidr.is_str() and open_network(cidr.raw)):
                continue
            ports = port_range(rule.protocol, rule.from_port, rule.to_port)
            if ports is None:
                yield Undecided(cidr.loc, f"which ports {cidr.raw} may reach", unknown_ports(rule.protocol, rule.from_port, rule.to_port),
                                rule.resource.name, cidr.trace)
                continue
            low, high, label = ports
            exposed = exposure([(low, high)], label, settings["public-ports"])
            if exposed is None:
                continue
            what, severity = exposed
            advice = ADVICE.get(rule.group_used_by, GENERAL_ADVICE)
            yield Issue(cidr.loc, f"security group allows {what} from {cidr.raw}{conditions(cidr)}; {advice}",
                        rule.resource.name, rule.path, severity, cidr.trace)
