"""Terraform resources into the neutral model.  Nested blocks are lists of mappings (see `Document`)."""

from __future__ import annotations

import json

from ..document import Document, Resource
from ..model import (
    AccessKey,
    Attachment,
    IngressRule,
    InlinePolicy,
    KmsKey,
    ManagedPolicy,
    Membership,
    Model,
    Principal,
    SecretSite,
    Trail,
)
from ..policy import json_value, parse_policy
from ..secrets import is_secret_name
from ..values import Value
from .common import own_keys, values_at

SECRET_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "aws_db_instance": ("password",),
    "aws_rds_cluster": ("master_password",),
    "aws_docdb_cluster": ("master_password",),
    "aws_neptune_cluster": ("master_password",),
    "aws_redshift_cluster": ("master_password",),
    "aws_redshiftserverless_namespace": ("admin_user_password",),
    "aws_mq_broker": ("user[*].password",),
    "aws_opensearch_domain": ("advanced_security_options[*].master_user_options[*].master_user_password",),
    "aws_elasticsearch_domain": ("advanced_security_options[*].master_user_options[*].master_user_password",),
    "aws_elasticache_replication_group": ("auth_token",),
    "aws_elasticache_user": ("passwords[*]",),
    "aws_secretsmanager_secret_version": ("secret_string",),
    "aws_dms_endpoint": ("password",),
    "aws_directory_service_directory": ("password",),
    "aws_codebuild_source_credential": ("token",),
    "aws_amplify_app": ("access_token", "oauth_token", "basic_auth_credentials"),
    "aws_codepipeline_webhook": ("authentication_configuration[*].secret_token",),
    "provider.aws": ("access_key", "secret_key", "token"),
}
ENVIRONMENT_MAPS = {"aws_lambda_function": "environment[*].variables"}
CODEBUILD_ENVIRONMENT = ("aws_codebuild_project", "environment[*].environment_variable[*]")
ECS_CONTAINERS = ("aws_ecs_task_definition", "container_definitions")


def adapt(document: Document, model: Model) -> None:
    for resource in document.resources:
        props, kind = resource.properties, resource.type
        if kind.startswith("provider.aws"):
            kind = "provider.aws"
        for path in SECRET_ATTRIBUTES.get(kind, ()):
            for where, value in values_at(props, path):
                model.secrets.append(SecretSite(resource, where, value, where.rsplit(".", 1)[-1].split("[")[0]))
        if kind in ENVIRONMENT_MAPS:
            for where, variables in values_at(props, ENVIRONMENT_MAPS[kind]):
                for name, value in (variables.raw.items() if variables.is_map() else ()):
                    if is_secret_name(name):
                        model.secrets.append(SecretSite(resource, f"{where}.{name}", value, f"environment variable {name}"))
        elif kind == CODEBUILD_ENVIRONMENT[0]:
            for where, variable in values_at(props, CODEBUILD_ENVIRONMENT[1]):
                _named_environment(model, resource, where, variable, "name", "value", "type")
        elif kind == ECS_CONTAINERS[0]:
            _ecs_containers(model, resource, props.get(ECS_CONTAINERS[1]))
        elif kind == "aws_security_group":
            for where, rule in values_at(props, "ingress[*]"):
                _ingress(model, resource, where, rule, "protocol")
        elif kind == "aws_security_group_rule":
            rule_type = props.get("type")
            if rule_type is not None and rule_type.is_str() and rule_type.raw == "ingress":
                _ingress(model, resource, "", props, "protocol")
        elif kind == "aws_vpc_security_group_ingress_rule":
            for field in ("cidr_ipv4", "cidr_ipv6"):
                cidr = props.get(field)
                if cidr is not None:
                    model.ingress.append(IngressRule(resource, field, cidr, props.get("ip_protocol"),
                                                     props.get("from_port"), props.get("to_port")))
        elif kind == "aws_cloudtrail":
            model.trails.append(Trail(resource, props.get("kms_key_id"), props.get("enable_log_file_validation"),
                                      props.get("is_multi_region_trail")))
        elif kind == "aws_iam_access_key":
            model.access_keys.append(AccessKey(resource, props.get("user")))
        elif kind == "aws_kms_key":
            model.kms_keys.append(KmsKey(resource, props.get("enable_key_rotation"), props.get("customer_master_key_spec")))
        _iam(model, resource)


def _named_environment(model, resource, where, entry: Value, name_key, value_key, type_key) -> None:
    name, value, kind = entry.get(name_key), entry.get(value_key), entry.get(type_key)
    if kind is not None and kind.is_str() and kind.raw.upper() != "PLAINTEXT":
        return
    if name is not None and name.is_str() and value is not None and is_secret_name(name.raw):
        model.secrets.append(SecretSite(resource, f"{where}.{value_key}", value, f"environment variable {name.raw}"))


def _ecs_containers(model: Model, resource: Resource, definitions: Value | None) -> None:
    """``container_definitions`` is JSON: a ``jsonencode([...])`` structure or a JSON string."""
    if definitions is None:
        return
    if definitions.is_str():
        definitions = _json_text(definitions)
    for index, container in enumerate(definitions.items() if definitions is not None else ()):
        for env_index, entry in enumerate(container.get("environment").items() if container.get("environment") else ()):
            _named_environment(model, resource, f"container_definitions[{index}].environment[{env_index}]",
                               entry, "name", "value", "type")


def _json_text(value: Value) -> Value | None:
    try:
        return json_value(json.loads(value.raw), value.loc)
    except ValueError:
        return None


def _ingress(model: Model, resource: Resource, where: str, rule: Value, protocol_key: str) -> None:
    if not rule.is_map():
        return
    for field in ("cidr_blocks", "ipv6_cidr_blocks"):
        for index, cidr in enumerate((rule.get(field) or Value([], None)).items()):
            path = f"{where}.{field}[{index}]" if where else f"{field}[{index}]"
            model.ingress.append(IngressRule(resource, path, cidr, rule.get(protocol_key),
                                             rule.get("from_port"), rule.get("to_port")))


def _iam(model: Model, resource: Resource) -> None:
    props, kind = resource.properties, resource.type
    if kind == "aws_iam_user":
        model.users.append(Principal("user", resource, own_keys(resource.name, props.get("name"))))
    elif kind == "aws_iam_group":
        model.groups.append(Principal("group", resource, own_keys(resource.name, props.get("name"))))
    elif kind in ("aws_iam_user_policy", "aws_iam_group_policy"):
        principal_kind, field = ("user", "user") if kind == "aws_iam_user_policy" else ("group", "group")
        target = props.get(field)
        if target is not None:
            model.inline_policies.append(InlinePolicy(resource, principal_kind, target, parse_policy(props.get("policy")),
                                                      resource.loc, field))
    elif kind == "aws_iam_policy":
        model.managed_policies.append(ManagedPolicy(resource, own_keys(resource.name, props.get("name")),
                                                    parse_policy(props.get("policy"))))
    elif kind in ("aws_iam_user_policy_attachment", "aws_iam_group_policy_attachment"):
        principal_kind = "user" if kind == "aws_iam_user_policy_attachment" else "group"
        target, policy = props.get(principal_kind), props.get("policy_arn")
        if target is not None and policy is not None:
            model.attachments.append(Attachment(resource, principal_kind, target, policy, resource.loc, principal_kind))
    elif kind == "aws_iam_policy_attachment":
        policy = props.get("policy_arn")
        for field, principal_kind in (("users", "user"), ("groups", "group")):
            for where, target in values_at(props, field + "[*]"):
                if policy is not None:
                    model.attachments.append(Attachment(resource, principal_kind, target, policy, target.loc or resource.loc, where))
    elif kind == "aws_iam_user_group_membership":
        user = props.get("user")
        for _, group in values_at(props, "groups[*]"):
            if user is not None:
                model.memberships.append(Membership(resource, user, group))
    elif kind == "aws_iam_group_membership":
        group = props.get("group")
        for _, user in values_at(props, "users[*]"):
            if group is not None:
                model.memberships.append(Membership(resource, user, group))
