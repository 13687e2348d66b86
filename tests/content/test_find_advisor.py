"""/trouver-un-conseiller/: public places near a commune or postal code, nearest first, advisors per their consent."""

import pytest
from django.utils import timezone

from tests.directory.factories import AdvisorFactory, PlaceAssignmentFactory, PlaceFactory, StructureFactory
from tests.territories.factories import commune

pytestmark = pytest.mark.django_db

URL = "/trouver-un-conseiller/"


def html(response) -> str:
    return response.content.decode()


def staffed_place(insee: str, name: str, **advisor):
    """A public place in that commune with one advisor in post."""
    town = commune(insee)
    structure = StructureFactory(commune=town, postal_code=town.main_postal_code)
    assignment = PlaceAssignmentFactory(
        place__structure=structure, place__name=name, advisor__structure=structure, is_principal=True, **advisor
    )
    return assignment.place


@pytest.fixture
def places(db):
    """Paris 11e, Paris 15e, Montreuil (93) and Marseille."""
    return {
        "11e": staffed_place(
            "75111", "Médiathèque du 11e", advisor__first_name="Camille", advisor__last_name="Martin"
        ),
        "15e": staffed_place("75115", "Maison des services du 15e", advisor__hidden_from_map=True),
        "montreuil": staffed_place("93048", "Centre social de Montreuil"),
        "marseille": staffed_place("13201", "Espace numérique de Marseille"),
    }


class TestFindAdvisor:
    def test_it_shows_the_empty_form_without_a_search(self, client):
        response = client.get(URL)
        assert response.status_code == 200
        content = html(response)
        assert 'name="q"' in content and "Format attendu" in content
        assert "cnum-place" not in content

    def test_it_lists_places_near_a_postal_code_nearest_first(self, places, client):
        content = html(client.get(URL, {"q": "75011"}))
        assert "à moins de 20 km de Paris 11e Arrondissement (75011)" in content
        assert "3 lieux" in content
        order = [content.index(places[key].name) for key in ("11e", "montreuil", "15e")]
        assert order == sorted(order)
        assert "Espace numérique de Marseille" not in content
        assert "à 0,0 km" in content and "Accès libre" in content
        assert "GeoNames" in content and "CC BY 4.0" in content

    def test_it_names_only_the_advisors_who_agreed(self, places, client):
        ended = AdvisorFactory(ended=True, first_name="Ancien", last_name="Conseiller")
        PlaceAssignmentFactory(place=places["11e"], advisor=ended)
        content = html(client.get(URL, {"q": "75011"}))
        assert "Camille Martin" in content
        assert "Ancien Conseiller" not in content
        hidden = places["15e"].advisors.get()
        assert hidden.last_name not in content
        assert "1 conseiller numérique" in content

    def test_it_hides_private_removed_and_unstaffed_places(self, places, client):
        town = commune("75111")
        PlaceFactory(name="Lieu sans conseiller", commune=town, structure__commune=town)
        places["15e"].is_public = False
        places["15e"].save()
        places["montreuil"].removed_at = timezone.now()
        places["montreuil"].save()
        content = html(client.get(URL, {"q": "75011"}))
        assert "1 lieu à moins" in content
        for name in ("Lieu sans conseiller", places["15e"].name, places["montreuil"].name):
            assert name not in content

    def test_it_searches_by_commune_name_and_asks_to_choose_when_ambiguous(self, places, client):
        commune("93066")  # Saint-Denis (93)
        commune("97411")  # Saint-Denis (La Réunion)
        content = html(client.get(URL, {"q": "Saint-Denis"}))
        assert "Plusieurs communes correspondent à « Saint-Denis »" in content
        assert 'href="?commune=93066&amp;rayon=20&amp;q=Saint-Denis"' in content
        chosen = html(client.get(URL, {"commune": "93066", "rayon": "20", "q": "Saint-Denis"}))
        assert "à moins de 20 km de Saint-Denis" in chosen and places["11e"].name in chosen

    def test_it_finds_a_unique_commune_name_directly(self, places, client):
        commune("13055")
        content = html(client.get(URL, {"q": "marseille 1er", "rayon": "5"}))
        assert "Espace numérique de Marseille" in content

    def test_it_offers_a_wider_radius_when_nothing_is_near(self, places, client):
        commune("06088")  # Nice
        content = html(client.get(URL, {"q": "Nice", "rayon": "50"}))
        assert "Aucun lieu à moins de 50 km" in content
        assert 'href="?q=Nice&amp;rayon=100"' in content

    def test_it_explains_unknown_communes_and_postal_codes(self, db, client):
        assert "Aucune commune n&#x27;a le code postal 99999" in html(client.get(URL, {"q": "99999"}))
        assert "Aucune commune ne correspond à « Zzzz »" in html(client.get(URL, {"q": "Zzzz"}))
        response = client.get(URL, {"commune": "99999"})
        assert response.status_code == 404 and "Cette commune n&#x27;existe pas" in html(response)

    def test_it_refuses_bad_input_with_clear_messages(self, db, client):
        for params, message in [
            ({"q": "x"}, "Saisissez au moins 2 caractères"),
            ({"q": "Paris", "rayon": "7"}, "Choisissez une distance dans la liste"),
            ({"q": "a" * 300}, "Saisissez au plus 100 caractères"),
            ({"commune": "abc"}, "Le code de commune est invalide"),
        ]:
            response = client.get(URL, params)
            assert response.status_code == 400, params
            assert message in html(response), params
            assert 'id="erreurs"' in html(response)

    def test_it_paginates_and_keeps_the_search_in_the_links(self, db, client):
        town = commune("75111")
        for number in range(12):
            staffed_place(town.code, f"Lieu numéro {number:02}")
        first = html(client.get(URL, {"q": "75011"}))
        assert "12 lieux" in first and first.count('class="cnum-place"') == 10
        assert "q=75011&amp;page=2" in first
        second = html(client.get(URL, {"q": "75011", "page": "2"}))
        assert second.count('class="cnum-place"') == 2

    def test_it_loads_the_map_only_as_an_enhancement(self, places, client):
        content = html(client.get(URL, {"q": "75011"}))
        assert 'id="carte-lieux"' in content and " hidden " in content
        assert "leaflet-1.9.4/leaflet.js" in content and 'data-lat="' in content
        assert "leaflet" not in html(client.get(URL))

    def test_it_stays_under_its_query_budget(self, places, client, django_assert_max_num_queries):
        with django_assert_max_num_queries(5):
            response = client.get(URL, {"q": "75011"})
        assert response.status_code == 200


class TestNoDeadEnd:
    """A search that finds nothing in its radius still offers somewhere to go and someone to call (issue 15 item 6)."""

    def test_it_shows_the_nearest_places_at_any_distance_and_the_help_line(self, places, client):
        commune("06088")  # Nice: Marseille is the nearest place, about 160 km away
        response = client.get(URL, {"q": "Nice", "rayon": "50"})
        content = html(response)
        assert response.status_code == 200 and "Aucun lieu à moins de 50 km" in content
        assert "Les lieux les plus proches, quelle que soit la distance" in content
        nearest = content.split("Les lieux les plus proches")[1]
        assert nearest.index("Espace numérique de Marseille") < nearest.index("Médiathèque du 11e")
        assert 'href="tel:0170772372"' in content and "Solidarité Numérique" in content

    def test_it_lists_at_most_five_places_nearest_first(self, db, client):
        for index in range(7):
            staffed_place("75111", f"Lieu parisien {index}")
        commune("06088")
        content = html(client.get(URL, {"q": "Nice", "rayon": "5"}))
        nearest = content.split("Les lieux les plus proches")[1]
        assert nearest.count('class="cnum-place"') == 5

    def test_a_search_with_results_shows_no_nearest_list(self, places, client):
        content = html(client.get(URL, {"q": "75011"}))
        assert "Médiathèque du 11e" in content and "Les lieux les plus proches" not in content

    def test_the_help_line_can_be_set_for_the_deployment(self, places, client, settings):
        settings.HELP_LINE_PHONE = "01 23 45 67 89"
        commune("06088")
        assert 'href="tel:0123456789"' in html(client.get(URL, {"q": "Nice", "rayon": "50"}))
