"""The record services of « Mes bénéficiaires » with the real link services (no stand-in): an edit, a merge and an
erasure move the statistics exactly as the people's reports say, and the rollups agree with the raw reports."""

from datetime import timedelta

import pytest
from django.utils import timezone

from reporting.models import ActivityBeneficiary
from reporting.scopes import Scope
from reporting.selectors import Period, activity_statistics, activity_statistics_naive
from reporting.services import beneficiaries
from tests.reporting.factories_people import BeneficiaryFactory, linked_report

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
PERIOD = Period(TODAY - timedelta(days=400), TODAY)


def stats(advisor):
    scope = Scope.advisors([advisor.pk])
    statistics = activity_statistics(scope, PERIOD)
    assert statistics == activity_statistics_naive(scope, PERIOD)
    return statistics


class TestRecordsMoveTheStatistics:
    def test_an_edit_of_her_answers_moves_her_reports(self, paris_advisor, advisor_user):
        alice = BeneficiaryFactory(advisor=paris_advisor)
        linked_report(paris_advisor, [alice])
        linked_report(paris_advisor, [alice], collective=True, participants=2)
        assert stats(paris_advisor)["gender_feminin"] == 2
        beneficiaries.beneficiary_update(beneficiary=alice, actor=advisor_user, values={"gender": "masculin"})
        after = stats(paris_advisor)
        assert (after["gender_feminin"], after["gender_masculin"], after["accompaniments"]) == (0, 2, 4)

    def test_a_merge_keeps_one_person_where_both_were(self, paris_advisor, advisor_user):
        kept, duplicate = BeneficiaryFactory.create_batch(2, advisor=paris_advisor)
        linked_report(paris_advisor, [kept, duplicate], collective=True, participants=1)
        linked_report(paris_advisor, [duplicate])
        assert stats(paris_advisor)["accompaniments"] == 4
        beneficiaries.beneficiary_merge(source=duplicate, target=kept, actor=advisor_user)
        assert stats(paris_advisor)["accompaniments"] == 3
        assert set(ActivityBeneficiary.objects.values_list("beneficiary", flat=True)) == {kept.pk}

    def test_an_erasure_keeps_her_in_the_statistics_without_her_name(self, paris_advisor, advisor_user):
        alice = BeneficiaryFactory(advisor=paris_advisor, first_name="Alice", last_name="Secret")
        linked_report(paris_advisor, [alice])
        before = stats(paris_advisor)
        beneficiaries.beneficiary_erase(beneficiary=alice, actor=advisor_user)
        alice.refresh_from_db()
        assert (alice.first_name, alice.last_name, alice.anonymised_at is not None) == ("", "", True)
        assert stats(paris_advisor) == before
