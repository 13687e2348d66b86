"""Helpers of the reporting tests: reports made in bulk."""

import uuid
from datetime import timedelta

from django.utils import timezone

from reporting import rollups
from reporting.models import Activity
from tests.reporting.factories import ActivityFactory


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
