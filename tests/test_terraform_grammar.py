"""The parser that works positions out on demand gives python-hcl2's trees, and keeps its tables in the cache."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import hcl2
import hcl2.parser
import pytest
from lark import Lark, Token

from iaclint import scan
from iaclint.terraform import grammar, parser
from iaclint.terraform.syntax import parse_expression

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
TERRAFORM_FILES = sorted(FIXTURES.rglob("*.tf"))

# Shapes where a node's span is not simply its own tokens' in an obvious way: parentheses around a single
# expression, empty bodies and blocks, comments and blank lines at the edges, heredocs, CRLF, templates.
TRICKY = {
    "parentheses": 'a = ((1 + 2)) * (b)\nc = (var.x)\n',
    "empty": 'x {}\ny "l" {\n}\nz = {}\nw = []\n',
    "comments": '# lead\n\n/* block\n comment */\na = 1 # trailing\n// end\n',
    "heredoc": 'p = <<EOF\n{\n  "a": "${var.x}"\n}\nEOF\nq = <<-T\n    t\n    T\n',
    "crlf": 'resource "a" "b" {\r\n  x = [1,\r\n    2]\r\n}\r\n',
    "template": 'a = "x${b}%{ if c }y%{ else }z%{ endif }"\nb = "%{ for i in l ~}${i}%{ endfor }"\n',
    "expressions": ('a = [for k, v in m : v if k != "x"]\nb = {for k in l : k => k...}\n'
                    'c = x.y[*].z\nd = x.*.y\ne = f(1, [2], {a = 3}...)\nf = !a || b && -c\n'
                    'g = a ? b : c\nh = x[0].y["k"]\n'),
}


def _shape(node):
    """Everything a reader of the tree can see, as plain data."""
    if isinstance(node, Token):
        return ("token", node.type, str(node), node.line, node.column, node.end_line, node.end_column,
                node.start_pos, node.end_pos)
    if node is None:
        return None
    meta = node.meta
    position = None if meta.empty else (meta.line, meta.column, meta.end_line, meta.end_column, meta.start_pos,
                                        meta.end_pos)
    return (str(node.data), position, [_shape(child) for child in node.children])


class MemoryStore:
    """The cache's interface for parsed data, in memory."""

    def __init__(self) -> None:
        self.entries: dict[tuple[str, str], bytes] = {}

    def load_parsed(self, text: str, kind: str) -> bytes | None:
        return self.entries.get((kind, text))

    def store_parsed(self, text: str, data: bytes, kind: str) -> None:
        self.entries[(kind, text)] = data


@pytest.fixture
def fresh(monkeypatch: pytest.MonkeyPatch) -> None:
    """The next `grammar.parser` call makes its parser anew (it is kept for the rest of the process)."""
    monkeypatch.setattr(grammar, "_parser", None)


@pytest.fixture(scope="module")
def lazy_parser() -> Iterator[Lark]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(grammar, "_parser", None)
        yield grammar.parser(MemoryStore())


@pytest.mark.parametrize("text", [
    *(path.read_text(encoding="utf-8") for path in TERRAFORM_FILES), *TRICKY.values()],
    ids=[*(str(path.relative_to(FIXTURES)) for path in TERRAFORM_FILES), *TRICKY])
def test_trees_and_positions_are_python_hcl2s(lazy_parser: Lark, text: str) -> None:
    lazy = lazy_parser.parse(text + "\n")
    assert isinstance(lazy, grammar.Node)
    assert _shape(lazy) == _shape(hcl2.parses_to_tree(text))


def test_the_tables_are_kept_and_read_back(fresh: None, monkeypatch: pytest.MonkeyPatch) -> None:
    store = MemoryStore()
    first = grammar.parser(store).parse(TRICKY["expressions"])
    assert [kind for kind, _ in store.entries] == [grammar.TABLES]

    def not_needed():
        raise AssertionError("python-hcl2's parser was loaded although the tables were kept")

    monkeypatch.setattr(grammar, "_parser", None)
    monkeypatch.setattr(hcl2.parser, "parser", not_needed)
    again = grammar.parser(store).parse(TRICKY["expressions"])
    assert isinstance(again, grammar.Node)
    assert _shape(again) == _shape(first)


@pytest.mark.parametrize("damaged", [b"", b"not compressed", b"x\x9c\x03\x00\x00\x00\x00\x01"])
def test_damaged_tables_are_made_again(fresh: None, damaged: bytes) -> None:
    store = MemoryStore()
    grammar_text = (Path(hcl2.parser.__file__).parent / "hcl2.lark").read_text(encoding="utf-8")
    store.entries[(grammar.TABLES, grammar_text)] = damaged
    tree = grammar.parser(store).parse("a = 1\n")
    assert _shape(tree) == _shape(hcl2.parses_to_tree("a = 1"))
    assert store.entries[(grammar.TABLES, grammar_text)] != damaged


def test_without_a_store_python_hcl2s_own_parser_is_used(fresh: None) -> None:
    assert grammar.parser() is hcl2.parser.parser()


def test_a_grammar_that_drops_a_token_is_not_converted() -> None:
    assert grammar.keeps_every_token(hcl2.parser.parser())
    assert not grammar.keeps_every_token(Lark('start: "(" A ")"\nA: "a"\n', parser="lalr"))
    assert not grammar.keeps_every_token(Lark("start: _L A\n_L: \"(\"\nA: \"a\"\n", parser="lalr"))
    assert grammar.keeps_every_token(Lark('!start: "(" A ")"\nA: "a"\n', parser="lalr"))


def test_a_scan_reports_the_same_with_either_parser(monkeypatch: pytest.MonkeyPatch, lazy_parser: Lark) -> None:
    """Positions shifted into place (interpolations in templates) and everything else rules report, over the
    whole fixture tree: the same findings, origins and errors whether nodes know their positions from the
    start or work them out on demand."""
    reports = []
    for chosen in (hcl2.parser.parser(), lazy_parser):
        monkeypatch.setattr(grammar, "_parser", chosen)
        monkeypatch.setattr(parser, "_CACHE", {})  # trees parsed by the other parser
        reports.append(scan([str(FIXTURES)]))
    standard, lazy = reports
    assert standard.findings and any(finding.file.endswith(".tf") for finding in standard.findings)
    assert lazy.findings == standard.findings
    assert lazy.errors == standard.errors


@pytest.mark.parametrize("text", ["var.a", "f(var.a, [1, 2])[0]", "a ? b : c", "x\n  + y"])
def test_an_expression_moved_into_place_is_where_either_parser_puts_it(
        monkeypatch: pytest.MonkeyPatch, lazy_parser: Lark, text: str) -> None:
    shapes = []
    for chosen in (hcl2.parser.parser(), lazy_parser):
        monkeypatch.setattr(grammar, "_parser", chosen)
        shapes.append(_shape(parse_expression(text, 7, 12)))
    assert shapes[1] == shapes[0]
    assert shapes[0][1][:2] == (7, 12)  # the expression starts where it was written
