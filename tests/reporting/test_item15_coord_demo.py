"""The demo coordination activities (reporting/demo_coord.py): valid, dated in the past, idempotent."""

import pytest
from django.utils import timezone

from reporting import demo_coord
from reporting.models import CoordinationActivity
from tests.accounts.factories import UserFactory
from tests.directory.factories import AdvisorFactory

pytestmark = pytest.mark.django_db


class TestDemoCoordination:
    def test_it_records_six_activities_once(self, paris_structure):
        coordinator = AdvisorFactory(structure=paris_structure, coordinator=True)
        coordinator.user = UserFactory(email=demo_coord.COORDINATOR_EMAIL)
        coordinator.save(update_fields=["user"])
        assert demo_coord.seed().startswith("6 ")
        assert demo_coord.seed().startswith("0 ")
        activities = CoordinationActivity.objects.current().filter(coordinator=coordinator)
        assert activities.count() == 6
        assert set(activities.values_list("kind", flat=True)) == {"animation", "evenement", "partenariat"}
        assert all(activity.date < timezone.localdate() for activity in activities)
        assert all(activity.department_id == paris_structure.department_id for activity in activities)

    def test_without_a_demo_coordinator_it_does_nothing(self):
        assert "pas de coordinateur" in demo_coord.seed()
        assert not CoordinationActivity.objects.exists()
