"""Shared by the integration tests (issue 5): fixture paths, running the command, throw-away git repos."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "tests" / "data" / "integrations"
GIT_ENV = {
    "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
    "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid",
    "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull,
}
STACK = [  # (line, code) of every finding in cfn/stack.yaml
    (15, "IAC201"), (16, "IAC103"), (20, "IAC102"), (22, "IAC101"), (29, "IAC301"), (38, "IAC001"),
]


def iaclint(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "iaclint", *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, check=False)


def git(*args: str, cwd: Path) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, **GIT_ENV}, check=True)
    return done.stdout


def make_repo(path: Path, *fixtures: str) -> Path:
    """A git repository holding copies of fixture folders (relative to DATA), committed."""
    path.mkdir(parents=True, exist_ok=True)
    git("init", "-q", "-b", "main", cwd=path)
    for name in fixtures:
        shutil.copytree(DATA / name, path / name)
    git("add", "-A", cwd=path)
    git("commit", "-q", "-m", "base", cwd=path)
    return path


def finding_lines(stdout: str) -> list[tuple[str, int, str]]:
    """(file, line, code) of each text-format finding line."""
    found = []
    for line in stdout.splitlines():
        parts = line.split(":", 3)
        if len(parts) == 4 and parts[1].isdigit() and parts[3].strip().startswith("IAC"):
            found.append((parts[0], int(parts[1]), parts[3].split()[0]))
    return found
