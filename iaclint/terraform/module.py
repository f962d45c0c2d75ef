"""Load a Terraform module directory, with its variables, locals and local child modules, into a `Document`.

One `Document` per root module: the resources of every local (or ``terraform init``-installed) child
module are in the same list, with ``module.NAME.`` (``module.NAME["key"].``/``module.NAME[0].``) prefixed
addresses and locations in the child module's own files.

Evaluation is lazy and memoised per module instance: a variable, local, output or child module is
evaluated when something refers to it, once.  A reference cycle (a local that needs itself) is unknown,
never a `RecursionError`.
"""

from __future__ import annotations

import json
import os
import re
import sys
from typing import Callable

from ..collector import collector_paused
from ..document import TERRAFORM, Document, Parameter, Resource
from ..failures import internal_error
from ..findings import InputError, ScanError
from ..values import DEFAULT, RESOLVED, Location, ResourceRef, Value
from .expressions import Evaluator, retag
from .bodies import META_ATTRIBUTES, block_body
from .expansion import instance_key, instances
from .module_files import ModuleFiles
from .operations import EvalError, ExpansionBudget, with_key_loc

# Attributes of a resource/data/module block that are Terraform's, not the resource's.
_MODULE_META = {"source", "version", "count", "for_each", "providers", "depends_on"}
_MAX_MODULE_DEPTH = 12
_INSTANCE = re.compile(r'^([\w-]+\.[\w-]+)((?:\[(?:"(?:[^"\\]|\\.)*"|\d+)\])?)$')
COMMAND_LINE = "<command line>"


def load_module(
    directory: str,
    files: list[str],
    read_text: Callable[[str], str],
    inputs=None,
) -> tuple[Document, list[ScanError]]:
    """Evaluate the root module in ``directory`` whose files are ``files`` (its ``.tf``/``.tf.json``).

    ``read_text(path)`` returns a file's text or raises `InputError`.  A file that does not parse is
    reported and the rest of the module is still used; errors never raise."""
    loader = _Loader(directory, read_text, inputs)
    document = Document(TERRAFORM, directory, files=list(files))
    # Evaluation makes many small objects and no reference cycles: the cyclic collector only adds
    # pauses that grow with the heap (measured with `benchmarks/terraform_unknowns.py --scaling`).
    # Expressions and reference chains are evaluated recursively; real modules nest a few hundred frames
    # deep at most, and whatever goes deeper becomes unknown (RecursionError is caught), never a crash.
    recursion_limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(recursion_limit, 4000))
    root = None
    try:
        with collector_paused():
            root = ModuleInstance(loader, directory, files, address="", parent=None, depth=0)
            loader.root_values = loader.read_variable_values(root)
            for name, block in root.variables.items():
                document.parameters[name] = root.parameter(name, block)
            document.resources = root.all_resources()
    except RecursionError:
        loader.errors.append(ScanError(files[0] if files else directory, "module is nested too deeply to evaluate",
                                       1, 1))
    except Exception as exc:  # the last resort: each block and expression has its own (see `_isolated`)
        loader.errors.append(internal_error(exc, "the module", fallback_file=files[0] if files else directory))
    finally:
        sys.setrecursionlimit(recursion_limit)
        if root is not None:
            root.forget_children()
    # ``files`` stays the module's own files: the engine reports a finding in any other file (a child
    # module's, a tfvars file, a policy read with file()) through the module that uses it.
    return document, loader.errors


def module_files(directory: str) -> list[str]:
    """The ``.tf`` and ``.tf.json`` files of ``directory``, sorted (Terraform reads them all)."""
    try:
        names = sorted(os.listdir(directory))
    except OSError:
        return []
    return [
        os.path.join(directory, n)
        for n in names
        if (n.endswith(".tf") or n.endswith(".tf.json")) and os.path.isfile(os.path.join(directory, n))
    ]


class _Loader:
    """What is shared by every module instance of one root module: files, errors, options."""

    def __init__(self, root: str, read_text: Callable[[str], str], inputs) -> None:
        self.root = root
        self.read_text = read_text
        self.inputs = inputs
        self.errors: list[ScanError] = []
        self.budget = ExpansionBudget()
        self.files_read: list[str] = []
        self._blocks: dict[str, list] = {}
        self.root_values: dict[str, Value] = {}
        self._installed: dict[str, str] | None = None

    def blocks(self, path: str) -> list:
        """The blocks of one file, parsed once; a parse error is reported once."""
        cached = self._blocks.get(path)
        if cached is not None:
            return cached
        blocks: list = []
        try:
            text = self.read_text(path)
            if path.endswith(".json"):
                from .jsonconfig import read_json_config

                blocks = read_json_config(text, path)
            else:
                from .parser import parse
                from .syntax import read_file

                blocks = read_file(parse(text), path)
        except InputError as exc:
            self.errors.append(ScanError(path, exc.message, exc.line, exc.column))
        except RecursionError:
            self.errors.append(ScanError(path, "invalid HCL: nested too deeply"))
        self._blocks[path] = blocks
        if path not in self.files_read:
            self.files_read.append(path)
        return blocks

    def installed_module(self, key: str) -> str | None:
        """The directory ``terraform init`` installed module ``key`` (``web`` or ``web.inner``) in."""
        if self._installed is None:
            self._installed = {}
            manifest = os.path.join(self.root, ".terraform", "modules", "modules.json")
            if os.path.isfile(manifest):
                try:
                    data = json.loads(self.read_text(manifest))
                    for entry in data.get("Modules", []) if isinstance(data, dict) else []:
                        if isinstance(entry, dict) and isinstance(entry.get("Key"), str) and isinstance(entry.get("Dir"), str):
                            self._installed[entry["Key"]] = os.path.normpath(os.path.join(self.root, entry["Dir"]))
                except (InputError, ValueError) as exc:
                    self.errors.append(ScanError(manifest, f"unreadable module manifest: {getattr(exc, 'message', exc)}"))
        return self._installed.get(key)

    # -- variable values for the root module ---------------------------------------------------------------
    def read_variable_values(self, root: "ModuleInstance") -> dict[str, Value]:
        """Terraform's precedence: terraform.tfvars < terraform.tfvars.json < *.auto.tfvars(.json) in name
        order < -var-file / -var in command-line order (later wins)."""
        values: dict[str, Value] = {}
        try:
            names = sorted(os.listdir(self.root))
        except OSError:
            names = []
        ordered = [n for n in ("terraform.tfvars", "terraform.tfvars.json") if n in names]
        ordered += [n for n in names if n.endswith(".auto.tfvars") or n.endswith(".auto.tfvars.json")]
        for name in ordered:
            path = os.path.join(self.root, name)
            if os.path.isfile(path):
                values.update(self.read_tfvars(path, root))
        inputs = self.inputs
        for path in getattr(inputs, "terraform_var_files", ()) or ():
            values.update(self.read_tfvars(path, root))
        for name, text in (getattr(inputs, "terraform_vars", None) or {}).items():
            values[name] = self.command_line_value(name, text, root)
        return values

    def read_tfvars(self, path: str, root: "ModuleInstance") -> dict[str, Value]:
        try:
            text = self.read_text(path)
        except InputError as exc:
            self.errors.append(ScanError(path, exc.message, exc.line, exc.column))
            return {}
        if path not in self.files_read:
            self.files_read.append(path)
        if path.endswith(".json"):
            from .jsonpos import JsonError, load

            try:
                data = load(text, path)
            except JsonError as exc:
                self.errors.append(ScanError(path, f"invalid JSON: {exc.message}", exc.line, exc.column))
                return {}
            if not isinstance(data.raw, dict):
                self.errors.append(ScanError(path, "a variables file must hold a JSON object", 1, 1))
                return {}
            return dict(data.raw)
        from .parser import parse
        from .syntax import Block, read_body

        try:
            tree = parse(text)
        except InputError as exc:
            self.errors.append(ScanError(path, exc.message, exc.line, exc.column))
            return {}
        holder = Block("", [], Location(path, 1, 1), file=path)
        if tree.children:
            read_body(tree.children[0], path, holder)
        evaluator = Evaluator(_NoContext(root), path)
        values = {}
        for name, attribute in holder.attributes.items():
            values[name] = with_key_loc(evaluator.value(attribute.expression), attribute.loc)
        for block in holder.blocks:
            self.errors.append(ScanError(path, f"a variables file cannot hold blocks ({block.type})", block.loc.line, block.loc.column))
        return values

    def command_line_value(self, name: str, text: str, root: "ModuleInstance") -> Value:
        """``-var NAME=VALUE``: a string for a variable of primitive (or no) type, else an HCL value."""
        loc = Location(COMMAND_LINE, 1, 1)
        block = root.variables.get(name)
        type_text = ""
        if block is not None and "type" in block.attributes:
            from .syntax import string_text

            type_text = string_text(block.attributes["type"].expression).replace(" ", "")
        if type_text in ("", "string", "number", "bool"):
            return Value(text, loc, RESOLVED)
        from .syntax import parse_expression

        try:
            expression = parse_expression(text, 1, 3)
        except InputError as exc:
            self.errors.append(ScanError(COMMAND_LINE, f"-var {name}: {exc.message}"))
            return Value.unknown(loc, f"-var {name} is not a valid value")
        value = Evaluator(_NoContext(root), COMMAND_LINE).value(expression)
        return retag(value, (), RESOLVED)


class ModuleInstance:
    """One instance of a module: the root, or a child at ``address`` (``module.web.``)."""

    def __init__(self, loader: _Loader, directory: str, files: list[str], *, address: str,
                 parent: "ModuleInstance | None", depth: int, key: str = "",
                 arguments: Callable[[str], Value | None] | None = None) -> None:
        self.loader = loader
        self.directory = directory
        self.address = address  # "" for the root, else "module.web." (with an instance key if any)
        self.parent = parent
        self.depth = depth
        self.key = key  # the manifest key: "web", "web.inner"
        self._arguments = arguments
        self.files = ModuleFiles(loader.root, directory, loader.read_text, loader.files_read)
        self.variables: dict[str, object] = {}
        self.locals: dict[str, tuple[object, str]] = {}
        self.outputs: dict[str, object] = {}
        self.resource_blocks: dict[str, object] = {}
        self.data_blocks: dict[str, object] = {}
        self.module_calls: dict[str, object] = {}
        self.providers: list = []
        self.resource_types: set[str] = set()
        self._memo: dict[tuple[str, str], Value] = {}
        self._variable_sources: dict[str, str] = {}
        self._busy: set[tuple[str, str]] = set()
        self._children: dict[str, object] = {}
        self._expansions: dict[tuple[str, str], object] = {}
        for path in files:
            for block in loader.blocks(path):
                self._add(block)

    def _add(self, block) -> None:
        kind, labels = block.type, block.labels
        if kind == "resource" and len(labels) == 2:
            self.resource_blocks[f"{labels[0]}.{labels[1]}"] = block
            self.resource_types.add(labels[0])
        elif kind == "data" and len(labels) == 2:
            self.data_blocks[f"{labels[0]}.{labels[1]}"] = block
        elif kind == "variable" and labels:
            self.variables[labels[0]] = block
        elif kind == "locals":
            for name, attribute in block.attributes.items():
                self.locals[name] = (attribute, block.file)
        elif kind == "output" and labels:
            self.outputs[labels[0]] = block
        elif kind == "module" and labels:
            self.module_calls[labels[0]] = block
        elif kind == "provider" and labels:
            self.providers.append(block)

    # -- lazy, memoised evaluation -------------------------------------------------------------------------
    def _once(self, kind: str, name: str, compute: Callable[[], Value], loc: Location, what: str) -> Value:
        key = (kind, name)
        found = self._memo.get(key)
        if found is not None:
            return found
        if key in self._busy:
            return Value.unknown(loc, f"{what} refers to itself")
        self._busy.add(key)
        try:
            value = compute()
        except RecursionError:
            value = Value.unknown(loc, f"{what} is nested too deeply to evaluate")
        finally:
            self._busy.discard(key)
        self._memo[key] = value
        return value

    def evaluator(self, file: str, bindings: dict[str, Value] | None = None) -> Evaluator:
        return Evaluator(self, file, bindings)

    def variable_reference(self, name: str) -> str:
        return f"{self.address}var.{name}"

    def variable(self, name: str, loc: Location) -> Value:
        reference = self.variable_reference(name)
        return self._once("var", name, lambda: self._variable(name, loc, reference), loc, reference)

    def variable_source(self, name: str) -> str:
        """What the place a variable's value was taken from is, for its origin chain."""
        return self._variable_sources.get(name, f"{self.variable_reference(name)}")

    def _variable(self, name: str, loc: Location, reference: str) -> Value:
        block = self.variables.get(name)
        if block is None:
            return Value.unknown(loc, f"{reference} is not declared", via=(reference,))
        given = self.loader.root_values.get(name) if self.parent is None else self._arguments(name)
        if given is not None and not (given.is_known and given.raw is None and _nullable(block)):
            origin = RESOLVED if self.parent is None else None
            self._variable_sources[name] = (f"the value given for {reference}" if self.parent is None
                                            else f"argument {name} of {self.address[:-1]}")
            return retag(self._typed(block, given), (reference,), origin)
        default = self.default(name)
        if default is not None:
            self._variable_sources[name] = f"the default of {reference}"
            return retag(self._typed(block, default), (reference,), DEFAULT)
        if given is not None:
            return retag(given, (reference,))
        return Value.unknown(loc, f"{reference} has no value", via=(reference,))

    def _typed(self, block, value: Value) -> Value:
        attribute = block.attributes.get("type")
        if attribute is None or value.is_unknown:
            return value
        from .types import convert, read_type

        spec = read_type(attribute.expression)
        evaluator = Evaluator(_NoContext(self), block.file)
        try:
            return convert(value, spec, evaluator.value)
        except RecursionError:
            return value

    def default(self, name: str) -> Value | None:
        block = self.variables.get(name)
        attribute = block.attributes.get("default") if block is not None else None
        if attribute is None:
            return None
        value = Evaluator(_NoContext(self), block.file).value(attribute.expression)
        return with_key_loc(value, attribute.loc)

    def parameter(self, name: str, block) -> Parameter:
        sensitive = block.attributes.get("sensitive")
        sensitive_value = Evaluator(_NoContext(self), block.file).value(sensitive.expression) if sensitive else None
        default = self.default(name)
        return Parameter(
            name=name,
            loc=block.loc,
            reference=self.variable_reference(name),
            address=self.variable_reference(name),
            default=retag(default, (self.variable_reference(name),), DEFAULT) if default is not None else None,
            sensitive=bool(sensitive_value is not None and sensitive_value.raw is True),
        )

    def local(self, name: str, loc: Location) -> Value:
        def compute() -> Value:
            found = self.locals.get(name)
            if found is None:
                raise EvalError(f"local.{name} is not declared")
            attribute, file = found
            return self.evaluator(file).value(attribute.expression)

        return self._once("local", name, compute, loc, f"local.{name}")

    def path_value(self, name: str, loc: Location) -> Value:
        if name == "module":
            relative = os.path.relpath(self.directory, self.loader.root) if self.parent is not None else "."
            return Value(relative.replace(os.sep, "/"), loc, RESOLVED)
        if name in ("root", "cwd"):
            return Value(".", loc, RESOLVED)
        raise EvalError(f"path.{name} is not known")

    def render_template_file(self, path: str, variables: dict[str, Value], loc: Location) -> Value:
        from .syntax import TemplateError, scan_template

        text = self.files.read_file(path, loc)
        if isinstance(text, Value):
            return text
        shown = os.path.normpath(os.path.join(self.loader.root, path))
        try:
            parts = scan_template(text, shown, 1, 1, unescape_backslashes=False)
        except (TemplateError, InputError) as exc:
            raise EvalError(f"templatefile({path}): {getattr(exc, 'message', exc)}") from None
        result = Evaluator(_NoContext(self), shown, dict(variables)).template(parts, loc)
        if result.is_known and isinstance(result.raw, str):
            return Value(result.raw, loc, RESOLVED, via=result.via)
        return result

    # -- count / for_each ----------------------------------------------------------------------------------
    def expansion(self, kind: str, name: str, block) -> list[tuple[str, dict[str, Value]]] | Value:
        """The instances of a counted/for_each block: ``[(address suffix, bindings)]``, or an unknown value
        when the count/for_each is not known."""
        key = ("expand " + kind, name)
        found = self._expansions.get(key)
        if found is not None:
            return found
        if key in self._busy:
            return Value.unknown(block.loc, f"{kind} {name}: count/for_each refers to itself")
        self._busy.add(key)
        try:
            found = instances(self.evaluator(block.file), block)
        finally:
            self._busy.discard(key)
        self._expansions[key] = found
        return found

    # -- references to resources, data sources, modules ---------------------------------------------------
    def declares(self, kind: str, name: str) -> bool:
        return f"{kind}.{name}" in self.resource_blocks

    def resource_reference(self, kind: str, name: str, loc: Location) -> Value:
        address = f"{self.address}{kind}.{name}"
        block = self.resource_blocks.get(f"{kind}.{name}")
        if block is None or ("count" not in block.attributes and "for_each" not in block.attributes):
            return Value(ResourceRef(address), loc, RESOLVED)
        instances = self.expansion("resource", f"{kind}.{name}", block)
        if isinstance(instances, Value):
            return Value(ResourceRef(address), loc, RESOLVED)
        refs = {suffix: Value(ResourceRef(address + suffix), loc, RESOLVED) for suffix, _ in instances}
        if "count" in block.attributes:
            return Value(list(refs.values()), loc, RESOLVED)
        return Value({instance_key(suffix): ref for suffix, ref in refs.items()}, loc, RESOLVED)

    def configured_attribute(self, ref: ResourceRef, loc: Location) -> Value | None:
        """The value a resource's argument is configured with (``aws_iam_policy.p.name`` where ``name``
        is written in the block): Terraform knows it at plan time.  ``None`` when it is not configured."""
        attribute_name = ref.attribute
        if not attribute_name or not ref.target.startswith(self.address) or not attribute_name.isidentifier():
            return None
        match = _INSTANCE.match(ref.target[len(self.address):])
        if match is None:
            return None
        key, suffix = match.group(1), match.group(2) or ""
        block = self.resource_blocks.get(key)
        if block is None or attribute_name in META_ATTRIBUTES or attribute_name not in block.attributes:
            return None
        instances = self.expansion("resource", key, block)
        if isinstance(instances, Value):
            return None
        bindings = next((b for s, b in instances if s == suffix), None)
        if bindings is None:
            return None
        attribute = block.attributes[attribute_name]
        value = self._once("argument", f"{ref.target}.{attribute_name}",
                           lambda: self.evaluator(block.file, bindings).value(attribute.expression), loc, str(ref))
        return value if value.is_known and isinstance(value.raw, (str, int, float, bool)) else None

    def data_source(self, kind: str, name: str, loc: Location, described: str) -> Value:
        block = self.data_blocks.get(f"{kind}.{name}")
        if block is None:
            return Value.unknown(loc, f"data.{kind}.{name} is not declared")
        if kind != "aws_iam_policy_document":
            return Value.unknown(loc, f"{described} is known only after apply")
        return self._once("data", f"{kind}.{name}", lambda: self._policy_documents(block), loc, f"data.{kind}.{name}")

    def _policy_documents(self, block) -> Value:
        instances = self.expansion("data", f"{block.labels[0]}.{block.labels[1]}", block)
        if isinstance(instances, Value):
            return instances
        from .policy_document import policy_document

        built = []
        for suffix, bindings in instances:
            document = policy_document(self, block, self.evaluator(block.file, bindings))
            built.append((suffix, Value({"json": document, "minified_json": document}, block.loc, RESOLVED)))
        if "count" in block.attributes:
            return Value([value for _, value in built], block.loc, RESOLVED)
        if "for_each" in block.attributes:
            return Value({instance_key(suffix): value for suffix, value in built}, block.loc, RESOLVED)
        return built[0][1]

    def module_reference(self, name: str, steps: list, evaluator: Evaluator, loc: Location) -> Value:
        if name not in self.module_calls:
            return Value.unknown(loc, f"module.{name} is not declared")
        instances = self.child_instances(name)
        if isinstance(instances, Value):
            return Value.unknown(loc, instances.reason, via=instances.via)
        block = self.module_calls[name]
        expanded = "count" in block.attributes or "for_each" in block.attributes
        if not expanded:
            child = instances[0][1]
            if steps and steps[0].data == "get_attr":
                output = str(steps[0].children[-1].children[0])
                return evaluator.apply_steps(child.output(output, loc), steps[1:], loc)
            return evaluator.apply_steps(child.all_outputs(loc), steps, loc)
        if any(suffix == "" for suffix, _ in instances):  # count/for_each not known: one stand-in instance
            if steps and steps[0].data in ("braces_index", "short_index") and len(steps) > 1 and steps[1].data == "get_attr":
                child = instances[0][1]
                output = str(steps[1].children[-1].children[0])
                return evaluator.apply_steps(child.output(output, loc), steps[2:], loc)
            return Value.unknown(loc, f"{self.address}module.{name}: its instances are not known")
        if "count" in block.attributes:
            whole = Value([child.all_outputs(loc) for _, child in instances], loc, RESOLVED)
        else:
            whole = Value({instance_key(suffix): child.all_outputs(loc) for suffix, child in instances}, loc, RESOLVED)
        return evaluator.apply_steps(whole, steps, loc)

    def output(self, name: str, loc: Location) -> Value:
        def compute() -> Value:
            block = self.outputs.get(name)
            if block is None or "value" not in block.attributes:
                return Value.unknown(loc, f"{self.address}output {name} is not declared")
            return self.evaluator(block.file).value(block.attributes["value"].expression)

        return self._once("output", name, compute, loc, f"{self.address}output.{name}")

    def all_outputs(self, loc: Location) -> Value:
        return Value({name: self.output(name, loc) for name in self.outputs}, loc, RESOLVED)

    def child_instances(self, name: str) -> list[tuple[str, "ModuleInstance"]] | Value:
        found = self._children.get(name)
        if found is not None:
            return found
        if ("module", name) in self._busy:
            return Value.unknown(self.module_calls[name].loc, f"module.{name} refers to itself")
        self._busy.add(("module", name))
        try:
            found = self._make_children(name)
        finally:
            self._busy.discard(("module", name))
        self._children[name] = found
        return found

    def forget_children(self) -> None:
        """Drop the child instances made so far, theirs first.  A child refers back to its parent, so without
        this a module's blocks, trees and values outlive its evaluation until the cyclic collector finds them."""
        for found in self._children.values():
            if not isinstance(found, Value):
                for _, child in found:
                    child.forget_children()
        self._children.clear()

    def _make_children(self, name: str) -> list[tuple[str, "ModuleInstance"]] | Value:
        block = self.module_calls[name]
        here = f"{self.address}module.{name}"
        source_attribute = block.attributes.get("source")
        source = self.evaluator(block.file).value(source_attribute.expression) if source_attribute else None
        if source is None or not source.is_str():
            return Value.unknown(block.loc, f"{here} (module source is not known)")
        key = f"{self.key}.{name}" if self.key else name
        text = source.raw
        if text.startswith("./") or text.startswith("../") or text in (".", ".."):
            directory = os.path.normpath(os.path.join(self.directory, text))
            if not os.path.isdir(directory):
                self.loader.errors.append(ScanError(block.file, f'module "{name}": source directory {text} not found',
                                                    source.loc.line if source.loc else block.loc.line,
                                                    source.loc.column if source.loc else None))
                return Value.unknown(block.loc, f"{here} (local module {text} not found)")
        else:
            directory = self.loader.installed_module(key)
            if directory is None or not os.path.isdir(directory):
                return Value.unknown(block.loc, f"{here} (remote module not installed)")
        if self.depth >= _MAX_MODULE_DEPTH or _is_ancestor(self, directory):
            return Value.unknown(block.loc, f"{here} (module calls itself)")
        instances = self.expansion("module", name, block)
        if isinstance(instances, Value):
            # Unknown count/for_each: evaluate the module once, with count.index / each unknown.
            reason = instances.reason
            instances = [("", {"count": Value({"index": Value.unknown(block.loc, reason)}, block.loc, RESOLVED),
                               "each": Value({"key": Value.unknown(block.loc, reason),
                                              "value": Value.unknown(block.loc, reason)}, block.loc, RESOLVED)})]
        files = module_files(directory)
        # Each instance evaluates the whole child module: a counted call weighs its instances times the
        # module's blocks; a plain call, written once per instance, weighs one.
        expanded = "count" in block.attributes or "for_each" in block.attributes
        weight = 1 + sum(len(self.loader.blocks(path)) for path in files) if expanded else 1
        try:
            self.evaluator(block.file).expanding(len(instances) * weight, here)
        except EvalError as exc:
            return Value.unknown(block.loc, exc.message)
        children = []
        for suffix, bindings in instances:
            arguments = _Arguments(self, block, bindings)
            child = ModuleInstance(self.loader, directory, files, address=f"{here}{suffix}.", parent=self,
                                   depth=self.depth + 1, key=key, arguments=arguments)
            children.append((suffix, child))
        return children

    # -- the document ----------------------------------------------------------------------------------------
    def all_resources(self) -> list[Resource]:
        resources: list[Resource] = []
        for block in self.providers:
            resources += self._isolated(block, f"provider.{block.labels[0]}", lambda b=block: [self._provider(b)])
        for key, block in self.resource_blocks.items():
            resources += self._isolated(block, key, lambda k=key, b=block: self._resource_instances(k, b))
        for key, block in self.data_blocks.items():
            resources += self._isolated(block, f"data.{key}",
                                        lambda k=key, b=block: self._resource_instances(k, b, prefix="data."))
        for name, block in self.module_calls.items():
            resources += self._isolated(block, f"module.{name}",
                                        lambda n=name, b=block: self._resource_instances(n, b, prefix="module."))
            instances = self._isolated(block, f"module.{name}", lambda n=name: self.child_instances(n))
            if isinstance(instances, Value):
                continue
            for _, child in instances:
                resources += self._isolated(block, f"module.{name}", child.all_resources)
        return resources

    def _isolated(self, block, what: str, produce):
        """What ``produce`` makes of one block.  A failure loses that block only, and is reported at its line
        (an internal error naming the block): the module's other resources are still checked."""
        try:
            return produce()
        except RecursionError:
            message = f"{self.address}{what} is nested too deeply to evaluate"
            self.loader.errors.append(ScanError(block.file, message, block.loc.line, block.loc.column))
        except Exception as exc:  # a bug met in one block must not cost the others their findings
            self.loader.errors.append(internal_error(exc, f"evaluating {self.address}{what}", block.loc))
        return []

    def _provider(self, block) -> Resource:
        evaluator = self.evaluator(block.file)
        properties = block_body(block, evaluator)
        alias = properties.get("alias")
        name = f"provider.{block.labels[0]}"
        full = name + (f".{alias.raw}" if alias is not None and alias.is_str() else "")
        return Resource(TERRAFORM, name, self.address + full, block.loc, properties)

    def _resource_instances(self, key: str, block, prefix: str = "") -> list[Resource]:
        """A resource's instances; with ``prefix`` ``data.`` a data source's, ``module.`` a module call's
        arguments (type ``module``), so that what is written in them is read like a resource's."""
        kind = "module" if prefix == "module." else prefix + block.labels[0]
        address = self.address + prefix + key
        instances = self.expansion(prefix.rstrip(".") or "resource", key, block)
        if isinstance(instances, Value):
            reason = instances.reason
            unknown = {"count": Value({"index": Value.unknown(block.loc, reason)}, block.loc, RESOLVED),
                       "each": Value({"key": Value.unknown(block.loc, reason), "value": Value.unknown(block.loc, reason)},
                                     block.loc, RESOLVED)}
            instances = [("", unknown)]
        out = []
        for suffix, bindings in instances:
            properties = block_body(block, self.evaluator(block.file, bindings))
            if kind == "module":
                properties = properties.replace(raw={name: value for name, value in properties.raw.items()
                                                     if name not in _MODULE_META})
            out.append(Resource(TERRAFORM, kind, address + suffix, block.loc, properties))
        return out


class _Arguments:
    """A child module's variables, evaluated on demand in the caller's scope."""

    def __init__(self, caller: ModuleInstance, block, bindings: dict[str, Value]) -> None:
        self.caller = caller
        self.block = block
        self.bindings = bindings

    def __call__(self, name: str) -> Value | None:
        if name in _MODULE_META:
            return None
        attribute = self.block.attributes.get(name)
        if attribute is None:
            return None
        return with_key_loc(self.caller.evaluator(self.block.file, self.bindings).value(attribute.expression), attribute.loc)


class _NoContext:
    """The scope of a variable default, a tfvars file or a template file: no references to the module."""

    def __init__(self, module: ModuleInstance) -> None:
        self._module = module
        self.resource_types: set[str] = set()
        self.directory = module.directory
        self.loader = module.loader
        self.address = module.address
        self.files = module.files

    def _unknown(self, loc: Location, what: str) -> Value:
        return Value.unknown(loc, f"{what} cannot be referred to here")

    def variable(self, name, loc):
        return self._unknown(loc, f"var.{name}")

    def variable_source(self, name):
        return f"var.{name}"

    def local(self, name, loc):
        return self._unknown(loc, f"local.{name}")

    def path_value(self, name, loc):
        return self._module.path_value(name, loc)

    def data_source(self, kind, name, loc, described):
        return self._unknown(loc, described)

    def module_reference(self, name, steps, evaluator, loc):
        return self._unknown(loc, f"module.{name}")

    def resource_reference(self, kind, name, loc):
        return self._unknown(loc, f"{kind}.{name}")

    def declares(self, kind, name):
        return False

    def configured_attribute(self, ref, loc):
        return None

    def render_template_file(self, path, variables, loc):
        return self._module.render_template_file(path, variables, loc)


def _nullable(block) -> bool:
    """True when ``nullable = false``: a null argument then takes the default."""
    attribute = block.attributes.get("nullable")
    if attribute is None:
        return False
    from .syntax import string_text

    return string_text(attribute.expression).strip() == "false"


def _is_ancestor(module: ModuleInstance, directory: str) -> bool:
    target = os.path.realpath(directory)
    current: ModuleInstance | None = module
    while current is not None:
        if os.path.realpath(current.directory) == target:
            return True
        current = current.parent
    return False


__all__ = ["load_module", "module_files", "ModuleInstance"]
