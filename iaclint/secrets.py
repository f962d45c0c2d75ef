"""Recognising secrets: credential patterns, dynamic references, and masking for messages."""

from __future__ import annotations

import re

# Values that point at a secret kept elsewhere rather than holding it.
_DYNAMIC_REFERENCE = re.compile(r"\{\{resolve:(secretsmanager|ssm-secure|ssm):", re.IGNORECASE)

CREDENTIAL_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("AWS access key id", re.compile(r"(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])")),
    ("private key", re.compile(r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY( BLOCK)?-----")),
    ("GitHub token", re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})")),
    ("Slack token", re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}")),
)
# A 40-character AWS secret access key is only recognisable next to something that says so.
_AWS_SECRET_KEY = re.compile(
    r"(?i)(?:aws_?secret_?(?:access_?)?key|secret_?access_?key)\W{0,5}(?<![A-Za-z0-9/+])([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])"
)


def is_dynamic_reference(text: str) -> bool:
    return bool(_DYNAMIC_REFERENCE.search(text))


def find_credentials(text: str) -> list[tuple[str, int]]:
    """The credentials recognisable in ``text``: ``(kind, 1-based column)`` for each, e.g.
    ``[("AWS access key id", 23)]``."""
    found = [(name, match.start() + 1) for name, pattern in CREDENTIAL_PATTERNS for match in [pattern.search(text)] if match]
    secret_key = _AWS_SECRET_KEY.search(text)
    if secret_key:
        found.append(("AWS secret access key", secret_key.start(1) + 1))
    return sorted(found, key=lambda item: item[1])


_PUBLIC_PREFIXES = ("AKIA", "ASIA", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "xox")


def mask(text: str) -> str:
    """Enough to tell which value is meant, never enough to use it: a credential keeps only its public
    prefix (``AKIA********``); anything else shows nothing of itself."""
    prefix = next((p for p in _PUBLIC_PREFIXES if text.startswith(p)), "")
    return prefix + "*" * 8
