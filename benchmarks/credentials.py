"""Benchmark: the cost of recognising credentials in a string, per string, before and after detect-secrets.

    python benchmarks/credentials.py [CORPUS]     # CORPUS defaults to ../shared/corpus

"before" is iaclint's four hand-written patterns, copied here as they were; "every detector" calls each
of detect-secrets' format plugins on the string, as detect-secrets would; "after" is
`iaclint.credentials.find_credentials`.  Prints µs per string for typical template strings that hold no
credential, and for every line of every template in the corpus (the rule scans source lines), plus what
the first call costs (importing detect-secrets and building the gates) and how many lines each finds
something in.
"""

from __future__ import annotations

import os
import re
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from iaclint.credential_formats import EXCLUDED_PLUGINS  # noqa: E402
from iaclint.credentials import find_credentials  # noqa: E402

DEFAULT_CORPUS = os.path.join(ROOT, "..", "shared", "corpus")
TEMPLATE_SUFFIXES = (".yaml", ".yml", ".json", ".template", ".tf", ".tfvars")

TYPICAL = [
    "arn:aws:iam::123456789012:role/service-role/MyLambdaRole",
    "ami-0abcdef1234567890",
    "t3.micro",
    "10.0.0.0/16",
    "!Sub 'arn:${AWS::Partition}:s3:::${BucketName}/*'",
    "Enable versioning on the bucket that holds the access logs",
    "us-east-1",
    "      KeyName: !Ref KeyPairName",
    '  kms_key_id = aws_kms_key.this.arn',
    "{{resolve:secretsmanager:prod/db:SecretString:password}}",
    "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    '  source  = "terraform-aws-modules/vpc/aws"',
    "      - Effect: Allow",
    "https://${var.user}:${var.password}@example.com",
]

# The hand-written patterns iaclint had before detect-secrets.
_OLD_PATTERNS = (
    ("AWS access key id", re.compile(r"(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])")),
    ("private key", re.compile(r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY( BLOCK)?-----")),
    ("GitHub token", re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})")),
    ("Slack token", re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}")),
)
_OLD_AWS_SECRET_KEY = re.compile(
    r"(?i)(?:aws_?secret_?(?:access_?)?key|secret_?access_?key)\W{0,5}(?<![A-Za-z0-9/+])([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])"
)


def old_find_credentials(text: str) -> list[tuple[str, int]]:
    found = [(name, match.start() + 1) for name, pattern in _OLD_PATTERNS for match in [pattern.search(text)] if match]
    secret_key = _OLD_AWS_SECRET_KEY.search(text)
    if secret_key:
        found.append(("AWS secret access key", secret_key.start(1) + 1))
    return sorted(found, key=lambda item: item[1])


def every_detector():
    from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class

    detectors = [plugin() for plugin in get_mapping_from_secret_type_to_class().values()
                 if plugin.__name__ not in EXCLUDED_PLUGINS]
    return lambda text: [detector.secret_type for detector in detectors if any(detector.analyze_string(text))]


def corpus_lines(root: str) -> list[str]:
    lines = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.endswith(TEMPLATE_SUFFIXES):
                with open(os.path.join(folder, name), encoding="utf-8", errors="replace") as handle:
                    lines.extend(handle.read().splitlines())
    return lines


def per_string(function, strings: list[str], rounds: int) -> tuple[float, int]:
    """Best of three runs, in µs per string, and the number of strings with a finding."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        for _ in range(rounds):
            hits = sum(1 for text in strings if function(text))
        best = min(best, (time.perf_counter() - started) / (rounds * len(strings)))
    return best * 1e6, hits


def main() -> int:
    corpus = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_CORPUS
    started = time.perf_counter()
    find_credentials("warm up: import detect-secrets and build the gates")
    print(f"first call (import + build): {(time.perf_counter() - started) * 1e3:.0f} ms")
    lines = corpus_lines(corpus)
    functions = (("before", old_find_credentials), ("every detector", every_detector()), ("after", find_credentials))
    print(f"{'µs per string':34}" + "".join(f"{name:>16}" for name, _ in functions) + "   strings with a finding")
    for label, strings, rounds in (("typical strings, no credential", TYPICAL, 500),
                                   (f"corpus lines ({len(lines)})", lines, 1)):
        figures = [per_string(function, strings, rounds) for _, function in functions]
        print(f"{label:34}" + "".join(f"{cost:16.2f}" for cost, _ in figures)
              + "   " + ", ".join(str(hits) for _, hits in figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
