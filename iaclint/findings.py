"""What a scan produces: findings, errors, and the report that holds them."""

from __future__ import annotations

from dataclasses import dataclass, field

from .values import Location, Step

SEVERITIES = ("critical", "high", "medium", "low")
SEVERITY_RANK = {name: rank for rank, name in enumerate(reversed(SEVERITIES))}  # low=0 … critical=3


@dataclass(frozen=True, slots=True)
class Issue:
    """What a rule yields: where, what, and about which resource.  The engine adds the rule's identity.

    ``path`` is the property path of the offending value inside the resource (``SecurityGroupIngress[0].CidrIp``)
    so that baselines survive lines moving.  ``severity`` overrides the rule's default when the rule grades
    its findings (open-ingress: administrative ports are high, others medium).
    """

    loc: Location
    message: str
    resource: str = ""
    path: str = ""
    severity: str | None = None
    origin: tuple[Step, ...] = ()  # where the offending value was written and travelled (`Value.trace`)


@dataclass(frozen=True, slots=True)
class Undecided:
    """A check a rule could not decide because a value was unknown.  Never a finding; under ``--strict``
    the engine reports it as a low-severity note naming what blocked it."""

    loc: Location
    what: str  # "whether 0.0.0.0/0 reaches this rule"
    blocker: str  # "var.allowed_cidrs (no value)"
    resource: str = ""
    origin: tuple[Step, ...] = ()


@dataclass(frozen=True, slots=True)
class Suppression:
    """Why a finding is not reported: an inline comment or a CloudFormation ``Metadata`` entry.

    ``kind`` uses SARIF's vocabulary (``inSource``) so the SARIF renderer can copy it; ``source`` is
    ``file:line`` of the comment or Metadata entry; ``justification`` is the reason ("" when none given)."""

    kind: str
    justification: str
    source: str

    def to_dict(self) -> dict:
        return {"kind": self.kind, "justification": self.justification, "source": self.source}


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    slug: str
    severity: str
    message: str
    file: str
    line: int
    column: int
    end_line: int
    end_column: int
    framework: str
    resource: str
    path: str = ""
    suppression: Suppression | None = None  # set only on findings in `Report.suppressed`
    # Where the offending value was written and each place it travelled to reach (file, line): a parameter
    # default, a tfvars line, a module argument.  The finding belongs to each of these places too.
    origin: tuple[Step, ...] = ()
    # The security controls the rule checks: "FSBP IAM.2" (AWS Foundational Security Best Practices),
    # "CIS 1.15" (CIS AWS Foundations Benchmark v3.0).
    controls: tuple[str, ...] = ()

    @property
    def sort_key(self) -> tuple:
        return (self.file, self.line, self.column, self.code, self.resource, self.message)

    @property
    def origin_note(self) -> str:
        """The origin chain as a short tail for one-line output: ``" (the default of parameter AdminCidr,
        params.yaml:5)"``, or ``""`` when the value was written where it is used."""
        return f" ({'; '.join(str(step) for step in self.origin)})" if self.origin else ""

    @property
    def places(self) -> list[tuple[str, int]]:
        """(file, line) of the use site and of every step of the origin chain."""
        return [(self.file, self.line)] + [(step.loc.file, step.loc.line) for step in self.origin]

    def to_dict(self) -> dict:
        return {
            "code": self.code,
            "slug": self.slug,
            "severity": self.severity,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "framework": self.framework,
            "resource": self.resource,
            "path": self.path,
            "origin": [{"file": step.loc.file, "line": step.loc.line, "column": step.loc.column, "what": step.what}
                       for step in self.origin],
            "controls": list(self.controls),
        } | ({"suppression": self.suppression.to_dict()} if self.suppression else {})


@dataclass(frozen=True, slots=True)
class ScanError:
    """Something iaclint could not analyse: the file, the line where known, and why."""

    file: str
    message: str
    line: int | None = None
    column: int | None = None

    def to_dict(self) -> dict:
        return {"file": self.file, "line": self.line, "column": self.column, "message": self.message}

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        if self.line is not None and self.column is not None:
            where += f":{self.column}"
        return f"{where}: error: {self.message}"


class InputError(Exception):
    """Raised by a parser for malformed input; the engine turns it into a `ScanError`."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


@dataclass(frozen=True, slots=True)
class ScanWarning:
    """Something the user should fix that does not stop the scan (an expired, reasonless or unused
    suppression).  Warnings never change the exit status."""

    file: str
    line: int | None
    message: str

    def to_dict(self) -> dict:
        return {"file": self.file, "line": self.line, "message": self.message}

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: warning: {self.message}"


@dataclass(slots=True)
class Report:
    findings: list[Finding] = field(default_factory=list)  # reported: not suppressed, not in the baseline
    errors: list[ScanError] = field(default_factory=list)
    # Checks that could not be decided (unknown values), reported only under --strict; never fail a run.
    notes: list[Finding] = field(default_factory=list)
    files_scanned: int = 0
    warnings: list[ScanWarning] = field(default_factory=list)
    suppressed: list[Finding] = field(default_factory=list)  # each with `Finding.suppression` set
    baselined: list[Finding] = field(default_factory=list)  # matched an entry of --baseline
    baseline_stale: int = 0  # baseline entries that no longer occur (the file can be pruned)
    baseline_file: str | None = None  # the baseline compared with, as shown
    fail_on: str = "low"  # the least severity that makes the exit status 1
    # Only-new (--diff BASE): the revision compared with, and how many findings it already had (left out).
    compared_with: str | None = None
    existing: int = 0
    # --severity LEVEL: the least severity shown, and how many findings below it were left out (they do not
    # fail the run either).
    shown_from: str | None = None
    below_shown: int = 0
    # The path of each scanned unit (a template, a module directory, a variable file) -> the absolute paths
    # of every file it read: what a change must touch to change its findings.
    units: dict[str, set[str]] = field(default_factory=dict)
    # (path, how it was read or why it was skipped) for each YAML, JSON or Terraform file found (--show-files).
    files: list[tuple[str, str]] = field(default_factory=list)
    # When files are governed by configurations of different fail-on: the threshold of each finding's file.
    fail_on_by_file: dict[str, str] = field(default_factory=dict)

    def show_from(self, severity: str) -> None:
        """Leave out the findings below ``severity``, counting them."""
        shown = [f for f in self.findings if SEVERITY_RANK.get(f.severity, 0) >= SEVERITY_RANK[severity]]
        self.shown_from, self.below_shown = severity, len(self.findings) - len(shown)
        self.findings = shown

    @property
    def exit_code(self) -> int:
        """2 when something could not be analysed; 1 when a reported finding is at or above `fail_on`;
        else 0.  Suppressed and baselined findings, notes and warnings never count."""
        if self.errors:
            return 2
        return 1 if any(SEVERITY_RANK.get(f.severity, 0) >= SEVERITY_RANK.get(self.fail_on_by_file.get(f.file, self.fail_on), 0)
                        for f in self.findings) else 0
