"""The project API's OpenAPI description: valid for a standard validator (OpenAPI 3.1), with the deployed server, the
error shape on every operation (401/403/429 only where authentication or a rate limit applies), caching and the
documentation page served locally in French."""

import pytest
from ninja import Router
from ninja.security import HttpBearer
from ninja.throttling import AnonRateThrottle
from openapi_spec_validator import OpenAPIV31SpecValidator, validate

from config.api import ERROR_SCHEMA, ProjectAPI

pytestmark = pytest.mark.django_db

LISTS = [
    "/api/ressources/",
    "/api/ressources/suppressions/",
    "/api/thematiques/",
    "/api/publics/",
    "/api/lieux-mediation-numerique/",
    "/api/lieux-mediation-numerique/suppressions/",
]


@pytest.fixture
def schema(client, settings):
    settings.SITE_URL = "https://conseiller-numerique.gouv.fr"
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    return response.json()


class TestOpenApiDescription:
    def test_a_standard_validator_accepts_it(self, schema):
        assert schema["openapi"].startswith("3.1")
        validate(schema, cls=OpenAPIV31SpecValidator)

    def test_it_names_the_deployed_server(self, schema):
        assert schema["servers"] == [
            {"url": "https://conseiller-numerique.gouv.fr", "description": "Plateforme Conseiller numérique"}
        ]

    def test_the_description_covers_what_a_partner_needs(self, schema):
        description = schema["info"]["description"]
        for topic in ("Authorization: Bearer", "Erreur", "next", "updated_since", "suppressions", "CORS", "ETag"):
            assert topic in description, topic
        assert "Licence Ouverte" in description

    def test_every_operation_documents_the_error_shape(self, schema):
        assert schema["components"]["schemas"]["Erreur"] == ERROR_SCHEMA
        operations = [(path, operation) for path, methods in schema["paths"].items() for operation in methods.values()]
        assert len(operations) >= 9
        for path, operation in operations:
            responses = operation["responses"]
            for status in ("400", "404", "500"):
                content = responses[status]["content"]["application/json"]["schema"]
                assert content == {"$ref": "#/components/schemas/Erreur"}, (operation["operationId"], status)
            assert "422" in responses, operation["operationId"]
            # The partner routes take a token and a rate limit; the public ones neither.
            guarded = path.startswith("/api/partenaires/")
            assert ({"401", "403", "429"} <= set(responses)) is guarded, operation["operationId"]
            assert bool({"401", "403", "429"} & set(responses)) is guarded, operation["operationId"]
            assert "304" in responses and "ETag" in responses["200"]["headers"]
            headers = {parameter["name"] for parameter in operation["parameters"] if parameter["in"] == "header"}
            assert {"If-None-Match", "If-Modified-Since"} <= headers

    def test_every_list_is_paginated_and_the_data_lists_take_updated_since(self, schema):
        for path in LISTS:
            operation = schema["paths"][path]["get"]
            names = {parameter["name"] for parameter in operation["parameters"]}
            assert {"limit", "offset"} <= names, path
            assert ("updated_since" in names) is (path not in ("/api/thematiques/", "/api/publics/")), path
            envelope = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].split("/")[-1]
            assert {"count", "limit", "offset", "next", "previous", "items"} <= set(
                schema["components"]["schemas"][envelope]["properties"]
            ), path

    def test_authenticated_and_throttled_routes_document_401_403_and_429(self, settings):
        class Token(HttpBearer):
            def authenticate(self, request, token):
                return token == "secret"

        router = Router()

        @router.get("/secret/", auth=Token(), throttle=AnonRateThrottle("10/m"))
        def secret(request):
            return {"ok": True}

        @router.get("/public/")
        def public(request):
            return {"ok": True}

        api = ProjectAPI(title="Essai", urls_namespace="essai-openapi")
        api.add_router("/", router)
        schema = api.get_openapi_schema(path_prefix="/essai/")
        validate(schema, cls=OpenAPIV31SpecValidator)
        guarded = schema["paths"]["/essai/secret/"]["get"]["responses"]
        assert {"401", "403", "429"} <= set(guarded)
        assert guarded["429"]["headers"]["Retry-After"]["schema"] == {"type": "integer"}
        assert not {"401", "403", "429"} & set(schema["paths"]["/essai/public/"]["get"]["responses"])


class TestDocsPage:
    def test_it_is_french_and_serves_swagger_ui_from_our_own_static_files(self, client):
        response = client.get("/api/docs")
        page = response.content.decode()
        assert response.status_code == 200 and '<html lang="fr">' in page
        assert "<title>Documentation de l'API — Conseiller numérique</title>" in page
        for asset in ("ninja/swagger-ui-bundle.js", "js/api-docs.js", "css/api-docs.css"):
            assert f"/static/{asset}" in page, asset
        assert "cdn." not in page and "unpkg" not in page
        assert '"deepLinking": false' in page and '"syntaxHighlight": false' in page
