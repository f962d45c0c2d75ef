"""Decide which files to scan: walk the given paths, skip what nobody wants scanned, sort by kind."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

SKIP_DIRS = {
    ".git", ".hg", ".svn", ".terraform", ".terragrunt-cache", "node_modules", ".venv", "venv", "__pycache__",
    ".tox", ".mypy_cache", ".pytest_cache", ".aws-sam", ".serverless", "vendor",
}
TEMPLATE_SUFFIXES = (".yaml", ".yml", ".json", ".template")
TERRAFORM_SUFFIXES = (".tf", ".tf.json")
# CDK output: the templates are scanned; their bundled assets and bookkeeping files are not.
CDK_SKIP_FILES = {"manifest.json", "tree.json", "cdk.json", "package.json", "package-lock.json", "tsconfig.json"}


@dataclass
class Targets:
    templates: list[str] = field(default_factory=list)  # YAML/JSON files that may be templates or plans
    terraform: dict[str, list[str]] = field(default_factory=dict)  # module dir -> requested .tf files
    missing: list[str] = field(default_factory=list)

    @property
    def requested(self) -> set[str]:
        files = set(self.templates)
        for names in self.terraform.values():
            files.update(names)
        return files


def discover(paths: list[str]) -> Targets:
    targets = Targets()
    for given in paths:
        if os.path.isdir(given):
            for directory, subdirs, files in os.walk(given):
                subdirs[:] = sorted(d for d in subdirs if not _skipped_dir(d))
                for name in sorted(files):
                    _add(targets, os.path.normpath(os.path.join(directory, name)), explicit=False)
        elif os.path.exists(given):
            _add(targets, os.path.normpath(given), explicit=True)
        else:
            targets.missing.append(given)
    return targets


def _skipped_dir(name: str) -> bool:
    # `cdk.out/asset.<hash>` folders hold bundled Lambda code and Docker contexts, not templates.
    return name in SKIP_DIRS or name.startswith("asset.")


def _add(targets: Targets, path: str, *, explicit: bool) -> None:
    name = os.path.basename(path)
    if name.endswith(TERRAFORM_SUFFIXES):
        directory = os.path.dirname(path) or "."
        files = targets.terraform.setdefault(directory, [])
        if path not in files:
            files.append(path)
    elif name.lower().endswith(TEMPLATE_SUFFIXES):
        if not explicit and name in CDK_SKIP_FILES:
            return
        if path not in targets.templates:
            targets.templates.append(path)
