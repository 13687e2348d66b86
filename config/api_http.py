"""HTTP behaviour of everything under /api/: one JSON error shape, caching headers and conditional requests, HEAD.

Design notes:
- One middleware, scoped by path, rather than decorators on each route: the partners' routes, Wagtail's API v2
  (/api/v2/) and Django's own answers (unknown path, 405, 400 for a malformed request, 500) get the same treatment
  without their authors doing anything.
- It sits just inside PageGZipMiddleware, so it sees (and hashes) the uncompressed body. The ETag is *weak*
  (`W/"…"`): gzip changes the bytes but not the meaning, and Django's GZipMiddleware would weaken a strong one anyway;
  a weak ETag is the same whether or not the answer was compressed, so the 304 logic (weak comparison, RFC 9110
  §13.1.2) works with and without gzip and the 304 carries the ETag a client holds.
- Public answers: `Cache-Control: public, max-age=300`, `Vary: Accept-Encoding, Origin` (CORS headers appear only
  when the request has an Origin). Partner answers (/api/partenaires/, bearer tokens): `private, max-age=0` with the
  ETag, so a partner revalidates every time and syncs cheaply, `Vary: Accept-Encoding, Authorization`. An answer that
  sets a cookie or varies on it is never public. Errors: `no-store`.
- A 304 still costs the query work of the page (the ETag hashes the body): it saves the transfer, which is what the
  partners' nightly syncs need. `Last-Modified`, when a route knows it (common.api_http.set_last_modified), lets
  If-Modified-Since answer 304 as well.
- HEAD is answered as GET without the body (django-ninja routes GET only).
"""

import hashlib
from urllib.parse import unquote_to_bytes

from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import parse_http_date_safe

from common.api_errors import (
    PARTNER_PREFIX,
    WAGTAIL_API_PREFIX,
    error_response,
    is_api_path,
    is_error_shape,
)

PUBLIC_MAX_AGE = 300
# Headers of an error that Django or ninja set and that the JSON answer keeps.
KEPT_ERROR_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")


def _utf8_query(request) -> bool:
    try:
        unquote_to_bytes(request.META.get("QUERY_STRING", "").replace("+", " ")).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _as_json_error(response):
    """An HTML or text error answered under /api/ (Django's 404/400/500 pages, ninja's 405) in the JSON shape."""
    if response.status_code < 400 or is_error_shape(response):
        return response
    message = ""
    if response.status_code == 405 and response.has_header("Allow"):
        message = f"Méthode non autorisée sur cette adresse. Méthodes acceptées : {response['Allow']}."
    converted = error_response(response.status_code, message=message)
    for header in KEPT_ERROR_HEADERS:
        if response.has_header(header):
            converted[header] = response[header]
    return converted


def _vary(response) -> set[str]:
    return {value.strip().lower() for value in response.get("Vary", "").split(",") if value.strip()}


def _cache_headers(request, response):
    """Cache-Control, Vary and ETag of a successful GET; answers 304 when the client's copy is current."""
    partner = request.path_info.startswith(PARTNER_PREFIX)
    patch_vary_headers(response, ("Accept-Encoding", "Authorization" if partner else "Origin"))
    if not response.has_header("Cache-Control"):
        personal = partner or bool(response.cookies) or "cookie" in _vary(response)
        response["Cache-Control"] = "private, max-age=0" if personal else f"public, max-age={PUBLIC_MAX_AGE}"
    if response.streaming:
        return response
    if not response.has_header("ETag"):
        response["ETag"] = f'W/"{hashlib.sha256(response.content).hexdigest()[:32]}"'
    last_modified = parse_http_date_safe(response["Last-Modified"]) if response.has_header("Last-Modified") else None
    return get_conditional_response(request, etag=response["ETag"], last_modified=last_modified, response=response)


class ApiHttpMiddleware:
    """JSON errors, caching headers, conditional GET and HEAD for every path under /api/."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_api_path(request.path_info):
            return self.get_response(request)
        wagtail = request.path_info.startswith(WAGTAIL_API_PREFIX)
        if not wagtail and not _utf8_query(request):
            # Django would silently turn the bytes into U+FFFD and search for them.
            return error_response(
                400,
                code="encodage_invalide",
                message="Les paramètres de l'adresse doivent être encodés en UTF-8.",
            )
        head = request.method == "HEAD" and not wagtail
        if head:
            request.method = "GET"
        try:
            response = self.get_response(request)
        finally:
            if head:
                request.method = "HEAD"
        response = _as_json_error(response)
        if response.status_code >= 400:
            response["Cache-Control"] = "no-store"
        elif request.method in ("GET", "HEAD") and response.status_code == 200:
            response = _cache_headers(request, response)
        if head and not response.streaming:
            length = len(response.content)
            response.content = b""
            response["Content-Length"] = str(length)
        return response
