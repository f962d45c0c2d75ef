"""CloudFormation templates written inside Terraform (``aws_cloudformation_stack.template_body``), read as
the CloudFormation documents they are, with their lines where the Terraform file has them."""

from __future__ import annotations

from ..document import TERRAFORM, Document
from ..findings import InputError, ScanError
from ..values import LITERAL, RESOLVED

_STACKS = ("aws_cloudformation_stack", "aws_cloudformation_stack_set")


def embedded_templates(document: Document, inputs, read_text) -> tuple[list[Document], list[ScanError]]:
    """The documents of every template written into ``document``'s stacks (not those read with ``file()``:
    that file is scanned on its own), and the errors of those that cannot be read, each at its stack."""
    found: list[Document] = []
    errors: list[ScanError] = []
    for resource in document.resources:
        if resource.framework != TERRAFORM or resource.type not in _STACKS:
            continue
        body = resource.properties.get("template_body")
        if body is None or body.loc is None or body.origin not in (LITERAL, RESOLVED) or body.via:
            continue
        if any(step.loc.file != body.loc.file for step in body.trace):
            continue  # read from another file (file(), templatefile()), which is scanned as itself
        # Imported only for a stack with a template: a Terraform scan does not otherwise need the YAML reader.
        from ..cloudformation import loader
        from ..cloudformation.template import load_parsed_template

        try:
            root = body if isinstance(body.raw, dict) else _parsed(body, loader, read_text)
            if root is None:
                continue
            found.extend(load_parsed_template(root, body.loc.file, inputs, read_text, stack_path=f"{resource.name}/",
                                              parameters=_parameters(resource)))
        except InputError as exc:
            errors.append(ScanError(body.loc.file, f"{resource.name}: template_body: {exc.message}", exc.line,
                                    exc.column))
    return found, errors


def _parsed(body, loader, read_text):
    """The template text parsed so that each value is where the Terraform file has it."""
    if not body.is_str():
        return None
    text = body.raw
    if "\n" in text.rstrip("\n"):
        # A heredoc starts on the line after its opener.  Without interpolation its lines are the file's own,
        # indentation included (``<<-`` strips it from the value), so the file's text gives exact columns.
        first = body.loc.line + 1
        count = len(text.rstrip("\n").split("\n"))
        lines = read_text(body.loc.file).split("\n")[first - 1:first - 1 + count]
        if body.origin == LITERAL and "\n".join(line.strip() for line in lines) == "\n".join(
                line.strip() for line in text.rstrip("\n").split("\n")):
            text = "\n".join(lines)
        return loader.parse("\n" * (first - 1) + text, body.loc.file)
    return loader.parse("\n" * (body.loc.line - 1) + " " * (body.loc.column - 1) + text, body.loc.file)


def _parameters(resource) -> dict:
    given = resource.properties.get("parameters")
    return dict(given.raw) if given is not None and given.is_map() else {}
