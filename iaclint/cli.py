"""The ``iaclint`` command."""

from __future__ import annotations

import argparse
import os
import re
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


def _jobs(text: str) -> int:
    try:
        jobs = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of processes: {text!r}") from None
    if jobs < 1:
        raise argparse.ArgumentTypeError(f"needs at least 1 process: {text!r}")
    return jobs


class _Parser(argparse.ArgumentParser):
    """Says which option or choice a mistyped one may be (Python before 3.14 does not)."""

    def __init__(self, *args, **kwargs) -> None:
        if sys.version_info >= (3, 14):  # argparse's own suggestions for mistyped choices
            kwargs.setdefault("suggest_on_error", True)
        super().__init__(*args, **kwargs)

    def error(self, message: str):
        import difflib

        if message.startswith("unrecognized arguments: "):
            known = [option for action in self._actions for option in action.option_strings if option.startswith("--")]
            for typed in message.removeprefix("unrecognized arguments: ").split():
                guess = difflib.get_close_matches(typed.split("=")[0].replace("_", "-"), known, n=1, cutoff=0.7)
                if typed.startswith("-") and guess:
                    message += f" (did you mean {guess[0]}?)"
                    break
        elif "invalid choice: " in message and "maybe you meant" not in message:
            # argument -f/--format: invalid choice: 'jsn' (choose from 'text', 'json', ...)
            typed = message.split("invalid choice: ", 1)[1].split(" (choose from", 1)[0].strip("'")
            choices = re.findall(r"'([^']*)'", message.split("(choose from", 1)[-1])
            guess = difflib.get_close_matches(typed.lower(), choices, n=1, cutoff=0.6)
            if guess:
                message += f" (did you mean {guess[0]}?)"
        super().error(message)


# The option groups of `iaclint --help`, by task, in the order shown.  Each module that adds options puts
# them in the group of their task (`groups[TITLE]`).
SCAN, INPUTS, RULES, OUTPUT, SUPPRESSIONS, INTEGRATION, PERFORMANCE, DOCS = (
    "what to scan", "inputs to evaluation", "which rules and findings", "output", "suppressions and baselines",
    "integration", "performance", "rule documentation")
_SEVERITIES = ("critical", "high", "medium", "low")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="iaclint",
        description="Find security problems in CloudFormation and Terraform before they are deployed.",
        epilog="`iaclint rules [CODE|SLUG|PREFIX]` lists the rules, or documents one; `iaclint config [PATHS]` shows the effective configuration. "
               "Exit status: 0 clean, 1 findings at or above --fail-on (suppressed and baselined findings and "
               "warnings never count), 2 could not analyse something.",
    )
    parser.add_argument("-V", "--version", action="version", version=f"iaclint {__version__}")
    groups = {title: parser.add_argument_group(title) for title in (
        SCAN, INPUTS, RULES, OUTPUT, SUPPRESSIONS, INTEGRATION, PERFORMANCE, DOCS)}
    scan = groups[SCAN]
    scan.add_argument("paths", nargs="*", default=["."], help="files and directories to scan (default: .)")
    scan.add_argument("--exclude", action="append", default=[], metavar="GLOB",
                      help="do not scan files matching GLOB (relative to the current directory)")
    scan.add_argument("--config", metavar="FILE",
                      help="configuration file (default: nearest .iaclint.toml or pyproject.toml [tool.iaclint])")

    inputs = groups[INPUTS]
    inputs.add_argument("--var", action="append", default=[], metavar="NAME=VALUE",
                        help="Terraform variable value (repeatable)")
    inputs.add_argument("--var-file", action="append", default=[], metavar="FILE",
                        help="Terraform .tfvars file (repeatable; later files win)")
    inputs.add_argument("--parameter", action="append", default=[], metavar="NAME=VALUE",
                        help="CloudFormation parameter value (repeatable; wins over files)")
    inputs.add_argument("--parameter-file", action="append", default=[], metavar="FILE",
                        help="CloudFormation parameter file: a create-stack JSON list, a mapping, or NAME=VALUE "
                             "lines (repeatable)")
    inputs.add_argument("--account-baseline", action="append", default=[], metavar="PATH",
                        help="a module, template or directory of them that sets up the account: there, a missing "
                             "GuardDuty detector, Security Hub, Access Analyzer, security contact, multi-region "
                             "trail or password policy is a finding (repeatable)")

    rules = groups[RULES]
    rules.add_argument("--select", action="append", default=[], metavar="RULES",
                       help="only these rules (codes, code prefixes such as IAC2, or slugs; comma-separated; "
                            "repeatable)")
    rules.add_argument("--ignore", action="append", default=[], metavar="RULES",
                       help="skip these rules (codes, code prefixes or slugs; comma-separated; repeatable)")
    rules.add_argument("--severity", "--min-severity", choices=_SEVERITIES, dest="min_severity", metavar="LEVEL",
                       help="show only findings of LEVEL (critical, high, medium or low) or above; the others "
                            "neither show nor fail, and are counted in the summary")
    rules.add_argument("--fail-on", choices=_SEVERITIES, metavar="LEVEL",
                       help="least severity that makes the exit status 1 (default: low)")
    rules.add_argument("--exit-zero", action="store_true",
                       help="exit 0 even when findings are reported (2 still means something could not be analysed)")
    rules.add_argument("--strict", action=argparse.BooleanOptionalAction, default=None,
                       help="also report, as notes, checks that could not be decided because a value is unknown")
    rules.add_argument("--public-ports", metavar="PORTS",
                       help="open-ingress: ports that may be open to the world (comma-separated; default: 80,443)")

    from .report.outputs import add_output_arguments

    output = groups[OUTPUT]
    add_output_arguments(output)
    output.add_argument("--color", choices=("auto", "always", "never"), default="auto", help="colour in text output")
    output.add_argument("--show-files", action="store_true",
                        help="list on standard error each file found and how it was read (template, module, "
                             "plan, variables) or why it was skipped")

    suppressions = groups[SUPPRESSIONS]
    suppressions.add_argument("--no-suppressions", action="store_true", help="ignore every suppression (for audits)")
    suppressions.add_argument("--require-reason", action=argparse.BooleanOptionalAction, default=None,
                              help="a suppression without a reason does not apply")
    suppressions.add_argument("--report-unused-suppressions", action="store_true",
                              help="warn about suppressions that matched no finding")
    suppressions.add_argument("--baseline", metavar="FILE", help="report only findings not recorded in FILE "
                              "(the summary counts what was left out)")
    suppressions.add_argument("--write-baseline", metavar="FILE", help="record the current findings in FILE and exit")

    groups[INTEGRATION].add_argument(
        "--diff", metavar="BASE", help="report only findings that git revision BASE does not have (both are "
        "scanned and compared by fingerprint; the summary counts what was left out)")

    speed = groups[PERFORMANCE]
    speed.add_argument("-j", "--jobs", type=_jobs, metavar="N",
                       help="processes that share a big scan (default: the cores available; 1: this process only)")
    speed.add_argument("--cache-dir", metavar="DIR",
                       help="keep each file's results here for the next run (default: $IACLINT_CACHE_DIR, else "
                            ".iaclint_cache at the top of the git checkout)")
    speed.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    from .rules_command import add_explain_argument

    add_explain_argument(groups[DOCS])
    return parser


def _command_line_settings(args) -> dict:
    """The configuration keys given on the command line (they replace the file's values)."""
    given: dict = {}
    for key, value in (("select", _names(args.select)), ("ignore", _names(args.ignore)),
                       ("exclude", tuple(args.exclude)), ("var-files", tuple(args.var_file)),
                       ("account-baseline", tuple(args.account_baseline))):
        if value:
            given[key] = value
    for key, value in (("fail-on", args.fail_on), ("min-severity", args.min_severity), ("strict", args.strict),
                       ("require-reason", args.require_reason), ("baseline", args.baseline)):
        if value is not None:
            given[key] = value
    if getattr(args, "write_baseline", None):
        given["baseline"] = ""  # recording a baseline compares with none
    if args.public_ports is not None:
        from .settings import declared

        try:
            ports = [int(p) for p in args.public_ports.split(",") if p.strip()]
        except ValueError:
            raise ValueError(f"--public-ports expects comma-separated port numbers (0-65535), got "
                             f"{args.public_ports!r}") from None
        try:
            given["public-ports"] = declared()["public-ports"].check(ports)
        except ValueError as exc:
            raise ValueError(f"--public-ports: {exc}") from None
    return given


def show_config(argv: list[str]) -> int:
    """``iaclint config [PATHS] [OPTIONS]``: the configuration that governs each path, each value with
    where it came from."""
    from . import config

    parser = build_parser()
    parser.prog = "iaclint config"
    parser.usage = "iaclint config [PATH ...] [OPTIONS]"
    parser.description = ("Show the configuration that governs each PATH (default: .), each value with where it "
                          "came from: the nearest .iaclint.toml or pyproject.toml [tool.iaclint], or --config, "
                          "overridden by the options given. Exit status 2 when a PATH does not exist.")
    parser.epilog = None
    args = parser.parse_args(argv)
    missing = [path for path in args.paths if not os.path.exists(path)]
    if missing:
        print(f"iaclint: error: no such file or directory: {', '.join(missing)}", file=sys.stderr)
        return EXIT_ERROR
    try:
        command_line = _command_line_settings(args)
        governed: dict[str | None, list[str]] = {}
        for path in args.paths:
            governed.setdefault(args.config if args.config is not None else config.find([path]), []).append(path)
        blocks = []
        for governing, paths in governed.items():
            text = config.describe(governing, config.settings(governing, command_line))
            if len(governed) > 1:
                text = text.replace("\n", f" (governs {', '.join(paths)})\n", 1)
            blocks.append(text)
    except ValueError as exc:
        print(f"iaclint: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    sys.stdout.write("\n".join(blocks))
    return EXIT_CLEAN


def speed_from(args) -> dict:
    """``jobs`` and ``cache_dir`` for `scan`; neither changes what is reported."""
    from .runner import available_cores

    cache_dir = None
    if not args.no_cache:
        from .cache import default_directory

        first = args.paths[0] if args.paths else "."
        cache_dir = args.cache_dir or os.environ.get("IACLINT_CACHE_DIR") or default_directory(
            first if os.path.isdir(first) else (os.path.dirname(first) or "."))
    return {"jobs": args.jobs or available_cores(), "cache_dir": cache_dir}


def per_file_from(args):
    """The options for each scanned path: the nearest configuration file (or ``--config``), overridden by
    the command line."""
    from . import config
    from .catalog import select_rules
    from .options import FindingPolicy, Inputs, ScanOptions

    command_line = _command_line_settings(args)
    select_rules(command_line.get("select", ()), command_line.get("ignore", ()))  # unknown names: ValueError
    options = ScanOptions(
        inputs=Inputs(terraform_vars=_pairs(args.var, "--var"), terraform_var_files=tuple(args.var_file),
                      cfn_parameters=_pairs(args.parameter, "--parameter"),
                      cfn_parameter_files=tuple(args.parameter_file)),
        policy=FindingPolicy(use_suppressions=not args.no_suppressions,
                             report_unused_suppressions=args.report_unused_suppressions),
    )
    return config.PerFile(options, command_line, args.config)


def _show_files(report) -> None:
    """Each YAML, JSON and Terraform file found, with how it was read or why it was skipped, on standard
    error (standard output holds the report, in any format)."""
    for path, how in sorted(dict.fromkeys(report.files)):
        print(f"{path}: {how}", file=sys.stderr)


def _write_baseline(report, path: str) -> int:
    from . import baseline

    count = baseline.write(report, path)
    for error in report.errors:
        print(error, file=sys.stderr)
    print(f"iaclint: wrote {count} finding{'s' if count != 1 else ''} to baseline {path}", file=sys.stderr)
    return EXIT_ERROR if report.errors else EXIT_CLEAN


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if argv[:1] == ["rules"]:
            from .rules_command import main as rules_main

            return rules_main(argv[1:])
        if argv[:1] == ["config"]:
            return show_config(argv[1:])
        parser = build_parser()
        args = parser.parse_args(argv)
        if args.explain is not None:
            from .rules_command import explain

            return explain(args.explain)
        from .report.outputs import outputs_from, write_outputs

        outputs = outputs_from(args, parser)
        refused: tuple[type[Exception], ...] = (ValueError,)  # bad rule names, NAME=VALUE, configuration, baseline
        change = None
        try:
            if args.diff is not None:  # git and temporary trees only when asked for
                from .diff import DiffError, changes_since

                refused = (ValueError, DiffError)  # and a git revision
                # The checkout that holds what is scanned, wherever iaclint is run from.
                first = args.paths[0] if args.paths else "."
                change = changes_since(args.diff, first if os.path.isdir(first) else (os.path.dirname(first) or "."))
            per_file = per_file_from(args)
            from .engine import scan
            from .progress import on_terminal

            speed = speed_from(args)
            report = scan(args.paths, per_file=per_file.options_for, progress=on_terminal(), **speed)
            if args.show_files:
                _show_files(report)
            if args.write_baseline:
                return _write_baseline(report, args.write_baseline)
            if change is not None:
                from .diff import only_new

                # The base tree is a temporary copy: nothing of it is worth caching.
                only_new(report, change, lambda paths, tree: scan(
                    paths, per_file=per_file.in_tree(change.top, tree), jobs=speed["jobs"], progress=on_terminal()))
        except refused as exc:
            print(f"iaclint: error: {exc}", file=sys.stderr)
            return EXIT_ERROR

        color = args.color == "always" or (args.color == "auto" and sys.stdout.isatty() and "NO_COLOR" not in os.environ)
        if not write_outputs(report, outputs, color=color):
            return EXIT_ERROR
        return EXIT_CLEAN if args.exit_zero and report.exit_code == 1 else report.exit_code
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # never a traceback for the user; IACLINT_DEBUG=1 shows it
        if os.environ.get("IACLINT_DEBUG"):
            raise
        print(f"iaclint: internal error: {exc!r} (set IACLINT_DEBUG=1 for details)", file=sys.stderr)
        return EXIT_ERROR
