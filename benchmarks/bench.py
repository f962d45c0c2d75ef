"""Benchmark: scan a corpus (default ../shared/corpus) and print files, findings, wall time and peak memory.

    python benchmarks/bench.py [PATH ...]

Each measurement runs in a fresh interpreter so that start-up and peak memory are the real ones.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_CORPUS = os.path.join(ROOT, "..", "shared", "corpus")

_SCAN = """
import json, resource, sys, time
started = time.perf_counter()
from iaclint import scan
report = scan(sys.argv[1:])
elapsed = time.perf_counter() - started
by_code = {}
for finding in report.findings:
    by_code[finding.code] = by_code.get(finding.code, 0) + 1
print(json.dumps({
    "files": report.files_scanned, "findings": len(report.findings), "errors": len(report.errors),
    "by_code": dict(sorted(by_code.items())), "seconds": elapsed,
    "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
"""


def main() -> int:
    paths = sys.argv[1:] or [DEFAULT_CORPUS]
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "iaclint", "--version"], check=True, capture_output=True)
    startup = time.perf_counter() - started
    result = subprocess.run([sys.executable, "-c", _SCAN, *paths], capture_output=True, text=True)
    if result.returncode != 0:
        print(result.stderr, file=sys.stderr)
        return 1
    figures = json.loads(result.stdout)
    print(f"corpus:        {', '.join(paths)}")
    print(f"files scanned: {figures['files']}")
    print(f"findings:      {figures['findings']}  {figures['by_code']}")
    print(f"errors:        {figures['errors']}")
    print(f"wall time:     {figures['seconds']:.2f} s  ({figures['files'] / max(figures['seconds'], 1e-9):.0f} files/s)")
    print(f"peak memory:   {figures['peak_mib']:.0f} MiB")
    print(f"start-up:      {startup * 1000:.0f} ms for `iaclint --version`")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
