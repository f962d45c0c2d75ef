"""Every annotated fixture under fixtures/ is scanned and checked in both directions per (file, line, rule)."""

from __future__ import annotations

import os
import shutil
from collections import defaultdict
from pathlib import Path

import pytest

from annotations import blank_json_annotations, read_annotations
from iaclint import scan

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SCANNED_SUFFIXES = (".yaml", ".yml", ".json", ".template", ".tf")
# Fixture trees that need options of their own are checked by their own tests.
OWN_TESTS = {"suppressions", "options"}


def _fixture_files() -> list[str]:
    files = []
    for path in sorted(FIXTURES.rglob("*")):
        relative = path.relative_to(FIXTURES)
        if path.is_file() and path.name.endswith(SCANNED_SUFFIXES) and relative.parts[0] not in OWN_TESTS:
            if read_annotations(path.read_text()).mentioned or "expect-none" in path.read_text():
                files.append(relative.as_posix())
    return files


@pytest.fixture(scope="session")
def fixture_findings(tmp_path_factory) -> dict[str, set[tuple[int, str]]]:
    """Scan a copy of fixtures/ (JSON annotation lines blanked) once; findings by relative file."""
    root = tmp_path_factory.mktemp("fixtures")
    for path in FIXTURES.rglob("*"):
        if path.is_file():
            target = root / path.relative_to(FIXTURES)
            target.parent.mkdir(parents=True, exist_ok=True)
            if path.suffix == ".json":
                target.write_text(blank_json_annotations(path.read_text()))
            else:
                shutil.copyfile(path, target)
    scanned = [str(root / name) for name in os.listdir(root) if name not in OWN_TESTS]
    report = scan(scanned)
    by_file: dict[str, set[tuple[int, str]]] = defaultdict(set)
    for finding in report.findings:
        by_file[Path(finding.file).relative_to(root).as_posix()].add((finding.line, finding.slug))
    by_file["<errors>"] = {(e.line or 0, f"{Path(e.file).relative_to(root)}: {e.message}") for e in report.errors
                           if "invalid" not in Path(e.file).name}
    return by_file


@pytest.mark.parametrize("relative", _fixture_files())
def test_fixture(relative: str, fixture_findings) -> None:
    expectations = read_annotations((FIXTURES / relative).read_text())
    found = fixture_findings.get(relative, set())
    missed = expectations.ruleid - found
    unexpected = {(line, slug) for line, slug in found if (line, slug) not in expectations.ruleid}
    unexpected -= expectations.todook
    fixed_todos = expectations.todoruleid & found
    assert not missed and not unexpected and not fixed_todos, (
        f"{relative}\n  missed lines: {sorted(missed)}\n  unexpected lines: {sorted(unexpected)}"
        f"\n  todoruleid now found (promote to ruleid): {sorted(fixed_todos)}"
    )


def test_fixtures_scan_without_errors(fixture_findings) -> None:
    """Only fixtures named *invalid* may fail to parse."""
    assert fixture_findings["<errors>"] == set()
