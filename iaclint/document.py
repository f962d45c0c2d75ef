"""What a front end hands to the adapters: the resources of one template or module, as Value trees.

A front end (``iaclint.cloudformation``, ``iaclint.terraform``) parses and evaluates its input as far as it
can and produces one `Document` per CloudFormation template or Terraform module.  It owns everything
framework-specific about *reading*: intrinsic functions, variables, modules, count/for_each.  The adapters
(``iaclint.adapters``) own *meaning*: which property of which resource type is a password, a CIDR, a policy.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .findings import ScanError
from .values import Location, Value

CLOUDFORMATION = "cloudformation"
TERRAFORM = "terraform"


@dataclass(slots=True)
class Resource:
    """One resource (or, in Terraform, one expanded instance, or a provider configuration).

    ``type`` is the framework's own: ``AWS::IAM::User`` or ``aws_iam_user`` (``provider.aws`` for a
    Terraform provider block).  ``name`` is the CloudFormation logical id or the full Terraform address
    (``module.web.aws_security_group.this["a"]``).  ``properties`` is a mapping Value: CloudFormation
    ``Properties``, or Terraform attributes with nested blocks as lists of mappings.
    """

    framework: str
    type: str
    name: str
    loc: Location
    properties: Value
    metadata: Value | None = None


@dataclass(slots=True)
class Parameter:
    """A CloudFormation parameter or a Terraform input variable.

    ``default`` is the declared default (``None`` when there is none); ``no_echo`` is CloudFormation
    ``NoEcho`` and ``sensitive`` Terraform ``sensitive`` (``None`` when not applicable).
    """

    name: str
    loc: Location
    reference: str  # how values that came through it record it in ``Value.via``
    # How findings about it name it when that is not ``name``: a Terraform variable is ``var.NAME``.
    address: str = ""
    default: Value | None = None
    no_echo: bool | None = None
    sensitive: bool | None = None
    type: str = ""  # a CloudFormation parameter's Type, as written


@dataclass(slots=True)
class Document:
    """One parsed template or module, ready for the adapters."""

    framework: str
    path: str  # the template file, or the module directory
    resources: list[Resource] = field(default_factory=list)
    parameters: dict[str, Parameter] = field(default_factory=dict)
    # Every file that contributed (a module's .tf files); findings are reported only for requested ones.
    files: list[str] = field(default_factory=list)
    # Every one of ``files`` was asked about (a directory scan): what it reaches is reported too, such as
    # the resources of the child modules it calls.
    whole: bool = False
    # Template-level CloudFormation ``Metadata`` (suppressions live there).
    metadata: Value | None = None
    # The text of every file read for this document, as written (set by the engine): credentials are
    # recognised in the source itself, wherever they hide (a Fn::Sub body, user data, a comment).
    sources: dict[str, str] = field(default_factory=dict)
    # What of it could not be read (a plan resource of the wrong shape, a template resource a bug was met
    # on), each at its file and line; the rest of the document is read.
    errors: list[ScanError] = field(default_factory=list)
