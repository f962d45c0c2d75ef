"""CloudFormation resources into the neutral model.

Every property path read here is declared in the tables at the top, and a test checks each against the
resource schemas that cfn-lint ships: a misspelt path (``KmsKeyId`` for ``KMSKeyId``) would silently
miss every case.
"""

from __future__ import annotations

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
from ..policy import parse_policy
from ..secrets import is_secret_name
from ..values import Value
from .common import own_keys, reference_to, values_at

# Properties whose value is a secret: resource type -> property paths.
SECRET_PROPERTIES: dict[str, tuple[str, ...]] = {
    "AWS::RDS::DBInstance": ("MasterUserPassword", "TdeCredentialPassword"),
    "AWS::RDS::DBCluster": ("MasterUserPassword",),
    "AWS::DocDB::DBCluster": ("MasterUserPassword",),
    "AWS::Redshift::Cluster": ("MasterUserPassword",),
    "AWS::RedshiftServerless::Namespace": ("AdminUserPassword",),
    "AWS::AmazonMQ::Broker": ("Users[*].Password",),
    "AWS::OpenSearchService::Domain": ("AdvancedSecurityOptions.MasterUserOptions.MasterUserPassword",),
    "AWS::Elasticsearch::Domain": ("AdvancedSecurityOptions.MasterUserOptions.MasterUserPassword",),
    "AWS::ElastiCache::ReplicationGroup": ("AuthToken",),
    "AWS::ElastiCache::User": ("Passwords[*]",),
    "AWS::SecretsManager::Secret": ("SecretString",),
    "AWS::IAM::User": ("LoginProfile.Password",),
    "AWS::DMS::Endpoint": ("Password",),
    "AWS::DirectoryService::MicrosoftAD": ("Password",),
    "AWS::DirectoryService::SimpleAD": ("Password",),
    "AWS::CodeBuild::SourceCredential": ("Token",),
    "AWS::Amplify::App": ("AccessToken", "OauthToken", "BasicAuthConfig.Password"),
    "AWS::CodePipeline::Webhook": ("AuthenticationConfiguration.SecretToken",),
}

# Environment variables: resource type -> (path to a NAME->value mapping) or (path to a list of {Name, Value}).
ENVIRONMENT_MAPS: dict[str, tuple[str, ...]] = {
    "AWS::Lambda::Function": ("Environment.Variables",),
    "AWS::Serverless::Function": ("Environment.Variables",),
}
ENVIRONMENT_LISTS: dict[str, tuple[str, ...]] = {
    "AWS::ECS::TaskDefinition": ("ContainerDefinitions[*].Environment",),
    "AWS::CodeBuild::Project": ("Environment.EnvironmentVariables",),
}

INGRESS_LISTS = {"AWS::EC2::SecurityGroup": "SecurityGroupIngress"}
INGRESS_RESOURCES = ("AWS::EC2::SecurityGroupIngress",)
INGRESS_FIELDS = ("CidrIp", "CidrIpv6", "IpProtocol", "FromPort", "ToPort")
TRAIL = ("AWS::CloudTrail::Trail", ("KMSKeyId", "EnableLogFileValidation", "IsMultiRegionTrail"))
ACCESS_KEY = ("AWS::IAM::AccessKey", "UserName")
KMS_KEY = ("AWS::KMS::Key", ("EnableKeyRotation", "KeySpec"))

# Every other property path the IAM adapter reads, for the schema test.
IAM_PATHS: dict[str, tuple[str, ...]] = {
    "AWS::IAM::User": ("UserName", "Policies", "ManagedPolicyArns", "Groups"),
    "AWS::IAM::Group": ("GroupName", "Policies", "ManagedPolicyArns"),
    "AWS::IAM::Policy": ("PolicyDocument", "Users", "Groups"),
    "AWS::IAM::ManagedPolicy": ("ManagedPolicyName", "PolicyDocument", "Users", "Groups"),
    "AWS::IAM::UserPolicy": ("UserName", "PolicyDocument"),
    "AWS::IAM::GroupPolicy": ("GroupName", "PolicyDocument"),
    "AWS::IAM::UserToGroupAddition": ("GroupName", "Users"),
}
POLICY_ENTRY_FIELDS = ("PolicyName", "PolicyDocument")  # of each item of User/Group `Policies`


def property_paths() -> dict[str, set[str]]:
    """Every (resource type, property path) this adapter reads; used by the schema test."""
    paths: dict[str, set[str]] = {}
    for table in (SECRET_PROPERTIES, ENVIRONMENT_MAPS, ENVIRONMENT_LISTS, IAM_PATHS):
        for kind, entries in table.items():
            paths.setdefault(kind, set()).update(entries)
    for kind, prop in INGRESS_LISTS.items():
        paths.setdefault(kind, set()).update(f"{prop}[*].{f}" for f in INGRESS_FIELDS)
    for kind in INGRESS_RESOURCES:
        paths.setdefault(kind, set()).update(INGRESS_FIELDS)
    paths.setdefault(TRAIL[0], set()).update(TRAIL[1])
    paths.setdefault(ACCESS_KEY[0], set()).add(ACCESS_KEY[1])
    paths.setdefault(KMS_KEY[0], set()).update(KMS_KEY[1])
    for kind in ("AWS::IAM::User", "AWS::IAM::Group"):
        paths[kind].update(f"Policies[*].{f}" for f in POLICY_ENTRY_FIELDS)
    return paths


def adapt(document: Document, model: Model) -> None:
    for resource in document.resources:
        props = resource.properties
        kind = resource.type
        for path in SECRET_PROPERTIES.get(kind, ()):
            for where, value in values_at(props, path):
                model.secrets.append(SecretSite(resource, where, value, where.rsplit(".", 1)[-1]))
        for path in ENVIRONMENT_MAPS.get(kind, ()):
            for where, variables in values_at(props, path):
                for name, value in (variables.raw.items() if variables.is_map() else ()):
                    if is_secret_name(name):
                        model.secrets.append(SecretSite(resource, f"{where}.{name}", value, f"environment variable {name}"))
        for path in ENVIRONMENT_LISTS.get(kind, ()):
            for where, entries in values_at(props, path):
                _environment_list(model, resource, where, entries)
        if kind in INGRESS_LISTS:
            for where, rule in values_at(props, INGRESS_LISTS[kind] + "[*]"):
                _ingress(model, resource, where, rule)
        elif kind in INGRESS_RESOURCES:
            _ingress(model, resource, "", props)
        elif kind == TRAIL[0]:
            model.trails.append(Trail(resource, *(props.get(name) for name in TRAIL[1])))
        elif kind == ACCESS_KEY[0]:
            model.access_keys.append(AccessKey(resource, props.get(ACCESS_KEY[1])))
        elif kind == KMS_KEY[0]:
            model.kms_keys.append(KmsKey(resource, *(props.get(name) for name in KMS_KEY[1])))
        _iam(model, resource)


def _environment_list(model: Model, resource: Resource, where: str, entries: Value) -> None:
    for index, entry in enumerate(entries.items()):
        name, value = entry.get("Name"), entry.get("Value")
        kind = entry.get("Type")  # CodeBuild: PARAMETER_STORE / SECRETS_MANAGER values are references
        if kind is not None and kind.is_str() and kind.raw.upper() != "PLAINTEXT":
            continue
        if name is not None and name.is_str() and value is not None and is_secret_name(name.raw):
            model.secrets.append(
                SecretSite(resource, f"{where}[{index}].Value", value, f"environment variable {name.raw}")
            )


def _ingress(model: Model, resource: Resource, where: str, rule: Value) -> None:
    for field in ("CidrIp", "CidrIpv6"):
        cidr = rule.get(field)
        if cidr is not None:
            model.ingress.append(
                IngressRule(resource, f"{where}.{field}" if where else field, cidr,
                            rule.get("IpProtocol"), rule.get("FromPort"), rule.get("ToPort"))
            )


def _iam(model: Model, resource: Resource) -> None:
    props, kind = resource.properties, resource.type
    if kind in ("AWS::IAM::User", "AWS::IAM::Group"):
        principal_kind = "user" if kind == "AWS::IAM::User" else "group"
        name_field = "UserName" if principal_kind == "user" else "GroupName"
        principal = Principal(principal_kind, resource, own_keys(resource.name, props.get(name_field)))
        (model.users if principal_kind == "user" else model.groups).append(principal)
        for where, entry in values_at(props, "Policies[*]"):
            model.inline_policies.append(InlinePolicy(
                resource, principal_kind, reference_to(resource), parse_policy(entry.get("PolicyDocument")),
                entry.loc or resource.loc, where))
        for where, arn in values_at(props, "ManagedPolicyArns[*]"):
            model.attachments.append(Attachment(resource, principal_kind, reference_to(resource), arn, arn.loc or resource.loc, where))
        if principal_kind == "user":
            for _, group in values_at(props, "Groups[*]"):
                model.memberships.append(Membership(resource, reference_to(resource), group))
    elif kind == "AWS::IAM::Policy":
        document = parse_policy(props.get("PolicyDocument"))
        for field, principal_kind in (("Users", "user"), ("Groups", "group")):
            for where, target in values_at(props, field + "[*]"):
                model.inline_policies.append(InlinePolicy(resource, principal_kind, target, document, target.loc or resource.loc, where))
    elif kind in ("AWS::IAM::UserPolicy", "AWS::IAM::GroupPolicy"):
        field, principal_kind = ("UserName", "user") if kind == "AWS::IAM::UserPolicy" else ("GroupName", "group")
        target = props.get(field)
        if target is not None:
            document = parse_policy(props.get("PolicyDocument"))
            model.inline_policies.append(InlinePolicy(resource, principal_kind, target, document, target.loc or resource.loc, field))
    elif kind == "AWS::IAM::ManagedPolicy":
        model.managed_policies.append(
            ManagedPolicy(resource, own_keys(resource.name, props.get("ManagedPolicyName")), parse_policy(props.get("PolicyDocument")))
        )
        for field, principal_kind in (("Users", "user"), ("Groups", "group")):
            for where, target in values_at(props, field + "[*]"):
                model.attachments.append(Attachment(resource, principal_kind, target, reference_to(resource), target.loc or resource.loc, where))
    elif kind == "AWS::IAM::UserToGroupAddition":
        group = props.get("GroupName")
        if group is not None:
            for _, user in values_at(props, "Users[*]"):
                model.memberships.append(Membership(resource, user, group))
