"""Credential formats recognised in a string (detect-secrets' format plugins behind iaclint's gates), and
what iaclint leaves alone in templates.  Sample credentials are built from pieces so that no scanner
takes this file for a leak."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from pathlib import Path

import pytest

from iaclint import credentials
from iaclint.credential_formats import known_plugins, plugin_names
from iaclint.credentials import find_credentials
from iaclint.secrets import mask

ROOT = Path(__file__).resolve().parent.parent


def _b64(document: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(document).encode()).decode().rstrip("=")


JWT = _b64({"alg": "HS256", "typ": "JWT"}) + "." + _b64({"sub": "1234567890"}) + "." + "c2lnbmF0dXJl"

SAMPLES = [
    ("export AWS_ACCESS_KEY_ID=" + "AKIA" + "Q" * 16, [("AWS access key id", 26)]),
    ('aws_secret_key = "' + "wJalrXUtnFEMI" + "K" * 27 + '"', [("AWS secret access key", 19)]),
    ("SecretAccessKey: " + "wJalrXUtnFEMI/K7MDENG/" + "b" * 18, [("AWS secret access key", 18)]),
    ("-----BEGIN " + "RSA PRIVATE KEY-----", [("private key", 6)]),
    ("-----BEGIN " + "ENCRYPTED PRIVATE KEY-----", [("private key", 1)]),
    ("token: " + "ghp_" + "A" * 36, [("GitHub token", 8)]),
    ("github_pat_" + "A" * 22, [("GitHub token", 1)]),
    ("glpat-" + "x" * 20, [("GitLab token", 1)]),
    ("xoxb-" + "1234567890-" + "abcdefghij", [("Slack token", 1)]),
    ("https://hooks.slack.com/services/T" + "0000/B0000/" + "x" * 24, [("Slack webhook URL", 1)]),
    ("sk_" + "live_" + "a" * 24, [("Stripe key", 1)]),
    ("AC" + "a1" * 16, [("Twilio API key", 1)]),
    ("SG." + "a" * 22 + "." + "b" * 43, [("SendGrid API key", 1)]),
    ("Authorization: Bearer " + JWT, [("JSON Web Token", 23)]),
    ("//registry.npmjs.org/:_authToken=" + "npm_" + "a" * 36, [("npm token", 34)]),
    ("pypi-AgEIcHlwaS5vcmc" + "a" * 70, [("PyPI token", 1)]),
    ("DefaultEndpointsProtocol=https;AccountKey=" + "a" * 86 + "==", [("Azure storage account key", 32)]),
    ("postgres://admin:" + "hunter2" + "@db.example.com/app", [("basic-auth credentials in a URL", 18)]),
    ("M" + "a" * 23 + "." + "b" * 6 + "." + "c" * 27, [("Discord bot token", 1)]),
    ("a1" * 16 + "-us12", [("Mailchimp access key", 1)]),
    ("sq0csp-" + "a" * 43, [("Square OAuth secret", 1)]),
    ('ibm_api_key = "' + "a" * 44 + '"', [("IBM Cloud IAM key", 16)]),
    ('cos_secret_access_key = "' + "a" * 48 + '"', [("IBM COS HMAC secret key", 26)]),
    ('cloudant_password = "' + "ab" * 32 + '"', [("Cloudant credentials", 22)]),
    ('softlayer_api_key = "' + "a" * 64 + '"', [("SoftLayer credentials", 22)]),
    ("token AKC" + "a" * 10, [("Artifactory credentials", 7)]),
    ("sk-" + "a" * 20 + "T3BlbkFJ" + "b" * 20, [("OpenAI API key", 1)]),
    ("bot: 123456789:" + "A" * 35, [("Telegram bot token", 6)]),
    # AWS's documented example key is flagged like any other: templates copy it where a real one belongs.
    ("access_key = \"" + "AKIAIOSFODNN7" + "EXAMPLE\"", [("AWS access key id", 15)]),
    # Two kinds on one line: each once, in the order of their columns.
    ("ghp_" + "A" * 36 + " " + "AKIA" + "Q" * 16, [("GitHub token", 1), ("AWS access key id", 42)]),
]


@pytest.mark.parametrize("text, expected", SAMPLES, ids=[kinds[0][0] for _, kinds in SAMPLES])
def test_each_format_is_recognised_where_it_begins(text: str, expected: list) -> None:
    assert find_credentials(text) == expected


LOOK_ALIKES = [
    "arn:aws:iam::123456789012:role/service-role/MyLambdaRole",
    "arn:aws:sns:us-east-1:123456789012:" + "a" * 40,  # an account id and a long name, not a Telegram token
    "ami-0abcdef1234567890",
    "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    "f" * 40 + "-us1",  # a hash before a suffix, not a Mailchimp key
    "X" + "AKIA" + "Q" * 16,  # inside a longer word
    "AKIA" + "Q" * 17,  # longer than an access key id
    "desk_" + "live_" + "a" * 24,
    "${var.access_key}",
    "{{resolve:secretsmanager:prod/db:SecretString:password}}",
    "https://${user}:${pass}@example.com",
    "https://${var.user}:${var.password}@example.com",
    "!Sub 'https://${User}:${Password}@${Host}/'",
    "https://user:@example.com",
    "eyJ" + "x" * 10 + "." + "y" * 10 + "." + "z",  # begins like a JWT, does not decode
    "      KeyName: !Ref KeyPairName",
    "  kms_key_id = aws_kms_key.this.arn",
    "Description: the secret access key of the CI user",
]


@pytest.mark.parametrize("text", LOOK_ALIKES)
def test_iac_look_alikes_are_not_credentials(text: str) -> None:
    assert find_credentials(text) == []


def test_every_plugin_of_detect_secrets_is_decided_on() -> None:
    # A plugin a new detect-secrets adds is neither used nor ignored silently: name it in credentials.py.
    assert plugin_names() - known_plugins() == set()


def test_mask_keeps_a_kinds_prefix_and_nothing_of_the_secret() -> None:
    key = "AKIA" + "Q" * 16
    stripe = "sk_" + "live_" + "a" * 24
    assert mask(key) == "AKIA********"
    assert mask(stripe) == "sk_live_********"
    assert mask("xoxhunter2") == "********"  # begins like a Slack token, is not one
    assert mask("hunter2") == "********"


LAZY = """
import sys
from iaclint.catalog import all_rules
all_rules()
print("detect_secrets" in sys.modules)
from iaclint.secrets import find_credentials
find_credentials("arn:aws:iam::123456789012:user/alice https://example.com")
print("detect_secrets" in sys.modules)
print(find_credentials("key: " + "AKIA" + "Q" * 16))
print("detect_secrets" in sys.modules)
"""


def test_detect_secrets_is_imported_only_to_confirm_a_match() -> None:
    result = subprocess.run([sys.executable, "-c", LAZY], capture_output=True, text=True, check=True)
    assert result.stdout.splitlines() == ["False", "False", "[('AWS access key id', 6)]", "True"]


def test_the_formats_table_is_what_the_installed_detect_secrets_gives() -> None:
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "credential_formats.py"), "--check"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_another_detect_secrets_version_is_read_directly(monkeypatch) -> None:
    import iaclint.credential_formats
    import iaclint.versions

    read = []

    def table():
        read.append(True)
        return real_table()

    real_table = iaclint.credential_formats.table
    monkeypatch.setattr(iaclint.credential_formats, "table", table)
    monkeypatch.setattr(iaclint.versions, "installed_version", lambda name: "0.0-other")
    monkeypatch.setattr(credentials, "_gates", None)
    credentials._remembered.cache_clear()  # answers are kept per string
    assert find_credentials("token: " + "ghp_" + "a" * 36) == [("GitHub token", 8)]
    assert read == [True]
