"""The package list, worked out from the folders: a new rule area (a folder under rules/ with an
__init__.py) ships without editing any list.  Everything else is in pyproject.toml."""

from pathlib import Path

from setuptools import setup

ROOT = Path(__file__).resolve().parent


def packages(folder: str, name: str) -> list[str]:
    base = ROOT / folder
    return sorted(".".join((name, *init.parent.relative_to(base).parts)) for init in base.rglob("__init__.py"))


setup(packages=packages("iaclint", "iaclint") + packages("rules", "iaclint.rules"))
