"""A syntax tree read back from the cache is the tree the parser made: every rule, token and position."""

from __future__ import annotations

from pathlib import Path

import pytest
from lark import Token, Tree

from iaclint.terraform import grammar, trees
from iaclint.terraform.parser import parse

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
TERRAFORM_FILES = sorted(FIXTURES.rglob("*.tf"))


def _shape(node):
    """Everything a reader of the tree can see, as plain data."""
    if isinstance(node, Token):
        return ("token", node.type, str(node), node.line, node.column, node.end_line, node.end_column)
    if node is None:
        return None
    meta = node.meta
    position = None if meta.empty else (meta.line, meta.column, meta.end_line, meta.end_column)
    return (str(node.data), position, [_shape(child) for child in node.children])


class ForgetfulStore:
    def load_parsed(self, text: str, kind: str) -> None:
        return None

    def store_parsed(self, text: str, data: bytes, kind: str) -> None:
        pass


@pytest.fixture(params=["python-hcl2's", "lazy"])
def chosen_parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Trees from python-hcl2's parser (positions in every node) and from `grammar.Node`'s (worked out)."""
    monkeypatch.setattr(grammar, "_parser", None)
    monkeypatch.setattr(grammar, "_parser", grammar.parser(ForgetfulStore() if request.param == "lazy" else None))


@pytest.mark.parametrize("path", TERRAFORM_FILES, ids=lambda path: str(path.relative_to(FIXTURES)))
def test_a_decoded_tree_is_the_parsed_tree(chosen_parser: None, path: Path) -> None:
    tree = parse(path.read_text(encoding="utf-8"), cache=False)
    decoded = trees.decode(trees.encode(tree))
    assert isinstance(decoded, Tree)
    assert type(decoded) is type(tree)
    assert _shape(decoded) == _shape(tree)


def test_the_fixtures_hold_terraform_files() -> None:
    assert len(TERRAFORM_FILES) >= 30


@pytest.mark.parametrize("data", [b"", b"not compressed", trees.encode(Tree("body", []))[:-3]])
def test_bytes_that_are_no_encoded_tree_are_refused(data: bytes) -> None:
    with pytest.raises(ValueError, match="not an encoded syntax tree"):
        trees.decode(data)
