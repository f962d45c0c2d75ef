"""The account's IAM password policy is weaker than the CIS benchmark asks, or an account baseline has none.

## What it does
Flags a Terraform `aws_iam_account_password_policy` that falls short of the CIS AWS Foundations Benchmark:
a `minimum_password_length` under 14 (the provider's default is 6), a `password_reuse_prevention` under 24
(or none), any of `require_uppercase_characters`, `require_lowercase_characters`, `require_numbers`,
`require_symbols` not `true`, or a `max_password_age` that is not set, 0 (passwords never expire) or over
90 days.  The message lists every shortfall.  In an account baseline (the `account-baseline`
configuration or `--account-baseline`), a baseline path that sets no password policy at all is flagged at
its first file, line 1.  CloudFormation has no password policy resource, so the rule reads Terraform only.

## Why is this bad?
IAM users with console passwords are phished and brute-forced; short, simple, reused or never-changing
passwords make that easy.  Without a policy at all, AWS accepts any password of eight characters.

## Example
```hcl terraform
resource "aws_iam_account_password_policy" "strict" {
  minimum_password_length        = 8
  require_uppercase_characters   = true
  require_lowercase_characters   = true
  require_numbers                = true
  require_symbols                = true
  password_reuse_prevention      = 24
  max_password_age               = 90
  allow_users_to_change_password = true
}
```

## Use instead
```hcl terraform
resource "aws_iam_account_password_policy" "strict" {
  minimum_password_length        = 14
  require_uppercase_characters   = true
  require_lowercase_characters   = true
  require_numbers                = true
  require_symbols                = true
  password_reuse_prevention      = 24
  max_password_age               = 90
  allow_users_to_change_password = true
}
```

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_account-policy.html
- https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-7
"""

from __future__ import annotations

from iaclint.checks import account_lacks
from iaclint.findings import Issue, Undecided
from iaclint.values import is_true

CODE = "IAC106"
SLUG = "weak-password-policy"
SEVERITY = "medium"
CONTROLS = ("FSBP IAM.7", "FSBP IAM.15", "FSBP IAM.16", "CIS 1.8", "CIS 1.9")

MINIMUM_LENGTH, REUSE_PREVENTION, MAX_AGE = 14, 24, 90
_CLASSES = ("require_uppercase", "require_lowercase", "require_numbers", "require_symbols")


def _shown(value) -> str:
    return str(value.raw).lower() if isinstance(value.raw, bool) else str(value.raw)


def _number(value) -> int | None:
    raw = value.raw
    if isinstance(raw, bool):
        return None
    if isinstance(raw, (int, float)) or (isinstance(raw, str) and raw.strip().isdigit()):
        return int(raw)
    return None


def _length(policy, value):
    if value is None:
        return f"not set (defaults to {policy.default_length}; needs {MINIMUM_LENGTH} or more)"
    number = _number(value)
    if number is not None and number >= MINIMUM_LENGTH:
        return None
    return f"is {_shown(value)} (needs {MINIMUM_LENGTH} or more)"


def _reuse(policy, value):
    if value is None:
        return f"not set (needs {REUSE_PREVENTION})"
    number = _number(value)
    if number is not None and number >= REUSE_PREVENTION:
        return None
    return f"is {_shown(value)} (needs {REUSE_PREVENTION})"


def _required(policy, value):
    if value is None:
        return "not set (needs true)"
    return None if is_true(value) else f"is {_shown(value)} (needs true)"


def _max_age(policy, value):
    if value is None:
        return f"not set: passwords never expire (needs 1 to {MAX_AGE} days)"
    number = _number(value)
    if number is not None and 0 < number <= MAX_AGE:
        return None
    return f"is {_shown(value)}{': passwords never expire' if number == 0 else ''} (needs 1 to {MAX_AGE} days)"


_CHECKS = (("minimum_length", _length), ("reuse_prevention", _reuse),
           *((name, _required) for name in _CLASSES), ("max_age", _max_age))


def check(model, settings):
    for policy in model.password_policies:
        shortfalls, first, unknown = [], None, None
        for field, judge in _CHECKS:
            setting = getattr(policy, field)
            for variant in setting.variants() if setting is not None else [None]:
                if variant is not None and variant.is_known and variant.raw is None:
                    variant = None  # null: not set
                if variant is not None and variant.is_unknown:
                    unknown = unknown or (variant, policy.names[field])
                    continue
                problem = judge(policy, variant)
                if problem is not None:
                    shortfalls.append(f"{policy.names[field]} {problem}")
                    first = first or (variant, policy.names[field])
                    break
        if shortfalls:
            value, name = first
            yield Issue(policy.resource.loc, "IAM password policy is weaker than CIS asks: " + ", ".join(shortfalls),
                        policy.resource.name, name, origin=value.trace if value is not None else ())
        elif unknown is not None:
            value, name = unknown
            yield Undecided(value.loc or policy.resource.loc, f"whether the password policy's {name} is strong "
                            "enough", value.reason, policy.resource.name, value.trace)
    baseline = model.account_baseline
    if baseline is not None:
        yield from account_lacks(baseline, baseline.declared.password_policies,
                                 "account baseline sets no IAM password policy; add one")
