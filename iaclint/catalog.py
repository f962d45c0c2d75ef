"""Find the built-in rules: every module under ``iaclint.rules`` (the repository's ``rules/`` folder) that
defines ``CODE``.  No central list to edit, no registration side effects at import.

A rule covers the frameworks its documented Example is written in (the tag of each fenced block:
```` ```yaml cloudformation ````), so its code never names a framework.  A block tagged also
``account-baseline`` (```` ```hcl terraform account-baseline ````) is scanned as an account baseline by the
tests that execute the examples: what it lacks is what the rule is about."""

from __future__ import annotations

import importlib
import os
import pkgutil
import re
from dataclasses import dataclass
from functools import lru_cache
from types import ModuleType
from typing import Callable, Iterable

SECTIONS = ("What it does", "Why is this bad?", "Example", "Use instead", "References")


@dataclass(frozen=True)
class Rule:
    code: str
    slug: str
    severity: str
    frameworks: tuple[str, ...]
    summary: str
    doc: str
    check: Callable[..., Iterable]
    module: ModuleType
    area: str
    # The security controls the rule checks (a module's ``CONTROLS``): "FSBP IAM.2" is AWS Foundational
    # Security Best Practices control IAM.2, "CIS 1.15" CIS AWS Foundations Benchmark v3.0 recommendation 1.15.
    controls: tuple[str, ...] = ()

    def section(self, title: str) -> str:
        """The text of one ``## title`` section of the rule's documentation."""
        match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", self.doc, re.M | re.S)
        return match.group(1).strip() if match else ""

    @property
    def points_at_secrets(self) -> bool:
        """Whether the rule's findings point at secret values (so a source snippet masks what they point
        at): the secrets rules unless their module says otherwise (``POINTS_AT_SECRETS = False``)."""
        return getattr(self.module, "POINTS_AT_SECRETS", self.area == "secrets")

    @property
    def details(self) -> str:
        """The documentation below the summary line: its ``##`` sections, in Markdown."""
        return self.doc.split("\n", 1)[1].strip() if "\n" in self.doc else self.summary

    @property
    def references(self) -> list[str]:
        return re.findall(r"https?://\S+", self.section("References"))



@lru_cache(maxsize=1)
def all_rules() -> tuple[Rule, ...]:
    import iaclint.rules as package

    rules = []
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        if info.ispkg:
            continue
        module = importlib.import_module(info.name)
        if not hasattr(module, "CODE"):
            continue
        doc = (module.__doc__ or "").strip()
        rules.append(
            Rule(
                code=module.CODE,
                slug=module.SLUG,
                severity=module.SEVERITY,
                frameworks=_example_frameworks(doc),
                summary=doc.splitlines()[0] if doc else "",
                doc=doc,
                check=module.check,
                module=module,
                area=info.name.split(".")[-2],
                controls=tuple(getattr(module, "CONTROLS", ())),
            )
        )
    return tuple(sorted(rules, key=lambda rule: rule.code))


_EXAMPLE = re.compile(r"^```\w+ (\w+)( account-baseline)?[ \t]*\n(.*?)^```", re.M | re.S)


@dataclass(frozen=True)
class Example:
    """One fenced block of a rule's documentation."""

    framework: str
    body: str
    account_baseline: bool  # to be scanned as an account baseline


def examples(section: str) -> list[Example]:
    """The fenced blocks of one section of a rule's documentation."""
    return [Example(framework, body, bool(baseline)) for framework, baseline, body in _EXAMPLE.findall(section)]


def _example_frameworks(doc: str) -> tuple[str, ...]:
    match = re.search(r"^## Example\n(.*?)(?=^## |\Z)", doc, re.M | re.S)
    return tuple(dict.fromkeys(example.framework for example in examples(match.group(1) if match else "")))


@lru_cache(maxsize=1)
def _codes_by_name() -> dict[str, str]:
    return {name: rule.code for rule in all_rules() for name in (rule.code.lower(), rule.slug)}


def rule_code(name: str) -> str | None:
    """The code of the rule a user named by code or slug (``iac201``, ``open-ingress`` → ``IAC201``);
    ``None`` when no rule has that name."""
    return _codes_by_name().get(name.strip().lower())


def select_rules(select: Iterable[str] = (), ignore: Iterable[str] = ()) -> list[Rule]:
    """Rules named by ``select`` (all when empty) minus those named by ``ignore``; names are codes, slugs or
    code prefixes (``IAC2``).  Raises ValueError naming an unknown one, with what it may be a typo of."""
    chosen = {code for name in select for code in rule_codes(name)}
    dropped = {code for name in ignore for code in rule_codes(name)}
    return [rule for rule in all_rules() if (not chosen or rule.code in chosen) and rule.code not in dropped]


def rule_codes(name: str) -> set[str]:
    """The codes a code, slug or code prefix names; ValueError (see `unknown_rule`) when it names none."""
    codes = {rule.code for rule in rules_named(name)}
    if not codes:
        raise ValueError(unknown_rule(name))
    return codes


def unknown_rule(name: str) -> str:
    """Why ``name`` names no rule, with the name it may be a typo of."""
    if os.path.exists(name) or "/" in name or os.sep in name:  # meant to scan a directory named rules
        return f"unknown rule {name!r} (to scan a directory named rules, write ./rules)"
    if looks_like_prefix(name):
        return f"no rule code starts with {name.strip().upper()} (`iaclint rules` lists them)"
    guess = closest_name(name)
    if guess is None:
        return f"unknown rule {name!r} (`iaclint rules` lists them)"
    [rule] = rules_named(guess)
    return f"unknown rule {name!r}; did you mean {guess} ({rule.slug if guess == rule.code else rule.code})?"


_CODE_PREFIX = re.compile(r"^IAC\d{1,2}$", re.IGNORECASE)


def rules_named(name: str) -> list[Rule]:
    """The rules a user named by code, slug or code prefix (``IAC2``: every IAC2xx rule, ``IAC10``: IAC101 to
    IAC109); empty when none is."""
    code = rule_code(name)
    if code is not None:
        return [rule for rule in all_rules() if rule.code == code]
    if not looks_like_prefix(name):
        return []
    return [rule for rule in all_rules() if rule.code.startswith(name.strip().upper())]


def looks_like_prefix(name: str) -> bool:
    """``IAC2``, ``iac10``: the start of a rule code."""
    return bool(_CODE_PREFIX.match(name.strip()))


def closest_name(name: str) -> str | None:
    """The code or slug that ``name`` looks like a typo of (``IAC2O1`` → ``IAC201``), or None."""
    import difflib

    typed = name.strip().lower()
    known = {rule.code.lower(): rule.code for rule in all_rules()} | {rule.slug: rule.slug for rule in all_rules()}
    matches = difflib.get_close_matches(typed, known, n=1, cutoff=0.75)
    return known[matches[0]] if matches else None
