"""Everything a scan can be told, in one place (filled from the command line and, later, config files)."""

from __future__ import annotations

from dataclasses import dataclass, field


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
