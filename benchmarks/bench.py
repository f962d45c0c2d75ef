"""Benchmark: how fast iaclint scans a corpus (default ../shared/corpus), cold and warm, in one and in several
processes, against the bare parse time of the same files.

    python benchmarks/bench.py [CORPUS] [--repeat N]

Prints, in one run: files, findings and errors; cold wall time (an empty cache) with `--jobs 1` and with the
default jobs; the parse floor (PyYAML's C loader and python-hcl2 over the same files, one process); a warm
re-run with nothing changed; a re-run after one `.tf` file changed; the peak memory of the largest process;
and the times of one small YAML template and one small `.tf` file (best of 5, with `--no-cache`).  The cold
runs and the floor are measured N times (default 3), interleaved, and the best of each is reported with the
range: on a shared machine the same work can take 25% longer from one minute to the next.  The corpus is
copied to a temporary directory first (the one-file change is made there) and every run is a fresh
`iaclint` command, as a user would run it.
It runs the `iaclint` beside the interpreter: run it with a regular install's Python to measure what users
get (an editable install adds its import finder to every start, ~10 ms of each one-file time).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_CORPUS = os.path.join(ROOT, "..", "shared", "corpus")
IACLINT = os.path.join(os.path.dirname(sys.executable), "iaclint")

# Run in a fresh interpreter: one command, its wall time and the largest resident size among it and its
# children (pool workers roll up into it when it waits for them).
_MEASURE = """
import json, resource, subprocess, sys, time
started = time.perf_counter()
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
elapsed = time.perf_counter() - started
print(json.dumps({"seconds": elapsed, "returncode": done.returncode, "stdout": done.stdout,
                  "peak_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""

# The parse floor: read and parse every file iaclint would, with nothing else.
_PARSE = """
import json, sys, time
started = time.perf_counter()
import yaml
from iaclint.discover import discover
targets = discover(sys.argv[1:])
loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

class Tolerant(loader):  # CloudFormation's short forms (!Ref) as plain nodes
    pass

Tolerant.add_multi_constructor("!", lambda loader, suffix, node: None)
files = list(targets.templates) + [name for names in targets.terraform.values() for name in names]
for name in files:
    try:
        text = open(name, encoding="utf-8", errors="replace").read()
        if name.endswith((".tf.json", ".tfvars.json")):
            json.loads(text)
        elif name.endswith((".tf", ".tfvars")):
            import hcl2
            hcl2.loads(text)
        else:
            yaml.load(text, Loader=Tolerant)
    except Exception:
        pass
print(json.dumps({"seconds": time.perf_counter() - started, "files": len(files)}))
"""


# As installed for a user: Python may cache compiled modules (PYTHONDONTWRITEBYTECODE, set in some sandboxes,
# makes every start compile iaclint anew: ~0.1 s of each one-file time).
ENVIRONMENT = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def measure(*command: str, cwd: str) -> dict:
    result = subprocess.run([sys.executable, "-c", _MEASURE, *command], cwd=cwd, env=ENVIRONMENT,
                            capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def main() -> int:
    arguments = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    arguments.add_argument("corpus", nargs="?", default=DEFAULT_CORPUS)
    arguments.add_argument("--repeat", type=int, default=3, metavar="N",
                           help="cold runs and parse floors measured N times, interleaved; the best is reported")
    options = arguments.parse_args()
    corpus = os.path.abspath(options.corpus)
    import compileall

    compileall.compile_dir(os.path.join(ROOT, "iaclint"), quiet=1)
    compileall.compile_dir(os.path.join(ROOT, "rules"), quiet=1)
    with tempfile.TemporaryDirectory(prefix="iaclint-bench-") as scratch:
        tree = os.path.join(scratch, "corpus")
        shutil.copytree(corpus, tree, symlinks=True)
        scan = [IACLINT, "--format", "json", "."]

        ones, defaults, floors = [], [], []
        for round_number in range(options.repeat):  # each cold run starts from an empty cache of its own
            ones.append(measure(*scan, "--cache-dir", os.path.join(scratch, f"cache-one-{round_number}"),
                                "--jobs", "1", cwd=tree))
            cache = os.path.join(scratch, f"cache-{round_number}")
            defaults.append(measure(*scan, "--cache-dir", cache, cwd=tree))
            floors.append(json.loads(subprocess.run([sys.executable, "-c", _PARSE, "."], cwd=tree,
                                                    env=ENVIRONMENT, capture_output=True, text=True,
                                                    check=True).stdout))
        one, default, floor = (min(runs, key=lambda run: run["seconds"]) for runs in (ones, defaults, floors))
        warm = measure(*scan, "--cache-dir", cache, cwd=tree)
        changed_file = _a_tf_file(tree)
        with open(changed_file, "a", encoding="utf-8") as stream:
            stream.write("\n# changed\n")
        changed = measure(*scan, "--cache-dir", cache, cwd=tree)
        small_yaml, small_tf = _small_files(scratch)
        yaml_time = min(measure(IACLINT, "--no-cache", small_yaml, cwd=scratch)["seconds"] for _ in range(5))
        tf_time = min(measure(IACLINT, "--no-cache", small_tf, cwd=scratch)["seconds"] for _ in range(5))
        version = min(measure(IACLINT, "--version", cwd=scratch)["seconds"] for _ in range(5))

    report = json.loads(one["stdout"])
    same = all(json.loads(run["stdout"])["findings"] == report["findings"] for run in (*ones, *defaults, warm))
    by_code: dict[str, int] = {}
    for finding in report["findings"]:
        by_code[finding["code"]] = by_code.get(finding["code"], 0) + 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"corpus:                 {corpus}")
    print(f"files scanned:          {report['summary']['files']} ({floor['files']} parsed for the floor)")
    print(f"findings:               {len(report['findings'])}  {dict(sorted(by_code.items()))}")
    print(f"errors:                 {len(report['errors'])}")
    print(f"same findings:          {'yes' if same else 'NO'} (jobs 1, default jobs, warm)")
    print(f"cold, --jobs 1:         {one['seconds']:.2f} s  {_spread(ones)}")
    print(f"cold, default jobs:     {default['seconds']:.2f} s  {_spread(defaults)}  ({cores} cores; "
          f"{default['seconds'] / floor['seconds']:.2f}x the parse floor)")
    print(f"parse floor:            {floor['seconds']:.2f} s  {_spread(floors)}  (PyYAML C loader + python-hcl2, "
          f"one process)")
    print(f"warm, nothing changed:  {warm['seconds']:.2f} s")
    print(f"one .tf file changed:   {changed['seconds']:.2f} s  ({os.path.relpath(changed_file, tree)})")
    print(f"peak memory:            {max(run['peak_mib'] for run in defaults):.0f} MiB (largest process; "
          f"jobs 1: {max(run['peak_mib'] for run in ones):.0f} MiB)")
    print(f"one small YAML file:    {yaml_time:.2f} s")
    print(f"one small .tf file:     {tf_time:.2f} s")
    print(f"iaclint --version:      {version * 1000:.0f} ms")
    return 0


def _spread(runs: list[dict]) -> str:
    """The best of the runs is reported: on a shared machine the others are the same work, slowed down."""
    seconds = sorted(run["seconds"] for run in runs)
    return f"(best of {len(seconds)}; {seconds[0]:.2f}-{seconds[-1]:.2f})" if len(seconds) > 1 else ""


def _a_tf_file(tree: str) -> str:
    """A root module's file, the same one every time: the first `.tf` in sorted order."""
    for folder, folders, names in sorted(os.walk(tree)):
        folders.sort()
        for name in sorted(names):
            if name.endswith(".tf"):
                return os.path.join(folder, name)
    raise SystemExit("no .tf file in the corpus")


def _small_files(scratch: str) -> tuple[str, str]:
    yaml_file = os.path.join(scratch, "small.yaml")
    with open(yaml_file, "w", encoding="utf-8") as stream:
        stream.write("Resources:\n  SG:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n"
                     "      GroupDescription: web\n      SecurityGroupIngress:\n"
                     "        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}\n")
    tf_dir = os.path.join(scratch, "small-tf")
    os.makedirs(tf_dir)
    tf_file = os.path.join(tf_dir, "main.tf")
    with open(tf_file, "w", encoding="utf-8") as stream:
        stream.write('resource "aws_security_group" "web" {\n  ingress {\n    from_port   = 22\n    to_port     = 22\n'
                     '    protocol    = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n')
    return yaml_file, tf_file


if __name__ == "__main__":
    raise SystemExit(main())
