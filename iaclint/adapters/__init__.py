"""Adapters: one module per AWS service maps both frameworks' resources into the neutral `Model`.

Each service module holds ``MAPPINGS`` (declarations the generic reader executes, see `reader`), and where
declarations cannot say it, ``adapt(resource, model)`` with the property paths it reads in ``paths()``; a
``link(model)`` joins what spans resources once every resource is read.
"""

from __future__ import annotations

import dataclasses

from ..document import Document
from ..failures import internal_error
from ..findings import ScanError
from ..model import Model
from . import account, cloudtrail, compute, iam, kms, network, s3, secrets, secretsmanager
from .reader import read

# s3 before cloudtrail: a trail is joined to a bucket the s3 link step has named.
SERVICES = (iam, network, s3, cloudtrail, kms, secrets, secretsmanager, compute, account)


def build_model(document: Document, errors: list[ScanError] | None = None) -> Model:
    """The model of ``document``.  A resource the adapters fail on is left out of it and reported in
    ``errors`` at its line, a link step that fails joins nothing and is reported where it was looking
    (both raised when ``errors`` is None); the others are still read."""
    model = Model(sources=dict(document.sources), headers=[(r.loc, r.name) for r in document.resources])
    model.inputs = secrets.inputs(document)
    steps = [(service.MAPPINGS, getattr(service, "adapt", None)) for service in SERVICES]
    for resource in document.resources:
        try:
            for mappings, adapt in steps:
                read(mappings, resource, model)
                if adapt is not None:
                    adapt(resource, model)
        except Exception as exc:
            if errors is None:
                raise
            _without(model, resource)
            errors.append(internal_error(exc, f"reading resource {resource.name}", resource.loc))
    for service in SERVICES:
        link = getattr(service, "link", None)
        if link is not None:
            try:
                link(model)
            except Exception as exc:  # this join is lost, not the model
                if errors is None:
                    raise
                errors.append(internal_error(exc, f"joining resources ({service.__name__.rsplit('.', 1)[-1]})",
                                             fallback_file=document.files[0] if document.files else document.path))
    return model


def _without(model: Model, resource) -> None:
    """Take out what a resource the adapters failed on had added: half of it would mislead the rules."""
    for field in dataclasses.fields(model):
        value = getattr(model, field.name)
        if isinstance(value, list):
            value[:] = [item for item in value if getattr(item, "resource", None) is not resource]


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
