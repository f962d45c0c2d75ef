"""Project configuration: ``[tool.iaclint]`` in ``pyproject.toml`` or the top level of ``.iaclint.toml``.

Each scanned file is governed by the nearest file above it, found by walking up (in each directory
``.iaclint.toml`` before ``pyproject.toml``; a ``pyproject.toml`` without a ``[tool.iaclint]`` table does not
count), stopping at the directory that holds ``.git`` or at the filesystem root, like ruff; ``--config FILE``
names one for every file instead.  Every value given on the command line replaces the file's (lists are
replaced, not merged).  Paths in the file (``exclude``, ``per-file-ignores``, ``var-files``, ``baseline``,
``account-baseline``) are relative to the file's directory.  ``account-baseline`` names the modules and
templates (or directories of them) that set up the account: there, a missing GuardDuty detector, Security
Hub, Access Analyzer, security contact, multi-region trail or password policy is a finding.  Unknown keys
and bad values are errors that name the key and the file.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import json
import os
import sys
from dataclasses import dataclass
from typing import Any, Callable

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

from .findings import SEVERITIES
from .options import ScanOptions

DEFAULT = "default"
COMMAND_LINE = "command line"
FILE_NAMES = (".iaclint.toml", "pyproject.toml")


class ConfigError(ValueError):
    """A configuration file that cannot be used; the message names the file and the key."""


@dataclass(frozen=True, slots=True)
class Setting:
    value: Any
    source: str  # DEFAULT, COMMAND_LINE, or the configuration file's path


# -- validation: each takes the raw TOML value and returns the normalised one or raises ValueError ------

def _strings(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError("must be a list of strings")
    return tuple(value)


def _rules(value: Any) -> tuple[str, ...]:
    names = _strings(value)
    for name in names:
        _known_rule(name)
    return names


def _known_rule(name: str) -> None:
    from .catalog import rule_codes

    rule_codes(name)  # raises ValueError saying what the name may be a typo of


def _severity(value: Any) -> str:
    if value not in SEVERITIES:
        raise ValueError(f"must be one of {', '.join(SEVERITIES)}, not {value!r}")
    return value


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"must be true or false, not {value!r}")
    return value


def _path(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"must be a path, not {value!r}")
    return value


def _severities(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        raise ValueError("must be a table of rule = severity (to show only findings at or above a severity, "
                         "use min-severity)")
    for name, severity in value.items():
        try:
            _known_rule(name)
            _severity(severity)
        except ValueError as exc:
            raise ValueError(f"{name!r}: {exc}") from None
    return dict(value)


def _per_file(value: Any) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, dict):
        raise ValueError("must be a table of glob = [rules]")
    result = {}
    for pattern, names in value.items():
        try:
            result[pattern] = _rules(names)
        except ValueError as exc:
            raise ValueError(f"{pattern!r}: {exc}") from None
    return result


KEYS: dict[str, tuple[Callable[[Any], Any], Any]] = {
    "select": (_rules, ()),
    "ignore": (_rules, ()),
    "exclude": (_strings, ()),
    "per-file-ignores": (_per_file, {}),
    "severity": (_severities, {}),
    "fail-on": (_severity, "low"),
    "min-severity": (_severity, "low"),
    "require-reason": (_boolean, False),
    "strict": (_boolean, False),
    "var-files": (_strings, ()),
    "baseline": (_path, ""),
    "account-baseline": (_strings, ()),
}


def declared_settings() -> dict[str, tuple[Callable[[Any], Any], Any]]:
    """The rule settings the rule areas declare, as configuration keys."""
    from .settings import declared

    return {name: (setting.check, setting.default) for name, setting in declared().items()}


def all_keys() -> dict[str, tuple[Callable[[Any], Any], Any]]:
    return {**KEYS, **declared_settings()}


# -- finding and reading the file ------------------------------------------------------------------------

def find(paths: list[str]) -> str | None:
    """The configuration file that governs ``paths``: the nearest one above their common directory."""
    absolute = [os.path.abspath(p) for p in paths or ["."]]
    try:
        start = os.path.commonpath(absolute)
    except ValueError:  # different drives
        start = absolute[0]
    return _nearest(start if os.path.isdir(start) else os.path.dirname(start), {})


def _nearest(directory: str, known: dict[str, str | None]) -> str | None:
    """The configuration file in ``directory`` or the nearest one above it; ``known`` holds the answers for
    directories already asked about, which the directories below them share."""
    if directory not in known:
        found = _file_in(directory)
        if found is None and not _is_top(directory):
            found = _nearest(os.path.dirname(directory), known)
        known[directory] = found
    return known[directory]


def _file_in(directory: str) -> str | None:
    """The configuration file in ``directory`` itself, if any."""
    for name in FILE_NAMES:
        candidate = os.path.join(directory, name)
        if os.path.isfile(candidate) and (name != "pyproject.toml" or _has_table(candidate)):
            return _display(candidate)
    return None


def _is_top(directory: str) -> bool:
    """Where the search for a configuration file stops: the repository's root (`.git` is a file in worktrees
    and submodules) or the file system's."""
    return os.path.exists(os.path.join(directory, ".git")) or os.path.dirname(directory) == directory


def _modified(path: str) -> int:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return 0  # load() says why it cannot be read


def _display(path: str) -> str:
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


def _has_table(pyproject: str) -> bool:
    try:
        return "iaclint" in _read_toml(pyproject).get("tool", {})
    except ConfigError:
        return True  # a broken pyproject.toml is reported when read, not skipped silently


def _read_toml(path: str) -> dict:
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise ConfigError(f"cannot read configuration {path}: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None


def load(path: str) -> dict[str, Any]:
    """The validated settings of one configuration file, paths resolved against its directory."""
    data = _read_toml(path)
    if os.path.basename(path) == "pyproject.toml":
        tool = data.get("tool")
        table = tool.get("iaclint") if isinstance(tool, dict) else None
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: no [tool.iaclint] table")
    else:
        table = data
    settings = {}
    for key, value in table.items():
        known = all_keys()
        if key not in known:
            import difflib

            guess = difflib.get_close_matches(key.replace("_", "-"), known, n=1, cutoff=0.7)
            hint = f"did you mean {guess[0]!r}? " if guess else ""
            raise ConfigError(f"{path}: unknown key {key!r} ({hint}known keys: {', '.join(known)})")
        check, _ = known[key]
        try:
            settings[key] = check(value)
        except ValueError as exc:
            raise ConfigError(f"{path}: {key!r} {exc}" if str(exc).startswith("must")
                              else f"{path}: {key!r}: {exc}") from None
    return settings


# -- the effective configuration ---------------------------------------------------------------------------

@functools.lru_cache(maxsize=256)
def _load_once(path: str, modified: int) -> dict[str, Any]:
    return load(path)


def resolve(paths: list[str], command_line: dict[str, Any], config_file: str | None = None
            ) -> tuple[str | None, dict[str, Setting]]:
    """(configuration file used, key → Setting): defaults < file < command line.  ``command_line`` holds
    only the keys given on the command line."""
    path = config_file if config_file is not None else find(paths)
    return path, settings(path, command_line)


def settings(path: str | None, command_line: dict[str, Any]) -> dict[str, Setting]:
    """key → Setting: defaults < the file at ``path`` (None: no file) < command line."""
    from_file = _load_once(path, _modified(path)) if path is not None else {}
    effective = {}
    for key, (_, default) in all_keys().items():
        if key in command_line:
            effective[key] = Setting(command_line[key], COMMAND_LINE)
        elif key in from_file:
            effective[key] = Setting(from_file[key], path)
        else:
            effective[key] = Setting(default, DEFAULT)
    return effective


def configure(options: ScanOptions, effective: dict[str, Setting], config_path: str | None) -> ScanOptions:
    """Fill ``options`` from the effective settings; relative paths from the file resolve against its
    directory, those from the command line against the current directory."""
    from .globs import anchored

    def base(key: str) -> str:
        source = effective[key].source
        return os.path.dirname(os.path.abspath(source)) if source not in (DEFAULT, COMMAND_LINE) else os.getcwd()

    value = {key: setting.value for key, setting in effective.items()}
    options.policy.select = tuple(value["select"])
    options.policy.ignore = tuple(value["ignore"])
    options.policy.exclude = tuple(anchored(base("exclude"), p) for p in value["exclude"])
    options.policy.per_file_ignores = tuple((anchored(base("per-file-ignores"), pattern), tuple(names))
                                     for pattern, names in value["per-file-ignores"].items())
    options.policy.severity = dict(value["severity"])
    options.policy.fail_on = value["fail-on"]
    options.policy.min_severity = value["min-severity"]
    for name in declared_settings():
        options.settings[name] = value[name]
    options.policy.require_reason = value["require-reason"]
    options.policy.strict = value["strict"]
    var_base = base("var-files")
    options.inputs.terraform_var_files = tuple(p if os.path.isabs(p) or effective["var-files"].source == COMMAND_LINE
                                        else os.path.join(var_base, p) for p in value["var-files"])
    options.inputs.account_baselines = tuple(os.path.abspath(os.path.join(base("account-baseline"), p))
                                             for p in value["account-baseline"])
    baseline = value["baseline"]
    options.policy.baseline = (os.path.join(base("baseline"), baseline)
                        if baseline and effective["baseline"].source not in (DEFAULT, COMMAND_LINE) else baseline or None)
    return options


class PerFile:
    """The configuration that governs each scanned path: the nearest configuration file above it (or the
    one ``--config`` names), each read once, with the command line's settings over it."""

    def __init__(self, base: ScanOptions, command_line: dict[str, Any], config_file: str | None = None) -> None:
        self.base = base
        self.command_line = command_line
        self.config_file = config_file
        self._governing: dict[str, str | None] = {}
        self._options: dict[str | None, ScanOptions] = {}

    def governing(self, path: str) -> str | None:
        """The configuration file that governs ``path`` (None: the defaults)."""
        if self.config_file is not None:
            return self.config_file
        directory = path if os.path.isdir(path) else (os.path.dirname(path) or ".")
        return _nearest(os.path.abspath(directory), self._governing)

    def options_for(self, path: str) -> tuple[str | None, ScanOptions]:
        """(governing file, the options for ``path``); raises ConfigError for a bad file."""
        governing = self.governing(path)
        if governing not in self._options:
            effective = settings(governing, self.command_line)
            self._options[governing] = configure(copy.deepcopy(self.base), effective, governing)
        return governing, self._options[governing]

    def in_tree(self, top: str, tree: str | None):
        """``options_for`` as it applies to a copy of the checkout ``top`` extracted in ``tree`` (another
        revision, for --diff): the files it names inside the checkout are read from the copy, and the
        configuration files found are the copy's.  ``tree`` None: this checkout."""
        if tree is None:
            return self.options_for

        def moved(path: str) -> str:
            relative = os.path.relpath(os.path.realpath(path), top)
            return path if relative.startswith(os.pardir) else os.path.join(tree, relative)

        base = dataclasses.replace(self.base, inputs=dataclasses.replace(
            self.base.inputs, terraform_var_files=tuple(map(moved, self.base.inputs.terraform_var_files)),
            cfn_parameter_files=tuple(map(moved, self.base.inputs.cfn_parameter_files))))
        command_line = {key: tuple(map(moved, value)) if key in ("var-files", "account-baseline") else value
                        for key, value in self.command_line.items()}
        return PerFile(base, command_line, moved(self.config_file) if self.config_file else None).options_for


def describe(config_path: str | None, effective: dict[str, Setting]) -> str:
    """What `iaclint config` prints: each key's effective value (TOML syntax) and where it came from."""
    lines = [f"# configuration file: {config_path or 'none found'}"]
    rendered = [(f"{key} = {_toml(setting.value)}", setting.source) for key, setting in effective.items()]
    width = max(len(text) for text, _ in rendered)
    lines += [f"{text:<{width}}  # {source}" for text, source in rendered]
    return "\n".join(lines) + "\n"


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k)} = {_toml(v)}" for k, v in value.items()) + "}"
    return json.dumps(value)
