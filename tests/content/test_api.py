"""Headless APIs: the project API (django-ninja, /api/) and Wagtail API v2 (/api/v2/). Nothing unpublished leaks."""

import pytest
from django.core.exceptions import ValidationError
from wagtail.documents import get_document_model

from content.models import ResourcePage
from tests.api_client import get
from tests.content.factories import DocumentFactory, resource

pytestmark = pytest.mark.django_db

V2_FIELDS = "resource_type,summary,thematiques,publics,tags,document,external_url"


class TestResourceAPI:
    def test_it_lists_the_seeded_resources_with_their_cards(self, seeded_site, db, client):
        data = get(client, "/api/ressources/?limit=50")
        assert data["count"] == 30 and len(data["items"]) == 30
        guide = next(item for item in data["items"] if item["slug"] == "guide-franceconnect")
        assert guide["resource_type"] == "guide" and guide["resource_type_label"] == "Guide"
        assert guide["thematiques"] == [{"slug": "demarches-en-ligne", "name": "Démarches administratives en ligne"}]
        assert guide["document"]["file_extension"] == "pdf" and guide["document"]["url"].startswith("/documents/")
        assert guide["url"] == "http://testserver/ressources/guide-franceconnect/"
        assert "franceconnect" in guide["tags"]

    def test_it_combines_a_thematique_filter_with_a_search(self, seeded_site, db, client):
        data = get(client, "/api/ressources/?q=arnaques&thematique=securite-numerique")
        assert data["count"] >= 1
        for item in data["items"]:
            assert "securite-numerique" in [thematique["slug"] for thematique in item["thematiques"]]
        slugs = [item["slug"] for item in data["items"]]
        assert "guide-arnaques-en-ligne" in slugs
        assert get(client, "/api/ressources/?q=arnaques&thematique=sante-en-ligne")["count"] == 0

    def test_it_filters_by_type_public_tag_and_several_thematiques(self, seeded_site, db, client):
        assert get(client, "/api/ressources/?type=video")["count"] == 3
        several = get(client, "/api/ressources/?thematique=intelligence-artificielle,parentalite-scolarite&limit=50")
        repeated = get(
            client, "/api/ressources/?thematique=intelligence-artificielle&thematique=parentalite-scolarite"
        )
        assert several["count"] == repeated["count"] == 4
        assert get(client, "/api/ressources/?public=elus&tag=recrutement")["count"] == 1

    def test_it_answers_unknown_values_with_a_clear_422(self, seeded_site, db, client):
        for url, message in [
            ("/api/ressources/?type=podcast", "Valeur inconnue « podcast » pour « type »"),
            ("/api/ressources/?thematique=astrologie", "Thématique inconnu(e) : « astrologie »"),
            ("/api/ressources/?public=martiens", "Public inconnu(e) : « martiens »"),
            ("/api/ressources/?limit=500", "« limit » doit être inférieur ou égal à 50"),
            ("/api/ressources/?offset=-1", "« offset » doit être supérieur ou égal à 0"),
            ("/api/ressources/?limit=abc", "« limit » doit être un nombre entier"),
            ("/api/ressources/facettes/?tag=inconnu", "Mot-clé inconnu(e)"),
        ]:
            data = get(client, url, status=422)
            assert data["statut"] == 422 and data["code"] == "parametres_invalides", (url, data)
            assert message in data["erreurs"][0]["message"] and message in data["message"], (url, data)

    def test_it_paginates_with_limit_and_offset(self, seeded_site, db, client):
        first = get(client, "/api/ressources/?limit=10")
        second = get(client, "/api/ressources/?limit=10&offset=10")
        assert first["count"] == 30 and len(first["items"]) == 10
        assert not {item["id"] for item in first["items"]} & {item["id"] for item in second["items"]}

    def test_it_counts_facets_under_the_other_filters(self, seeded_site, db, client):
        data = get(client, "/api/ressources/facettes/?type=guide")
        assert data["count"] == 9
        types = {facet["slug"]: facet for facet in data["types"]}
        assert types["guide"]["selected"] and types["fiche"]["count"] == 8
        assert sum(facet["count"] for facet in data["thematiques"]) >= 9

    def test_it_reads_one_resource_with_its_body_and_lists_taxonomies(self, seeded_site, db, client):
        resource_id = ResourcePage.objects.get(slug="guide-franceconnect").pk
        data = get(client, f"/api/ressources/{resource_id}/")
        assert data["body"][0]["type"] == "paragraph" and "<p>" in data["body"][0]["value"]
        assert len(get(client, "/api/thematiques/")["items"]) == 10
        assert {item["slug"] for item in get(client, "/api/publics/")["items"]} >= {"conseillers", "structures"}
        assert get(client, "/api/ressources/999999/", status=404) == {
            "statut": 404,
            "code": "introuvable",
            "message": "Introuvable.",
            "erreurs": [],
        }

    def test_it_publishes_an_openapi_description(self, seeded_site, db, client):
        schema = get(client, "/api/openapi.json")
        assert {"/api/ressources/", "/api/ressources/facettes/", "/api/lieux-mediation-numerique/"} <= set(
            schema["paths"]
        )
        docs = client.get("/api/docs")
        assert docs.status_code == 200 and b"/static/ninja/swagger-ui-bundle.js" in docs.content
        assert b"cdn.jsdelivr" not in docs.content


class TestWagtailAPIv2:
    def test_it_serves_resource_pages_with_the_requested_fields(self, seeded_site, db, client):
        data = get(client, f"/api/v2/pages/?type=content.ResourcePage&fields={V2_FIELDS}&limit=50")
        assert data["meta"]["total_count"] == 30
        item = next(item for item in data["items"] if item["meta"]["slug"] == "guide-arnaques-en-ligne")
        assert item["thematiques"] == [{"name": "Sécurité numérique", "slug": "securite-numerique"}]
        assert item["tags"] == ["arnaques", "atelier-collectif"]
        assert item["document"]["file_extension"] == "pdf"

    def test_it_filters_resources_by_thematique_with_a_search(self, seeded_site, db, client):
        data = get(client, "/api/v2/resources/?thematique=securite-numerique&search=arnaques")
        slugs = [item["meta"]["slug"] for item in data["items"]]
        assert "guide-arnaques-en-ligne" in slugs
        assert all("securite-numerique" in [t["slug"] for t in item["thematiques"]] for item in data["items"])
        error = get(client, "/api/v2/resources/?thematique=astrologie", status=400)
        assert "Thématique inconnu(e) : « astrologie »" in error["message"]
        for url in [
            "/api/v2/resources/?resource_type=podcast",
            "/api/v2/pages/?type=content.ResourcePage&resource_type=x",
        ]:
            assert "Valeur inconnue" in get(client, url, status=400)["message"], url
        assert get(client, "/api/v2/pages/?type=content.ResourcePage&resource_type=video")["meta"]["total_count"] == 3

    def test_it_serves_news_and_enforces_the_limit(self, seeded_site, db, client):
        news = get(client, "/api/v2/news/")
        assert news["meta"]["total_count"] == 5
        dates = [item["date"] for item in news["items"]]
        assert dates == sorted(dates, reverse=True) and "summary" in news["items"][0]
        assert "limit" in get(client, "/api/v2/pages/?limit=51", status=400)["message"]
        assert get(client, "/api/v2/pages/?type=content.Inconnu", status=400)["message"] == "type doesn't exist"


class TestNothingUnpublishedLeaks:
    def test_a_draft_edit_stays_invisible_until_published(self, seeded_site, db, client):
        page = ResourcePage.objects.get(slug="guide-franceconnect")
        page.title = "Titre en cours de relecture"
        page.save_revision()
        urls = [
            f"/api/v2/pages/{page.pk}/",
            f"/api/v2/resources/?search=relecture&fields={V2_FIELDS}",
            f"/api/ressources/{page.pk}/",
            "/api/ressources/?q=relecture",
            "/ressources/?q=relecture",
            "/ressources/guide-franceconnect/",
        ]
        for url in urls:
            assert "Titre en cours de relecture" not in client.get(url).content.decode(), url
        page.get_latest_revision().publish()
        assert get(client, f"/api/v2/pages/{page.pk}/")["title"] == "Titre en cours de relecture"
        assert get(client, f"/api/ressources/{page.pk}/")["title"] == "Titre en cours de relecture"

    def test_an_unpublished_or_never_published_resource_is_absent(self, library, client):
        draft = library["brouillon"]
        for url in [f"/api/v2/pages/{draft.pk}/", f"/api/ressources/{draft.pk}/"]:
            assert client.get(url).status_code == 404, url
        before = get(client, "/api/ressources/")["count"]
        library["pix"].unpublish()
        assert get(client, "/api/ressources/")["count"] == before - 1
        assert get(client, "/api/v2/pages/?type=content.ResourcePage")["meta"]["total_count"] == before - 1
        assert client.get(f"/api/ressources/{library['pix'].pk}/").status_code == 404

    def test_private_documents_never_appear(self, seeded_site, db, client):
        private = get_document_model().objects.get(collection__name="Documents internes")
        listing = get(client, "/api/v2/documents/?limit=50")
        assert private.pk not in [item["id"] for item in listing["items"]]
        assert client.get(f"/api/v2/documents/{private.pk}/").status_code == 404
        assert get(client, f"/api/v2/documents/?search={private.title}")["meta"]["total_count"] == 0
        # A resource whose document was moved to the private collection offers no link to it.
        page = ResourcePage.objects.get(slug="guide-franceconnect")
        ResourcePage.objects.filter(pk=page.pk).update(document=private)
        assert get(client, f"/api/ressources/{page.pk}/")["document"] is None
        v2 = get(client, f"/api/v2/pages/{page.pk}/")
        assert v2["document"] is None
        assert private.url not in client.get("/ressources/guide-franceconnect/").content.decode()
        assert client.get(private.url).status_code == 302

    def test_a_resource_cannot_point_to_a_private_document(self, tree):
        page = resource(tree["library"], title="Fiche", slug="fiche", document=DocumentFactory())
        page.document = DocumentFactory(private=True)
        with pytest.raises(ValidationError, match="collection privée"):
            page.full_clean()


class TestAPIQueryBudgets:
    """Listings stay O(1) in queries whatever their length (empty cache, seeded site)."""

    @pytest.mark.parametrize(
        ("url", "budget"),
        [
            (f"/api/v2/pages/?type=content.ResourcePage&fields={V2_FIELDS}&limit=20", 13),
            (f"/api/v2/pages/?type=content.ResourcePage&fields={V2_FIELDS}&limit=50", 13),
            ("/api/v2/resources/?thematique=securite-numerique&search=arnaques", 17),
            ("/api/v2/news/", 9),
            ("/api/v2/documents/?limit=50", 11),
            ("/api/ressources/?limit=20", 14),
            ("/api/ressources/?limit=50", 14),
            ("/api/ressources/?q=arnaques&thematique=securite-numerique", 15),
            ("/api/ressources/facettes/?q=arnaques", 12),
        ],
    )
    def test_it_keeps_each_endpoint_under_its_budget(
        self, seeded_site, db, client, url, budget, django_assert_max_num_queries
    ):
        with django_assert_max_num_queries(budget):
            response = client.get(url)
        assert response.status_code == 200
