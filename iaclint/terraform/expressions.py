"""Evaluate HCL expressions into `Value`s, the way Terraform would before apply.

An `Evaluator` reads one expression tree in a `Scope`: the module instance it belongs to (variables,
locals, resources, data sources, child modules, ``path.*``) and the names bound around it (``each``,
``count``, a ``dynamic`` iterator, ``for`` variables, ``templatefile`` variables).

- Literals are ``literal``; anything computed (a function, a template with interpolations, a ``for``) is
  ``resolved``; a value read through a variable keeps the origin and location the variable gave it (the
  ``default``, the tfvars line) and records the variable in ``via``.
- A reference to a resource attribute is a `ResourceRef` (``aws_iam_user.x.name``); in a string it is
  unknown ("… is known only after apply").
- What cannot be known is ``unknown`` with the reason; a Terraform *error* (missing attribute, index out
  of range, a function given the wrong types) raises `EvalError`, which ``try``/``can`` catch and which
  otherwise becomes an unknown value where the attribute is evaluated.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from lark import Token, Tree

from ..failures import internal_error
from ..values import LITERAL, RESOLVED, UNKNOWN, Location, PartlyKnown, ResourceRef, Value, merged_trace, used_at
from .operations import (
    EvalError,
    JsonText,
    as_number,
    check_string_size,
    equal,
    json_text,
    merge_via,
    normalized_number,
    to_string,
    type_name,
    with_key_loc,
)
from .syntax import (
    TemplatePart,
    expressions_of,
    heredoc_parts,
    location,
    string_parts,
)

if TYPE_CHECKING:  # pragma: no cover
    from .module import ModuleInstance


# Heredoc parts by node identity (the node is kept alive next to its parts, so the id stays valid).
_HEREDOCS: dict[int, tuple[Tree, list[TemplatePart]]] = {}


class Evaluator:
    def __init__(self, module: "ModuleInstance", file: str, bindings: dict[str, Value] | None = None) -> None:
        self.module = module
        self.file = file
        self.bindings = bindings or {}

    def child(self, extra: dict[str, Value]) -> "Evaluator":
        bindings = dict(self.bindings)
        bindings.update(extra)
        return Evaluator(self.module, self.file, bindings)

    # -- entry points ------------------------------------------------------------------------------------
    def value(self, node) -> Value:
        """Evaluate ``node``; an error becomes an unknown value naming it.  Never raises."""
        try:
            return self.evaluate(node)
        except EvalError as exc:
            return Value.unknown(_node_location(node, self.file), f"evaluation error: {exc.message}")
        except _Unknown as unknown:
            return Value.unknown(_node_location(node, self.file), unknown.value.reason, via=unknown.value.via)
        except RecursionError:
            return Value.unknown(_node_location(node, self.file), "expression is nested too deeply")
        except (ArithmeticError, ValueError) as exc:
            # Hostile numbers reach Python's limits (5,000-digit literals, 1e400 * 0, int(inf)): one
            # unknown value, instead of an internal error that lost the whole module.  No value is quoted.
            return Value.unknown(_node_location(node, self.file), f"evaluation error: {type(exc).__name__}")

    def evaluate(self, node) -> Value:
        try:
            if not isinstance(node, (Tree, Token)):
                return self._json(node.value)
            if isinstance(node, Token):
                return Value(str(node), location(node, self.file))
            method = getattr(self, "_" + node.data, None)
            loc = location(node, self.file)
            if method is None:
                return Value.unknown(loc, f"{node.data.replace('_', ' ')} is not evaluated")
            return method(node, loc)
        except (EvalError, _Unknown, RecursionError, ArithmeticError, ValueError):
            raise  # Terraform's errors, unknowns and hostile numbers: `value` and try()/can() decide
        except Exception as exc:  # a bug costs this expression only, and is reported where it is
            construct, loc = _construct(node), _node_location(node, self.file)
            self.module.loader.errors.append(internal_error(exc, f"evaluating {construct}", loc))
            return Value.unknown(loc, f"{construct} could not be evaluated (internal error)")

    def _json(self, value: Value) -> Value:
        """A value of a ``.tf.json`` file: its strings are templates."""
        raw = value.raw
        if isinstance(raw, dict):
            return Value({k: with_key_loc(self._json(v), v.key_loc) for k, v in raw.items()}, value.loc, value.origin)
        if isinstance(raw, list):
            return Value([self._json(v) for v in raw], value.loc, value.origin)
        if isinstance(raw, str) and ("${" in raw or "%{" in raw):
            from ..findings import InputError
            from .syntax import TemplateError, scan_template

            try:
                parts = scan_template(raw, self.file, value.loc.line, value.loc.column + 1, unescape_backslashes=False)
            except (TemplateError, InputError) as exc:
                raise EvalError(f"template: {getattr(exc, 'message', exc)}") from None
            return self.template(parts, value.loc)
        return value

    # -- terms -------------------------------------------------------------------------------------------
    def _expr_term(self, node: Tree, loc: Location) -> Value:
        inner = expressions_of(node)
        if len(inner) == 1:
            return self.evaluate(inner[0])
        return Value.unknown(loc, "expression is not evaluated")

    def _int_lit(self, node: Tree, loc: Location) -> Value:
        return Value(int(node.children[0]), loc)

    def _float_lit(self, node: Tree, loc: Location) -> Value:
        return Value(normalized_number(float(node.children[0])), loc)

    def _literal_value(self, node: Tree, loc: Location) -> Value:
        return Value({"true": True, "false": False, "null": None}[str(node.children[0])], loc)

    def _identifier(self, node: Tree, loc: Location) -> Value:
        return self._traverse(node, [], loc)

    def _keyword(self, node: Tree, loc: Location) -> Value:
        return Value.unknown(loc, f"keyword {node.children[0]} used as a value")

    def _template_string(self, node: Tree, loc: Location) -> Value:
        return Value.unknown(loc, "escaped template string is not evaluated")

    def _tuple(self, node: Tree, loc: Location) -> Value:
        return Value([self.evaluate(child) for child in expressions_of(node)], loc)

    def _object(self, node: Tree, loc: Location) -> Value:
        result: dict[str, Value] = {}
        for element in node.children:
            if not isinstance(element, Tree) or element.data != "object_elem":
                continue
            key_node, value_node = element.children[0], element.children[-1]
            key = self._object_key(key_node)
            if isinstance(key, Value):
                return key  # unknown key: the whole object is unknown
            result[key] = with_key_loc(self.evaluate(value_node), location(key_node, self.file))
        return Value(result, loc)

    def _object_key(self, key_node: Tree) -> str | Value:
        inner = key_node.children[0] if isinstance(key_node, Tree) and key_node.data == "object_elem_key" else key_node
        if isinstance(inner, Tree) and inner.data == "expr_term":
            term = expressions_of(inner)
            if len(term) == 1 and term[0].data == "identifier" and len(inner.children) == 1:
                return str(term[0].children[0])
        if isinstance(inner, Tree) and inner.data in ("keyword", "identifier"):
            return str(inner.children[0])
        key = self.evaluate(inner)
        if key.is_known and isinstance(key.raw, (str, int, float, bool)) and not isinstance(key.raw, ResourceRef):
            return to_string(key.raw)
        if key.is_known:
            raise EvalError("an object key must be a string")
        return Value.unknown(key.loc, key.reason or "an object key is not known", via=key.via)

    # -- strings -----------------------------------------------------------------------------------------
    def _string(self, node: Tree, loc: Location) -> Value:
        parts = string_parts(node, self.file)
        if all(part.kind == "text" for part in parts):
            return Value("".join(part.text for part in parts), loc)
        return self.template(parts, loc)

    def _heredoc_template(self, node: Tree, loc: Location) -> Value:
        return self._heredoc(node, loc, trim=False)

    def _heredoc_template_trim(self, node: Tree, loc: Location) -> Value:
        return self._heredoc(node, loc, trim=True)

    def _heredoc(self, node: Tree, loc: Location, *, trim: bool) -> Value:
        cached = _HEREDOCS.get(id(node))
        if cached is None or cached[0] is not node:
            from ..findings import InputError
            from .syntax import TemplateError

            token = node.children[0]
            try:
                parts = heredoc_parts(str(token), self.file, token.line, trim=trim)
            except (TemplateError, InputError) as exc:
                raise EvalError(f"heredoc template: {getattr(exc, 'message', exc)}") from None
            if len(_HEREDOCS) > 2000:  # entries hold their trees alive
                _HEREDOCS.clear()
            _HEREDOCS[id(node)] = (node, parts)
        else:
            parts = cached[1]
        if all(part.kind == "text" for part in parts):
            return Value("".join(part.text for part in parts), loc)
        return self.template(parts, loc)

    def template(self, parts: list[TemplatePart], loc: Location) -> Value:
        """Evaluate a template.  A template that is one interpolation and nothing else is that value,
        unconverted (as in Terraform)."""
        parts = _strip(parts)
        if len(parts) == 1 and parts[0].kind == "interp":
            return self.evaluate(parts[0].expr)
        pieces: list[Value] = []
        self._render(parts, 0, len(parts), pieces)
        return _concatenate(pieces, loc)

    def _render(self, parts: list[TemplatePart], start: int, end: int, out: list[Value]) -> None:
        i = start
        while i < end:
            part = parts[i]
            if part.kind == "text":
                out.append(Value(part.text, part.loc))
            elif part.kind == "interp":
                piece = self.evaluate(part.expr)
                if isinstance(piece.raw, ResourceRef):
                    # A configured argument is known at plan time: "policy/${aws_iam_policy.p.name}".
                    configured = self.module.configured_attribute(piece.raw, piece.loc)
                    if configured is not None:
                        piece = Value(configured.raw, configured.loc, RESOLVED, via=configured.via)
                out.append(piece)
            elif part.kind == "if":
                else_at, endif_at = _match_if(parts, i, end)
                condition = self.evaluate(part.expr)
                if condition.is_unknown:
                    out.append(condition)
                elif _truthy(condition):
                    self._render(parts, i + 1, else_at if else_at is not None else endif_at, out)
                elif else_at is not None:
                    self._render(parts, else_at + 1, endif_at, out)
                i = endif_at
            elif part.kind == "for":
                endfor_at = _match_for(parts, i, end)
                collection = self.evaluate(part.expr)
                if collection.is_unknown:
                    out.append(collection)
                else:
                    for key, item in self._iterate(collection):
                        names = part.names
                        bound = {names[-1]: item}
                        if len(names) == 2:
                            bound[names[0]] = key
                        self.child(bound)._render(parts, i + 1, endfor_at, out)
                i = endfor_at
            else:
                raise EvalError(f"unexpected %{{{part.kind}}}")
            i += 1

    # -- operators ---------------------------------------------------------------------------------------
    def _unary_op(self, node: Tree, loc: Location) -> Value:
        operator, operand = str(node.children[0]), self.evaluate(node.children[1])
        if operand.is_unknown:
            return operand
        if operator == "-" and isinstance(operand.raw, (int, float)) and not isinstance(operand.raw, bool):
            return Value(-operand.raw, loc, _derived(operand), via=operand.via)
        if operator == "!" and isinstance(operand.raw, bool):
            return Value(not operand.raw, loc, _derived(operand), via=operand.via)
        raise EvalError(f"operator {operator} does not apply to {type_name(operand.raw)}")

    def _binary_op(self, node: Tree, loc: Location) -> Value:
        left_node, term = node.children[0], node.children[1]
        operator = str(term.children[0].children[0])
        right_node = expressions_of(term)[-1]
        left = self.evaluate(left_node)
        if operator in ("&&", "||"):
            if left.is_known and isinstance(left.raw, bool):
                if (operator == "&&" and not left.raw) or (operator == "||" and left.raw):
                    return Value(left.raw, loc, RESOLVED, via=left.via)
            right = self.evaluate(right_node)
            if right.is_known and isinstance(right.raw, bool) and left.is_unknown:
                if (operator == "&&" and not right.raw) or (operator == "||" and right.raw):
                    return Value(right.raw, loc, RESOLVED, via=right.via)
        else:
            right = self.evaluate(right_node)
        via = merge_via(left, right)
        for side in (left, right):
            if side.is_unknown:
                return Value.unknown(loc, side.reason, via=via)
        a, b = left.raw, right.raw
        if operator in ("==", "!="):
            if isinstance(a, ResourceRef) or isinstance(b, ResourceRef):
                return Value.unknown(loc, f"{a if isinstance(a, ResourceRef) else b} is known only after apply", via=via)
            same = equal(left, right)
            if same is None:
                return Value.unknown(loc, "comparison of values not fully known", via=via)
            return Value(same if operator == "==" else not same, loc, RESOLVED, via=via)
        if operator in ("&&", "||"):
            if not (isinstance(a, bool) and isinstance(b, bool)):
                raise EvalError(f"operator {operator} needs booleans")
            return Value((a and b) if operator == "&&" else (a or b), loc, RESOLVED, via=via)
        a, b = as_number(left), as_number(right)
        if operator in ("<", ">", "<=", ">="):
            result = {"<": a < b, ">": a > b, "<=": a <= b, ">=": a >= b}[operator]
            return Value(result, loc, RESOLVED, via=via)
        if operator == "+":
            result = a + b
        elif operator == "-":
            result = a - b
        elif operator == "*":
            result = a * b
        elif operator == "/":
            if b == 0:
                raise EvalError("division by zero")
            result = a / b
        elif operator == "%":
            if b == 0:
                raise EvalError("modulo by zero")
            result = math.fmod(a, b)
        else:
            raise EvalError(f"operator {operator} is not known")
        return Value(normalized_number(result), loc, RESOLVED, via=via)

    def _conditional(self, node: Tree, loc: Location) -> Value:
        branches = expressions_of(node)
        condition_node, true_node, false_node = branches[0], branches[1], branches[2]
        condition = self.evaluate(condition_node)
        if condition.is_known:
            if not isinstance(condition.raw, bool):
                if condition.raw in ("true", "false"):
                    return self.evaluate(true_node if condition.raw == "true" else false_node)
                raise EvalError("the condition must be a boolean")
            chosen = self.evaluate(true_node if condition.raw else false_node)
            if condition.via:
                return _add_via(chosen, condition.via, deep=False) if chosen.is_unknown else chosen
            return chosen
        # Unknown condition: the result is known only when both branches agree.
        first, second = self.evaluate(true_node), self.evaluate(false_node)
        if first.is_known and second.is_known and equal(first, second):
            return first
        # The result carries what its branches carry; the variables that decide between them are not in it.
        return Value.unknown(loc, condition.reason, via=merge_via(first, second))

    # -- for expressions ---------------------------------------------------------------------------------
    def _for_tuple_expr(self, node: Tree, loc: Location) -> Value:
        intro, body, condition = _for_parts(node)
        names, collection = self._for_intro(intro)
        if collection.is_unknown:
            return Value.unknown(loc, collection.reason, via=collection.via)
        items: list[Value] = []
        for key, item in self._iterate(collection):
            scope = self.child(_for_bindings(names, key, item))
            if condition is not None and not scope._keep(condition):
                continue
            items.append(scope.evaluate(body[0]))
        return Value(items, loc, RESOLVED, via=collection.via)

    def _for_object_expr(self, node: Tree, loc: Location) -> Value:
        intro, body, condition = _for_parts(node)
        grouping = any(isinstance(c, Token) and c.type == "ELLIPSIS" for c in node.children)
        names, collection = self._for_intro(intro)
        if collection.is_unknown:
            return Value.unknown(loc, collection.reason, via=collection.via)
        result: dict[str, Value] = {}
        for key, item in self._iterate(collection):
            scope = self.child(_for_bindings(names, key, item))
            if condition is not None and not scope._keep(condition):
                continue
            key_value = scope.evaluate(body[0])
            if key_value.is_unknown:
                return Value.unknown(loc, key_value.reason, via=key_value.via)
            if key_value.raw is None or isinstance(key_value.raw, (list, dict, ResourceRef)):
                raise EvalError("a for expression key must be a string")
            text = to_string(key_value.raw)
            element = scope.evaluate(body[1])
            if grouping:
                result.setdefault(text, Value([], element.loc, RESOLVED)).raw.append(element)
            elif text in result:
                raise EvalError(f'duplicate key "{text}" in a for expression (use ... to group)')
            else:
                result[text] = element
        return Value(result, loc, RESOLVED, via=collection.via)

    def _for_intro(self, intro: Tree) -> tuple[list[str], Value]:
        names = [str(c.children[0]) for c in intro.children if isinstance(c, Tree) and c.data == "identifier"]
        expression = [c for c in expressions_of(intro) if c.data != "identifier"]
        return names, self.evaluate(expression[-1])

    def _iterate(self, collection: Value) -> list[tuple[Value, Value]]:
        pairs = _pairs(collection)
        self.expanding(len(pairs), "a for expression")
        return pairs

    def expanding(self, count: int, what: str) -> None:
        """Charge ``count`` elements made by ``what`` to the root module's `ExpansionBudget`."""
        self.module.loader.budget.charge(count, what)

    def _keep(self, condition: Tree) -> bool:
        value = self.evaluate(expressions_of(condition)[-1])
        if value.is_unknown:
            raise _Unknown(value)
        if not isinstance(value.raw, bool):
            raise EvalError("a for condition must be a boolean")
        return value.raw

    # -- references --------------------------------------------------------------------------------------
    def _get_attr_expr_term(self, node: Tree, loc: Location) -> Value:
        return self._chain(node, loc)

    def _index_expr_term(self, node: Tree, loc: Location) -> Value:
        return self._chain(node, loc)

    def _full_splat_expr_term(self, node: Tree, loc: Location) -> Value:
        return self._chain(node, loc)

    def _attr_splat_expr_term(self, node: Tree, loc: Location) -> Value:
        return self._chain(node, loc)

    def _chain(self, node: Tree, loc: Location) -> Value:
        steps: list[Tree] = []
        base = node
        while True:
            if base.data == "expr_term":
                inner = expressions_of(base)
                if len(inner) != 1 or len(base.children) != 1:
                    break
                base = inner[0]
            elif base.data in ("get_attr_expr_term", "index_expr_term", "full_splat_expr_term", "attr_splat_expr_term"):
                steps.append(base.children[1])
                base = base.children[0]
            else:
                break
        steps.reverse()
        if base.data == "identifier":
            return self._traverse(base, steps, loc)
        try:
            value = self.evaluate(base)
        except _Unknown as unknown:
            value = unknown.value
        return self.apply_steps(value, steps, loc)

    def _traverse(self, root: Tree, steps: list[Tree], loc: Location) -> Value:
        """A reference: ``name`` followed by attribute/index/splat ``steps``."""
        name = str(root.children[0])
        names = _leading_names(steps)
        if name in self.bindings:
            # each.value, count.index, a dynamic block's iterator, a for expression's variable.
            return used_at(self.apply_steps(self.bindings[name], steps, loc), loc, _describe([name] + names[:1]))
        module = self.module
        if name == "var":
            if not names:
                raise EvalError("var must be followed by a variable name")
            value = self.apply_steps(module.variable(names[0], loc), steps[1:], loc)
            return used_at(value, loc, module.variable_source(names[0]))
        if name == "local":
            if not names:
                raise EvalError("local must be followed by a name")
            value = self.apply_steps(module.local(names[0], loc), steps[1:], loc)
            return used_at(value, loc, f"{module.address}local.{names[0]}")
        if name == "path":
            if not names:
                raise EvalError("path must be followed by module, root or cwd")
            return self.apply_steps(module.path_value(names[0], loc), steps[1:], loc)
        if name == "terraform" and names[:1] == ["workspace"]:
            return self.apply_steps(Value("default", loc, RESOLVED), steps[1:], loc)
        if name == "data":
            if len(names) < 2:
                raise EvalError("data must be followed by a type and a name")
            value = module.data_source(names[0], names[1], loc, _describe(["data"] + names))
            return self.apply_steps(value, steps[2:], loc)
        if name == "module":
            if not names:
                raise EvalError("module must be followed by a name")
            return used_at(module.module_reference(names[0], steps[1:], self, loc), loc,
                           f"an output of {module.address}module.{names[0]}")
        if name in ("count", "each", "self"):
            return Value.unknown(loc, f"{_describe([name] + names)} is not known here")
        if names and name in module.resource_types and module.declares(name, names[0]):
            return self.apply_steps(module.resource_reference(name, names[0], loc), steps[1:], loc)
        if names and "_" in name:
            # Not declared in this module (Terraform would refuse the configuration): nothing to resolve.
            return Value.unknown(loc, f"{_describe([name] + names)} is not known before apply")
        return Value.unknown(loc, f"{_describe([name] + names)} is not known")

    def apply_steps(self, value: Value, steps: list[Tree], loc: Location) -> Value:
        for number, step in enumerate(steps):
            if value.is_unknown:
                return value
            kind = step.data
            if kind in ("full_splat", "attr_splat"):
                return self._splat(value, [c for c in step.children if isinstance(c, Tree)] + steps[number + 1 :], loc)
            value = self._step(value, step, loc)
        return value

    def _step(self, value: Value, step: Tree, loc: Location) -> Value:
        kind = step.data
        if kind == "get_attr":
            key: str | int = str(expressions_of(step)[0].children[0])
        elif kind == "short_index":
            key = int(step.children[-1])
        else:  # braces_index
            index = self.evaluate(expressions_of(step)[0])
            if index.is_unknown:
                return Value.unknown(loc, index.reason, via=merge_via(value, index))
            if index.raw is None or isinstance(index.raw, (list, dict, ResourceRef)):
                raise EvalError("an index must be a number or a string")
            key = index.raw
        raw = value.raw
        if isinstance(raw, ResourceRef):
            return Value(_extend_ref(raw, key, kind), loc, RESOLVED, via=value.via)
        if isinstance(raw, dict):
            text = to_string(key)
            if text not in raw:
                raise EvalError(f'no element "{text}"')
            return raw[text]
        if isinstance(raw, list):
            if kind == "get_attr":
                raise EvalError(f'a list has no attribute "{key}" (use a splat or an index)')
            number = _index_number(key)
            if number < 0 or number >= len(raw):
                raise EvalError(f"index {number} out of range (length {len(raw)})")
            return raw[number]
        if raw is None:
            raise EvalError(f'attempt to read "{key}" of null')
        raise EvalError(f'a {type_name(raw)} has no element "{key}"')

    def _splat(self, value: Value, steps: list[Tree], loc: Location) -> Value:
        if value.raw is None:
            return Value([], loc, RESOLVED, via=value.via)
        elements = value.raw if isinstance(value.raw, list) else [value]
        self.expanding(len(elements), "a splat")
        return Value([self.apply_steps(element, steps, loc) for element in elements], loc, RESOLVED, via=value.via)

    # -- function calls ----------------------------------------------------------------------------------
    def _function_call(self, node: Tree, loc: Location) -> Value:
        from .functions import call

        identifiers = [c for c in node.children if isinstance(c, Tree) and c.data == "identifier"]
        name = "::".join(str(i.children[0]) for i in identifiers)
        arguments = next((c for c in node.children if isinstance(c, Tree) and c.data == "arguments"), None)
        argument_nodes = expressions_of(arguments)
        expand = arguments is not None and any(isinstance(c, Token) and c.type == "ELLIPSIS" for c in arguments.children)
        return call(self, name, argument_nodes, expand, loc)


class _Unknown(Exception):
    """Raised inside a ``for`` when its condition is unknown: the whole expression is unknown."""

    def __init__(self, value: Value) -> None:
        super().__init__(value.reason)
        self.value = value


def _wrap_unknown(method):
    def wrapper(self, node, loc):
        try:
            return method(self, node, loc)
        except _Unknown as unknown:
            return Value.unknown(loc, unknown.value.reason, via=unknown.value.via)

    return wrapper


Evaluator._for_tuple_expr = _wrap_unknown(Evaluator._for_tuple_expr)
Evaluator._for_object_expr = _wrap_unknown(Evaluator._for_object_expr)


# -- helpers -------------------------------------------------------------------------------------------------

def _construct(node: Tree) -> str:
    """What an expression node is, for an error: ``function floor()``, ``for expression``."""
    if not isinstance(node, Tree):
        return "a JSON value" if not isinstance(node, Token) else "a token"
    if node.data == "function_call":
        names = [str(c.children[0]) for c in node.children if isinstance(c, Tree) and c.data == "identifier"]
        return f"function {'::'.join(names)}()"
    return node.data.replace("_", " ").removesuffix(" expr term")


def _node_location(node, file: str) -> Location:
    if isinstance(node, (Tree, Token)):
        return location(node, file)
    return node.value.loc


def _for_parts(node: Tree) -> tuple[Tree, list[Tree], Tree | None]:
    intro = next(c for c in node.children if isinstance(c, Tree) and c.data == "for_intro")
    condition = next((c for c in node.children if isinstance(c, Tree) and c.data == "for_cond"), None)
    body = [c for c in expressions_of(node) if c.data not in ("for_intro", "for_cond")]
    return intro, body, condition


def _for_bindings(names: list[str], key: Value, item: Value) -> dict[str, Value]:
    if len(names) == 2:
        return {names[0]: key, names[1]: item}
    return {names[0]: item}


def _pairs(collection: Value) -> list[tuple[Value, Value]]:
    """(key, element) of a list (index) or a map (key, in lexical order as Terraform iterates)."""
    raw = collection.raw
    if isinstance(raw, list):
        return [(Value(i, item.loc, RESOLVED), item) for i, item in enumerate(raw)]
    if isinstance(raw, dict):
        return [(Value(k, raw[k].key_loc or raw[k].loc, RESOLVED), raw[k]) for k in sorted(raw)]
    if raw is None:
        raise EvalError("cannot iterate over null")
    if isinstance(raw, ResourceRef):
        raise _Unknown(Value.unknown(collection.loc, f"{raw} is known only after apply", via=collection.via))
    raise EvalError(f"cannot iterate over a {type_name(raw)}")


def _leading_names(steps: list[Tree]) -> list[str]:
    names = []
    for step in steps:
        if step.data != "get_attr":
            break
        names.append(str(expressions_of(step)[0].children[0]))
    return names


def _describe(names: list[str]) -> str:
    return ".".join(names)


def _extend_ref(ref: ResourceRef, key, kind: str) -> ResourceRef:
    if kind == "get_attr":
        attribute = str(key) if ref.attribute is None else f"{ref.attribute}.{key}"
        return ResourceRef(ref.target, attribute)
    index = f'["{key}"]' if isinstance(key, str) else f"[{key}]"
    if ref.attribute is None:
        return ResourceRef(ref.target + index, None)
    return ResourceRef(ref.target, ref.attribute + index)


def _index_number(key) -> int:
    if isinstance(key, bool):
        raise EvalError("a list index must be a number")
    if isinstance(key, (int, float)):
        if isinstance(key, float) and not key.is_integer():
            raise EvalError("a list index must be a whole number")
        return int(key)
    try:
        return int(str(key))
    except ValueError:
        raise EvalError("a list index must be a number, not a string") from None


def _match_if(parts: list[TemplatePart], start: int, end: int) -> tuple[int | None, int]:
    """The positions of the ``%{else}`` (or ``None``) and ``%{endif}`` of the ``%{if}`` at ``start``."""
    return _closing(parts, start, end, "endif")


def _match_for(parts: list[TemplatePart], start: int, end: int) -> int:
    """The position of the ``%{endfor}`` of the ``%{for}`` at ``start``."""
    return _closing(parts, start, end, "endfor")[1]


def _closing(parts: list[TemplatePart], start: int, end: int, closer: str) -> tuple[int | None, int]:
    depth, else_at = 0, None
    for i in range(start + 1, end):
        kind = parts[i].kind
        if kind in ("if", "for"):
            depth += 1
        elif kind in ("endif", "endfor") and depth:
            depth -= 1
        elif kind == "else" and depth == 0 and closer == "endif":
            else_at = i
        elif kind == closer and depth == 0:
            return else_at, i
    raise EvalError(f"%{{{'if' if closer == 'endif' else 'for'}}} without %{{{closer}}}")


def _strip(parts: list[TemplatePart]) -> list[TemplatePart]:
    """Apply ``~`` strip markers to the neighbouring text."""
    if not any(p.strip_left or p.strip_right for p in parts):
        return parts
    out = [TemplatePart(p.kind, p.loc, p.text, p.expr, p.names, p.strip_left, p.strip_right) for p in parts]
    for i, part in enumerate(out):
        if part.strip_left and i > 0 and out[i - 1].kind == "text":
            out[i - 1].text = out[i - 1].text.rstrip()
        if part.strip_right and i + 1 < len(out) and out[i + 1].kind == "text":
            out[i + 1].text = out[i + 1].text.lstrip()
    return out


def _truthy(value: Value) -> bool:
    if isinstance(value.raw, bool):
        return value.raw
    if value.raw in ("true", "false"):
        return value.raw == "true"
    raise EvalError("a template condition must be a boolean")


def _concatenate(pieces: list[Value], loc: Location) -> Value:
    via = merge_via(*pieces)
    trace = merged_trace(*pieces)
    texts: list[str | None] = []
    literal = True
    reasons: list[str] = []  # why each part not known is not known, in order
    for piece in pieces:
        raw = piece.raw
        if piece.is_unknown or isinstance(raw, ResourceRef):
            # Keep going: the parts around it stay readable (see PartlyKnown).
            reasons.append(f"{raw} is known only after apply" if isinstance(raw, ResourceRef)
                           else piece.reason or "an interpolated value is not known")
            texts.append(None)
            continue
        if isinstance(piece, JsonText) and isinstance(raw, (list, dict)):
            text = json_text(piece)
            if text is None:
                reasons.append("a part of the JSON is not known")
            texts.append(text)
            literal = False
            continue
        if isinstance(raw, (list, dict)) or raw is None:
            if reasons:  # as before the text was kept in part: an unknown part ends the check
                reasons.append(reasons[0])
                texts.append(None)
                continue
            raise EvalError(f"cannot interpolate {'null' if raw is None else 'a ' + type_name(raw)} into a string")
        texts.append(to_string(raw))
        literal = literal and piece.origin == LITERAL
    check_string_size(sum(len(text or "") for text in texts), "a string template")
    if reasons:
        return PartlyKnown(tuple(texts), loc, reasons[0], via=via, trace=trace, reasons=tuple(reasons))
    return Value("".join(texts), loc, LITERAL if literal else RESOLVED, via=via, trace=trace)


def _derived(value: Value) -> str:
    return RESOLVED if value.origin == LITERAL else value.origin


def _add_via(value: Value, via: tuple[str, ...], *, deep: bool) -> Value:
    merged = tuple(dict.fromkeys(via + value.via))
    raw = value.raw
    if deep and isinstance(raw, dict):
        raw = {k: _add_via(v, via, deep=True) for k, v in raw.items()}
    elif deep and isinstance(raw, list):
        raw = [_add_via(v, via, deep=True) for v in raw]
    return value.replace(raw=raw, via=merged)


def retag(value: Value, via: tuple[str, ...], origin: str | None = None) -> Value:
    """A deep copy of ``value`` that went through the variables ``via``: each part records them, and takes
    ``origin`` (``default``/``resolved``) when given and the part is known."""
    merged = tuple(dict.fromkeys(value.via + via))
    raw = value.raw
    if isinstance(raw, dict):
        raw = {k: retag(v, via, origin) for k, v in raw.items()}
    elif isinstance(raw, list):
        raw = [retag(v, via, origin) for v in raw]
    new_origin = value.origin if origin is None or value.origin == UNKNOWN else origin
    return value.replace(raw=raw, origin=new_origin, via=merged)


__all__ = ["EvalError", "Evaluator", "retag"]
