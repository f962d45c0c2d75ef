"""The CloudFormation front end evaluates intrinsic functions, parameters and conditions the way
CloudFormation would, and says where each value came from."""

from __future__ import annotations

import textwrap

import pytest

from iaclint.cloudformation.template import load_templates
from iaclint.options import Inputs
from iaclint.values import CHOICE, DEFAULT, LITERAL, RESOLVED, UNKNOWN, ResourceRef


def load(text: str, path: str = "t.yaml", **options):
    def read_text(name):
        raise FileNotFoundError(name)

    return load_templates(path, textwrap.dedent(text), Inputs(**options), read_text)


def resource(text: str, name: str = "R", **options):
    (document, *_) = load(text, **options)
    for found in document.resources:
        if found.name == name:
            return found
    raise AssertionError(f"no resource {name}")


def prop(text: str, key: str, name: str = "R", **options):
    return resource(text, name, **options).properties.get(key)


PARAMETER = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  DbPassword:
    Type: String
    NoEcho: true
  Port:
    Type: Number
    Default: 22
  Subnets:
    Type: CommaDelimitedList
    Default: "a, b"
  Image:
    Type: AWS::SSM::Parameter::Value<String>
    Default: /app/image
Resources:
  R:
    Type: AWS::RDS::DBInstance
    Properties:
      MasterUserPassword: !Ref DbPassword
      Port: !Ref Port
      Subnets: !Ref Subnets
      Image: !Ref Image
"""


def test_parameter_without_value_is_unknown_and_keeps_via():
    value = prop(PARAMETER, "MasterUserPassword")
    assert value.origin == UNKNOWN
    assert value.via == ("parameter DbPassword",)
    assert value.reason == "parameter DbPassword has no value"
    assert value.loc.line == 19
    assert value.key_loc.line == 19 and value.key_loc.column == 7


def test_parameter_default_is_located_at_the_ref_and_remembers_the_default():
    value = prop(PARAMETER, "Port")
    assert (value.raw, value.origin, value.via, value.loc.line) == (22, DEFAULT, ("parameter Port",), 20)
    assert [(step.loc.line, step.what) for step in value.trace] == [(8, "the default of parameter Port")]


def test_supplied_parameter_is_resolved_at_the_ref():
    value = prop(PARAMETER, "MasterUserPassword", cfn_parameters={"DbPassword": "s3cret"})
    assert (value.raw, value.origin, value.via, value.loc.line) == ("s3cret", RESOLVED, ("parameter DbPassword",), 19)


def test_list_parameter_is_a_list():
    value = prop(PARAMETER, "Subnets")
    assert [item.raw for item in value.items()] == ["a", "b"]
    assert all(item.via == ("parameter Subnets",) and item.origin == DEFAULT for item in value.items())


def test_ssm_parameter_is_unknown():
    value = prop(PARAMETER, "Image")
    assert value.origin == UNKNOWN and "SSM" in value.reason and value.via == ("parameter Image",)


def test_document_parameters():
    (document,) = load(PARAMETER)
    password = document.parameters["DbPassword"]
    assert (password.loc.line, password.no_echo, password.reference) == (3, True, "parameter DbPassword")
    assert document.parameters["Port"].default.raw == 22


REFS = """\
Resources:
  User:
    Type: AWS::IAM::User
  R:
    Type: AWS::IAM::Policy
    Properties:
      Users: [!Ref User, {"Ref": "AWS::NoValue"}]
      Arn: !GetAtt User.Arn
      Long: {"Fn::GetAtt": ["User", "Arn"]}
      Gone: !Ref AWS::NoValue
      Region: !Ref AWS::Region
      Imported: !ImportValue shared-vpc
      Azs: !GetAZs ""
      Dynamic: "{{resolve:secretsmanager:db:SecretString:password}}"
"""


def test_resource_references():
    properties = resource(REFS).properties
    assert [v.raw for v in properties.get("Users").items()] == [ResourceRef("User")]
    assert properties.get("Arn").raw == ResourceRef("User", "Arn")
    assert properties.get("Long").raw == ResourceRef("User", "Arn")
    assert properties.get("Gone") is None


def test_deploy_time_values_are_unknown_with_reason():
    properties = resource(REFS).properties
    assert properties.get("Region").reason == "AWS::Region is known only at deploy time"
    assert properties.get("Imported").reason == "Fn::ImportValue is resolved at deploy time"
    assert properties.get("Azs").origin == UNKNOWN


def test_dynamic_reference_stays_a_literal_string():
    value = resource(REFS).properties.get("Dynamic")
    assert (value.raw, value.origin) == ("{{resolve:secretsmanager:db:SecretString:password}}", LITERAL)


FUNCTIONS = """\
Parameters:
  Env:
    Type: String
    Default: dev
Mappings:
  Sizes:
    dev:
      Instance: t3.micro
    prod:
      Instance: m5.large
Resources:
  R:
    Type: AWS::EC2::Instance
    Properties:
      Sub: !Sub "app-${Env}-${!Literal}"
      SubVars: !Sub ["${A}/${B}", {A: x, B: !Ref Env}]
      SubPseudo: !Sub "arn:${AWS::Partition}:s3:::b"
      Join: !Join ["-", [a, !Ref Env, 3]]
      Select: !Select [1, [zero, one]]
      Split: !Split [",", "a,b"]
      SelectSplit: !Select [0, !Split ["/", "x/y"]]
      Find: !FindInMap [Sizes, !Ref Env, Instance]
      FindProd: !FindInMap [Sizes, prod, Instance]
      Base64: !Base64 "echo hi"
      Cidr: !Select [1, !Cidr ["10.0.0.0/16", 4, 8]]
"""


def test_sub():
    properties = resource(FUNCTIONS).properties
    sub = properties.get("Sub")
    assert (sub.raw, sub.origin, sub.via, sub.loc.line) == ("app-dev-${Literal}", RESOLVED, ("parameter Env",), 15)
    assert properties.get("SubVars").raw == "x/dev"
    pseudo = properties.get("SubPseudo")
    assert pseudo.origin == UNKNOWN and pseudo.reason == "AWS::Partition is known only at deploy time"


def test_join_select_split():
    properties = resource(FUNCTIONS).properties
    assert (properties.get("Join").raw, properties.get("Join").via) == ("a-dev-3", ("parameter Env",))
    select = properties.get("Select")
    assert (select.raw, select.origin, select.loc.line) == ("one", RESOLVED, 19)
    assert properties.get("Split").plain() == ["a", "b"]
    assert properties.get("SelectSplit").raw == "x"


def test_find_in_map_points_at_the_mapping_entry():
    properties = resource(FUNCTIONS).properties
    found = properties.get("Find")
    assert (found.raw, found.origin, found.loc.line) == ("t3.micro", RESOLVED, 22)
    assert [(step.loc.line, step.what) for step in found.trace] == [(8, "the mapping entry Sizes/dev/Instance")]
    assert properties.get("FindProd").raw == "m5.large"
    supplied = resource(FUNCTIONS, cfn_parameters={"Env": "prod"}).properties.get("Find")
    assert (supplied.raw, supplied.loc.line, supplied.trace[0].loc.line) == ("m5.large", 22, 10)


def test_cidr():
    value = resource(FUNCTIONS).properties.get("Cidr")
    assert (value.raw, value.origin) == ("10.0.1.0/24", RESOLVED)


def test_base64_keeps_the_text():
    assert resource(FUNCTIONS).properties.get("Base64").raw == "echo hi"


CONDITIONS = """\
Parameters:
  Env:
    Type: String
    Default: dev
    AllowedValues: [dev, prod]
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsNotProd: !Not [!Condition IsProd]
  IsTest: !Equals [!Ref Env, test]
  Always: !Or [!Condition IsProd, !Condition IsNotProd]
Resources:
  R:
    Type: AWS::EC2::SecurityGroup
    Properties:
      Cidr: !If [IsProd, 10.0.0.0/8, 0.0.0.0/0]
      Nested: !If [IsProd, !If [IsNotProd, never, prod], !If [IsProd, never, dev]]
      Optional: !If [IsProd, !Ref AWS::NoValue, debug]
      Test: !If [IsTest, test, not-test]
      Joined: !Join ["", [a, !If [IsProd, b, c]]]
      Items: [a, !If [IsProd, b, !Ref AWS::NoValue]]
      Rules:
        - !If [IsNotProd, {CidrIp: 0.0.0.0/0}, !Ref AWS::NoValue]
  ProdOnly:
    Type: AWS::CloudTrail::Trail
    Condition: IsProd
    Properties:
      Name: !If [IsProd, p, q]
      Region: !If [IsTest, x, y]
"""


def test_undecided_if_is_a_choice_naming_the_condition():
    value = prop(CONDITIONS, "Cidr")
    assert value.origin == CHOICE
    alternatives = [(v.raw, v.when, v.loc.line) for v in value.variants()]
    assert alternatives == [("10.0.0.0/8", ("when IsProd is true",), 15),
                            ("0.0.0.0/0", ("when IsProd is false",), 15)]


def test_supplied_value_decides_the_condition():
    value = prop(CONDITIONS, "Cidr", cfn_parameters={"Env": "prod"})
    assert (value.raw, value.origin, value.when) == ("10.0.0.0/8", LITERAL, ())


def test_inside_a_branch_its_condition_is_assumed():
    value = prop(CONDITIONS, "Nested")
    assert [(v.raw, v.when) for v in value.variants()] == [("prod", ("when IsProd is true",)),
                                                           ("dev", ("when IsProd is false",))]


def test_if_with_no_value_is_present_only_when():
    value = prop(CONDITIONS, "Optional")
    assert (value.raw, value.when) == ("debug", ("when IsProd is false",))


def test_allowed_values_rule_out_a_branch():
    value = prop(CONDITIONS, "Test")
    assert (value.raw, value.when) == ("not-test", ())


def test_function_over_a_choice_is_a_choice():
    value = prop(CONDITIONS, "Joined")
    assert [(v.raw, v.when) for v in value.variants()] == [("ab", ("when IsProd is true",)),
                                                           ("ac", ("when IsProd is false",))]


def test_conditional_list_item():
    items = prop(CONDITIONS, "Items").items()
    assert [(v.raw, v.when) for v in items] == [("a", ()), ("b", ("when IsProd is true",))]


def test_values_inside_a_branch_carry_its_condition():
    (rule,) = prop(CONDITIONS, "Rules").items()
    assert rule.get("CidrIp").when == ("when IsNotProd is true",)


def test_resource_condition():
    conditional = resource(CONDITIONS, "ProdOnly")
    assert conditional.properties.when == ("when IsProd is true",)
    assert conditional.properties.get("Name").raw == "p"
    assert conditional.properties.get("Name").when == ("when IsProd is true",)  # every value says so
    assert conditional.properties.get("Region").raw == "y"
    (document,) = load(CONDITIONS, cfn_parameters={"Env": "dev"})
    assert [r.name for r in document.resources] == ["R"]


SAM = """\
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: python3.12
    Environment:
      Variables:
        API_KEY: from-globals
        SHARED: global
    Layers: [global-layer]
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Layers: [own-layer]
      Environment:
        Variables:
          SHARED: own
      Policies:
        - Statement:
            - Effect: Allow
              Action: "*"
              Resource: "*"
"""


def test_sam_globals_merge_into_functions():
    fn = resource(SAM, "Fn")
    assert fn.type == "AWS::Serverless::Function"
    variables = fn.properties.get("Environment").get("Variables")
    assert variables.get("API_KEY").raw == "from-globals" and variables.get("API_KEY").loc.line == 7
    assert variables.get("SHARED").raw == "own" and variables.get("SHARED").loc.line == 18
    assert fn.properties.get("Runtime").raw == "python3.12"
    assert fn.properties.get("Layers").plain() == ["global-layer", "own-layer"]
    assert fn.properties.get("Policies").plain()[0]["Statement"][0]["Action"] == "*"


def test_json_and_yaml_give_the_same_values():
    yaml_text = """\
    Parameters:
      Env: {Type: String, Default: dev}
    Resources:
      R:
        Type: AWS::EC2::SecurityGroup
        Properties:
          Name: !Sub "sg-${Env}"
    """
    json_text = """\
    {"Parameters":
      {"Env": {"Type": "String", "Default": "dev"}},
     "Resources": {
      "R": {
        "Type": "AWS::EC2::SecurityGroup",
        "Properties": {
          "Name": {"Fn::Sub": "sg-${Env}"}}}}}
    """
    from_yaml = resource(yaml_text).properties.get("Name")
    from_json = load(json_text, "t.json")[0].resources[0].properties.get("Name")
    assert (from_yaml.raw, from_yaml.via, from_yaml.loc.line) == (from_json.raw, from_json.via, from_json.loc.line)


@pytest.mark.parametrize("text", [
    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n",
    "a: 1\n---\nb: 2\n",
    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Values.name }}\n  labels: {{- toYaml . | nindent 4 }}\n",
    "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n",
    '{"name": "pkg", "version": "1.0.0"}',
    "openapi: 3.0.0\ninfo: {title: x}\npaths: {}\n",
    "",
    "- just\n- a list\n",
])
def test_files_that_are_not_templates_are_skipped(text):
    assert load(text) == []


FOR_EACH = """\
Transform: AWS::LanguageExtensions
Parameters:
  Ports:
    Type: CommaDelimitedList
    Default: "22,3389"
Resources:
  Fn::ForEach::Rules:
    - Port
    - !Ref Ports
    - Ingress&{Port}:
        Type: AWS::EC2::SecurityGroupIngress
        Properties:
          FromPort: !Ref Port
          Description: !Sub "port ${Port}"
          CidrIp: 0.0.0.0/0
          GroupId: !Ref Sg
  Sg:
    Type: AWS::EC2::SecurityGroup
"""


def test_for_each_expands_resources():
    (document,) = load(FOR_EACH)
    assert [r.name for r in document.resources] == ["Ingress22", "Ingress3389", "Sg"]
    ingress = document.resources[1]
    assert ingress.loc.line == 10 and ingress.type == "AWS::EC2::SecurityGroupIngress"
    assert ingress.properties.get("FromPort").raw == "3389"
    assert ingress.properties.get("Description").raw == "port 3389"
    assert ingress.properties.get("CidrIp").loc.line == 15
    assert ingress.properties.get("GroupId").raw == ResourceRef("Sg")
