"""Followed beneficiaries for the tests of « Mes bénéficiaires », and a stand-in for the links' services."""

import factory
import pytest
from django.utils import timezone

from reporting.enums import AgeBand, Gender, SocialStatus
from reporting.models import ActivityBeneficiary, Beneficiary
from reporting.services import people
from tests.directory.factories import AdvisorFactory


class BeneficiaryFactory(factory.django.DjangoModelFactory):
    """A followed person, informed of the follow-up today."""

    class Meta:
        model = Beneficiary

    advisor = factory.SubFactory(AdvisorFactory)
    first_name = factory.Sequence(lambda n: f"Prénom{n}")
    last_name = factory.Sequence(lambda n: f"Nom{n}")
    gender = Gender.FEMALE
    age_band = AgeBand.FROM_60
    status = SocialStatus.RETIRED
    informed_at = factory.LazyFunction(timezone.now)


def link(activity, beneficiary) -> ActivityBeneficiary:
    """Link a report to a followed person, her answers as the link's contribution (as the CRA form does)."""
    return ActivityBeneficiary.objects.create(
        activity=activity,
        beneficiary=beneficiary,
        gender=beneficiary.gender,
        age_band=beneficiary.age_band,
        status=beneficiary.status,
    )


@pytest.fixture
def people_calls(monkeypatch):
    """Record the calls to the links' services (their effect on counts is tested with them), in call order."""
    calls = []
    monkeypatch.setattr(
        people, "activity_refresh_people", lambda *, beneficiary: calls.append(("refresh", beneficiary.pk))
    )
    monkeypatch.setattr(
        people, "activity_merge_people", lambda *, source, target: calls.append(("merge", source.pk, target.pk))
    )
    return calls
