"""Issue 11 item 12: a postal code inside Paris, Lyon or Marseille resolves to its arrondissement municipal.

The resolution lives in territories.selectors (arrondissement_for, communes_named_with_postal_code) and every commune
picker uses it: the public applications (workflows CommuneMixin), the places (directory CommuneField / PlaceForm)
and the advisor finder; distances are then measured from the arrondissement, not the city centre.
"""

import pytest
from django import forms
from django.urls import reverse

from directory.forms import PlaceForm, resolve_commune
from territories.selectors import (
    arrondissement_for,
    commune_for_postal_code,
    communes_named_with_postal_code,
)
from territories.utils import distance_km
from tests.directory.factories import PlaceAssignmentFactory
from tests.territories.factories import commune
from workflows.forms import CommuneMixin

pytestmark = pytest.mark.django_db

CITIES = {"75056": ["75101", "75111", "75116", "75120"], "69123": ["69381", "69383"], "13055": ["13201", "13208"]}
CASES = [
    pytest.param("75056", "75011", "75111", "Paris 11e Arrondissement", id="paris-11e"),
    pytest.param("69123", "69003", "69383", "Lyon 3e Arrondissement", id="lyon-3e"),
    pytest.param("13055", "13008", "13208", "Marseille 8e Arrondissement", id="marseille-8e"),
]


@pytest.fixture
def cities():
    """The three cities and a few of their arrondissements, from the committed data file."""
    for city, arrondissements in CITIES.items():
        commune(city)
        for code in arrondissements:
            commune(code)


class TestSelectors:
    @pytest.mark.parametrize("city, postal_code, expected, name", CASES)
    def test_item12_a_postal_code_gives_the_arrondissement(self, cities, city, postal_code, expected, name):
        assert commune_for_postal_code(postal_code).code == expected
        refined = arrondissement_for(commune(city), postal_code)
        assert (refined.code, refined.name) == (expected, name)

    def test_item12_other_communes_and_foreign_postal_codes_are_left_alone(self, cities):
        paris, arles = commune("75056"), commune("13004")
        assert arrondissement_for(paris, "13008") == paris  # a Marseille code never moves a Paris address
        assert arrondissement_for(paris, "") == paris
        assert arrondissement_for(arles, "13200") == arles
        assert arrondissement_for(commune("75111"), "75016") == commune("75111")

    @pytest.mark.parametrize("city, postal_code, expected, name", CASES)
    def test_item12_a_city_name_with_a_postal_code_is_the_arrondissement(
        self, cities, city, postal_code, expected, name
    ):
        city_name = commune(city).name
        assert [c.code for c in communes_named_with_postal_code(city_name, postal_code)] == [expected]


class TestForms:
    @pytest.mark.parametrize("city, postal_code, expected, name", CASES)
    def test_item12_places_resolve_a_label_or_a_postal_code_to_the_arrondissement(
        self, cities, city, postal_code, expected, name
    ):
        city_name = commune(city).name
        assert resolve_commune(postal_code).code == expected
        assert resolve_commune(f"{city_name} ({postal_code})").code == expected
        assert resolve_commune(f"{city_name} ({postal_code}, …)").code == expected
        assert resolve_commune(city_name).code == city  # no postal code: the city itself

    def test_item12_a_place_in_paris_with_the_postal_code_75011_is_in_the_11e(self, cities):
        form = PlaceForm(
            data={"name": "Médiathèque", "address": "1 rue X", "commune": "Paris", "postal_code": "75011"}
        )
        form.is_valid()
        assert form.cleaned_data["commune"].code == "75111"
        assert form.cleaned_data["latitude"] == commune("75111").latitude

    def test_item12_a_postal_code_of_another_city_is_still_refused_for_a_place(self, cities):
        form = PlaceForm(
            data={"name": "Médiathèque", "address": "1 rue X", "commune": "Paris", "postal_code": "13008"}
        )
        assert not form.is_valid()
        assert "n'est pas celui de Paris" in form.errors["postal_code"][0]

    @pytest.mark.parametrize("city, postal_code, expected, name", CASES)
    def test_item12_the_public_applications_resolve_the_autocomplete_label(
        self, cities, city, postal_code, expected, name
    ):
        class Form(CommuneMixin, forms.Form):
            pass

        label = f"{commune(city).name} ({postal_code}, …)"
        typed = Form(data={"commune_query": label, "commune_code": ""})
        assert typed.is_valid()
        assert typed.clean_commune().code == expected
        picked = Form(data={"commune_query": label, "commune_code": city})  # the city picked in the suggestions
        assert picked.is_valid()
        assert picked.clean_commune().code == expected
        plain = Form(data={"commune_query": postal_code, "commune_code": ""})
        assert plain.is_valid()
        assert plain.clean_commune().code == expected


class TestDistances:
    def test_item12_from_75020_the_1er_is_nearer_than_the_16e(self, cities):
        origin, first, sixteenth = (resolve_commune(code) for code in ("75020", "75001", "75016"))
        assert (origin.code, first.code, sixteenth.code) == ("75120", "75101", "75116")
        to_first = distance_km(origin.latitude, origin.longitude, first.latitude, first.longitude)
        to_sixteenth = distance_km(origin.latitude, origin.longitude, sixteenth.latitude, sixteenth.longitude)
        assert 2 < to_first < to_sixteenth < 15
        paris = commune("75056")
        assert distance_km(paris.latitude, paris.longitude, origin.latitude, origin.longitude) > 1

    def test_item12_the_advisor_finder_sorts_paris_places_by_arrondissement(self, client, cities):
        for name, code in (("Lieu du 20e", "75120"), ("Lieu du 1er", "75101"), ("Lieu du 16e", "75116")):
            PlaceAssignmentFactory(place__name=name, place__commune=commune(code), place__is_public=True)
        for query in ("75020", "Paris (75020, …)"):
            response = client.get(reverse("find_advisor"), {"q": query, "rayon": 20})
            assert response.status_code == 200
            assert response.context["commune"].code == "75120"
            page = response.content.decode()
            assert page.index("Lieu du 20e") < page.index("Lieu du 1er") < page.index("Lieu du 16e")
