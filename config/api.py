"""The project API (django-ninja) at /api/, OpenAPI documentation at /api/docs. Each app contributes a router."""

from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import ValidationError

from content.api import UnknownFilterValue
from content.api import router as content_router
from directory.api import router as directory_router
from directory.api_datainclusion import router as datainclusion_router
from partners.api import router as partners_router

api = NinjaAPI(
    title="API Conseiller numérique",
    version="1.0",
    description=(
        "API publique, en lecture seule et sans authentification, du dispositif Conseiller numérique : bibliothèque "
        "de ressources (recherche, filtres, facettes), thématiques et publics, lieux de médiation numérique en "
        "données ouvertes. Les contenus éditoriaux (pages, actualités, images, documents) sont servis par l'API "
        "Wagtail à /api/v2/. Les erreurs de paramètres répondent 422 avec un message en français."
    ),
    urls_namespace="api",
    docs_url="/docs",
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
    messages = {
        "literal_error": f"Valeur inconnue « {value} » pour « {field} ». Valeurs possibles : {expected}.",
        "int_parsing": f"« {field} » doit être un nombre entier.",
        "int_type": f"« {field} » doit être un nombre entier.",
        "greater_than_equal": f"« {field} » doit être supérieur ou égal à {ctx.get('ge')}.",
        "less_than_equal": f"« {field} » doit être inférieur ou égal à {ctx.get('le')}.",
        "string_too_long": f"« {field} » ne doit pas dépasser {ctx.get('max_length')} caractères.",
        "string_pattern_mismatch": f"« {field} » n'a pas le format attendu.",
        "missing": f"« {field} » est obligatoire.",
    }
    return messages.get(kind, error.get("msg", "Paramètre invalide."))


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    detail = [
        {"loc": list(error.get("loc", [])), "msg": _french_message(request, error), "type": error.get("type", "")}
        for error in exc.errors
    ]
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(UnknownFilterValue)
def unknown_filter_value(request, exc: UnknownFilterValue):
    detail = [{"loc": ["query", exc.param], "msg": str(exc), "type": "unknown_value"}]
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": "Introuvable."}, status=404)
