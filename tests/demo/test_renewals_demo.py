"""The demo reconventionnements (workflows/demo_renewals.py): each step, in Paris and Marseille, idempotent."""

import pytest

from accounts.enums import AuditAction
from accounts.models import AuditEvent
from directory.enums import ConventionStatus
from directory.models import Convention
from workflows import demo_renewals
from workflows.enums import RequestStatus
from workflows.models import RenewalRequest

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo")]


def test_the_demo_shows_each_step_of_a_reconventionnement_in_paris_and_marseille(demo_world):
    demo_renewals.seed()
    first = RenewalRequest.objects.count()
    demo_renewals.seed()
    assert RenewalRequest.objects.count() == first == 6
    for department in ("75", "13"):
        requests = RenewalRequest.objects.filter(department_id=department)
        assert sorted(requests.values_list("status", flat=True)) == sorted(
            [RequestStatus.PREFECTURE_REVIEW, RequestStatus.DECISION, RequestStatus.SCHEDULED]
        )
        granted = requests.get(status=RequestStatus.SCHEDULED)
        assert granted.new_convention.start > granted.convention.end
        assert granted.convention.status == ConventionStatus.RENEWED
    # Each department's first demo convention ends within the notice: it is left to end, its structure reminded.
    noticed = AuditEvent.objects.filter(
        action=AuditAction.PROGRAMME_DATES_APPLIED,
        target_type="directory.convention",
        details__effect="rappel_reconventionnement",
    )
    ending = Convention.objects.filter(pk__in=[int(pk) for pk in noticed.values_list("target_id", flat=True)])
    assert sorted(ending.values_list("structure__department_id", flat=True)) == ["13", "75"]
    assert all(convention.status == ConventionStatus.ACTIVE for convention in ending)
    assert not RenewalRequest.objects.filter(convention__in=ending).exists()
