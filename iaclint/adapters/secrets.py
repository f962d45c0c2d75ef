"""Secrets: properties that hold a password, token or key, secret-named environment variables, and the
parameters and variables through which secrets are passed."""

from __future__ import annotations

import json

from ..document import CLOUDFORMATION, TERRAFORM, Document, Resource
from ..model import Input, Model, SecretSite
from ..policy import json_value
from ..secrets import is_secret_name
from ..values import Value
from .reader import Mapping, Source, values_at

# Properties whose value is a secret: (framework, resource type) -> property paths.
_SECRET_PROPERTIES: dict[tuple[str, str], tuple[str, ...]] = {
    (CLOUDFORMATION, "AWS::RDS::DBInstance"): ("MasterUserPassword", "TdeCredentialPassword"),
    (CLOUDFORMATION, "AWS::RDS::DBCluster"): ("MasterUserPassword",),
    (CLOUDFORMATION, "AWS::DocDB::DBCluster"): ("MasterUserPassword",),
    (CLOUDFORMATION, "AWS::Redshift::Cluster"): ("MasterUserPassword",),
    (CLOUDFORMATION, "AWS::RedshiftServerless::Namespace"): ("AdminUserPassword",),
    (CLOUDFORMATION, "AWS::AmazonMQ::Broker"): ("Users[*].Password",),
    (CLOUDFORMATION, "AWS::OpenSearchService::Domain"): (
        "AdvancedSecurityOptions.MasterUserOptions.MasterUserPassword",),
    (CLOUDFORMATION, "AWS::Elasticsearch::Domain"): ("AdvancedSecurityOptions.MasterUserOptions.MasterUserPassword",),
    (CLOUDFORMATION, "AWS::ElastiCache::ReplicationGroup"): ("AuthToken",),
    (CLOUDFORMATION, "AWS::ElastiCache::User"): ("Passwords[*]",),
    (CLOUDFORMATION, "AWS::SecretsManager::Secret"): ("SecretString",),
    (CLOUDFORMATION, "AWS::IAM::User"): ("LoginProfile.Password",),
    (CLOUDFORMATION, "AWS::DMS::Endpoint"): ("Password",),
    (CLOUDFORMATION, "AWS::DirectoryService::MicrosoftAD"): ("Password",),
    (CLOUDFORMATION, "AWS::DirectoryService::SimpleAD"): ("Password",),
    (CLOUDFORMATION, "AWS::CodeBuild::SourceCredential"): ("Token",),
    (CLOUDFORMATION, "AWS::Amplify::App"): ("AccessToken", "OauthToken", "BasicAuthConfig.Password"),
    (CLOUDFORMATION, "AWS::CodePipeline::Webhook"): ("AuthenticationConfiguration.SecretToken",),
    (TERRAFORM, "aws_db_instance"): ("password",),
    (TERRAFORM, "aws_rds_cluster"): ("master_password",),
    (TERRAFORM, "aws_docdb_cluster"): ("master_password",),
    (TERRAFORM, "aws_redshift_cluster"): ("master_password",),
    (TERRAFORM, "aws_redshiftserverless_namespace"): ("admin_user_password",),
    (TERRAFORM, "aws_mq_broker"): ("user[*].password",),
    (TERRAFORM, "aws_opensearch_domain"): (
        "advanced_security_options[*].master_user_options[*].master_user_password",),
    (TERRAFORM, "aws_elasticsearch_domain"): (
        "advanced_security_options[*].master_user_options[*].master_user_password",),
    (TERRAFORM, "aws_elasticache_replication_group"): ("auth_token",),
    (TERRAFORM, "aws_elasticache_user"): ("passwords[*]",),
    (TERRAFORM, "aws_secretsmanager_secret_version"): ("secret_string",),
    (TERRAFORM, "aws_dms_endpoint"): ("password",),
    (TERRAFORM, "aws_directory_service_directory"): ("password",),
    (TERRAFORM, "aws_codebuild_source_credential"): ("token",),
    (TERRAFORM, "aws_amplify_app"): ("access_token", "oauth_token", "basic_auth_credentials"),
    (TERRAFORM, "aws_codepipeline_webhook"): ("authentication_configuration[*].secret_token",),
    (TERRAFORM, "provider.aws"): ("access_key", "secret_key", "token"),
}

MAPPINGS = (
    Mapping(SecretSite, "secrets", *(Source(framework, kind, fan_out=("value", paths))
                                     for (framework, kind), paths in _SECRET_PROPERTIES.items())),
)

# Environment variables whose name says they hold a secret: a NAME -> value mapping, or a list of
# {name, value, type} entries.
_ENVIRONMENT_MAPS = {
    (CLOUDFORMATION, "AWS::Lambda::Function"): "Environment.Variables",
    (CLOUDFORMATION, "AWS::Serverless::Function"): "Environment.Variables",
    (TERRAFORM, "aws_lambda_function"): "environment[*].variables",
}
_ENVIRONMENT_LISTS = {  # (list path, name, value, type)
    (CLOUDFORMATION, "AWS::ECS::TaskDefinition"): ("ContainerDefinitions[*].Environment", "Name", "Value", None),
    (CLOUDFORMATION, "AWS::CodeBuild::Project"): ("Environment.EnvironmentVariables", "Name", "Value", "Type"),
    (TERRAFORM, "aws_codebuild_project"): ("environment[*].environment_variable[*]", "name", "value", "type"),
}
# ``container_definitions`` is JSON: a ``jsonencode([...])`` structure or a JSON string.
_ECS_CONTAINERS = (TERRAFORM, "aws_ecs_task_definition", "container_definitions")

# How to pass a secret instead, in each framework's terms.
_REMEDY = {
    CLOUDFORMATION: "use a dynamic reference to Secrets Manager or a NoEcho parameter",
    TERRAFORM: "use a sensitive variable or read it from Secrets Manager (a data source, or "
               "manage_master_user_password)",
}


def paths() -> dict[tuple[str, str], set[str]]:
    """Property paths read beyond the declarations (for the schema test)."""
    found: dict[tuple[str, str], set[str]] = {}
    for key, path in _ENVIRONMENT_MAPS.items():
        found.setdefault(key, set()).add(path)
    for key, (path, *fields) in _ENVIRONMENT_LISTS.items():
        entries = path if path.endswith("[*]") else path + "[*]"
        found.setdefault(key, set()).update(f"{entries}.{name}" for name in fields if name)
    return found


def adapt(resource: Resource, model: Model) -> None:
    key = (resource.framework, resource.type)
    path = _ENVIRONMENT_MAPS.get(key)
    if path is not None:
        for where, variables in values_at(resource.properties, path):
            for name, value in (variables.raw.items() if variables.is_map() else ()):
                if is_secret_name(name):
                    model.secrets.append(SecretSite(resource, value, f"{where}.{name}", f"environment variable {name}"))
    listed = _ENVIRONMENT_LISTS.get(key)
    if listed is not None:
        list_path, name_key, value_key, type_key = listed
        entries = list_path if list_path.endswith("[*]") else list_path + "[*]"
        for where, entry in values_at(resource.properties, entries):
            _named_variable(model, resource, where, entry, name_key, value_key, type_key)
    if key == _ECS_CONTAINERS[:2]:
        _ecs_containers(model, resource, resource.properties.get(_ECS_CONTAINERS[2]))
    for site in model.secrets:
        if site.resource is resource:
            site.what = site.what or site.names.get("value", site.path)
            site.remedy = _REMEDY[resource.framework]


def inputs(document: Document) -> list[Input]:
    """The document's parameters or variables, with what keeps each from protecting a secret: in
    CloudFormation a parameter without ``NoEcho: true``; in Terraform a variable not marked ``sensitive``."""
    found = []
    for parameter in document.parameters.values():
        if document.framework == CLOUDFORMATION:
            unprotected = () if parameter.no_echo else ("lacks NoEcho: true",)
        else:
            unprotected = () if parameter.sensitive else ("is not marked sensitive",)
        found.append(Input(parameter.address or parameter.name, parameter.reference, parameter.loc,
                           parameter.default, unprotected))
    return found


def _named_variable(model: Model, resource: Resource, where: str, entry: Value, name_key: str, value_key: str,
                    type_key: str | None) -> None:
    name, value = entry.get(name_key), entry.get(value_key)
    kind = entry.get(type_key) if type_key else None
    # CodeBuild: PARAMETER_STORE / SECRETS_MANAGER values are references, not secrets.
    if kind is not None and kind.is_str() and kind.raw.upper() != "PLAINTEXT":
        return
    if name is not None and name.is_str() and value is not None and is_secret_name(name.raw):
        model.secrets.append(SecretSite(resource, value, f"{where}.{value_key}" if where else value_key,
                                        f"environment variable {name.raw}"))


def _ecs_containers(model: Model, resource: Resource, definitions: Value | None) -> None:
    if definitions is None:
        return
    if definitions.is_str():
        try:
            definitions = json_value(json.loads(definitions.raw), definitions.loc)
        except ValueError:
            return
    for index, container in enumerate(definitions.items()):
        environment = container.get("environment")
        for env_index, entry in enumerate(environment.items() if environment is not None else ()):
            _named_variable(model, resource, f"container_definitions[{index}].environment[{env_index}]",
                            entry, "name", "value", "type")
