"""Where reports go: ``--format``/``--output`` pairs.

The pairing rule: each ``--output FILE`` sends the report of the ``--format`` given just before it to FILE;
a ``--format`` with no ``--output`` after it writes to standard output, and only one may.  An ``--output``
before any ``--format`` applies to the default text report.  So
``--format text --format sarif --output out.sarif`` prints text and writes SARIF to out.sarif.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass

from . import FORMATS, render


@dataclass
class Output:
    format: str
    file: str | None = None  # None: standard output
    show_source: bool = False  # text only: the source around each finding
    show_docs_url: bool = False  # text only: the rule's page under each finding
    quiet: bool = False  # text only: findings and errors, no notes, warnings or summary


class _FormatAction(argparse.Action):
    def __call__(self, parser, namespace, value, option_string=None):
        outputs = _explicit(namespace)
        outputs.append(Output(value))
        namespace.format = value  # the last one, for code that reads a single format


class _OutputAction(argparse.Action):
    def __call__(self, parser, namespace, value, option_string=None):
        outputs = _explicit(namespace)
        if not outputs:
            outputs.append(Output("text"))
        if outputs[-1].file is not None:
            parser.error(f"--output {value}: the --format before it already writes to {outputs[-1].file}; "
                         "give --format again before each --output")
        outputs[-1].file = value


def _explicit(namespace) -> list[Output]:
    if getattr(namespace, "outputs", None) is None:
        namespace.outputs = []
    return namespace.outputs


def add_output_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-f", "--format", action=_FormatAction, choices=FORMATS, dest="format", default="text",
                        help="report format (default: text); repeat it to produce several reports")
    parser.add_argument("-o", "--output", action=_OutputAction, metavar="FILE", dest="output_file",
                        help="write the report of the preceding --format to FILE instead of standard output")
    parser.add_argument("--show-source", action="store_true",
                        help="text output: show the source lines around each finding, with secrets masked")
    parser.add_argument("--show-docs-url", action="store_true",
                        help="text output: show the URL of each finding's rule page under it")
    parser.add_argument("-q", "--quiet", action="store_true",
                        help="text output: only findings and errors (no notes, warnings or summary)")
    parser.set_defaults(outputs=None)


def outputs_from(args, parser: argparse.ArgumentParser) -> list[Output]:
    outputs = args.outputs or [Output("text")]
    to_stdout = [o.format for o in outputs if o.file is None]
    if len(to_stdout) > 1:
        parser.error(f"only one report can go to standard output (got {', '.join(to_stdout)}); "
                     "give --output FILE after the others")
    files = [os.path.abspath(o.file) for o in outputs if o.file is not None]
    if len(set(files)) != len(files):
        parser.error("two reports would be written to the same --output file")
    for flag, wanted in (("--show-source", args.show_source), ("--show-docs-url", args.show_docs_url)):
        if wanted and not any(output.format == "text" for output in outputs):
            parser.error(f"{flag} adds to the text report, and no text report is written "
                         f"(--format {', '.join(output.format for output in outputs)})")
    for output in outputs:
        output.show_source, output.show_docs_url = args.show_source, args.show_docs_url
        output.quiet = args.quiet
    return outputs


def write_outputs(report, outputs: list[Output], *, color: bool) -> bool:
    """Write every report; False (after saying why on stderr) when a file could not be written."""
    ok = True
    for output in outputs:
        text = render(report, output.format, color=color and output.file is None, show_source=output.show_source,
                      show_docs_url=output.show_docs_url, quiet=output.quiet)
        if output.file is None:
            sys.stdout.write(text)
            continue
        try:
            with open(output.file, "w", encoding="utf-8") as handle:
                handle.write(text)
        except OSError as exc:
            print(f"iaclint: error: cannot write {output.file}: {exc.strerror or exc}", file=sys.stderr)
            ok = False
    if any(o.format == "github" for o in outputs) and os.environ.get("GITHUB_STEP_SUMMARY"):
        ok = _append_summary(report, os.environ["GITHUB_STEP_SUMMARY"]) and ok
    return ok


def _append_summary(report, path: str) -> bool:
    from .github import render_summary

    try:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(render_summary(report))
    except OSError as exc:
        print(f"iaclint: error: cannot write the step summary {path}: {exc.strerror or exc}", file=sys.stderr)
        return False
    return True
