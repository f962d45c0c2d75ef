"""Write the credential formats iaclint recognises, read from the installed detect-secrets' plugins, to
``iaclint/credential_formats.json`` (package data read by ``iaclint.credentials``): a scan then needs
detect-secrets only to confirm a match, not to start.

    python tools/credential_formats.py            # rewrite the file from the installed detect-secrets
    python tools/credential_formats.py --check    # exit 1 if the file differs (the test does this)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generated import write_or_check  # noqa: E402
from iaclint.credential_formats import table  # noqa: E402

OUTPUT = ROOT / "iaclint" / "credential_formats.json"


def main(argv: list[str]) -> int:
    formats = table()
    return write_or_check(OUTPUT, json.dumps(formats, indent=1) + "\n", "the installed detect-secrets",
                          f"{len(formats['formats'])} formats", argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
