"""Every rule code ever issued, with its slug.  A code is never reused, so suppressions and baselines keep
meaning what they meant; a retired rule stays here marked as such."""

CODES: dict[str, str] = {
    "IAC001": "hardcoded-secret",
    "IAC002": "secret-parameter-exposed",
    "IAC101": "user-inline-policy",
    "IAC102": "user-attached-policy",
    "IAC103": "user-without-mfa-enforcement",
    "IAC104": "user-access-key",
    "IAC201": "open-ingress",
    "IAC301": "trail-not-encrypted",
    "IAC302": "trail-log-validation-disabled",
    "IAC303": "trail-not-multi-region",
    "IAC401": "kms-key-rotation-disabled",
}
RETIRED: set[str] = set()
