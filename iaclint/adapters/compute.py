"""Compute: what instances run — EC2 user data (plain or base64) and cfn-init files and commands."""

from __future__ import annotations

import base64
import binascii
import re

from ..document import CLOUDFORMATION, TERRAFORM, Resource
from ..model import Model, Script
from .reader import Mapping, Source

# Attributes that hold user data, and those whose value is its base64 encoding.
_USER_DATA = {
    (CLOUDFORMATION, "AWS::EC2::Instance"): ("UserData",),
    (CLOUDFORMATION, "AWS::EC2::LaunchTemplate"): ("LaunchTemplateData.UserData",),
    (CLOUDFORMATION, "AWS::AutoScaling::LaunchConfiguration"): ("UserData",),
    (TERRAFORM, "aws_instance"): ("user_data", "user_data_base64"),
    (TERRAFORM, "aws_launch_template"): ("user_data",),
    (TERRAFORM, "aws_launch_configuration"): ("user_data", "user_data_base64"),
    (TERRAFORM, "aws_spot_instance_request"): ("user_data", "user_data_base64"),
}

MAPPINGS = (
    Mapping(Script, "scripts", *(Source(framework, kind, fan_out=("text", paths))
                                 for (framework, kind), paths in _USER_DATA.items())),
)

_INIT = "AWS::CloudFormation::Init"
_BASE64 = re.compile(r"^[A-Za-z0-9+/\s]{16,}={0,2}$")


def adapt(resource: Resource, model: Model) -> None:
    if resource.framework == CLOUDFORMATION and resource.metadata is not None and resource.metadata.is_map():
        init = resource.metadata.get(_INIT)
        if init is not None and init.is_map():
            _init_scripts(model, resource, init)
    for script in reversed(model.scripts):
        if script.resource is not resource:
            break
        script.what = script.what or script.names.get("text", script.path)
        if script.decoded is None and script.text.is_str():
            script.decoded = decoded(script.text.raw)


def _init_scripts(model: Model, resource: Resource, init) -> None:
    """cfn-init's configs: ``files`` (each one's ``content``) and ``commands`` (each one's ``command``)."""
    where = f"Metadata.{_INIT}"
    for config_name, config in init.raw.items():
        if config_name == "configSets" or not config.is_map():
            continue
        for section, field, called in (("files", "content", "cfn-init file"), ("commands", "command", "cfn-init command")):
            entries = config.get(section)
            for name, entry in (entries.raw.items() if entries is not None and entries.is_map() else ()):
                text = entry.get(field) if entry.is_map() else None
                if text is not None:
                    model.scripts.append(Script(resource, text, f"{where}.{config_name}.{section}.{name}.{field}",
                                                f"{called} {name}"))


def decoded(text: str) -> str | None:
    """The text a base64 blob encodes, when it is one and encodes text; else None."""
    if not _BASE64.match(text.strip()):
        return None
    try:
        data = base64.b64decode("".join(text.split()), validate=True)
        result = data.decode("utf-8")
    except (binascii.Error, ValueError):
        return None
    return result if all(char.isprintable() or char in "\n\r\t" for char in result) else None


def paths() -> dict[tuple[str, str], set[str]]:
    """Nothing beyond the declarations: cfn-init is metadata, not a resource property."""
    return {}
