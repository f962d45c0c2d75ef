"""The ``iaclint`` command."""

from __future__ import annotations

import argparse
import os
import sys

from . import __version__

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _names(values: list[str]) -> tuple[str, ...]:
    """``--select IAC001,open-ingress --select IAC103`` → every name, in order."""
    return tuple(name.strip() for value in values for name in value.split(",") if name.strip())


def _pairs(values: list[str], flag: str) -> dict[str, str]:
    pairs = {}
    for value in values:
        name, sep, text = value.partition("=")
        if not sep or not name.strip():
            raise ValueError(f"{flag} expects NAME=VALUE, got {value!r}")
        pairs[name.strip()] = text
    return pairs


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="iaclint",
        description="Find security problems in CloudFormation and Terraform before they are deployed.",
        epilog="`iaclint rules` lists the rules. Exit status: 0 clean, 1 findings, 2 could not analyse something.",
    )
    parser.add_argument("paths", nargs="*", default=["."], help="files and directories to scan (default: .)")
    parser.add_argument("--select", action="append", default=[], metavar="RULES",
                        help="only these rules (codes or slugs, comma-separated)")
    parser.add_argument("--ignore", action="append", default=[], metavar="RULES",
                        help="skip these rules (codes or slugs, comma-separated)")
    parser.add_argument("--strict", action="store_true",
                        help="also report, as notes, checks that could not be decided because a value is unknown")
    parser.add_argument("--var", action="append", default=[], metavar="NAME=VALUE", help="Terraform variable value")
    parser.add_argument("--var-file", action="append", default=[], metavar="FILE", help="Terraform .tfvars file")
    parser.add_argument("--parameter", action="append", default=[], metavar="NAME=VALUE",
                        help="CloudFormation parameter value")
    parser.add_argument("--parameter-file", action="append", default=[], metavar="FILE",
                        help="CloudFormation parameter file")
    parser.add_argument("--color", choices=("auto", "always", "never"), default="auto", help="colour in text output")
    parser.add_argument("--version", action="version", version=f"iaclint {__version__}")
    add_integration_arguments(parser)
    return parser


# --- Integrations (issue 5): report formats and files, --diff, --fail-on -------------------------------
def add_integration_arguments(parser: argparse.ArgumentParser) -> None:
    from .report.outputs import add_output_arguments

    add_output_arguments(parser)
    parser.add_argument("--diff", metavar="BASE",
                        help="report only findings on lines added or changed since git revision BASE")
    parser.add_argument("--fail-on", choices=("critical", "high", "medium", "low"), default=None,
                        help="exit 1 only for findings of this severity or above (default: any finding)")


def fail_on_exit_code(report, fail_on: str | None) -> int:
    """The exit status when only findings at or above ``fail_on`` should fail the run."""
    from .findings import SEVERITY_RANK

    if report.errors or fail_on is None:
        return report.exit_code
    threshold = SEVERITY_RANK[fail_on]
    return EXIT_FINDINGS if any(SEVERITY_RANK.get(f.severity, 0) >= threshold for f in report.findings) else EXIT_CLEAN
# --- end integrations ----------------------------------------------------------------------------------


def options_from(args):
    from .options import ScanOptions

    return ScanOptions(
        select=_names(args.select),
        ignore=_names(args.ignore),
        strict=args.strict,
        terraform_vars=_pairs(args.var, "--var"),
        terraform_var_files=tuple(args.var_file),
        cfn_parameters=_pairs(args.parameter, "--parameter"),
        cfn_parameter_files=tuple(args.parameter_file),
    )


def list_rules() -> int:
    from .catalog import all_rules

    for rule in all_rules():
        print(f"{rule.code}  {rule.slug:<30} {rule.severity:<8} {', '.join(rule.frameworks):<26} {rule.summary}")
    return EXIT_CLEAN


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if argv[:1] == ["rules"]:
            return list_rules()
        parser = build_parser()
        args = parser.parse_args(argv)
        from .diff import DiffError, changed_lines, only_changed
        from .report.outputs import outputs_from, write_outputs

        outputs = outputs_from(args, parser)
        try:
            changed = changed_lines(args.diff) if args.diff is not None else None
            options = options_from(args)
            from .engine import scan

            report = scan(args.paths, options)
        except (ValueError, DiffError) as exc:  # bad rule names, malformed NAME=VALUE, no git revision
            print(f"iaclint: error: {exc}", file=sys.stderr)
            return EXIT_ERROR
        if changed is not None:
            only_changed(report, changed)

        color = args.color == "always" or (args.color == "auto" and sys.stdout.isatty() and "NO_COLOR" not in os.environ)
        if not write_outputs(report, outputs, color=color):
            return EXIT_ERROR
        return fail_on_exit_code(report, args.fail_on)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # never a traceback for the user; IACLINT_DEBUG=1 shows it
        if os.environ.get("IACLINT_DEBUG"):
            raise
        print(f"iaclint: internal error: {exc!r} (set IACLINT_DEBUG=1 for details)", file=sys.stderr)
        return EXIT_ERROR
