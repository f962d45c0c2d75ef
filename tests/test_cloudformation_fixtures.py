"""The CloudFormation fixtures, end to end: every ``ruleid`` annotation is reported on the line below it
and nothing else is; YAML fixtures and their JSON twins give the same findings; no file is an error.

JSON fixtures hold their annotations as ``// ruleid: …`` lines, blanked to spaces before scanning so that
every line number stays true.  The whole tree is copied and scanned at once, so nested stacks and CDK
output are found the way a user's scan finds them.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from tests.cloudformation_twins import twin

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures" / "cloudformation"
_ANNOTATION = re.compile(r"^\s*(?:#|//)\s*((?:todo)?(?:ruleid|ok)):\s*(\S+)\s*$")
SUFFIXES = (".yaml", ".yml", ".json", ".template")

engine = pytest.importorskip("iaclint.engine")


def _annotations(text: str) -> dict[tuple[int, str], str]:
    """(line, slug) -> kind, for the line each annotation stands above."""
    found: dict[tuple[int, str], str] = {}
    pending: list[tuple[str, str]] = []
    for number, line in enumerate(text.splitlines(), 1):
        match = _ANNOTATION.match(line)
        if match:
            pending.append((match.group(1), match.group(2)))
        elif line.strip() and not line.strip().startswith("#"):
            for kind, slug in pending:
                found[(number, slug)] = kind
            pending = []
    return found


def _blank_json_comments(text: str) -> str:
    return "\n".join(" " * len(line) if line.lstrip().startswith("//") else line for line in text.split("\n"))


@pytest.fixture(scope="module")
def scanned(tmp_path_factory):
    copy = tmp_path_factory.mktemp("fixtures") / "cloudformation"
    shutil.copytree(FIXTURES, copy)
    for path in copy.rglob("*.json"):
        path.write_text(_blank_json_comments(path.read_text()))
    from iaclint.options import ScanOptions

    report = engine.scan([str(copy)], ScanOptions(scan_roots=(str(copy),)))
    findings: dict[str, set[tuple[int, str]]] = {}
    for finding in report.findings:
        relative = os.path.relpath(finding.file, copy)
        findings.setdefault(relative, set()).add((finding.line, finding.slug))
    errors = [f"{os.path.relpath(e.file, copy)}:{e.line}: {e.message}" for e in report.errors]
    return findings, errors


def _fixture_files() -> list[str]:
    return sorted(str(p.relative_to(FIXTURES)) for p in FIXTURES.rglob("*") if p.suffix in SUFFIXES)


def test_no_fixture_is_an_error(scanned):
    _, errors = scanned
    assert errors == []


@pytest.mark.parametrize("relative", _fixture_files())
def test_fixture_annotations(relative, scanned):
    findings, _ = scanned
    annotations = _annotations((FIXTURES / relative).read_text())
    found = findings.get(relative, set())
    expected = {key for key, kind in annotations.items() if kind == "ruleid"}
    tolerated = {key for key, kind in annotations.items() if kind in ("ruleid", "todook")}
    missed = sorted(expected - found)
    unexpected = sorted(found - tolerated)
    assert (missed, unexpected) == ([], []), f"{relative}: missed lines {missed}, unexpected lines {unexpected}"


def test_no_findings_outside_annotated_fixtures(scanned):
    findings, _ = scanned
    assert not [f for f in findings if f.startswith("not-templates") or "asset." in f]


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.rglob("*.yaml") if p.with_suffix(".json").exists()))
def test_json_twin_is_up_to_date(name):
    (path,) = [p for p in FIXTURES.rglob(name)]
    expected = twin(path.read_text(), str(path))
    actual = path.with_suffix(".json").read_text()
    if path.parent.name == "nested" or path.parent.name == "stacks":
        actual = actual.replace(".json", ".yaml")
    assert actual == expected, f"regenerate with: PYTHONPATH=. python tests/cloudformation_twins.py {path}"


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.rglob("*.yaml") if p.with_suffix(".json").exists()))
def test_yaml_and_json_twins_give_the_same_findings(name, scanned):
    findings, _ = scanned
    (path,) = [p for p in FIXTURES.rglob(name)]
    yaml_relative = str(path.relative_to(FIXTURES))
    json_relative = str(path.with_suffix(".json").relative_to(FIXTURES))
    yaml_annotations = _annotations(path.read_text())
    json_annotations = _annotations(path.with_suffix(".json").read_text())

    def by_annotation(found, annotations):
        # Lines differ between the twins; what is reported, annotation by annotation, must not.
        order = sorted(annotations)
        return sorted((order.index(key) if key in annotations else -1, key[1]) for key in found)

    assert by_annotation(findings.get(yaml_relative, set()), yaml_annotations) == \
        by_annotation(findings.get(json_relative, set()), json_annotations)
