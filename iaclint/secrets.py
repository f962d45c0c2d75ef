"""Recognising secrets: credential patterns, dynamic references, and masking for messages."""

from __future__ import annotations

import json
import re
from typing import Iterator

from .values import Value

# Values that point at a secret kept elsewhere rather than holding it.
_DYNAMIC_REFERENCE = re.compile(r"\{\{resolve:(secretsmanager|ssm-secure|ssm):", re.IGNORECASE)

# Recognisable credential formats (AWS keys, private keys, GitHub, Slack, Stripe, JWT, …) come from
# detect-secrets, in their own module; rules keep importing find_credentials from here.
from .credentials import find_credentials  # noqa: E402,F401


# A name says its value is a secret when it *ends* with a secret noun: DB_PASSWORD, GITHUB_TOKEN,
# apiKey, CLIENT_SECRET.  DB_PASSWORD_SECRET_ARN, TOKEN_URL or SECRETS_EXTENSION_HTTP_PORT only point at one.
_SECRET_NOUNS = {"password", "passwd", "pwd", "passphrase", "secret", "token", "credential", "credentials"}
_SECRET_KEY_QUALIFIERS = {"api", "private", "secret", "access", "auth", "signing", "encryption", "master", "client"}
_WORDS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")


def is_secret_name(name: str) -> bool:
    words = [word.lower() for word in _WORDS.findall(name)]
    if not words:
        return False
    if words[-1] in _SECRET_NOUNS or words[-1] in ("apikey", "secretkey", "privatekey", "accesskey"):
        return True
    return words[-1] == "key" and len(words) > 1 and words[-2] in _SECRET_KEY_QUALIFIERS


def secret_leaves(value: Value) -> Iterator[tuple[Value, bool]]:
    """The parts of a secret-bearing value that hold the secret itself, each with whether it is one part of
    a structured secret.  A scalar is the secret; in a structure (``jsonencode({username, password})``,
    a JSON string or Sub of a JSON document) only the values under secret-named keys are, since a
    secret document also holds user names, hosts and ports."""
    for variant in value.variants():
        if isinstance(variant.raw, (dict, list)):
            yield from ((leaf, True) for leaf in _under_secret_keys(variant, None))
        elif isinstance(variant.raw, str) and (document := _json_object(variant.raw)) is not None:
            if any(is_secret_name(key) and isinstance(item, str) and item.strip() for key, item in _json_items(document)):
                yield variant, True
        else:
            yield variant, len(variant.via) > 1


def _under_secret_keys(value: Value, key: str | None) -> Iterator[Value]:
    if isinstance(value.raw, dict):
        for name, child in value.raw.items():
            yield from _under_secret_keys(child, name)
    elif isinstance(value.raw, list):
        for child in value.raw:
            yield from _under_secret_keys(child, key)
    elif key is not None and is_secret_name(key):
        yield value


def _json_object(text: str):
    stripped = text.strip()
    if not (stripped.startswith("{") and stripped.endswith("}")):
        return None
    try:
        data = json.loads(stripped)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def _json_items(data) -> Iterator[tuple[str, object]]:
    for key, item in data.items():
        if isinstance(item, dict):
            yield from _json_items(item)
        else:
            yield key, item


def is_dynamic_reference(text: str) -> bool:
    return bool(_DYNAMIC_REFERENCE.search(text))


# Prefixes that say what kind of credential a value is and are the same in every one of that kind.
_PUBLIC_PREFIXES = ("AKIA", "ASIA", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "glpat-", "xox",
                    "sk_live_", "rk_live_", "SG.", "pypi-", "sq0csp-")


def mask(text: str) -> str:
    """Enough to tell which value is meant, never enough to use it: a credential keeps only its public
    prefix (``AKIA********``); anything else shows nothing of itself."""
    prefix = next((p for p in _PUBLIC_PREFIXES if text.startswith(p)), "")
    if prefix and not any(column == 1 for _, column in find_credentials(text)):
        prefix = ""  # a password that happens to begin like a token shows nothing of itself either
    return prefix + "*" * 8
