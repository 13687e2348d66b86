"""The calls log of /api/partenaires/: every call, accepted or refused (401, 403, 404, 422, 429, 500…), one row each.

A middleware rather than a hook of the API: a call refused before any view runs (no token, bad token, rate limit,
unknown path, bad parameter) must be logged too, with the status the partner finally received. It sits near the top
of MIDDLEWARE so that the status it records is the one sent (a 304 of the caching middleware included) and the
duration covers the whole handling. Logging costs one INSERT: the token's id and the prefix tried were left on the
request by partners.auth. The query string is stored without secrets (named ones, and any value shaped like a token
secret); the Authorization header is never read here.
"""

import time
from urllib.parse import unquote_plus

from common.client_address import client_ip
from partners import keys
from partners.services import api_call_record

PATH_PREFIX = "/api/partenaires/"
MASK = "[masqué]"
SECRET_PARAMETERS = {
    "access_token",
    "api_key",
    "apikey",
    "authorization",
    "bearer",
    "cle",
    "clé",
    "jeton",
    "key",
    "password",
    "secret",
    "token",
}


def safe_query_string(raw: str) -> str:
    """The query string as sent, with the values of secret parameters, and any value shaped like a token secret,
    replaced by a mask."""
    pieces = []
    for piece in raw.split("&"):
        name, separator, value = piece.partition("=")
        plain_name, plain_value = unquote_plus(name).strip().lower(), unquote_plus(value).strip()
        if (
            plain_name in SECRET_PARAMETERS
            or keys.looks_like_secret(plain_value)
            or keys.looks_like_secret(plain_name)
        ):
            piece = f"{name}={MASK}" if separator else MASK
        pieces.append(piece)
    return "&".join(pieces)


def safe_path(path: str) -> str:
    """The path with any segment shaped like a token secret masked (a secret pasted into the URL by mistake), and
    without the characters a database column refuses (NUL, other control characters, lone surrogates)."""
    printable = "".join(char if char.isprintable() else "\ufffd" for char in path)
    printable = printable.encode("utf-8", "replace").decode("utf-8")
    return "/".join(MASK if keys.looks_like_secret(segment) else segment for segment in printable.split("/"))


class PartnerAuditMiddleware:
    """Time each call under /api/partenaires/ and log it once the response is ready."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(PATH_PREFIX):
            return self.get_response(request)
        started = time.monotonic()
        response = self.get_response(request)
        if response.status_code == 401 and not response.has_header("WWW-Authenticate"):
            response["WWW-Authenticate"] = 'Bearer realm="api-partenaires"'
        retry_after = getattr(request, "partner_retry_after", None)
        if response.status_code == 429 and retry_after and not response.has_header("Retry-After"):
            response["Retry-After"] = str(int(retry_after))
        api_call_record(
            token_id=getattr(request, "partner_token_id", None),
            prefix=getattr(request, "partner_prefix", ""),
            method=request.method,
            path=safe_path(request.path),
            query_string=safe_query_string(request.META.get("QUERY_STRING", "")),
            status=response.status_code,
            duration_ms=round((time.monotonic() - started) * 1000),
            client_ip=client_ip(request),
        )
        return response
