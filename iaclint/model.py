"""The framework-neutral security model that rules read.

The adapters (``iaclint.adapters``) fill one `Model` per `Document`; every field that came from the
template is a `Value`, so a rule can point at the offending text and tell literal from unknown.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .document import Document, Parameter, Resource
from .policy import PolicyDocument
from .values import Location, Value


@dataclass(slots=True)
class SecretSite:
    """A place that holds a secret: a password property, a token, a secret-named environment variable."""

    resource: Resource
    path: str  # property path inside the resource, e.g. "MasterUserPassword" or "Environment.Variables.DB_PASSWORD"
    value: Value
    what: str  # for messages: "MasterUserPassword", "environment variable DB_PASSWORD"


@dataclass(slots=True)
class IngressRule:
    """One source CIDR of one security-group ingress permission."""

    resource: Resource
    path: str
    cidr: Value
    protocol: Value | None
    from_port: Value | None
    to_port: Value | None


@dataclass(slots=True)
class Trail:
    """A CloudTrail trail; each setting is ``None`` when not written (CloudFormation and Terraform both
    default them to off)."""

    resource: Resource
    kms_key: Value | None
    log_validation: Value | None = None
    multi_region: Value | None = None


@dataclass(slots=True)
class AccessKey:
    """A long-lived access key created for an IAM user."""

    resource: Resource
    user: Value | None


@dataclass(slots=True)
class KmsKey:
    resource: Resource
    rotation: Value | None  # automatic rotation setting; ``None`` when not written (off)
    spec: Value | None  # key spec; rotation applies only to symmetric encryption keys


@dataclass(slots=True)
class Principal:
    """An IAM user or group defined in the scanned files.  ``keys`` identify it: ``res:<logical id or
    address>`` and, when its name is a known literal, ``name:<name>``."""

    kind: str  # "user" | "group"
    resource: Resource
    keys: set[str]


@dataclass(slots=True)
class ManagedPolicy:
    """A customer managed policy defined in the scanned files (``AWS::IAM::ManagedPolicy``, ``aws_iam_policy``)."""

    resource: Resource
    keys: set[str]
    document: PolicyDocument


@dataclass(slots=True)
class InlinePolicy:
    """A policy embedded in a user or group (``Policies``, ``AWS::IAM::Policy``, ``aws_iam_user_policy``)."""

    resource: Resource
    principal_kind: str  # "user" | "group" | "role"
    principal: Value  # who it is embedded in: a ResourceRef or a name; for User.Policies the user itself
    document: PolicyDocument
    loc: Location  # where the policy is written (the Policies entry, or the resource header)
    path: str


@dataclass(slots=True)
class Attachment:
    """A managed policy attached to a principal (``ManagedPolicyArns``, ``Users`` of a ManagedPolicy,
    ``aws_iam_user_policy_attachment``…).  ``policy`` is an ARN or a reference."""

    resource: Resource
    principal_kind: str
    principal: Value
    policy: Value
    loc: Location
    path: str


@dataclass(slots=True)
class Membership:
    resource: Resource
    user: Value
    group: Value


@dataclass(slots=True)
class Model:
    document: Document
    secrets: list[SecretSite] = field(default_factory=list)
    ingress: list[IngressRule] = field(default_factory=list)
    trails: list[Trail] = field(default_factory=list)
    access_keys: list[AccessKey] = field(default_factory=list)
    kms_keys: list[KmsKey] = field(default_factory=list)
    users: list[Principal] = field(default_factory=list)
    groups: list[Principal] = field(default_factory=list)
    managed_policies: list[ManagedPolicy] = field(default_factory=list)
    inline_policies: list[InlinePolicy] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    memberships: list[Membership] = field(default_factory=list)

    @property
    def framework(self) -> str:
        return self.document.framework

    @property
    def resources(self) -> list[Resource]:
        return self.document.resources

    @property
    def parameters(self) -> dict[str, Parameter]:
        return self.document.parameters
