"""iaclint: find security problems in CloudFormation and Terraform before they are deployed.

    >>> import iaclint
    >>> report = iaclint.scan(["templates/"])
    >>> for finding in report.findings: ...

Importing this package is cheap: the parsers load only when a file needs them.
"""

from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["scan", "ScanOptions", "__version__"]


def scan(paths=None, options=None):
    """Scan files and directories; see `iaclint.engine.scan`."""
    from .engine import scan as _scan

    return _scan(paths, options)


def __getattr__(name: str):
    if name == "ScanOptions":
        from .options import ScanOptions

        return ScanOptions
    raise AttributeError(name)
