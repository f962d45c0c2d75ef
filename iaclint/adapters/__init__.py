"""Adapters: one module per AWS service maps both frameworks' resources into the neutral `Model`.

Each service module holds ``MAPPINGS`` (declarations the generic reader executes, see `reader`), and where
declarations cannot say it, ``adapt(resource, model)`` with the property paths it reads in ``paths()``; a
``link(model)`` joins what spans resources once every resource is read.
"""

from __future__ import annotations

from ..document import Document
from ..model import Model
from . import account, cloudtrail, compute, iam, kms, network, s3, secrets, secretsmanager
from .reader import read

# s3 before cloudtrail: a trail is joined to a bucket the s3 link step has named.
SERVICES = (iam, network, s3, cloudtrail, kms, secrets, secretsmanager, compute, account)


def build_model(document: Document) -> Model:
    model = Model(sources=dict(document.sources), headers=[(r.loc, r.name) for r in document.resources])
    model.inputs = secrets.inputs(document)
    for resource in document.resources:
        for service in SERVICES:
            read(service.MAPPINGS, resource, model)
            adapt = getattr(service, "adapt", None)
            if adapt is not None:
                adapt(resource, model)
    for service in SERVICES:
        link = getattr(service, "link", None)
        if link is not None:
            link(model)
    return model


def declared_paths(framework: str) -> dict[str, set[str]]:
    """Every property path the adapters read for ``framework``, by resource type: what the reader executes
    and what each service's own code declares it reads."""
    found: dict[str, set[str]] = {}
    for service in SERVICES:
        for mapping in service.MAPPINGS:
            for source in mapping.sources:
                if source.framework == framework:
                    found.setdefault(source.type, set()).update(source.paths())
        extra = getattr(service, "paths", None)
        for (kind_framework, kind), paths in (extra() if extra else {}).items():
            if kind_framework == framework:
                found.setdefault(kind, set()).update(paths)
    return found
