"""Secrets: properties that hold a password, token or key, secret-named environment variables and SSM
parameters, and the parameters and variables through which secrets are passed.

CloudFormation's secret-bearing properties come from the resource schemas (`cfn_secret_properties.json`,
written by ``tools/cfn_secret_properties.py``).  Terraform has no schema here and any provider may take a
secret, so every attribute of a resource, data source, provider or module call whose name says it holds a
secret is one, nested blocks and maps included; so are the properties of a CloudFormation custom resource
and the parameters a template passes to a nested stack.
"""

from __future__ import annotations

import json
from importlib import resources as package_files

from ..document import CLOUDFORMATION, TERRAFORM, Document, Resource
from ..model import Input, Model, SecretSite
from ..policy import json_value
from ..secrets import is_secret_name
from ..values import Value
from .reader import Mapping, Source, values_at


def _schema_secret_properties() -> dict[str, list[str]]:
    text = package_files.files(__package__).joinpath("cfn_secret_properties.json").read_text(encoding="utf-8")
    return json.loads(text)


# Secrets whose property name does not say so.
_UNNAMED_SECRETS: dict[tuple[str, str], tuple[str, ...]] = {
    (CLOUDFORMATION, "AWS::SecretsManager::Secret"): ("SecretString",),
    (TERRAFORM, "aws_secretsmanager_secret_version"): ("secret_string",),
}

MAPPINGS = (
    Mapping(SecretSite, "secrets",
            *(Source(CLOUDFORMATION, kind, fan_out=("value", tuple(paths)))
              for kind, paths in _schema_secret_properties().items()),
            *(Source(framework, kind, fan_out=("value", paths)) for (framework, kind), paths in _UNNAMED_SECRETS.items())),
)

# Maps whose keys are names chosen by the author (environment variables, connection properties): an entry
# whose name says it is a secret holds one.
_NAMED_VALUE_MAPS = {  # (path, what an entry is called in messages)
    (CLOUDFORMATION, "AWS::Lambda::Function"): ("Environment.Variables", "environment variable {}"),
    (CLOUDFORMATION, "AWS::Serverless::Function"): ("Environment.Variables", "environment variable {}"),
    (TERRAFORM, "aws_lambda_function"): ("environment[*].variables", "environment variable {}"),
    (CLOUDFORMATION, "AWS::Glue::Connection"): ("ConnectionInput.ConnectionProperties", "connection property {}"),
    (CLOUDFORMATION, "AWS::CloudFormation::Stack"): ("Parameters", "parameter {} of the nested stack"),
}
_ENVIRONMENT_LISTS = {  # (list path, name, value, type)
    (CLOUDFORMATION, "AWS::ECS::TaskDefinition"): ("ContainerDefinitions[*].Environment", "Name", "Value", None),
    (CLOUDFORMATION, "AWS::CodeBuild::Project"): ("Environment.EnvironmentVariables", "Name", "Value", "Type"),
}
# ``container_definitions`` is JSON: a ``jsonencode([...])`` structure or a JSON string.
_ECS_CONTAINERS = (TERRAFORM, "aws_ecs_task_definition", "container_definitions")
_SSM_PARAMETERS = {(CLOUDFORMATION, "AWS::SSM::Parameter"): ("Name", "Value", "Type"),
                   (TERRAFORM, "aws_ssm_parameter"): ("name", "value", "type")}
# A CloudFormation parameter whose value CloudFormation reads from a plain String SSM parameter.
_SSM_STRING_PARAMETER = "AWS::SSM::Parameter::Value<String>"
_SSM_PARAMETER_TYPES = ("AWS::SSM::Parameter::Value<", "AWS::SSM::Parameter::Name")
# Values handed on to a template or module that may use them in a resource of its own.
_PASSED_ON = {(CLOUDFORMATION, "AWS::CloudFormation::Stack"), (TERRAFORM, "module")}

# A database's own way of keeping its master password: the service creates and rotates it in Secrets Manager.
_MANAGED_PASSWORD = {
    (CLOUDFORMATION, "AWS::RDS::DBInstance", "MasterUserPassword"): "ManageMasterUserPassword: true",
    (CLOUDFORMATION, "AWS::RDS::DBCluster", "MasterUserPassword"): "ManageMasterUserPassword: true",
    (CLOUDFORMATION, "AWS::DocDB::DBCluster", "MasterUserPassword"): "ManageMasterUserPassword: true",
    (CLOUDFORMATION, "AWS::Redshift::Cluster", "MasterUserPassword"): "ManageMasterPassword: true",
    (CLOUDFORMATION, "AWS::RedshiftServerless::Namespace", "AdminUserPassword"): "ManageAdminPassword: true",
    (TERRAFORM, "aws_db_instance", "password"): "manage_master_user_password = true",
    (TERRAFORM, "aws_rds_cluster", "master_password"): "manage_master_user_password = true",
    (TERRAFORM, "aws_docdb_cluster", "master_password"): "manage_master_user_password = true",
    (TERRAFORM, "aws_redshift_cluster", "master_password"): "manage_master_password = true",
    (TERRAFORM, "aws_redshiftserverless_namespace", "admin_user_password"): "manage_admin_password = true",
}
# How to pass a secret instead, in each framework's terms.
_STORE = {
    CLOUDFORMATION: "use a dynamic reference to Secrets Manager ({{resolve:secretsmanager:…}}) or a NoEcho parameter",
    TERRAFORM: "use a sensitive variable without a default, or read it from Secrets Manager with a data source",
}
_OR_PASS = {CLOUDFORMATION: "use a dynamic reference", TERRAFORM: "pass a sensitive variable"}
_AT_RUN_TIME = ("keep it in Secrets Manager or Parameter Store and have the code read it at run time "
                "(ECS and CodeBuild can inject it as a secret)")
_PROVIDER = "set it in the provider's environment variable or credentials file, not in the configuration"


def paths() -> dict[tuple[str, str], set[str]]:
    """Property paths read beyond the declarations (for the schema tests)."""
    found: dict[tuple[str, str], set[str]] = {}
    for key, (path, _) in _NAMED_VALUE_MAPS.items():
        found.setdefault(key, set()).add(path)
    for key, (path, *fields) in _ENVIRONMENT_LISTS.items():
        found.setdefault(key, set()).update(f"{path}[*].{name}" for name in fields if name)
    for key, fields in _SSM_PARAMETERS.items():
        found.setdefault(key, set()).update(fields)
    return found


def adapt(resource: Resource, model: Model) -> None:
    key = (resource.framework, resource.type)
    named = _NAMED_VALUE_MAPS.get(key)
    if named is not None:
        path, called = named
        for where, variables in values_at(resource.properties, path):
            for name, value in (variables.raw.items() if variables.is_map() else ()):
                if is_secret_name(name):
                    model.secrets.append(SecretSite(resource, value, f"{where}.{name}", called.format(name)))
    listed = _ENVIRONMENT_LISTS.get(key)
    if listed is not None:
        list_path, name_key, value_key, type_key = listed
        for where, entry in values_at(resource.properties, list_path + "[*]"):
            _named_variable(model, resource, where, entry, name_key, value_key, type_key)
    if key == _ECS_CONTAINERS[:2]:
        _ecs_containers(model, resource, resource.properties.get(_ECS_CONTAINERS[2]))
    elif named is None and (resource.framework == TERRAFORM or _is_custom_resource(resource)):
        # No schema says which attributes hold secrets: their names do.
        for where, name, value in _secret_named(resource.properties, ""):
            model.secrets.append(SecretSite(resource, value, where, name))
    authentication = _metadata(resource, "AWS::CloudFormation::Authentication")
    if authentication is not None:
        # cfn-init's credentials for fetching files: {name: {type, username, password, accessKeyId, secretKey}}
        for where, name, value in _secret_named(authentication, "Metadata.AWS::CloudFormation::Authentication"):
            model.secrets.append(SecretSite(resource, value, where, f"cfn-init authentication {name}"))
    if key in _SSM_PARAMETERS:
        _ssm_parameter(model, resource, *_SSM_PARAMETERS[key])
    for site in _sites_of(model, resource):
        site.what = site.what or site.names.get("value", site.path)
        site.passed_on = key in _PASSED_ON
        site.remedy = _remedy(resource, site)


def _sites_of(model: Model, resource: Resource):
    """The secret sites of ``resource``: the last ones added, by the declarations and by `adapt`."""
    for site in reversed(model.secrets):
        if site.resource is not resource:
            return
        yield site


def _remedy(resource: Resource, site: SecretSite) -> str:
    managed = _MANAGED_PASSWORD.get((resource.framework, resource.type, site.path))
    if managed:
        return f"let the service manage it in Secrets Manager ({managed}), or {_OR_PASS[resource.framework]}"
    if site.what.startswith("environment variable"):
        return _AT_RUN_TIME
    if site.what.startswith("cfn-init authentication"):
        return "let cfn-init use the instance's role (roleName) instead of keys or passwords"
    if resource.type.startswith("provider."):
        return _PROVIDER
    return _STORE[resource.framework]


def _metadata(resource: Resource, key: str) -> Value | None:
    metadata = resource.metadata
    return metadata.get(key) if metadata is not None and metadata.is_map() else None


def _is_custom_resource(resource: Resource) -> bool:
    return resource.framework == CLOUDFORMATION and (resource.type.startswith("Custom::")
                                                     or resource.type == "AWS::CloudFormation::CustomResource")


def _secret_named(value: Value, where: str):
    """``(path, name, value)`` for every entry under ``value`` whose name says it holds a secret: a key of a
    mapping or block (``password``, ``DB_PASSWORD``), or a ``{name = "…", value = "…"}`` pair."""
    if value.is_map():
        entries = value.raw
        pair_name, pair_value, pair_type = entries.get("name"), entries.get("value"), entries.get("type")
        # CodeBuild's PARAMETER_STORE / SECRETS_MANAGER variables hold where the secret is kept.
        plain = pair_type is None or not pair_type.is_str() or pair_type.raw.upper() == "PLAINTEXT"
        if (pair_name is not None and pair_name.is_str() and pair_value is not None and plain
                and is_secret_name(pair_name.raw)):
            yield f"{where}.value" if where else "value", f"environment variable {pair_name.raw}", pair_value
        for name, child in entries.items():
            here = f"{where}.{name}" if where else name
            if is_secret_name(name) and _holds_text(child):
                yield here, name, child
            elif child.is_map() or child.is_list():
                yield from _secret_named(child, here)
    elif value.is_list():
        for index, item in enumerate(value.items()):
            yield from _secret_named(item, f"{where}[{index}]")


def _holds_text(value: Value) -> bool:
    if value.is_list():
        return all(_holds_text(item) for item in value.items())
    return not value.is_map() and not isinstance(value.raw, (bool, int, float))


def _ssm_parameter(model: Model, resource: Resource, name_key: str, value_key: str, type_key: str) -> None:
    name, value = resource.properties.get(name_key), resource.properties.get(value_key)
    if name is None or value is None:
        return
    kept_as = resource.properties.get(type_key)
    if name.is_unknown:
        model.secrets.append(SecretSite(resource, value, value_key, "the value of this SSM parameter", unsure=name,
                                        in_parameter_store=True, store_type=kept_as))
    # /prod/db/password, db-password, DbPassword: the last part of the path names what is kept.
    elif name.is_str() and is_secret_name(name.raw.rstrip("/").rsplit("/", 1)[-1]):
        model.secrets.append(SecretSite(resource, value, value_key, f"the value of SSM parameter {name.raw}",
                                        in_parameter_store=True, store_type=kept_as))


def inputs(document: Document) -> list[Input]:
    """The document's parameters or variables, with what keeps each from protecting a secret: in
    CloudFormation a parameter without ``NoEcho: true``; in Terraform a variable not marked ``sensitive``."""
    found = []
    for parameter in document.parameters.values():
        if document.framework == CLOUDFORMATION:
            unprotected = () if parameter.no_echo else ("lacks NoEcho: true",)
        else:
            unprotected = () if parameter.sensitive else ("is not marked sensitive",)
        plaintext = "the SSM String parameter it names" if parameter.type == _SSM_STRING_PARAMETER else ""
        # The default of an SSM parameter type names the SSM parameter; the value is read from there.
        default = None if parameter.type.startswith(_SSM_PARAMETER_TYPES) else parameter.default
        found.append(Input(parameter.address or parameter.name, parameter.reference, parameter.loc,
                           default, unprotected, plaintext))
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
