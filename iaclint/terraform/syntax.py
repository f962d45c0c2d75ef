"""Read python-hcl2's concrete syntax tree: blocks, attributes and positions."""

from __future__ import annotations

from dataclasses import dataclass, field

from lark import Token, Tree

from ..values import Location


@dataclass(slots=True)
class Block:
    type: str
    labels: list[str]
    loc: Location
    attributes: dict[str, "Attribute"] = field(default_factory=dict)
    blocks: list["Block"] = field(default_factory=list)
    file: str = ""


@dataclass(slots=True)
class Attribute:
    name: str
    expression: Tree
    loc: Location  # of the name


def location(node, file: str) -> Location:
    meta = node.meta if isinstance(node, Tree) else node
    if isinstance(node, Tree) and getattr(meta, "empty", False):
        return Location(file, 1, 1)
    end_column = getattr(meta, "end_column", None)
    return Location(file, meta.line, meta.column, getattr(meta, "end_line", None),
                    end_column - 1 if end_column else None)


def read_body(body: Tree, file: str, block: Block) -> None:
    for child in body.children:
        if not isinstance(child, Tree):
            continue
        if child.data == "attribute":
            name_node = child.children[0]
            name = _name(name_node)
            expression = child.children[-1]
            block.attributes[name] = Attribute(name, expression, location(name_node, file))
        elif child.data == "block":
            block.blocks.append(read_block(child, file))


def read_block(node: Tree, file: str) -> Block:
    names: list[str] = []
    body = None
    for child in node.children:
        if isinstance(child, Tree):
            if child.data == "body":
                body = child
            elif child.data in ("identifier", "keyword", "literal_value", "string"):
                names.append(_name(child))
    block = Block(names[0], names[1:], location(node, file), file=file)
    if body is not None:
        read_body(body, file, block)
    return block


def read_file(tree: Tree, file: str) -> list[Block]:
    root = Block("", [], Location(file, 1, 1), file=file)
    body = tree.children[0] if tree.children else None
    if isinstance(body, Tree):
        read_body(body, file, root)
    return root.blocks


def _name(node) -> str:
    if isinstance(node, Token):
        return str(node)
    if node.data == "string":
        return "".join(_string_text(part) for part in node.children if isinstance(part, Tree))
    return "".join(str(token) for token in node.scan_values(lambda v: isinstance(v, Token)))


def _string_text(part: Tree) -> str:
    return "".join(str(token) for token in part.scan_values(lambda v: isinstance(v, Token)))
