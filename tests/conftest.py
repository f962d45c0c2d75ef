"""What every test shares: the cache that `iaclint` runs keep between runs, and the key that signs its
entries, live in this session's temporary directory, never in the repository (many tests scan its
fixtures in place) nor in the user's home."""

from __future__ import annotations

import os

import pytest


@pytest.fixture(scope="session", autouse=True)
def _cache_outside_the_repository(tmp_path_factory: pytest.TempPathFactory):
    home = tmp_path_factory.mktemp("user-cache")
    saved = {name: os.environ.get(name) for name in ("IACLINT_CACHE_DIR", "XDG_CACHE_HOME")}
    os.environ["IACLINT_CACHE_DIR"] = str(home / "iaclint-results")
    os.environ["XDG_CACHE_HOME"] = str(home)
    yield
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
