"""The YAML reader builds values from the parser's events; composing the node graph is the reference.  Both
must give the same values (with every location) and the same errors, for every document."""

from __future__ import annotations

import math
import random
from pathlib import Path

import pytest

from iaclint.cloudformation.loader import MAX_DEPTH, MAX_EXPANDED_NODES, compose, parse
from iaclint.findings import InputError
from iaclint.values import Value

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

DOCUMENTS = [
    # anchors and aliases, as values and as keys
    "a: &x 1\nb: *x\n",
    "a: &x [1, 2, {c: d}]\nb: *x\nc: {k: *x}\n",
    "a: &x !Ref b\nb: *x\n? *x\n: 3\n",
    "a: &x !GetAtt a.b.c\nb: [*x, *x]\n",
    "&k key: 1\n*k : 2\n",
    "&k key: 1\nz: *k\n",
    "a: &a\nb: *a\n",
    "a: &a {}\nb: *a\nc: &c []\nd: *c\n",
    "- &a x\n- *a\n- &b [*a, *a]\n- *b\n",
    "a: &a [1]\n*a : 1\n",
    "a: &a 1\nb: {*a : 1, '1': 2}\n",
    "a: &a 1\nb: {*a : 1, 1: 2}\n",
    "a: &a !Ref x\nb: {*a : 1}\n",
    "a: &b " + "9" * 5000 + "\nc: *b\n",
    # recursive, undefined and duplicate anchors
    "a: &a [*a]\n",
    "a: &a {b: *a}\n",
    "a: &a [[*a]]\n",
    "a: *u\n",
    "a: &x 1\nb: &x 2\n",
    # merge keys
    "a: {b: 1}\nb: &m {c: 1}\nd:\n  <<: *m\n  e: 2\n",
    "<<: {a: 1}\n",
    "a: &a {x: 1}\nb: &b {y: 2}\nc: {<<: [*a, *b], z: 3}\n",
    "a: &a {x: 1}\nc: {<<: [*a, {x: 2}]}\n",
    "a: &a {x: 1}\nc: {x: 0, <<: *a}\n",
    "a: <<\n",
    "a: !!merge <<\n",
    "x: &m <<\n",
    # scalars: every implicit type, explicit tags, short forms
    "a: 0x10\nb: 0o17\nc: 1_000\nd: 1:30\ne: .inf\nf: -.Inf\ng: .nan\nh: 1e3\ni: yes\nj: No\nk: ~\nl: null\n"
    "m: 2010-09-09\nn: 2001-12-14t21:59:43.10-05:00\no: '1'\np: \"true\"\nq: =\n",
    "1: a\ntrue: b\n1.5: c\nnull: d\n~: e\n2010-09-09: f\n0x10: g\n",
    "a: !!int x\n",
    "a: !!bool x\n",
    "a: !!float x\n",
    "a: !!str 12\nb: !!int '12'\n",
    "a: ! 12\nb: ! x\n! 12: c\n",
    "!Ref a: b\n",
    "!!int 1: x\n",
    "a: !Sub [x, {y: z}]\nb: !Join ['', [a, !Ref b]]\n",
    "a: !Foo {b: c}\nb: !Bar [1]\n",
    "a: !!binary aGVsbG8=\n",
    "a: !<tag:yaml.org,2002:str> 5\n",
    "%TAG ! tag:example.com,2000:\n---\na: !Ref b\n",
    "a: " + "9" * 5000 + "\n",
    # empty documents, styles, JSON
    "",
    "---\n",
    "--- 5\n",
    "# only a comment\n",
    "a:\n",
    "- a\n- b\n-\n",
    "a: |\n  x\n  y\nb: >\n  z\n",
    "a: 'x\n  y'\n",
    "? a\n? b\n",
    "[?, ?]\n",
    '{"a": [1, 2, {"b": null}], "c": 1.5, "d": "x"}',
    "    Resources:\n      R:\n        Type: AWS::S3::Bucket\n",
    # errors: syntax, duplicate keys, keys that are collections, documents, depth, expansion
    "a: [1, 2,]\n",
    "a: {b: 1, b: 2}\n",
    "a: 1\nb: 2\na: 3\n",
    "[a]: 1\n",
    "{a: 1}: 2\n",
    "---\na: 1\n---\nb: 2\n",
    "a: b: c\n",
    'a: "unterminated\n',
    "\ta: 1\n",
    "a: \x01\n",
    "a: 1\nb: {c: 1, c: 2}\nd: [\n",
    "a: " + "[" * (MAX_DEPTH - 2) + "]" * (MAX_DEPTH - 2) + "\n",
    "a: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "\n",
    "a: &d " + "[" * 100 + "]" * 100 + "\nb: " + "[" * 99 + "*d" + "]" * 99 + "\n",
    "a: &d " + "[" * 100 + "]" * 100 + "\nb: " + "[" * 101 + "*d" + "]" * 101 + "\n",
]


def _bomb(width: int, levels: int) -> str:
    lines = ["a0: &a0 [" + ", ".join(["x"] * width) + "]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


def _expanding(added: int) -> str:
    """A document whose aliases add ``added`` nodes: a list of 1,000 aliases, then aliases to it and to one
    scalar."""
    width = 1_000
    lists, scalars = divmod(added - width, width + 1)
    return (f"s: &s x\nl: &l [{', '.join(['*s'] * width)}]\n"
            f"m: [{', '.join(['*l'] * lists + ['*s'] * scalars)}]\n")


def _random_node(rng: random.Random, depth: int, anchors: list[str]) -> str:
    roll = rng.random()
    if depth > 4 or roll < 0.35:
        text = rng.choice(["a", "b", "1", "0x1F", "'q'", '"d"', "true", "null", "~", "1.5", ".nan", "2010-09-09",
                           "<<", "x y", "!Ref a", "!GetAtt a.b", "!Sub s", "''", "-1", "1e5", "=", "!!str 3",
                           "!!int 3", "! 3"])
    elif roll < 0.45 and anchors:
        return "*" + rng.choice(anchors)
    elif roll < 0.7:
        text = "[" + ", ".join(_random_node(rng, depth + 1, anchors) for _ in range(rng.randint(0, 3))) + "]"
    else:
        pairs = []
        for _ in range(rng.randint(0, 3)):
            key = rng.choice(["a", "b", "c", "<<", "1", "'1'", "true", "x"])
            if key == "<<" and anchors and rng.random() < 0.7:
                value = "*" + rng.choice(anchors)
            else:
                value = _random_node(rng, depth + 1, anchors)
            if anchors and rng.random() < 0.1:
                key = "*" + rng.choice(anchors) + " "
            pairs.append(f"{key}: {value}")
        text = "{" + ", ".join(pairs) + "}"
    if rng.random() < 0.25:
        anchors.append(f"n{len(anchors)}")
        text = f"&{anchors[-1]} {text}"
    return text


def _random_documents(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    documents = []
    for _ in range(count):
        anchors: list[str] = []
        documents.append("".join(f"k{i}: {_random_node(rng, 0, anchors)}\n" for i in range(rng.randint(1, 5))))
    return documents


def _outcome(read, text: str):
    try:
        return read(text, "t.yaml")
    except InputError as exc:
        return ("InputError", exc.message, exc.line, exc.column)
    except Exception as exc:  # the reference's own failures must be the same too
        return (type(exc).__name__,)


def _differences(got, want, path: str = "$") -> str | None:
    if not isinstance(want, Value) or not isinstance(got, Value):
        return None if got == want else f"{got!r} != {want!r}"
    for name in Value.__slots__:
        if name != "raw" and getattr(got, name) != getattr(want, name):
            return f"{path}: {name} {getattr(got, name)!r} != {getattr(want, name)!r}"
    mine, theirs = got.raw, want.raw
    if type(mine) is not type(theirs):
        return f"{path}: {mine!r} != {theirs!r}"
    if isinstance(theirs, dict):
        if list(mine) != list(theirs):
            return f"{path}: keys {list(mine)} != {list(theirs)}"
        pairs = [(mine[key], theirs[key], f"{path}.{key}") for key in theirs]
    elif isinstance(theirs, list):
        if len(mine) != len(theirs):
            return f"{path}: {len(mine)} items != {len(theirs)}"
        pairs = [(a, b, f"{path}[{i}]") for i, (a, b) in enumerate(zip(mine, theirs))]
    else:
        same = mine == theirs or (isinstance(mine, float) and math.isnan(mine) and math.isnan(theirs))
        return None if same else f"{path}: {mine!r} != {theirs!r}"
    for a, b, where in pairs:
        if a is b:
            return f"{where}: one value in two places (an alias must be a copy)"
        found = _differences(a, b, where)
        if found:
            return found
    return None


@pytest.mark.parametrize("text", DOCUMENTS + [_bomb(10, 5), _bomb(10, 7), _bomb(3, 12),
                                              _expanding(MAX_EXPANDED_NODES - 1), _expanding(MAX_EXPANDED_NODES)])
def test_values_and_errors_are_those_of_the_composed_graph(text: str) -> None:
    assert _differences(_outcome(parse, text), _outcome(compose, text)) is None


def test_random_documents_read_as_the_composed_graph() -> None:
    for text in _random_documents(400, seed=11):
        found = _differences(_outcome(parse, text), _outcome(compose, text))
        assert found is None, (text, found)


def test_the_fixtures_read_as_the_composed_graph() -> None:
    paths = sorted(p for p in FIXTURES.rglob("*") if p.suffix in (".yaml", ".yml", ".json", ".template"))
    assert paths
    for path in paths:
        text = path.read_text(encoding="utf-8")
        assert _differences(_outcome(parse, text), _outcome(compose, text)) is None, path

