"""Decide which files to scan: walk the given paths, skip what nobody wants scanned, sort by kind."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

SKIP_DIRS = {
    ".git", ".hg", ".svn", ".terraform", ".terragrunt-cache", "node_modules", ".venv", "venv", "__pycache__",
    ".tox", ".mypy_cache", ".pytest_cache", ".aws-sam", ".serverless", "vendor", ".iaclint_cache",
}
# Marks a cache directory, wherever it is and whoever wrote it (https://bford.info/cachedir/).
CACHEDIR_TAG = "CACHEDIR.TAG"
TEMPLATE_SUFFIXES = (".yaml", ".yml", ".json", ".template")
TERRAFORM_SUFFIXES = (".tf", ".tf.json")
TFVARS_SUFFIXES = (".tfvars", ".tfvars.json")
# Variable files Terraform reads by itself; any other .tfvars file counts only through -var-file.
AUTO_TFVARS = ("terraform.tfvars", "terraform.tfvars.json", ".auto.tfvars", ".auto.tfvars.json")
# CDK output: the templates are scanned; their bundled assets and bookkeeping files are not.
CDK_SKIP_FILES = {"manifest.json", "tree.json", "cdk.json", "package.json", "package-lock.json", "tsconfig.json"}


@dataclass
class Targets:
    templates: list[str] = field(default_factory=list)  # YAML/JSON files that may be templates or plans
    # module dir -> requested files (.tf, .tf.json and the variable files Terraform loads by itself)
    terraform: dict[str, list[str]] = field(default_factory=dict)
    # (module dir, variable file): a .tfvars file named on purpose that Terraform reads only when given
    # with -var-file; its module is evaluated with it, once per such file.
    terraform_var_files: list[tuple[str, str]] = field(default_factory=list)
    # What was named one by one (pre-commit) rather than found in a named directory: the modules that call
    # these module dirs, and the templates that nest these templates, are evaluated too.
    named_terraform_dirs: set[str] = field(default_factory=set)
    named_templates: set[str] = field(default_factory=set)
    missing: list[str] = field(default_factory=list)
    empty: list[str] = field(default_factory=list)  # directories named that hold nothing to scan
    unreadable: list[str] = field(default_factory=list)  # files named of a kind iaclint never reads (.md, .py)
    # (path, why): what a directory walk passed over on purpose (--show-files lists it).
    skipped: list[tuple[str, str]] = field(default_factory=list)

    @property
    def requested(self) -> set[str]:
        files = set(self.templates)
        for names in self.terraform.values():
            files.update(names)
        files.update(path for _, path in self.terraform_var_files)
        return files


def discover(paths: list[str]) -> Targets:
    targets = Targets()
    for given in paths:
        if os.path.isdir(given):
            before = len(targets.requested)
            for directory, subdirs, files in os.walk(given):
                kept = []
                for name in sorted(subdirs):
                    why = _skipped_dir(os.path.join(directory, name))
                    if why:
                        targets.skipped.append((os.path.normpath(os.path.join(directory, name)) + os.sep, why))
                    else:
                        kept.append(name)
                subdirs[:] = kept
                for name in sorted(files):
                    _add(targets, os.path.normpath(os.path.join(directory, name)), explicit=False)
            if len(targets.requested) == before:
                targets.empty.append(given)
        elif os.path.exists(given):
            if not _add(targets, os.path.normpath(given), explicit=True):
                targets.unreadable.append(given)
        else:
            targets.missing.append(given)
    return targets


def _skipped_dir(path: str) -> str | None:
    """Why a directory walk does not enter ``path``, or None."""
    name = os.path.basename(path)
    if name in SKIP_DIRS:
        return "skipped: a directory of dependencies, caches or version control"
    if name.startswith("asset."):  # `cdk.out/asset.<hash>`: bundled Lambda code and Docker contexts
        return "skipped: a CDK asset directory"
    if os.path.exists(os.path.join(path, CACHEDIR_TAG)):
        return f"skipped: a cache directory ({CACHEDIR_TAG})"
    return None


def _add(targets: Targets, path: str, *, explicit: bool) -> bool:
    """Sort ``path`` by kind; False when it is of no kind iaclint reads."""
    name = os.path.basename(path)
    directory = os.path.dirname(path) or "."
    if name.endswith(TFVARS_SUFFIXES) and not (name in AUTO_TFVARS or name.endswith(AUTO_TFVARS[2:])):
        if explicit and (directory, path) not in targets.terraform_var_files:
            targets.terraform_var_files.append((directory, path))
            targets.named_terraform_dirs.add(directory)
        elif not explicit:
            targets.skipped.append((path, "skipped: Terraform reads this variables file only when it is named "
                                          "(--var-file)"))
    elif name.endswith(TERRAFORM_SUFFIXES + TFVARS_SUFFIXES):
        files = targets.terraform.setdefault(directory, [])
        if path not in files:
            files.append(path)
        if explicit:
            targets.named_terraform_dirs.add(directory)
    elif name.lower().endswith(TEMPLATE_SUFFIXES):
        if not explicit and name in CDK_SKIP_FILES:
            targets.skipped.append((path, "skipped: a CDK or npm bookkeeping file"))
            return True
        if path not in targets.templates:
            targets.templates.append(path)
        if explicit:
            targets.named_templates.add(path)
    else:
        return False
    return True
