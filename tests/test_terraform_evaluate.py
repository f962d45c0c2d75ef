"""The Terraform front end evaluates a module as Terraform would: values, origins, via and locations."""

from __future__ import annotations

import json
import os
import textwrap

import pytest

from iaclint.options import Inputs
from iaclint.terraform.module import load_module, module_files
from iaclint.values import DEFAULT, LITERAL, RESOLVED, UNKNOWN, ResourceRef


def write(root, files: dict[str, str]) -> str:
    for name, text in files.items():
        path = os.path.join(root, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as handle:
            handle.write(textwrap.dedent(text).lstrip("\n"))
    return str(root)


def read_text(path: str) -> str:
    with open(path) as handle:
        return handle.read()


def load(root, files: dict[str, str], options: Inputs | None = None):
    directory = write(root, files)
    document, errors = load_module(directory, module_files(directory), read_text, options)
    return document, errors


def resource(document, name):
    found = [r for r in document.resources if r.name == name]
    assert found, f"{name} not in {[r.name for r in document.resources]}"
    return found[0]


def written_at(value):
    """Where a value was written: the first step of its origin chain, or where it is used if written there."""
    return value.trace[0].loc if value.trace else value.loc


def attr(document, name, attribute):
    return resource(document, name).properties.get(attribute)


# -- variables -------------------------------------------------------------------------------------------------

def test_variable_precedence_and_locations(tmp_path):
    document, errors = load(tmp_path, {
        "main.tf": """
            variable "a" { default = "default-a" }
            variable "b" { default = "default-b" }
            variable "c" { default = "default-c" }
            variable "d" { default = "default-d" }
            variable "e" { default = "default-e" }
            variable "f" { default = "default-f" }
            resource "x_thing" "t" {
              a = var.a
              b = var.b
              c = var.c
              d = var.d
              e = var.e
              f = var.f
            }
        """,
        "terraform.tfvars": 'b = "tfvars-b"\nc = "tfvars-c"\nd = "tfvars-d"\ne = "tfvars-e"\nf = "tfvars-f"\n',
        "terraform.tfvars.json": '{\n  "c": "json-c",\n  "d": "json-d",\n  "e": "json-e",\n  "f": "json-f"\n}\n',
        "b.auto.tfvars": 'd = "auto-b-d"\ne = "auto-b-e"\nf = "auto-b-f"\n',
        "a.auto.tfvars.json": '{"d": "auto-a-d"}\n',
        "extra.tfvars": 'e = "file-e"\nf = "file-f"\n',
    }, Inputs(terraform_var_files=(str(tmp_path / "extra.tfvars"),), terraform_vars={"f": "cli-f"}))
    assert errors == []
    a = attr(document, "x_thing.t", "a")
    assert (a.raw, a.origin, a.via, written_at(a).line) == ("default-a", DEFAULT, ("var.a",), 1)
    # Used where `a = var.a` is written; the chain says where the value came from.
    assert (a.loc.line, [step.what for step in a.trace]) == (8, ["the default of var.a"])
    b = attr(document, "x_thing.t", "b")
    assert (b.raw, b.origin, b.via, os.path.basename(written_at(b).file), written_at(b).line) == (
        "tfvars-b", RESOLVED, ("var.b",), "terraform.tfvars", 1)
    c = attr(document, "x_thing.t", "c")
    assert (c.raw, os.path.basename(written_at(c).file), written_at(c).line, written_at(c).column) == ("json-c", "terraform.tfvars.json", 2, 8)
    d = attr(document, "x_thing.t", "d")  # a.auto.tfvars.json < b.auto.tfvars (name order)
    assert (d.raw, os.path.basename(written_at(d).file)) == ("auto-b-d", "b.auto.tfvars")
    e = attr(document, "x_thing.t", "e")
    assert (e.raw, os.path.basename(written_at(e).file)) == ("file-e", "extra.tfvars")
    f = attr(document, "x_thing.t", "f")
    assert (f.raw, f.origin, f.via) == ("cli-f", RESOLVED, ("var.f",))
    assert document.parameters["a"].default.raw == "default-a"
    assert document.parameters["a"].reference == "var.a"


def test_variable_without_value_is_unknown_and_typed_optional_attributes(tmp_path):
    document, _ = load(tmp_path, {
        "main.tf": """
            variable "missing" {}
            variable "settings" {
              type = object({
                name    = string
                port    = optional(number, 8080)
                comment = optional(string)
              })
              default = { name = "n" }
            }
            resource "x_thing" "t" {
              missing = var.missing
              port    = var.settings.port
              comment = var.settings.comment
            }
        """,
    })
    missing = attr(document, "x_thing.t", "missing")
    assert missing.origin == UNKNOWN and missing.reason == "var.missing has no value" and missing.via == ("var.missing",)
    port = attr(document, "x_thing.t", "port")
    assert (port.raw, port.origin, written_at(port).line) == (8080, DEFAULT, 5)
    assert attr(document, "x_thing.t", "comment").raw is None


def test_sensitive_variable(tmp_path):
    document, _ = load(tmp_path, {"main.tf": 'variable "pw" {\n  sensitive = true\n}\n'})
    assert document.parameters["pw"].sensitive is True and document.parameters["pw"].default is None


# -- expressions -----------------------------------------------------------------------------------------------

def test_locals_templates_heredocs_and_escapes(tmp_path):
    document, errors = load(tmp_path, {
        "main.tf": '''
            locals {
              name   = "web"
              full   = "${local.name}-${upper(local.name)}"
              escape = "a$${b}%%{c}\\n\\"q\\""
              loop_a = local.loop_b
              loop_b = local.loop_a
            }
            resource "x_thing" "t" {
              full   = local.full
              escape = local.escape
              loop   = local.loop_a
              trim   = <<-EOT
                first ${local.name}
                  indented $${literal}
                EOT
              keep   = <<EOT
              kept
            EOT
              directive = "%{ for i in [1, 2] }<${i}>%{ endfor }%{ if local.name == "web" }yes%{ else }no%{ endif }"
              stripped  = <<-EOT
                %{~ for p in ["a", "b"] ~}
                ${p}
                %{~ endfor ~}
                EOT
            }
        ''',
    })
    assert errors == []
    full = attr(document, "x_thing.t", "full")
    assert (full.raw, full.origin) == ("web-WEB", RESOLVED)
    # Computed at line 3 from local.name (line 2), and used where `full = local.full` is written.
    assert [(step.loc.line, step.what) for step in full.trace] == [(2, "local.name"), (3, "local.full")]
    escape = attr(document, "x_thing.t", "escape")
    assert (escape.raw, escape.origin) == ('a${b}%{c}\n"q"', LITERAL)
    loop = attr(document, "x_thing.t", "loop")
    assert loop.origin == UNKNOWN and "refers to itself" in loop.reason
    trim = attr(document, "x_thing.t", "trim")
    assert trim.raw == "first web\n  indented ${literal}\n" and trim.loc.line == 12
    assert attr(document, "x_thing.t", "keep").raw == "  kept\n"
    assert attr(document, "x_thing.t", "directive").raw == "<1><2>yes"
    assert attr(document, "x_thing.t", "stripped").raw == "ab"


def test_interpolation_in_heredoc_points_into_the_file(tmp_path):
    document, _ = load(tmp_path, {
        "main.tf": """
            variable "pw" { default = "x" }
            resource "x_thing" "t" {
              only = <<-EOT
                ${var.pw}
                EOT
            }
        """,
    })
    value = attr(document, "x_thing.t", "only")
    assert value.raw == "x\n" and value.via == ("var.pw",)


def test_conditionals_for_splat_index(tmp_path):
    document, _ = load(tmp_path, {
        "main.tf": """
            variable "public" { default = false }
            locals {
              users = [{ name = "a", admin = true }, { name = "b", admin = false }]
              by    = { for u in local.users : u.name => u if u.admin }
              group = { for u in local.users : (u.admin ? "admins" : "others") => u.name... }
            }
            resource "x_thing" "t" {
              cidr   = var.public ? "0.0.0.0/0" : "10.0.0.0/8"
              names  = local.users[*].name
              admins = keys(local.by)
              second = local.users[1].name
              group  = local.group
              unknown_cond = data.x_y.z.flag ? "a" : "b"
            }
        """,
    })
    cidr = attr(document, "x_thing.t", "cidr")
    assert (cidr.raw, cidr.origin, cidr.loc.line) == ("10.0.0.0/8", LITERAL, 8)
    assert attr(document, "x_thing.t", "names").plain() == ["a", "b"]
    assert attr(document, "x_thing.t", "admins").plain() == ["a"]
    second = attr(document, "x_thing.t", "second")
    assert (second.raw, written_at(second).line) == ("b", 3)
    assert attr(document, "x_thing.t", "group").plain() == {"admins": ["a"], "others": ["b"]}
    unknown = attr(document, "x_thing.t", "unknown_cond")
    assert unknown.origin == UNKNOWN and "data.x_y.z" in unknown.reason


@pytest.mark.parametrize("expression, expected", [
    ('merge({a = 1}, {b = 2}, {a = 3})', {"a": 3, "b": 2}),
    ('concat(["a"], ["b", "c"])', ["a", "b", "c"]),
    ('flatten([["a"], [["b"]], "c"])', ["a", "b", "c"]),
    ('lookup({a = "x"}, "b", "dflt")', "dflt"),
    ('element(["a", "b"], 3)', "b"),
    ('format("%s-%03d", "id", 7)', "id-007"),
    ('join(",", ["a", "b"])', "a,b"),
    ('split(",", "a,b")', ["a", "b"]),
    ('replace("a-b-c", "-", "_")', "a_b_c"),
    ('replace("abc123", "/[0-9]+/", "N")', "abcN"),
    ('lower("ABC")', "abc"),
    ('coalesce("", "x")', "x"),
    ('try(local.missing_key.nope, "fallback")', "fallback"),
    ('can(tonumber("x"))', False),
    ('tolist(toset(["b", "a", "b"]))', ["b", "a"]),
    ('tomap({a = 1})', {"a": 1}),
    ('values({b = 2, a = 1})', [1, 2]),
    ('length({a = 1, b = 2})', 2),
    ('contains(["a", "b"], "b")', True),
    ('distinct(["a", "a", "b"])', ["a", "b"]),
    ('compact(["a", "", null, "b"])', ["a", "b"]),
    ('zipmap(["a", "b"], [1, 2])', {"a": 1, "b": 2}),
    ('cidrsubnet("10.0.0.0/16", 8, 2)', "10.0.2.0/24"),
    ('jsondecode("{\\"a\\": [1]}")', {"a": [1]}),
    ('jsonencode({a = 1})', {"a": 1}),
    ('"${jsonencode({a = [1, "x"]})}!"', '{"a":[1,"x"]}!'),
    ('1 + 2 * 3', 7),
    ('10 / 4', 2.5),
    ('!(1 < 2) || 3 >= 3', True),
])
def test_functions(tmp_path, expression, expected):
    document, errors = load(tmp_path, {"main.tf": f'resource "x_thing" "t" {{\n  v = {expression}\n}}\n'})
    value = attr(document, "x_thing.t", "v")
    assert value.is_known, value.reason
    assert value.plain() == expected


def test_unimplemented_function_and_data_source_are_unknown_with_reason(tmp_path):
    document, _ = load(tmp_path, {
        "main.tf": """
            data "aws_caller_identity" "current" {}
            resource "x_thing" "t" {
              a = bcrypt("x")
              b = data.aws_caller_identity.current.account_id
              c = "arn:${aws_iam_user.u.arn}"
              d = "arn:${aws_iam_user.v.arn}"
            }
            resource "aws_iam_user" "v" {}
        """,
    })
    assert attr(document, "x_thing.t", "a").reason == "function bcrypt() is not evaluated"
    assert attr(document, "x_thing.t", "b").reason == "data.aws_caller_identity.current.account_id is known only after apply"
    assert attr(document, "x_thing.t", "c").reason == "aws_iam_user.u.arn is not known before apply"  # not declared
    assert attr(document, "x_thing.t", "d").reason == "aws_iam_user.v.arn is known only after apply"


def test_file_is_read_only_inside_the_tree(tmp_path):
    (tmp_path / "outside.txt").write_text("secret")
    document, _ = load(tmp_path / "mod", {
        "main.tf": """
            resource "x_thing" "t" {
              inside  = file("${path.module}/files/p.json")
              up      = file("../outside.txt")
              root    = file("/etc/hostname")
              missing = try(file("nope.txt"), "none")
            }
        """,
        "files/p.json": '{"a": 1}',
    })
    inside = attr(document, "x_thing.t", "inside")
    assert (inside.raw, inside.origin, inside.loc.line) == ('{"a": 1}', RESOLVED, 2)
    for name in ("up", "root"):
        value = attr(document, "x_thing.t", name)
        assert value.origin == UNKNOWN and "outside the scanned tree" in value.reason
    assert attr(document, "x_thing.t", "missing").raw == "none"


# -- references, count, for_each, dynamic ---------------------------------------------------------------------

def test_count_and_for_each_instances(tmp_path):
    document, _ = load(tmp_path, {
        "main.tf": """
            locals {
              ports = toset(["22", "80"])
            }
            resource "aws_security_group_rule" "r" {
              for_each  = local.ports
              from_port = each.value
              key       = each.key
            }
            resource "aws_iam_user" "u" {
              count = 2
              name  = "user-${count.index}"
            }
            resource "aws_iam_user" "none" {
              count = 0
            }
            resource "x_ref" "t" {
              one  = aws_iam_user.u[1].name
              all  = aws_iam_user.u[*].arn
              rule = aws_security_group_rule.r["22"].id
            }
        """,
    })
    names = [r.name for r in document.resources]
    assert names == ['aws_security_group_rule.r["22"]', 'aws_security_group_rule.r["80"]',
                     "aws_iam_user.u[0]", "aws_iam_user.u[1]", "x_ref.t"]
    port = attr(document, 'aws_security_group_rule.r["80"]', "from_port")
    assert (port.raw, port.origin, written_at(port).line) == ("80", LITERAL, 2)
    assert attr(document, "aws_iam_user.u[1]", "name").raw == "user-1"
    assert attr(document, "x_ref.t", "one").raw == ResourceRef("aws_iam_user.u[1]", "name")
    assert [v.raw for v in attr(document, "x_ref.t", "all").raw] == [
        ResourceRef("aws_iam_user.u[0]", "arn"), ResourceRef("aws_iam_user.u[1]", "arn")]
    assert attr(document, "x_ref.t", "rule").raw == ResourceRef('aws_security_group_rule.r["22"]', "id")


def test_dynamic_blocks(tmp_path):
    document, _ = load(tmp_path, {
        "main.tf": """
            variable "rules" {
              default = {
                ssh = { port = 22, cidr = "0.0.0.0/0" }
              }
            }
            data "x_y" "z" {}
            resource "aws_security_group" "sg" {
              ingress {
                from_port = 443
              }
              dynamic "ingress" {
                for_each = var.rules
                iterator = rule
                content {
                  from_port   = rule.value.port
                  description = rule.key
                  cidr_blocks = [rule.value.cidr]
                }
              }
              dynamic "egress" {
                for_each = data.x_y.z.list
                content {
                  from_port = egress.value
                }
              }
            }
        """,
    })
    ingress = attr(document, "aws_security_group.sg", "ingress").raw
    assert len(ingress) == 2 and ingress[0].get("from_port").raw == 443
    cidr = ingress[1].get("cidr_blocks").raw[0]
    assert (cidr.raw, cidr.origin, cidr.via, written_at(cidr).line) == ("0.0.0.0/0", DEFAULT, ("var.rules",), 3)
    assert ingress[1].get("description").raw == "ssh"
    egress = attr(document, "aws_security_group.sg", "egress").raw
    assert len(egress) == 1 and egress[0].origin == UNKNOWN and "data.x_y.z.list" in egress[0].reason


def test_policy_document(tmp_path):
    document, _ = load(tmp_path, {
        "main.tf": """
            data "aws_iam_policy_document" "p" {
              statement {
                sid       = "Deny"
                effect    = "Deny"
                not_actions = ["iam:*"]
                resources = ["*"]
                principals {
                  type        = "AWS"
                  identifiers = ["arn:aws:iam::123456789012:root"]
                }
                condition {
                  test     = "BoolIfExists"
                  variable = "aws:MultiFactorAuthPresent"
                  values   = ["false"]
                }
                condition {
                  test     = "BoolIfExists"
                  variable = "aws:SecureTransport"
                  values   = ["false"]
                }
              }
              statement {
                actions   = ["s3:GetObject"]
                resources = ["*"]
              }
            }
            resource "aws_iam_policy" "p" {
              policy = data.aws_iam_policy_document.p.json
            }
        """,
    })
    policy = attr(document, "aws_iam_policy.p", "policy")
    assert policy.plain() == {
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "Deny", "Effect": "Deny", "NotAction": ["iam:*"], "Resource": ["*"],
             "Principal": {"AWS": ["arn:aws:iam::123456789012:root"]},
             "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": ["false"], "aws:SecureTransport": ["false"]}}},
            {"Action": ["s3:GetObject"], "Resource": ["*"], "Effect": "Allow"},
        ],
    }
    statements = policy.get("Statement").raw
    assert statements[0].loc.line == 2
    assert statements[0].get("Condition").get("BoolIfExists").get("aws:MultiFactorAuthPresent").raw[0].loc.line == 14
    assert statements[1].get("Effect").loc.line == 22


# -- modules --------------------------------------------------------------------------------------------------

def test_local_child_module(tmp_path):
    document, errors = load(tmp_path, {
        "main.tf": """
            variable "prefix" { default = "team" }
            module "web" {
              source = "./modules/web"
              name   = "${var.prefix}-web"
              cidr   = "0.0.0.0/0"
            }
            resource "x_use" "u" {
              user = module.web.user
              sg   = module.web.sg_id
            }
        """,
        "modules/web/main.tf": """
            variable "name" {}
            variable "cidr" {}
            resource "aws_iam_user" "this" {
              name = var.name
            }
            resource "aws_security_group" "this" {
              ingress {
                cidr_blocks = [var.cidr]
              }
            }
            output "user" { value = aws_iam_user.this.name }
            output "sg_id" { value = aws_security_group.this.id }
        """,
    })
    assert errors == []
    user = resource(document, "module.web.aws_iam_user.this")
    assert user.loc.file.endswith(os.path.join("modules", "web", "main.tf")) and user.loc.line == 3
    name = user.properties.get("name")
    assert (name.raw, name.origin, name.via) == ("team-web", RESOLVED, ("var.prefix", "module.web.var.name"))
    cidr = resource(document, "module.web.aws_security_group.this").properties.get("ingress").raw[0].get("cidr_blocks").raw[0]
    assert (cidr.raw, cidr.origin, cidr.via, os.path.basename(written_at(cidr).file), written_at(cidr).line) == (
        "0.0.0.0/0", LITERAL, ("module.web.var.cidr",), "main.tf", 5)
    assert attr(document, "x_use.u", "user").raw == ResourceRef("module.web.aws_iam_user.this", "name")


def test_module_for_each_and_installed_and_remote_modules(tmp_path):
    document, errors = load(tmp_path, {
        "main.tf": """
            module "team" {
              for_each = toset(["a", "b"])
              source   = "./team"
              name     = each.key
            }
            module "installed" {
              source  = "terraform-aws-modules/iam/aws"
              version = "5.0.0"
            }
            module "remote" {
              source = "git::https://example.com/x.git"
            }
            module "missing" {
              source = "./nope"
            }
            resource "x_use" "u" {
              remote = module.remote.id
              team   = module.team["b"].user
            }
        """,
        "team/main.tf": 'variable "name" {}\nresource "aws_iam_user" "u" { name = var.name }\noutput "user" { value = var.name }\n',
        ".terraform/modules/modules.json": json.dumps({"Modules": [
            {"Key": "", "Source": "", "Dir": "."},
            {"Key": "installed", "Source": "registry.terraform.io/terraform-aws-modules/iam/aws", "Dir": ".terraform/modules/installed"},
        ]}),
        ".terraform/modules/installed/main.tf": 'resource "aws_iam_user" "x" { name = "installed" }\n',
    })
    names = [r.name for r in document.resources]
    assert 'module.team["a"].aws_iam_user.u' in names and 'module.team["b"].aws_iam_user.u' in names
    assert "module.installed.aws_iam_user.x" in names
    assert attr(document, 'module.team["b"].aws_iam_user.u', "name").raw == "b"
    assert attr(document, "x_use.u", "team").raw == "b"
    remote = attr(document, "x_use.u", "remote")
    assert remote.origin == UNKNOWN and remote.reason == "module.remote (remote module not installed)"
    assert [(os.path.basename(e.file), e.line) for e in errors] == [("main.tf", 14)]
    assert "not found" in errors[0].message


def test_parse_error_is_reported_and_the_rest_is_used(tmp_path):
    document, errors = load(tmp_path, {
        "bad.tf": 'resource "x" "y" {\n  a = \n}\n',
        "good.tf": 'resource "x_thing" "t" {\n  a = 1\n}\n',
    })
    assert [r.name for r in document.resources] == ["x_thing.t"]
    assert len(errors) == 1 and errors[0].file.endswith("bad.tf") and errors[0].line == 2


def test_bad_tfvars_is_an_error(tmp_path):
    document, errors = load(tmp_path, {
        "main.tf": 'variable "a" { default = "d" }\nresource "x_thing" "t" {\n  a = var.a\n}\n',
        "terraform.tfvars.json": '{"a": ',
    })
    assert attr(document, "x_thing.t", "a").raw == "d"
    assert len(errors) == 1 and errors[0].file.endswith("terraform.tfvars.json") and errors[0].line == 1


def test_policy_document_sources_and_overrides(tmp_path):
    document, _ = load(tmp_path, {
        "main.tf": """
            data "aws_iam_policy_document" "base" {
              statement {
                sid       = "Read"
                actions   = ["s3:GetObject"]
                resources = ["*"]
              }
            }
            data "aws_iam_policy_document" "p" {
              source_policy_documents = [
                data.aws_iam_policy_document.base.json,
                jsonencode({ Statement = [{ Sid = "Text", Effect = "Allow", Action = "sqs:*", Resource = "*" }] }),
              ]
              override_policy_documents = ["{\\"Statement\\": [{\\"Sid\\": \\"Read\\", \\"Effect\\": \\"Deny\\", \\"Action\\": \\"*\\", \\"Resource\\": \\"*\\"}]}"]
            }
            resource "aws_iam_policy" "p" {
              policy = data.aws_iam_policy_document.p.json
            }
        """,
    })
    statements = attr(document, "aws_iam_policy.p", "policy").get("Statement").plain()
    assert statements == [
        {"Sid": "Read", "Effect": "Deny", "Action": "*", "Resource": "*"},
        {"Sid": "Text", "Effect": "Allow", "Action": "sqs:*", "Resource": "*"},
    ]


def test_module_with_unknown_for_each_is_read_once(tmp_path):
    document, errors = load(tmp_path, {
        "main.tf": """
            module "m" {
              for_each = data.x_y.z.names
              source   = "./m"
            }
            data "x_y" "z" {}
            resource "x_use" "u" {
              all = module.m
              one = module.m["a"].name
            }
        """,
        "m/main.tf": 'resource "aws_iam_user" "u" { name = "fixed" }\noutput "name" { value = "fixed" }\n',
    })
    assert errors == []
    assert "module.m.aws_iam_user.u" in [r.name for r in document.resources]
    assert attr(document, "x_use.u", "all").origin == UNKNOWN
    assert attr(document, "x_use.u", "one").raw == "fixed"


def test_json_configuration_syntax(tmp_path):
    document, errors = load(tmp_path, {
        "main.tf.json": """
            {
              "variable": {"cidr": {"default": "0.0.0.0/0"}},
              "resource": {
                "aws_security_group": {
                  "sg": {
                    "name": "sg-${var.cidr}",
                    "ingress": [{"from_port": 22, "cidr_blocks": ["${var.cidr}"]}]
                  }
                }
              }
            }
        """,
    })
    assert errors == []
    cidr = attr(document, "aws_security_group.sg", "ingress").raw[0].get("cidr_blocks").raw[0]
    assert (cidr.raw, cidr.origin, cidr.via, written_at(cidr).line) == ("0.0.0.0/0", DEFAULT, ("var.cidr",), 2)
    assert attr(document, "aws_security_group.sg", "name").raw == "sg-0.0.0.0/0"


def test_heredoc_closing_marker_with_trailing_spaces(tmp_path):
    document, errors = load(tmp_path, {"main.tf": 'resource "x_thing" "t" {\n  a = <<EOF\n{"k": 1}\nEOF   \n  b = 2\n}\n'})
    assert errors == []
    assert attr(document, "x_thing.t", "a").raw == '{"k": 1}\n'
    assert attr(document, "x_thing.t", "b").loc.line == 5


def test_command_line_var_of_collection_type(tmp_path):
    document, errors = load(tmp_path, {
        "main.tf": 'variable "cidrs" {\n  type = list(string)\n}\nresource "x_thing" "t" {\n  c = var.cidrs\n}\n',
    }, Inputs(terraform_vars={"cidrs": '["0.0.0.0/0", "10.0.0.0/8"]'}))
    value = attr(document, "x_thing.t", "c")
    assert errors == []
    assert value.plain() == ["0.0.0.0/0", "10.0.0.0/8"]
    assert (value.raw[0].origin, value.raw[0].via, written_at(value.raw[0]).file) == (RESOLVED, ("var.cidrs",), "<command line>")


def test_fileset_hashes_and_policy_json_as_text(tmp_path):
    document, errors = load(tmp_path, {
        "main.tf": """
            data "aws_iam_policy_document" "p" {
              statement {
                actions   = ["s3:GetObject"]
                resources = ["arn:aws:s3:::BUCKET/*"]
              }
            }
            resource "x_thing" "t" {
              files  = fileset(path.module, "policies/*.json")
              out    = fileset("..", "*")
              md5    = md5("abc")
              sha    = filesha256("policies/a.json")
              secret = nonsensitive(sensitive("x"))
              policy = replace(data.aws_iam_policy_document.p.json, "BUCKET", "logs")
            }
        """,
        "policies/a.json": "{}",
        "policies/b.json": "{}",
        "policies/c.txt": "",
    })
    assert errors == []
    assert attr(document, "x_thing.t", "files").plain() == ["policies/a.json", "policies/b.json"]
    assert "outside the scanned tree" in attr(document, "x_thing.t", "out").reason
    assert attr(document, "x_thing.t", "md5").raw == "900150983cd24fb0d6963f7d28e17f72"
    assert attr(document, "x_thing.t", "sha").raw == "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
    assert attr(document, "x_thing.t", "secret").raw == "x"
    policy = json.loads(attr(document, "x_thing.t", "policy").raw)
    assert policy["Statement"][0]["Resource"] == ["arn:aws:s3:::logs/*"]


def test_configured_arguments_of_resources_are_known_in_strings(tmp_path):
    document, _ = load(tmp_path, {
        "main.tf": """
            resource "aws_iam_policy" "p" {
              name = "custom"
            }
            resource "aws_iam_user" "u" {
              for_each = toset(["a"])
              name     = "user-${each.key}"
            }
            resource "x_thing" "t" {
              arn  = "arn:aws:iam::123456789012:policy/${aws_iam_policy.p.name}"
              user = "${aws_iam_user.u["a"].name}!"
              ref  = aws_iam_policy.p.name
              id   = "${aws_iam_policy.p.id}/x"
            }
        """,
    })
    arn = attr(document, "x_thing.t", "arn")
    assert (arn.raw, arn.origin) == ("arn:aws:iam::123456789012:policy/custom", RESOLVED)
    assert attr(document, "x_thing.t", "user").raw == "user-a!"
    assert attr(document, "x_thing.t", "ref").raw == ResourceRef("aws_iam_policy.p", "name")
    assert attr(document, "x_thing.t", "id").reason == "aws_iam_policy.p.id is known only after apply"


def test_an_evaluated_module_is_freed_without_the_cyclic_collector(tmp_path) -> None:
    """Child module instances refer to their parent: unless evaluation undoes that, every module's blocks,
    trees and values stay in memory until the cyclic collector runs (over the benchmark corpus, a million
    objects and ~75 MiB of peak memory)."""
    import gc

    from iaclint.terraform.module import ModuleInstance

    files = {
        "main.tf": """
            module "web" {
              source = "./web"
              name   = "a"
            }
            module "many" {
              source = "./web"
              count  = 2
              name   = "b${count.index}"
            }
        """,
        "web/main.tf": """
            variable "name" {}
            module "inner" {
              source = "../inner"
            }
            resource "aws_iam_user" "u" { name = var.name }
        """,
        "inner/main.tf": 'resource "aws_s3_bucket" "b" { bucket = "x" }\n',
    }
    gc.collect()
    gc.disable()
    try:
        document, errors = load(tmp_path, files)
        left = [thing for thing in gc.get_objects() if isinstance(thing, ModuleInstance)]
    finally:
        gc.enable()
    assert errors == []
    assert {"module.many[0].aws_iam_user.u", "module.many[0].module.inner.aws_s3_bucket.b",
            "module.many[1].aws_iam_user.u", "module.many[1].module.inner.aws_s3_bucket.b",
            "module.web.aws_iam_user.u", "module.web.module.inner.aws_s3_bucket.b"} <= {
        resource.name for resource in document.resources}  # the children were made
    assert left == []
