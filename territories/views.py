"""JSON endpoints on territories, for autocompletes (forms, the public "find an advisor" page)."""

import re

from django.http import JsonResponse
from django.views.decorators.http import require_GET

from territories.selectors import DEFAULT_LIMIT, MAX_LIMIT, commune_label, search_communes

MIN_QUERY_LENGTH = 2
MAX_QUERY_LENGTH = 100
_LIMIT = re.compile(r"[0-9]{1,9}")


def _error(message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=400)


@require_GET
def commune_search(request):
    """GET /territoires/communes/?q=marseil[&limit=20]: communes by name or postal-code prefix, as JSON."""
    q = request.GET.get("q", "").strip()
    if len(q) < MIN_QUERY_LENGTH:
        return _error(f"Saisissez au moins {MIN_QUERY_LENGTH} caractères (nom de commune ou code postal).")
    if len(q) > MAX_QUERY_LENGTH:
        return _error(f"La recherche ne peut pas dépasser {MAX_QUERY_LENGTH} caractères.")
    if any(ord(char) < 32 for char in q):
        return _error("La recherche contient des caractères non autorisés.")
    raw_limit = request.GET.get("limit", "").strip()
    if raw_limit and (not _LIMIT.fullmatch(raw_limit) or int(raw_limit) < 1):
        return _error(f"Le paramètre « limit » doit être un nombre entier entre 1 et {MAX_LIMIT}.")
    limit = min(int(raw_limit), MAX_LIMIT) if raw_limit else DEFAULT_LIMIT
    postal_code = q if q.isascii() and q.isdigit() else ""
    results = [
        {
            "code": commune.code,
            "name": commune.name,
            "department": commune.department_id,
            "department_name": commune.department.name,
            "postal_codes": commune.postal_codes,
            "label": commune_label(commune, postal_code),
            "latitude": commune.latitude,
            "longitude": commune.longitude,
        }
        for commune in search_communes(q, limit)
    ]
    return JsonResponse({"results": results})
