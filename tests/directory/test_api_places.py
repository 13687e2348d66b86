"""The places' JSON list as a partner syncs it: pages with next/previous, `updated_since` (the place, its structure,
its return to the published set) and /lieux-mediation-numerique/suppressions/."""

from datetime import timedelta

import pytest
from django.utils import timezone

from directory.enums import AdvisorStatus
from directory.models import Advisor, Place, Structure
from tests.api_client import get, query
from tests.directory.factories import PlaceAssignmentFactory, PlaceFactory, StructureFactory
from tests.territories.factories import commune

pytestmark = pytest.mark.django_db

LIST = "/api/lieux-mediation-numerique/"
REMOVALS = "/api/lieux-mediation-numerique/suppressions/"


def iso(moment) -> str:
    return moment.isoformat().replace("+", "%2B")


def staffed(**kwargs):
    assignment = PlaceAssignmentFactory(place=PlaceFactory(**kwargs), is_principal=True)
    return assignment.place, assignment.advisor


def age(*places, days=30):
    """Date the places (and their structures) back, as if nothing had changed for a while."""
    moment = timezone.now() - timedelta(days=days)
    Place.objects.filter(pk__in=[place.pk for place in places]).update(updated_at=moment)
    Structure.objects.filter(pk__in=[place.structure_id for place in places]).update(updated_at=moment)


@pytest.fixture
def places(db):
    return [staffed()[0] for _ in range(5)]


class TestPlacePages:
    def test_it_pages_in_id_order_with_absolute_links(self, places, client):
        first = get(client, f"{LIST}?limit=2")
        assert (first["count"], first["limit"], first["offset"], first["previous"]) == (5, 2, 0, None)
        assert [row["id"] for row in first["items"]] == [f"conseiller-numerique-lieu-{p.pk}" for p in places[:2]]
        assert first["next"].startswith("http://testserver/api/lieux-mediation-numerique/?")
        last = get(client, f"{LIST}?limit=2&offset=4")
        assert last["next"] is None and query(last["previous"]) == {"limit": "2", "offset": "2"}

    def test_the_default_page_holds_50_and_at_most_500_may_be_asked(self, places, client):
        assert get(client, LIST)["limit"] == 50
        assert get(client, f"{LIST}?limit=500")["limit"] == 500
        for url in (f"{LIST}?limit=501", f"{LIST}?limit=0", f"{LIST}?offset=-1", f"{LIST}?limit=dix"):
            error = get(client, url, status=422)
            assert error["erreurs"][0]["champ"] in ("limit", "offset"), url

    def test_the_filters_apply_and_follow_the_links(self, places, client):
        marseille = commune("13201")
        staffed(structure=StructureFactory(commune=marseille, postal_code="13001"), commune=marseille)
        data = get(client, f"{LIST}?departement=13")
        assert data["count"] == 1 and data["items"][0]["code_insee"] == "13201"
        paris = get(client, f"{LIST}?departement=75&limit=2")
        assert paris["count"] == 5 and query(paris["next"])["departement"] == "75"

    def test_it_stays_within_a_fixed_number_of_queries(self, places, client, django_assert_max_num_queries):
        get(client, LIST)  # the feed's first read records its rows
        for _ in range(10):
            staffed()
        # The change feed notices the ten new places (savepoint, insert, release) on top of the 6 queries of a read.
        with django_assert_max_num_queries(9):
            assert get(client, f"{LIST}?limit=500")["count"] == 15
        with django_assert_max_num_queries(6):
            assert get(client, f"{LIST}?updated_since=2020-01-01T00:00:00")["count"] == 15


class TestPlacesUpdatedSince:
    def test_it_keeps_the_places_changed_since_oldest_first(self, places, client):
        age(*places)
        since = timezone.now() - timedelta(days=1)
        assert get(client, f"{LIST}?updated_since={iso(since)}")["count"] == 0
        places[3].name = "Renommé"
        places[3].save()
        places[1].name = "Renommé aussi"
        places[1].save()
        data = get(client, f"{LIST}?updated_since={iso(since)}")
        assert [row["nom"] for row in data["items"]] == ["Renommé", "Renommé aussi"]

    def test_a_change_of_the_structure_counts_for_its_places(self, places, client):
        age(*places)
        since = timezone.now() - timedelta(minutes=1)
        places[2].structure.name = "Nouveau nom"
        places[2].structure.save()
        data = get(client, f"{LIST}?updated_since={iso(since)}")
        assert [row["id"] for row in data["items"]] == [f"conseiller-numerique-lieu-{places[2].pk}"]

    def test_a_place_back_in_the_published_set_counts_as_changed(self, client):
        place, advisor = staffed()
        age(place)
        get(client, LIST)
        Advisor.objects.filter(pk=advisor.pk).update(status=AdvisorStatus.ENDED)
        assert get(client, LIST)["count"] == 0
        since = timezone.now()
        Advisor.objects.filter(pk=advisor.pk).update(status=AdvisorStatus.ACTIVE)
        assert get(client, f"{LIST}?updated_since={iso(since)}")["count"] == 1

    def test_the_cursor_reads_every_place_even_while_they_change(self, places, client):
        age(*places)
        first = get(client, f"{LIST}?updated_since=2020-01-01T00:00:00&limit=2")
        assert "apres_id" in query(first["next"]) and first["previous"] is None
        places[0].name = "Modifié pendant la lecture"
        places[0].save()
        seen = [row["id"] for row in first["items"]]
        url = first["next"]
        while url:
            page = get(client, url)
            seen += [row["id"] for row in page["items"]]
            url = page["next"]
        assert set(seen) == {f"conseiller-numerique-lieu-{place.pk}" for place in places}
        assert seen[-1] == f"conseiller-numerique-lieu-{places[0].pk}"

    def test_future_naive_and_malformed_dates(self, places, client):
        assert get(client, f"{LIST}?updated_since=2099-01-01T00:00:00")["items"] == []
        assert get(client, f"{LIST}?updated_since=2020-01-01T00:00:00")["count"] == 5
        error = get(client, f"{LIST}?updated_since=demain", status=422)
        assert error["erreurs"][0]["champ"] == "updated_since" and "ISO 8601" in error["message"]


class TestPlaceRemovals:
    def test_places_that_left_are_listed_with_the_ids_of_the_list(self, places, client):
        listed = {row["id"] for row in get(client, LIST)["items"]}
        before = timezone.now()
        Place.objects.filter(pk=places[0].pk).update(is_public=False)
        places[1].delete()
        data = get(client, REMOVALS)
        assert data["count"] == 2
        assert {item["id"] for item in data["items"]} <= listed
        assert all(item["supprime_le"] >= before.isoformat()[:19] for item in data["items"])
        assert get(client, LIST)["count"] == 3

    def test_updated_since_and_departement_narrow_the_removals(self, places, client):
        marseille = commune("13201")
        far, _ = staffed(structure=StructureFactory(commune=marseille, postal_code="13001"), commune=marseille)
        get(client, LIST)
        Place.objects.filter(pk__in=[places[0].pk, far.pk]).update(is_public=False)
        assert get(client, f"{REMOVALS}?departement=13")["items"][0]["id"] == f"conseiller-numerique-lieu-{far.pk}"
        assert get(client, f"{REMOVALS}?departement=75")["count"] == 1
        assert get(client, f"{REMOVALS}?updated_since={iso(timezone.now() + timedelta(hours=1))}")["count"] == 0
        paged = get(client, f"{REMOVALS}?updated_since=2020-01-01T00:00:00&limit=1")
        assert paged["count"] == 2 and get(client, paged["next"])["count"] == 1
        assert get(client, f"{REMOVALS}?departement=Paris", status=422)["erreurs"][0]["champ"] == "departement"

    def test_a_place_back_leaves_the_removals(self, places, client):
        get(client, LIST)
        Place.objects.filter(pk=places[0].pk).update(is_public=False)
        assert get(client, REMOVALS)["count"] == 1
        Place.objects.filter(pk=places[0].pk).update(is_public=True)
        assert get(client, REMOVALS)["count"] == 0
