"""Installed versions of the libraries iaclint's results depend on, read cheaply.

``importlib.metadata`` takes ~40 ms for its first answer (it reads every distribution's metadata), more than a
small scan; the version is also in the name of each distribution's ``.dist-info`` folder, one directory listing
away.  Anything else (an ``.egg-info`` install, a zipped path) is asked of ``importlib.metadata``.
"""

from __future__ import annotations

import os
import re
import sys
from functools import lru_cache


@lru_cache(maxsize=None)
def installed_version(distribution: str) -> str | None:
    prefix = re.sub(r"[-_.]+", "_", distribution).lower() + "-"
    for entry in sys.path:
        for name in _names(entry or "."):
            folded = name.lower()
            if folded.startswith(prefix) and folded.endswith(".dist-info"):
                return name[len(prefix):-len(".dist-info")]
    from importlib import metadata

    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


@lru_cache(maxsize=None)
def _names(directory: str) -> tuple[str, ...]:
    try:
        return tuple(os.listdir(directory))
    except OSError:
        return ()
