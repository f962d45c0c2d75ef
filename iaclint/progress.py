"""A progress line on standard error while a scan takes longer than a second: files done of the total and
the unit being judged.  Only on an interactive terminal, never in CI logs or piped output (which keep only
what is reported), and cleared when the scan ends."""

from __future__ import annotations

import os
import sys
import threading
import time
from typing import TextIO

from .units import CALLING_MODULE, MODULE, TEMPLATE, VAR_FILE, Unit

# Set by the common CI services (most set CI itself); their logs are not terminals, but some allocate one.
CI_VARIABLES = ("CI", "GITHUB_ACTIONS", "GITLAB_CI", "BUILDKITE", "JENKINS_URL", "TF_BUILD", "TEAMCITY_VERSION",
                "CIRCLECI", "TRAVIS", "CODEBUILD_BUILD_ID", "BITBUCKET_BUILD_NUMBER")
DELAY = 1.0  # seconds before the line first shows: quick scans print nothing
INTERVAL = 0.25  # seconds between redraws
_CLEAR = "\r\033[K"


class Progress:
    """Counts what the scan has judged; a background thread, started with the first units, draws the line."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.total = 0
        self.done = 0
        self.current = ""
        self._started = time.monotonic()
        self._shown = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def add(self, units: list[Unit]) -> None:
        self.total += sum(map(_files, units))
        if self._thread is None:
            self._thread = threading.Thread(target=self._draw_until_stopped, name="iaclint-progress", daemon=True)
            self._thread.start()

    def started(self, unit: Unit) -> None:
        self.current = f"module {unit.path}" if unit.kind in (MODULE, CALLING_MODULE) else unit.name

    def finished(self, unit: Unit) -> None:
        self.done += _files(unit)

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        if self._shown:
            self.stream.write(_CLEAR)
            self.stream.flush()

    def _draw_until_stopped(self) -> None:
        if self._stop.wait(max(0.0, DELAY - (time.monotonic() - self._started))):
            return
        while True:
            try:
                width = os.get_terminal_size(self.stream.fileno()).columns or 80  # 0: size never set
            except (OSError, ValueError):
                width = 80
            line = f"iaclint: {self.done}/{self.total} files, {self.current}"
            self.stream.write(_CLEAR + line[:max(width - 1, 10)])
            self.stream.flush()
            self._shown = True
            if self._stop.wait(INTERVAL):
                return


class NoProgress:
    """What a scan reports progress to when nobody watches."""

    def add(self, units: list[Unit]) -> None:
        pass

    def started(self, unit: Unit) -> None:
        pass

    def finished(self, unit: Unit) -> None:
        pass

    def close(self) -> None:
        pass


def on_terminal(stream: TextIO = sys.stderr) -> Progress | NoProgress:
    """A progress line on ``stream`` when a person is watching it, else nothing."""
    try:
        interactive = stream.isatty()
    except (AttributeError, ValueError):
        interactive = False
    if not interactive or os.environ.get("TERM") == "dumb" or any(os.environ.get(name) for name in CI_VARIABLES):
        return NoProgress()
    return Progress(stream)


def _files(unit: Unit) -> int:
    """The files a unit was asked about (a module read only for context counts none)."""
    if unit.kind == MODULE:
        return len(unit.files)
    return 1 if unit.kind in (TEMPLATE, VAR_FILE) else 0
