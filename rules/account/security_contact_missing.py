"""An account baseline registers no security contact.

## What it does
In an account baseline (the `account-baseline` configuration or `--account-baseline`), flags a baseline
path that declares no Terraform `aws_account_alternate_contact` with `alternate_contact_type = "SECURITY"`,
at the baseline's first file, line 1.  CloudFormation has no resource for an account's contacts, so the
rule reads Terraform only.  Elsewhere a missing contact is not a finding.

## Why is this bad?
AWS sends notices of abuse, compromised credentials and security events to the security contact.  Without
one they go to the root account's address, which often nobody reads.

## Example
```hcl terraform account-baseline
resource "aws_account_alternate_contact" "billing" {
  alternate_contact_type = "BILLING"
  name                   = "Accounts payable"
  title                  = "Billing"
  email_address          = "billing@example.com"
  phone_number           = "+15555550100"
}
```

## Use instead
```hcl terraform account-baseline
resource "aws_account_alternate_contact" "security" {
  alternate_contact_type = "SECURITY"
  name                   = "Security team"
  title                  = "Security"
  email_address          = "security@example.com"
  phone_number           = "+15555550100"
}
```

## References
- https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-update-contact-alternate.html
- https://docs.aws.amazon.com/securityhub/latest/userguide/account-controls.html#account-1
"""

from __future__ import annotations

from iaclint.checks import account_lacks

CODE = "IAC504"
SLUG = "security-contact-missing"
SEVERITY = "medium"
CONTROLS = ("FSBP Account.1", "CIS 1.2")


def _security(kind) -> bool:
    return kind is not None and kind.is_str() and kind.raw.upper() == "SECURITY"


def check(model, settings):
    baseline = model.account_baseline
    if baseline is not None:
        yield from account_lacks(baseline, baseline.declared.alternate_contacts,
                                 "account baseline registers no security contact; add an alternate contact of "
                                 "type SECURITY", deciding=lambda contact: contact.kind, counts=_security,
                                 what="whether the account has a security contact")
