"""Write ``docs/rules/``: one Markdown page per rule (``<slug>.md``) and the index (``README.md``), from the
rule modules' docstrings and the retired codes in ``iaclint/ledger.py``.  Pages of rules that no longer
exist are deleted.  With iaclint installed (``pip install -e .``)::

    python tools/rule_pages.py            # rewrite the pages
    python tools/rule_pages.py --check    # exit 1, naming the stale pages, if they differ (the test does this)
"""

from __future__ import annotations

import sys
from pathlib import Path

from iaclint.catalog import all_rules
from iaclint.ledger import RETIRED
from iaclint.rule_docs import pages

FOLDER = Path(__file__).resolve().parent.parent / "docs" / "rules"


def stale(wanted: dict[str, str]) -> list[str]:
    """The file names under docs/rules/ that differ from what the docstrings give, are missing, or are left over."""
    present = {path.name: path.read_text(encoding="utf-8") for path in FOLDER.glob("*.md")}
    return sorted(name for name in wanted.keys() | present.keys() if wanted.get(name) != present.get(name))


def main(argv: list[str]) -> int:
    wanted = pages(all_rules(), RETIRED)
    differing = stale(wanted)
    if "--check" in argv:
        if differing:
            print(f"docs/rules/ is not current ({', '.join(differing)}); run python tools/rule_pages.py")
            return 1
        return 0
    FOLDER.mkdir(parents=True, exist_ok=True)
    for name in differing:
        if name in wanted:
            (FOLDER / name).write_text(wanted[name], encoding="utf-8")
        else:
            (FOLDER / name).unlink()
    print(f"docs/rules/: {len(differing)} page{'s' if len(differing) != 1 else ''} written or removed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
