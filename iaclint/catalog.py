"""Find the built-in rules: every module under ``iaclint.rules`` (the repository's ``rules/`` folder) that
defines ``CODE``.  No central list to edit, no registration side effects at import."""

from __future__ import annotations

import importlib
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

    def section(self, title: str) -> str:
        """The text of one ``## title`` section of the rule's documentation."""
        match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", self.doc, re.M | re.S)
        return match.group(1).strip() if match else ""

    @property
    def references(self) -> list[str]:
        return re.findall(r"https?://\S+", self.section("References"))

    @property
    def help_uri(self) -> str:
        """Where the guidance behind the rule is documented (its first reference)."""
        return self.references[0] if self.references else ""


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
                frameworks=tuple(module.FRAMEWORKS),
                summary=doc.splitlines()[0] if doc else "",
                doc=doc,
                check=module.check,
                module=module,
                area=info.name.split(".")[-2],
            )
        )
    return tuple(sorted(rules, key=lambda rule: rule.code))


def select_rules(select: Iterable[str] = (), ignore: Iterable[str] = ()) -> list[Rule]:
    """Rules named by ``select`` (all when empty) minus those named by ``ignore``; names are codes or slugs.
    Raises ValueError naming an unknown code or slug."""
    rules = all_rules()
    known = {r.code.lower() for r in rules} | {r.slug for r in rules}
    for name in list(select) + list(ignore):
        if name.lower() not in known:
            raise ValueError(f"unknown rule {name!r} (see `iaclint rules`)")
    chosen = {n.lower() for n in select}
    dropped = {n.lower() for n in ignore}
    return [
        rule
        for rule in rules
        if (not chosen or rule.code.lower() in chosen or rule.slug in chosen)
        and rule.code.lower() not in dropped
        and rule.slug not in dropped
    ]
