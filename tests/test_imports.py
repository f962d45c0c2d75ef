"""The modules of iaclint import each other without circles (typing-only imports aside) and never import
another module's private names."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "iaclint"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> list[tuple[str, list[str]]]:
    """(imported module, names) of every import that runs: typing-only blocks are left out."""
    tree = ast.parse(path.read_text())
    package = _module_name(path) if path.name == "__init__.py" else _module_name(path).rsplit(".", 1)[0]
    typing_only = {id(child) for node in ast.walk(tree)
                   if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
                   for child in ast.walk(node)}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and id(node) not in typing_only:
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.append((module, [alias.name for alias in node.names]))
    return found


MODULES = {_module_name(path): path for path in PACKAGE.rglob("*.py")}


def _graph() -> dict[str, set[str]]:
    graph = {}
    for name, path in MODULES.items():
        targets = set()
        for module, names in _imports(path):
            for imported in names:
                candidate = f"{module}.{imported}"
                targets.add(candidate if candidate in MODULES else module)
        graph[name] = {target for target in targets if target in MODULES and target != name}
    return graph


def test_no_import_circles():
    graph = _graph()
    circles = set()

    def visit(start: str, node: str, path: tuple[str, ...]) -> None:
        for following in graph[node]:
            if following == start:
                circles.add(" -> ".join(path + (start,)))
            elif following not in path and following > start:  # each circle once, from its least module
                visit(start, following, path + (following,))

    for module in graph:
        visit(module, module, (module,))
    assert sorted(circles) == []


def test_no_private_names_imported_across_modules():
    private = [f"{name}: {module}.{imported}" for name, path in MODULES.items()
               for module, names in _imports(path) if module.startswith("iaclint")
               for imported in names if imported.startswith("_") and imported != "__version__"]
    assert private == []
