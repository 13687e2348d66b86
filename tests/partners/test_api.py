"""The partner endpoints: statistics equal to the dashboards', territory of the token, lists, change feed, budgets."""

from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pytest
from django.utils import timezone

from directory.models import Advisor, Place, Structure
from partners.enums import Right, ScopeLevel
from reporting.counters import GROUPS
from tests.directory.factories import AdvisorFactory, PlaceAssignmentFactory, PlaceFactory, StructureFactory
from tests.partners.factories import bearer, make_token
from tests.reporting.factories import ActivityFactory
from tests.territories.factories import commune

pytestmark = pytest.mark.django_db

API = "/api/partenaires"


@pytest.fixture
def reports(paris_advisor, marseille_advisor):
    """Paris: 2 individual + 1 workshop of 8; Marseille: 2 individual (the dashboards' test data)."""
    ActivityFactory(advisor=paris_advisor)
    ActivityFactory(advisor=paris_advisor, remote=True)
    ActivityFactory(advisor=paris_advisor, collective=True, administrative=True)
    ActivityFactory(advisor=marseille_advisor)
    ActivityFactory(advisor=marseille_advisor)


def get(client, path, secret, **params):
    return client.get(f"{API}{path}", params, headers=bearer(secret))


def message(response) -> str:
    body = response.json()
    return str(body.get("message") or body.get("detail"))


class TestStatisticsReadTheDashboardsEngine:
    @pytest.mark.parametrize(
        ("persona", "level", "code"),
        [("prefecture_paris", ScopeLevel.DEPARTMENT, "75"), ("national_admin", ScopeLevel.NATIONAL, "")],
    )
    def test_it_gives_the_numbers_of_the_dashboard_for_the_same_territory_and_period(
        self, client, request, reports, persona, level, code
    ):
        today = timezone.localdate()
        start = today - timedelta(days=70)
        client.force_login(request.getfixturevalue(persona))
        dashboard = client.get("/pilotage/", {"du": start.isoformat(), "au": today.isoformat()}).context
        client.logout()
        _, secret = make_token(level=level, code=code)
        body = get(client, "/statistiques/", secret, debut=start.isoformat(), fin=today.isoformat()).json()
        totals = dashboard["statistics"].totals
        assert body["indicateurs"]["accompagnements"] == totals["accompaniments"] > 0
        assert body["indicateurs"]["activites"] == totals["activities"]
        assert body["indicateurs"]["ateliers"] == totals["workshops"]
        assert body["indicateurs"]["minutes_accompagnement"] == totals["minutes"]
        for distribution in body["repartitions"]:
            group = next(g for name, g in GROUPS.items() if g.title == distribution["titre"])
            for share in distribution["valeurs"]:
                assert share["nombre"] == totals[group.column(share["valeur"])]
        assert [(m["accompagnements"], m["activites"]) for m in body["mois"]] == [
            (accompaniments, activities) for _, accompaniments, activities in dashboard["statistics"].months
        ]
        network = dashboard["network"]
        assert body["reseau"]["postes_attribues"] == network.posts_granted
        assert body["reseau"]["conseillers_en_poste"] == network.active
        assert body["periode"] == {"debut": start.isoformat(), "fin": today.isoformat()}

    def test_a_department_token_counts_only_its_department(self, client, reports):
        _, paris = make_token(level=ScopeLevel.DEPARTMENT, code="75")
        _, marseille = make_token(level=ScopeLevel.DEPARTMENT, code="13")
        assert get(client, "/statistiques/", paris).json()["indicateurs"]["accompagnements"] == 10
        body = get(client, "/statistiques/", marseille).json()
        assert body["indicateurs"]["accompagnements"] == 2
        assert body["territoire"] == {"niveau": "departement", "code": "13", "nom": "Bouches-du-Rhône"}

    def test_the_default_period_is_the_dashboards_last_twelve_months(self, client, reports):
        _, secret = make_token()
        body = get(client, "/statistiques/", secret).json()
        today = timezone.localdate()
        assert body["periode"]["fin"] == today.isoformat()
        assert len(body["mois"]) == 12
        assert body["avertissement"] is None and body["detail"] is None

    def test_a_national_token_reads_any_region_or_department_and_the_breakdown(self, client, reports):
        _, secret = make_token()
        region = get(client, "/statistiques/", secret, niveau="region", code="93", detail="true").json()
        assert region["territoire"]["nom"] == "Provence-Alpes-Côte d'Azur"
        assert region["indicateurs"]["accompagnements"] == 2
        assert [(row["niveau"], row["code"], row["accompagnements"]) for row in region["detail"]] == [
            ("departement", "13", 2)
        ]
        national = get(client, "/statistiques/", secret, detail="true").json()
        assert {row["code"]: row["accompagnements"] for row in national["detail"]} == {"11": 10, "93": 2}
        assert all(row["niveau"] == "region" for row in national["detail"])

    def test_a_department_breakdown_is_by_host_structure(self, client, reports, paris_structure):
        _, secret = make_token(level=ScopeLevel.DEPARTMENT, code="75")
        detail = get(client, "/statistiques/", secret, detail="true").json()["detail"]
        assert detail == [
            {
                "niveau": "structure",
                "code": str(paris_structure.pk),
                "nom": paris_structure.name,
                "activites": 3,
                "accompagnements": 10,
            }
        ]

    def test_a_region_token_reads_its_departments_and_nothing_else(self, client, reports):
        _, secret = make_token(level=ScopeLevel.REGION, code="93")
        assert get(client, "/statistiques/", secret, niveau="departement", code="13").status_code == 200
        for params in (
            {"niveau": "departement", "code": "75"},
            {"niveau": "region", "code": "11"},
            {"niveau": "national"},
        ):
            response = get(client, "/statistiques/", secret, **params)
            assert response.status_code == 404, params

    def test_a_department_token_gets_404_outside_its_department(self, client, reports):
        _, secret = make_token(level=ScopeLevel.DEPARTMENT, code="75")
        assert get(client, "/statistiques/", secret, niveau="departement", code="75").status_code == 200
        for params in (
            {"niveau": "departement", "code": "13"},
            {"niveau": "departement", "code": "99"},
            {"niveau": "region", "code": "11"},
            {"niveau": "national"},
        ):
            assert get(client, "/statistiques/", secret, **params).status_code == 404, params

    @pytest.mark.parametrize(
        ("params", "text"),
        [
            ({"niveau": "departement"}, "Indiquez le code"),
            ({"debut": "2019-06-01"}, "Choisissez une date entre le 1er janvier 2020"),
            ({"fin": "9999-01-01"}, "Choisissez une date entre"),
            ({"debut": "2026-03-01", "fin": "2026-02-01"}, "postérieure ou égale à la date de début"),
        ],
    )
    def test_bad_parameters_answer_422_in_french(self, client, params, text):
        _, secret = make_token()
        response = get(client, "/statistiques/", secret, **params)
        assert response.status_code == 422
        assert text in str(response.json())

    @pytest.mark.parametrize("params", [{"niveau": "commune"}, {"debut": "hier"}, {"code": "<script>"}])
    def test_malformed_parameters_answer_422(self, client, params):
        _, secret = make_token()
        assert get(client, "/statistiques/", secret, **params).status_code == 422

    def test_a_period_over_ten_years_is_clamped_and_says_so(self, client):
        _, secret = make_token()
        end = timezone.localdate() + timedelta(days=4 * 365)
        body = get(client, "/statistiques/", secret, debut="2020-01-01", fin=end.isoformat()).json()
        assert body["periode"]["debut"] > "2020-01-01"
        assert "10 ans" in body["avertissement"]

    def test_its_queries_are_bounded(self, client, reports, django_assert_max_num_queries):
        _, secret = make_token(level=ScopeLevel.REGION, code="93")
        get(client, "/statistiques/", secret)
        # Token, territory, engine (≤ 6), network (2), breakdown (≤ 3), log.
        with django_assert_max_num_queries(14):
            assert get(client, "/statistiques/", secret, detail="true").status_code == 200


@pytest.fixture
def network(paris_advisor, marseille_advisor):
    """Both territories' advisors at their public places, plus what must never be listed."""
    hidden = PlaceAssignmentFactory(
        advisor=AdvisorFactory(structure=paris_advisor.structure, hidden_from_map=True, last_name="Discret"),
        place=paris_advisor.places.first(),
    ).advisor
    ended = AdvisorFactory(structure=paris_advisor.structure, ended=True, last_name="Parti")
    private_place = PlaceFactory(structure=paris_advisor.structure, is_public=False, name="Bureau interne")
    PlaceAssignmentFactory(place=private_place, advisor=paris_advisor)
    StructureFactory(just_applied=True, name="Structure en cours d'instruction")
    return {"hidden": hidden, "ended": ended, "private_place": private_place}


class TestLists:
    def test_places_of_the_tokens_department_only_with_their_public_advisors(
        self, client, network, paris_advisor, marseille_advisor
    ):
        _, secret = make_token(level=ScopeLevel.DEPARTMENT, code="75")
        body = get(client, "/lieux/", secret).json()
        assert body["count"] == 1 and body["next"] is None and body["previous"] is None
        place = body["items"][0]
        paris_place = paris_advisor.places.get(is_public=True)
        assert place["id"] == paris_place.pk and place["departement"] == "75"
        assert place["conseillers"] == [paris_advisor.full_name]
        assert place["autres_conseillers"] == 1  # the advisor who did not agree to be named
        assert place["precision_coordonnees"] == paris_place.coordinates_precision
        assert place["horaires"]["lundi"] == {"matin": None, "apres_midi": None}
        assert place["modalites_acces"] == ["libre"]
        text = str(body)
        assert "Discret" not in text and "Bureau interne" not in text
        assert marseille_advisor.places.first().name not in text
        for private in (paris_advisor.email, paris_advisor.phone or "§", paris_advisor.professional_email):
            assert private not in text

    def test_a_place_phone_is_given_in_international_form_even_if_stored_otherwise(self, client, paris_advisor):
        Place.objects.filter(advisors=paris_advisor).update(phone="01 23 45 67 89")
        _, secret = make_token()
        phones = {place["telephone"] for place in get(client, "/lieux/", secret).json()["items"]}
        assert phones == {"+33123456789"}

    def test_a_place_without_coordinates_gets_its_communes_centre_and_says_so(self, client, paris_advisor):
        Place.objects.filter(advisors=paris_advisor).update(latitude=None, longitude=None)
        _, secret = make_token()
        place = get(client, "/lieux/", secret).json()["items"][0]
        assert place["precision_coordonnees"] == "commune"
        assert place["latitude"] == pytest.approx(commune("75056").latitude)

    def test_a_region_token_sees_its_regions_rows(self, client, network, marseille_advisor):
        _, secret = make_token(level=ScopeLevel.REGION, code="93")
        places = get(client, "/lieux/", secret).json()["items"]
        assert [place["id"] for place in places] == [marseille_advisor.places.first().pk]
        advisors = get(client, "/conseillers/", secret).json()["items"]
        assert [advisor["id"] for advisor in advisors] == [marseille_advisor.pk]

    def test_structures_are_validated_public_fields_of_the_territory(
        self, client, network, paris_structure, marseille_structure
    ):
        _, secret = make_token(level=ScopeLevel.DEPARTMENT, code="75")
        body = get(client, "/structures/", secret).json()
        assert [item["id"] for item in body["items"]] == [paris_structure.pk]
        structure = body["items"][0]
        assert structure["siret"] == paris_structure.siret and structure["publique"] is True
        assert (structure["departement"], structure["region"], structure["code_insee"]) == ("75", "11", "75056")
        assert structure["postes_attribues"] == paris_structure.posts_granted
        text = str(body)
        assert paris_structure.contact_email not in text and "Jeanne" not in text
        assert "en cours d'instruction" not in text and marseille_structure.name not in text

    def test_the_advisors_directory_is_what_the_public_map_shows(self, client, network, paris_advisor):
        _, secret = make_token(level=ScopeLevel.DEPARTMENT, code="75")
        body = get(client, "/conseillers/", secret).json()
        assert [item["id"] for item in body["items"]] == [paris_advisor.pk]
        advisor = body["items"][0]
        assert advisor["nom"] == paris_advisor.full_name
        assert advisor["structure"]["id"] == paris_advisor.structure_id
        assert [place["id"] for place in advisor["lieux"]] == [paris_advisor.places.get(is_public=True).pk]
        assert advisor["lieux"][0]["principal"] is True
        assert set(advisor) == {"id", "nom", "structure", "lieux", "modifie_le"}
        text = str(body)
        assert "Discret" not in text and "Parti" not in text and "Bureau interne" not in text
        assert paris_advisor.email not in text and paris_advisor.professional_email not in text

    def test_pages_follow_the_shared_envelope(self, client, paris_structure):
        for _ in range(5):
            PlaceAssignmentFactory(place__structure=paris_structure)
        _, secret = make_token()
        first = get(client, "/lieux/", secret, limit=2).json()
        assert (first["count"], first["limit"], first["offset"], first["previous"]) == (5, 2, 0, None)
        assert first["next"].startswith("http://testserver/api/partenaires/lieux/?")
        second = client.get(first["next"], headers=bearer(secret)).json()
        last = get(client, "/lieux/", secret, limit=2, offset=4).json()
        ids = [item["id"] for item in first["items"] + second["items"] + last["items"]]
        assert ids == sorted(Place.objects.values_list("pk", flat=True))
        assert last["next"] is None and last["previous"] is not None
        assert get(client, "/lieux/", secret, limit=501).status_code == 422
        assert get(client, "/lieux/", secret, offset=-1).status_code == 422


class TestChangeFeed:
    def test_updated_since_lists_the_changes_in_order_with_a_cursor(self, client, paris_structure):
        places = [PlaceAssignmentFactory(place__structure=paris_structure).place for _ in range(3)]
        _, secret = make_token()
        since = timezone.now() - timedelta(days=1)
        everything = get(client, "/lieux/", secret, updated_since=since.isoformat()).json()
        assert [item["id"] for item in everything["items"]] == [place.pk for place in places]
        checkpoint = timezone.now()
        Place.objects.get(pk=places[0].pk).save()  # modified after the checkpoint: read again, last
        changed = get(client, "/lieux/", secret, updated_since=checkpoint.isoformat()).json()
        assert [item["id"] for item in changed["items"]] == [places[0].pk]
        first = get(client, "/lieux/", secret, updated_since=since.isoformat(), limit=2).json()
        cursor = parse_qs(urlparse(first["next"]).query)
        assert "apres_id" in cursor and first["previous"] is None
        rest = client.get(first["next"], headers=bearer(secret)).json()
        assert [item["id"] for item in first["items"] + rest["items"]] == [p.pk for p in places[1:]] + [places[0].pk]
        future = (timezone.now() + timedelta(days=1)).isoformat()
        assert get(client, "/lieux/", secret, updated_since=future).json()["items"] == []

    def test_a_naive_date_is_paris_time(self, client, paris_advisor):
        _, secret = make_token()
        naive = timezone.localtime(timezone.now() + timedelta(minutes=30)).replace(tzinfo=None)
        assert get(client, "/lieux/", secret, updated_since=naive.isoformat()).json()["count"] == 0

    def test_removals_are_those_of_the_tokens_territory(self, client, paris_advisor, marseille_advisor):
        _, paris = make_token(level=ScopeLevel.DEPARTMENT, code="75")
        _, marseille = make_token(level=ScopeLevel.DEPARTMENT, code="13")
        get(client, "/lieux/", paris, updated_since="2020-01-01T00:00:00")  # the feed's memory starts here
        get(client, "/conseillers/", paris, updated_since="2020-01-01T00:00:00")
        before = timezone.now()
        paris_place = paris_advisor.places.get()
        Place.objects.filter(pk=paris_place.pk).update(is_public=False)
        marseille_place = marseille_advisor.places.get()
        Place.objects.filter(pk=marseille_place.pk).update(is_public=False)
        removed = get(client, "/lieux/suppressions/", paris, updated_since=before.isoformat()).json()
        assert [item["id"] for item in removed["items"]] == [paris_place.pk]
        assert removed["items"][0]["supprime_le"] >= before.isoformat()[:19]
        other = get(client, "/lieux/suppressions/", marseille, updated_since=before.isoformat()).json()
        assert [item["id"] for item in other["items"]] == [marseille_place.pk]
        # Its only public place gone, the advisor leaves the directory too.
        advisors = get(client, "/conseillers/suppressions/", paris, updated_since=before.isoformat()).json()
        assert [item["id"] for item in advisors["items"]] == [paris_advisor.pk]

    def test_an_advisor_withdrawing_consent_leaves_the_directory(self, client, paris_advisor):
        _, secret = make_token()
        get(client, "/conseillers/", secret, updated_since="2020-01-01T00:00:00")
        before = timezone.now()
        Advisor.objects.filter(pk=paris_advisor.pk).update(show_on_map=False)
        assert get(client, "/conseillers/", secret).json()["count"] == 0
        removed = get(client, "/conseillers/suppressions/", secret, updated_since=before.isoformat()).json()
        assert [item["id"] for item in removed["items"]] == [paris_advisor.pk]

    def test_a_structure_no_longer_validated_is_a_removal(self, client, paris_structure):
        _, secret = make_token(rights=[Right.STRUCTURES])
        get(client, "/structures/", secret, updated_since="2020-01-01T00:00:00")
        before = timezone.now()
        Structure.objects.filter(pk=paris_structure.pk).update(status="cree")
        removed = get(client, "/structures/suppressions/", secret, updated_since=before.isoformat()).json()
        assert [item["id"] for item in removed["items"]] == [paris_structure.pk]


class TestQueryBudgets:
    @pytest.mark.parametrize(
        ("path", "budget"),
        [
            ("/lieux/", 6),
            ("/structures/", 5),
            ("/conseillers/", 6),
            # Token, the region's departments, the feed's synchronisation (2), count, page, log.
            ("/lieux/suppressions/", 7),
            ("/structures/suppressions/", 7),
            ("/conseillers/suppressions/", 7),
        ],
    )
    def test_a_page_costs_the_same_for_5_or_25_rows(self, client, django_assert_max_num_queries, path, budget):
        _, secret = make_token(level=ScopeLevel.REGION, code="11", rate_limit=1000)
        for count in (5, 20):
            for _ in range(count):
                PlaceAssignmentFactory(place__structure=StructureFactory())
            get(client, path, secret)  # the change feed's first synchronisation writes its memory
            with django_assert_max_num_queries(budget):
                response = get(client, path, secret, limit=100)
            assert response.status_code == 200
        expected = {"/lieux/": Place, "/structures/": Structure, "/conseillers/": Advisor}
        assert response.json()["count"] == (expected[path].objects.count() if path in expected else 0)

    def test_the_change_feed_stays_bounded(self, client, django_assert_max_num_queries):
        _, secret = make_token()
        for _ in range(10):
            PlaceAssignmentFactory()
        get(client, "/lieux/", secret, updated_since="2020-01-01T00:00:00")
        with django_assert_max_num_queries(8):
            assert get(client, "/lieux/", secret, updated_since="2020-01-01T00:00:00").json()["count"] == 10
