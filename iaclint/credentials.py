"""Recognisable credential formats, from detect-secrets' format plugins.

detect-secrets keeps a maintained set of credential formats: each of its regex plugins holds them in its
``denylist``.  Only the plugins whose finding is a *format* are used here, not its entropy plugins nor its
keyword heuristics (which names mean a secret is iaclint's own business).

Nearly every string of a template holds no credential, and calling every plugin on each costs about
20 µs (benchmarks/credentials.py), while one alternation of their regexes is slower still (Python's ``re``
tries every branch at every position).  So each regex is gated by literals it cannot match without
(``AKIA``, ``ghp_``, ``eyJ``, ``://``), read from the parsed regex itself so that they follow the
library's patterns; the gates are searched in one pass for the case-sensitive regexes and one for the
others, and a regex runs only when its literals are in the string.

detect-secrets is imported on the first scan, not when iaclint starts.
"""

from __future__ import annotations

import re
from typing import Callable

# detect-secrets' plugin → the kind iaclint names in messages; a tuple names each pattern of the denylist.
_KINDS: dict[str, str | tuple[str, ...]] = {
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
_MORE_FORMATS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("GitHub token", re.compile(r"github_pat_[A-Za-z0-9_]{22,}")),
    ("private key", re.compile(r"-----BEGIN ENCRYPTED PRIVATE KEY-----")),
    # A 40-character AWS secret access key is only recognisable next to something that says so; the
    # plugin's own rule wants it quoted and "aws" before it, which `SecretAccessKey: …` in YAML is not.
    ("AWS secret access key", re.compile(
        r"(?i)(?:aws_?secret_?(?:access_?)?key|secret_?access_?key)\W{0,5}(?<![A-Za-z0-9/+])([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])")),
)
# These formats have an exact length: a longer run of the same characters is something else.
_WHOLE_TOKEN = frozenset({"AWS access key id", "Twilio API key"})


class _Format:
    __slots__ = ("kind", "pattern", "accepts", "folded", "anchors", "others")

    def __init__(self, kind: str, pattern: re.Pattern[str], accepts: Callable[[str], bool]):
        self.kind = kind
        self.pattern = pattern
        self.accepts = accepts  # the plugin's own check of a match (a JWT must decode)
        self.folded = bool(pattern.flags & re.IGNORECASE)
        # Every match holds one literal of each choice (in lower case when the pattern ignores case), the
        # strongest choice first; none: the regex runs on every string.
        self.anchors = _anchors(pattern)
        self.others = self.anchors[1:]  # what the gate, which looks for the strongest, leaves to check


class _Gate:
    """The strongest choice of literals of each gated format, searched for in one pass."""

    def __init__(self, formats: list[tuple[int, _Format]]):
        self.formats: dict[str, list[tuple[int, _Format]]] = {}
        for index, form in formats:
            for anchor in form.anchors[0]:
                self.formats.setdefault(anchor, []).append((index, form))
        self.any = re.compile(_trie(sorted(self.formats)) or "(?!)")

    def formats_in(self, haystack: str) -> list[tuple[int, _Format]]:
        if self.any.search(haystack) is None:
            return []
        return [entry for anchor, entries in self.formats.items() if anchor in haystack for entry in entries]


def _trie(words: list[str]) -> str:
    """One regex for a set of literals, branching on a character at a time: Python's re tries every
    branch at every place, and passes over a branch whose first literal is not there at a glance."""
    heads: dict[str, list[str]] = {}
    for word in words:
        heads.setdefault(word[:1], []).append(word[1:])
    branches = [re.escape(head) + _trie(rests) for head, rests in sorted(heads.items()) if head]
    if not branches:
        return ""
    optional = "" in heads
    body = branches[0] if len(branches) == 1 and not optional else "(?:" + "|".join(branches) + ")"
    return body + "?" if optional else body


_gates: tuple[_Gate, _Gate, list[tuple[int, _Format]], re.Pattern[str]] | None = None


def find_credentials(text: str) -> list[tuple[str, int]]:
    """The credentials recognisable in ``text``: ``(kind, 1-based column)`` for each kind found, e.g.
    ``[("AWS access key id", 23)]``."""
    exact, folded, ungated, ungated_any = _gates or _build()
    lowered = text.lower()
    candidates = exact.formats_in(text) + folded.formats_in(lowered)
    if ungated_any.search(text):
        candidates += ungated
    if not candidates:
        return []
    found: dict[str, tuple[int, int]] = {}
    for index, form in sorted(dict(candidates).items()):
        if form.others:  # the gate saw one choice of literals, not all of them
            haystack = lowered if form.folded else text
            if not all(any(anchor in haystack for anchor in choice) for choice in form.others):
                continue
        column = _first_column(form, text)
        if column is not None and (column, index) < found.get(form.kind, (len(text) + 1, 0)):
            found[form.kind] = (column, index)
    return [(kind, column) for kind, (column, _) in sorted(found.items(), key=lambda item: item[1])]


def _first_column(form: _Format, text: str) -> int | None:
    for match in form.pattern.finditer(text):
        start = _secret_start(match)
        if start > 0 and text[start - 1].isalnum():
            continue  # in the middle of a longer word: a hash, a base64 blob, an ARN's account id
        if form.kind in _WHOLE_TOKEN and match.end() < len(text) and text[match.end()].isalnum():
            continue
        if form.accepts(match.group()):
            return start + 1
    return None


def _secret_start(match: re.Match[str]) -> int:
    """Where the secret begins: at its group when the pattern matches a name or a URL around it."""
    if match.re.groups and match.group(1) is not None:
        return match.start(1)
    return match.start() + len(match.group()) - len(match.group().lstrip(" \t=:\"'"))


def _build() -> tuple[_Gate, _Gate, list[tuple[int, _Format]], re.Pattern[str]]:
    global _gates
    formats = list(enumerate(_plugin_formats() + [_Format(kind, pattern, lambda _: True)
                                                  for kind, pattern in _MORE_FORMATS]))
    ungated = [(index, form) for index, form in formats if not form.anchors]
    # The few regexes without literals to gate them (Discord, Telegram): one search says whether any of
    # them is worth running.
    ungated_any = re.compile("|".join(_scoped(form.pattern) for _, form in ungated) or "(?!)")
    _gates = (_Gate([(i, form) for i, form in formats if form.anchors and not form.folded]),
              _Gate([(i, form) for i, form in formats if form.anchors and form.folded]),
              ungated, ungated_any)
    return _gates


def _scoped(pattern: re.Pattern[str]) -> str:
    flags = "".join(letter for flag, letter in ((re.I, "i"), (re.M, "m"), (re.S, "s"), (re.X, "x"))
                    if pattern.flags & flag)
    return f"(?{flags}:{pattern.pattern})" if flags else f"(?:{pattern.pattern})"


def _plugin_formats() -> list[_Format]:
    from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class
    from detect_secrets.plugins.base import RegexBasedDetector

    formats = []
    for plugin in get_mapping_from_secret_type_to_class().values():
        name = plugin.__name__
        if name in EXCLUDED_PLUGINS or name not in _KINDS or not issubclass(plugin, RegexBasedDetector):
            continue
        detector = plugin()
        kinds = _KINDS[name]
        for index, pattern in enumerate(detector.denylist):
            kind = kinds if isinstance(kinds, str) else kinds[min(index, len(kinds) - 1)]
            formats.append(_Format(kind, pattern, lambda found, d=detector: any(d.analyze_string(found))))
    return formats


def plugin_names() -> set[str]:
    """Every regex plugin of the installed detect-secrets, so that a new one is noticed and decided on."""
    from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class

    return {plugin.__name__ for plugin in get_mapping_from_secret_type_to_class().values()}


def known_plugins() -> set[str]:
    return set(_KINDS) | EXCLUDED_PLUGINS


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
