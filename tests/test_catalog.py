"""Every rule: code and slug unique and never a retired one's, slug matches its module, documentation complete, examples
executed (the Example must fire the rule, the Use-instead must not), fixtures in every framework it claims."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from annotations import read_annotations
from iaclint import scan
from iaclint.catalog import SECTIONS, all_rules, examples, select_rules
from iaclint.findings import SEVERITIES
from iaclint.ledger import RETIRED
from iaclint.options import Inputs, ScanOptions

RULES = all_rules()
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def test_codes_and_slugs_are_unique_and_never_reused() -> None:
    codes = [rule.code for rule in RULES] + list(RETIRED)
    assert len(codes) == len(set(codes)), f"a code names one rule, ever: {sorted(RETIRED.keys() & {r.code for r in RULES})}"
    slugs = [rule.slug for rule in RULES] + list(RETIRED.values())
    assert len(slugs) == len(set(slugs)), "a slug names one rule, ever"


def test_every_code_a_fixture_expects_is_a_live_rule() -> None:
    # Deleting a rule without retiring it leaves its fixtures behind, and they fail here.
    live = {rule.slug for rule in RULES} | {rule.code for rule in RULES}
    for path in FIXTURES.rglob("*"):
        if path.is_file():
            expectations = read_annotations(path.read_text(errors="replace"))
            named = {slug for _, slug in expectations.ordered()}
            assert named <= live, f"{path}: {sorted(named - live)} is no rule"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_controls_are_named_as_their_catalogues_name_them(rule) -> None:
    # AWS Foundational Security Best Practices control ids; CIS AWS Foundations Benchmark v3.0 numbers.
    assert isinstance(rule.module.CONTROLS, tuple), f"{rule.code} declares CONTROLS (empty when none applies)"
    for control in rule.controls:
        assert re.fullmatch(r"FSBP [A-Za-z0-9]+\.\d+|CIS [1-5](\.\d+){1,2}", control), control


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_metadata(rule) -> None:
    assert re.fullmatch(r"IAC\d{3}", rule.code)
    assert rule.module.__name__.rsplit(".", 1)[-1] == rule.slug.replace("-", "_")
    assert rule.severity in SEVERITIES
    assert set(rule.frameworks) <= {"cloudformation", "terraform"} and rule.frameworks
    for title in SECTIONS:
        assert rule.section(title), f"{rule.code} lacks the section '## {title}'"
    assert rule.references and all(url.startswith("https://") for url in rule.references)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_has_fixtures_both_ways_for_each_framework(rule) -> None:
    suffixes = {"cloudformation": (".yaml", ".yml", ".json", ".template"), "terraform": (".tf",)}
    for framework in rule.frameworks:
        kinds = set()
        for path in FIXTURES.rglob("*"):
            if path.is_file() and path.name.endswith(suffixes[framework]):
                expectations = read_annotations(path.read_text())
                kinds |= {"ruleid" for _, slug in expectations.ruleid if slug == rule.slug}
                kinds |= {"ok" for _, slug in expectations.ok if slug == rule.slug}
        assert kinds == {"ruleid", "ok"}, f"{rule.slug} lacks {({'ruleid', 'ok'} - kinds)} fixtures for {framework}"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_documented_examples_are_true(rule, tmp_path) -> None:
    for section, should_fire in (("Example", True), ("Use instead", False)):
        blocks = examples(rule.section(section))
        assert {block.framework for block in blocks} == set(rule.frameworks), f"{section} per framework"
        for index, block in enumerate(blocks):
            folder = tmp_path / f"{section[:3]}{index}"
            folder.mkdir()
            (folder / ("main.tf" if block.framework == "terraform" else "template.yaml")).write_text(block.body)
            # A block tagged `account-baseline` is scanned as one: what it lacks is what the rule is about.
            baselines = (str(folder),) if block.account_baseline else ()
            report = scan([str(folder)], ScanOptions(inputs=Inputs(account_baselines=baselines)))
            assert not report.errors, report.errors
            fired = [f for f in report.findings if f.code == rule.code]
            assert bool(fired) == should_fire, f"{rule.code} {section} ({block.framework}): {fired}"


def test_select_and_ignore_accept_codes_and_slugs() -> None:
    assert [r.code for r in select_rules(["IAC201", "hardcoded-secret"])] == ["IAC001", "IAC201"]
    assert "IAC103" not in [r.code for r in select_rules(ignore=["user-without-mfa-enforcement"])]
    with pytest.raises(ValueError, match="unknown rule 'IAC999'"):
        select_rules(["IAC999"])
