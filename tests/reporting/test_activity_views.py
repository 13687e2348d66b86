"""Recording, listing, editing, duplicating, deleting and exporting activity reports in the Espace Coop."""

import csv
import io
import uuid
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.enums import AuditAction
from accounts.models import AuditEvent
from common.dates import out_of_window_message
from reporting.counters import MATERIAL_BITS, THEME_BITS
from reporting.models import Activity
from reporting.scopes import Scope
from reporting.selectors import Period, activity_statistics
from tests.directory.factories import PlaceAssignmentFactory
from tests.reporting.factories import ActivityFactory
from tests.reporting.helpers import bulk_reports
from tests.territories.factories import commune

pytestmark = pytest.mark.django_db

CREATE = reverse("coop:activity_create")
LIST = reverse("coop:activity_list")
TODAY = timezone.localdate()


def create_url(kind="individuel"):
    return f"{CREATE}?type={kind}"


def errors_of(response) -> dict:
    return {name: list(errors) for name, errors in response.context["form"].errors.items()}


def year_stats(advisor):
    return activity_statistics(Scope.advisors([advisor.pk]), Period(TODAY - timedelta(days=365), TODAY))


class TestAccess:
    def test_anonymous_visitors_are_sent_to_the_login_page(self, client):
        response = client.get(reverse("coop:home"))
        assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))

    @pytest.mark.parametrize(
        "name", ["home", "activity_list", "activity_create", "statistics", "place_list", "tools", "profile"]
    )
    def test_other_roles_are_refused(self, client, prefecture_paris, structure_manager, name):
        for user in (prefecture_paris, structure_manager):
            client.force_login(user)
            assert client.get(reverse(f"coop:{name}")).status_code == 403

    @pytest.mark.parametrize(
        "url",
        [
            "/coop/",
            "/coop/activites/",
            "/coop/activites/nouvelle/?type=individuel",
            "/coop/activites/nouvelle/?type=collectif",
            "/coop/statistiques/",
            "/coop/lieux/",
            "/coop/lieux/nouveau/",
            "/coop/lieux/rejoindre/",
            "/coop/outils/",
            "/coop/profil/",
        ],
    )
    def test_an_advisor_opens_every_page(self, client, advisor_user, url):
        client.force_login(advisor_user)
        assert client.get(url).status_code == 200

    def test_an_unknown_kind_answers_404(self, client, advisor_user):
        client.force_login(advisor_user)
        assert client.get(create_url("ponctuel")).status_code == 404

    def test_the_team_is_for_coordinators_only(self, client, advisor_user, coordinator_user):
        client.force_login(advisor_user)
        assert client.get(reverse("coop:team")).status_code == 403
        client.force_login(coordinator_user)
        assert client.get(reverse("coop:team")).status_code == 200


class TestCreateIndividual:
    def test_it_records_the_report_and_shows_it_in_the_statistics_at_once(
        self, client, advisor_user, paris_advisor, individual_post
    ):
        client.force_login(advisor_user)
        response = client.post(create_url(), individual_post())
        assert response.status_code == 302 and response.url == LIST
        activity = Activity.objects.get()
        assert activity.advisor == paris_advisor
        assert activity.structure == paris_advisor.structure
        assert activity.department_id == "75" and activity.region_id == "11"
        assert activity.commune_id == paris_advisor.places.first().commune_id
        assert activity.themes == THEME_BITS["navigation_sur_internet"] | THEME_BITS["email"]
        assert activity.materials == MATERIAL_BITS["ordinateur"]
        assert activity.gender_feminin == 1 and activity.age_soixante_dix_plus == 1 and activity.status_retraite == 1
        assert activity.redirected is False
        stats = year_stats(paris_advisor)
        assert stats["accompaniments"] == 1 and stats["theme_email"] == 1

    def test_the_form_proposes_today_and_my_most_used_place(self, client, advisor_user, paris_advisor):
        second = PlaceAssignmentFactory(advisor=paris_advisor, place__name="Médiathèque").place
        ActivityFactory.create_batch(2, advisor=paris_advisor, place=second)
        client.force_login(advisor_user)
        form = client.get(create_url()).context["form"]
        assert form.initial["date"] == TODAY
        assert form.initial["place"] == str(second.pk)
        assert form.initial["place_type"] == "lieu_activite"

    def test_my_most_used_durations_come_first(self, client, advisor_user, paris_advisor):
        ActivityFactory.create_batch(3, advisor=paris_advisor, duration=40)
        ActivityFactory(advisor=paris_advisor, duration=90)
        client.force_login(advisor_user)
        choices = client.get(create_url()).context["form"].fields["duration"].widget.choices
        assert [value for value, _ in choices][:2] == ["40", "90"]
        assert choices[-1] == ("autre", "Autre durée")
        assert ("40", "40 min") in choices and ("90", "1 h 30") in choices

    def test_a_custom_duration_is_given_in_hours_and_minutes(self, client, advisor_user, individual_post):
        client.force_login(advisor_user)
        client.post(create_url(), individual_post(duration="autre", duration_hours="2", duration_minutes="15"))
        assert Activity.objects.get().duration == 135

    def test_at_home_the_commune_is_resolved_from_what_was_typed(self, client, advisor_user, individual_post):
        commune("13055")
        client.force_login(advisor_user)
        response = client.post(
            create_url(), individual_post(place_type="domicile", place="", commune="Marseille (13001)")
        )
        assert response.status_code == 302
        activity = Activity.objects.get()
        assert activity.commune_id == "13055" and activity.place is None

    def test_remote_reports_count_in_the_structure_commune(self, client, advisor_user, individual_post):
        client.force_login(advisor_user)
        client.post(create_url(), individual_post(place_type="a_distance", place="", commune="n'importe quoi"))
        activity = Activity.objects.get()
        assert activity.place is None and activity.commune_id == "75056"

    def test_a_double_submission_never_creates_two_reports(self, client, advisor_user, individual_post):
        client.force_login(advisor_user)
        data = individual_post()
        first = client.post(create_url(), data)
        second = client.post(create_url(), data, follow=True)
        assert first.status_code == 302 and second.status_code == 200
        assert Activity.objects.count() == 1
        assert "était déjà enregistré" in second.text
        assert year_stats(Activity.objects.get().advisor)["activities"] == 1

    def test_recording_costs_a_small_fixed_number_of_queries(
        self, client, advisor_user, individual_post, django_assert_max_num_queries
    ):
        client.force_login(advisor_user)
        client.get(create_url())
        # session, user + role, my places, token check, structure, insert, rollup upsert, savepoint/release.
        with django_assert_max_num_queries(10):
            response = client.post(create_url(), individual_post())
        assert response.status_code == 302


class TestCreateWorkshop:
    def test_it_records_the_breakdown_and_counts_participants_as_accompaniments(
        self, client, advisor_user, paris_advisor, collective_post
    ):
        client.force_login(advisor_user)
        response = client.post(create_url("collectif"), collective_post())
        assert response.status_code == 302
        workshop = Activity.objects.get()
        assert (
            workshop.kind == "collectif" and workshop.participants == 10 and workshop.title == "Découvrir la tablette"
        )
        assert (workshop.gender_feminin, workshop.gender_masculin, workshop.gender_non_communique) == (6, 3, 1)
        assert workshop.age_soixante_dix_plus == 4 and workshop.age_non_communique == 6
        assert workshop.status_retraite == 5 and workshop.status_non_communique == 5
        assert workshop.already_accompanied == 3
        stats = year_stats(paris_advisor)
        assert stats["accompaniments"] == 10 and stats["workshops"] == 1 and stats["workshop_participants"] == 10

    def test_a_workshop_costs_the_same_number_of_queries(
        self, client, advisor_user, collective_post, django_assert_max_num_queries
    ):
        client.force_login(advisor_user)
        with django_assert_max_num_queries(10):
            assert client.post(create_url("collectif"), collective_post()).status_code == 302


class TestValidation:
    """Every refused case answers 200 with its French message next to its field, and keeps what was typed."""

    @pytest.mark.parametrize(
        ("overrides", "field", "message"),
        [
            ({"date": (TODAY + timedelta(days=1)).isoformat()}, "date", "La date ne peut pas être dans le futur."),
            ({"date": "2019-12-31"}, "date", out_of_window_message()),
            ({"date": "9999-12-31"}, "date", out_of_window_message()),
            ({"date": "31/02/2024"}, "date", "Saisissez une date valide."),
            ({"duration": None}, "duration", "Choisissez une durée."),
            ({"duration": "autre"}, "duration_hours", "Indiquez la durée en heures et minutes."),
            (
                {"duration": "autre", "duration_hours": "0", "duration_minutes": "0"},
                "duration_minutes",
                "La durée doit être d'au moins 1 minute.",
            ),
            ({"duration": "autre", "duration_minutes": "75"}, "duration_minutes", "Entre 0 et 59 minutes."),
            ({"duration": "-5"}, "duration", "Choisissez une durée dans la liste ou « Autre durée »."),
            ({"place_type": None}, "place_type", "Indiquez où l'activité a eu lieu."),
            ({"place": None}, "place", "Choisissez l'un de vos lieux d'activité."),
            ({"place": "999999"}, "place", "Ce lieu ne fait pas partie de vos lieux d'activité."),
            ({"place_type": "autre", "commune": ""}, "commune", "Indiquez la commune où l'activité a eu lieu."),
            (
                {"place_type": "domicile", "commune": "Zzyzx"},
                "commune",
                "Commune introuvable : vérifiez l'orthographe ou saisissez le code postal.",
            ),
            ({"themes": None}, "themes", "Cochez au moins une thématique."),
            (
                {"procedures": ["social_sante"]},
                "procedures",
                "Les démarches administratives ne se précisent qu'avec la thématique "
                "« Aide aux démarches administratives » : cochez-la ou décochez les démarches.",
            ),
            (
                {"materials": ["aucun", "ordinateur"]},
                "materials",
                "« Pas de matériel » ne peut pas être coché avec un autre matériel.",
            ),
            (
                {"redirected": "oui"},
                "redirection_structure",
                "Choisissez le type de structure vers laquelle la personne a été réorientée.",
            ),
            (
                {"redirected": "non", "redirection_structure": "administration"},
                "redirection_structure",
                "Le type de structure ne se précise que si la personne a été réorientée : répondez « Oui » "
                "ou retirez ce choix.",
            ),
            ({"themes": ["inconnue"]}, "themes", None),
        ],
    )
    def test_individual_refusals(self, client, advisor_user, individual_post, overrides, field, message):
        client.force_login(advisor_user)
        response = client.post(create_url(), individual_post(notes="Rappeler mardi", **overrides))
        assert response.status_code == 200
        errors = errors_of(response)
        assert field in errors, errors
        if message:
            assert errors[field] == [message]
            assert message.replace("'", "&#x27;").replace("«", "«") in response.text
        assert "Rappeler mardi" in response.text
        assert not Activity.objects.exists()

    def test_another_advisors_place_is_refused(self, client, advisor_user, marseille_advisor, individual_post):
        client.force_login(advisor_user)
        response = client.post(create_url(), individual_post(place=str(marseille_advisor.places.first().pk)))
        assert errors_of(response)["place"] == ["Ce lieu ne fait pas partie de vos lieux d'activité."]

    def test_an_ambiguous_commune_asks_for_the_postal_code(self, client, advisor_user, individual_post):
        commune("75056")
        from tests.territories.factories import CommuneFactory

        CommuneFactory(code="13999", name="Paris", department_code="13", postal_codes=["13999"])
        client.force_login(advisor_user)
        response = client.post(create_url(), individual_post(place_type="autre", commune="Paris"))
        [message] = errors_of(response)["commune"]
        assert message.startswith("Plusieurs communes s'appellent « Paris » : précisez le code postal")

    @pytest.mark.parametrize(
        ("overrides", "field", "message"),
        [
            ({"title": ""}, "title", "Indiquez le titre de l'atelier."),
            ({"participants": ""}, "participants", "Indiquez le nombre de participants."),
            ({"participants": "0"}, "participants", "Un atelier compte au moins 1 participant."),
            ({"participants": "201"}, "participants", "Un atelier ne peut pas dépasser 200 participants."),
            (
                {"already_accompanied": "11"},
                "already_accompanied",
                "Les participants déjà accompagnés (11) ne peuvent pas dépasser le nombre de participants (10).",
            ),
            (
                {"gender_feminin": "8", "gender_masculin": "3"},
                "gender_masculin",
                "La répartition par genre (11) dépasse le nombre de participants (10).",
            ),
            (
                {"age_moins_de_douze": "7", "age_soixante_dix_plus": "4"},
                "age_moins_de_douze",
                "La répartition par tranche d'âge (11) dépasse le nombre de participants (10).",
            ),
            (
                {"status_retraite": "11"},
                "status_scolarise",
                "La répartition par statut (11) dépasse le nombre de participants (10).",
            ),
            ({"gender_feminin": "-1"}, "gender_feminin", "Le nombre ne peut pas être négatif."),
            ({"participants": "dix"}, "participants", "Saisissez un nombre entier."),
        ],
    )
    def test_workshop_refusals(self, client, advisor_user, collective_post, overrides, field, message):
        client.force_login(advisor_user)
        response = client.post(create_url("collectif"), collective_post(notes="Salle B", **overrides))
        assert response.status_code == 200
        assert errors_of(response).get(field) == [message], errors_of(response)
        assert "Salle B" in response.text
        assert field == "title" or "Découvrir la tablette" in response.text
        assert not Activity.objects.exists()

    def test_the_error_summary_links_to_each_field(self, client, advisor_user, individual_post):
        client.force_login(advisor_user)
        response = client.post(create_url(), individual_post(themes=None))
        assert 'id="erreurs"' in response.text
        assert "Cochez au moins une thématique." in response.text


class TestOwnership:
    def test_another_advisors_report_answers_404_everywhere(self, client, advisor_user, marseille_advisor):
        other = ActivityFactory(advisor=marseille_advisor)
        client.force_login(advisor_user)
        for name in ("activity_detail", "activity_edit", "activity_duplicate", "activity_delete"):
            assert client.get(reverse(f"coop:{name}", args=[other.pk])).status_code == 404, name
        assert client.post(reverse("coop:activity_delete", args=[other.pk])).status_code == 404
        assert client.post(reverse("coop:activity_edit", args=[other.pk]), {}).status_code == 404
        other.refresh_from_db()
        assert other.deleted_at is None

    def test_a_coordinator_cannot_edit_a_team_members_report(self, client, coordinator_user, paris_advisor):
        report = ActivityFactory(advisor=paris_advisor)
        client.force_login(coordinator_user)
        assert client.get(reverse("coop:activity_edit", args=[report.pk])).status_code == 404
        assert client.post(reverse("coop:activity_delete", args=[report.pk])).status_code == 404

    def test_a_deleted_report_answers_404(self, client, advisor_user, paris_advisor):
        report = ActivityFactory(advisor=paris_advisor)
        client.force_login(advisor_user)
        client.post(reverse("coop:activity_delete", args=[report.pk]))
        assert client.get(reverse("coop:activity_detail", args=[report.pk])).status_code == 404


class TestEditDuplicateDelete:
    def test_editing_updates_the_report_and_the_statistics(self, client, advisor_user, paris_advisor, individual_post):
        report = ActivityFactory(advisor=paris_advisor, date=TODAY - timedelta(days=2))
        client.force_login(advisor_user)
        form = client.get(reverse("coop:activity_edit", args=[report.pk])).context["form"]
        assert form.initial["duration"] == "45" and form.initial["themes"] == ["navigation_sur_internet"]
        response = client.post(
            reverse("coop:activity_edit", args=[report.pk]),
            individual_post(themes=["sante"], duration="90", token=str(report.idempotency_token)),
        )
        assert response.status_code == 302
        report.refresh_from_db()
        assert report.theme_values == ["sante"] and report.duration == 90 and report.date == TODAY
        stats = year_stats(paris_advisor)
        assert stats["theme_sante"] == 1 and stats["theme_navigation_sur_internet"] == 0 and stats["activities"] == 1

    def test_duplicating_prefills_a_new_report_dated_today(self, client, advisor_user, paris_advisor):
        source = ActivityFactory(
            advisor=paris_advisor, collective=True, date=TODAY - timedelta(days=30), notes="privé", level="avance"
        )
        client.force_login(advisor_user)
        response = client.get(reverse("coop:activity_duplicate", args=[source.pk]))
        form = response.context["form"]
        assert form.initial["date"] == TODAY and form.initial["title"] == source.title
        assert (
            form.initial["notes"] == ""
            and "token" not in form.initial
            or form.initial["token"] != source.idempotency_token
        )
        assert response.context["action"] == create_url("collectif")

    def test_deleting_is_soft_audited_and_leaves_the_statistics(self, client, advisor_user, paris_advisor):
        report = ActivityFactory(advisor=paris_advisor)
        client.force_login(advisor_user)
        assert client.get(reverse("coop:activity_delete", args=[report.pk])).status_code == 200
        response = client.post(reverse("coop:activity_delete", args=[report.pk]))
        assert response.status_code == 302
        report.refresh_from_db()
        assert report.deleted_at is not None
        assert year_stats(paris_advisor)["activities"] == 0
        assert AuditEvent.objects.filter(action=AuditAction.ACTIVITY_DELETED, target_id=str(report.pk)).exists()
        assert not client.get(LIST).context["page"].object_list


class TestList:
    def test_it_filters_by_period_kind_theme_and_place(self, client, advisor_user, paris_advisor):
        main_place = paris_advisor.places.get()
        other_place = PlaceAssignmentFactory(advisor=paris_advisor, place__name="Bibliothèque").place
        old = ActivityFactory(advisor=paris_advisor, date=date(2024, 3, 1), place=main_place)
        workshop = ActivityFactory(advisor=paris_advisor, collective=True, place=main_place)
        health = ActivityFactory(advisor=paris_advisor, themes=THEME_BITS["sante"], place=other_place)
        client.force_login(advisor_user)

        def listed(**params):
            return {activity.pk for activity in client.get(LIST, params).context["page"]}

        assert listed() == {old.pk, workshop.pk, health.pk}
        assert listed(start="2024-01-01", end="2024-12-31") == {old.pk}
        assert listed(kind="collectif") == {workshop.pk}
        assert listed(theme="sante") == {health.pk}
        assert listed(place=str(other_place.pk)) == {health.pk}

    def test_bad_filters_are_reported_not_crashing(self, client, advisor_user):
        client.force_login(advisor_user)
        response = client.get(LIST, {"start": "2025-99-01", "end": "2024-01-01", "kind": "x", "place": "abc"})
        assert response.status_code == 200
        assert "Saisissez une date valide." in response.text

    def test_a_page_costs_the_same_queries_with_10_or_60_reports(
        self, client, advisor_user, paris_advisor, django_assert_max_num_queries
    ):
        bulk_reports(paris_advisor, 10)
        client.force_login(advisor_user)
        with django_assert_max_num_queries(8):
            client.get(LIST)
        bulk_reports(paris_advisor, 50)
        with django_assert_max_num_queries(8):
            response = client.get(LIST)
        assert len(response.context["page"]) == 20

    def test_csv_export_applies_the_filters_and_keeps_my_notes(self, client, advisor_user, paris_advisor):
        ActivityFactory(advisor=paris_advisor, notes='=HYPERLINK("x")', collective=True)
        ActivityFactory(advisor=paris_advisor)
        client.force_login(advisor_user)
        response = client.get(reverse("coop:activity_export", args=["csv"]), {"kind": "collectif"})
        assert response["Content-Type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")), delimiter=";"))
        assert rows[0][:3] == ["Identifiant", "Date", "Enregistrée le"] and rows[0][-1] == "Notes privées"
        assert len(rows) == 2
        assert rows[1][rows[0].index("Type")] == "Atelier collectif"
        assert rows[1][-1] == '\'=HYPERLINK("x")'

    def test_xlsx_export(self, client, advisor_user, paris_advisor):
        ActivityFactory(advisor=paris_advisor)
        client.force_login(advisor_user)
        response = client.get(reverse("coop:activity_export", args=["xlsx"]))
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        rows = list(sheet.values)
        assert rows[0][0] == "Identifiant" and len(rows) == 2
        assert rows[1][rows[0].index("Thématiques")] == "Navigation sur internet"


def test_tokens_are_unique_per_advisor_only(paris_advisor, marseille_advisor):
    token = uuid.uuid4()
    from reporting import services

    values = {
        "kind": "individuel",
        "date": TODAY,
        "duration": 30,
        "place_type": "a_distance",
        "themes": THEME_BITS["email"],
        "gender_non_communique": 1,
        "age_non_communique": 1,
        "status_non_communique": 1,
    }
    first, created_first = services.activity_create(advisor=paris_advisor, values=values, token=token)
    second, created_second = services.activity_create(advisor=marseille_advisor, values=values, token=token)
    assert created_first and created_second and first.pk != second.pk
