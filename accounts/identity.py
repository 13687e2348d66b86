"""The one normalisation of a login identifier, shared by the login backend and the lock-out counter."""

import unicodedata


def normalize_login(value: str | None) -> str:
    """The e-mail address as the login compares it: Unicode-normalised, trimmed, case-folded."""
    return unicodedata.normalize("NFKC", value or "").strip().lower()


def axes_username(request, credentials) -> str:
    """django-axes' AXES_USERNAME_CALLABLE: count failures against the same identity the login resolves."""
    if credentials:
        value = credentials.get("username") or credentials.get("email")
    else:
        data = getattr(request, "data", None) or getattr(request, "POST", {})
        value = data.get("username") or data.get("email")
    return normalize_login(value)
