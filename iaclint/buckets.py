"""What protects an S3 bucket, as rules read it: its public access settings (its own block and any
account-wide one) and whether it keeps old versions of its objects."""

from __future__ import annotations

from dataclasses import dataclass, field

from .model import Bucket, PublicAccessBlock
from .values import Value, conditions, is_enabled, is_true

SETTINGS = ("block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets")


@dataclass(slots=True)
class AccessGaps:
    """The public access settings that are not on for a bucket, spelled as written (``RestrictPublicBuckets``);
    ``blocked`` is False when no block applies to it at all.  ``written_off`` is the first of them written
    with a value that is not true (to point at: under a condition, the alternative that is not); ``unknown`` the first deciding value that is unknown."""

    blocked: bool = True
    missing: list[str] = field(default_factory=list)
    written_off: Value | None = None
    unknown: Value | None = None
    blocks: list[PublicAccessBlock] = field(default_factory=list)

    def problem(self) -> str:
        """What is wrong, to follow "which" or "S3 bucket" in a message ("" when nothing is known wrong)."""
        if not self.blocked:
            # Not "does not block": S3 blocks public access on buckets made since April 2023 unless told not to.
            return "has no public access block in the scanned files"
        if not self.missing:
            return ""
        when = conditions(self.written_off) if self.written_off is not None else ""
        return f"does not block all public access ({listed(self.missing)} not true){when}"

    def fix(self, bucket: Bucket) -> str:
        if not self.blocked:
            return f"add {bucket.names['access_block']} with all four settings true"
        return f"set {listed(self.missing)} to true"


def access_gaps(bucket: Bucket, account_blocks: list[PublicAccessBlock]) -> AccessGaps:
    """Each setting is on when the bucket's block or an account-wide block turns it on (S3 applies the most
    restrictive of the two).  A block that may be the bucket's (see `Bucket.maybe`) leaves unknown what the
    others do not turn on."""
    blocks = ([bucket.access_block] if bucket.access_block is not None else []) + list(account_blocks)
    maybe = _maybe_target(bucket, "access_block")
    gaps = AccessGaps(blocked=bool(blocks) or maybe is not None, blocks=blocks)
    if not gaps.blocked:
        return gaps
    for setting in SETTINGS:
        values = [getattr(block, setting) for block in blocks]
        states = [is_enabled(value) for value in values]
        if True in states:
            continue
        if None in states or maybe is not None:
            gaps.unknown = gaps.unknown or (values[states.index(None)] if None in states else maybe)
            continue
        gaps.missing.append(blocks[0].names[setting])
        # Pointed at only in the bucket's own block: an account-wide one is not the bucket's line.
        own = getattr(bucket.access_block, setting) if bucket.access_block is not None else None
        off = next((v for v in own.variants() if not is_true(v)), None) if own is not None else None
        gaps.written_off = gaps.written_off or off
    return gaps


def listed(names: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def keeps_versions(bucket: Bucket) -> bool | None:
    """Whether the bucket keeps overwritten and deleted objects: versioning enabled or object lock on (which
    turns versioning on).  ``None`` when that is unknown."""
    lock = is_enabled(bucket.object_lock)
    status = bucket.versioning.status if bucket.versioning is not None else None
    versioned = None if status is not None and any(v.is_unknown for v in status.variants()) else (
        status is not None and all(v.raw == "Enabled" or is_true(v) for v in status.variants()))
    if lock or versioned:
        return True
    if versioned is False and status is None and _maybe_target(bucket, "versioning") is not None:
        versioned = None  # a versioning whose bucket is not known may be this one's
    return None if lock is None or versioned is None else False


def undecided_value(bucket: Bucket) -> Value | None:
    """The unknown value that keeps `keeps_versions` from deciding, if any."""
    candidates = [bucket.object_lock, bucket.versioning.status if bucket.versioning is not None else None,
                  _maybe_target(bucket, "versioning")]
    return next((v for value in candidates if value is not None for v in value.variants() if v.is_unknown), None)


def _maybe_target(bucket: Bucket, attribute: str) -> Value | None:
    """The bucket reference, not known, of a block, versioning or ACL that may be ``bucket``'s."""
    item = bucket.maybe.get(attribute)
    return None if item is None else next(v for v in item.bucket.variants() if v.is_unknown)
