"""A short, fixed-seed run of the shared mutation fuzzer (../shared/fuzz): a new class of crash, internal
error, hang, lost file, secret leak or nondeterminism shows up in CI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

FUZZER = Path(__file__).resolve().parent.parent.parent / "shared" / "fuzz" / "fuzz.py"
# What must never happen.  An error without a line is one too, but for the documented size limit: an error
# of the whole file.
NEVER = {"crash", "internal-error", "hang", "memory", "invalid-output", "lost-other-file", "secret-leak",
         "nondeterminism"}
SIZE_LIMIT = "noline:file is larger than"


@pytest.mark.slow
def test_a_short_fuzz_run_finds_nothing(tmp_path: Path) -> None:
    assert FUZZER.is_file(), f"the shared fuzzer is missing: {FUZZER}"
    done = subprocess.run([sys.executable, str(FUZZER), "--out", str(tmp_path / "out"), "--seed", "7",
                           "--max-inputs", "120", "--minutes", "1", "--reduce-minutes", "0",
                           "--extra-seeds", str(Path(__file__).resolve().parent.parent / "fixtures")],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    stats = json.loads((tmp_path / "out" / "stats.json").read_text())
    found = {name: count for name, count in stats["classes"].items() if name in NEVER and count}
    found.update({signature: count for signature, count in stats["signatures"].items()
                  if signature.startswith("noline:") and not signature.startswith(SIZE_LIMIT)})
    assert found == {}, json.dumps(stats["examples"], indent=1)[:3000]
