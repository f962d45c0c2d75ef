"""An IAM role can be assumed from another AWS account without an external id or MFA.

## What it does
Reads each role's trust policy (`AssumeRolePolicyDocument`, `assume_role_policy`) and flags every AWS
principal of an `Allow` of `sts:AssumeRole` that is another account, or `*`, when the statement requires
neither an `sts:ExternalId` (`StringEquals` or `StringLike`) nor MFA (`Bool` `aws:MultiFactorAuthPresent`
true, or a `NumericLessThan` limit on `aws:MultiFactorAuthAge`).  `BoolIfExists` does not count: requests
signed with long-term access keys carry no MFA key and pass it.  `*` with no condition at all lets anyone
with an AWS account in, and is critical.

What counts as another account: the deploying account's id is known only at deploy time, so a principal is
another account when it is written as a literal account id (`111122223333`, `arn:aws:iam::111122223333:root`,
a user or role ARN with a literal id), even when that happens to be the account the template is deployed to.
A principal that refers to the deploying account (`arn:aws:iam::${AWS::AccountId}:root`,
`data.aws_caller_identity.current.account_id`) or to a user or role of the scanned files is the same account;
service principals (`ec2.amazonaws.com`) and federated identities (SAML, OIDC) are not AWS accounts.  Neither
is flagged.  A principal or condition known only at deploy time is reported under `--strict` as undecided.

Conditions that keep callers inside an organization (`aws:PrincipalOrgID`, `aws:PrincipalOrgPaths`) or
to some accounts (`aws:PrincipalAccount`) do not count: they limit which accounts may call, not whether the
caller proves it is the intended one, so a confused deputy or a stolen key in any of those accounts still
gets in.  Such a `*` trust is high, not critical.  A `Deny` statement is not read as a mitigation.

## Why is this bad?
A role that another account can assume is as safe as that account's credentials.  For a third party (a SaaS
vendor), AWS recommends requiring an external id, so that the vendor cannot be tricked into using its access
for someone else (the confused deputy problem); for people, requiring MFA means a leaked access key alone
cannot assume the role.  A `*` principal with no condition lets every AWS account in the world assume it.

## Example
```yaml cloudformation
Resources:
  VendorAccess:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              AWS: arn:aws:iam::111122223333:root
            Action: sts:AssumeRole
```

```hcl terraform
resource "aws_iam_role" "vendor_access" {
  name = "vendor-access"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::111122223333:root" }
      Action    = "sts:AssumeRole"
    }]
  })
}
```

## Use instead
```yaml cloudformation
Resources:
  VendorAccess:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              AWS: arn:aws:iam::111122223333:root
            Action: sts:AssumeRole
            Condition:
              StringEquals:
                sts:ExternalId: 7d9e1c0a-vendor-assigned
```

```hcl terraform
resource "aws_iam_role" "vendor_access" {
  name = "vendor-access"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::111122223333:root" }
      Action    = "sts:AssumeRole"
      Condition = { Bool = { "aws:MultiFactorAuthPresent" = "true" } }
    }]
  })
}
```

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-user_externalid.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_configure-api-require.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
"""

from __future__ import annotations

from iaclint.findings import Issue, Undecided
from iaclint.iam import may_assume_role, requires_external_id_or_mfa

CODE = "IAC107"
SLUG = "role-trust-without-mfa-or-external-id"
SEVERITY = "high"
# Neither the AWS Foundational Security Best Practices nor the CIS AWS Foundations Benchmark v3.0 has a
# control on cross-account trust conditions.
CONTROLS = ()


def check(model, settings):
    for role in model.roles:
        trust = role.names.get("trust", "the trust policy")
        if role.trust.unknown_reason and not role.trusted:
            yield Undecided(role.resource.loc, "whether another AWS account may assume this role",
                            role.trust.unknown_reason, role.resource.name)
        for trusted in role.trusted:
            if trusted.account == "this":
                continue
            statement = trusted.statement
            assumes, required = may_assume_role(statement), requires_external_id_or_mfa(statement)
            if assumes is False or required:
                continue
            loc = trusted.principal.loc or statement.loc or role.resource.loc
            if trusted.account == "unknown" or assumes is None or required is None:
                blocker = _principal_blocker(trusted) if trusted.account == "unknown" else ""
                blocker = blocker or "the statement's effect, actions or condition are not known"
                yield Undecided(loc, "whether another AWS account may assume this role without an external id "
                                "or MFA", blocker, role.resource.name, trusted.principal.trace)
            elif trusted.account == "any" and statement.conditions == {}:
                yield Issue(loc, f"{trust} lets any AWS account (*) assume this role, with no condition at all; "
                            "name the accounts trusted and require sts:ExternalId or MFA", role.resource.name,
                            severity="critical", origin=trusted.principal.trace)
            else:
                who = "any AWS account (*)" if trusted.account == "any" else f"another AWS account ({trusted.shown})"
                yield Issue(loc, f"{trust} lets {who} assume this role without an external id or MFA; require "
                            "sts:ExternalId or aws:MultiFactorAuthPresent true in its Condition",
                            role.resource.name, origin=trusted.principal.trace)


def _principal_blocker(trusted) -> str:
    """Why a principal's account is not known: what kept its value from being known, or, for a text known in
    full, that it names no account (a bare role or user name, which AWS does not accept)."""
    if trusted.principal.reason:
        return trusted.principal.reason
    return f"the principal {trusted.shown} is neither an account id nor an IAM ARN" if trusted.shown else ""
