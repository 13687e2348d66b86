"""The project API (django-ninja) at /api/, OpenAPI documentation at /api/docs. Each app contributes a router.

Design notes:
- Every error answers one JSON shape (common/api_errors.py): `{"statut", "code", "message", "erreurs"}`. The
  handlers below format what routes raise (ninja's ValidationError, HttpError and its subclasses for 401/403/429,
  Http404, PermissionDenied, common.api_errors.InvalidParameter); config/api_http.py turns what Django answers in
  their place (unknown path, 405, 400, 500) into the same shape. An unexpected exception is left to Django (logged,
  reported to Sentry), then answered as a JSON 500 that says nothing of it.
- The OpenAPI description is post-processed rather than each route declaring its errors: `Erreur` in
  components.schemas, and on every operation 400, 404, 422 (when it has parameters), 500, plus 401/403/429 where
  authentication or a rate limit applies; GETs also document 304 and their caching headers. The partners' routes get
  all of it by being registered here.
- `servers` comes from SITE_URL at request time (the deployed site's public address).
"""

import math

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from common.api_errors import DEFAULTS, InvalidParameter, error_body
from content.api import router as content_router
from directory.api import router as directory_router
from directory.api_datainclusion import router as datainclusion_router
from partners.api import router as partners_router

DESCRIPTION = """API publique du dispositif Conseiller numérique : bibliothèque de ressources (recherche, filtres,
facettes), thématiques et publics, lieux de médiation numérique en données ouvertes. Les contenus éditoriaux (pages,
actualités, images, documents) sont servis par l'API Wagtail à `/api/v2/`.

**Authentification.** Les routes publiques se lisent sans authentification. Les routes réservées aux partenaires
(`/api/partenaires/…`) demandent un jeton : en-tête `Authorization: Bearer <jeton>` ; les jetons sont délivrés et
révoqués par l'équipe nationale, chacun avec un périmètre territorial et des droits, et un quota de requêtes.

**Erreurs.** Toute erreur répond en JSON, toujours sous la même forme (schéma `Erreur`) :
`{"statut": 422, "code": "parametres_invalides", "message": "…", "erreurs": [{"champ": "limit", "message": "…"}]}`.
`erreurs` détaille les paramètres refusés (vide sinon) ; les messages sont en français. Une réponse 429 porte
l'en-tête `Retry-After` (en secondes).

**Pagination.** Chaque liste accepte `limit` et `offset` et répond
`{"count", "limit", "offset", "next", "previous", "items"}` ; `next` et `previous` sont des adresses complètes, ou
`null` en bout de liste.

**Suivi des modifications.** `updated_since` (date et heure ISO 8601, par exemple `2026-12-01T00:00:00+01:00` ; sans
fuseau, l'heure de Paris) ne garde que les éléments modifiés depuis, triés du plus ancien au plus récent (date de
modification puis identifiant) : un partenaire se synchronise en repartant de la dernière date reçue. Les éléments
sortis de la publication (supprimés, dépubliés, rendus privés…) sont listés par la route `…/suppressions/` voisine.

**CORS.** Les routes publiques en lecture (GET, HEAD) sont ouvertes à toutes les origines, sans cookies ; les routes
partenaires n'envoient pas d'en-têtes CORS (les jetons sont faits pour des serveurs).

**Cache.** Les réponses publiques portent `Cache-Control: public, max-age=300`, un `ETag` et, quand il est connu,
`Last-Modified` ; renvoyez-les dans `If-None-Match` / `If-Modified-Since` : une donnée inchangée répond `304` sans
corps. Les réponses partenaires sont `private, max-age=0` avec `ETag`. Les erreurs ne sont jamais mises en cache.

**Licence.** Les données sont publiées sous Licence Ouverte / Open Licence 2.0 (Etalab) : réutilisation libre, en
citant la source « Conseiller numérique »."""

ERROR_STATUSES = {
    "400": "Requête mal formée (paramètres non encodés en UTF-8, trop de paramètres…).",
    "401": "Authentification requise ou jeton invalide.",
    "403": "Le jeton n'a pas accès à cette donnée ou à ce territoire.",
    "404": "Introuvable.",
    "422": "Paramètres invalides : le détail est dans `erreurs`.",
    "429": "Trop de requêtes : réessayez après le délai de l'en-tête `Retry-After`.",
    "500": "Erreur interne du serveur.",
}
ERROR_SCHEMA = {
    "title": "Erreur",
    "type": "object",
    "required": ["statut", "code", "message", "erreurs"],
    "properties": {
        "statut": {"type": "integer", "description": "Code HTTP de la réponse", "examples": [422]},
        "code": {
            "type": "string",
            "description": "Code stable de l'erreur, en snake_case",
            "examples": [DEFAULTS[422][0]],
        },
        "message": {"type": "string", "description": "Message en français, lisible par une personne"},
        "erreurs": {
            "type": "array",
            "description": "Paramètres refusés (vide quand l'erreur ne porte pas sur un paramètre)",
            "items": {
                "type": "object",
                "required": ["champ", "message"],
                "properties": {
                    "champ": {"type": "string", "description": "Nom du paramètre", "examples": ["limit"]},
                    "message": {"type": "string", "description": "Ce qui ne va pas, en français"},
                },
            },
        },
    },
}
CACHE_HEADERS = {
    "ETag": {"description": "Version de la réponse, à renvoyer dans If-None-Match", "schema": {"type": "string"}},
    "Cache-Control": {
        "description": "public, max-age=300 (partenaires : private, max-age=0)",
        "schema": {"type": "string"},
    },
}
NOT_MODIFIED = "Non modifié depuis la version indiquée (If-None-Match, If-Modified-Since) : pas de corps."
CONDITIONAL_PARAMETERS = [
    {
        "name": "If-None-Match",
        "in": "header",
        "required": False,
        "description": "ETag d'une réponse précédente : 304 sans corps si rien n'a changé",
        "schema": {"type": "string"},
    },
    {
        "name": "If-Modified-Since",
        "in": "header",
        "required": False,
        "description": "Date HTTP : 304 sans corps si rien n'a changé depuis (routes qui envoient Last-Modified)",
        "schema": {"type": "string"},
    },
]


class ProjectAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI description documents the error shape, caching and the deployed server."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema["servers"] = [{"url": settings.SITE_URL, "description": "Plateforme Conseiller numérique"}]
        schema.setdefault("components", {}).setdefault("schemas", {})["Erreur"] = ERROR_SCHEMA
        guarded = self._guarded_operation_ids()
        for operations in schema["paths"].values():
            for method, operation in operations.items():
                _document_operation(method, operation, guarded=operation["operationId"] in guarded)
        return schema

    def _guarded_operation_ids(self) -> set[str]:
        """Operations behind authentication or a rate limit (they may answer 401, 403, 429)."""
        found = set()
        for bound_router in self._get_bound_routers():
            for path_view in bound_router.path_operations.values():
                for operation in path_view.operations:
                    if operation.auth_callbacks or operation.throttle_objects:
                        found.add(operation.operation_id or self.get_openapi_operation_id(operation))
        return found


def _error_response(description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Erreur"}}},
    }


def _document_operation(method: str, operation: dict, *, guarded: bool) -> None:
    responses = {str(status): value for status, value in operation.get("responses", {}).items()}
    statuses = ["400", "404", "500"]
    if operation.get("parameters") or operation.get("requestBody"):
        statuses.append("422")
    if guarded or operation.get("security"):
        statuses += ["401", "403", "429"]
    for status in sorted(statuses):
        responses.setdefault(status, _error_response(ERROR_STATUSES[status]))
    if "429" in responses:
        responses["429"].setdefault("headers", {})["Retry-After"] = {
            "description": "Secondes à attendre avant de réessayer",
            "schema": {"type": "integer"},
        }
    if method == "get":
        if "200" in responses:
            responses["200"].setdefault("headers", {}).update(CACHE_HEADERS)
        responses.setdefault("304", {"description": NOT_MODIFIED})
        known = {(parameter["in"], parameter["name"].lower()) for parameter in operation.get("parameters", [])}
        operation["parameters"] = [
            *operation.get("parameters", []),
            *(p for p in CONDITIONAL_PARAMETERS if ("header", p["name"].lower()) not in known),
        ]
    operation["responses"] = responses


api = ProjectAPI(
    title="API Conseiller numérique",
    version="1.0",
    description=DESCRIPTION,
    urls_namespace="api",
    docs_url="/docs",
    # Swagger UI served from ninja's static files (no CDN), in a project template (site/templates/ninja/swagger.html).
    docs=Swagger(
        settings={
            # A deep link makes each operation's path an <a> inside its expand <button> (nested controls).
            "deepLinking": False,
            "defaultModelsExpandDepth": -1,
            "docExpansion": "list",
            "displayRequestDuration": True,
            # The highlighter's palettes fail contrast (4.5:1) on their dark background; plain text passes.
            "syntaxHighlight": False,
        }
    ),
)
api.add_router("/", content_router)
api.add_router("/", directory_router)
api.add_router("/", datainclusion_router)
api.add_router("/partenaires/", partners_router)


def _field(error: dict) -> str:
    return str(error.get("loc", ["", "?"])[-1])


def _french_message(request, error: dict) -> str:
    """Pydantic's English messages in French, for the errors our parameters can raise."""
    field, ctx, kind = _field(error), error.get("ctx") or {}, error.get("type", "")
    # Ninja drops the offending input from the error: read it back from the query string.
    values = request.GET.getlist(field)
    value = ", ".join(values) if values else ""
    expected = str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", ")
    datetime_hint = f"« {field} » doit être une date et heure ISO 8601, par exemple 2026-12-01T00:00:00+01:00."
    messages = {
        "literal_error": f"Valeur inconnue « {value} » pour « {field} ». Valeurs possibles : {expected}.",
        "int_parsing": f"« {field} » doit être un nombre entier.",
        "int_type": f"« {field} » doit être un nombre entier.",
        "int_from_float": f"« {field} » doit être un nombre entier.",
        "float_parsing": f"« {field} » doit être un nombre.",
        "bool_parsing": f"« {field} » doit valoir true ou false.",
        "greater_than_equal": f"« {field} » doit être supérieur ou égal à {ctx.get('ge')}.",
        "less_than_equal": f"« {field} » doit être inférieur ou égal à {ctx.get('le')}.",
        "greater_than": f"« {field} » doit être supérieur à {ctx.get('gt')}.",
        "less_than": f"« {field} » doit être inférieur à {ctx.get('lt')}.",
        "string_too_long": f"« {field} » ne doit pas dépasser {ctx.get('max_length')} caractères.",
        "string_too_short": f"« {field} » doit compter au moins {ctx.get('min_length')} caractère(s).",
        "string_pattern_mismatch": f"« {field} » n'a pas le format attendu.",
        "string_type": f"« {field} » doit être un texte.",
        "datetime_parsing": datetime_hint,
        "datetime_from_date_parsing": datetime_hint,
        "datetime_type": datetime_hint,
        "date_parsing": f"« {field} » doit être une date AAAA-MM-JJ.",
        "date_from_datetime_parsing": f"« {field} » doit être une date AAAA-MM-JJ.",
        "missing": f"« {field} » est obligatoire.",
    }
    if kind == "value_error":
        # Our own validators raise ValueError with a French sentence; pydantic prefixes it with "Value error, ".
        return str(ctx.get("error") or error.get("msg", "")).removeprefix("Value error, ") or messages["missing"]
    return messages.get(kind, f"« {field} » n'est pas valide.")


def _error(request, status: int, *, code: str = "", message: str = "", erreurs=()):
    return api.create_response(request, error_body(status, code=code, message=message, erreurs=erreurs), status=status)


def _invalid(request, erreurs: list[tuple[str, str]]):
    """422; with one faulty parameter its message is also the answer's message."""
    return _error(request, 422, message=erreurs[0][1] if len(erreurs) == 1 else "", erreurs=erreurs)


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    return _invalid(request, [(_field(error), _french_message(request, error)) for error in exc.errors])


@api.exception_handler(InvalidParameter)
def invalid_parameter(request, exc: InvalidParameter):
    return _invalid(request, [(exc.param, str(exc))])


@api.exception_handler(Http404)
def not_found(request, exc):
    # Never the exception's text: get_object_or_404 writes English and names our models.
    return _error(request, 404)


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc):
    return _error(request, 403, message=str(exc))


# ninja's own English defaults ("Unauthorized", "Forbidden", "Too many requests.") give way to the French ones.
NINJA_DEFAULT_MESSAGES = {"Unauthorized", "Forbidden", "Too many requests.", "Not Found"}


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    message = "" if str(exc) in NINJA_DEFAULT_MESSAGES else str(exc)
    retry_after = None
    if isinstance(exc, Throttled) and exc.wait is not None:
        retry_after = max(1, math.ceil(exc.wait))
        message = message or f"Trop de requêtes : réessayez dans {retry_after} seconde(s)."
    response = _error(request, exc.status_code, message=message)
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    if isinstance(exc, AuthenticationError):
        response["WWW-Authenticate"] = 'Bearer realm="api-partenaires"'
    return response
