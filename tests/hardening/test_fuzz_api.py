"""Hostile query parameters on every API endpoint: the project API (django-ninja) answers 200 or a 422 in the API's
error shape whose messages are French; Wagtail's API v2 answers 200, 400 with a message, or 404. Never a 500."""

import re
from urllib.parse import quote_from_bytes

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.hardening.fuzz import get_query, hostile_text, maybe

pytestmark = pytest.mark.django_db

# Pydantic's English phrasing, which config/api.py must never let through.
ENGLISH = re.compile(r"Input should|String should|should be|Field required|Value error|is not a valid", re.IGNORECASE)


def assert_ninja(response):
    assert response.status_code in (200, 400, 422), response.status_code
    if response.status_code != 200:
        body = response.json()
        assert body["statut"] == response.status_code and body["code"] and body["message"]
        messages = [body["message"], *(error["message"] for error in body["erreurs"])]
        if response.status_code == 422:
            assert body["erreurs"] and all(error["champ"] and error["message"] for error in body["erreurs"])
        english = [message for message in messages if ENGLISH.search(message)]
        assert not english, f"messages left in English: {english}"


def ninja_params():
    return st.fixed_dictionaries(
        {},
        optional={
            "q": hostile_text(300),
            "type": maybe("guide"),
            "thematique": st.one_of(st.lists(maybe("securite-numerique"), max_size=3), hostile_text()),
            "public": hostile_text(150),
            "tag": hostile_text(150),
            "limit": maybe("10"),
            "offset": maybe("0"),
            "updated_since": maybe("2026-12-01T00:00:00+01:00"),
            "unknown": hostile_text(),
        },
    )


class TestProjectApi:
    @given(params=ninja_params())
    def test_the_resource_search_answers_200_or_a_french_422(self, world, client, params):
        assert_ninja(get_query(client, "/api/ressources/", params))

    @given(params=ninja_params())
    def test_the_facets_answer_200_or_a_french_422(self, world, client, params):
        assert_ninja(get_query(client, "/api/ressources/facettes/", params))

    @given(resource_id=st.one_of(hostile_text(), st.integers().map(str)))
    def test_a_resource_id_is_found_missing_or_refused(self, world, client, resource_id):
        raw = resource_id.replace("/", "") or "x"
        response = client.get(f"/api/ressources/{quote_from_bytes(raw.encode('utf-8', 'surrogatepass'), safe='')}/")
        assert response.status_code in (200, 404, 422), response.status_code
        if response.status_code == 422:
            assert_ninja(response)

    @given(
        departement=maybe("75"),
        commune=maybe("75111"),
        path=st.sampled_from(["/api/lieux-mediation-numerique/", "/api/lieux-mediation-numerique.csv"]),
    )
    def test_the_open_data_filters_answer_200_or_a_french_422(self, world, client, departement, commune, path):
        assert_ninja(get_query(client, path, {"departement": departement, "commune": commune}))

    @given(
        params=st.fixed_dictionaries(
            {},
            optional={
                "updated_since": maybe("2026-12-01T00:00:00"),
                "apres_id": maybe("3"),
                "limit": maybe("500"),
                "offset": maybe("0"),
                "departement": maybe("75"),
            },
        ),
        path=st.sampled_from(
            [
                "/api/lieux-mediation-numerique/",
                "/api/lieux-mediation-numerique/suppressions/",
                "/api/ressources/suppressions/",
            ]
        ),
    )
    def test_the_change_feeds_answer_200_or_a_french_422(self, world, client, params, path):
        assert_ninja(get_query(client, path, params))

    @given(
        params=st.dictionaries(
            hostile_text(20).filter(lambda key: key not in ("limit", "offset", "updated_since")),
            hostile_text(),
            max_size=3,
        )
    )
    def test_the_taxonomies_ignore_stray_parameters(self, world, client, params):
        for path in ("/api/thematiques/", "/api/publics/"):
            response = get_query(client, path, params)
            # 400: a surrogate in a value is sent as bytes that are not UTF-8.
            assert response.status_code in (200, 400), response.status_code
            assert_ninja(response)


def wagtail_params():
    return st.fixed_dictionaries(
        {},
        optional={
            "limit": maybe("10"),
            "offset": maybe("0"),
            "order": st.one_of(
                st.sampled_from(["title", "-title", "random", "id", "-first_published_at"]), hostile_text()
            ),
            "search": hostile_text(200),
            "search_operator": maybe("and"),
            "fields": st.one_of(
                st.sampled_from(["*", "-title", "_,title", "title,body", "body(foo)"]), hostile_text()
            ),
            "type": st.one_of(
                st.sampled_from(["content.ResourcePage", "content.NewsPage", "wagtailcore.Page", "auth.User"]),
                hostile_text(),
            ),
            "child_of": maybe("3"),
            "descendant_of": maybe("3"),
            "ancestor_of": maybe("3"),
            "translation_of": maybe("3"),
            "locale": maybe("fr"),
            "thematique": maybe("securite-numerique"),
            "resource_type": maybe("guide"),
            "html_path": maybe("/ressources/"),
            "unknown": hostile_text(),
        },
    )


class TestWagtailApi:
    @given(
        endpoint=st.sampled_from(["pages", "news", "resources", "images", "documents"]),
        params=wagtail_params(),
        find=st.booleans(),
    )
    def test_every_listing_answers_200_400_or_404(self, world, client, endpoint, params, find):
        path = f"/api/v2/{endpoint}/{'find/' if find else ''}"
        response = get_query(client, path, params)
        assert response.status_code in (200, 302, 400, 404), (path, params, response.status_code)
        if response.status_code == 400:
            assert response.json()["message"]
