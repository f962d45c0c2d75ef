"""The one fixture harness: every annotated file under fixtures/ (templates, JSON twins, .tf, .tfvars, plan
JSON) is scanned, the whole tree at once as a user's scan would, and checked in both directions per
(file, line, rule); the grammar is in `annotations`.  CloudFormation YAML fixtures and their JSON twins must
also agree."""

from __future__ import annotations

import os
import shutil
from collections import defaultdict
from pathlib import Path

import pytest

from annotations import blank_json_annotations, read_annotations
from cloudformation_twins import twin
from iaclint import scan

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SCANNED_SUFFIXES = (".yaml", ".yml", ".json", ".template", ".tf", ".tfvars")
# Fixture trees that need options of their own are checked by their own tests.
OWN_TESTS = {"suppressions", "options", "account-baseline"}
# Generated JSON twins of the CloudFormation fixtures (tests/cloudformation_twins.py).
TWINS = sorted(path.relative_to(FIXTURES).as_posix() for path in (FIXTURES / "cloudformation").rglob("*.yaml")
               if path.with_suffix(".json").exists())


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
    scanned = [str(root / name) for name in sorted(os.listdir(root)) if name not in OWN_TESTS]
    report = scan(scanned)
    by_file: dict[str, set[tuple[int, str]]] = defaultdict(set)

    def relative(file: str) -> str:
        return Path(file).relative_to(root).as_posix()

    for finding in report.findings:
        by_file[relative(finding.file)].add((finding.line, finding.slug))
        for step in finding.origin:  # a .tfvars file holds no resource: its annotations speak of origins
            if step.loc.file.endswith((".tfvars", ".tfvars.json")):
                by_file[relative(step.loc.file)].add((step.loc.line, finding.slug))
    by_file["<errors>"] = {(e.line or 0, f"{relative(e.file)}: {e.message}") for e in report.errors
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


def test_every_tfvars_fixture_is_annotated() -> None:
    assert {"terraform/dynamic-ingress/terraform.tfvars", "terraform/tfvars-precedence/terraform.tfvars"} <= set(
        _fixture_files())


def test_no_findings_outside_annotated_fixtures(fixture_findings) -> None:
    """A file that is reported must say so: an unannotated fixture would hide what it reports."""
    reported = {file for file, found in fixture_findings.items() if found and file != "<errors>"}
    assert sorted(reported - set(_fixture_files())) == []


@pytest.mark.parametrize("relative", TWINS)
def test_json_twin_is_up_to_date(relative: str) -> None:
    path = FIXTURES / relative
    expected = twin(path.read_text(), str(path))
    actual = path.with_suffix(".json").read_text()
    if path.parent.name in ("nested", "stacks"):  # the JSON nested stacks name their JSON children
        actual = actual.replace(".json", ".yaml")
    assert actual == expected, f"regenerate with: PYTHONPATH=. python tests/cloudformation_twins.py {path}"


@pytest.mark.parametrize("relative", TWINS)
def test_yaml_and_json_twins_give_the_same_findings(relative: str, fixture_findings) -> None:
    yaml_path = FIXTURES / relative
    json_relative = yaml_path.with_suffix(".json").relative_to(FIXTURES).as_posix()

    def by_annotation(file: str, text: str) -> list[tuple[int, str]]:
        # Lines differ between the twins; what is reported, annotation by annotation, must not.
        order = read_annotations(text).ordered()
        return sorted((order.index(key) if key in order else -1, key[1]) for key in fixture_findings.get(file, ()))

    assert by_annotation(relative, yaml_path.read_text()) == by_annotation(
        json_relative, yaml_path.with_suffix(".json").read_text())
