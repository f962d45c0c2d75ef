"""The progress line: on an interactive terminal only (a pseudo-terminal here), for scans longer than a
second, cleared at the end; never in CI or piped output.  Through the installed command."""

from __future__ import annotations

import os
import pty
import subprocess
from pathlib import Path

import pytest

from iaclint.progress import CI_VARIABLES
from test_cli import IACLINT

CLEAR = "\r\033[K"


def _module(directory: Path, groups: int) -> None:
    directory.mkdir()
    with (directory / "main.tf").open("w") as handle:
        for index in range(groups):
            handle.write(f'resource "aws_security_group" "g{index}" {{\n  ingress {{\n    from_port = 22\n'
                         f'    to_port = 22\n    protocol = "tcp"\n    cidr_blocks = ["10.0.0.0/8"]\n  }}\n}}\n')


def _on_terminal(*args: str, cwd: Path, **env: str) -> tuple[str, str]:
    """(standard output, what the terminal on standard error showed)."""
    environment = {name: value for name, value in os.environ.items() if name not in CI_VARIABLES}
    environment.update(env)
    controller, terminal = pty.openpty()
    try:
        process = subprocess.Popen([IACLINT, *args], cwd=cwd, stdout=subprocess.PIPE, stderr=terminal,
                                   env=environment)
        os.close(terminal)
        output, _ = process.communicate(timeout=120)
        shown = b""
        while True:
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # the terminal's other end is closed: all was read
                break
            if not chunk:
                break
            shown += chunk
    finally:
        os.close(controller)
    return output.decode(), shown.decode()


@pytest.mark.slow
def test_a_long_scan_shows_progress_on_a_terminal_only(tmp_path: Path) -> None:
    _module(tmp_path / "big", 2000)  # seconds to evaluate
    (tmp_path / "t.yaml").write_text("Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n")
    expected = "0 findings in 2 files scanned\n"
    output, shown = _on_terminal("--no-cache", "-j", "1", "big", "t.yaml", cwd=tmp_path)
    assert output == expected
    lines = [line for line in shown.split(CLEAR) if line]
    assert lines and set(lines) <= {"iaclint: 0/2 files, t.yaml", "iaclint: 1/2 files, module big",
                                    "iaclint: 2/2 files, module big"}
    assert "iaclint: 1/2 files, module big" in lines
    assert shown.endswith(CLEAR)  # the line is gone when the report is written
    assert _on_terminal("--no-cache", "-j", "1", "big", "t.yaml", cwd=tmp_path, CI="true") == (expected, "")
    piped = subprocess.run([IACLINT, "--no-cache", "big", "t.yaml"], cwd=tmp_path, capture_output=True, text=True,
                           timeout=120)
    assert (piped.stdout, piped.stderr) == (expected, "")


def test_a_quick_scan_shows_nothing(tmp_path: Path) -> None:
    (tmp_path / "t.yaml").write_text("Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n")
    assert _on_terminal("--no-cache", "t.yaml", cwd=tmp_path) == ("0 findings in 1 file scanned\n", "")
