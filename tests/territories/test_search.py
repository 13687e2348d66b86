import pytest
from django.urls import reverse

from territories.selectors import (
    MAX_LIMIT,
    MUNICIPAL_ARRONDISSEMENT_CODES,
    commune_for_postal_code,
    commune_label,
    is_municipal_arrondissement,
    search_communes,
)
from tests.territories.factories import CommuneFactory, marseille, paris

URL = reverse("territories:commune-search")


def search(client, **params):
    response = client.get(URL, params)
    return response.status_code, response.json()


@pytest.mark.django_db
class TestCommuneSearchView:
    def test_it_finds_marseille_from_the_start_of_its_name(self, client):
        CommuneFactory(code="34150")  # Marseillan, smaller
        marseille()
        CommuneFactory(code="13056")  # Martigues: no match
        status, body = search(client, q="marseil")
        assert status == 200
        assert [r["code"] for r in body["results"]] == ["13055", "34150"]
        assert body["results"][0] == {
            "code": "13055",
            "name": "Marseille",
            "department": "13",
            "department_name": "Bouches-du-Rhône",
            "postal_codes": [f"130{n:02d}" for n in range(1, 17)],
            "label": "Marseille (13001, …)",
            "latitude": pytest.approx(43.30, abs=0.05),
            "longitude": pytest.approx(5.38, abs=0.05),
        }

    def test_it_ignores_accents_case_and_hyphens(self, client):
        CommuneFactory(code="42218")  # Saint-Étienne
        for query in ("etienne", "Étienne", "ÉTIENNE", "saint-etienne", "st etienne", "saint étienne"):
            status, body = search(client, q=query)
            assert [r["name"] for r in body["results"]] == ["Saint-Étienne"], query

    def test_it_matches_postal_codes_by_prefix(self, client):
        paris()
        marseille()
        assert [r["code"] for r in search(client, q="75011")[1]["results"]] == ["75056"]
        assert [r["code"] for r in search(client, q="130")[1]["results"]] == ["13055"]
        assert [r["code"] for r in search(client, q="13")[1]["results"]] == ["13055"]
        assert search(client, q="75011")[1]["results"][0]["label"] == "Paris (75011, …)"
        assert search(client, q="69")[1]["results"] == []

    def test_it_matches_insee_codes(self, client):
        paris()
        CommuneFactory(code="2A004")
        assert [r["name"] for r in search(client, q="75056")[1]["results"]] == ["Paris"]
        assert [r["name"] for r in search(client, q="2a004")[1]["results"]] == ["Ajaccio"]

    def test_it_orders_by_population_and_honours_the_limit(self, client):
        for population in (10, 30, 20):
            CommuneFactory(department_code="01", name=f"Villebois {population}", population=population)
        status, body = search(client, q="villebois", limit="2")
        assert [r["name"] for r in body["results"]] == ["Villebois 30", "Villebois 20"]

    def test_it_caps_the_limit_at_50(self, client):
        CommuneFactory.create_batch(MAX_LIMIT + 3, department_code="01", name="Villebois")
        assert len(search(client, q="villebois", limit="1000")[1]["results"]) == MAX_LIMIT
        assert len(search(client, q="villebois")[1]["results"]) == 20

    @pytest.mark.parametrize(
        "params",
        [
            {},
            {"q": ""},
            {"q": "a"},
            {"q": "  a  "},
            {"q": "x" * 101},
            {"q": "pa\x00ris"},
            {"q": "paris", "limit": "0"},
            {"q": "paris", "limit": "-1"},
            {"q": "paris", "limit": "dix"},
            {"q": "paris", "limit": "2.5"},
            {"q": "paris", "limit": "²"},
        ],
    )
    def test_it_answers_400_with_a_french_message_on_bad_input(self, client, params):
        status, body = search(client, **params)
        assert status == 400
        assert set(body) == {"error"}
        assert body["error"].startswith(("Saisissez au moins", "La recherche", "Le paramètre « limit » doit être"))

    @pytest.mark.parametrize("query", ["--", "''", "%%", "__", "a%", "1 2", "75 011", "2A", "<script>"])
    def test_it_never_fails_on_odd_queries(self, client, query):
        paris()
        status, body = search(client, q=query)
        assert status == 200
        assert "results" in body

    def test_it_treats_like_wildcards_literally(self, client):
        paris()
        assert search(client, q="p%")[1]["results"] == []
        assert search(client, q="p_ris")[1]["results"] == []

    def test_it_runs_one_query_whatever_the_search(self, client, django_assert_num_queries):
        paris()
        marseille()
        CommuneFactory.create_batch(5, department_code="13")
        for query in ("marseil", "etienne", "75011", "13", "2a0"):
            with django_assert_num_queries(1):
                assert search(client, q=query)[0] == 200

    def test_it_only_answers_get(self, client):
        assert client.post(URL, {"q": "paris"}).status_code == 405


@pytest.mark.django_db
class TestSelectors:
    def test_commune_for_postal_code_prefers_the_arrondissement(self, django_assert_num_queries):
        paris()
        assert commune_for_postal_code("75011").code == "75056"
        CommuneFactory(code="75111")
        with django_assert_num_queries(1):
            assert commune_for_postal_code("75011").name == "Paris 11e Arrondissement"

    def test_commune_for_postal_code_takes_the_most_populous_commune_of_a_shared_code(self):
        small = CommuneFactory(department_code="01", postal_codes=["01990"], population=10)
        big = CommuneFactory(department_code="01", postal_codes=["01990"], population=1000)
        assert commune_for_postal_code("01990") == big != small

    @pytest.mark.parametrize("code", ["", "7501", "750111", "abcde", None, "99999"])
    def test_commune_for_postal_code_returns_none_when_unknown(self, code):
        paris()
        assert commune_for_postal_code(code) is None

    def test_search_communes_is_empty_for_punctuation_only(self):
        paris()
        assert search_communes("--") == []

    def test_labels(self):
        assert commune_label(marseille()) == "Marseille (13001, …)"
        assert commune_label(marseille(), "13005") == "Marseille (13005, …)"
        assert commune_label(CommuneFactory(code="42218"), "") == "Saint-Étienne (42000, …)"
        assert commune_label(CommuneFactory(code="2A004", postal_codes=[])) == "Ajaccio (2A)"
        assert commune_label(CommuneFactory(code="01001")) == "L'Abergement-Clémenciat (01400)"

    def test_the_45_municipal_arrondissements(self):
        assert len(MUNICIPAL_ARRONDISSEMENT_CODES) == 45
        assert is_municipal_arrondissement("75111") and is_municipal_arrondissement("13216")
        assert is_municipal_arrondissement("69389")
        assert not is_municipal_arrondissement("75056")
