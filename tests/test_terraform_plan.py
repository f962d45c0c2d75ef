"""Terraform plan JSON: resources of every module, after_unknown, literal vs. variable, source locations."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from annotations import blank_json_annotations
from iaclint.findings import InputError
from iaclint.terraform.plan import load_plan
from iaclint.values import DEFAULT, LITERAL, RESOLVED, UNKNOWN

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "terraform"


def plan_text(name: str) -> str:
    return blank_json_annotations((FIXTURES / name).read_text())


def resource(document, name):
    return next(r for r in document.resources if r.name == name)


def test_resources_of_every_module_without_data_sources():
    document = load_plan("plan.json", plan_text("plan/plan.json"))
    assert [r.name for r in document.resources] == [
        "aws_security_group.web", "aws_db_instance.from_variable", "aws_db_instance.literal",
        "aws_cloudtrail.encrypted", "aws_cloudtrail.plain",
        'module.users.aws_iam_user.this["alice"]', 'module.users.aws_iam_user_policy.this["alice"]',
    ]
    assert document.files == ["plan.json"]


def test_literal_and_variable_values_and_plan_locations():
    document = load_plan("plan.json", plan_text("plan/plan.json"))
    literal = resource(document, "aws_db_instance.literal").properties.get("password")
    assert (literal.origin, literal.via, literal.loc.file, literal.loc.line) == (LITERAL, (), "plan.json", 79)
    passed = resource(document, "aws_db_instance.from_variable").properties.get("password")
    assert (passed.origin, passed.via) == (RESOLVED, ("var.db_password",))
    parameter = document.parameters["db_password"]
    assert (parameter.reference, parameter.default.origin, parameter.loc.line) == ("var.db_password", DEFAULT, 242)
    cidr = resource(document, "aws_security_group.web").properties.get("ingress").raw[0].get("cidr_blocks").raw[0]
    assert (cidr.raw, cidr.origin, cidr.loc.line) == ("0.0.0.0/0", LITERAL, 26)
    assert resource(document, "aws_cloudtrail.plain").loc.line == 95
    assert resource(document, "aws_cloudtrail.plain").properties.get("kms_key_id") is None  # null is absent


def test_after_unknown_and_module_variables():
    document = load_plan("plan.json", plan_text("plan/plan.json"))
    key = resource(document, "aws_cloudtrail.encrypted").properties.get("kms_key_id")
    assert key.origin == UNKNOWN and key.reason == "aws_cloudtrail.encrypted.kms_key_id is known only after apply"
    name = resource(document, 'module.users.aws_iam_user.this["alice"]').properties.get("name")
    assert (name.raw, name.origin) == ("alice", RESOLVED)


def test_locations_from_the_configuration_next_to_the_plan(tmp_path):
    directory = tmp_path / "config"
    shutil.copytree(FIXTURES / "plan-with-config", directory)
    path = str(directory / "plan.json")
    document = load_plan(path, (directory / "plan.json").read_text())
    main = str(directory / "main.tf")
    group = resource(document, "aws_security_group.admin")
    assert (group.loc.file, group.loc.line) == (main, 8)
    cidr = group.properties.get("ingress").raw[0].get("cidr_blocks").raw[0]
    assert (cidr.raw, cidr.origin, cidr.via, cidr.loc.file, cidr.loc.line) == (
        "0.0.0.0/0", RESOLVED, ("var.admin_cidr",), main, 16)
    assert [(step.loc.file, step.loc.line) for step in cidr.trace] == [(main, 5)]
    assert document.parameters["admin_cidr"].loc.line == 3


def test_not_a_plan_and_invalid_json():
    assert load_plan("x.json", '{"format_version": "1.0", "Resources": {}}') is None
    assert load_plan("x.json", '{"terraform_version": "1.6.0"}') is None
    with pytest.raises(InputError) as raised:
        load_plan("x.json", '{"format_version": "1.2",\n  "planned_values": [}')
    assert raised.value.line == 2


def test_values_through_module_calls_record_every_variable():
    import json

    plan = {
        "format_version": "1.2",
        "planned_values": {"root_module": {"child_modules": [{"address": "module.db", "resources": [{
            "address": "module.db.aws_db_instance.this[0]", "mode": "managed", "type": "aws_db_instance",
            "name": "this", "index": 0, "values": {"password": "x", "username": "admin"}}]}]}},
        "configuration": {"root_module": {
            "variables": {"pw": {"sensitive": True}},
            "module_calls": {"db": {
                "expressions": {"password": {"references": ["var.pw"]}, "user": {"constant_value": "admin"}},
                "module": {"resources": [{"address": "aws_db_instance.this", "expressions": {
                    "password": {"references": ["var.password"]}, "username": {"references": ["var.user"]}}}]},
            }},
        }},
    }
    document = load_plan("plan.json", json.dumps(plan, indent=1))
    properties = document.resources[0].properties
    password, username = properties.get("password"), properties.get("username")
    assert (password.origin, password.via) == (RESOLVED, ("var.pw", "module.db.var.password"))
    assert (username.origin, username.via) == (RESOLVED, ("module.db.var.user",))
    assert document.parameters["pw"].sensitive is True and document.parameters["pw"].default is None


def test_a_resource_of_the_wrong_shape_is_reported_at_its_line_and_skipped(tmp_path):
    from iaclint import scan

    plan = {"format_version": "1.2", "planned_values": {"root_module": {"resources": [
        {"address": "aws_iam_user.u", "mode": "managed", "type": {"not": "a string"}, "name": "u", "values": {}},
        {"address": "aws_iam_user.v", "mode": "managed", "type": 1.5, "name": "v", "values": {}},
        {"address": "aws_iam_user.x", "mode": "managed", "type": "aws_iam_user", "name": "x", "values": []},
        {"address": "aws_iam_user.w", "mode": "managed", "type": "aws_iam_user", "name": "w", "values": {}}]}}}
    text = json.dumps(plan).replace("{\"address\"", "\n{\"address\"")  # one resource a line
    (tmp_path / "plan.json").write_text(text)
    report = scan([str(tmp_path)])
    assert [(e.line, e.message) for e in report.errors] == [
        (2, "not a Terraform plan: a resource's type must be a string"),
        (3, "not a Terraform plan: a resource's type must be a string"),
        (4, "not a Terraform plan: a resource's values must be an object")]
    assert [(f.code, f.resource) for f in report.findings] == [("IAC103", "aws_iam_user.w")]
