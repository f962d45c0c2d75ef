"""Reading the files a scan is asked about: bounded, never blocking on a pipe or device, text only."""

from __future__ import annotations

import codecs
import os
import stat

from .findings import InputError

MAX_FILE_BYTES = 20 * 1024 * 1024


class FileTooLarge(InputError):
    """A file over `MAX_FILE_BYTES`: not read at all."""


def read_text(path: str) -> str:
    """A file's text; `InputError` for what cannot be read as text (too large, binary, not UTF-8, not a
    regular file)."""
    # Process substitution (`--var-file <(sops -d prod.tfvars)`) names a pipe the user opened on purpose.
    # Not standard input/output: a configuration file in the repository could name /dev/fd/0 too.
    deliberate_pipe = (path.startswith(("/dev/fd/", "/proc/self/fd/"))
                       and os.path.basename(path) not in ("0", "1", "2"))
    try:
        # Non-blocking, so that opening a FIFO named like a template returns at once instead of waiting
        # for a writer forever; the type check below then refuses it (and devices, directories).
        blocking = 0 if deliberate_pipe else getattr(os, "O_NONBLOCK", 0)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0) | blocking)
        with os.fdopen(fd, "rb") as handle:
            status = os.fstat(handle.fileno())
            if not (stat.S_ISREG(status.st_mode) or (deliberate_pipe and stat.S_ISFIFO(status.st_mode))):
                raise InputError("not a regular file (a directory, pipe or device); not scanned")
            # Read one byte past the limit: a file may grow between the stat and the read.
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}") from None
    if len(data) > MAX_FILE_BYTES:
        raise FileTooLarge(f"file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB; not scanned")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Editors on Windows save UTF-16 with a byte-order mark: it is text, not a binary file.
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError("file is not valid UTF-16 text") from None
    nul = data.find(b"\x00")
    if nul >= 0:
        raise InputError("binary file (contains NUL bytes); not scanned", data[:nul].count(b"\n") + 1)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError("file is not valid UTF-8 text", line) from None
