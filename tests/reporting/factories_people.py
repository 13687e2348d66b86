"""Followed beneficiaries for the tests of their links to activity reports (issue 15, « people »)."""

import uuid

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from reporting import services
from reporting.counters import BREAKDOWN_FIELDS
from reporting.enums import AgeBand, Gender, SocialStatus
from reporting.models import Beneficiary
from tests.directory.factories import AdvisorFactory
from tests.reporting.factories import ActivityFactory


class BeneficiaryFactory(DjangoModelFactory):
    """A person an advisor follows, informed of it, with a known genre, tranche d'âge and statut."""

    class Meta:
        model = Beneficiary

    advisor = factory.SubFactory(AdvisorFactory)
    first_name = factory.Sequence(lambda n: f"Alice{n}")
    last_name = factory.Sequence(lambda n: f"Martin{n}")
    gender = Gender.FEMALE
    age_band = AgeBand.FROM_70
    status = SocialStatus.RETIRED
    informed_at = factory.LazyFunction(timezone.now)

    class Params:
        unknown = factory.Trait(gender=Gender.UNKNOWN, age_band=AgeBand.UNKNOWN, status=SocialStatus.UNKNOWN)


def linked_report(advisor, people, **values):
    """A report of `advisor` recorded through the service with these followed people (values: the anonymous part)."""
    built = ActivityFactory.build(advisor=advisor, **values)
    fields = {
        name: getattr(built, name)
        for name in (
            "kind date duration place_type place commune themes procedures materials autonomy redirected "
            "redirection_structure title level participants already_accompanied notes"
        ).split()
    }
    fields.update({name: getattr(built, name) for name in BREAKDOWN_FIELDS})
    if fields["place_type"] != "lieu_activite":
        fields["place"] = None
    activity, _ = services.activity_create(advisor=advisor, values=fields, token=uuid.uuid4(), beneficiaries=people)
    return activity
