"""Mes activités › Coordination: access, the form of each type, refusals that keep what was typed, 404s, exports."""

import csv
import io
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from reporting.enums import TagScope
from reporting.models import CoordinationActivity, Tag
from tests import personas
from tests.directory.factories import AdvisorFactory
from tests.reporting.factories_coord import CoordinationActivityFactory
from tests.territories.factories import department

pytestmark = pytest.mark.django_db

LIST = "/coop/activites/coordination/"
CREATE = "/coop/activites/coordination/nouvelle/"
STATS = "/coop/activites/coordination/statistiques/"
TODAY = timezone.localdate


def post_data(kind="animation", **overrides) -> dict:
    data = {"token": str(uuid.uuid4()), "date": TODAY().isoformat()}
    data.update(
        {
            "animation": {"advisors_count": "4", "structures_count": "2", "animation_type": "comite"},
            "evenement": {"participants": "25", "event_type": "grand_public", "organisers": ["commune"]},
            "partenariat": {
                "partnership_natures": ["rdv_elu"],
                "partner_name_0": "Mairie de Montreuil",
                "partner_type_0": "commune",
            },
        }[kind]
    )
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def errors_of(response) -> dict:
    return {name: list(errors) for name, errors in response.context["form"].errors.items()}


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


@pytest.fixture
def coordinator(coordinator_user):
    return coordinator_user.advisor


@pytest.fixture
def marseille_coordinator(marseille_structure):
    """Yacine coordinates in Marseille: his activities are nobody else's business."""
    advisor = AdvisorFactory(structure=marseille_structure, coordinator=True)
    user = personas.create_user(personas.COORDINATOR_MARSEILLE, advisor=advisor)
    advisor.user = user
    advisor.save(update_fields=["user"])
    return advisor


@pytest.fixture
def as_coordinator(client, coordinator_user):
    client.force_login(coordinator_user)
    return client


class TestAccess:
    PAGES = [LIST, CREATE, f"{CREATE}?type=animation", f"{CREATE}?type=evenement", f"{CREATE}?type=partenariat", STATS]

    def test_the_coordinator_opens_every_page(self, as_coordinator):
        for url in self.PAGES:
            assert as_coordinator.get(url).status_code == 200, url
        assert as_coordinator.get(f"{LIST}export.csv").status_code == 200

    def test_an_advisor_and_the_agents_are_refused(self, client, advisor_user, prefecture_paris, structure_manager):
        for user in (advisor_user, prefecture_paris, structure_manager):
            client.force_login(user)
            for url in [*self.PAGES, f"{LIST}export.xlsx"]:
                assert client.get(url).status_code == 403, (user, url)
            assert client.post(f"{CREATE}?type=animation", post_data()).status_code == 403
        assert not CoordinationActivity.objects.exists()

    def test_anonymous_visitors_are_sent_to_the_login_page(self, client):
        response = client.get(LIST)
        assert response.status_code == 302 and "/connexion/" in response.url

    def test_an_unknown_type_answers_404(self, as_coordinator):
        assert as_coordinator.get(f"{CREATE}?type=fete").status_code == 404

    def test_the_menu_offers_coordination_to_coordinators_only(self, client, as_coordinator, advisor_user):
        assert "Mes activités › Coordination" in as_coordinator.get("/coop/").content.decode()
        client.force_login(advisor_user)
        assert "Mes activités › Coordination" not in client.get("/coop/").content.decode()

    def test_the_team_statistics_link_to_the_coordination_statistics(self, as_coordinator):
        assert STATS in as_coordinator.get("/coop/equipe/statistiques/").content.decode()


class TestAnotherCoordinatorsActivity:
    def test_every_url_answers_404(self, as_coordinator, marseille_coordinator):
        activity = CoordinationActivityFactory(coordinator=marseille_coordinator, notes="Secret")
        base = f"{LIST}{activity.pk}/"
        for url in (base, f"{base}modifier/", f"{base}dupliquer/", f"{base}supprimer/"):
            assert as_coordinator.get(url).status_code == 404, url
        assert as_coordinator.post(f"{base}modifier/", post_data()).status_code == 404
        assert as_coordinator.post(f"{base}supprimer/").status_code == 404
        activity.refresh_from_db()
        assert activity.deleted_at is None and activity.advisors_count == 6
        assert "Groupe de travail" not in as_coordinator.get(LIST).content.decode()
        assert all("Secret" not in cell for row in csv_rows(as_coordinator.get(f"{LIST}export.csv")) for cell in row)

    def test_an_advisor_cannot_reach_even_her_coordinators_activity(self, client, advisor_user, coordinator):
        activity = CoordinationActivityFactory(coordinator=coordinator)
        client.force_login(advisor_user)
        assert client.get(f"{LIST}{activity.pk}/").status_code == 403


class TestCreate:
    @pytest.mark.parametrize("kind", ["animation", "evenement", "partenariat"])
    def test_it_records_each_type(self, as_coordinator, coordinator, kind):
        response = as_coordinator.post(f"{CREATE}?type={kind}", post_data(kind))
        assert response.status_code == 302 and response.url == LIST
        activity = CoordinationActivity.objects.get()
        assert activity.kind == kind and activity.coordinator == coordinator
        assert activity.department_id == "75"

    def test_the_partner_rows_are_stored_as_name_and_type(self, as_coordinator):
        data = post_data("partenariat", partner_name_1="Association Emmaüs Connect", partner_type_1="association")
        as_coordinator.post(f"{CREATE}?type=partenariat", data)
        assert CoordinationActivity.objects.get().partner_structures == [
            {"name": "Mairie de Montreuil", "type": "commune"},
            {"name": "Association Emmaüs Connect", "type": "association"},
        ]

    def test_more_partner_rows_than_the_five_shown_are_accepted(self, as_coordinator):
        data = post_data("partenariat", partner_name_7="Huitième structure", partner_type_7="entreprise")
        as_coordinator.post(f"{CREATE}?type=partenariat", data)
        assert len(CoordinationActivity.objects.get().partner_structures) == 2

    def test_a_double_submission_records_one_activity(self, as_coordinator):
        data = post_data()
        as_coordinator.post(f"{CREATE}?type=animation", data)
        response = as_coordinator.post(f"{CREATE}?type=animation", data, follow=True)
        assert CoordinationActivity.objects.count() == 1
        assert "était déjà enregistrée" in response.content.decode()

    def test_a_custom_duration_is_given_in_hours_and_minutes(self, as_coordinator):
        data = post_data(duration="autre", duration_hours="2", duration_minutes="15")
        as_coordinator.post(f"{CREATE}?type=animation", data)
        assert CoordinationActivity.objects.get().duration == 135

    def test_tags_offered_are_the_visible_ones_only(self, as_coordinator, coordinator):
        paris = Tag.objects.create(name="Étiquette de Paris", scope=TagScope.DEPARTMENT, department=department("75"))
        Tag.objects.create(name="Étiquette de Marseille", scope=TagScope.DEPARTMENT, department=department("13"))
        page = as_coordinator.get(f"{CREATE}?type=animation").content.decode()
        assert "Étiquette de Paris" in page and "Étiquette de Marseille" not in page
        as_coordinator.post(f"{CREATE}?type=animation", post_data(tags=[str(paris.pk)]))
        assert list(CoordinationActivity.objects.get().tags.all()) == [paris]

    def test_a_tag_outside_the_scope_is_refused_next_to_its_field(self, as_coordinator):
        other = Tag.objects.create(name="Marseille", scope=TagScope.DEPARTMENT, department=department("13"))
        response = as_coordinator.post(f"{CREATE}?type=animation", post_data(tags=[str(other.pk)]))
        assert response.status_code == 200 and "tags" in errors_of(response)
        assert not CoordinationActivity.objects.exists()


class TestRefusals:
    @pytest.mark.parametrize(
        ("kind", "overrides", "field", "message"),
        [
            ("animation", {"advisors_count": "0", "structures_count": "0"}, "advisors_count", "au moins un"),
            ("animation", {"animation_type": None}, "animation_type", "type d'animation"),
            ("animation", {"animation_type": "autre"}, "animation_type_other", "Précisez"),
            ("animation", {"animation_themes": ["autre"]}, "animation_theme_other", "Précisez"),
            ("animation", {"advisors_count": "-1"}, "advisors_count", "négatif"),
            ("evenement", {"participants": "0"}, "participants", "au moins 1"),
            ("evenement", {"event_type": None}, "event_type", "type d'événement"),
            ("evenement", {"organisers": ["autre"]}, "organiser_other", "Précisez"),
            ("partenariat", {"partnership_natures": None}, "partnership_natures", "au moins une"),
            ("partenariat", {"partner_name_0": "", "partner_type_0": ""}, "partner_name_0", "au moins une"),
            ("partenariat", {"partner_type_0": ""}, "partner_type_0", "type de cette structure"),
            ("partenariat", {"partner_name_0": ""}, "partner_name_0", "nom de cette structure"),
            ("animation", {"date": (TODAY() + timedelta(days=1)).isoformat()}, "date", "futur"),
            ("animation", {"date": "2019-12-31"}, "date", ""),
            ("animation", {"date": "31/02/2024"}, "date", "date valide"),
            ("animation", {"duration": "autre"}, "duration_hours", "au moins 1 minute"),
            ("animation", {"name": "x" * 201}, "name", "200"),
        ],
    )
    def test_each_refusal_shows_its_message_and_keeps_what_was_typed(
        self, as_coordinator, kind, overrides, field, message
    ):
        data = post_data(kind, notes="Penser à rappeler la mairie", **overrides)
        response = as_coordinator.post(f"{CREATE}?type={kind}", data)
        assert response.status_code == 200
        errors = errors_of(response)
        assert field in errors, errors
        assert message in " ".join(errors[field])
        page = response.content.decode()
        assert "Le formulaire contient des erreurs" in page
        assert "Penser à rappeler la mairie" in page
        assert not CoordinationActivity.objects.exists()


class TestChange:
    def test_the_form_shows_the_activity_then_saves_the_change(self, as_coordinator, coordinator):
        activity = CoordinationActivityFactory(coordinator=coordinator, partnership=True)
        url = f"{LIST}{activity.pk}/modifier/"
        assert "Médiathèque Voltaire" in as_coordinator.get(url).content.decode()
        data = post_data("partenariat", token=str(activity.idempotency_token), partner_name_0="Médiathèque Hugo")
        response = as_coordinator.post(url, data)
        assert response.status_code == 302
        activity.refresh_from_db()
        assert activity.partner_structures == [{"name": "Médiathèque Hugo", "type": "commune"}]

    def test_duplicate_prefills_today_without_notes_and_creates_a_new_one(self, as_coordinator, coordinator):
        activity = CoordinationActivityFactory(coordinator=coordinator, event=True, notes="Privé")
        response = as_coordinator.get(f"{LIST}{activity.pk}/dupliquer/")
        form = response.context["form"]
        assert form.initial["date"] == TODAY() and form.initial["notes"] == ""
        assert form.initial["token"] != activity.idempotency_token
        as_coordinator.post(f"{CREATE}?type=evenement", post_data("evenement"))
        assert CoordinationActivity.objects.current().count() == 2

    def test_delete_asks_then_removes_it_from_the_list(self, as_coordinator, coordinator):
        activity = CoordinationActivityFactory(coordinator=coordinator)
        assert as_coordinator.get(f"{LIST}{activity.pk}/supprimer/").status_code == 200
        assert as_coordinator.post(f"{LIST}{activity.pk}/supprimer/").status_code == 302
        assert as_coordinator.get(f"{LIST}{activity.pk}/").status_code == 404
        assert as_coordinator.get(LIST).context["page"].paginator.count == 0


class TestList:
    def test_it_filters_by_period_type_and_tag_twenty_per_page(self, as_coordinator, coordinator):
        tag = Tag.objects.create(name="FNE", scope=TagScope.PERSONAL, owner=coordinator)
        for index in range(22):
            CoordinationActivityFactory(coordinator=coordinator, date=TODAY() - timedelta(days=index))
        CoordinationActivityFactory(coordinator=coordinator, event=True, tags=[tag])
        CoordinationActivityFactory(coordinator=coordinator, partnership=True, date=TODAY() - timedelta(days=400))
        response = as_coordinator.get(LIST)
        assert response.context["page"].paginator.count == 24
        assert len(response.context["page"]) == 20
        assert as_coordinator.get(LIST, {"kind": "evenement"}).context["page"].paginator.count == 1
        assert as_coordinator.get(LIST, {"tag": tag.pk}).context["page"].paginator.count == 1
        start = (TODAY() - timedelta(days=30)).isoformat()
        assert as_coordinator.get(LIST, {"start": start}).context["page"].paginator.count == 23

    def test_a_bad_filter_is_explained_and_never_a_500(self, as_coordinator):
        response = as_coordinator.get(LIST, {"start": "2024-13-45", "tag": "999999", "kind": "x"})
        assert response.status_code == 200
        assert "Le formulaire contient des erreurs" in response.content.decode()

    def test_its_queries_do_not_grow_with_the_activities(
        self, as_coordinator, coordinator, django_assert_max_num_queries
    ):
        tag = Tag.objects.create(name="FNE", scope=TagScope.PERSONAL, owner=coordinator)
        CoordinationActivityFactory(coordinator=coordinator, tags=[tag])
        with django_assert_max_num_queries(50) as small:
            as_coordinator.get(LIST)
        for _ in range(19):
            CoordinationActivityFactory(coordinator=coordinator, tags=[tag])
        with django_assert_max_num_queries(len(small.captured_queries)):
            as_coordinator.get(LIST)


class TestExports:
    def test_the_csv_has_la_coops_columns_and_my_notes(self, as_coordinator, coordinator):
        CoordinationActivityFactory(coordinator=coordinator, partnership=True, notes="=HYPERLINK(1)")
        rows = csv_rows(as_coordinator.get(f"{LIST}export.csv"))
        header, row = rows[0], rows[1]
        assert header[:2] == ["Date", "Type"]
        assert "Structures partenaires (nom, type)" in header and "Notes privées" in header
        values = dict(zip(header, row, strict=True))
        assert values["Type"] == "Partenariat"
        assert values["Structures partenaires (nom, type)"] == "Médiathèque Voltaire (Commune)"
        assert values["Notes privées"] == "'=HYPERLINK(1)"

    def test_the_xlsx_follows_the_filters(self, as_coordinator, coordinator):
        CoordinationActivityFactory(coordinator=coordinator)
        CoordinationActivityFactory(coordinator=coordinator, event=True)
        response = as_coordinator.get(f"{LIST}export.xlsx", {"kind": "evenement"})
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        rows = list(sheet.iter_rows(values_only=True))
        assert len(rows) == 2 and rows[1][1] == "Événement"
