"""Everything a scan can be told, in three parts with one job each:

- `Inputs`: what the front ends need to read templates and modules (variables, parameters, roots), and
  which of them describe the account (account baselines);
- rule settings: values a rule area declares for its rules (``public-ports``), with their defaults
  (`iaclint.settings`);
- `FindingPolicy`: what happens to findings once found (selection, suppressions, baseline, severities,
  the exit threshold).

The command line and the configuration files fill them (`iaclint.config`); the library takes them as they
are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(slots=True)
class Inputs:
    # Terraform: -var NAME=VALUE (raw strings, parsed as HCL values) and -var-file paths, in command-line order.
    terraform_vars: dict[str, str] = field(default_factory=dict)
    terraform_var_files: tuple[str, ...] = ()
    # CloudFormation: --parameter NAME=VALUE and --parameter-file paths.
    cfn_parameters: dict[str, str] = field(default_factory=dict)
    cfn_parameter_files: tuple[str, ...] = ()
    # The paths the scan was asked about; a nested stack's local TemplateURL is followed only inside them
    # (empty: inside the directory of the template that names it).
    scan_roots: tuple[str, ...] = ()
    # Account baselines (absolute paths: modules, templates, or directories holding them): what is read from
    # them describes the account, so what the account lacks there is a finding.  An input, not a finding
    # policy nor a rule setting: it says what the scanned documents *are*, as variables say what they hold;
    # the engine tells the model, and no rule sees a path.
    account_baselines: tuple[str, ...] = ()


@dataclass(slots=True)
class FindingPolicy:
    select: tuple[str, ...] = ()  # codes or slugs; empty means every rule
    ignore: tuple[str, ...] = ()
    strict: bool = False  # report checks that could not be decided (unknown values) as low-severity notes
    # Absolute glob patterns (see `iaclint.globs.anchored`): matching files are not scanned.
    exclude: tuple[str, ...] = ()
    # (absolute glob, codes or slugs) pairs: findings of those rules in matching files are dropped.
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    severity: dict[str, str] = field(default_factory=dict)  # code or slug -> severity override
    fail_on: str = "low"  # least severity that makes the exit status 1
    min_severity: str = "low"  # findings below it are left out (counted) and do not fail the run
    use_suppressions: bool = True  # False: --no-suppressions (audits)
    require_reason: bool = False  # a suppression without a reason does not suppress
    report_unused_suppressions: bool = False
    baseline: str | None = None  # report only findings not recorded in this baseline file
    today: date | None = None  # for suppression expiry; None means the real date (tests pin it)


def _rule_setting_defaults() -> dict[str, Any]:
    from .settings import defaults

    return defaults()


@dataclass(slots=True, init=False)
class ScanOptions:
    inputs: Inputs
    settings: dict[str, Any]  # rule settings by name ("public-ports")
    policy: FindingPolicy

    def __init__(self, inputs: Inputs | None = None, settings: dict[str, Any] | None = None,
                 policy: FindingPolicy | None = None, **one_by_one: Any) -> None:
        """The three parts, or any of their fields one by one (``ScanOptions(strict=True)``,
        ``ScanOptions(terraform_vars=…, public_ports=(80, 443, 8443))``) as earlier versions took them."""
        self.inputs = inputs if inputs is not None else Inputs()
        self.settings = {**_rule_setting_defaults(), **(settings or {})}
        self.policy = policy if policy is not None else FindingPolicy()
        for name, value in one_by_one.items():
            if name in Inputs.__dataclass_fields__:
                setattr(self.inputs, name, value)
            elif name in FindingPolicy.__dataclass_fields__:
                setattr(self.policy, name, value)
            elif name.replace("_", "-") in self.settings:
                self.settings[name.replace("_", "-")] = value
            else:
                raise TypeError(f"ScanOptions has no option {name!r}")
