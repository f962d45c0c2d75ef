"""iaclint: find security problems in CloudFormation and Terraform before they are deployed.

    >>> import iaclint
    >>> report = iaclint.scan(["templates/"])
    >>> for finding in report.findings: ...

Importing this package is cheap: the parsers load only when a file needs them.
"""

from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["scan", "ScanOptions", "Inputs", "FindingPolicy", "__version__"]


def scan(paths=None, options=None, *, per_file=None):
    """Scan files and directories; see `iaclint.engine.scan`."""
    from .engine import scan as _scan

    return _scan(paths, options, per_file=per_file)


def __getattr__(name: str):
    if name in ("ScanOptions", "Inputs", "FindingPolicy"):
        from . import options

        return getattr(options, name)
    raise AttributeError(name)
