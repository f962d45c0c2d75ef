"""A VPC's default security group, brought under management, still lets traffic in or out.

## What it does
Flags every `ingress` or `egress` rule of an `aws_default_security_group`.  Terraform adopts the VPC's
default security group with this resource and replaces its rules with the ones written; a resource with
no rules removes them all, which is the fix.  (CloudFormation cannot manage the default security group.)

## Why is this bad?
Every instance, interface or endpoint launched without a security group of its own lands in the default
group.  AWS's default group lets its members reach each other and anywhere outside; rules kept there apply
silently to whatever is placed in it by mistake.  Give each workload a group of its own and leave the
default one empty so that such a mistake fails closed.

## Example
```hcl terraform
resource "aws_default_security_group" "default" {
  vpc_id = "vpc-0123456789abcdef0"

  ingress {
    protocol  = "-1"
    self      = true
    from_port = 0
    to_port   = 0
  }
}
```

## Use instead
```hcl terraform
resource "aws_default_security_group" "default" {
  vpc_id = "vpc-0123456789abcdef0"
}
```

## References
- https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html
- https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-2
- https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/default_security_group
"""

from __future__ import annotations

from iaclint.findings import Issue, Undecided

CODE = "IAC203"
SLUG = "default-security-group-allows-traffic"
SEVERITY = "low"
CONTROLS = ("FSBP EC2.2", "CIS 5.4")


def check(model, settings):
    for found in model.default_group_rules:
        block = found.names["rule"]
        rule = found.rule
        if rule.is_unknown:
            yield Undecided(rule.loc or found.resource.loc, f"whether the default security group has {block} rules",
                            rule.reason, found.resource.name, rule.trace)
            continue
        yield Issue(rule.loc or found.resource.loc, f"default security group keeps an {block} rule; remove every "
                    "rule so that resources left in it get no traffic, and give them security groups of their own",
                    found.resource.name, found.path, origin=rule.trace)
