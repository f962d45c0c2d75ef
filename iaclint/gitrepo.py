"""Ask git where the repository is.  git runs with a list argv (never a shell) and a clean locale."""

from __future__ import annotations

import os
import shutil
import subprocess


class GitError(Exception):
    """git is missing, the directory is not a checkout, or a git command failed."""


def run_git(args: list[str], cwd: str) -> str:
    git = shutil.which("git")
    if git is None:
        raise GitError("git is not installed")
    env = dict(os.environ, LC_ALL="C", GIT_PAGER="cat")
    try:
        done = subprocess.run([git, *args], cwd=cwd, env=env, capture_output=True, check=False)
    except OSError as exc:
        raise GitError(f"cannot run git: {exc}") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(message[-1] if message else f"git {args[0]} failed")
    return done.stdout.decode("utf-8", "surrogateescape")


def toplevel(cwd: str = ".") -> str | None:
    """The top-level directory of the git checkout that holds ``cwd``, or None outside one."""
    try:
        return os.path.realpath(run_git(["rev-parse", "--show-toplevel"], cwd).strip())
    except GitError:
        return None


def source_root(cwd: str = ".") -> str:
    """What report paths are relative to: the git top-level inside a checkout, else the working directory."""
    return toplevel(cwd) or os.path.realpath(cwd)


def relative_uri(path: str, root: str) -> str | None:
    """``path`` relative to ``root`` with forward slashes, or None when it lies outside ``root``."""
    relative = os.path.relpath(os.path.realpath(path), root)
    if relative == os.pardir or relative.startswith(os.pardir + os.sep) or os.path.isabs(relative):
        return None
    return relative.replace(os.sep, "/")
