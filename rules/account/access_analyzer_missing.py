"""An account baseline has no IAM Access Analyzer for external access.

## What it does
In an account baseline (the `account-baseline` configuration or `--account-baseline`), flags a baseline
path that declares no external-access analyzer — an `AWS::AccessAnalyzer::Analyzer` or Terraform
`aws_accessanalyzer_analyzer` of type `ACCOUNT` or `ORGANIZATION` (Terraform's default is `ACCOUNT`) — at
the baseline's first file, line 1.  Unused-access and internal-access analyzers do not count: they do not
report what is shared outside the account.  Elsewhere a missing analyzer is not a finding.

## Why is this bad?
Access Analyzer reports every bucket, key, role, queue or secret whose policy grants access to another
account or to the public.  Without it, a resource policy that shares too much is found by whoever uses it.

## Example
```yaml cloudformation account-baseline
Resources:
  Unused:
    Type: AWS::AccessAnalyzer::Analyzer
    Properties:
      AnalyzerName: unused-access
      Type: ACCOUNT_UNUSED_ACCESS
```

```hcl terraform account-baseline
resource "aws_accessanalyzer_analyzer" "unused" {
  analyzer_name = "unused-access"
  type          = "ACCOUNT_UNUSED_ACCESS"
}
```

## Use instead
```yaml cloudformation account-baseline
Resources:
  Analyzer:
    Type: AWS::AccessAnalyzer::Analyzer
    Properties:
      AnalyzerName: external-access
      Type: ACCOUNT
```

```hcl terraform account-baseline
resource "aws_accessanalyzer_analyzer" "external" {
  analyzer_name = "external-access"
}
```

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/what-is-access-analyzer.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-getting-started.html
"""

from __future__ import annotations

from iaclint.checks import account_lacks

CODE = "IAC503"
SLUG = "access-analyzer-missing"
SEVERITY = "medium"
CONTROLS = ("CIS 1.20",)

_EXTERNAL_ACCESS = {"ACCOUNT", "ORGANIZATION"}


def _external(kind) -> bool:
    return kind is None or (kind.is_str() and kind.raw.upper() in _EXTERNAL_ACCESS)


def check(model, settings):
    baseline = model.account_baseline
    if baseline is not None:
        yield from account_lacks(baseline, baseline.declared.access_analyzers,
                                 "account baseline has no IAM Access Analyzer for external access; "
                                 "add one of type ACCOUNT or ORGANIZATION",
                                 deciding=lambda analyzer: analyzer.kind, counts=_external,
                                 what="whether the account has an external-access analyzer")
