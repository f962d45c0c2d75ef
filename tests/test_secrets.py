"""What counts as a secret, and what IAC001 tells the author to do instead: the advice fits the property."""

from __future__ import annotations

from pathlib import Path

import pytest

from iaclint import scan
from iaclint.secrets import is_identifier, is_placeholder, is_secret_name


@pytest.mark.parametrize("name", ["Password", "MasterUserPassword", "DB_PASSWORD", "api_key", "ApiKey", "TokenKey",
                                  "client_secret", "Passwords", "HECToken", "private_key", "SecretAccessKey",
                                  "KdcAdminPassword", "auth_token", "basic_auth_credentials"])
def test_names_that_hold_a_secret(name: str) -> None:
    assert is_secret_name(name)


@pytest.mark.parametrize("name", ["SecretArn", "KmsKeyId", "TokenKeyId", "SecretName", "ClientToken",
                                  "creation_token", "event_source_token", "ServiceToken", "TaskToken",
                                  "EncryptionKey", "kms_encryption_key", "PasswordLength", "AllowUsersToChangePassword",
                                  "RotateDBPassword", "password_reset_required", "public_key", "TOKEN_URL"])
def test_names_that_only_point_at_one(name: str) -> None:
    assert not is_secret_name(name)


def test_values_that_are_no_secret() -> None:
    assert is_identifier("arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf")
    assert is_identifier("alias/aws/rds") and is_identifier("1234abcd-12ab-34cd-56ef-1234567890ab")
    assert is_placeholder("<PASSWORD_UPDATE_ME>") and is_placeholder("null") and is_placeholder("false")
    assert not is_identifier("hunter2") and not is_placeholder("hunter2")


ADVICE = [
    ("template.yaml", """Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      MasterUserPassword: pass-word-1
""", "Db", "hard-coded secret in MasterUserPassword (********); let the service manage it in Secrets Manager "
           "(ManageMasterUserPassword: true), or use a dynamic reference"),
    ("template.yaml", """Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Environment:
        Variables:
          API_TOKEN: token-value-2
""", "Fn", "hard-coded secret in environment variable API_TOKEN (********); keep it in Secrets Manager or Parameter "
           "Store and have the code read it at run time (ECS and CodeBuild can inject it as a secret)"),
    ("main.tf", """provider "datadog" {
  api_key = "dd-key-value-3"
}
""", "provider.datadog", "hard-coded secret in api_key (********); set it in the provider's environment variable or "
                         "credentials file, not in the configuration"),
    ("main.tf", """resource "aws_redshift_cluster" "c" {
  master_password = "Redshift-pass-4"
}
""", "aws_redshift_cluster.c", "hard-coded secret in master_password (********); let the service manage it in "
                               "Secrets Manager (manage_master_password = true), or pass a sensitive variable"),
]


@pytest.mark.parametrize(("name", "text", "resource", "message"), ADVICE, ids=["rds", "lambda", "provider", "redshift"])
def test_advice_fits_the_property(tmp_path: Path, name: str, text: str, resource: str, message: str) -> None:
    (tmp_path / name).write_text(text)
    report = scan([str(tmp_path)])
    assert [(f.code, f.resource, f.message) for f in report.findings] == [("IAC001", resource, message)]


def test_a_literal_passed_to_a_local_module_is_reported_once_where_it_is_used(tmp_path: Path) -> None:
    (tmp_path / "db").mkdir()
    (tmp_path / "db" / "main.tf").write_text('variable "password" {\n  sensitive = true\n}\n'
                                             'resource "aws_db_instance" "db" {\n  password = var.password\n}\n')
    (tmp_path / "main.tf").write_text('module "db" {\n  source   = "./db"\n  password = "module-pass-5"\n}\n')
    report = scan([str(tmp_path / "main.tf")])
    found = [(Path(f.file).relative_to(tmp_path).as_posix(), f.line, f.code, f.resource, f.path,
              [(Path(step.loc.file).name, step.loc.line) for step in f.origin]) for f in report.findings]
    # At the property that uses it, with the call's line on its origin; not a second time at the call.
    assert found == [("db/main.tf", 5, "IAC001", "module.db.aws_db_instance.db", "password", [("main.tf", 3)])]


def test_settings_in_scripts() -> None:
    from iaclint.secrets import find_assignments

    script = ("#!/bin/bash\nexport DB_PASSWORD=hunter22\nmysql --password \"s3cretpw\" -h db\nAPI_TOKEN=$TOKEN\n"
              "password: abcd1234\nTOKEN_URL=https://x\ndb_password=<CHANGE>\nsecret: !Ref Secret\n"
              "lifecycle_action_token: token\npassword=password\n")
    assert find_assignments(script) == [("DB_PASSWORD", "DB_PASSWORD=hunter22"),
                                         ("password", '--password "s3cretpw"'), ("password", "password: abcd1234")]
