"""The project API as a partner sees it over HTTP: one JSON error shape (404, 405, 400, 422, 500 and the 401/403/429
that authentication and rate limits raise), CORS on public reads only, caching headers and 304 (with gzip), HEAD."""

import gzip
import json
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.utils import timezone
from django.utils.http import http_date
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, Throttled

from config.api import api
from config.api_http import _cache_headers
from content import selectors as content_selectors
from directory.models import Structure
from tests.directory.factories import PlaceAssignmentFactory

pytestmark = pytest.mark.django_db

ERROR_KEYS = {"statut", "code", "message", "erreurs"}


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = json.loads(response.content)
    assert set(body) == ERROR_KEYS, body
    assert body["statut"] == status and body["code"] == code and body["message"], body
    assert response["Cache-Control"] == "no-store"
    return body


@pytest.fixture
def place(db):
    return PlaceAssignmentFactory(place__name="Médiathèque", is_principal=True).place


class TestErrorShape:
    def test_an_unknown_path_under_api_answers_a_json_404(self, client):
        for path in ("/api/nimporte/", "/api/", "/api/ressources/12/inconnu/", "/api/v2/nimporte/"):
            body = assert_error(client.get(path), 404, "introuvable")
            assert body["erreurs"] == [] and "/api/docs" in body["message"], path

    def test_an_unknown_object_answers_a_json_404_without_internals(self, client):
        body = assert_error(client.get("/api/ressources/999999/"), 404, "introuvable")
        assert body["message"] == "Introuvable." and "ResourcePage" not in json.dumps(body)

    def test_a_page_outside_the_api_keeps_the_html_404(self, client):
        response = client.get("/nimporte-ou/")
        assert response.status_code == 404 and response["Content-Type"].startswith("text/html")

    def test_a_wrong_method_answers_a_json_405_with_allow(self, client):
        for method in ("post", "put", "delete", "patch"):
            response = getattr(client, method)("/api/thematiques/")
            body = assert_error(response, 405, "methode_non_autorisee")
            assert response["Allow"] == "GET" and "GET" in body["message"], method

    def test_bad_parameters_answer_a_422_naming_each_field_in_french(self, client):
        body = assert_error(client.get("/api/ressources/?limit=abc&offset=-3"), 422, "parametres_invalides")
        assert body["message"] == "Un ou plusieurs paramètres sont invalides."
        assert body["erreurs"] == [
            {"champ": "limit", "message": "« limit » doit être un nombre entier."},
            {"champ": "offset", "message": "« offset » doit être supérieur ou égal à 0."},
        ]
        single = assert_error(client.get("/api/ressources/?type=podcast"), 422, "parametres_invalides")
        assert single["message"] == single["erreurs"][0]["message"]
        assert single["message"].startswith("Valeur inconnue « podcast » pour « type »")

    def test_a_query_that_is_not_utf8_answers_400(self, client):
        body = assert_error(client.get("/api/ressources/", QUERY_STRING="q=%E9t%E9"), 400, "encodage_invalide")
        assert "UTF-8" in body["message"]

    def test_too_many_parameters_answer_a_json_400(self, client):
        query = "&".join(f"p{index}=1" for index in range(1100))
        assert_error(client.get(f"/api/thematiques/?{query}"), 400, "requete_invalide")

    def test_an_unexpected_failure_answers_a_json_500_that_says_nothing_of_it(self, monkeypatch):
        def fail(since):
            raise RuntimeError("secret de connexion postgres://cnum:motdepasse@db")

        monkeypatch.setattr(content_selectors, "resource_removals", fail)
        response = Client(raise_request_exception=False).get("/api/ressources/suppressions/")
        body = assert_error(response, 500, "erreur_interne")
        assert "motdepasse" not in response.content.decode() and body["erreurs"] == []

    def test_wagtail_api_keeps_its_own_json_errors(self, client):
        response = client.get("/api/v2/pages/?limit=abc")
        assert response.status_code == 400 and "message" in response.json()
        assert response["Cache-Control"] == "no-store"


class TestRaisedErrors:
    """What the partner routes raise (authentication, rights, rate limits), formatted by config/api.py."""

    def _answer(self, exc):
        return api.on_exception(RequestFactory().get("/api/partenaires/lieux/"), exc)

    def test_authentication_answers_401_with_a_bearer_challenge(self):
        response = self._answer(AuthenticationError())
        body = json.loads(response.content)
        assert (response.status_code, body["code"]) == (401, "authentification_requise")
        assert "Bearer" in body["message"] and response["WWW-Authenticate"] == 'Bearer realm="api-partenaires"'

    def test_refusals_answer_403_in_french(self):
        assert json.loads(self._answer(AuthorizationError()).content)["message"] == (
            "Vous n'avez pas accès à cette ressource."
        )
        body = json.loads(self._answer(PermissionDenied("Ce jeton ne couvre pas la région 93.")).content)
        assert (body["statut"], body["code"], body["message"]) == (
            403,
            "acces_refuse",
            "Ce jeton ne couvre pas la région 93.",
        )
        custom = self._answer(HttpError(403, "Droit « statistiques » manquant."))
        assert json.loads(custom.content)["message"] == "Droit « statistiques » manquant."

    def test_a_rate_limit_answers_429_with_retry_after(self):
        response = self._answer(Throttled(wait=12.2))
        body = json.loads(response.content)
        assert (response.status_code, body["code"]) == (429, "trop_de_requetes")
        assert response["Retry-After"] == "13" and "13 seconde(s)" in body["message"]
        assert self._answer(Throttled(wait=None)).status_code == 429


class TestCors:
    def test_a_public_read_is_open_to_any_origin_without_credentials(self, client):
        response = client.get("/api/thematiques/", HTTP_ORIGIN="https://carto.example.org")
        assert response["Access-Control-Allow-Origin"] == "*"
        assert "Access-Control-Allow-Credentials" not in response
        exposed = {header.strip().lower() for header in response["Access-Control-Expose-Headers"].split(",")}
        assert {"etag", "last-modified", "retry-after"} <= exposed

    def test_a_preflight_allows_reads_and_conditional_headers_only(self, client):
        response = client.options(
            "/api/lieux-mediation-numerique/",
            HTTP_ORIGIN="https://carto.example.org",
            HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
            HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match",
        )
        assert response.status_code == 200
        assert response["Access-Control-Allow-Origin"] == "*"
        assert set(response["Access-Control-Allow-Methods"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
        assert "if-none-match" in response["Access-Control-Allow-Headers"]
        assert int(response["Access-Control-Max-Age"]) == 86400

    def test_errors_carry_cors_too_so_that_a_browser_can_read_them(self, client):
        response = client.get("/api/ressources/?limit=0", HTTP_ORIGIN="https://carto.example.org")
        assert response.status_code == 422 and response["Access-Control-Allow-Origin"] == "*"

    def test_partner_routes_and_the_rest_of_the_site_send_no_cors(self, client):
        for path in ("/api/partenaires/lieux/", "/connexion/"):
            response = client.get(path, HTTP_ORIGIN="https://carto.example.org")
            assert "Access-Control-Allow-Origin" not in response, path
        preflight = client.options(
            "/api/partenaires/lieux/",
            HTTP_ORIGIN="https://carto.example.org",
            HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
            HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization",
        )
        assert "Access-Control-Allow-Origin" not in preflight


class TestCaching:
    def test_a_public_read_is_cacheable_with_a_weak_etag_and_vary(self, client):
        response = client.get("/api/thematiques/")
        assert response["Cache-Control"] == "public, max-age=300"
        assert response["ETag"].startswith('W/"')
        vary = {value.strip().lower() for value in response["Vary"].split(",")}
        assert {"accept-encoding", "origin"} <= vary and "cookie" not in vary

    def test_if_none_match_answers_304_without_a_body(self, client):
        first = client.get("/api/thematiques/")
        again = client.get("/api/thematiques/", HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304 and again.content == b""
        assert again["ETag"] == first["ETag"] and again["Cache-Control"] == "public, max-age=300"
        changed = client.get("/api/thematiques/", HTTP_IF_NONE_MATCH='W/"autre-version"')
        assert changed.status_code == 200 and changed.json()["count"] == 0

    def test_the_etag_changes_with_the_data(self, client, place):
        before = client.get("/api/lieux-mediation-numerique/")
        place.name = "Médiathèque Jules Verne"
        place.save()
        after = client.get("/api/lieux-mediation-numerique/", HTTP_IF_NONE_MATCH=before["ETag"])
        assert after.status_code == 200 and after["ETag"] != before["ETag"]
        assert after.json()["items"][0]["nom"] == "Médiathèque Jules Verne"

    def test_gzip_and_304_work_together(self, client, place):
        for _ in range(3):
            PlaceAssignmentFactory()
        compressed = client.get("/api/lieux-mediation-numerique/", HTTP_ACCEPT_ENCODING="gzip")
        assert compressed["Content-Encoding"] == "gzip"
        assert json.loads(gzip.decompress(compressed.content))["count"] == 4
        plain = client.get("/api/lieux-mediation-numerique/")
        assert not plain.has_header("Content-Encoding")
        # One weak ETag for both encodings: either copy revalidates, whichever encoding is asked this time.
        assert compressed["ETag"] == plain["ETag"] and compressed["ETag"].startswith('W/"')
        for etag, encoding in ((compressed["ETag"], "gzip"), (plain["ETag"], "identity")):
            again = client.get(
                "/api/lieux-mediation-numerique/", HTTP_IF_NONE_MATCH=etag, HTTP_ACCEPT_ENCODING=encoding
            )
            assert again.status_code == 304 and again.content == b""
            assert "accept-encoding" in again["Vary"].lower()

    def test_if_modified_since_answers_304_until_a_place_changes(self, client, place):
        first = client.get("/api/lieux-mediation-numerique/")
        last_modified = first["Last-Modified"]
        assert client.get("/api/lieux-mediation-numerique/", HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
        later = http_date(timezone.now().timestamp() + 3600)
        assert client.get("/api/lieux-mediation-numerique/", HTTP_IF_MODIFIED_SINCE=later).status_code == 304
        # The row shows the structure's name: its change makes the list newer (HTTP dates count whole seconds).
        Structure.objects.filter(pk=place.structure_id).update(
            name="Nouvelle structure", updated_at=timezone.now() + timedelta(seconds=2)
        )
        again = client.get("/api/lieux-mediation-numerique/", HTTP_IF_MODIFIED_SINCE=last_modified)
        assert again.status_code == 200 and again["Last-Modified"] != last_modified

    def test_a_partner_route_is_private_and_varies_on_authorization(self):
        request = RequestFactory().get("/api/partenaires/x/", HTTP_AUTHORIZATION="Bearer abc")
        answered = _cache_headers(request, api.create_response(request, {"ok": True}, status=200))
        assert answered["Cache-Control"] == "private, max-age=0" and answered["ETag"].startswith('W/"')
        assert "authorization" in answered["Vary"].lower()
        again = RequestFactory().get("/api/partenaires/x/", HTTP_IF_NONE_MATCH=answered["ETag"])
        fresh = api.create_response(again, {"ok": True}, status=200)
        assert _cache_headers(again, fresh).status_code == 304

    def test_errors_are_never_stored(self, client):
        assert client.get("/api/ressources/?limit=abc")["Cache-Control"] == "no-store"
        assert client.get("/api/nimporte/")["Cache-Control"] == "no-store"

    def test_head_answers_the_get_headers_without_a_body(self, client):
        get = client.get("/api/thematiques/")
        head = client.head("/api/thematiques/")
        assert head.status_code == 200 and head.content == b""
        assert head["ETag"] == get["ETag"] and head["Content-Length"] == str(len(get.content))
        assert client.head("/api/thematiques/", HTTP_IF_NONE_MATCH=get["ETag"]).status_code == 304
