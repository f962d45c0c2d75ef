"""The table of credential formats iaclint recognises, read from detect-secrets' format plugins.

detect-secrets keeps a maintained set of credential formats: each of its regex plugins holds them in its
``denylist``.  Only the plugins whose finding is a *format* are used, not its entropy plugins nor its keyword
heuristics (which names mean a secret is iaclint's own business).  For each regex the table also holds the
literals it cannot match without (``AKIA``, ``ghp_``, ``eyJ``, ``://``), read from the parsed regex itself, so
that the scanner runs a regex only on strings that hold them.

Importing detect-secrets costs ~0.15 s (it imports ``requests``), more than scanning a small template, so the
table is written to ``credential_formats.json`` (``python tools/credential_formats.py``) and this module runs
only there, in the test that checks the file, and when the installed detect-secrets is not the version the
file was written from.
"""

from __future__ import annotations

import re

# detect-secrets' plugin → the kind iaclint names in messages; a tuple names each pattern of the denylist.
KINDS: dict[str, str | tuple[str, ...]] = {
    "AWSKeyDetector": ("AWS access key id", "AWS secret access key"),
    "ArtifactoryDetector": "Artifactory credentials",
    "AzureStorageKeyDetector": "Azure storage account key",
    "BasicAuthDetector": "basic-auth credentials in a URL",
    "CloudantDetector": "Cloudant credentials",
    "DiscordBotTokenDetector": "Discord bot token",
    "GitHubTokenDetector": "GitHub token",
    "GitLabTokenDetector": "GitLab token",
    "IbmCloudIamDetector": "IBM Cloud IAM key",
    "IbmCosHmacDetector": "IBM COS HMAC secret key",
    "JwtTokenDetector": "JSON Web Token",
    "MailchimpDetector": "Mailchimp access key",
    "NpmDetector": "npm token",
    "OpenAIDetector": "OpenAI API key",
    "PrivateKeyDetector": "private key",
    "PypiTokenDetector": "PyPI token",
    "SendGridDetector": "SendGrid API key",
    "SlackDetector": ("Slack token", "Slack webhook URL"),
    "SoftlayerDetector": "SoftLayer credentials",
    "SquareOAuthDetector": "Square OAuth secret",
    "StripeDetector": "Stripe key",
    "TelegramBotTokenDetector": "Telegram bot token",
    "TwilioKeyDetector": "Twilio API key",
}
# Not formats: entropy and keyword heuristics, and a public IP address is no credential.
EXCLUDED_PLUGINS = frozenset({"Base64HighEntropyString", "HexHighEntropyString", "KeywordDetector", "IPPublicDetector"})

# Formats detect-secrets 1.5 does not know, kept from iaclint's own list.
MORE_FORMATS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("GitHub token", re.compile(r"github_pat_[A-Za-z0-9_]{22,}")),
    ("private key", re.compile(r"-----BEGIN ENCRYPTED PRIVATE KEY-----")),
    # A 40-character AWS secret access key is only recognisable next to something that says so; the
    # plugin's own rule wants it quoted and "aws" before it, which `SecretAccessKey: …` in YAML is not.
    ("AWS secret access key", re.compile(
        r"(?i)(?:aws_?secret_?(?:access_?)?key|secret_?access_?key)\W{0,5}(?<![A-Za-z0-9/+])([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])")),
)


def table() -> dict:
    """``{"detect-secrets": version, "formats": [...]}``: each format's kind, regex (pattern and flags), the
    literals gating it (a list of choices, each a list of literals; empty: the regex runs on every string)
    and the plugin whose own check a match must pass (none for iaclint's own formats)."""
    from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class
    from detect_secrets.plugins.base import RegexBasedDetector

    from .versions import installed_version

    formats = []
    for plugin in sorted(get_mapping_from_secret_type_to_class().values(), key=lambda plugin: plugin.__name__):
        name = plugin.__name__
        if name in EXCLUDED_PLUGINS or name not in KINDS or not issubclass(plugin, RegexBasedDetector):
            continue
        kinds = KINDS[name]
        for index, pattern in enumerate(plugin().denylist):
            kind = kinds if isinstance(kinds, str) else kinds[min(index, len(kinds) - 1)]
            formats.append(_entry(kind, pattern, name))
    formats.extend(_entry(kind, pattern, None) for kind, pattern in MORE_FORMATS)
    return {"detect-secrets": installed_version("detect-secrets"), "formats": formats}


def _entry(kind: str, pattern: re.Pattern[str], plugin: str | None) -> dict:
    return {"kind": kind, "pattern": pattern.pattern, "flags": int(pattern.flags & ~re.UNICODE),
            "anchors": [list(choice) for choice in _anchors(pattern)], "plugin": plugin}


def plugin_names() -> set[str]:
    """Every regex plugin of the installed detect-secrets, so that a new one is noticed and decided on."""
    from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class

    return {plugin.__name__ for plugin in get_mapping_from_secret_type_to_class().values()}


def known_plugins() -> set[str]:
    return set(KINDS) | EXCLUDED_PLUGINS


# Reading literals out of a regex.  The parse is the standard library's own, which is not a public API:
# anything unexpected leaves the regex ungated (run on every string), never unmatched.
_MOST_ANCHORS = 128
_WEAKEST_ANCHOR = 2


def _anchors(pattern: re.Pattern[str]) -> tuple[tuple[str, ...], ...]:
    try:
        try:
            from re import _parser as sre_parse  # Python 3.11+
            from re import _constants as sre
        except ImportError:  # pragma: no cover - Python 3.10
            import sre_constants as sre  # type: ignore[no-redef]
            import sre_parse  # type: ignore[no-redef]
        candidates = _Literals(sre).candidates(list(sre_parse.parse(pattern.pattern, pattern.flags)))
    except Exception:  # noqa: BLE001 - a parse this module cannot read only costs speed
        return ()
    fold = bool(pattern.flags & re.IGNORECASE)
    usable = {tuple(sorted(_minimal({s.lower() if fold else s for s in c}))) for c in candidates if c and all(c)}
    return tuple(sorted((c for c in usable if min(map(len, c)) >= _WEAKEST_ANCHOR), key=_strength, reverse=True))


# Literals too common in templates to gate on: "aws" is in 9% of the lines of ../shared/corpus (every ARN,
# every Terraform resource type), "cl" in 5% (cloud, class, include).
_COMMON_IN_TEMPLATES = frozenset({"aws", "cl"})


def _strength(choice: tuple[str, ...]) -> tuple[bool, int, int]:
    """A choice whose shortest literal is longer, then one of fewer literals, is found in fewer strings."""
    return not _COMMON_IN_TEMPLATES.intersection(choice), min(map(len, choice)), -len(choice)


def _minimal(strings: set[str]) -> set[str]:
    """Drop a string that holds another of the set: where it occurs, the other does too."""
    return {s for s in strings if not any(other != s and other in s for other in strings)}


class _Literals:
    """The sets of literal strings a parsed regex cannot match without: each set is a choice of strings,
    one of which occurs in every match."""

    def __init__(self, sre):
        self.sre = sre

    def candidates(self, items) -> list[set[str]]:
        sre = self.sre
        found: list[set[str]] = []
        current = {""}
        for op, av in items:
            whole = self.expand([(op, av)])
            if whole is not None and len(current) * len(whole) <= _MOST_ANCHORS:
                current = {s + w for s in current for w in whole}
                continue
            if op is sre.BRANCH:
                # One alternative matches, so the union of what each cannot match without is a choice.
                bests = [max((c for c in self.candidates(alternative) if c and all(c)), key=_strength, default=None)
                         for alternative in av[1]]
                if all(bests) and sum(map(len, bests)) <= _MOST_ANCHORS:
                    found.append(set().union(*bests))
                heads = [self.leading(alternative) for alternative in av[1]]
                if all(h and all(h) for h in heads) and len(current) * sum(map(len, heads)) <= _MOST_ANCHORS:
                    found.append({s + h for s in current for head in heads for h in head})
                    current = {""}
                    continue
            found.append(current)
            current = {""}
            if whole is not None and len(whole) <= _MOST_ANCHORS:
                current = whole  # too many joined to what came before: it begins a run of its own
            elif op is sre.SUBPATTERN and not av[1] and not av[2]:
                found.extend(self.candidates(av[3]))
            elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and av[0] >= 1:
                found.extend(self.candidates(av[2]))
        found.append(current)
        return found

    def leading(self, items) -> set[str]:
        current = {""}
        for item in items:
            whole = self.expand([item])
            if whole is None or len(current) * len(whole) > _MOST_ANCHORS:
                break
            current = {s + w for s in current for w in whole}
        return current

    def expand(self, items) -> set[str] | None:
        """Every string ``items`` can match, when they match nothing but literals."""
        sre = self.sre
        current = {""}
        for op, av in items:
            if op is sre.LITERAL:
                options = {chr(av)}
            elif op is sre.IN and all(member is sre.LITERAL for member, _ in av):
                options = {chr(value) for _, value in av}
            elif op is sre.BRANCH:
                alternatives = [self.expand(alternative) for alternative in av[1]]
                if any(a is None for a in alternatives):
                    return None
                options = set().union(*alternatives)
            elif op is sre.SUBPATTERN and not av[1] and not av[2]:
                options = self.expand(av[3])
                if options is None:
                    return None
            else:
                return None
            if len(current) * len(options) > _MOST_ANCHORS:
                return None
            current = {s + o for s in current for o in options}
        return current
