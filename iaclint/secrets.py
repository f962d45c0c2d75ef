"""Recognising secrets: credential patterns, dynamic references, and masking for messages."""

from __future__ import annotations

import json
import re
from typing import Iterator

from .policy import partly_known_json
from .values import PartlyKnown, Value

# Values that point at a secret kept elsewhere rather than holding it.
_DYNAMIC_REFERENCE = re.compile(r"\{\{resolve:(secretsmanager|ssm-secure|ssm):", re.IGNORECASE)

# Recognisable credential formats (AWS keys, private keys, GitHub, Slack, Stripe, JWT, …) come from
# detect-secrets, in their own module; rules keep importing find_credentials from here.
from .credentials import find_credentials  # noqa: E402,F401


# A name says its value is a secret when it *ends* with a secret noun: DB_PASSWORD, GITHUB_TOKEN,
# apiKey, CLIENT_SECRET.  DB_PASSWORD_SECRET_ARN, TOKEN_URL or SECRETS_EXTENSION_HTTP_PORT only point at one.
_SECRET_NOUNS = {"password", "passwords", "passwd", "pwd", "passphrase", "secret", "token", "credential", "credentials"}
# Not "encryption": an EncryptionKey / kms_encryption_key is the id or ARN of a KMS key nearly everywhere.
_SECRET_KEY_QUALIFIERS = {"api", "private", "secret", "access", "auth", "signing", "master", "client", "token"}
_WORDS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")


# Tokens that are no secret: request markers (EFS's creation token), versions, pages, an Alexa skill id, a
# Step Functions task token, an Auto Scaling lifecycle action token.
_NOT_SECRET_TOKENS = {"client", "idempotency", "creation", "service", "version", "source", "next", "continuation",
                      "page", "pagination", "sync", "task", "action"}
# Names about a secret rather than holding one: AllowUsersToChangePassword, RotateDBPassword.
_ABOUT_A_SECRET = {"change", "reset", "rotate", "require", "required", "expire", "enable", "enabled", "allow"}


def is_secret_name(name: str) -> bool:
    words = [word.lower() for word in _WORDS.findall(name)]
    if not words:
        return False
    if words[-1] == "token" and len(words) > 1 and words[-2] in _NOT_SECRET_TOKENS:
        return False
    if _ABOUT_A_SECRET.intersection(words[:-1]):
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
        if isinstance(variant, PartlyKnown):
            document = partly_known_json(variant)
            if document is not None:
                yield from ((leaf, True) for leaf in _under_secret_keys(document, None))
            continue
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


# Values that identify a key or secret kept elsewhere: an ARN, a KMS alias, a key id (a UUID).
_IDENTIFIER = re.compile(r"^(?:arn:aws[\w-]*:|alias/)|^[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$", re.IGNORECASE)


# Values that stand in for a secret still to be filled in, or are flags: <PASSWORD_UPDATE_ME>, "null", "false".
_PLACEHOLDER = re.compile(r"^(?:<[^<>]*>|\$\{[^{}]*\}|null|none|true|false|yes|no)$", re.IGNORECASE)


# In a script: `DB_PASSWORD=s3cret`, `export API_TOKEN="…"`, `password: s3cret`, `--password s3cret`.  A value
# with `$`, `{` or `<` is a reference or a placeholder, and one starting with `!` a YAML tag (`!Ref X`).
_ASSIGNMENT = re.compile(r"(?:^|[\s;&|(])(?:--)?([A-Za-z_][\w.-]*)(?:\s*[=:]\s*|\s+(?=['\"]))(['\"]?)([^\s'\"$`{}<>!][^\s'\"$`{}<>]{3,})\2"
                         r"(?=$|[\s;&|)])", re.MULTILINE)


def find_assignments(text: str) -> list[tuple[str, str]]:
    """``(name, assignment as written)`` for every secret-named setting given a literal value in ``text``, e.g.
    ``[("DB_PASSWORD", "DB_PASSWORD=hunter22")]``."""
    found = []
    for match in _ASSIGNMENT.finditer(text):
        name, value = match.group(1), match.group(3)
        # `password: password` in code passes a variable named like a secret, not a secret.
        if is_secret_name(name) and not is_placeholder(value) and not is_identifier(value) and not is_secret_name(value):
            found.append((name, match.group(0).strip(" \t\n;&|(")))
    return found


def is_identifier(text: str) -> bool:
    return bool(_IDENTIFIER.match(text.strip()))


def is_placeholder(text: str) -> bool:
    return bool(_PLACEHOLDER.match(text.strip()))


_PLAIN_SSM_REFERENCE = re.compile(r"\{\{resolve:ssm:([^}]*)\}\}", re.IGNORECASE)


def plaintext_reference(text: str) -> str | None:
    """The plain String SSM parameter a dynamic reference reads (``{{resolve:ssm:/db/password}}`` →
    ``/db/password``), or ``None``."""
    match = _PLAIN_SSM_REFERENCE.search(text)
    return match.group(1) if match else None


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


# `Key: value`, `"key": "value"`, `key = "value"`, `KEY=value`: one setting of a line (a flow mapping holds
# several).  The value is a quoted string or a bare run up to a separator.
_SETTING = re.compile(r"""(?P<key>[A-Za-z_][\w.-]*)["']?[ \t]*(?:=>|[:=])[ \t]*"""
                      r"""(?P<value>"(?:[^"\\]|\\.)*"?|'[^']*'?|[^\s,{}\[\]#]+)""")
# A bare value that reads something kept elsewhere: a YAML tag (`!Ref X`), a Terraform reference.
_REFERENCE = re.compile(r"^(?:!|(?:var|local|module|data|each|count|self)\.|aws_\w+\.)")
# A value that goes on below its key: a YAML block scalar, a Terraform heredoc (its end marker).
_BLOCK_START = re.compile(r"^(?:[|>][-+0-9]*|<<-?[\"']?(\w+)[\"']?)$")
# What owns a `Default`: a CloudFormation parameter (`  DbPassword:`), a Terraform variable.
_OWNER = re.compile(r"""^\s*(?:([A-Za-z_][\w.-]*):\s*(?:$|\{)|variable\s+"([^"]+)"\s*\{)""")
_PRIVATE_KEY_END = re.compile(r"-----END [A-Z ]*PRIVATE KEY-----")
_TOKEN_END = re.compile(r"""[\s"'`,;)}\]]""")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def secret_spans(text: str) -> dict[int, list[tuple[int, int]]]:
    """Where ``text`` may show a secret, to be masked before it is printed: ``{line: [(start, end), …]}`` with
    1-based lines and 0-based, end-exclusive columns of each line of ``text.split("\\n")``.  Found without
    parsing, line by line: the value of every setting named like a secret (or the default of a parameter or
    variable named so) that is written literally — a reference, dynamic reference, placeholder or identifier
    is shown —, the lines of such a value written as a block, every recognisable credential, and the body of
    every private key."""
    spans: dict[int, list[tuple[int, int]]] = {}
    block: tuple[int, str | None] | None = None  # a secret value below its key: (key's indentation, heredoc end)
    in_private_key = False
    secret_owner: int | None = None  # indentation of the secret-named parameter or variable being read
    for number, line in enumerate(text.split("\n"), start=1):
        if block is not None:
            indent, marker = block
            if marker is not None or not line.strip() or _indent(line) > indent:
                spans.setdefault(number, []).append((0, len(line)))
                block = None if marker is not None and line.strip() == marker else block
                continue
            block = None
        if in_private_key:
            spans.setdefault(number, []).append((0, len(line)))
            in_private_key = not _PRIVATE_KEY_END.search(line)
            continue
        if secret_owner is not None and line.strip() and _indent(line) <= secret_owner:
            secret_owner = None
        owner = _OWNER.match(line)
        if owner and is_secret_name(owner.group(1) or owner.group(2)):
            secret_owner = _indent(line)
        for match in _SETTING.finditer(line):
            key, value = match.group("key"), match.group("value")
            if not (is_secret_name(key) or (secret_owner is not None and key.lower() == "default")):
                continue
            opens = _BLOCK_START.match(value)
            if opens:
                block = (_indent(line), opens.group(1))
                continue
            bare = value.strip("\"'")
            if (_REFERENCE.match(value) or not bare or is_dynamic_reference(bare) or is_placeholder(bare)
                    or is_identifier(bare) or bare.startswith("$")):
                continue
            spans.setdefault(number, []).append(match.span("value"))
        for kind, column in find_credentials(line):
            if kind == "private key":  # up to its END line, or to the END on this line (escaped newlines)
                end_marker = _PRIVATE_KEY_END.search(line, column)
                in_private_key = end_marker is None
                spans.setdefault(number, []).append((column - 1, end_marker.end() if end_marker else len(line)))
                continue
            end = _TOKEN_END.search(line, column)
            spans.setdefault(number, []).append((column - 1, end.start() if end else len(line)))
    return spans
