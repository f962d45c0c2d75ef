"""Adapters: map each framework's resources, once per AWS service, into the neutral `Model`."""

from __future__ import annotations

from ..document import CLOUDFORMATION, Document
from ..model import Model


def build_model(document: Document) -> Model:
    if document.framework == CLOUDFORMATION:
        from . import cloudformation as adapter
    else:
        from . import terraform as adapter
    model = Model(document)
    adapter.adapt(document, model)
    return model
