"""Mes lieux d'activité and Mon profil in the Espace Coop."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.enums import AuditAction
from accounts.models import AuditEvent
from directory.forms import resolve_commune
from directory.models import Place, PlaceAssignment
from tests.directory.factories import AdvisorFactory, PlaceAssignmentFactory
from tests.territories.factories import CommuneFactory, commune

pytestmark = pytest.mark.django_db

CREATE = reverse("coop:place_create")


def place_post(**overrides):
    data = {
        "name": "Médiathèque Louise-Michel",
        "address": "12 rue de la République",
        "commune": "Marseille (13001)",
        "postal_code": "",
        "access_types": ["libre", "rdv"],
        "is_public": "on",
        "hours_lundi_matin_start": "09:00",
        "hours_lundi_matin_end": "12:30",
        "hours_mardi_apres_midi_start": "14:00",
        "hours_mardi_apres_midi_end": "18:00",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def errors_of(response) -> dict:
    return {name: list(errors) for name, errors in response.context["form"].errors.items()}


class TestCommuneResolution:
    def test_names_postal_codes_labels_and_insee_codes(self):
        marseille, paris = commune("13055"), commune("75056")
        assert resolve_commune("marseille") == marseille
        assert resolve_commune("Marseille (13001, …)") == marseille
        assert resolve_commune("13055") == marseille
        assert resolve_commune("Paris (75011)") == paris

    def test_a_postal_code_shared_by_several_communes_asks_to_choose(self):
        CommuneFactory(code="01053", name="Bourg-en-Bresse", postal_codes=["01000"])
        CommuneFactory(code="01344", name="Saint-Denis-lès-Bourg", postal_codes=["01000"])
        with pytest.raises(ValidationError) as error:
            resolve_commune("01000")
        assert "Plusieurs communes ont le code postal 01000" in str(error.value)


class TestPlaces:
    def test_an_advisor_adds_a_place_with_hours_and_coordinates_from_the_commune(
        self, client, advisor_user, paris_advisor
    ):
        marseille = commune("13055")
        client.force_login(advisor_user)
        response = client.post(CREATE, place_post())
        assert response.status_code == 302
        place = Place.objects.get(name="Médiathèque Louise-Michel")
        assert place.commune == marseille and place.department_id == "13"
        assert place.postal_code == "13001"
        assert (place.latitude, place.longitude) == (marseille.latitude, marseille.longitude)
        assert place.opening_hours["lundi"] == {"matin": ["09:00", "12:30"], "apres_midi": None}
        assert place.opening_hours["mardi"]["apres_midi"] == ["14:00", "18:00"]
        assert place.access_types == ["libre", "rdv"] and place.is_public
        assignment = PlaceAssignment.objects.get(place=place)
        assert assignment.advisor == paris_advisor and not assignment.is_principal  # Camille already has one
        assert place.structure == paris_advisor.structure

    @pytest.mark.parametrize(
        ("overrides", "field", "message"),
        [
            (
                {"hours_lundi_matin_end": "08:00"},
                "hours_lundi_matin_end",
                "Lundi matin : l'heure de fermeture doit être après l'heure d'ouverture.",
            ),
            (
                {"hours_lundi_matin_end": ""},
                "hours_lundi_matin_end",
                "Lundi matin : indiquez l'heure d'ouverture et l'heure de fermeture.",
            ),
            ({"hours_lundi_matin_start": "9h"}, "hours_lundi_matin_start", "Saisissez une heure valide, ex. : 09:00."),
            (
                {"access_types": ["prive", "libre"]},
                "access_types",
                "« La structure n'accueille pas de public » ne peut pas être cochée avec un autre accès.",
            ),
            ({"access_types": None}, "access_types", "Cochez au moins une modalité d'accès."),
            ({"commune": ""}, "commune", "Indiquez la commune du lieu."),
            ({"name": ""}, "name", "Indiquez le nom du lieu."),
            (
                {"postal_code": "75001"},
                "postal_code",
                "Le code postal 75001 n'est pas celui de Marseille (13001, 13002, 13003).",
            ),
            ({"postal_code": "1300"}, "postal_code", "Le code postal doit comporter 5 chiffres."),
            ({"latitude": "43.3"}, "longitude", "Indiquez la latitude et la longitude, ou aucune des deux."),
            ({"phone": "12"}, "phone", None),
        ],
    )
    def test_refusals_keep_what_was_typed(self, client, advisor_user, overrides, field, message):
        commune("13055")
        client.force_login(advisor_user)
        response = client.post(CREATE, place_post(**overrides))
        assert response.status_code == 200
        errors = errors_of(response)
        assert field in errors, errors
        if message:
            assert errors[field] == [message]
        assert "Médiathèque Louise-Michel" in response.text or field == "name"
        assert "12 rue de la République" in response.text
        assert not Place.objects.filter(name="Médiathèque Louise-Michel").exists()

    def test_someone_elses_place_answers_404(self, client, advisor_user, marseille_advisor):
        other = marseille_advisor.places.get()
        client.force_login(advisor_user)
        assert client.get(reverse("coop:place_edit", args=[other.pk])).status_code == 404
        assert client.post(reverse("coop:place_remove", args=[other.pk])).status_code == 404
        assert client.post(reverse("coop:place_principal", args=[other.pk])).status_code == 404

    def test_editing_a_place_keeps_its_hours(self, client, advisor_user, paris_advisor):
        commune("13055")
        client.force_login(advisor_user)
        client.post(CREATE, place_post())
        place = Place.objects.get(name="Médiathèque Louise-Michel")
        form = client.get(reverse("coop:place_edit", args=[place.pk])).context["form"]
        assert form["hours_lundi_matin_start"].value() == "09:00"
        response = client.post(
            reverse("coop:place_edit", args=[place.pk]), place_post(name="Médiathèque rénovée", is_public=None)
        )
        assert response.status_code == 302
        place.refresh_from_db()
        assert place.name == "Médiathèque rénovée" and not place.is_public

    def test_removing_a_shared_place_keeps_it_for_colleagues(self, client, advisor_user, paris_advisor):
        shared = paris_advisor.places.get()
        colleague = AdvisorFactory(structure=paris_advisor.structure)
        PlaceAssignmentFactory(advisor=colleague, place=shared, is_principal=True)
        other = PlaceAssignmentFactory(advisor=paris_advisor, place__name="Annexe").place
        client.force_login(advisor_user)
        assert client.get(reverse("coop:place_remove", args=[shared.pk])).status_code == 200
        client.post(reverse("coop:place_remove", args=[shared.pk]))
        shared.refresh_from_db()
        assert shared.removed_at is None and list(shared.advisors.all()) == [colleague]
        # My principal place moved to my remaining place.
        assert PlaceAssignment.objects.get(advisor=paris_advisor).place == other
        assert PlaceAssignment.objects.get(advisor=paris_advisor).is_principal
        assert AuditEvent.objects.filter(action=AuditAction.PLACE_REMOVED).exists()

    def test_removing_my_last_place_removes_it(self, client, advisor_user, paris_advisor):
        place = paris_advisor.places.get()
        client.force_login(advisor_user)
        client.post(reverse("coop:place_remove", args=[place.pk]))
        place.refresh_from_db()
        assert place.removed_at is not None
        assert not Place.objects.public().filter(pk=place.pk).exists()

    def test_exactly_one_principal_place(self, client, advisor_user, paris_advisor):
        first = paris_advisor.places.get()
        second = PlaceAssignmentFactory(advisor=paris_advisor, place__name="Annexe").place
        client.force_login(advisor_user)
        assert client.post(reverse("coop:place_principal", args=[second.pk])).status_code == 302
        principal = PlaceAssignment.objects.filter(advisor=paris_advisor, is_principal=True)
        assert [assignment.place for assignment in principal] == [second]
        reloaded = client.get(reverse("coop:place_principal", args=[first.pk]))  # Issue 11 item 11: no blank 405
        assert reloaded.status_code == 302 and reloaded.url == reverse("coop:place_list")
        assert [assignment.place for assignment in principal.all()] == [second]  # and a GET changes nothing

    def test_joining_a_place_of_my_structure(self, client, advisor_user, paris_advisor, marseille_advisor):
        colleague_place = PlaceAssignmentFactory(
            advisor__structure=paris_advisor.structure, place__structure=paris_advisor.structure, place__name="CCAS"
        ).place
        elsewhere = marseille_advisor.places.get()
        client.force_login(advisor_user)
        response = client.get(reverse("coop:place_join"))
        assert list(response.context["places"]) == [colleague_place]
        assert client.post(reverse("coop:place_join"), {"place": elsewhere.pk}).status_code == 404
        assert client.post(reverse("coop:place_join"), {"place": "x"}).status_code == 404
        assert client.post(reverse("coop:place_join"), {"place": colleague_place.pk}).status_code == 302
        assert paris_advisor.places.filter(pk=colleague_place.pk).exists()


class TestProfile:
    def test_an_advisor_updates_contact_line_manager_and_visibility(self, client, advisor_user, paris_advisor):
        client.force_login(advisor_user)
        response = client.post(
            reverse("coop:profile"),
            {
                "professional_email": "camille.pro@conseiller-numerique.fr",
                "professional_phone": "01 23 45 67 89",
                "line_manager_name": "Jeanne Martin",
                "line_manager_function": "Directrice",
                "line_manager_email": "jeanne@mairie.fr",
                "line_manager_phone": "+33 6 12 34 56 78",
            },
        )
        assert response.status_code == 302
        paris_advisor.refresh_from_db()
        assert (
            paris_advisor.line_manager_name == "Jeanne Martin" and paris_advisor.professional_phone == "+33123456789"
        )
        assert paris_advisor.line_manager_phone == "+33612345678"  # stored in the international form
        assert paris_advisor.show_on_map is False  # the box was not ticked

    def test_refusals(self, client, advisor_user):
        client.force_login(advisor_user)
        response = client.post(
            reverse("coop:profile"),
            {
                "professional_phone": "12345",
                "line_manager_email": "pas-une-adresse",
                "line_manager_function": "Directrice",
            },
        )
        errors = errors_of(response)
        assert "Saisissez un numéro de téléphone français valide" in errors["professional_phone"][0]
        assert errors["line_manager_name"] == ["Indiquez le nom de votre supérieur hiérarchique."]
        assert "line_manager_email" in errors
        assert "Directrice" in response.text

    def test_a_coordinator_edits_their_own_profile_only(self, client, coordinator_user, paris_advisor):
        client.force_login(coordinator_user)
        assert client.get(reverse("coop:profile")).context["advisor"] == coordinator_user.advisor
