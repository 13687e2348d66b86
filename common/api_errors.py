"""The one JSON error shape of the project API (/api/), shared by its handlers, the error pages and its middleware.

`{"statut": 404, "code": "introuvable", "message": "…", "erreurs": [{"champ": "limit", "message": "…"}]}`:
`erreurs` lists the faulty parameters and is empty otherwise. Messages are French and never carry internals (no
exception text, no traceback). Error answers are `Cache-Control: no-store`: a shared cache must not keep a 404 or a
429 for everyone.
"""

import json

from django.http import HttpResponse

# Paths of the project API. Wagtail's API v2 (/api/v2/) keeps its own JSON errors ({"message": …}) where it
# answers; only the errors Django answers in its place (unknown path, server error) take this shape there.
API_PREFIX = "/api/"
WAGTAIL_API_PREFIX = "/api/v2/"
PARTNER_PREFIX = "/api/partenaires/"

DEFAULTS = {
    400: ("requete_invalide", "La requête est mal formée."),
    401: ("authentification_requise", "Authentification requise : envoyez un jeton valide (Authorization: Bearer …)."),
    403: ("acces_refuse", "Vous n'avez pas accès à cette ressource."),
    404: ("introuvable", "Introuvable."),
    405: ("methode_non_autorisee", "Méthode non autorisée sur cette adresse."),
    406: ("format_non_disponible", "Format de réponse non disponible."),
    413: ("requete_trop_grande", "La requête est trop volumineuse."),
    422: ("parametres_invalides", "Un ou plusieurs paramètres sont invalides."),
    429: ("trop_de_requetes", "Trop de requêtes : réessayez plus tard."),
    500: ("erreur_interne", "Erreur interne du serveur. L'équipe technique est prévenue ; réessayez plus tard."),
    503: ("service_indisponible", "Service momentanément indisponible : réessayez plus tard."),
}


class InvalidParameter(Exception):
    """A query parameter the route refuses after validation (unknown value, not offered here): the API answers 422
    with this French message, the parameter named in `erreurs`."""

    def __init__(self, param: str, message: str):
        self.param = param
        super().__init__(message)


def is_api_path(path: str) -> bool:
    return path.startswith(API_PREFIX)


def default_code(status: int) -> str:
    if status in DEFAULTS:
        return DEFAULTS[status][0]
    return "erreur_serveur" if status >= 500 else "erreur_requete"


def default_message(status: int) -> str:
    if status in DEFAULTS:
        return DEFAULTS[status][1]
    return DEFAULTS[500][1] if status >= 500 else DEFAULTS[400][1]


def error_body(status: int, *, code: str = "", message: str = "", erreurs=()) -> dict:
    return {
        "statut": status,
        "code": code or default_code(status),
        "message": message or default_message(status),
        "erreurs": [{"champ": str(champ), "message": str(text)} for champ, text in erreurs],
    }


def error_response(status: int, *, code: str = "", message: str = "", erreurs=()) -> HttpResponse:
    """The JSON error answer; `erreurs` is a sequence of (field, French message)."""
    body = error_body(status, code=code, message=message, erreurs=erreurs)
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type="application/json; charset=utf-8"
    )
    response["Cache-Control"] = "no-store"
    return response


def is_error_shape(response) -> bool:
    """Whether an error answer already speaks JSON (ours, or Wagtail's own under /api/v2/)."""
    return response.get("Content-Type", "").split(";", 1)[0].strip().lower() == "application/json"
