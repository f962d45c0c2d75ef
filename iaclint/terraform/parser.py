"""Parse one ``.tf`` file into python-hcl2's concrete syntax tree, which keeps every node's position."""

from __future__ import annotations

from ..findings import InputError


def parse(text: str):
    """The Lark tree of ``text``; raises `InputError` with line and column on a syntax error."""
    import hcl2  # imported here: the grammar costs ~0.1 s and only Terraform input needs it
    from lark.exceptions import LarkError, UnexpectedInput

    try:
        return hcl2.parses_to_tree(text)
    except UnexpectedInput as exc:
        line = getattr(exc, "line", None)
        column = getattr(exc, "column", None)
        return _raise(f"invalid HCL: {_first_line(str(exc))}", line if line and line > 0 else None, column)
    except (LarkError, RecursionError, ValueError) as exc:
        return _raise(f"invalid HCL: {_first_line(str(exc))}", None, None)


def _first_line(message: str) -> str:
    return message.strip().splitlines()[0] if message.strip() else "syntax error"


def _raise(message: str, line, column):
    raise InputError(message, line, column if column and column > 0 else None)
