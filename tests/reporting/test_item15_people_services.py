"""Followed people linked to activity reports: counts, « déjà accompagnée », refresh, merge, refusals (services)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from reporting import services
from reporting.models import Activity, ActivityBeneficiary
from reporting.scopes import Scope
from reporting.selectors import Period, activity_statistics
from tests.reporting.factories_people import BeneficiaryFactory, linked_report

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def stats(advisor):
    return activity_statistics(Scope.advisors([advisor.pk]), Period(TODAY - timedelta(days=400), TODAY))


def fresh(activity):
    return Activity.objects.get(pk=activity.pk)


class TestLinking:
    def test_it_describes_an_individual_report_with_her_record_not_the_typed_answers(self, paris_advisor):
        alice = BeneficiaryFactory(advisor=paris_advisor)
        report = linked_report(paris_advisor, [alice], counts={"gender_masculin": 1, "status_en_emploi": 1})
        assert (report.participants, report.gender_feminin, report.gender_masculin) == (1, 1, 0)
        assert (report.age_soixante_dix_plus, report.status_retraite, report.status_en_emploi) == (1, 1, 0)
        link = ActivityBeneficiary.objects.get(activity=report)
        assert (link.gender, link.age_band, link.status, link.already_accompanied) == (
            "feminin",
            "soixante_dix_plus",
            "retraite",
            False,
        )
        alice.refresh_from_db()
        assert alice.last_activity_on == report.date

    def test_a_workshop_adds_its_followed_people_to_the_anonymous_ones(self, paris_advisor):
        people = BeneficiaryFactory.create_batch(2, advisor=paris_advisor)
        report = linked_report(paris_advisor, people, collective=True, participants=3, counts={"gender_masculin": 2})
        assert report.participants == 5
        assert (report.gender_feminin, report.gender_masculin, report.gender_non_communique) == (2, 2, 1)
        assert stats(paris_advisor)["accompaniments"] == 5
        assert stats(paris_advisor)["gender_feminin"] == 2

    def test_another_advisors_person_is_refused(self, paris_advisor, marseille_advisor):
        stranger = BeneficiaryFactory(advisor=marseille_advisor)
        with pytest.raises(ValidationError, match="ne fait pas partie de vos personnes suivies"):
            linked_report(paris_advisor, [stranger])
        assert not Activity.objects.exists()

    @pytest.mark.parametrize("state", ["anonymised", "merged"])
    def test_an_erased_or_merged_person_is_refused(self, paris_advisor, state):
        person = BeneficiaryFactory(advisor=paris_advisor)
        if state == "anonymised":
            person.anonymised_at = timezone.now()
        else:
            person.merged_into = BeneficiaryFactory(advisor=paris_advisor)
        person.save()
        with pytest.raises(ValidationError):
            linked_report(paris_advisor, [person])
        assert not Activity.objects.exists()

    def test_an_individual_report_concerns_one_person_only(self, paris_advisor):
        people = BeneficiaryFactory.create_batch(2, advisor=paris_advisor)
        with pytest.raises(ValidationError, match="une seule personne"):
            linked_report(paris_advisor, people)

    def test_the_edit_refuses_another_advisors_person_and_changes_nothing(self, paris_advisor, marseille_advisor):
        report = linked_report(paris_advisor, [], collective=True, participants=4)
        stranger = BeneficiaryFactory(advisor=marseille_advisor)
        with pytest.raises(ValidationError):
            services.activity_update(activity=report, values={}, beneficiaries=[stranger])
        assert fresh(report).participants == 4 and stats(paris_advisor)["accompaniments"] == 4


class TestAlreadyAccompanied:
    def test_her_second_report_counts_her_as_already_accompanied(self, paris_advisor):
        alice = BeneficiaryFactory(advisor=paris_advisor)
        first = linked_report(paris_advisor, [alice], date=TODAY - timedelta(days=5))
        second = linked_report(paris_advisor, [alice], date=TODAY - timedelta(days=2))
        assert (fresh(first).already_accompanied, fresh(second).already_accompanied) == (0, 1)
        assert stats(paris_advisor)["already_accompanied"] == 1

    def test_a_report_dated_before_her_first_one_moves_the_flag(self, paris_advisor):
        alice = BeneficiaryFactory(advisor=paris_advisor)
        later = linked_report(paris_advisor, [alice], date=TODAY - timedelta(days=2))
        earlier = linked_report(paris_advisor, [alice], date=TODAY - timedelta(days=9))
        assert (fresh(earlier).already_accompanied, fresh(later).already_accompanied) == (0, 1)
        assert stats(paris_advisor)["already_accompanied"] == 1

    def test_the_same_day_the_report_created_first_is_her_first(self, paris_advisor):
        alice = BeneficiaryFactory(advisor=paris_advisor)
        one = linked_report(paris_advisor, [alice], date=TODAY)
        two = linked_report(paris_advisor, [alice], date=TODAY)
        assert (fresh(one).already_accompanied, fresh(two).already_accompanied) == (0, 1)

    def test_deleting_her_first_report_makes_the_next_one_her_first(self, paris_advisor, advisor_user):
        alice = BeneficiaryFactory(advisor=paris_advisor)
        first = linked_report(paris_advisor, [alice], date=TODAY - timedelta(days=5))
        second = linked_report(paris_advisor, [alice], date=TODAY - timedelta(days=2))
        services.activity_delete(activity=first, actor=advisor_user)
        assert fresh(second).already_accompanied == 0
        assert stats(paris_advisor)["already_accompanied"] == 0 and stats(paris_advisor)["accompaniments"] == 1
        alice.refresh_from_db()
        assert alice.last_activity_on == second.date

    def test_moving_a_date_recomputes_both_reports(self, paris_advisor):
        alice = BeneficiaryFactory(advisor=paris_advisor)
        first = linked_report(paris_advisor, [alice], date=TODAY - timedelta(days=5))
        second = linked_report(paris_advisor, [alice], date=TODAY - timedelta(days=2))
        services.activity_update(activity=second, values={"date": TODAY - timedelta(days=30)})
        assert (fresh(first).already_accompanied, fresh(second).already_accompanied) == (1, 0)
        assert stats(paris_advisor)["already_accompanied"] == 1

    def test_removing_her_from_a_workshop_gives_back_the_anonymous_part(self, paris_advisor):
        alice = BeneficiaryFactory(advisor=paris_advisor)
        workshop = linked_report(paris_advisor, [alice], collective=True, participants=3)
        services.activity_update(activity=workshop, values={}, beneficiaries=[])
        workshop = fresh(workshop)
        assert workshop.participants == 3 and workshop.gender_feminin == 0 and workshop.gender_non_communique == 3
        assert not ActivityBeneficiary.objects.exists()
        assert stats(paris_advisor)["accompaniments"] == 3


class TestRefresh:
    def test_it_moves_her_contribution_in_every_current_report(self, paris_advisor):
        alice = BeneficiaryFactory(advisor=paris_advisor)
        linked_report(paris_advisor, [alice], date=TODAY - timedelta(days=5))
        linked_report(paris_advisor, [alice], collective=True, participants=2)
        alice.gender, alice.age_band = "masculin", "quarante_cinquante_neuf"
        alice.save()
        services.activity_refresh_people(beneficiary=alice)
        figures = stats(paris_advisor)
        assert (figures["gender_masculin"], figures["gender_feminin"]) == (2, 0)
        assert figures["age_quarante_cinquante_neuf"] == 2 and figures["accompaniments"] == 4
        assert set(ActivityBeneficiary.objects.values_list("gender", flat=True)) == {"masculin"}


class TestMerge:
    def test_a_workshop_where_both_appear_keeps_one_person(self, paris_advisor):
        alice, twin = BeneficiaryFactory.create_batch(2, advisor=paris_advisor)
        twin.gender = "masculin"
        twin.save()
        workshop = linked_report(paris_advisor, [alice, twin], collective=True, participants=1)
        individual = linked_report(paris_advisor, [twin], date=TODAY - timedelta(days=7))
        services.activity_merge_people(source=twin, target=alice)
        workshop, individual = fresh(workshop), fresh(individual)
        assert workshop.participants == 2 and workshop.gender_masculin == 0
        assert individual.gender_feminin == 1 and individual.already_accompanied == 0
        assert workshop.already_accompanied == 1
        assert set(ActivityBeneficiary.objects.values_list("beneficiary", flat=True)) == {alice.pk}
        figures = stats(paris_advisor)
        assert figures["accompaniments"] == 3 and figures["already_accompanied"] == 1

    def test_people_of_two_advisors_are_never_merged(self, paris_advisor, marseille_advisor):
        with pytest.raises(ValidationError):
            services.activity_merge_people(
                source=BeneficiaryFactory(advisor=paris_advisor), target=BeneficiaryFactory(advisor=marseille_advisor)
            )
