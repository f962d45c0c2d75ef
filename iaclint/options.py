"""Everything a scan can be told, in one place (filled from the command line and, later, config files)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(slots=True)
class ScanOptions:
    select: tuple[str, ...] = ()  # codes or slugs; empty means every rule
    ignore: tuple[str, ...] = ()
    strict: bool = False  # report checks that could not be decided (unknown values) as low-severity notes
    public_ports: tuple[int, ...] = (80, 443)  # IAC201: ports that may be open to the world
    # Terraform: -var NAME=VALUE (raw strings, parsed as HCL values) and -var-file paths, in command-line order.
    terraform_vars: dict[str, str] = field(default_factory=dict)
    terraform_var_files: tuple[str, ...] = ()
    # CloudFormation: --parameter NAME=VALUE and --parameter-file paths.
    cfn_parameters: dict[str, str] = field(default_factory=dict)
    cfn_parameter_files: tuple[str, ...] = ()
    # The paths the scan was asked about; a nested stack's local TemplateURL is followed only inside them
    # (empty: inside the directory of the template that names it).
    scan_roots: tuple[str, ...] = ()
    # --- living with findings (issue 6): filled from the command line and the configuration file ---
    # Absolute glob patterns (see `iaclint.globs.anchored`): matching files are not scanned.
    exclude: tuple[str, ...] = ()
    # (absolute glob, codes or slugs) pairs: findings of those rules in matching files are dropped.
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    severity: dict[str, str] = field(default_factory=dict)  # code or slug -> severity override
    fail_on: str = "low"  # least severity that makes the exit status 1
    use_suppressions: bool = True  # False: --no-suppressions (audits)
    require_reason: bool = False  # a suppression without a reason does not suppress
    report_unused_suppressions: bool = False
    baseline: str | None = None  # --baseline FILE: report only findings not recorded in it
    today: date | None = None  # for suppression expiry; None means the real date (tests pin it)
