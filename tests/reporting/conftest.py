"""Helpers of the reporting tests: a valid POST of the activity form, and reports made in bulk."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from reporting import rollups
from reporting.models import Activity
from tests.reporting.factories import ActivityFactory


@pytest.fixture
def individual_post(advisor_user, paris_advisor):
    """A function giving the POST data of a valid individual report (overridable per field)."""

    def build(**overrides):
        data = {
            "token": str(uuid.uuid4()),
            "date": timezone.localdate().isoformat(),
            "duration": "45",
            "place_type": "lieu_activite",
            "place": str(paris_advisor.places.first().pk),
            "themes": ["navigation_sur_internet", "email"],
            "materials": ["ordinateur"],
            "gender": "feminin",
            "age": "soixante_dix_plus",
            "status": "retraite",
            "redirected": "non",
            "notes": "",
        }
        data.update(overrides)
        return {key: value for key, value in data.items() if value is not None}

    return build


@pytest.fixture
def collective_post(individual_post):
    """The POST data of a valid workshop of 10 participants with a partial breakdown."""

    def build(**overrides):
        data = individual_post(
            gender=None,
            age=None,
            status=None,
            redirected=None,
            title="Découvrir la tablette",
            level="debutant",
            participants="10",
            already_accompanied="3",
            gender_feminin="6",
            gender_masculin="3",
            age_soixante_dix_plus="4",
            status_retraite="5",
            duration="120",
        )
        data.update(overrides)
        return {key: value for key, value in data.items() if value is not None}

    return build


def bulk_reports(advisor, count: int) -> None:
    """`count` reports of an advisor over the last months, inserted in bulk then rolled up (fast)."""
    today = timezone.localdate()
    place = advisor.places.first()
    reports = []
    for index in range(count):
        activity = ActivityFactory.build(
            advisor=advisor,
            place=place,
            date=today - timedelta(days=index % 200),
            participants=1 + (index % 3 == 0) * 4,
            kind="collectif" if index % 3 == 0 else "individuel",
        )
        activity.idempotency_token = uuid.uuid4()
        activity.structure_id = advisor.structure_id
        activity.department_id = advisor.structure.department_id
        activity.region_id = advisor.structure.department.region_id
        activity.commune_id = place.commune_id
        reports.append(activity)
    Activity.objects.bulk_create(reports)
    rollups.rebuild()
