"""Values: what a copy keeps."""

from __future__ import annotations

import pytest

from iaclint.terraform.operations import JsonText
from iaclint.values import PartlyKnown, Value


@pytest.mark.parametrize("kind", [Value, PartlyKnown, JsonText], ids=lambda kind: kind.__name__)
def test_replace_keeps_every_field_it_is_not_given(kind) -> None:
    # Value.replace names the fields it copies (it runs on every reference): a field added to Value or to a
    # subclass must be copied too.
    original = object.__new__(kind)
    slots = [name for cls in kind.__mro__ for name in getattr(cls, "__slots__", ())]
    for number, name in enumerate(slots):
        setattr(original, name, f"field {number}")
    copy = original.replace(raw="changed")
    assert type(copy) is kind
    assert {name: getattr(copy, name) for name in slots} == {
        name: "changed" if name == "raw" else getattr(original, name) for name in slots}
