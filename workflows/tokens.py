"""Signed, expiring links sent by e-mail (confirmation, withdrawal, erasure): no token is stored."""

from django.core import signing

CONFIRM_STRUCTURE = "confirm-structure"
CONFIRM_CANDIDATE = "confirm-candidate"
MANAGE_STRUCTURE = "manage-structure"
MANAGE_CANDIDATE = "manage-candidate"


def make_token(purpose: str, pk: int) -> str:
    return signing.TimestampSigner(salt=f"workflows.{purpose}").sign(str(pk))


def read_token(purpose: str, token: str, max_age: int) -> int | None:
    """The primary key the token was made for, or None when it is forged, altered or expired."""
    try:
        value = signing.TimestampSigner(salt=f"workflows.{purpose}").unsign(token, max_age=max_age)
    except signing.BadSignature:  # SignatureExpired is a BadSignature
        return None
    return int(value) if value.isdigit() else None
