"""The content cache: a unit's result kept on disk and used again only while everything it depends on is
unchanged.

An entry is found by a key made of iaclint's version and code, the versions of the parsers, the inputs and
rule settings, the unit and the working directory (findings name files as the command line did).  It lists
every file the unit read with a hash of its content, and the names in each directory it read from (a file
added beside them — a new ``.tf``, a ``terraform.tfvars`` — may change the result); it is used only when all
of them still match.

The parse of each Terraform file is kept too, under a hash of its text, so that a module judged again parses
only the files that changed.  Results are JSON and parsed files ``marshal`` data, so reading one runs nothing;
every entry is signed with a key kept in the user's own cache directory, so an entry planted in a repository
(or copied from another machine) is never trusted, and nothing is unmarshalled that this user did not write;
a corrupt, foreign or stale entry is ignored and rewritten.  Writes are atomic (a temporary file renamed into
place), so concurrent runs can share a cache; the oldest entries go when it outgrows its bound.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import hmac
import json
import os
import stat
import sys
import tempfile
from typing import Any

from .discover import CACHEDIR_TAG
from .findings import Finding, ScanError, ScanWarning, Suppression
from .options import ScanOptions
from .units import Judged, Unit, UnitResult
from .values import Location, Step

FORMAT = "1"
DEFAULT_DIRECTORY = ".iaclint_cache"
MAX_BYTES = 256 * 1024 * 1024
_GITIGNORE = "# Written by iaclint: a cache of scan results, safe to delete.\n*\n"
# The Cache Directory Tagging signature: backup tools and iaclint's own discovery skip the directory.
_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# A cache of iaclint's scan results, safe to delete.\n"


class Cache:
    """A cache directory, ready to use (see `open_cache`)."""

    def __init__(self, directory: str, signing_key: bytes) -> None:
        self.directory = directory
        self._signing_key = signing_key
        self._entries = os.path.join(directory, f"v{FORMAT}")
        self._code = _code_fingerprint()
        # Per run: a file or directory shared by units is read once, and one set of options encoded once.
        self._hashes: dict[str, str | None] = {}
        self._listings: dict[str, str | None] = {}
        self._encoded_options: dict[int, tuple[ScanOptions, str]] = {}
        # Whether this process wrote an entry: only then can the cache have outgrown its bound (workers write
        # parsed files only for units whose results this process then stores).
        self._wrote = False

    def load(self, unit: Unit, options: ScanOptions) -> UnitResult | None:
        """The unit's result when an entry for it is intact, signed by this user and still current."""
        body = self._read_signed(self._path(unit, options))
        if body is None:
            return None
        try:
            entry = json.loads(body)
            if entry["reads"] != {path: self._hash(path) for path in entry["reads"]}:
                return None
            if entry["listings"] != {path: self._listing(path) for path in entry["listings"]}:
                return None
            result = _decode(entry["result"])
        except (ValueError, KeyError, TypeError, AttributeError):
            return None
        return result if isinstance(result, UnitResult) and result.unit == unit else None

    def store(self, unit: Unit, options: ScanOptions, result: UnitResult) -> None:
        reads = {path: self._hash(path) for path in result.read}
        listings = {path: self._listing(path) for path in sorted({os.path.dirname(path) for path in result.read})}
        body = json.dumps({"reads": reads, "listings": listings,
                           "result": _encode(dataclasses.replace(result, models=[]))},
                          separators=(",", ":")).encode()
        self._write_signed(self._path(unit, options), body)

    def load_parsed(self, text: str, kind: str) -> bytes | None:
        """What `store_parsed` kept for this exact ``text`` and ``kind``, when the entry is intact and signed by
        this user."""
        return self._read_signed(self._parsed_path(text, kind))

    def store_parsed(self, text: str, data: bytes, kind: str) -> None:
        """Keep ``data``, what reading ``text`` gave (a file's tree, whoever reads it, or a grammar's tables),
        for later runs.  ``kind`` tells apart what different readers make of one text."""
        self._write_signed(self._parsed_path(text, kind), data)

    def prune(self, limit: int = MAX_BYTES) -> None:
        """Remove the least recently written entries until the cache is within ``limit`` bytes.  A run that
        wrote nothing (everything was current) leaves the cache as it is, without walking it."""
        if not self._wrote:
            return
        entries = []
        for folder, _, names in os.walk(self._entries):
            for name in names:
                try:
                    status = os.stat(os.path.join(folder, name))
                except OSError:
                    continue
                entries.append((status.st_mtime, status.st_size, os.path.join(folder, name)))
        total = sum(size for _, size, _ in entries)
        for _, size, path in sorted(entries):
            if total <= limit:
                break
            try:
                os.remove(path)
            except OSError:
                pass
            total -= size

    def _path(self, unit: Unit, options: ScanOptions) -> str:
        held = self._encoded_options.get(id(options))
        if held is None or held[0] is not options:
            held = self._encoded_options[id(options)] = (options, json.dumps(
                [self._code, os.getcwd(), _encode(options.inputs), _encode(options.settings)],
                sort_keys=True, default=repr))
        material = json.dumps([held[1], *(getattr(unit, field.name) for field in dataclasses.fields(unit))])
        key = hashlib.sha256(material.encode()).hexdigest()
        return os.path.join(self._entries, key[:2], key + ".json")

    def _parsed_path(self, text: str, kind: str) -> str:
        key = hashlib.sha256(f"{self._code}\0".encode() + text.encode("utf-8", "surrogatepass")).hexdigest()
        return os.path.join(self._entries, "parsed", kind, key[:2], key)

    def _read_signed(self, path: str) -> bytes | None:
        try:
            with open(path, "rb") as stream:
                signature, _, body = stream.read().partition(b"\n")
        except OSError:
            return None
        return body if hmac.compare_digest(signature, self._sign(body).encode("ascii")) else None

    def _write_signed(self, path: str, body: bytes) -> None:
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            _write_atomically(path, self._sign(body).encode("ascii") + b"\n" + body)
            self._wrote = True
        except OSError:
            pass  # a cache that cannot be written only costs time

    def _sign(self, body: bytes) -> str:
        return hmac.new(self._signing_key, body, hashlib.sha256).hexdigest()

    def _listing(self, directory: str) -> str | None:
        if directory not in self._listings:
            self._listings[directory] = _names_digest(directory)
        return self._listings[directory]

    def _hash(self, path: str) -> str | None:
        if path not in self._hashes:
            try:
                if not stat.S_ISREG(os.stat(path).st_mode):  # a pipe or device is never opened
                    self._hashes[path] = "not a regular file"
                    return self._hashes[path]
                with open(path, "rb") as stream:
                    self._hashes[path] = hashlib.file_digest(stream, "sha256").hexdigest() if hasattr(
                        hashlib, "file_digest") else hashlib.sha256(stream.read()).hexdigest()
            except OSError:
                self._hashes[path] = None
        return self._hashes[path]


def open_cache(directory: str) -> Cache | None:
    """The cache in ``directory`` (made, with a ``.gitignore`` of its own, when missing), or ``None`` when it
    cannot be used: its directory or the user's signing key cannot be written."""
    key = _signing_key()
    if key is None:
        return None
    try:
        os.makedirs(directory, exist_ok=True)
        for name, text in ((".gitignore", _GITIGNORE), (CACHEDIR_TAG, _TAG)):
            if not os.path.exists(os.path.join(directory, name)):
                _write_atomically(os.path.join(directory, name), text.encode())
    except OSError:
        return None
    return Cache(directory, key)


def default_directory(start: str = ".") -> str:
    """``.iaclint_cache`` (skipped by discovery) at the project's root: the top of the git checkout that holds ``start``, else
    ``start`` itself."""
    here = os.path.abspath(start)
    while True:
        if os.path.exists(os.path.join(here, ".git")):
            return os.path.join(here, DEFAULT_DIRECTORY)
        parent = os.path.dirname(here)
        if parent == here:
            return os.path.join(os.path.abspath(start), DEFAULT_DIRECTORY)
        here = parent


def _signing_key() -> bytes | None:
    home = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = os.path.join(home, "iaclint", "signing-key")
    try:
        with open(path, "rb") as stream:
            key = stream.read()
        if len(key) >= 32:
            return key
    except OSError:
        pass
    try:
        os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
        key = os.urandom(32).hex().encode()
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(key)
        return key
    except FileExistsError:  # another run made it meanwhile
        try:
            with open(path, "rb") as stream:
                return stream.read() or None
        except OSError:
            return None
    except OSError:
        return None


def _write_atomically(path: str, data: bytes) -> None:
    descriptor, temporary = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".tmp-")
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.remove(temporary)
        except OSError:
            pass
        raise


def _names_digest(directory: str) -> str | None:
    try:
        names = sorted(name for name in os.listdir(directory or ".") if name != DEFAULT_DIRECTORY)
    except OSError:
        return None
    return hashlib.sha256("\0".join(names).encode()).hexdigest()


def _code_fingerprint() -> str:
    """What iaclint's results depend on besides the input: its version, every file of its code and data
    (an edited checkout must not reuse old results), the parsers' versions and Python's."""
    import iaclint
    import iaclint.rules

    from .versions import installed_version

    state = [iaclint.__version__, sys.version]
    for distribution in ("python-hcl2", "lark", "PyYAML", "detect-secrets", "cfn-lint"):
        state.append(f"{distribution}={installed_version(distribution) or '-'}")
    for root in sorted({*iaclint.__path__, *iaclint.rules.__path__}):
        for folder, folders, names in os.walk(root):
            folders[:] = sorted(f for f in folders if f != "__pycache__")
            for name in sorted(names):
                if name.endswith((".py", ".json")):
                    status = os.stat(os.path.join(folder, name))
                    state.append(f"{os.path.join(folder, name)}:{status.st_size}:{status.st_mtime_ns}")
    return hashlib.sha256("\n".join(state).encode()).hexdigest()


# What an entry may hold: these classes and nothing else are made from it.
_TYPES = {cls.__name__: cls for cls in (Unit, UnitResult, Judged, Finding, Step, Location, ScanError, ScanWarning,
                                        Suppression)}


def _encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {"@": type(value).__name__,
                **{f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=repr) if isinstance(value, (set, frozenset)) else value
        return {"@": type(value).__name__, "items": [_encode(item) for item in items]}
    if isinstance(value, dict):
        return {"@": "dict", "items": [[_encode(k), _encode(v)] for k, v in value.items()]}
    if isinstance(value, datetime.date):
        return {"@": "date", "iso": value.isoformat()}
    return value


def _decode(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    kind = value["@"]
    if kind in ("list", "tuple", "set", "frozenset"):
        return {"list": list, "tuple": tuple, "set": set, "frozenset": frozenset}[kind](
            _decode(item) for item in value["items"])
    if kind == "dict":
        return {_decode(k): _decode(v) for k, v in value["items"]}
    if kind == "date":
        return datetime.date.fromisoformat(value["iso"])
    if kind == "Directive":
        from .suppress import Directive

        cls = Directive
    else:
        cls = _TYPES[kind]
    return cls(**{name: _decode(item) for name, item in value.items() if name != "@"})
