"""The framework-neutral security model that rules read.

The adapters (``iaclint.adapters``, one module per AWS service) fill one `Model` per template or module,
and their link step joins what spans resources.  Every field that came from the template is a `Value`, so a
rule can point at the offending text and tell literal from unknown; ``names`` carries each setting's own
spelling (``KMSKeyId`` / ``kms_key_id``) so that messages can name it without a rule knowing the framework.
A rule reads only this model: it holds no raw document.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .document import Resource
from .policy import PolicyDocument, Statement
from .values import Location, Value


@dataclass(slots=True)
class SecretSite:
    """A place that holds a secret: a password property, a token, a secret-named environment variable."""

    resource: Resource
    value: Value
    path: str = ""  # property path inside the resource, e.g. "MasterUserPassword" or "Environment.Variables.DB_PASSWORD"
    what: str = ""  # for messages: "MasterUserPassword", "environment variable DB_PASSWORD"
    remedy: str = ""  # how to pass a secret instead, in the framework's terms
    # Handed to a module or nested template, which may use it in a resource of its own.
    passed_on: bool = False
    # The unknown value that decides whether this holds a secret at all (an SSM parameter's name), if any.
    unsure: Value | None = None
    # A secret kept in a parameter store (an SSM parameter), with the type it is kept as ("String", "SecureString").
    in_parameter_store: bool = False
    store_type: Value | None = None
    names: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class IngressRule:
    """One source CIDR of one security-group rule that may let traffic in."""

    resource: Resource
    cidr: Value
    protocol: Value | None = None
    from_port: Value | None = None
    to_port: Value | None = None
    # The rule's direction where a resource can be either (``type`` of ``aws_security_group_rule``):
    # ``None`` for an ingress-only resource; kept while unknown, so a rule can say it could not decide.
    direction: Value | None = None
    # The group a rule of its own (``AWS::EC2::SecurityGroupIngress``) belongs to; ``None`` inside a group.
    group: Value | None = None
    path: str = ""
    names: dict[str, str] = field(default_factory=dict)
    # After the link step: what the rule's group is attached to in the scanned files (`GroupUse` kinds);
    # empty when nothing there uses it.
    group_used_by: frozenset[str] = frozenset()


# What uses a security group (the `Model` list its `GroupUse` is in): the advice for an open group depends on it.
LOAD_BALANCER, INSTANCE = "load balancer", "instance"


@dataclass(slots=True)
class GroupUse:
    """One reference to a security group from a resource that is attached to it (a load balancer, an
    instance, a launch template); which kind is the `Model` list it is in."""

    resource: Resource
    group: Value
    path: str = ""
    names: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class SecurityGroup:
    """A security group; ``ingress`` holds its inline rules and, after the link step, the rules of its own
    that name it."""

    resource: Resource
    name: Value | None = None
    ingress: list[IngressRule] = field(default_factory=list)
    path: str = ""
    names: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class DefaultGroupRule:
    """A rule written into a VPC's default security group brought under management (which can hold no rule
    at all); ``names["rule"]`` is the setting that holds it, for messages."""

    resource: Resource
    rule: Value
    path: str = ""
    names: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class AclEntry:
    """One source CIDR of one network ACL entry.  ``None`` fields are not written: an entry is inbound
    unless ``egress`` says otherwise, and needs an action and a rule number (a missing one is decided by
    the rule reading it)."""

    resource: Resource
    cidr: Value
    action: Value | None = None
    number: Value | None = None
    protocol: Value | None = None
    from_port: Value | None = None
    to_port: Value | None = None
    egress: Value | None = None
    # The ACL an entry of its own belongs to; ``None`` for an entry written inside its ACL.
    acl: Value | None = None
    path: str = ""
    names: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class NetworkAcl:
    """A network ACL and, after the link step, every entry that belongs to it.  An ACL that is not in the
    scanned files but is named by entries that are gets one of these too, with ``resource`` ``None``."""

    resource: Resource | None
    entries: list[AclEntry] = field(default_factory=list)
    path: str = ""
    names: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class PublicAccessBlock:
    """The four S3 public access settings of a bucket (each ``None`` when not written: off)."""

    resource: Resource
    bucket: Value | None = None  # the bucket it applies to, when it is a resource of its own
    block_public_acls: Value | None = None
    block_public_policy: Value | None = None
    ignore_public_acls: Value | None = None
    restrict_public_buckets: Value | None = None
    path: str = ""
    names: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class Versioning:
    """The versioning status of a bucket: ``Enabled`` / ``Suspended`` (or Terraform's older ``enabled``)."""

    resource: Resource
    status: Value | None = None
    bucket: Value | None = None  # the bucket it applies to, when it is a resource of its own
    path: str = ""
    names: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class CannedAcl:
    """The canned ACL a bucket is given (``PublicRead``, ``public-read``…), inline or as a resource of its own."""

    resource: Resource
    acl: Value | None = None
    bucket: Value | None = None  # the bucket it applies to, when it is a resource of its own
    path: str = ""
    names: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class Bucket:
    """An S3 bucket; its access block, versioning and canned ACL, written inline or as resources of their
    own, are joined to it by the link step.  ``keys`` identify it like a `Principal`'s.  ``names`` also
    spells, for messages, where its access block and versioning are written (``access_block``,
    ``versioning``: ``PublicAccessBlockConfiguration`` / ``aws_s3_bucket_public_access_block``).
    ``maybe`` holds, under the same attribute names, an access block, versioning or ACL joined to no bucket
    because the bucket it names is not known: it may be this bucket's."""

    resource: Resource
    name: Value | None = None
    object_lock: Value | None = None
    keys: set[str] = field(default_factory=set)
    access_block: PublicAccessBlock | None = None
    versioning: Versioning | None = None
    acl: CannedAcl | None = None
    path: str = ""
    names: dict[str, str] = field(default_factory=dict)
    maybe: dict[str, PublicAccessBlock | Versioning | CannedAcl] = field(default_factory=dict)


@dataclass(slots=True)
class Trail:
    """A CloudTrail trail; each setting is ``None`` when not written (CloudFormation and Terraform both
    default them to off) — but ``logging``, which is on unless written false (Terraform's default;
    CloudFormation requires it)."""

    resource: Resource
    logging: Value | None = None
    log_group: Value | None = None  # the CloudWatch Logs log group it sends its events to
    log_role: Value | None = None  # the role CloudTrail assumes to write to that log group
    kms_key: Value | None = None
    log_validation: Value | None = None
    multi_region: Value | None = None
    bucket_name: Value | None = None  # the S3 bucket it writes to
    bucket: Bucket | None = None  # that bucket, when it is in the scanned files (set by the link step)
    path: str = ""
    names: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class RotationSchedule:
    """Rotation configured for a Secrets Manager secret, as a resource of its own naming it."""

    resource: Resource
    secret: Value | None = None
    path: str = ""
    names: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class ManagedSecret:
    """A Secrets Manager secret; ``rotations`` are the rotation schedules that name it (the link step), and
    ``maybe_rotated`` those whose secret is unknown, so might."""

    resource: Resource
    name: Value | None = None
    keys: set[str] = field(default_factory=set)
    rotations: list[RotationSchedule] = field(default_factory=list)
    maybe_rotated: list[RotationSchedule] = field(default_factory=list)
    path: str = ""
    names: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class AccessKey:
    """A long-lived access key created for an IAM user."""

    resource: Resource
    user: Value | None = None
    path: str = ""
    names: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class Script:
    """Text an instance runs or writes: EC2 user data, a cfn-init file or command.  Credentials hide here
    in forms no property name gives away (``export DB_PASSWORD=…``), sometimes base64-encoded."""

    resource: Resource
    text: Value
    path: str = ""
    what: str = ""  # for messages: "UserData", "cfn-init file /etc/app.conf"
    # The text as the instance sees it, when what is written is its base64 encoding; else None.
    decoded: str | None = None
    names: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class KmsKey:
    resource: Resource
    rotation: Value | None = None  # automatic rotation setting; ``None`` when not written (off)
    spec: Value | None = None  # key spec; rotation applies only to symmetric encryption keys
    path: str = ""
    names: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class NamedPolicy:
    """A policy (one that reaches a user, or any identity policy), with the name messages give it: its
    resource's (logical id or address), or for an entry of a ``Policies`` list its ``PolicyName``."""

    name: str
    policy: PolicyDocument
    resource: Resource | None = None  # the resource that writes it, when listed by `Model.identity_policies`


@dataclass(slots=True)
class Reach:
    """What reaches an IAM user (worked out by the link step): the policies known to apply, the AWS managed
    policies attached, and why the picture may be incomplete."""

    policies: list[NamedPolicy] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    aws_managed: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Principal:
    """An IAM user or group defined in the scanned files.  ``keys`` identify it: ``res:<logical id or
    address>`` and, when its name is a known literal, ``name:<name>``."""

    kind: str  # "user" | "group"
    resource: Resource
    keys: set[str]
    reach: Reach | None = None  # users: set by the link step


@dataclass(slots=True)
class Trusted:
    """One AWS principal a role's trust policy lets assume the role, with the statement that lets it.
    ``account`` is ``"any"`` (``*``), ``"this"`` (the account deployed to: a reference to its id, or to a
    user or role of the scanned files), ``"other"`` (a literal account id, or an ARN holding one) or
    ``"unknown"``; ``shown`` is how messages name it."""

    statement: Statement
    principal: Value
    account: str
    shown: str


@dataclass(slots=True)
class Role:
    """An IAM role (``AWS::IAM::Role``, ``aws_iam_role``); its permissions policies are `InlinePolicy` and
    `Attachment` entries of principal kind ``role``.  ``trusted`` lists the AWS principals of its trust
    policy (services and federated identities are not AWS accounts and are left out)."""

    resource: Resource
    keys: set[str]
    trust: PolicyDocument
    trusted: list[Trusted] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)  # "trust": the trust policy's setting name


@dataclass(slots=True)
class ManagedPolicy:
    """A customer managed policy defined in the scanned files (``AWS::IAM::ManagedPolicy``, ``aws_iam_policy``)."""

    resource: Resource
    keys: set[str]
    document: PolicyDocument


@dataclass(slots=True)
class InlinePolicy:
    """A policy embedded in a user, group or role (``Policies``, ``AWS::IAM::Policy``, ``aws_iam_user_policy``)."""

    resource: Resource
    principal_kind: str  # "user" | "group" | "role"
    principal: Value  # who it is embedded in: a ResourceRef or a name; for User.Policies the user itself
    document: PolicyDocument
    loc: Location  # where the policy is written (the Policies entry, or the resource header)
    path: str
    when: tuple[str, ...] = ()  # the conditions under which the policy is embedded at all
    name: str = ""  # how messages name it when its resource does not: a ``Policies`` entry's PolicyName


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
class Input:
    """A value given at deploy time: a CloudFormation parameter or a Terraform variable.  Whether it keeps a
    secret protected is decided by its adapter, in the framework's terms."""

    name: str  # how findings name it: "DbPassword", "var.db_password"
    reference: str  # how values that came through it record it in `Value.via`
    loc: Location
    default: Value | None
    # What keeps a secret passed through it from being protected, besides a default: "lacks NoEcho: true".
    unprotected: tuple[str, ...] = ()
    # Where its value is read from when that keeps it in plain text: "the SSM String parameter it names".
    plaintext_store: str = ""


@dataclass(slots=True)
class Detector:
    """A GuardDuty detector; ``enabled`` is ``None`` when not written (on)."""

    resource: Resource
    enabled: Value | None = None
    path: str = ""
    names: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class SecurityHub:
    """Security Hub enabled in an account (``AWS::SecurityHub::Hub``, ``aws_securityhub_account``)."""

    resource: Resource
    path: str = ""
    names: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class AccessAnalyzer:
    """An IAM Access Analyzer; ``kind`` is its type (``None`` when not written: ``ACCOUNT``)."""

    resource: Resource
    kind: Value | None = None
    path: str = ""
    names: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class AlternateContact:
    """An account's alternate contact; ``kind`` is ``SECURITY``, ``BILLING`` or ``OPERATIONS``."""

    resource: Resource
    kind: Value | None = None
    path: str = ""
    names: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class PasswordPolicy:
    """The account's IAM password policy; each setting is ``None`` when not written (off / no limit, and
    ``default_length`` when no minimum length is)."""

    resource: Resource
    minimum_length: Value | None = None
    reuse_prevention: Value | None = None
    require_uppercase: Value | None = None
    require_lowercase: Value | None = None
    require_numbers: Value | None = None
    require_symbols: Value | None = None
    max_age: Value | None = None
    default_length: int = 0  # the minimum length the framework applies when none is written (set by the adapter)
    path: str = ""
    names: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class AccountBaseline:
    """An account baseline (the ``account-baseline`` configuration): the templates and modules read from one
    of its paths, taken together.  What an account must have is judged on it, once per path; a rule never
    learns the path."""

    loc: Location  # where what the account lacks is reported: the baseline's first file, line 1
    declared: Model  # what all its documents declare, together


@dataclass(slots=True)
class Model:
    secrets: list[SecretSite] = field(default_factory=list)
    ingress: list[IngressRule] = field(default_factory=list)
    trails: list[Trail] = field(default_factory=list)
    security_groups: list[SecurityGroup] = field(default_factory=list)
    load_balancer_groups: list[GroupUse] = field(default_factory=list)  # the groups load balancers use
    instance_groups: list[GroupUse] = field(default_factory=list)  # the groups instances are launched in
    default_group_rules: list[DefaultGroupRule] = field(default_factory=list)
    network_acls: list[NetworkAcl] = field(default_factory=list)
    acl_entries: list[AclEntry] = field(default_factory=list)
    buckets: list[Bucket] = field(default_factory=list)
    access_blocks: list[PublicAccessBlock] = field(default_factory=list)
    # Account-wide public access blocks: they apply to every bucket of the account.
    account_access_blocks: list[PublicAccessBlock] = field(default_factory=list)
    acls: list[CannedAcl] = field(default_factory=list)
    versionings: list[Versioning] = field(default_factory=list)
    access_keys: list[AccessKey] = field(default_factory=list)
    kms_keys: list[KmsKey] = field(default_factory=list)
    managed_secrets: list[ManagedSecret] = field(default_factory=list)
    rotations: list[RotationSchedule] = field(default_factory=list)
    users: list[Principal] = field(default_factory=list)
    groups: list[Principal] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    managed_policies: list[ManagedPolicy] = field(default_factory=list)
    inline_policies: list[InlinePolicy] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    memberships: list[Membership] = field(default_factory=list)
    inputs: list[Input] = field(default_factory=list)
    scripts: list[Script] = field(default_factory=list)
    detectors: list[Detector] = field(default_factory=list)
    security_hubs: list[SecurityHub] = field(default_factory=list)
    access_analyzers: list[AccessAnalyzer] = field(default_factory=list)
    alternate_contacts: list[AlternateContact] = field(default_factory=list)
    password_policies: list[PasswordPolicy] = field(default_factory=list)
    # Set only on the one model the engine makes per account baseline path, whose own lists are empty:
    # "missing" findings are judged there, declared resources in their documents' own models.
    account_baseline: AccountBaseline | None = None
    # The text of every file read, as written: credentials are recognised in the source itself, wherever
    # they hide (a Fn::Sub body, user data, a comment).
    sources: dict[str, str] = field(default_factory=dict)
    # (header location, name) of every resource, to name the resource a line of source belongs to.
    headers: list[tuple[Location, str]] = field(default_factory=list)

    def identity_policies(self) -> list[NamedPolicy]:
        """Every policy of a user, group or role written in the scanned files, each once: customer managed
        (attached or not) and inline (one ``AWS::IAM::Policy`` is embedded in each principal it names)."""
        found: dict[int, NamedPolicy] = {}
        for managed in self.managed_policies:
            found.setdefault(id(managed.document), NamedPolicy(managed.resource.name, managed.document,
                                                               managed.resource))
        for inline in self.inline_policies:
            found.setdefault(id(inline.document), NamedPolicy(inline.name or inline.resource.name, inline.document,
                                                              inline.resource))
        return list(found.values())

    def resource_at(self, file: str, line: int) -> str:
        """The name of the resource whose header is the closest above ``line`` of ``file`` (or "")."""
        above = [(loc.line, name) for loc, name in self.headers if loc.file == file and loc.line <= line]
        return max(above)[1] if above else ""
