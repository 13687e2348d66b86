"""Followed beneficiaries' rules and services: age band, duplicates, merge, erasure and the retention command."""

from datetime import date, datetime, timedelta
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.enums import AuditAction
from accounts.models import AuditEvent
from reporting.beneficiary_duplicates import DuplicateIndex, Person, duplicate_pairs
from reporting.beneficiary_rules import age_band_for, format_phone, normalise_phone
from reporting.enums import AgeBand, Gender, SocialStatus
from reporting.models import Beneficiary
from reporting.services import beneficiaries as services
from tests.reporting.factories import ActivityFactory
from tests.reporting.factories_benef import BeneficiaryFactory, link
from tests.territories.factories import commune

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime(2026, 6, 15, 12, 0))


class TestRules:
    @pytest.mark.parametrize(
        ("birth_year", "band"),
        [
            (2015, AgeBand.UNDER_12),
            (2014, AgeBand.FROM_12),
            (2009, AgeBand.FROM_12),
            (2008, AgeBand.FROM_18),
            (2007, AgeBand.FROM_18),
            (2001, AgeBand.FROM_25),
            (1986, AgeBand.FROM_40),
            (1966, AgeBand.FROM_60),
            (1956, AgeBand.FROM_70),
            (None, AgeBand.UNKNOWN),
        ],
    )
    def test_the_age_band_follows_la_coops_thresholds(self, birth_year, band):
        assert age_band_for(birth_year, year=2026) == band

    def test_phones_are_compacted_and_shown_in_pairs(self):
        assert normalise_phone("+33 6 12 34 56 78") == normalise_phone("06.12.34.56.78") == "0612345678"
        assert format_phone("0612345678") == "06 12 34 56 78" and format_phone("+262692123456") == "+262692123456"


class TestDuplicates:
    def test_two_shared_fields_make_a_pair_one_does_not(self, paris_advisor):
        a = BeneficiaryFactory(advisor=paris_advisor, last_name="Dupré", first_name="Jean-Luc")
        b = BeneficiaryFactory(advisor=paris_advisor, last_name="DUPRE", first_name="jean luc")
        c = BeneficiaryFactory(advisor=paris_advisor, last_name="Martin", first_name="Ali", phone="0612345678")
        d = BeneficiaryFactory(advisor=paris_advisor, last_name="Martin", first_name="Zoé", phone="0612345678")
        BeneficiaryFactory(advisor=paris_advisor, last_name="Autre", first_name="Eve", phone="0612345678")
        BeneficiaryFactory(advisor=paris_advisor, last_name="Seul", first_name="Jean-Luc")
        pairs = duplicate_pairs(Beneficiary.objects.filter(advisor=paris_advisor))
        assert sorted((x, y) for x, y, _ in pairs) == sorted([(a.pk, b.pk), (c.pk, d.pk)])
        assert {(x, y): shared for x, y, shared in pairs}[(c.pk, d.pk)] == ["last", "phone"]

    def test_email_and_phone_alone_make_a_pair(self):
        index = DuplicateIndex(
            [Person.of(1, "Un", "A", "0611111111", "x@y.fr"), Person.of(2, "Deux", "B", "06 11 11 11 11", "X@Y.FR")]
        )
        assert [(a.pk, b.pk, shared) for a, b, shared in index.pairs()] == [(1, 2, ["phone", "email"])]

    def test_a_large_family_sharing_a_phone_stays_bounded(self):
        index = DuplicateIndex(Person.of(n, "Martin", f"P{n}", "0612345678", "") for n in range(1, 301))
        assert len(index.pairs()) <= 50 * 49 // 2

    def test_the_page_lists_only_my_pairs(self, client, advisor_user, paris_advisor, marseille_advisor):
        for advisor in (paris_advisor, paris_advisor, marseille_advisor, marseille_advisor):
            BeneficiaryFactory(advisor=advisor, last_name="Double", first_name="Paire")
        client.force_login(advisor_user)
        response = client.get(reverse("coop:beneficiary_duplicates"))
        assert response.context["total"] == 1 and len(response.context["rows"]) == 1
        first, second, shared = response.context["rows"][0]
        assert first.advisor_id == second.advisor_id == paris_advisor.pk and shared == ["même nom", "même prénom"]


class TestMerge:
    def test_the_target_keeps_its_values_and_fills_its_empty_fields(self, advisor_user, paris_advisor, people_calls):
        target = BeneficiaryFactory(
            advisor=paris_advisor, last_name="Durand", phone="", notes="", status=SocialStatus.UNKNOWN, email="t@x.fr"
        )
        source = BeneficiaryFactory(
            advisor=paris_advisor,
            last_name="Durant",
            phone="0612345678",
            notes="Source",
            status=SocialStatus.EMPLOYED,
            email="s@x.fr",
            commune=commune("75056"),
        )
        services.beneficiary_merge(source=source, target=target, actor=advisor_user)
        target.refresh_from_db()
        source.refresh_from_db()
        assert (target.last_name, target.email, target.phone, target.notes) == (
            "Durand",
            "t@x.fr",
            "0612345678",
            "Source",
        )
        assert target.status == SocialStatus.EMPLOYED and target.commune_id == "75056"
        assert source.merged_into_id == target.pk and source.anonymised_at is not None and source.last_name == ""
        assert people_calls == [("merge", source.pk, target.pk), ("refresh", target.pk)]
        event = AuditEvent.objects.get(action=AuditAction.BENEFICIARIES_MERGED)
        assert event.details["merged"] == source.pk and "Durand" not in event.target_label

    def test_a_birth_year_contradicting_the_kept_age_band_is_not_taken(
        self, advisor_user, paris_advisor, people_calls
    ):
        target = BeneficiaryFactory(advisor=paris_advisor, age_band=AgeBand.FROM_25, birth_year=None)
        source = BeneficiaryFactory(advisor=paris_advisor, birth_year=1940, age_band=AgeBand.FROM_70)
        services.beneficiary_merge(source=source, target=target, actor=advisor_user)
        target.refresh_from_db()
        assert (target.birth_year, target.age_band) == (None, AgeBand.FROM_25)

    def test_it_refuses_someone_elses_record_or_the_same_record(
        self, advisor_user, paris_advisor, marseille_advisor, people_calls
    ):
        mine = BeneficiaryFactory(advisor=paris_advisor)
        theirs = BeneficiaryFactory(advisor=marseille_advisor)
        with pytest.raises(PermissionDenied):
            services.beneficiary_merge(source=theirs, target=mine, actor=advisor_user)
        with pytest.raises(ValidationError):
            services.beneficiary_merge(source=mine, target=mine, actor=advisor_user)
        assert people_calls == []

    def test_the_page_asks_which_record_to_keep_then_merges(self, client, advisor_user, paris_advisor, people_calls):
        first = BeneficiaryFactory(advisor=paris_advisor, last_name="Garde")
        second = BeneficiaryFactory(advisor=paris_advisor, last_name="Part")
        url = reverse("coop:beneficiary_merge", args=[first.pk, second.pk])
        client.force_login(advisor_user)
        assert "Fiche à garder" in client.get(url).text
        refused = client.post(url, {"garder": "999999"})
        assert refused.status_code == 400 and "Choisissez la fiche à garder." in refused.text
        response = client.post(url, {"garder": str(second.pk)})
        assert response.status_code == 302 and response.url == reverse("coop:beneficiary_detail", args=[second.pk])
        first.refresh_from_db()
        assert first.merged_into_id == second.pk


class TestServicesPermission:
    def test_update_and_erase_refuse_another_advisor(self, advisor_user, marseille_advisor, people_calls):
        theirs = BeneficiaryFactory(advisor=marseille_advisor, last_name="Intact")
        with pytest.raises(PermissionDenied):
            services.beneficiary_update(beneficiary=theirs, actor=advisor_user, values={"last_name": "X"})
        with pytest.raises(PermissionDenied):
            services.beneficiary_erase(beneficiary=theirs, actor=advisor_user)
        theirs.refresh_from_db()
        assert theirs.last_name == "Intact" and theirs.anonymised_at is None

    def test_a_structure_manager_cannot_act_on_a_person(self, structure_manager, paris_advisor):
        person = BeneficiaryFactory(advisor=paris_advisor)
        with pytest.raises(PermissionDenied):
            services.beneficiary_erase(beneficiary=person, actor=structure_manager)

    def test_create_requires_the_confirmation(self, paris_advisor):
        with pytest.raises(ValidationError):
            services.beneficiary_create(
                advisor=paris_advisor, values={"last_name": "A", "first_name": "B"}, informed=False
            )
        assert not Beneficiary.objects.exists()


def run(*args) -> str:
    out = StringIO()
    call_command("anonymise_beneficiaries", *args, stdout=out)
    return out.getvalue()


class TestRetention:
    @pytest.fixture
    def people(self, paris_advisor, settings):
        settings.BENEFICIARY_RETENTION_MONTHS = 12
        cutoff = datetime(2025, 6, 15, 12, 0, tzinfo=NOW.tzinfo)
        old = cutoff - timedelta(seconds=1)

        def make(name, *, updated=old, **fields):
            return BeneficiaryFactory(
                advisor=paris_advisor, last_name=name, created_at=old, updated_at=updated, phone="0600000000", **fields
            )

        due = make("Due")
        edited_at_cutoff = make("Modifiée", updated=cutoff)
        accompanied = make("Accompagnée")
        link(ActivityFactory(advisor=paris_advisor, date=date(2025, 6, 15)), accompanied)
        accompanied_before = make("AvantLimite")
        link(ActivityFactory(advisor=paris_advisor, date=date(2025, 6, 14)), accompanied_before)
        deleted_report = make("CRSupprimé")
        report = ActivityFactory(advisor=paris_advisor, date=date(2026, 1, 10))
        link(report, deleted_report)
        report.deleted_at = timezone.now()
        report.save(update_fields=["deleted_at"])
        erased = make("Effacée", anonymised_at=old)
        return {
            "due": [due, accompanied_before, deleted_report],
            "kept": [edited_at_cutoff, accompanied],
            "erased": erased,
        }

    def test_a_dry_run_changes_nothing(self, people):
        output = run("--now", "2026-06-15T12:00")
        assert "[simulation" in output and "3 personne(s)" in output
        assert Beneficiary.objects.filter(anonymised_at__isnull=True).count() == 5
        assert not AuditEvent.objects.filter(action=AuditAction.BENEFICIARIES_ANONYMISED).exists()

    def test_apply_anonymises_exactly_the_due_people_and_keeps_their_answers(self, people):
        output = run("--apply", "--now", "2026-06-15T12:00")
        assert "3 personne(s) suivie(s) sans activité depuis 12 mois anonymisée(s)" in output
        for person in people["due"]:
            person.refresh_from_db()
            assert person.anonymised_at is not None and person.last_name == "" and person.phone == ""
            assert (person.gender, person.status) == (Gender.FEMALE, SocialStatus.RETIRED)
        for person in people["kept"]:
            person.refresh_from_db()
            assert person.anonymised_at is None and person.last_name
        event = AuditEvent.objects.get(action=AuditAction.BENEFICIARIES_ANONYMISED)
        assert sorted(event.details["beneficiaries"]) == sorted(person.pk for person in people["due"])
        assert "0 personne(s)" in run("--apply", "--now", "2026-06-15T12:00")

    def test_the_period_follows_the_setting(self, people, settings):
        settings.BENEFICIARY_RETENTION_MONTHS = 24
        assert "0 personne(s)" in run("--now", "2026-06-15T12:00")


class TestDemo:
    def test_the_demo_advisor_follows_eight_people_linked_consistently_and_twice_changes_nothing(self, paris_advisor):
        from reporting import demo_benef
        from tests.accounts.factories import UserFactory

        paris_advisor.user = UserFactory(email=demo_benef.ADVISOR_EMAIL)
        paris_advisor.save(update_fields=["user"])
        ActivityFactory.create_batch(12, advisor=paris_advisor, counts={"gender_feminin": 1})
        demo_benef.seed()
        people = Beneficiary.objects.filter(advisor=paris_advisor)
        assert people.count() == 8
        for person in people:
            for link_ in person.activity_links.select_related("activity"):
                assert link_.activity.breakdown("gender")[link_.gender] >= 1
        links = sum(person.activity_links.count() for person in people)
        assert links >= 8
        demo_benef.seed()
        assert people.count() == 8 and sum(person.activity_links.count() for person in people) == links


class TestPersonalDataPage:
    def test_it_states_the_retention_the_job_applies_and_the_persons_rights(self, client, settings):
        call_command("seed_content", verbosity=0)
        text = client.get("/donnees-personnelles/").text
        assert settings.BENEFICIARY_RETENTION_MONTHS == 12
        assert "anonymisées après 12 mois sans accompagnement ni modification de leur fiche" in text
        assert "Personnes suivies par un conseiller" in text and "applique aussitôt" in text
