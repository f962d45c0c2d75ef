"""``iaclint rules [NAME ...]`` and ``iaclint --explain RULE``: the rule catalog in the terminal."""

from __future__ import annotations

import argparse
import json
import sys

from .catalog import all_rules, rules_named, unknown_rule
from .rule_docs import docs_url, document

EXIT_CLEAN, EXIT_ERROR = 0, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="iaclint rules",
        description="List the rules: code, slug, default severity, frameworks, summary and controls. Naming "
                    "exactly one rule shows its documentation.",
        epilog="Examples: `iaclint rules IAC2` (the network rules), `iaclint rules open-ingress` (one rule's "
               "documentation), `iaclint rules --format json` (every rule with its documentation).",
    )
    parser.add_argument("names", nargs="*", metavar="CODE|SLUG|PREFIX",
                        help="only these rules: a code (IAC201), a slug (open-ingress) or a code prefix (IAC2, IAC10)")
    parser.add_argument("-f", "--format", choices=("text", "json"), default="text",
                        help="text (default) or json: a list of rules with code, slug, severity, frameworks, "
                             "controls, summary, docs and url")
    return parser


def add_explain_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--explain", metavar="RULE", help="show a rule's documentation (code or slug) and exit")


def named(names: list[str]) -> list:
    """The rules the names choose, in code order; every rule when there is no name.  ValueError for a name
    that chooses none."""
    if not names:
        return list(all_rules())
    chosen = {}
    for name in names:
        matching = rules_named(name)
        if not matching:
            raise ValueError(unknown_rule(name))
        chosen.update((rule.code, rule) for rule in matching)
    return [chosen[code] for code in sorted(chosen)]


def _line(rule) -> str:
    controls = f"  [{', '.join(rule.controls)}]" if rule.controls else ""
    return f"{rule.code}  {rule.slug:<37} {rule.severity:<8} {', '.join(rule.frameworks):<26} {rule.summary}{controls}"


def _as_json(rule) -> dict:
    return {"code": rule.code, "slug": rule.slug, "severity": rule.severity, "frameworks": list(rule.frameworks),
            "controls": list(rule.controls), "summary": rule.summary, "docs": rule.details, "url": docs_url(rule)}


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    try:
        rules = named(args.names)
    except ValueError as exc:
        print(f"iaclint: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    if args.format == "json":
        print(json.dumps([_as_json(rule) for rule in rules], indent=2))
    elif args.names and len(rules) == 1:
        sys.stdout.write(document(rules[0], online=True))
    else:
        print("\n".join(_line(rule) for rule in rules))
    return EXIT_CLEAN


def explain(name: str) -> int:
    """``iaclint --explain RULE``: one rule's documentation."""
    try:
        rules = named([name])
    except ValueError as exc:
        print(f"iaclint: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    if len(rules) != 1:
        print(f"iaclint: error: --explain takes one rule; {name} names {len(rules)} "
              f"({', '.join(rule.code for rule in rules)}); `iaclint rules {name}` lists them", file=sys.stderr)
        return EXIT_ERROR
    sys.stdout.write(document(rules[0], online=True))
    return EXIT_CLEAN
