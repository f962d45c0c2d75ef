"""Writing a file generated from an installed library, or checking that the committed one is current."""

from __future__ import annotations

import sys
from pathlib import Path


def write_or_check(output: Path, text: str, source: str, summary: str, argv: list[str]) -> int:
    """With ``--check`` in ``argv``: 1 (and a message) when ``output`` does not hold ``text``, else 0.
    Otherwise write ``text`` to ``output`` and print ``summary``."""
    if "--check" in argv:
        if output.read_text(encoding="utf-8") != text:
            print(f"{output} is not what {source} gives: run {sys.argv[0]}")
            return 1
        return 0
    output.write_text(text, encoding="utf-8")
    print(f"{summary} → {output}")
    return 0
