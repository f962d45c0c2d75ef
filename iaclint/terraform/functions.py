"""Terraform's built-in functions that configurations really use, over `Value`s.

A function whose arguments are unknown is unknown (naming what blocked it); a function we do not
implement is unknown ("function foo() is not evaluated").  ``file`` and ``templatefile`` read only inside
the scanned tree (see `ModuleInstance.read_file`).
"""

from __future__ import annotations

import ipaddress
import json
import re
from typing import TYPE_CHECKING

try:  # the pattern parser, to refuse patterns that backtrack exponentially (see `_compile`)
    from re import _constants as _sre, _parser as _sre_parse
except ImportError:  # Python 3.10
    import sre_constants as _sre  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]

from ..values import LITERAL, RESOLVED, Location, ResourceRef, Value, merged_trace
from .operations import (
    EvalError,
    JsonText,
    as_number,
    check_string_size,
    equal,
    json_text,
    merge_via,
    normalized_number,
    resolved_value,
    to_string,
    type_name,
)

if TYPE_CHECKING:  # pragma: no cover
    from .expressions import Evaluator


_READ_FILES = {"file", "filebase64", "templatefile", "filemd5", "filesha1", "filesha256", "filesha512",
               "filebase64sha256", "filebase64sha512"}


def call(ev: Evaluator, name: str, nodes: list, expand: bool, loc: Location) -> Value:
    name = name.removeprefix("provider::terraform::")
    if name == "try":
        return _try(ev, nodes, loc)
    if name == "can":
        return _can(ev, nodes, loc)
    function = _FUNCTIONS.get(name)
    if function is None:
        args = [ev.evaluate(node) for node in nodes]
        return Value.unknown(loc, f"function {name}() is not evaluated", via=merge_via(*args))
    args = [ev.evaluate(node) for node in nodes]
    if expand and args:
        last = args.pop()
        if last.is_unknown:
            return Value.unknown(loc, last.reason, via=last.via)
        if not isinstance(last.raw, list):
            raise EvalError("the last argument before ... must be a list")
        args.extend(last.raw)
    check_call(name, args)
    lazy, implementation = function
    if not lazy:
        for arg in args:
            if arg.is_unknown:
                # A file's content is not the variable that names its path.
                via = () if name in _READ_FILES else merge_via(*args)
                return Value.unknown(loc, arg.reason, via=via, trace=merged_trace(*args))
    result = implementation(ev, args, loc)
    if isinstance(result, str):  # the functions that multiply sizes check before building (see MAX_STRING)
        check_string_size(len(result), f"{name}()")
    if isinstance(result, Value):
        return result
    # Computed here from its arguments: it comes from wherever they came from.
    return resolved_value(result, loc, merge_via(*args), merged_trace(*args))


def _try(ev: Evaluator, nodes: list, loc: Location) -> Value:
    last_error = "no argument succeeded"
    for node in nodes:
        try:
            value = ev.evaluate(node)
        except EvalError as exc:
            last_error = exc.message
            continue
        if value.is_unknown:
            return value
        return value
    raise EvalError(f"try(): {last_error}")


def _can(ev: Evaluator, nodes: list, loc: Location) -> Value:
    if len(nodes) != 1:
        raise EvalError("can() takes one argument")
    try:
        value = ev.evaluate(nodes[0])
    except EvalError:
        return Value(False, loc, RESOLVED)
    if value.is_unknown:
        return Value.unknown(loc, value.reason, via=value.via)
    return Value(True, loc, RESOLVED, via=value.via)


# -- signatures ------------------------------------------------------------------------------------------------
# Each function's parameters as Terraform declares them: a type per parameter, ``?`` after the optional
# ones, ``*`` after a last one that takes any number of arguments (``+``: at least one).  A call is checked
# against it before the function runs, so that no function sees fewer arguments than it reads or a type
# it cannot take; the error names the call, like Terraform's "Invalid function argument".
_SIGNATURES = {
    "jsonencode": "any", "jsondecode": "string", "merge": "any*", "concat": "list*", "flatten": "list",
    "element": "list number", "format": "string any*", "formatlist": "string any*", "join": "string list+",
    "split": "string string", "replace": "string string string", "lower": "string", "upper": "string",
    "title": "string", "trimspace": "string", "chomp": "string", "strrev": "string", "tolist": "any",
    "toset": "any", "tomap": "any", "tostring": "any", "tonumber": "any", "tobool": "any", "keys": "map",
    "values": "map", "length": "any", "contains": "list any", "distinct": "list", "compact": "list",
    "zipmap": "list list", "cidrsubnet": "string number number", "cidrhost": "string number", "file": "string",
    "fileexists": "string", "templatefile": "string map", "range": "number number? number?",
    "slice": "list number number", "reverse": "list", "sort": "list", "one": "any", "index": "list any",
    "setunion": "list list*", "setintersection": "list list*", "setsubtract": "list list", "alltrue": "list",
    "anytrue": "list", "min": "number+", "max": "number+", "abs": "number", "ceil": "number", "floor": "number",
    "substr": "string number number", "trim": "string string", "trimprefix": "string string",
    "trimsuffix": "string string", "startswith": "string string", "endswith": "string string",
    "regex": "string string", "regexall": "string string", "base64encode": "string", "base64decode": "string",
    "chunklist": "list number", "transpose": "map", "abspath": "string", "basename": "string",
    "dirname": "string", "md5": "string", "sha1": "string", "sha256": "string", "sha512": "string",
    "base64sha256": "string", "base64sha512": "string", "filemd5": "string", "filesha1": "string",
    "filesha256": "string", "filesha512": "string", "filebase64sha256": "string", "filebase64sha512": "string",
    "fileset": "string string", "sensitive": "any", "nonsensitive": "any", "timestamp": "", "uuid": "",
    "lookup": "map string any?", "coalesce": "any*", "coalescelist": "list*",
}


def _parameters(signature: str) -> tuple[list[str], int, str | None]:
    """(parameter types, how many are required, the type of the repeated last one or ``None``)."""
    types, required, repeated = [], 0, None
    for word in signature.split():
        if word.endswith(("*", "+")):
            repeated = word[:-1]
            if word.endswith("+"):
                types.append(repeated)
                required += 1
        elif word.endswith("?"):
            types.append(word[:-1])
        else:
            types.append(word)
            required += 1
    return types, required, repeated


def check_call(name: str, args: list[Value]) -> None:
    """Raise `EvalError` naming the call when ``args`` do not fit the signature of function ``name``: the
    number of arguments, and the type of each known one (null and unknown arguments are the function's to
    judge: some take them)."""
    types, required, repeated = _parameters(_SIGNATURES[name])
    most = None if repeated is not None else len(types)
    if len(args) < required or (most is not None and len(args) > most):
        expected = (f"at least {required}" if most is None else
                    f"{required}" if required == most else f"{required} to {most}")
        plural = "" if expected.endswith("1") else "s"  # "1", "at least 1"; "2", "1 to 3"
        raise EvalError(f"{name}(): takes {expected} argument{plural}, {len(args)} given")
    for position, arg in enumerate(args):
        expected = types[position] if position < len(types) else repeated
        if arg.is_unknown or arg.raw is None or isinstance(arg.raw, ResourceRef) or _fits(arg, expected):
            continue
        raise EvalError(f"{name}(): argument {position + 1} must be {_TYPE_WORDS[expected]}, "
                        f"not {type_name(arg.raw)}")


_TYPE_WORDS = {"string": "a string", "number": "a number", "list": "a list", "map": "a map", "any": "a value"}


def _fits(value: Value, expected: str) -> bool:
    """Whether a known value converts to ``expected`` the way Terraform converts function arguments."""
    raw = value.raw
    if expected == "any":
        return True
    if expected == "string":
        return isinstance(raw, (str, int, float, bool)) or isinstance(value, JsonText)
    if expected == "number":
        if isinstance(raw, str):
            try:
                as_number(value)
            except EvalError:
                return False
            return True
        return isinstance(raw, (int, float)) and not isinstance(raw, bool)
    if expected == "list":
        return isinstance(raw, list)
    return isinstance(raw, dict)  # map


# -- helpers ---------------------------------------------------------------------------------------------------

def _args(args: list[Value], count: int, name: str, at_least: bool = False) -> None:
    if (len(args) < count) if at_least else (len(args) != count):
        raise EvalError(f"{name}() takes {'at least ' if at_least else ''}{count} argument(s)")


def _str(value: Value, name: str) -> str:
    raw = value.raw
    if isinstance(value, JsonText) and isinstance(raw, (dict, list)):
        text = json_text(value)
        if text is None:
            raise _Unknown("a part of the JSON is not known")
        return text
    if isinstance(raw, ResourceRef):
        raise _Unknown(f"{raw} is known only after apply")
    if isinstance(raw, (str, int, float, bool)):
        return to_string(raw)
    raise EvalError(f"{name}(): a string is required, not {type_name(raw)}")


def _list(value: Value, name: str) -> list[Value]:
    return _collection(value, list, "a list", name)


def _map(value: Value, name: str) -> dict[str, Value]:
    return _collection(value, dict, "a map", name)


def _collection(value: Value, kind: type, what: str, name: str):
    raw = value.raw
    if isinstance(raw, kind):
        return raw
    if isinstance(raw, ResourceRef):
        raise _Unknown(f"{raw} is known only after apply")
    raise EvalError(f"{name}(): {what} is required, not {type_name(raw)}")


class _Unknown(Exception):
    pass


def _guard(function):
    """Turn `_Unknown` raised by the helpers into an unknown value."""

    def guarded(ev, args, loc):
        try:
            return function(ev, args, loc)
        except _Unknown as exc:
            return Value.unknown(loc, str(exc), via=merge_via(*args))

    return guarded


def _known_strings(values: list[Value], name: str) -> list[str] | str:
    """The strings of ``values``, or the reason one of them is unknown."""
    out = []
    for value in values:
        if value.is_unknown:
            raise _Unknown(value.reason)
        out.append(_str(value, name))
    return out


def _from_json(data, loc: Location, via: tuple[str, ...]) -> Value:
    return resolved_value(data, loc, via)


def _to_json(value: Value) -> object:
    raw = value.raw
    if value.is_unknown:
        raise _Unknown(value.reason)
    if isinstance(raw, ResourceRef):
        raise _Unknown(f"{raw} is known only after apply")
    if isinstance(raw, dict):
        return {k: _to_json(v) for k, v in raw.items()}
    if isinstance(raw, list):
        return [_to_json(v) for v in raw]
    return raw


# -- the functions ---------------------------------------------------------------------------------------------

def _jsonencode(ev, args, loc):
    _args(args, 1, "jsonencode")
    encoded = args[0]
    # Keep the structure (and its positions): policy readers accept a mapping as well as JSON text.
    if encoded.is_unknown:
        return Value.unknown(encoded.loc or loc, encoded.reason, via=encoded.via)
    if isinstance(encoded.raw, (dict, list)):
        origin = RESOLVED if encoded.origin == LITERAL else encoded.origin
        return JsonText(encoded.raw, encoded.loc or loc, origin, via=encoded.via)
    return Value(json.dumps(_to_json(encoded), separators=(",", ":")), loc, RESOLVED, via=encoded.via)


def _jsondecode(ev, args, loc):
    _args(args, 1, "jsondecode")
    source = args[0]
    if isinstance(source.raw, (dict, list)):  # jsonencode kept the structure
        return source
    try:
        return _from_json(json.loads(_str(source, "jsondecode")), source.loc or loc, source.via)
    except ValueError:
        raise EvalError("jsondecode(): invalid JSON") from None


def _merge(ev, args, loc):
    result: dict[str, Value] = {}
    for arg in args:
        if arg.raw is None:
            continue
        result.update(_map(arg, "merge"))
    return Value(result, loc, RESOLVED, via=merge_via(*args))


def _concat(ev, args, loc):
    items: list[Value] = []
    for arg in args:
        items.extend(_list(arg, "concat"))
    return Value(items, loc, RESOLVED, via=merge_via(*args))


def _flatten(ev, args, loc):
    _args(args, 1, "flatten")
    out: list[Value] = []

    def walk(value: Value) -> None:
        if value.is_unknown:
            raise _Unknown(value.reason)
        if isinstance(value.raw, list):
            for item in value.raw:
                walk(item)
        else:
            out.append(value)

    for item in _list(args[0], "flatten"):
        walk(item)
    return Value(out, loc, RESOLVED, via=args[0].via)


def _lookup(ev, args, loc):
    _args(args, 2, "lookup", at_least=True)
    if args[0].is_unknown:
        return Value.unknown(loc, args[0].reason, via=args[0].via)
    if args[1].is_unknown:
        return Value.unknown(loc, args[1].reason, via=args[1].via)
    mapping = _map(args[0], "lookup")
    key = _str(args[1], "lookup")
    if key in mapping:
        return mapping[key]
    if len(args) > 2:
        return args[2]
    raise EvalError(f'lookup(): no key "{key}"')


def _element(ev, args, loc):
    _args(args, 2, "element")
    items = _list(args[0], "element")
    if not items:
        raise EvalError("element(): empty list")
    index = int(as_number(args[1]))
    return items[index % len(items)]


def _format_value(spec: str, value: Value) -> str:
    raw = value.raw
    if isinstance(raw, ResourceRef):
        raise _Unknown(f"{raw} is known only after apply")
    if spec == "v":
        if isinstance(raw, (dict, list)):
            return json.dumps(_to_json(value), separators=(",", ":"))
        return to_string(raw)
    if spec == "s":
        return _str(value, "format")
    if spec == "q":
        return json.dumps(_str(value, "format"))
    if spec in "dbox":
        number = int(as_number(value))
        return {"d": str, "b": lambda n: format(n, "b"), "o": lambda n: format(n, "o"), "x": lambda n: format(n, "x")}[spec](number)
    if spec == "X":
        return format(int(as_number(value)), "X")
    if spec in "feg":
        return f"%{spec}" % float(as_number(value))
    if spec == "t":
        return to_string(raw)
    return to_string(raw)


_VERB = re.compile(r"%(?:\[(\d+)\])?([-+ #0]*)(\d*)(?:\.(\d+))?([a-zA-Z%])")


def _format_text(fmt: str, values: list[Value]) -> str:
    out: list[str] = []
    position = 0
    last = 0
    for match in _VERB.finditer(fmt):
        out.append(fmt[last:match.start()])
        last = match.end()
        verb = match.group(5)
        if verb == "%":
            out.append("%")
            continue
        if match.group(1):
            position = int(match.group(1)) - 1
        if position >= len(values):
            raise EvalError("format(): not enough arguments")
        value = values[position]
        position += 1
        if value.is_unknown:
            raise _Unknown(value.reason)
        # A width or precision of a billion characters would allocate gigabytes before any later check.
        width = match.group(3)
        check_string_size(max(int(width or 0), int(match.group(4) or 0)), "format()")
        text = _format_value(verb, value)
        if verb == "f" and match.group(4) is not None:
            text = f"%.{match.group(4)}f" % float(as_number(value))
        if width:
            flags = match.group(2)
            text = text.ljust(int(width)) if "-" in flags else text.rjust(int(width), "0" if "0" in flags else " ")
        out.append(text)
        check_string_size(sum(map(len, out)), "format()")
    out.append(fmt[last:])
    return "".join(out)


def _format(ev, args, loc):
    _args(args, 1, "format", at_least=True)
    return _format_text(_str(args[0], "format"), args[1:])


def _formatlist(ev, args, loc):
    _args(args, 1, "formatlist", at_least=True)
    fmt = _str(args[0], "formatlist")
    lengths = {len(a.raw) for a in args[1:] if isinstance(a.raw, list)}
    if len(lengths) > 1:
        raise EvalError("formatlist(): lists of different lengths")
    count = lengths.pop() if lengths else 1
    rows = []
    for i in range(count):
        row = [a.raw[i] if isinstance(a.raw, list) else a for a in args[1:]]
        rows.append(_format_text(fmt, row))
    return rows


def _join(ev, args, loc):
    _args(args, 2, "join", at_least=True)
    separator = _str(args[0], "join")
    items: list[Value] = []
    for arg in args[1:]:
        items.extend(_list(arg, "join"))
    strings = _known_strings(items, "join")
    if isinstance(strings, list):
        check_string_size(sum(map(len, strings)) + len(separator) * len(strings), "join()")
    return separator.join(strings)


def _split(ev, args, loc):
    _args(args, 2, "split")
    separator, text = _str(args[0], "split"), _str(args[1], "split")
    if separator == "":
        return list(text)
    return text.split(separator)


def _replace(ev, args, loc):
    _args(args, 3, "replace")
    text, search, replacement = (_str(a, "replace") for a in args)
    if len(search) > 1 and search.startswith("/") and search.endswith("/"):
        pattern = _compile(search[1:-1], "replace")
        # Every match (at most one per character, plus one) may add the whole replacement.
        check_string_size(len(text) + (len(text) + 1) * len(replacement), "replace()")
        return pattern.sub(re.sub(r"\$(\d+)", r"\\\1", replacement), text)
    if search:
        check_string_size(len(text) + text.count(search) * max(0, len(replacement) - len(search)), "replace()")
    else:
        check_string_size(len(text) + (len(text) + 1) * len(replacement), "replace()")
    return text.replace(search, replacement)


def _string_function(function):
    def implementation(ev, args, loc):
        _args(args, 1, "string function")
        return function(_str(args[0], "string function"))

    return implementation


def _coalesce(ev, args, loc):
    for arg in args:
        if arg.is_unknown:
            return Value.unknown(loc, arg.reason, via=arg.via)
        if arg.raw is not None and arg.raw != "":
            return arg
    raise EvalError("coalesce(): no non-null argument")


def _coalescelist(ev, args, loc):
    for arg in args:
        if arg.is_unknown:
            return Value.unknown(loc, arg.reason, via=arg.via)
        if isinstance(arg.raw, list) and arg.raw:
            return arg
    raise EvalError("coalescelist(): no non-empty list")


def _identity_list(ev, args, loc):
    _args(args, 1, "tolist")
    arg = args[0]
    if isinstance(arg.raw, dict):
        raise EvalError("cannot convert a map to a list")
    if arg.raw is None:
        return arg
    _list(arg, "tolist")
    return arg


def _toset(ev, args, loc):
    _args(args, 1, "toset")
    arg = args[0]
    if arg.raw is None:
        return arg
    items = _list(arg, "toset")
    return Value(_distinct_values(items), arg.loc or loc, RESOLVED if arg.origin == LITERAL else arg.origin, via=arg.via)


def _tomap(ev, args, loc):
    _args(args, 1, "tomap")
    if args[0].raw is not None:
        _map(args[0], "tomap")
    return args[0]


def _tostring(ev, args, loc):
    _args(args, 1, "tostring")
    arg = args[0]
    if arg.raw is None or isinstance(arg.raw, str):
        return arg
    return Value(_str(arg, "tostring"), arg.loc or loc, RESOLVED, via=arg.via)


def _tonumber(ev, args, loc):
    _args(args, 1, "tonumber")
    if args[0].raw is None:
        return args[0]
    return Value(as_number(args[0]), args[0].loc or loc, RESOLVED, via=args[0].via)


def _tobool(ev, args, loc):
    _args(args, 1, "tobool")
    raw = args[0].raw
    if raw is None or isinstance(raw, bool):
        return args[0]
    if raw in ("true", "false"):
        return Value(raw == "true", args[0].loc or loc, RESOLVED, via=args[0].via)
    raise EvalError("tobool(): not a boolean")


def _keys(ev, args, loc):
    _args(args, 1, "keys")
    mapping = _map(args[0], "keys")
    return Value([Value(k, mapping[k].key_loc or mapping[k].loc or loc, RESOLVED, via=args[0].via) for k in sorted(mapping)],
                 loc, RESOLVED, via=args[0].via)


def _values(ev, args, loc):
    _args(args, 1, "values")
    mapping = _map(args[0], "values")
    return Value([mapping[k] for k in sorted(mapping)], loc, RESOLVED, via=args[0].via)


def _length(ev, args, loc):
    _args(args, 1, "length")
    raw = args[0].raw
    if isinstance(raw, (list, dict)):
        return len(raw)
    if isinstance(raw, str):
        return len(raw)
    if isinstance(raw, ResourceRef):
        raise _Unknown(f"{raw} is known only after apply")
    raise EvalError(f"length(): not a collection ({type_name(raw)})")


def _contains(ev, args, loc):
    _args(args, 2, "contains")
    items = _list(args[0], "contains")
    found_unknown = False
    for item in items:
        same = equal(item, args[1])
        if same:
            return True
        if same is None:
            found_unknown = True
    if found_unknown:
        raise _Unknown("an element of the list is not known")
    return False


def _distinct_values(items: list[Value]) -> list[Value]:
    out: list[Value] = []
    seen: set[str] = set()
    for item in items:
        if item.is_unknown or isinstance(item.raw, ResourceRef):
            raise _Unknown(item.reason or f"{item.raw} is known only after apply")
        plain = json.dumps(item.plain(), sort_keys=True, default=str)
        if plain not in seen:
            seen.add(plain)
            out.append(item)
    return out


def _distinct(ev, args, loc):
    _args(args, 1, "distinct")
    return Value(_distinct_values(_list(args[0], "distinct")), loc, RESOLVED, via=args[0].via)


def _compact(ev, args, loc):
    _args(args, 1, "compact")
    items = _list(args[0], "compact")
    out = []
    for item in items:
        if item.is_unknown:
            raise _Unknown(item.reason)
        if item.raw is not None and item.raw != "":
            out.append(item)
    return Value(out, loc, RESOLVED, via=args[0].via)


def _zipmap(ev, args, loc):
    _args(args, 2, "zipmap")
    keys, values = _list(args[0], "zipmap"), _list(args[1], "zipmap")
    if len(keys) != len(values):
        raise EvalError("zipmap(): lists of different lengths")
    names = _known_strings(keys, "zipmap")
    return Value(dict(zip(names, values)), loc, RESOLVED, via=merge_via(*args))


def _cidrsubnet(ev, args, loc):
    _args(args, 3, "cidrsubnet")
    prefix = _str(args[0], "cidrsubnet")
    newbits, number = int(as_number(args[1])), int(as_number(args[2]))
    try:
        network = ipaddress.ip_network(prefix, strict=False)
    except ValueError:
        raise EvalError(f'cidrsubnet(): invalid prefix "{prefix}"') from None
    new_prefix = network.prefixlen + newbits
    if new_prefix > network.max_prefixlen or number < 0 or number >= 2**newbits:
        raise EvalError("cidrsubnet(): not enough address space")
    size = 2 ** (network.max_prefixlen - new_prefix)
    address = network.network_address + number * size
    return f"{address}/{new_prefix}"


def _cidrhost(ev, args, loc):
    _args(args, 2, "cidrhost")
    prefix = _str(args[0], "cidrhost")
    try:
        network = ipaddress.ip_network(prefix, strict=False)
    except ValueError:
        raise EvalError(f'cidrhost(): invalid prefix "{prefix}"') from None
    number = int(as_number(args[1]))
    if number < 0:
        number += network.num_addresses
    if not 0 <= number < network.num_addresses:
        raise EvalError("cidrhost(): host number out of range")
    return str(network.network_address + number)


def _file(ev, args, loc):
    _args(args, 1, "file")
    path = _str(args[0], "file")
    text = ev.module.files.read_file(path, loc)
    if isinstance(text, Value):
        return text
    return Value(text, loc, RESOLVED)


def _fileexists(ev, args, loc):
    _args(args, 1, "fileexists")
    return ev.module.files.file_exists(_str(args[0], "fileexists"), loc)


def _templatefile(ev, args, loc):
    _args(args, 2, "templatefile")
    path = _str(args[0], "templatefile")
    variables = _map(args[1], "templatefile")
    return ev.module.render_template_file(path, variables, loc)


def _range(ev, args, loc):
    numbers = [as_number(a) for a in args]
    if len(numbers) == 1:
        start, stop, step = 0, numbers[0], 1
    elif len(numbers) == 2:
        start, stop, step = numbers[0], numbers[1], 1
    elif len(numbers) == 3:
        start, stop, step = numbers
    else:
        raise EvalError("range() takes 1 to 3 arguments")
    if step == 0:
        raise EvalError("range(): step 0")
    out = []
    value = start
    while value < stop if step > 0 else value > stop:
        # Terraform itself refuses ranges of more than 1,024 elements; cutting the list short instead
        # made length(range(2000)) 1024, a wrong value rather than an unknown one.
        if len(out) == 1024:
            raise EvalError("range(): more than 1,024 elements")
        out.append(normalized_number(value))
        value += step
    return out


def _slice(ev, args, loc):
    _args(args, 3, "slice")
    items = _list(args[0], "slice")
    start, end = int(as_number(args[1])), int(as_number(args[2]))
    if not 0 <= start <= end <= len(items):
        raise EvalError("slice(): index out of range")
    return Value(items[start:end], loc, RESOLVED, via=args[0].via)


def _reverse(ev, args, loc):
    _args(args, 1, "reverse")
    return Value(list(reversed(_list(args[0], "reverse"))), loc, RESOLVED, via=args[0].via)


def _sort(ev, args, loc):
    _args(args, 1, "sort")
    items = _list(args[0], "sort")
    texts = _known_strings(items, "sort")
    order = sorted(range(len(items)), key=lambda i: texts[i])
    return Value([items[i] for i in order], loc, RESOLVED, via=args[0].via)


def _one(ev, args, loc):
    _args(args, 1, "one")
    raw = args[0].raw
    if raw is None:
        return args[0]
    items = _list(args[0], "one")
    if len(items) > 1:
        raise EvalError("one(): more than one element")
    return items[0] if items else Value(None, loc, RESOLVED, via=args[0].via)


def _index(ev, args, loc):
    _args(args, 2, "index")
    for number, item in enumerate(_list(args[0], "index")):
        same = equal(item, args[1])
        if same is None:
            raise _Unknown("an element of the list is not known")
        if same:
            return number
    raise EvalError("index(): element not found")


def _setops(kind: str):
    def implementation(ev, args, loc):
        sets = [_distinct_values(_list(a, kind)) for a in args]
        key = lambda v: json.dumps(v.plain(), sort_keys=True, default=str)  # noqa: E731
        if not sets:
            return []
        result = sets[0]
        for other in sets[1:]:
            keys = {key(v) for v in other}
            if kind == "setunion":
                result = _distinct_values(result + other)
            elif kind == "setintersection":
                result = [v for v in result if key(v) in keys]
            else:
                result = [v for v in result if key(v) not in keys]
        return Value(result, loc, RESOLVED, via=merge_via(*args))

    return implementation


def _bools(kind: str):
    def implementation(ev, args, loc):
        _args(args, 1, kind)
        items = _list(args[0], kind)
        values = []
        for item in items:
            if item.is_unknown:
                raise _Unknown(item.reason)
            values.append(item.raw is True or item.raw == "true")
        return all(values) if kind == "alltrue" else any(values)

    return implementation


def _minmax(function):
    def implementation(ev, args, loc):
        if not args:
            raise EvalError("needs at least one number")
        return function(as_number(a) for a in args)

    return implementation


def _substr(ev, args, loc):
    _args(args, 3, "substr")
    text = _str(args[0], "substr")
    offset, length = int(as_number(args[1])), int(as_number(args[2]))
    if offset < 0:
        offset += len(text)
    return text[offset:] if length < 0 else text[offset : offset + length]


def _trim(kind: str):
    def implementation(ev, args, loc):
        _args(args, 2, kind)
        text, cut = _str(args[0], kind), _str(args[1], kind)
        if kind == "trimprefix":
            return text.removeprefix(cut)
        if kind == "trimsuffix":
            return text.removesuffix(cut)
        return text.strip(cut)

    return implementation


def _startswith(kind: str):
    def implementation(ev, args, loc):
        _args(args, 2, kind)
        text, part = _str(args[0], kind), _str(args[1], kind)
        return text.startswith(part) if kind == "startswith" else text.endswith(part)

    return implementation


def _regex(kind: str):
    def implementation(ev, args, loc):
        _args(args, 2, kind)
        pattern, text = _str(args[0], kind), _str(args[1], kind)
        compiled = _compile(pattern, kind)
        matches = list(compiled.finditer(text))
        if kind == "regex" and not matches:
            raise EvalError("regex(): no match")

        def shape(match):
            if compiled.groupindex:
                return {name: match.group(name) for name in compiled.groupindex}
            if compiled.groups:
                return list(match.groups())
            return match.group(0)

        return shape(matches[0]) if kind == "regex" else [shape(m) for m in matches]

    return implementation


def _compile(pattern: str, kind: str) -> "re.Pattern[str]":
    """Compile a Terraform regular expression.  Terraform uses RE2, which runs in linear time; Python's
    backtracking engine takes exponential time on a repetition of something that can itself match in
    several ways (``(a+)+$``, ``(a|aa)+$``) and would hang the scan.  Such patterns are not evaluated."""
    try:
        compiled = re.compile(pattern)
        parsed = _sre_parse.parse(pattern)
    except (re.error, RecursionError, OverflowError):
        raise EvalError(f"{kind}(): invalid regular expression") from None
    if _nested_repetition(parsed, inside_repeat=False):
        raise EvalError(f"{kind}(): a repetition of a group that can match in several ways is not "
                        "evaluated (it can take exponential time)")
    return compiled


def _nested_repetition(items, inside_repeat: bool) -> bool:
    """Whether a parsed pattern has a repetition (``*``, ``+``, ``{n,}``) over a repetition or alternation."""
    for op, arg in items:
        if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, getattr(_sre, "POSSESSIVE_REPEAT", None)):
            low, high, body = arg
            repeats = high is _sre.MAXREPEAT or high > 1
            if repeats and inside_repeat:
                return True
            if _nested_repetition(body, inside_repeat or repeats):
                return True
        elif op is _sre.BRANCH:
            if inside_repeat:
                return True
            if any(_nested_repetition(branch, inside_repeat) for branch in arg[1]):
                return True
        elif op in (_sre.SUBPATTERN, _sre.ATOMIC_GROUP if hasattr(_sre, "ATOMIC_GROUP") else None):
            if _nested_repetition(arg[-1], inside_repeat):
                return True
        elif op in (_sre.ASSERT, _sre.ASSERT_NOT):
            if _nested_repetition(arg[1], inside_repeat):
                return True
    return False


def _base64encode(ev, args, loc):
    import base64

    _args(args, 1, "base64encode")
    return base64.b64encode(_str(args[0], "base64encode").encode()).decode()


def _base64decode(ev, args, loc):
    import base64
    import binascii

    _args(args, 1, "base64decode")
    try:
        return base64.b64decode(_str(args[0], "base64decode")).decode("utf-8")
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise EvalError("base64decode(): invalid input") from None


def _chunklist(ev, args, loc):
    _args(args, 2, "chunklist")
    items = _list(args[0], "chunklist")
    size = int(as_number(args[1]))
    if size <= 0:
        return Value([Value(items, loc, RESOLVED)], loc, RESOLVED)
    return Value([Value(items[i : i + size], loc, RESOLVED) for i in range(0, len(items), size)], loc, RESOLVED)


def _transpose(ev, args, loc):
    _args(args, 1, "transpose")
    result: dict[str, list[Value]] = {}
    for key, values in _map(args[0], "transpose").items():
        for item in _list(values, "transpose"):
            result.setdefault(_str(item, "transpose"), []).append(Value(key, item.loc, RESOLVED))
    return Value({k: Value(v, loc, RESOLVED) for k, v in result.items()}, loc, RESOLVED)


def _abspath(ev, args, loc):
    _args(args, 1, "abspath")
    return ev.module.files.abspath(_str(args[0], "abspath"))


def _basename(ev, args, loc):
    import posixpath

    _args(args, 1, "basename")
    return posixpath.basename(_str(args[0], "basename"))


def _dirname(ev, args, loc):
    import posixpath

    _args(args, 1, "dirname")
    return posixpath.dirname(_str(args[0], "dirname"))


def _hash(algorithm: str, encoding: str):
    import base64
    import hashlib

    def implementation(ev, args, loc):
        _args(args, 1, algorithm)
        digest = hashlib.new(algorithm, _str(args[0], algorithm).encode())
        return base64.b64encode(digest.digest()).decode() if encoding == "base64" else digest.hexdigest()

    return implementation


def _file_hash(algorithm: str, encoding: str):
    hashing = _hash(algorithm, encoding)

    def implementation(ev, args, loc):
        _args(args, 1, "file hash")
        text = ev.module.files.read_file(_str(args[0], "file hash"), loc)
        if isinstance(text, Value):
            return text
        return hashing(ev, [Value(text, loc, RESOLVED)], loc)

    return implementation


def _fileset(ev, args, loc):
    _args(args, 2, "fileset")
    return ev.module.files.fileset(_str(args[0], "fileset"), _str(args[1], "fileset"), loc)


def _identity(ev, args, loc):
    _args(args, 1, "identity")
    return args[0]


def _unknown_function(reason: str):
    def implementation(ev, args, loc):
        return Value.unknown(loc, reason, via=merge_via(*args))

    return implementation


_EAGER = {
    "jsonencode": _jsonencode,
    "jsondecode": _jsondecode,
    "merge": _merge,
    "concat": _concat,
    "flatten": _flatten,
    "element": _element,
    "format": _format,
    "formatlist": _formatlist,
    "join": _join,
    "split": _split,
    "replace": _replace,
    "lower": _string_function(str.lower),
    "upper": _string_function(str.upper),
    "title": _string_function(str.title),
    "trimspace": _string_function(str.strip),
    "chomp": _string_function(lambda s: s.rstrip("\r\n")),
    "strrev": _string_function(lambda s: s[::-1]),
    "tolist": _identity_list,
    "toset": _toset,
    "tomap": _tomap,
    "tostring": _tostring,
    "tonumber": _tonumber,
    "tobool": _tobool,
    "keys": _keys,
    "values": _values,
    "length": _length,
    "contains": _contains,
    "distinct": _distinct,
    "compact": _compact,
    "zipmap": _zipmap,
    "cidrsubnet": _cidrsubnet,
    "cidrhost": _cidrhost,
    "file": _file,
    "fileexists": _fileexists,
    "templatefile": _templatefile,
    "range": _range,
    "slice": _slice,
    "reverse": _reverse,
    "sort": _sort,
    "one": _one,
    "index": _index,
    "setunion": _setops("setunion"),
    "setintersection": _setops("setintersection"),
    "setsubtract": _setops("setsubtract"),
    "alltrue": _bools("alltrue"),
    "anytrue": _bools("anytrue"),
    "min": _minmax(min),
    "max": _minmax(max),
    "abs": lambda ev, args, loc: abs(as_number(args[0])),
    "ceil": lambda ev, args, loc: __import__("math").ceil(as_number(args[0])),
    "floor": lambda ev, args, loc: __import__("math").floor(as_number(args[0])),
    "substr": _substr,
    "trim": _trim("trim"),
    "trimprefix": _trim("trimprefix"),
    "trimsuffix": _trim("trimsuffix"),
    "startswith": _startswith("startswith"),
    "endswith": _startswith("endswith"),
    "regex": _regex("regex"),
    "regexall": _regex("regexall"),
    "base64encode": _base64encode,
    "base64decode": _base64decode,
    "chunklist": _chunklist,
    "transpose": _transpose,
    "abspath": _abspath,
    "basename": _basename,
    "dirname": _dirname,
    "md5": _hash("md5", "hex"),
    "sha1": _hash("sha1", "hex"),
    "sha256": _hash("sha256", "hex"),
    "sha512": _hash("sha512", "hex"),
    "base64sha256": _hash("sha256", "base64"),
    "base64sha512": _hash("sha512", "base64"),
    "filemd5": _file_hash("md5", "hex"),
    "filesha1": _file_hash("sha1", "hex"),
    "filesha256": _file_hash("sha256", "hex"),
    "filesha512": _file_hash("sha512", "hex"),
    "filebase64sha256": _file_hash("sha256", "base64"),
    "filebase64sha512": _file_hash("sha512", "base64"),
    "fileset": _fileset,
    "sensitive": _identity,
    "nonsensitive": _identity,
    "timestamp": _unknown_function("timestamp() is known only at apply"),
    "uuid": _unknown_function("uuid() is known only at apply"),
}
# Functions that look at their arguments themselves (unknown elements or a default may still decide them).
_LAZY = {"lookup": _lookup, "coalesce": _coalesce, "coalescelist": _coalescelist}

_FUNCTIONS = {name: (False, _guard(f)) for name, f in _EAGER.items()}
_FUNCTIONS.update({name: (True, _guard(f)) for name, f in _LAZY.items()})
_FUNCTIONS["jsonencode"] = (True, _guard(_jsonencode))
_FUNCTIONS["merge"] = (False, _guard(_merge))
