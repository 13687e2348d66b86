"""The demo coordinator posts (workflows/demo_coordinators.py): each step for Paris and Marseille, idempotent."""

import pytest

from accounts.enums import Role
from accounts.models import Membership
from workflows import demo_coordinators
from workflows.enums import RequestStatus
from workflows.models import CoordinatorRequest

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo")]  # one demo world per run


def test_it_shows_each_step_in_paris_and_marseille_and_is_idempotent(demo_world):
    demo_coordinators.seed()
    first = CoordinatorRequest.objects.count()
    demo_coordinators.seed()
    assert CoordinatorRequest.objects.count() == first == 6
    for department in ("75", "13"):
        rows = CoordinatorRequest.objects.filter(department=department)
        assert set(rows.values_list("status", flat=True)) == {
            RequestStatus.PREFECTURE_REVIEW,
            RequestStatus.DECISION,
            RequestStatus.GRANTED,
        }
        granted = rows.get(status=RequestStatus.GRANTED)
        assert granted.coordinator.is_coordinator and granted.coordinator.coordinated_advisors.count() == 3
        assert Membership.objects.active().filter(role=Role.COORDINATOR, advisor=granted.coordinator).exists()
        assert rows.get(status=RequestStatus.DECISION).prefecture_rank == 1
