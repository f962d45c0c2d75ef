"""The README tells the truth where that is cheap to check: the "Try it" sample is the real output of its
command, and every option it mentions is one `iaclint --help` knows."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")
# The command installed beside the interpreter running the tests (a venv's bin/), else the one on PATH.
_BESIDE = Path(sys.executable).parent / "iaclint"
IACLINT = str(_BESIDE) if _BESIDE.exists() else shutil.which("iaclint")
if IACLINT is None:
    pytest.fail("the iaclint command is not installed (pip install -e '.[test]')", pytrace=False)

# Options of other programs that the README shows: cfn-lint's, and `aws cloudformation create-stack`'s.
FOREIGN_OPTIONS = {"--append-rules", "--list-rules", "--parameters"}


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([IACLINT, *args], cwd=REPO, capture_output=True, text=True, timeout=120)


def section(title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## )", README, re.M | re.S)
    assert match, f"README has no section {title!r}"
    return match.group(1)


def code_blocks(text: str) -> list[tuple[str, str]]:
    return re.findall(r"^```(\w*)\n(.*?)^```", text, re.M | re.S)


def test_try_it_shows_the_first_lines_of_the_real_output():
    blocks = code_blocks(section("Try it"))
    assert blocks[0] == ("sh", "python3 -m venv .venv && .venv/bin/pip install -q . && .venv/bin/iaclint examples/\n")
    shown = blocks[1][1].splitlines()
    assert shown[-1] == "…" and "…" not in "".join(shown[:-1]), "every line shown is whole, then one ellipsis"
    result = run("examples/")
    assert result.returncode == 1, result.stderr  # the README says so
    real = result.stdout.splitlines()
    assert shown[:-1] == real[:len(shown) - 1]
    assert len(real) > len(shown) - 1, "the ellipsis stands for lines that really follow"


def test_every_option_the_readme_mentions_exists():
    result = run("--help")
    assert result.returncode == 0, result.stderr
    known = set(re.findall(r"--[a-z][a-z-]*", result.stdout))
    mentioned = set()
    for option in re.findall(r"--(?:\[no-\])?[a-z][a-z-]*", README):
        if option.startswith("--[no-]"):
            mentioned.update({"--" + option[7:], "--no-" + option[7:]})
        else:
            mentioned.add(option)
    assert mentioned - FOREIGN_OPTIONS - known == set()
    assert FOREIGN_OPTIONS & known == set()


def test_the_subcommands_the_readme_shows_run():
    for command in (["rules"], ["config"], ["--version"]):
        result = run(*command)
        assert result.returncode == 0, (command, result.stderr)


def test_integration_snippets_paste_as_they_are():
    """Pre-commit, cfn-lint and the action name the published repository at the current release's tag."""
    from iaclint import __version__

    text = README
    assert "OWNER" not in text and "vX.Y.Z" not in text
    tag = f"v{__version__}"
    assert f"  - repo: https://github.com/iaclint/iaclint\n    rev: {tag}\n" in text
    assert f'"iaclint @ git+https://github.com/iaclint/iaclint@{tag}"' in text
    assert f"uses: iaclint/iaclint@{tag}" in text
    install = code_blocks(section("Install"))[0][1].splitlines()
    assert install[0] == f'pip install "iaclint @ git+https://github.com/iaclint/iaclint@{tag}"'
    assert install[2] == f'pip install "iaclint[cfn-lint] @ git+https://github.com/iaclint/iaclint@{tag}"'
    # Every `pip install "iaclint…"` names where from: iaclint is not on an index.
    for command in re.findall(r'pip install "iaclint[^"]*"', text):
        assert f" @ git+https://github.com/iaclint/iaclint@{tag}" in command, command
