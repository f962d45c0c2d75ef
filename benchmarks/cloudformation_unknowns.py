"""Run the CloudFormation front end over a corpus and count what it could not evaluate.

    PYTHONPATH=. python benchmarks/cloudformation_unknowns.py /work/shared/corpus [--top N] [--errors]

Prints: candidate files (every .yaml/.yml/.json/.template), templates scanned, files skipped as not
CloudFormation, input errors (file:line: reason), crashes (any other exception: a bug), the values that
stayed unknown after evaluation grouped by reason, and the time taken.  Works against older versions of the
front end too (falls back to ``loader.parse`` + ``template.build_document`` when ``load_templates`` is missing),
so figures before and after a change can be compared.
"""

from __future__ import annotations

import argparse
import collections
import os
import re
import sys
import time
import traceback

from iaclint.cloudformation import loader, template
from iaclint.findings import InputError
from iaclint.options import Inputs
from iaclint.values import UNKNOWN

try:
    from iaclint.values import CHOICE
except ImportError:  # pragma: no cover - older versions
    CHOICE = "choice"

SUFFIXES = (".yaml", ".yml", ".json", ".template")
SKIP_DIRS = {".git", ".terraform", "node_modules", ".github"}


def candidates(root: str):
    for directory, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("asset."))
        for name in sorted(files):
            if name.endswith(SUFFIXES) and name not in ("manifest.json", "tree.json"):
                yield os.path.join(directory, name)


def read_text(path: str) -> str:
    with open(path, encoding="utf-8-sig", errors="replace") as handle:
        return handle.read()


def load(path: str, text: str, options: Inputs):
    if hasattr(template, "load_templates"):
        return template.load_templates(path, text, options, read_text)
    try:  # the first version: parse + sniff + build
        root = loader.parse(text, path)
    except InputError:
        if "AWSTemplateFormatVersion" in text:
            raise
        return []
    if not template.looks_like_template(root):
        return []
    return [template.build_document(root, path)]


def _reason_group(reason: str) -> str:
    """Collapse names out of a reason so that similar unknowns group together."""
    reason = re.sub(r"parameter \S+", "parameter NAME", reason)
    reason = re.sub(r"Ref \S+", "Ref NAME", reason)
    reason = re.sub(r"'[^']*'", "'…'", reason)
    return reason


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("root")
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--errors", action="store_true", help="list every input error")
    args = parser.parse_args()

    options = Inputs()
    files = list(candidates(args.root))
    scanned = documents = skipped = values = 0
    errors: list[str] = []
    crashes: list[str] = []
    unknown = collections.Counter()
    unknown_total = 0
    choices = 0
    started = time.perf_counter()
    for path in files:
        try:
            text = read_text(path)
            docs = load(path, text, options)
        except InputError as exc:
            where = path if exc.line is None else f"{path}:{exc.line}"
            (crashes if "internal error" in exc.message else errors).append(f"{where}: {exc.message}")
            continue
        except Exception as exc:  # a bug: nothing but InputError may escape
            crashes.append(f"{path}: {type(exc).__name__}: {exc}")
            if len(crashes) <= 3:
                traceback.print_exc()
            continue
        if not docs:
            skipped += 1
            continue
        scanned += 1
        documents += len(docs)
        for doc in docs:
            for resource in doc.resources:
                for value in resource.properties.walk():
                    values += 1
                    if value.origin == CHOICE:
                        choices += 1
                    if value.origin == UNKNOWN:
                        unknown_total += 1
                        unknown[_reason_group(value.reason)] += 1
    elapsed = time.perf_counter() - started

    print(f"candidate files:          {len(files)}")
    print(f"templates scanned:        {scanned} ({documents} documents incl. nested stacks)")
    print(f"not CloudFormation:       {skipped}")
    print(f"input errors:             {len(errors)}")
    print(f"crashes (bugs):           {len(crashes)}")
    print(f"values in resources:      {values}")
    print(f"values that stayed unknown: {unknown_total} ({100 * unknown_total / max(values, 1):.1f}%)")
    print(f"choices (undecided Fn::If): {choices}")
    print(f"time:                     {elapsed:.2f} s")
    print()
    print(f"unknown values by reason (top {args.top}):")
    for reason, count in unknown.most_common(args.top):
        print(f"  {count:7d}  {reason}")
    if errors:
        print()
        print("input errors:")
        for line in errors if args.errors else errors[:20]:
            print("  " + line)
    if crashes:
        print()
        print("crashes:")
        for line in crashes:
            print("  " + line)
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
