"""Reading CloudFormation input: malformed templates, YAML hazards, parameter files, nested stacks."""

from __future__ import annotations

import os
import textwrap

import pytest

from iaclint.cloudformation.parameters import ParameterFileError, parse_parameter_file
from iaclint.cloudformation.template import load_templates
from iaclint.findings import InputError
from iaclint.options import Inputs
from iaclint.values import RESOLVED, UNKNOWN


def read_text(path):
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def load(text: str, path: str = "t.yaml", **options):
    return load_templates(path, textwrap.dedent(text), Inputs(**options), read_text)


def error_of(text: str, path: str = "t.yaml") -> InputError:
    with pytest.raises(InputError) as caught:
        load(text, path)
    return caught.value


def test_broken_template_is_an_error_with_its_line():
    error = error_of("""\
    AWSTemplateFormatVersion: "2010-09-09"
    Resources:
      R:
        Type: AWS::S3::Bucket
         Properties: {}
    """)
    assert error.line == 5


def test_broken_template_without_version_but_aws_types_is_an_error():
    error = error_of('{"Resources": {"R": {"Type": "AWS::S3::Bucket",, }}}', "t.json")
    assert error.line == 1


def test_duplicate_keys_name_both_lines():
    error = error_of("""\
    Resources:
      R:
        Type: AWS::S3::Bucket
      R:
        Type: AWS::S3::Bucket
    """)
    assert error.line == 4 and "line 2" in error.message


def test_alias_bomb_fails_fast():
    lines = ['a0: &a0 ["x","x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 9):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]")
    lines.append("AWSTemplateFormatVersion: '2010-09-09'\nResources: {}")
    error = error_of("\n".join(lines) + "\n")
    assert "alias" in error.message


def test_anchors_and_merge_keys_are_allowed():
    (document,) = load("""\
    Resources:
      A:
        Type: AWS::SNS::Topic
        Properties: &props
          TopicName: shared
      B:
        Type: AWS::SNS::Topic
        Properties:
          <<: *props
          DisplayName: b
    """)
    assert document.resources[1].properties.plain() == {"TopicName": "shared", "DisplayName": "b"}


def test_a_template_indented_as_a_whole_parses():
    text = "    Resources:\n      R:\n        Type: AWS::S3::Bucket\n"
    (document,) = load_templates("t.yaml", text, Inputs(), read_text)
    assert document.resources[0].loc.line == 2 and document.resources[0].loc.column == 7


def test_deep_nesting_is_an_input_error_not_a_crash():
    text = "AWSTemplateFormatVersion: '2010-09-09'\nResources: " + "[" * 900 + "]" * 900 + "\n"
    assert "nests deeper" in error_of(text).message


def test_intrinsic_nesting_is_bounded():
    inner = '"x"'
    for _ in range(150):
        inner = '{"Fn::Base64": ' + inner + "}"
    (document,) = load('{"Resources": {"R": {"Type": "AWS::S3::Bucket", "Properties": {"P": ' + inner + "}}}}",
                       "t.json")
    assert document.resources[0].properties.get("P").origin == UNKNOWN


@pytest.mark.parametrize("name,text", [
    ("p.json", '[{"ParameterKey": "Env", "ParameterValue": "prod"}, {"ParameterKey": "N", "ParameterValue": 3}]'),
    ("p.json", '{"Parameters": {"Env": "prod", "N": 3}, "Tags": {"x": "y"}}'),
    ("p.env", "# comment\nEnv=prod\n\nN = 3\n"),
    ("p.yaml", "Parameters:\n  Env: prod\n  N: 3\n"),
])
def test_parameter_file_formats(name, text):
    assert parse_parameter_file(name, text) == {"Env": "prod", "N": "3"}


@pytest.mark.parametrize("text,line", [
    ("Env=prod\nthis is not a pair\n", 2),
    ('[{"ParameterKey": "Env", "ParameterValue": "prod"},\n {"ParameterValue": "x"}]', 2),
    ('{"Parameters": {"Env": "prod",\n  "Bad": {"nested": 1}}}', 2),
    ('[{"ParameterKey": "Env"\n  "ParameterValue": "prod"}]', 2),
])
def test_bad_parameter_file_names_file_and_line(text, line):
    with pytest.raises(ParameterFileError) as caught:
        parse_parameter_file("params.json", text)
    assert caught.value.file == "params.json" and caught.value.line == line
    assert "params.json" in caught.value.message


def test_parameter_files_then_command_line(tmp_path):
    first = tmp_path / "a.json"
    first.write_text('[{"ParameterKey": "Env", "ParameterValue": "file"},\n'
                     ' {"ParameterKey": "Other", "ParameterValue": "o"}]')
    template = ("Parameters:\n  Env: {Type: String}\n  Other: {Type: String}\n"
                "Resources:\n  R:\n    Type: AWS::SNS::Topic\n    Properties: {A: !Ref Env, B: !Ref Other}\n")
    (document,) = load(template, cfn_parameter_files=(str(first),), cfn_parameters={"Env": "cli"})
    assert document.resources[0].properties.plain() == {"A": "cli", "B": "o"}


def test_nested_stack_is_scanned_with_the_parameters_passed(tmp_path):
    (tmp_path / "child").mkdir()
    (tmp_path / "child" / "db.yaml").write_text(textwrap.dedent("""\
    Parameters:
      Password: {Type: String}
      Region: {Type: String}
    Resources:
      Db:
        Type: AWS::RDS::DBInstance
        Properties:
          MasterUserPassword: !Ref Password
          Region: !Ref Region
    """))
    (tmp_path / "outside.yaml").write_text("Resources:\n  X:\n    Type: AWS::S3::Bucket\n")
    parent = tmp_path / "main" / "parent.yaml"
    parent.parent.mkdir()
    parent.write_text(textwrap.dedent("""\
    Resources:
      Child:
        Type: AWS::CloudFormation::Stack
        Properties:
          TemplateURL: ../child/db.yaml
          Parameters:
            Password: hunter2
            Region: !Ref AWS::Region
      Self:
        Type: AWS::CloudFormation::Stack
        Properties:
          TemplateURL: ./parent.yaml
      Remote:
        Type: AWS::CloudFormation::Stack
        Properties:
          TemplateURL: https://s3.amazonaws.com/bucket/x.yaml
    """))
    documents = load_templates(str(parent), parent.read_text(), Inputs(scan_roots=(str(tmp_path),)), read_text)
    assert [os.path.relpath(d.path, tmp_path) for d in documents] == ["main/parent.yaml", "child/db.yaml"]
    child = documents[1].resources[0].properties
    password = child.get("MasterUserPassword")
    assert (password.raw, password.origin, password.via) == ("hunter2", RESOLVED, ("parameter Password",))
    # Used in the child's resource, named after its stack; written where the parent passes it.
    assert (documents[1].resources[0].name, password.loc.file, password.loc.line) == (
        "Child/Db", str(tmp_path / "child" / "db.yaml"), 8)
    assert [(step.loc.file, step.loc.line, step.what) for step in password.trace] == [
        (str(parent), 7, "parameter Password as the parent stack passes it")]
    assert child.get("Region").origin == UNKNOWN and child.get("Region").via == ("parameter Region",)
    # Without scan roots, only the parent's own directory is followed.
    documents = load_templates(str(parent), parent.read_text(), Inputs(), read_text)
    assert [os.path.basename(d.path) for d in documents] == ["parent.yaml"]


def test_only_input_errors_escape(monkeypatch):
    from iaclint.cloudformation import template

    def broken(*args, **kwargs):
        raise KeyError("hunter2")

    monkeypatch.setattr(template, "_build", broken)
    with pytest.raises(InputError) as caught:
        load("Resources:\n  R:\n    Type: AWS::S3::Bucket\n")
    assert "hunter2" not in caught.value.message


def test_nested_undecided_conditions_are_bounded():
    # Each level is an Fn::If over two copies of the level below: 2**12 combinations if nothing bounded them.
    levels = 12
    conditions = "".join(f"  C{i}: !Equals [!Ref P, v{i}]\n" for i in range(levels))
    lines = ["      L0: &n0 x"]
    for i in range(1, levels):
        lines.append(f"      L{i}: &n{i} {{'Fn::If': [C{i}, *n{i - 1}, *n{i - 1}]}}")
    text = "Parameters:\n  P: {Type: String}\nConditions:\n" + conditions + \
        "Resources:\n  R:\n    Type: AWS::SNS::Topic\n    Properties:\n" + "\n".join(lines) + "\n"
    (document,) = load(text)
    value = document.resources[0].properties.get(f"L{levels - 1}")
    assert len(list(value.variants())) <= 64
    assert any(v.is_unknown and "alternatives" in v.reason for v in document.resources[0].properties.walk())


def test_missing_parameter_file_is_an_input_error_naming_it(tmp_path):
    missing = str(tmp_path / "nope.json")
    with pytest.raises(ParameterFileError) as caught:
        load("Resources:\n  R:\n    Type: AWS::S3::Bucket\n", cfn_parameter_files=(missing,))
    assert caught.value.file == missing and missing in caught.value.message


def test_sam_application_with_a_local_location_is_a_nested_stack(tmp_path):
    (tmp_path / "app.yaml").write_text("Parameters:\n  Cidr: {Type: String}\nResources:\n  Sg:\n"
                                       "    Type: AWS::EC2::SecurityGroupIngress\n"
                                       "    Properties: {CidrIp: !Ref Cidr}\n")
    parent = tmp_path / "template.yaml"
    parent.write_text("Transform: AWS::Serverless-2016-10-31\nResources:\n  App:\n"
                      "    Type: AWS::Serverless::Application\n"
                      "    Properties:\n      Location: ./app.yaml\n      Parameters: {Cidr: 0.0.0.0/0}\n")
    documents = load_templates(str(parent), parent.read_text(), Inputs(), read_text)
    cidr = documents[1].resources[0].properties.get("CidrIp")
    assert (cidr.raw, cidr.loc.file, cidr.loc.line, cidr.via) == (
        "0.0.0.0/0", str(tmp_path / "app.yaml"), 6, ("parameter Cidr",))
    assert [(step.loc.file, step.loc.line) for step in cidr.trace] == [(str(parent), 7)]
