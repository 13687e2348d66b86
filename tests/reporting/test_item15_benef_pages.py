"""« Mes bénéficiaires » pages: list, search, sort, create with consent, edit, record and history, erase, export;
private to their advisor (another advisor's person answers 404, a coordinator never sees the team's names)."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.enums import AuditAction
from accounts.models import AuditEvent
from reporting.enums import AgeBand, Gender, SocialStatus
from reporting.models import Beneficiary
from tests import personas
from tests.reporting.factories import ActivityFactory
from tests.reporting.factories_benef import BeneficiaryFactory, link
from tests.territories.factories import commune

pytestmark = pytest.mark.django_db

LIST = reverse("coop:beneficiary_list")
CREATE = reverse("coop:beneficiary_create")
TODAY = timezone.localdate()


def person_urls(pk) -> list[str]:
    return [
        reverse("coop:beneficiary_detail", args=[pk]),
        reverse("coop:beneficiary_edit", args=[pk]),
        reverse("coop:beneficiary_erase", args=[pk]),
        reverse("coop:beneficiary_export", args=[pk, "csv"]),
        reverse("coop:beneficiary_export", args=[pk, "xlsx"]),
    ]


def valid_post(**overrides) -> dict:
    data = {
        "last_name": "Durand",
        "first_name": "Josette",
        "phone": "06 12 34 56 78",
        "email": "josette@example.fr",
        "birth_year": "1950",
        "commune": "",
        "gender": Gender.FEMALE,
        "age_band": AgeBand.UNKNOWN,
        "status": SocialStatus.RETIRED,
        "notes": "Préfère le matin.",
        "informed": "on",
    }
    data.update(overrides)
    return data


@pytest.fixture
def camille(client, advisor_user, paris_advisor):
    client.force_login(advisor_user)
    return paris_advisor


@pytest.fixture
def other_advisor_person(marseille_advisor):
    return BeneficiaryFactory(advisor=marseille_advisor, last_name="Secret", first_name="Inconnue")


class TestAccess:
    def test_anonymous_visitors_go_to_the_login_page(self, client):
        response = client.get(LIST)
        assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))

    @pytest.mark.parametrize("name", ["beneficiary_list", "beneficiary_create", "beneficiary_duplicates"])
    def test_it_refuses_the_other_roles(self, client, structure_manager, prefecture_paris, national_admin, name):
        for user in (structure_manager, prefecture_paris, national_admin):
            client.force_login(user)
            assert client.get(reverse(f"coop:{name}")).status_code == 403

    def test_another_advisors_person_answers_404_on_every_url(self, client, camille, other_advisor_person):
        for url in person_urls(other_advisor_person.pk):
            assert client.get(url).status_code == 404, url
            assert client.post(url, valid_post()).status_code == 404, url
        mine = BeneficiaryFactory(advisor=camille)
        merge = reverse("coop:beneficiary_merge", args=[mine.pk, other_advisor_person.pk])
        assert client.get(merge).status_code == 404
        assert client.post(merge, {"garder": mine.pk}).status_code == 404
        other_advisor_person.refresh_from_db()
        assert other_advisor_person.last_name == "Secret" and other_advisor_person.merged_into_id is None

    def test_an_erased_or_merged_person_answers_404(self, client, camille):
        erased = BeneficiaryFactory(advisor=camille, anonymised_at=timezone.now())
        kept = BeneficiaryFactory(advisor=camille)
        merged = BeneficiaryFactory(advisor=camille, merged_into=kept)
        for person in (erased, merged):
            for url in person_urls(person.pk):
                assert client.get(url).status_code == 404, url

    def test_a_coordinator_never_sees_the_names_of_the_teams_people(self, client, coordinator_user, paris_advisor):
        person = BeneficiaryFactory(advisor=paris_advisor, last_name="Confidentielle", first_name="Odette")
        link(ActivityFactory(advisor=paris_advisor), person)
        client.force_login(coordinator_user)
        for url in person_urls(person.pk):
            assert client.get(url).status_code == 404, url
        assert client.get(LIST, {"q": "Confidentielle"}).context["page"].paginator.count == 0
        pages = [LIST, reverse("coop:beneficiary_duplicates"), reverse("coop:team")]
        for url in pages:
            response = client.get(url)
            assert response.status_code == 200, url
            assert "Confidentielle" not in response.text and "Odette" not in response.text, url
        statistics = client.get(reverse("coop:team_statistics"))
        assert "Confidentielle" not in statistics.text

    def test_the_side_menu_shows_my_beneficiaries(self, client, camille):
        assert f'href="{LIST}"' in client.get(reverse("coop:home")).text


class TestList:
    def test_it_lists_only_my_followed_people_with_their_counts(self, client, camille, other_advisor_person):
        josette = BeneficiaryFactory(advisor=camille, last_name="Durand", first_name="Josette")
        BeneficiaryFactory(advisor=camille, last_name="Effacée", anonymised_at=timezone.now())
        link(ActivityFactory(advisor=camille, date=TODAY - timedelta(days=10)), josette)
        link(ActivityFactory(advisor=camille, date=TODAY - timedelta(days=2)), josette)
        deleted = ActivityFactory(advisor=camille, date=TODAY - timedelta(days=1))
        link(deleted, josette)
        deleted.deleted_at = timezone.now()
        deleted.save(update_fields=["deleted_at"])
        response = client.get(LIST)
        assert response.status_code == 200
        assert [person.pk for person in response.context["page"]] == [josette.pk]
        row = response.context["page"][0]
        assert (row.accompaniments, row.last_accompaniment) == (2, TODAY - timedelta(days=2))
        assert "Secret" not in response.text and "Effacée" not in response.text

    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ("helene", ["Hélène"]),
            ("HÉLÈNE dupré", ["Hélène"]),
            ("dupre", ["Hélène", "Marc"]),
            ("dupre marc", ["Marc"]),
            ("marseille", ["Marc"]),
            ("06 11", ["Hélène"]),
            ("0611223344", ["Hélène"]),
            ("gmail", ["Marc"]),
            ("personne", []),
        ],
    )
    def test_search_matches_every_word_without_accents(self, client, camille, query, expected):
        BeneficiaryFactory(advisor=camille, last_name="Dupré", first_name="Hélène", phone="0611223344")
        BeneficiaryFactory(
            advisor=camille, last_name="Dupre", first_name="Marc", email="marc@gmail.com", commune=commune("13055")
        )
        BeneficiaryFactory(advisor=camille, last_name="Autre", first_name="Zoé")
        response = client.get(LIST, {"q": query})
        assert sorted(person.first_name for person in response.context["page"]) == expected
        if not expected:
            assert "Aucune personne ne correspond" in response.text

    def test_it_sorts_by_name_last_accompaniment_or_number(self, client, camille):
        anne = BeneficiaryFactory(advisor=camille, last_name="Alpha", first_name="Anne")
        bruno = BeneficiaryFactory(advisor=camille, last_name="Bravo", first_name="Bruno")
        chloe = BeneficiaryFactory(advisor=camille, last_name="Charlie", first_name="Chloé")
        link(ActivityFactory(advisor=camille, date=TODAY - timedelta(days=30)), bruno)
        link(ActivityFactory(advisor=camille, date=TODAY - timedelta(days=20)), bruno)
        link(ActivityFactory(advisor=camille, date=TODAY - timedelta(days=1)), chloe)

        def order(sort):
            return [person.pk for person in client.get(LIST, {"tri": sort}).context["page"]]

        assert order("nom") == [anne.pk, bruno.pk, chloe.pk]
        assert order("dernier") == [chloe.pk, bruno.pk, anne.pk]
        assert order("nombre") == [bruno.pk, chloe.pk, anne.pk]
        assert client.get(LIST, {"tri": "n'importe quoi"}).status_code == 200

    def test_it_pages_by_twenty(self, client, camille):
        BeneficiaryFactory.create_batch(21, advisor=camille)
        first, second = client.get(LIST), client.get(LIST, {"page": 2})
        assert len(first.context["page"]) == 20 and len(second.context["page"]) == 1
        assert "21</strong> personnes suivies" in first.text

    def test_its_query_count_does_not_grow_with_200_people(self, client, camille, django_assert_max_num_queries):
        people = BeneficiaryFactory.create_batch(3, advisor=camille, commune=commune("75056"))
        link(ActivityFactory(advisor=camille), people[0])
        with django_assert_max_num_queries(12) as few:
            client.get(LIST, {"tri": "dernier"})
        BeneficiaryFactory.create_batch(197, advisor=camille, commune=commune("13055"))
        for person in Beneficiary.objects.filter(advisor=camille)[:20]:
            link(ActivityFactory(advisor=camille), person)
        with django_assert_max_num_queries(len(few.captured_queries)):
            response = client.get(LIST, {"tri": "dernier", "q": "nom"})
        assert response.context["page"].paginator.count == 200


class TestCreate:
    def test_the_form_states_the_consent_and_each_fields_audience(self, client, camille):
        text = client.get(CREATE).text
        for words in ("ce qui est enregistré", "pourquoi", "vous seul", "après 12 mois", "ses droits"):
            assert words in text, words
        assert "jamais de données de santé" in text
        assert "Visible de vous seul" in text and "Compté, sans nom" in text

    def test_it_records_a_person_and_when_she_was_informed(self, client, camille):
        lyon = commune("69123")
        response = client.post(CREATE, valid_post(commune="69123"))
        person = Beneficiary.objects.get(advisor=camille)
        assert response.status_code == 302 and response.url == reverse("coop:beneficiary_detail", args=[person.pk])
        assert (person.last_name, person.phone, person.birth_year) == ("Durand", "0612345678", 1950)
        assert person.age_band == AgeBand.FROM_70 and person.informed_at is not None
        assert person.commune == lyon

    def test_it_refuses_without_the_advisors_confirmation(self, client, camille):
        response = client.post(CREATE, valid_post(informed=""))
        assert response.status_code == 200 and not Beneficiary.objects.exists()
        assert "Confirmez que vous avez informé la personne" in response.text
        assert 'value="Durand"' in response.text  # nothing typed is lost

    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("last_name", "", "Indiquez le nom de la personne."),
            ("first_name", "", "Indiquez le prénom de la personne."),
            ("birth_year", "1850", "Saisissez une année entre 1900"),
            ("birth_year", str(TODAY.year + 1), "Saisissez une année entre 1900"),
            ("birth_year", "mille", "Saisissez une année sur quatre chiffres"),
            ("email", "josette@", "Saisissez une adresse e-mail valide"),
            ("phone", "12", "numéro de téléphone français valide"),
            ("commune", "Zzzzzzz", "Commune introuvable"),
            ("age_band", AgeBand.FROM_18, "corrigez l'année ou la tranche d'âge"),
        ],
    )
    def test_bad_input_gets_a_french_message_next_to_its_field(self, client, camille, field, value, message):
        response = client.post(CREATE, valid_post(**{field: value}))
        assert response.status_code == 200 and not Beneficiary.objects.exists()
        assert any(message in error for error in response.context["form"].errors[field])

    def test_the_age_band_alone_is_kept_without_a_year(self, client, camille):
        client.post(CREATE, valid_post(birth_year="", age_band=AgeBand.FROM_25))
        assert Beneficiary.objects.get().age_band == AgeBand.FROM_25


class TestEdit:
    def test_it_changes_the_record_and_refreshes_her_reports_when_her_answers_change(
        self, client, camille, people_calls
    ):
        person = BeneficiaryFactory(advisor=camille, status=SocialStatus.RETIRED)
        url = reverse("coop:beneficiary_edit", args=[person.pk])
        form = client.get(url)
        assert form.status_code == 200 and "informed" not in form.context["form"].fields
        response = client.post(url, valid_post(notes="Nouvelles notes", informed=""))
        assert response.status_code == 302
        person.refresh_from_db()
        assert person.notes == "Nouvelles notes" and person.last_name == "Durand"
        assert people_calls == [("refresh", person.pk)]

    def test_it_does_not_refresh_the_reports_when_only_her_identity_changes(self, client, camille, people_calls):
        person = BeneficiaryFactory(
            advisor=camille, gender=Gender.FEMALE, age_band=AgeBand.FROM_70, status=SocialStatus.RETIRED
        )
        client.post(reverse("coop:beneficiary_edit", args=[person.pk]), valid_post(last_name="Martin"))
        person.refresh_from_db()
        assert person.last_name == "Martin" and people_calls == []

    def test_bad_input_keeps_the_record(self, client, camille, people_calls):
        person = BeneficiaryFactory(advisor=camille, last_name="Avant")
        response = client.post(reverse("coop:beneficiary_edit", args=[person.pk]), valid_post(last_name=""))
        assert response.status_code == 200 and "Indiquez le nom" in response.text
        person.refresh_from_db()
        assert person.last_name == "Avant" and people_calls == []


class TestDetail:
    def test_it_shows_her_record_and_her_history_newest_first(self, client, camille):
        person = BeneficiaryFactory(advisor=camille, last_name="Durand", phone="0612345678")
        old = ActivityFactory(advisor=camille, date=TODAY - timedelta(days=40))
        new = ActivityFactory(advisor=camille, date=TODAY - timedelta(days=3), collective=True, title="Atelier mail")
        link(old, person)
        link(new, person)
        ActivityFactory(advisor=camille)  # not hers
        response = client.get(reverse("coop:beneficiary_detail", args=[person.pk]))
        assert [activity.pk for activity in response.context["page"]] == [new.pk, old.pk]
        assert "06 12 34 56 78" in response.text and "Atelier mail" in response.text
        assert reverse("coop:activity_detail", args=[old.pk]) in response.text
        assert "Navigation sur internet" in response.text
        assert f"/coop/activites/nouvelle/?type=individuel&amp;beneficiaire={person.pk}" in response.text


class TestErase:
    def test_the_confirmation_says_what_is_removed_and_what_stays(self, client, camille):
        person = BeneficiaryFactory(advisor=camille)
        text = client.get(reverse("coop:beneficiary_erase", args=[person.pk])).text
        assert "Ce qui est effacé" in text and "Ce qui reste, sans nom" in text and "retraité" in text

    def test_it_empties_her_personal_data_keeps_her_answers_and_links_and_audits(self, client, camille):
        person = BeneficiaryFactory(
            advisor=camille,
            last_name="Durand",
            phone="0612345678",
            email="j@example.fr",
            birth_year=1950,
            commune=commune("75056"),
            notes="Notes",
            age_band=AgeBand.FROM_70,
        )
        link(ActivityFactory(advisor=camille), person)
        response = client.post(reverse("coop:beneficiary_erase", args=[person.pk]))
        assert response.status_code == 302 and response.url == LIST
        person.refresh_from_db()
        assert (person.last_name, person.first_name, person.phone, person.email, person.notes) == ("",) * 5
        assert person.birth_year is None and person.commune is None and person.anonymised_at is not None
        assert (person.gender, person.age_band, person.status) == (
            Gender.FEMALE,
            AgeBand.FROM_70,
            SocialStatus.RETIRED,
        )
        assert person.activity_links.count() == 1
        event = AuditEvent.objects.get(action=AuditAction.BENEFICIARY_ERASED)
        assert event.target_label == f"Personne suivie n° {person.pk}" and "Durand" not in str(event.details)
        assert client.get(reverse("coop:beneficiary_detail", args=[person.pk])).status_code == 404


class TestExport:
    def test_the_csv_holds_her_record_and_history_with_formula_cells_neutralised(self, client, camille):
        person = BeneficiaryFactory(advisor=camille, last_name='=HYPERLINK("x")', notes="+danger", phone="0612345678")
        link(ActivityFactory(advisor=camille, date=TODAY - timedelta(days=5)), person)
        response = client.get(reverse("coop:beneficiary_export", args=[person.pk, "csv"]))
        assert response.status_code == 200
        rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")), delimiter=";"))
        record = dict(row for row in rows if len(row) == 2)
        assert record["Nom"] == '\'=HYPERLINK("x")' and record["Notes"] == "'+danger"
        assert record["Téléphone"] == "06 12 34 56 78"
        assert ["Date", "Type", "Durée (minutes)", "Thématiques", "Lieu", "Commune"] in rows
        assert [(TODAY - timedelta(days=5)).strftime("%d/%m/%Y")] == [row[0] for row in rows if len(row) == 6][1:]
        event = AuditEvent.objects.get(action=AuditAction.DATA_EXPORTED)
        assert event.details == {"format": "csv", "kind": "beneficiary"} and "HYPERLINK" not in event.target_label

    def test_the_xlsx_has_a_record_sheet_and_a_history_sheet(self, client, camille):
        person = BeneficiaryFactory(advisor=camille, last_name="@SUM(A1)")
        link(ActivityFactory(advisor=camille), person)
        response = client.get(reverse("coop:beneficiary_export", args=[person.pk, "xlsx"]))
        workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
        assert workbook.sheetnames == ["Fiche", "Accompagnements"]
        record = {row[0]: row[1] for row in workbook["Fiche"].iter_rows(values_only=True)}
        assert record["Nom"] == "'@SUM(A1)"
        assert workbook["Accompagnements"].max_row == 2


class TestOtherAdvisorPersona:
    def test_ines_sees_her_people_and_not_camilles(self, client, marseille_advisor, paris_advisor):
        ines = personas.create_user(personas.ADVISOR_MARSEILLE, advisor=marseille_advisor)
        BeneficiaryFactory(advisor=paris_advisor, last_name="DeCamille")
        BeneficiaryFactory(advisor=marseille_advisor, last_name="DInes")
        client.force_login(ines)
        text = client.get(LIST).text
        assert "DINES" in text and "DECAMILLE" not in text
