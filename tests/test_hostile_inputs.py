"""Hostile input through the installed `iaclint` command: a malformed, huge, binary or hostile file is
reported as `file:line[:col]: error: ...` with exit status 2, every other file is still scanned, and nothing
crashes, hangs, executes, reads outside the scanned tree or prints a traceback."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

_BESIDE = Path(sys.executable).parent / "iaclint"
IACLINT = str(_BESIDE) if _BESIDE.exists() else shutil.which("iaclint")
if IACLINT is None:
    pytest.fail("the iaclint command is not installed (pip install -e '.[test]')", pytrace=False)

# A template and a module with one known finding each: they must be reported whatever else is in the tree.
GOOD_CFN = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: ssh
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 22
          ToPort: 22
          CidrIp: 0.0.0.0/0
"""
GOOD_TF = """\
resource "aws_security_group" "ssh" {
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
"""
CFN_HEAD = 'AWSTemplateFormatVersion: "2010-09-09"\n'
TIMEOUT = 60


class Result:
    def __init__(self, proc: subprocess.CompletedProcess, seconds: float) -> None:
        self.returncode = proc.returncode
        self.stdout = proc.stdout
        self.stderr = proc.stderr
        self.seconds = seconds

    def errors_for(self, name: str) -> list[str]:
        pattern = re.compile(rf"^{re.escape(name)}:\d+(:\d+)?: error: \S")
        return [line for line in self.stdout.splitlines() if pattern.match(line)]

    def any_error_for(self, name: str) -> list[str]:
        return [line for line in self.stdout.splitlines() if line.startswith(f"{name}:") and ": error: " in line]


def run(cwd: Path, *args: str, timeout: float = TIMEOUT) -> Result:
    start = time.monotonic()
    proc = subprocess.run([IACLINT, *args], cwd=cwd, capture_output=True, timeout=timeout,
                          stdin=subprocess.DEVNULL)
    proc.stdout = proc.stdout.decode("utf-8", "replace")
    proc.stderr = proc.stderr.decode("utf-8", "replace")
    result = Result(proc, time.monotonic() - start)
    assert "Traceback" not in result.stdout + result.stderr, result.stdout + result.stderr
    assert "internal error" not in result.stdout + result.stderr, result.stdout + result.stderr
    return result


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    (tmp_path / "good.yaml").write_text(GOOD_CFN)
    (tmp_path / "goodtf").mkdir()
    (tmp_path / "goodtf" / "main.tf").write_text(GOOD_TF)
    return tmp_path


def assert_good_reported(result: Result) -> None:
    assert re.search(r"^good\.yaml:11:\d+: IAC201 ", result.stdout, re.M), result.stdout + result.stderr
    assert re.search(r"^goodtf/main\.tf:\d+:\d+: IAC201 ", result.stdout, re.M), result.stdout + result.stderr


def write(tree: Path, name: str, content: str | bytes) -> Path:
    path = tree / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    return path


def scan_bad(tree: Path, name: str, content: str | bytes, *, line: bool = True, timeout: float = TIMEOUT) -> Result:
    """Write a hostile file beside the good ones, scan the tree: an error for it, exit 2, the rest reported."""
    write(tree, name, content)
    result = run(tree, ".", timeout=timeout)
    errors = result.errors_for(name) if line else result.any_error_for(name)
    assert errors, result.stdout + result.stderr
    assert result.returncode == 2, result.stdout + result.stderr
    assert_good_reported(result)
    return result


def scan_ok(tree: Path, name: str, content: str | bytes, *, timeout: float = TIMEOUT) -> Result:
    """A hostile but well-formed file: no error for it, no crash, the rest reported (exit 1 for the findings)."""
    write(tree, name, content)
    result = run(tree, ".", timeout=timeout)
    assert result.returncode in (1, 2), result.stdout + result.stderr
    assert_good_reported(result)
    return result


# --------------------------------------------------------------------------------------------- YAML

def test_yaml_alias_bomb(tree: Path) -> None:
    lines = [CFN_HEAD, 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n']
    for i in range(1, 10):
        prev = f"*a{i - 1}"
        lines.append(f"a{i}: &a{i} [{', '.join([prev] * 9)}]\n")
    lines.append("Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties: {Tags: *a9}\n")
    result = scan_bad(tree, "bomb.yaml", "".join(lines))
    assert "alias" in " ".join(result.errors_for("bomb.yaml"))


def test_yaml_deep_flow_sequences(tree: Path) -> None:
    depth = 100_000
    scan_bad(tree, "deep.yaml", CFN_HEAD + "Resources: " + "[" * depth + "]" * depth + "\n")


def test_yaml_deep_flow_mappings(tree: Path) -> None:
    depth = 100_000
    scan_bad(tree, "deepmap.yaml", CFN_HEAD + "Resources: " + "{a: " * depth + "1" + "}" * depth + "\n")


@pytest.mark.slow
def test_yaml_fifty_thousand_resources(tree: Path) -> None:
    # 9 MB, about 800,000 nodes and no alias: it used to be refused as an alias-expansion bomb.
    body = "".join(
        f"  Sg{i}:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: x\n"
        "      SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}]\n"
        for i in range(50_000)
    )
    result = scan_ok(tree, "big.yaml", CFN_HEAD + "Resources:\n" + body, timeout=240)
    assert result.returncode == 1
    assert result.stdout.count("big.yaml:") == 50_000
    assert result.seconds < 120, result.seconds  # loose, for a loaded CI machine: benchmarks/big_template.py measures it


def test_yaml_tabs(tree: Path) -> None:
    scan_bad(tree, "tabs.yaml", CFN_HEAD + "Resources:\n\tB:\n\t\tType: AWS::S3::Bucket\n")


def test_invalid_utf8(tree: Path) -> None:
    result = scan_bad(tree, "latin.yaml", CFN_HEAD.encode() + b"Description: caf\xe9\nResources: {}\n")
    assert result.errors_for("latin.yaml")[0].startswith("latin.yaml:2")


def test_utf16_with_bom_is_read_as_text(tree: Path) -> None:
    write(tree, "utf16.yaml", GOOD_CFN.encode("utf-16"))
    write(tree, "utf16be.json", ('{"AWSTemplateFormatVersion": "2010-09-09",\n"Resources": {"B": {"Type": '
                                 '"AWS::S3::Bucket",}}}').encode("utf-16-be").join([b"\xfe\xff", b""]))
    result = run(tree, ".")
    assert re.search(r"^utf16\.yaml:11:\d+: IAC201 ", result.stdout, re.M), result.stdout
    assert result.errors_for("utf16be.json")[0].startswith("utf16be.json:2:"), result.stdout
    assert result.returncode == 2
    assert_good_reported(result)


def test_nul_byte(tree: Path) -> None:
    result = scan_bad(tree, "nul.yaml", CFN_HEAD.encode() + b"Resources:\x00\n")
    assert result.errors_for("nul.yaml")[0].startswith("nul.yaml:2: error: binary file")


def test_thirty_megabyte_file(tree: Path) -> None:
    content = CFN_HEAD + "Resources:\n" + ("# padding padding padding padding\n" * 1_000_000)
    assert len(content) > 30_000_000
    # The size is the whole file's problem: reported without a line.
    result = scan_bad(tree, "huge.yaml", content, line=False)
    assert result.any_error_for("huge.yaml")[0].startswith("huge.yaml: error: file is larger than 20 MiB")


def test_empty_file(tree: Path) -> None:
    write(tree, "empty.yaml", "")
    write(tree, "empty.tf", "")
    result = run(tree, ".")
    assert result.returncode == 1
    assert_good_reported(result)


def test_only_document_marker(tree: Path) -> None:
    write(tree, "dashes.yaml", "---\n")
    result = run(tree, ".")
    assert result.returncode == 1
    assert_good_reported(result)


def test_multi_document_template_in_second(tree: Path) -> None:
    write(tree, "multi.yaml", "kind: ConfigMap\n---\n" + GOOD_CFN)
    result = run(tree, ".")
    assert_good_reported(result)
    # Either the second document is scanned or the file is reported: never silently skipped.
    assert result.errors_for("multi.yaml") or re.search(r"^multi\.yaml:13:\d+: IAC201", result.stdout, re.M), \
        result.stdout
    assert result.returncode in (1, 2)


def test_unknown_tag(tree: Path) -> None:
    scan_ok(tree, "tag.yaml", CFN_HEAD + "Resources:\n  B:\n    Type: AWS::S3::Bucket\n"
            "    Properties:\n      BucketName: !Foo bar\n      Tags: !Bar [1, 2]\n      X: !Baz {a: 1}\n")


def test_python_object_tags_are_never_constructed(tree: Path) -> None:
    marker = tree / "PWNED"
    payloads = [
        f"!!python/object/apply:os.system ['touch {marker}']",
        f"!!python/object/apply:subprocess.check_call [['touch', '{marker}']]",
        f"!!python/object/new:os.system ['touch {marker}']",
        "!!python/name:os.system",
        "!!python/module:os",
    ]
    for i, payload in enumerate(payloads):
        write(tree, f"py{i}.yaml", CFN_HEAD + "Resources:\n  B:\n    Type: AWS::S3::Bucket\n"
              f"    Properties:\n      BucketName: {payload}\n")
        write(tree, f"pykey{i}.yaml", CFN_HEAD + f"Resources:\n  ? {payload}\n  : 1\n")
    write(tree, "pyjson.json", '{"AWSTemplateFormatVersion": "2010-09-09", "Resources": '
          f'{{"B": {{"Type": "AWS::S3::Bucket", "Properties": !!python/object/apply:os.system ["touch {marker}"]}}}}}}')
    write(tree, "py.tf", f'locals {{ x = "!!python/object/apply:os.system [\'touch {marker}\']" }}\n')
    result = run(tree, ".")
    assert not marker.exists()
    assert_good_reported(result)
    assert result.returncode in (1, 2)


def test_merge_keys_of_non_mappings(tree: Path) -> None:
    write(tree, "merge1.yaml", CFN_HEAD + "Resources:\n  B:\n    <<: 5\n    Type: AWS::S3::Bucket\n")
    write(tree, "merge2.yaml", CFN_HEAD + "Resources:\n  B:\n    <<: [1, [2], {Type: AWS::S3::Bucket}]\n")
    write(tree, "merge3.yaml", CFN_HEAD + "Base: &b [1, 2]\nResources:\n  <<: *b\n  B:\n    Type: AWS::S3::Bucket\n")
    write(tree, "merge4.yaml", CFN_HEAD + "Resources:\n  B: &self\n    Type: AWS::S3::Bucket\n    Properties:\n"
          "      <<: *self\n")
    result = run(tree, ".")
    assert_good_reported(result)
    assert result.returncode in (1, 2)


def test_keys_that_are_lists_or_maps(tree: Path) -> None:
    write(tree, "listkey.yaml", CFN_HEAD + "Resources:\n  [a, b]:\n    Type: AWS::S3::Bucket\n")
    write(tree, "mapkey.yaml", CFN_HEAD + "Resources:\n  {a: 1}:\n    Type: AWS::S3::Bucket\n")
    result = run(tree, ".")
    assert result.errors_for("listkey.yaml") and result.errors_for("mapkey.yaml"), result.stdout
    assert result.returncode == 2
    assert_good_reported(result)


def test_huge_numbers(tree: Path) -> None:
    digits = "9" * 5000
    scan_ok(tree, "nums.yaml", CFN_HEAD + "Resources:\n  Sg:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n"
            "      GroupDescription: x\n      SecurityGroupIngress:\n"
            f"        - {{IpProtocol: tcp, FromPort: 1e99999, ToPort: {digits}, CidrIp: 0.0.0.0/0}}\n"
            f"        - {{IpProtocol: tcp, FromPort: -{digits}, ToPort: .nan, CidrIp: 0.0.0.0/0}}\n"
            f"        - {{IpProtocol: tcp, FromPort: 0x{'f' * 5000}, ToPort: -.inf, CidrIp: 0.0.0.0/0}}\n"
            f"Outputs:\n  N: {{Value: {digits}{digits}}}\n")
    write(tree, "nums.json", '{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"Sg": {"Type": '
          f'"AWS::EC2::SecurityGroup", "Properties": {{"SecurityGroupIngress": [{{"FromPort": {digits}, '
          f'"ToPort": 1e99999, "CidrIp": "0.0.0.0/0", "IpProtocol": "tcp"}}]}}}}}}}}')
    result = run(tree, ".")
    assert_good_reported(result)


INTRINSICS = CFN_HEAD + """\
Parameters:
  P: {Type: String}
Mappings:
  M: [1, 2]
  N: {a: 5}
Conditions:
  A: !Condition B
  B: !Condition A
  C: !Equals [!Ref P]
  D: !And []
  E: !Not [!Condition Nope]
  F: !Or [1, 2, 3]
Resources:
  Sg:
    Type: AWS::EC2::SecurityGroup
    Condition: A
    Properties:
      GroupDescription: !Select [a]
      GroupName: !Sub [1, 2, 3]
      VpcId: !If [Unknown, a, b]
      Tags: !FindInMap [M, a, b]
      SecurityGroupIngress:
        - IpProtocol: !FindInMap [N, a, b]
          FromPort: !Select [99, [1]]
          ToPort: !Select [-1, !Ref P]
          CidrIp: !Join [1]
          Description: !Sub ["${x}", [1]]
        - !If [A, {CidrIp: 0.0.0.0/0}, !Ref AWS::NoValue]
        - !Split [",", 5]
        - !GetAtt [Sg]
        - !GetAtt Sg
        - !Base64 [1, 2]
        - !Cidr [a, b]
        - !GetAZs {x: 1}
        - !ImportValue [1]
        - !Select [!Ref P, [1, 2]]
        - {Fn::Transform: 5}
        - {Fn::If: [C, 1]}
        - {Fn::Sub: "${!Literal} ${Sg.Nope} ${AWS::Nope} ${Missing}"}
        - {Fn::Sub: "${"}
        - {Ref: [1, 2]}
        - {Ref: {a: 1}}
        - {Fn::Join: [",", !Ref P]}
        - {Fn::Length: 5}
        - {Fn::ToJsonString: !Ref P}
        - {Fn::ForEach::X: [a, b]}
  Loop1:
    Type: AWS::IAM::User
    Properties:
      UserName: !Ref Loop2
      Path: !GetAtt Loop2.Arn
  Loop2:
    Type: AWS::IAM::User
    DependsOn: [Loop1, Loop2]
    Properties:
      UserName: !Ref Loop1
      Path: !Sub "${Loop1.Arn}"
  Self:
    Type: AWS::IAM::User
    Properties:
      UserName: !Ref Self
"""


def test_intrinsics_with_wrong_arity_and_types(tree: Path) -> None:
    write(tree, "intrinsics.yaml", INTRINSICS)
    result = run(tree, ".")
    assert_good_reported(result)
    assert result.returncode in (1, 2)
    for line in result.any_error_for("intrinsics.yaml"):
        assert re.match(r"^intrinsics\.yaml:\d+(:\d+)?: error: ", line), line


def test_recursive_conditions_only(tree: Path) -> None:
    write(tree, "cond.yaml", CFN_HEAD + "Conditions:\n  A: !Condition B\n  B: {Fn::Not: [{Condition: A}]}\n"
          "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Condition: A\n"
          "  Sg:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: x\n"
          "      SecurityGroupIngress: !If [B, [{IpProtocol: -1, CidrIp: 0.0.0.0/0}], []]\n")
    result = run(tree, ".")
    assert_good_reported(result)
    assert result.returncode in (1, 2)


NESTED = CFN_HEAD + """\
Resources:
  Child:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: {url}
"""


def test_nested_stack_urls_stay_inside_the_tree(tree: Path, tmp_path_factory) -> None:
    outside = tmp_path_factory.mktemp("outside")
    secret = outside / "secret.yaml"
    # A template outside the scanned tree whose finding must never appear.
    secret.write_text(GOOD_CFN.replace("ssh", "OUTSIDE"))
    rel = os.path.relpath(secret, tree / "stacks")
    write(tree, "stacks/self.yaml", NESTED.format(url="./self.yaml"))
    write(tree, "stacks/passwd.yaml", NESTED.format(url="../../../../../../../../etc/passwd"))
    write(tree, "stacks/abs.yaml", NESTED.format(url=str(secret)))
    write(tree, "stacks/rel.yaml", NESTED.format(url=rel))
    write(tree, "stacks/fileurl.yaml", NESTED.format(url=f"file://{secret}"))
    write(tree, "stacks/dev.yaml", NESTED.format(url="/dev/zero"))
    write(tree, "stacks/a.yaml", NESTED.format(url="b.yaml"))
    write(tree, "stacks/b.yaml", NESTED.format(url="a.yaml"))
    result = run(tree, "stacks", "good.yaml", "goodtf")
    assert str(outside) not in result.stdout
    assert "OUTSIDE" not in result.stdout and "root:" not in result.stdout
    assert result.returncode == 1, result.stdout + result.stderr
    assert_good_reported(result)


# --------------------------------------------------------------------------------------------- JSON

def test_json_truncated(tree: Path) -> None:
    scan_bad(tree, "trunc.json", '{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"B": {"Type": "AWS::')


def test_json_trailing_commas(tree: Path) -> None:
    scan_bad(tree, "commas.json", '{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"B": '
             '{"Type": "AWS::S3::Bucket",},},}')


def test_json_deep_nesting(tree: Path) -> None:
    depth = 100_000
    scan_bad(tree, "deep.json", '{"AWSTemplateFormatVersion": "2010-09-09", "Resources": '
             + '{"a": ' * depth + "1" + "}" * depth + "}")
    write(tree, "deeplist.json", '{"AWSTemplateFormatVersion": "2010-09-09", "Resources": '
          + "[" * depth + "]" * depth + "}")
    result = run(tree, ".")
    assert result.errors_for("deeplist.json"), result.stdout


def test_json_duplicate_keys(tree: Path) -> None:
    result = scan_bad(tree, "dup.json", '{"AWSTemplateFormatVersion": "2010-09-09",\n"Resources": {"B": '
                      '{"Type": "AWS::S3::Bucket"}},\n"Resources": {}}')
    assert result.errors_for("dup.json")[0].startswith("dup.json:3:")


PLAN_VARIANTS = {
    "list": '{"format_version": "1.2", "planned_values": []}',
    "string_resources": '{"planned_values": {"root_module": {"resources": "x"}}}',
    "resource_strings": '{"planned_values": {"root_module": {"resources": ["x", 1, null]}}}',
    "child_modules": '{"planned_values": {"root_module": {"child_modules": "x", "resources": []}}}',
    "child_module_items": '{"planned_values": {"root_module": {"child_modules": [1, "a", {"resources": 5}]}}}',
    "values": '{"planned_values": {"root_module": {"resources": [{"type": 5, "name": [], "address": {}, '
              '"values": "x", "mode": 1}]}}}',
    "resource_changes": '{"planned_values": {}, "resource_changes": "x", "configuration": []}',
    "resource_change_items": '{"planned_values": {}, "resource_changes": [1, {"change": "x"}, '
                             '{"change": {"after": [], "after_unknown": 5}, "type": 1}]}',
    "configuration": '{"planned_values": {}, "configuration": {"root_module": {"resources": "x", '
                     '"module_calls": [1], "variables": 5}, "provider_config": []}}',
    "null": '{"planned_values": null, "prior_state": 5, "variables": [1]}',
    "top_list": '[{"planned_values": {}}]',
    "sg": '{"planned_values": {"root_module": {"resources": [{"address": "aws_security_group.x", '
          '"type": "aws_security_group", "name": "x", "mode": "managed", "values": {"ingress": "x", '
          '"egress": [1], "tags": 5}}, {"address": "aws_iam_user.u", "type": "aws_iam_user", "name": "u", '
          '"values": []}]}}}',
}


def test_plan_json_with_wrong_types(tree: Path) -> None:
    for name, text in PLAN_VARIANTS.items():
        if text.startswith("{"):  # a plan says so: without these keys it is quietly not ours
            text = '{"format_version": "1.2", "terraform_version": "1.9.0", ' + text[1:]
        write(tree, f"plans/{name}.json", text)
    result = run(tree, ".")
    assert_good_reported(result)
    assert result.returncode in (1, 2)
    for line in result.stdout.splitlines():
        if line.startswith("plans/") and ": error: " in line:
            assert re.match(r"^plans/\w+\.json(:\d+(:\d+)?)?: error: ", line), line


# --------------------------------------------------------------------------------------------- HCL

def test_hcl_unterminated_heredoc(tree: Path) -> None:
    scan_bad(tree, "bad/main.tf", 'locals {\n  x = <<EOF\nhello\n')


def test_hcl_unterminated_string(tree: Path) -> None:
    scan_bad(tree, "bad/main.tf", 'locals {\n  x = "hello\n}\n')


def test_hcl_unterminated_brace(tree: Path) -> None:
    scan_bad(tree, "bad/main.tf", 'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n')


@pytest.mark.slow
@pytest.mark.parametrize("opener,closer", [("(", ")"), ("[", "]"), ("{", "}")])
def test_hcl_deep_nesting(tree: Path, opener: str, closer: str) -> None:
    depth = 100_000
    result = scan_bad(tree, "bad/main.tf", "locals {\n  x = " + opener * depth + "1" * (opener != "{")
                      + closer * depth + "\n}\n")
    assert result.errors_for("bad/main.tf")[0].startswith("bad/main.tf:2"), result.stdout


def test_hcl_moderately_deep_expression(tree: Path) -> None:
    # Deep enough to exhaust the recursive evaluator, shallow enough for the parser.
    for depth in (500, 2000, 5000):
        write(tree, f"mid{depth}/main.tf", "locals {\n  x = " + "(" * depth + "1" + ")" * depth + "\n}\n"
              'resource "aws_iam_user" "u" { name = local.x }\n')
    result = run(tree, ".")
    assert_good_reported(result)
    assert result.returncode in (1, 2)


def test_hcl_locals_cycle(tree: Path) -> None:
    scan_ok(tree, "cycle/main.tf", 'locals {\n  a = local.b\n  b = local.c\n  c = local.a\n  d = local.d\n}\n'
            'resource "aws_security_group" "x" {\n  ingress {\n    cidr_blocks = [local.a]\n    from_port = local.d\n'
            '    to_port = 22\n    protocol = "tcp"\n  }\n}\n')


EXPANSIONS = {
    "count_huge": 'count = 1e9',
    "count_negative": 'count = -1',
    "count_fraction": 'count = 1.5',
    "count_string": 'count = "many"',
    "count_bigint": 'count = ' + "9" * 400,
    "for_each_range": 'for_each = toset([for i in range(1000000) : tostring(i)])',
    "for_each_range_direct": 'for_each = { for i in range(1000000) : tostring(i) => i }',
    "for_each_nested": 'for_each = toset(flatten([for i in range(2000) : [for j in range(2000) : "${i}-${j}"]]))',
}


@pytest.mark.slow
def test_hcl_huge_expansions(tree: Path) -> None:
    for name, meta in EXPANSIONS.items():
        write(tree, f"expand/{name}/main.tf", f'resource "aws_security_group" "x" {{\n  {meta}\n  ingress {{\n'
              '    from_port = 22\n    to_port = 22\n    protocol = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n')
    result = run(tree, ".", timeout=120)
    assert result.seconds < 60, result.seconds
    assert_good_reported(result)
    assert result.returncode in (1, 2)


def test_hcl_huge_dynamic_blocks(tree: Path) -> None:
    write(tree, "dyn/main.tf", 'resource "aws_security_group" "x" {\n  dynamic "ingress" {\n'
          '    for_each = range(1000000)\n    content {\n      from_port = ingress.value\n      to_port = 22\n'
          '      protocol = "tcp"\n      cidr_blocks = ["0.0.0.0/0"]\n    }\n  }\n}\n')
    result = run(tree, ".", timeout=120)
    assert result.seconds < 60, result.seconds
    assert_good_reported(result)


def test_hcl_recursive_modules(tree: Path) -> None:
    write(tree, "rec/self/main.tf", 'module "me" {\n  source = "./"\n}\nmodule "dot" {\n  source = "."\n}\n'
          'module "up" {\n  source = "../self"\n}\nmodule "big" {\n  source = "../other"\n  count = 1000\n}\n')
    write(tree, "rec/other/main.tf", 'module "back" {\n  source = "../self"\n  for_each = toset(["a", "b", "c"])\n}\n'
          'module "again" {\n  source = "../other"\n  count = 50\n}\n')
    result = scan_ok(tree, "rec/other/extra.tf", 'module "x" {\n  source = "../../rec/self"\n  count = 10\n}\n',
                     timeout=120)
    assert result.seconds < 60, result.seconds


def test_hcl_file_functions_stay_inside_the_tree(tree: Path, tmp_path_factory) -> None:
    outside = tmp_path_factory.mktemp("outside")
    (outside / "secret.txt").write_text("AKIAIOSFODNN7EXAMPLE-OUTSIDE")
    (outside / "t.tpl").write_text("password = hunter2-OUTSIDE ${x}")
    rel = os.path.relpath(outside / "secret.txt", tree / "files")
    write(tree, "files/main.tf", f"""\
locals {{
  a = file("/etc/passwd")
  b = file("../../../../../../../../etc/passwd")
  c = file("{rel}")
  d = file("{outside / 'secret.txt'}")
  e = templatefile("{outside / 't.tpl'}", {{ x = 1 }})
  f = templatefile("${{path.module}}/../../../../../../../etc/passwd", {{}})
  g = filebase64("/etc/passwd")
  h = fileset("/", "etc/*")
  i = fileexists("/etc/shadow")
  j = file("/dev/zero")
  k = file("/proc/self/environ")
  l = templatefile("t.tpl", {{ x = 1 }})
  m = file("link/secret.txt")
}}
resource "aws_iam_user" "u" {{
  name = "${{local.a}}${{local.b}}${{local.c}}${{local.d}}${{local.e}}${{local.f}}${{local.g}}${{local.j}}${{local.k}}"
  path = "${{local.l}}${{local.m}}"
  tags = {{ h = join(",", local.h), i = local.i }}
}}
resource "aws_iam_access_key" "k" {{
  user = local.d
}}
""")
    write(tree, "files/t.tpl", "${file(\"/etc/passwd\")} ${x}")
    os.symlink(outside, tree / "files" / "link")
    result = run(tree, ".", timeout=60)
    assert "OUTSIDE" not in result.stdout + result.stderr and "root:" not in result.stdout + result.stderr
    assert "AKIA" not in result.stdout
    assert_good_reported(result)


def test_symlink_to_outside_and_loops(tree: Path, tmp_path_factory) -> None:
    outside = tmp_path_factory.mktemp("outside")
    (outside / "out.yaml").write_text(GOOD_CFN.replace("ssh", "OUTSIDE"))
    (outside / "out.tf").write_text(GOOD_TF)
    os.symlink(outside, tree / "escape")
    os.symlink(outside / "out.yaml", tree / "escape_file.yaml")
    (tree / "loop").mkdir()
    os.symlink("..", tree / "loop" / "up")
    os.symlink(tree / "loop", tree / "loop" / "self")
    os.symlink("a", tree / "loop" / "b")
    os.symlink("b", tree / "loop" / "a")
    os.symlink("c.tf", tree / "loop" / "c.tf")
    result = run(tree, ".", timeout=60)
    assert_good_reported(result)
    # Directory links are not followed (no loop, no escape); a link to a regular file is read as that file,
    # reported at its name in the tree (as git and Terraform treat it); a link to itself is an error.
    assert "escape/" not in result.stdout and "loop/up" not in result.stdout and "loop/self" not in result.stdout
    assert str(outside) not in result.stdout
    assert re.search(r"^escape_file\.yaml:11:\d+: IAC201 ", result.stdout, re.M), result.stdout
    assert result.any_error_for("loop/c.tf"), result.stdout
    assert result.stdout.count("good.yaml:11") == 1, result.stdout
    assert result.returncode == 2


def test_string_functions_with_huge_outputs(tree: Path) -> None:
    write(tree, "strings/main.tf", """\
locals {
  a = format("%01000000000d", 1)
  b = join(",", range(1000000))
  c = strrev(join("", [for i in range(100000) : "xxxxxxxxxx"]))
  d = formatlist("%0100000d", range(100000))
  e = join("", [for i in range(1000) : join("", [for j in range(1000) : "x"])])
  f = "${local.e}${local.e}${local.e}${local.e}${local.e}${local.e}${local.e}${local.e}"
  g = replace(local.e, "x", local.e)
  h = format("%*d", 1000000000, 1)
  i = indent(100000000, "a\\nb")
  j = jsonencode(range(1000000))
  k = [for i in range(100000) : [for j in range(100000) : j]]
  l = setproduct(range(1000), range(1000), range(1000))
  m = title(local.b)
  n = format("%.1000000000f", 1.5)
  o = cidrsubnets("10.0.0.0/8", 24, 24, 24, 24)
}
resource "aws_iam_user" "u" {
  name = local.a
  path = "${local.b}${local.c}${local.d}${local.f}${local.g}${local.h}${local.i}${local.j}${local.m}${local.n}"
  tags = { k = length(local.k), l = length(local.l) }
}
""")
    result = run(tree, ".", timeout=120)
    assert result.seconds < 60, result.seconds
    assert len(result.stdout) < 100_000
    assert_good_reported(result)


def test_cidrsubnet_bad_arguments(tree: Path) -> None:
    write(tree, "cidr/main.tf", """\
locals {
  a = cidrsubnet("10.0.0.0/8", 100, 1)
  b = cidrsubnet("nonsense", 8, 1)
  c = cidrsubnet("10.0.0.0/8", -1, 1)
  d = cidrsubnet("10.0.0.0/8", 8, 99999999999999999999)
  e = cidrsubnet("10.0.0.0/8", 8, -1)
  f = cidrhost("10.0.0.0/8", 99999999999)
  g = cidrnetmask("::/200")
  h = cidrsubnets("10.0.0.0/8", 1000)
  i = cidrsubnet("::/0", 128, 1)
  j = cidrsubnet("10.0.0.0/8", "x", [])
  k = cidrsubnet(1, 2)
  l = cidrhost("10.0.0.0/8", 1e99)
  m = cidrsubnets("::/0", 64, 64, 64, 64, 64, 64)
}
resource "aws_security_group" "x" {
  ingress {
    from_port = 22
    to_port = 22
    protocol = "tcp"
    cidr_blocks = [local.a, local.b, local.c, local.d, local.e, local.f, local.g, local.h[0], local.i, local.j,
                   local.k, local.l, local.m[0]]
  }
}
""")
    result = run(tree, ".")
    assert_good_reported(result)
    assert result.returncode in (1, 2)


def test_regex_catastrophic_backtracking(tree: Path) -> None:
    write(tree, "regex/main.tf", f"""\
locals {{
  s = "{'a' * 40}!"
  a = regex("(a+)+$", local.s)
  b = regexall("(a|aa)+$", local.s)
  c = replace(local.s, "/(a*)*b/", "x")
  d = can(regex("^(([a-z])+.)+[A-Z]([a-z])+$", "{'a' * 40}"))
  e = regex("[", "x")
  f = regex("(?P<x>a)(?P<x>b)", "ab")
}}
resource "aws_iam_user" "u" {{
  name = "${{local.a}}${{local.b}}${{local.c}}${{local.d}}${{local.e}}${{local.f}}"
}}
""")
    result = run(tree, ".", timeout=60)
    assert result.seconds < 30, result.seconds
    assert_good_reported(result)


def test_unknown_functions(tree: Path) -> None:
    scan_ok(tree, "unk/main.tf", 'locals {\n  a = nosuchfunction(1, 2)\n  b = provider::aws::arn_parse("x")\n'
            '  c = __import__("os")\n  d = eval("1")\n}\nresource "aws_iam_user" "u" {\n'
            '  name = "${local.a}${local.b}${local.c}${local.d}"\n}\n')


TF_JSON_VARIANTS = {
    "list.tf.json": "[1, 2, 3]",
    "string.tf.json": '"resource"',
    "resource_list.tf.json": '{"resource": [1, "x", null]}',
    "resource_string.tf.json": '{"resource": "x"}',
    "types_list.tf.json": '{"resource": {"aws_s3_bucket": ["x"]}}',
    "body_string.tf.json": '{"resource": {"aws_s3_bucket": {"b": "x"}}}',
    "body_number.tf.json": '{"resource": {"aws_security_group": {"b": {"ingress": 5, "count": "x"}}}}',
    "locals.tf.json": '{"locals": [1], "variable": "x", "output": 5, "module": {"m": {"source": 5}}}',
    "expr.tf.json": '{"locals": {"a": "${", "b": "${nosuch(}", "c": "%{ if }"}}',
    "truncated.tf.json": '{"resource": {"aws_s3_bucket": {"b": {',
    "deep.tf.json": '{"locals": {"a": ' + "[" * 100_000 + "]" * 100_000 + "}}",
}


def test_tf_json_with_wrong_structure(tree: Path) -> None:
    for name, text in TF_JSON_VARIANTS.items():
        write(tree, f"tfjson/{name.split('.')[0]}/{name}", text)
    result = run(tree, ".")
    assert_good_reported(result)
    assert result.returncode == 2
    for line in result.stdout.splitlines():
        if line.startswith("tfjson/") and ": error: " in line:
            assert re.match(r"^tfjson/\S+\.tf\.json(:\d+(:\d+)?)?: error: ", line), line
    assert result.errors_for("tfjson/truncated/truncated.tf.json") or result.any_error_for(
        "tfjson/truncated/truncated.tf.json"), result.stdout


# --------------------------------------------------------------------------------------------- files

@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_unreadable_file(tree: Path) -> None:
    path = write(tree, "secret.yaml", GOOD_CFN)
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running as root: modes do not stop reading")
        result = run(tree, ".")
        assert result.any_error_for("secret.yaml"), result.stdout
        assert result.returncode == 2
        assert_good_reported(result)
    finally:
        path.chmod(0o644)


def test_directory_named_like_a_template(tree: Path) -> None:
    (tree / "x.yaml").mkdir()
    (tree / "dir.tf").mkdir()
    result = run(tree, ".")
    assert_good_reported(result)
    result = run(tree, "x.yaml", "dir.tf", "good.yaml", "goodtf")
    assert_good_reported(result)
    assert result.returncode in (1, 2)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_never_blocks(tree: Path) -> None:
    os.mkfifo(tree / "x.yaml")
    os.mkfifo(tree / "pipe.tf")
    (tree / "fifomod").mkdir()
    os.mkfifo(tree / "fifomod" / "main.tf")
    result = run(tree, ".", timeout=30)
    assert result.any_error_for("x.yaml"), result.stdout
    assert result.returncode == 2
    assert_good_reported(result)
    result = run(tree, "x.yaml", "good.yaml", "goodtf", timeout=30)
    assert result.any_error_for("x.yaml"), result.stdout
    assert result.returncode == 2


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_device_named_on_the_command_line(tree: Path) -> None:
    os.symlink("/dev/zero", tree / "zero.yaml")
    os.symlink("/dev/urandom", tree / "zero.tf")
    result = run(tree, ".", timeout=30)
    assert result.any_error_for("zero.yaml"), result.stdout
    assert result.returncode == 2
    assert_good_reported(result)


def test_broken_symlink(tree: Path) -> None:
    os.symlink("nowhere.tf", tree / "goodtf" / "x.tf")
    os.symlink("nowhere.yaml", tree / "x.yaml")
    result = run(tree, ".")
    assert_good_reported(result)
    assert result.returncode in (1, 2)
    result = run(tree, "x.yaml", "goodtf/x.tf", "good.yaml", "goodtf")
    assert result.any_error_for("x.yaml") or "x.yaml" in result.stderr, result.stdout
    assert result.returncode == 2
    assert_good_reported(result)


def test_path_given_twice(tree: Path) -> None:
    result = run(tree, "good.yaml", "good.yaml", "./good.yaml", ".", "goodtf", "goodtf/main.tf")
    assert result.returncode == 1, result.stdout + result.stderr
    assert_good_reported(result)
    assert result.stdout.count("good.yaml:11") == 1, result.stdout
    assert result.stdout.count("goodtf/main.tf:") == 1, result.stdout


def test_nonexistent_path(tree: Path) -> None:
    result = run(tree, "nope.yaml", "good.yaml", "goodtf")
    assert result.returncode == 2
    assert any(line.startswith("nope.yaml") and ": error: " in line for line in result.stdout.splitlines()), \
        result.stdout
    assert_good_reported(result)


def test_hcl_syntax_errors_never_echo_file_content(tree: Path) -> None:
    # A credentials file named like Terraform: the parser's message quoted the whole file.
    secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    write(tree, "creds/credentials.tf", f"[default]\naws_secret_access_key = {secret}\n")
    write(tree, "quoted/main.tf", f'locals {{\n  x = "a" "{secret}"\n  y = {secret}\n}}\n')
    result = run(tree, ".")
    assert secret not in result.stdout + result.stderr
    assert result.errors_for("creds/credentials.tf")[0].startswith("creds/credentials.tf:1:1: error: invalid HCL")
    assert result.errors_for("quoted/main.tf")[0].startswith("quoted/main.tf:2:11: error: invalid HCL: unexpected")
    assert result.returncode == 2
    assert_good_reported(result)


HUGE = "9" * 5000


@pytest.mark.parametrize("count", ["1e400", "-1e400", HUGE, f'"{HUGE}"', '"nan"', '"1e400"'])
def test_hcl_count_beyond_python_numbers(tree: Path, count: str) -> None:
    # int(inf), int(nan) and 5,000-digit numbers raised inside the evaluator: the whole module was lost.
    write(tree, "count/main.tf", GOOD_TF.replace("{\n", f"{{\n  count = {count}\n", 1)
          + f'module "m" {{\n  source = "./"\n  count = {count}\n}}\n')
    result = run(tree, ".")
    assert re.search(r"^count/main\.tf:\d+:\d+: IAC201 ", result.stdout, re.M), result.stdout
    assert result.returncode == 1
    assert_good_reported(result)


def test_hcl_number_edge_cases_never_lose_the_module(tree: Path) -> None:
    values = [f"format(\"%0{HUGE}d\", 1)", f"substr(\"abc\", {HUGE}, 1)", f"element([1, 2], {HUGE})",
              "range(1e308)", "range(0, 1, 1e-300)", "chunklist([1, 2, 3], 0)", f'tonumber("{HUGE}")',
              f"{HUGE} * {HUGE}", "5 / 0", "5 % 0", "pow(10, 100000)", "ceil(1e400)", f'parseint("{HUGE}", 10)',
              f"[1, 2, 3][{HUGE}]", f"cidrhost(\"10.0.0.0/8\", {HUGE})", f"slice([1, 2, 3], {HUGE}, 1)",
              f'jsondecode("{HUGE}")', f'format("%.{HUGE}f", 1.5)', f'cidrsubnets("10.0.0.0/8", {HUGE})',
              f'"%{{for i in range({HUGE})}}x%{{endfor}}"', f"[for i in {HUGE} : i]", f"-{HUGE}"]
    body = "".join(f'resource "aws_iam_user" "u{i}" {{\n  name = {value}\n}}\n' for i, value in enumerate(values))
    write(tree, "numbers/main.tf", body + GOOD_TF)
    result = run(tree, ".")
    assert re.search(r"^numbers/main\.tf:\d+:\d+: IAC201 ", result.stdout, re.M), result.stdout
    assert result.returncode == 1
    assert_good_reported(result)


@pytest.mark.parametrize("expression", [
    '!Cidr ["::/0", 1000000000, 64]',  # generated 2**64 subnets one by one: hung
    '!Cidr ["10.0.0.0/8", 1e400, 8]', '!Cidr ["10.0.0.0/8", .nan, 8]', '!Select [1e400, [a]]',
    '!Select [.nan, [a]]', f"!Select [{HUGE}, [a]]", f"!Sub ['${{x}}', {{x: {HUGE}}}]", "!Base64 1e400",
])
def test_cfn_intrinsics_with_hostile_numbers(tree: Path, expression: str) -> None:
    write(tree, "num.yaml", GOOD_CFN.replace("GroupDescription: ssh", f"GroupDescription: {expression}"))
    result = run(tree, ".", timeout=30)
    assert re.search(r"^num\.yaml:11:\d+: IAC201 ", result.stdout, re.M), result.stdout
    assert result.returncode == 1
    assert_good_reported(result)


@pytest.mark.skipif(not hasattr(os, "mkfifo") or not os.path.exists("/dev/zero"), reason="needs FIFOs and /dev/zero")
def test_pipes_and_devices_read_through_functions_and_nested_stacks(tree: Path) -> None:
    os.mkfifo(tree / "pipe.txt")
    os.mkfifo(tree / "terraform.tfvars")
    os.symlink("/dev/zero", tree / "zero.json")
    os.symlink("/dev/zero", tree / "zero.auto.tfvars")
    write(tree, "main.tf", 'locals {\n  a = file("pipe.txt")\n  b = templatefile("pipe.txt", {})\n'
          '  c = jsondecode(file("zero.json"))\n  d = filemd5("pipe.txt")\n}\n'
          'resource "aws_iam_user" "u" {\n  name = "${local.a}${local.b}${local.d}"\n  tags = local.c\n}\n')
    os.mkfifo(tree / "child.yaml")
    write(tree, "parent.yaml", NESTED.format(url="child.yaml"))
    result = run(tree, ".", timeout=30)
    assert result.any_error_for("zero.json") and result.any_error_for("child.yaml"), result.stdout
    assert result.returncode == 2
    assert_good_reported(result)


@pytest.mark.skipif(shutil.which("bash") is None or not os.path.isdir("/dev/fd"), reason="needs bash and /dev/fd")
def test_process_substitution_is_still_read(tree: Path) -> None:
    # Pipes in the scanned tree are refused; a pipe the user passes on purpose (`<(...)`) is read.
    write(tree, "var/main.tf", 'variable "p" {\n  default = "10.0.0.0/8"\n}\n'
          + GOOD_TF.replace('["0.0.0.0/0"]', "[var.p]"))
    proc = subprocess.run(["bash", "-c", f'"{IACLINT}" --var-file <(printf \'p = "0.0.0.0/0"\\n\') var'],
                          cwd=tree, capture_output=True, text=True, timeout=30)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "IAC201" in proc.stdout and "(the value given for var.p, /dev/fd/" in proc.stdout, proc.stdout


@pytest.mark.slow
def test_yaml_millions_of_values_without_aliases(tree: Path) -> None:
    # 6 MB, 3 million numbers: composing took about a minute and gigabytes before anything could check it.
    result = scan_bad(tree, "flat.yaml", CFN_HEAD + "Resources: {}\nMetadata: [" + "1," * 3_000_000 + "1]\n",
                      timeout=60)
    assert result.errors_for("flat.yaml")[0].startswith("flat.yaml:3:"), result.stdout
    assert "more than 1,000,000 values" in result.stdout
    assert result.seconds < 20, result.seconds


def test_json_numbers_beyond_python_in_plans_and_tf_json(tree: Path) -> None:
    # A 5,000-digit number in a plan stopped the whole scan: "iaclint: error: Exceeds the limit ...".
    write(tree, "plan.json", '{"format_version": "1.2", "terraform_version": "1.9.0", "planned_values": '
          '{"root_module": {"resources": [{"address": "aws_iam_user.u", "type": "aws_iam_user", "name": "u", '
          f'"mode": "managed", "values": {{"name": {HUGE}}}}}]}}}}}}')
    write(tree, "tfjson/a.tf.json", f'{{"locals": {{"x": {HUGE}}}}}')
    write(tree, "vars/main.tf", 'variable "x" {}\n')
    write(tree, "vars/terraform.tfvars.json", f'{{"x": {HUGE}}}')
    result = run(tree, ".")
    assert result.errors_for("plan.json") and result.errors_for("tfjson/a.tf.json"), result.stdout
    assert result.returncode == 2
    assert_good_reported(result)


@pytest.mark.slow
def test_json_plan_with_millions_of_values(tree: Path) -> None:
    write(tree, "plan.json", '{"format_version": "1.2", "terraform_version": "1.9.0", "planned_values": '
          '{"root_module": {"resources": []}}, "x": [' + "1," * 2_100_000 + "1]}")
    result = scan_bad(tree, "plan.json", (tree / "plan.json").read_text(), timeout=90)
    assert "more than 2,000,000 values" in result.stdout
