"""``--diff BASE``: report only the findings that are new compared with a git revision.

Both trees are scanned and their findings matched by the baseline's fingerprint (rule, file, resource,
property path, occurrence), never by changed lines: a value changed in another file, a deleted setting or a
new tfvars line makes a new finding whose own lines did not change, and moved lines make none.

Only the units a change can affect are scanned again, in both trees: those that read a changed file (a
template and the templates it nests, a module directory with its child modules, tfvars and ``file()``
targets).  BASE is read from ``git archive`` into a temporary directory; the user's checkout, index and
``.git`` are never touched.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from typing import Callable, Iterator

from .gitrepo import GitError, run_git, toplevel


class DiffError(Exception):
    pass


@dataclass(frozen=True)
class Change:
    """What changed in the checkout ``top`` since ``base``: the real paths of every file added, modified,
    deleted or renamed (staged or not), and of untracked files."""

    base: str
    top: str
    files: frozenset[str]


def changes_since(base: str, cwd: str = ".") -> Change:
    top = toplevel(cwd)
    if top is None:
        raise DiffError(f"--diff needs a git checkout, and {os.path.abspath(cwd)} is not inside one")
    if not base or base.startswith("-"):
        raise DiffError(f"--diff: {base!r} is not a git revision")
    try:
        run_git(["rev-parse", "--verify", "--quiet", f"{base}^{{commit}}"], top)
    except GitError:
        raise DiffError(f"--diff: unknown git revision {base!r} (fetch it, e.g. `git fetch origin {base}`, "
                        "or check out with fetch-depth: 0)") from None
    try:
        changed = run_git(["-c", "core.quotepath=off", "diff", "--name-only", "--no-renames", "-z", base, "--"], top)
        untracked = run_git(["ls-files", "--others", "--exclude-standard", "-z"], top)
    except GitError as exc:
        raise DiffError(f"--diff: git failed: {exc}") from None
    names = [name for name in (changed + untracked).split("\0") if name]
    return Change(base, top, frozenset(os.path.realpath(os.path.join(top, name)) for name in names))


# scan(paths, tree): scan paths of the working tree (tree None) or of BASE extracted in ``tree``, with the
# configuration that governs them there.
ScanTree = Callable[[list[str], "str | None"], object]


def only_new(report, change: Change, scan: ScanTree) -> None:
    """Narrow ``report`` (of the working tree) to the findings, notes and suppressed findings BASE does
    not have; count what was left out in ``report.existing``.  Errors and warnings are kept."""
    report.compared_with = change.base
    affected = affected_units(report.units, change)
    kinds = ("findings", "notes", "suppressed")
    new: dict[str, set[str]] = {kind: set() for kind in kinds}
    if affected:
        head = scan(affected, None)
        with _extracted(change) as tree:
            base = scan([_in_tree(unit, change.top, tree) for unit in affected], tree)
        new = {kind: set(_fingerprints(getattr(head, kind), change.top).values())
                     - set(_fingerprints(getattr(base, kind), tree).values()) for kind in kinds}
    before = len(report.findings)
    for kind in kinds:
        fingerprints = _fingerprints(getattr(report, kind), change.top)
        setattr(report, kind, [item for item in getattr(report, kind) if fingerprints[id(item)] in new[kind]])
    report.existing = before - len(report.findings)


def affected_units(units: dict[str, set[str]], change: Change) -> list[str]:
    """The units that read a changed file or a file beside one, in scan order: a deleted terraform.tfvars
    is no longer read, yet its module's findings change."""
    changed_folders = {os.path.dirname(path) for path in change.files}
    affected = []
    for unit, read in units.items():
        real = {os.path.realpath(path) for path in read}
        if real & change.files or {os.path.dirname(path) for path in real} & changed_folders:
            affected.append(unit)
    return affected


def _fingerprints(findings: list, root: str) -> dict[int, str]:
    """id(finding) -> its baseline fingerprint, file names taken relative to ``root``."""
    from .baseline import entries

    return {id(finding): entry["fingerprint"] for entry, finding in entries(findings, root)}


def _in_tree(path: str, top: str, tree: str) -> str:
    """Where ``path`` of the checkout is in the extracted tree of BASE."""
    return os.path.join(tree, os.path.relpath(os.path.realpath(path), top))


@contextlib.contextmanager
def _extracted(change: Change) -> Iterator[str]:
    """A temporary directory holding BASE's tree (``git archive``), removed afterwards."""
    git = shutil.which("git")
    if git is None:
        raise DiffError("--diff: git is not installed")
    directory = tempfile.mkdtemp(prefix="iaclint-base-")
    try:
        process = subprocess.Popen([git, "archive", "--format=tar", change.base], cwd=change.top,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=dict(os.environ, LC_ALL="C"))
        try:
            with tarfile.open(fileobj=process.stdout, mode="r|") as archive:
                _extract(archive, directory)
        finally:
            _, error = process.communicate()
        if process.returncode != 0:
            raise DiffError(f"--diff: git archive failed: {error.decode('utf-8', 'replace').strip()}")
        yield directory
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def _extract(archive: tarfile.TarFile, directory: str) -> None:
    data_filter = getattr(tarfile, "data_filter", None)
    for member in archive:
        if data_filter is not None:
            archive.extract(member, directory, filter="data")
        elif member.isfile() or member.isdir():  # Python without extraction filters: plain files only
            target = os.path.realpath(os.path.join(directory, member.name))
            if target.startswith(os.path.realpath(directory) + os.sep):
                archive.extract(member, directory)
