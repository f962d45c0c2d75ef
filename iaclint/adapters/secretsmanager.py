"""Secrets Manager: secrets and the rotation schedules that name them, joined by `link`."""

from __future__ import annotations

import re

from ..document import CLOUDFORMATION, TERRAFORM, Resource
from ..model import ManagedSecret, Model, RotationSchedule
from ..values import ResourceRef, Value
from .link import own_keys, target_keys
from .reader import Mapping, Source

MAPPINGS = (
    Mapping(
        ManagedSecret, "managed_secrets",
        Source(CLOUDFORMATION, "AWS::SecretsManager::Secret", {"name": "Name"}),
        Source(TERRAFORM, "aws_secretsmanager_secret", {"name": "name"}),
    ),
    Mapping(
        RotationSchedule, "rotations",
        Source(CLOUDFORMATION, "AWS::SecretsManager::RotationSchedule", {"secret": "SecretId"}),
        Source(TERRAFORM, "aws_secretsmanager_secret_rotation", {"secret": "secret_id"}),
    ),
)

# How messages name what rotates a secret.
_ROTATION = {CLOUDFORMATION: "AWS::SecretsManager::RotationSchedule", TERRAFORM: "aws_secretsmanager_secret_rotation"}


def adapt(resource: Resource, model: Model) -> None:
    for secret in reversed(model.managed_secrets):
        if secret.resource is not resource:
            break
        secret.names["rotation"] = _ROTATION[resource.framework]


def link(model: Model) -> None:
    """Join to each secret the rotation schedules naming it, and those whose secret is unknown."""
    for secret in model.managed_secrets:
        secret.keys = own_keys(secret.resource.name, secret.name)
    for rotation in model.rotations:
        wanted = _secret_keys(rotation.secret) if rotation.secret is not None else set()
        named = [s for s in model.managed_secrets if wanted & s.keys]
        for secret in named:
            secret.rotations.append(rotation)
        if not named and rotation.secret is not None and any(v.is_unknown for v in rotation.secret.variants()):
            for secret in model.managed_secrets:
                secret.maybe_rotated.append(rotation)


# A secret's ARN ends with its name, a dash and six random characters.
_ARN = re.compile(r"^arn:[^:]+:secretsmanager:[^:]*:[^:]*:secret:(?P<name>.+?)(?:-[A-Za-z0-9]{6})?$")


def _secret_keys(value: Value) -> set[str]:
    """How a ``SecretId`` names its secret: a reference, the secret's name (which may hold slashes), its
    ARN, or the parameter or variable that names it too."""
    keys: set[str] = set()
    for variant in value.variants():
        if isinstance(variant.raw, ResourceRef) or variant.is_unknown:
            keys |= target_keys(variant)
        elif variant.is_str() and variant.raw:
            match = _ARN.match(variant.raw)
            keys.add("name:" + (match.group("name") if match else variant.raw))
    return keys
