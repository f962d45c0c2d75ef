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

from iaclint.credential_formats import table  # noqa: E402

OUTPUT = ROOT / "iaclint" / "credential_formats.json"


def main(argv: list[str]) -> int:
    text = json.dumps(table(), indent=1) + "\n"
    if "--check" in argv:
        if OUTPUT.read_text(encoding="utf-8") != text:
            print(f"{OUTPUT} is not what the installed detect-secrets gives: run {sys.argv[0]}")
            return 1
        return 0
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"{len(json.loads(text)['formats'])} formats → {OUTPUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
