"""The Terraform fixture modules end to end, including the annotations in .tfvars files (which the generic
fixture harness does not read): every (file, line, rule) in both directions.  A finding is never placed in a
.tfvars file (it points at the use in the resource); an annotation there says that a finding's origin chain
does, or does not, pass through the annotated line."""

from __future__ import annotations

import shutil
from collections import defaultdict
from pathlib import Path

import pytest

from annotations import blank_json_annotations, read_annotations
from iaclint import scan

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "terraform"
ANNOTATED = sorted(
    p.relative_to(FIXTURES).as_posix()
    for p in FIXTURES.rglob("*")
    if p.is_file() and p.suffix in (".tf", ".tfvars", ".json") and read_annotations(p.read_text()).mentioned
)


@pytest.fixture(scope="module")
def findings(tmp_path_factory):
    root = tmp_path_factory.mktemp("terraform") / "terraform"
    shutil.copytree(FIXTURES, root)
    for path in root.rglob("*.json"):  # JSON cannot hold the `//` annotations: blank them, keeping lines
        path.write_text(blank_json_annotations(path.read_text()))
    report = scan([str(root)])
    by_file: dict[str, set[tuple[int, str]]] = defaultdict(set)
    for finding in report.findings:
        by_file[Path(finding.file).relative_to(root).as_posix()].add((finding.line, finding.slug))
        for step in finding.origin:
            if step.loc.file.endswith((".tfvars", ".tfvars.json")):
                by_file[Path(step.loc.file).relative_to(root).as_posix()].add((step.loc.line, finding.slug))
    return by_file, report


def test_every_tfvars_fixture_is_annotated():
    assert {"dynamic-ingress/terraform.tfvars", "tfvars-precedence/terraform.tfvars"} <= set(ANNOTATED)


@pytest.mark.parametrize("relative", ANNOTATED)
def test_annotations(relative, findings):
    by_file, _ = findings
    expectations = read_annotations((FIXTURES / relative).read_text())
    found = by_file.get(relative, set())
    missed = expectations.ruleid - found
    unexpected = {item for item in found if item not in expectations.ruleid} - expectations.todook
    assert not missed and not unexpected, f"{relative}\n  missed: {sorted(missed)}\n  unexpected: {sorted(unexpected)}"


def test_no_errors(findings):
    _, report = findings
    assert report.errors == []
