"""Rule settings: values a rule area declares for its rules in its package's ``SETTINGS``
(``rules/network/__init__.py``: ``public-ports``), each with its default and its check.  The configuration
file takes them as keys, rules read them by name, and nothing else lists them."""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable


@dataclass(frozen=True)
class RuleSetting:
    default: Any
    check: Callable[[Any], Any]  # the raw value (TOML or parsed command line) -> the value, or ValueError
    help: str


def ports(value: Any) -> tuple[int, ...]:
    """A list of port numbers, 0 to 65535."""
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, int) and not isinstance(v, bool) for v in value):
        raise ValueError("must be a list of port numbers (0-65535)")
    outside = [str(v) for v in value if not 0 <= v <= 65535]
    if outside:
        raise ValueError(f"port {', '.join(outside)} is out of range (0-65535)")
    return tuple(value)


@lru_cache(maxsize=1)
def declared() -> dict[str, RuleSetting]:
    """Every rule setting, by name, from the rule areas' ``SETTINGS``."""
    import iaclint.rules as package

    found: dict[str, RuleSetting] = {}
    for info in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
        if info.ispkg:
            found.update(getattr(importlib.import_module(info.name), "SETTINGS", {}))
    return found


def defaults() -> dict[str, Any]:
    return {name: setting.default for name, setting in declared().items()}
