"""The demo transfers (issue 13, item 3): Paris ↔ Marseille at three steps, seeded again without change."""

import pytest

from workflows import demo_transfers
from workflows.enums import RequestStatus
from workflows.models import PostTransfer


@pytest.mark.django_db
def test_three_transfers_at_three_steps_and_idempotent(demo_world):
    demo_transfers.seed()
    transfers = {t.motivation: t for t in PostTransfer.objects.select_related("structure", "from_structure")}
    waiting = transfers[demo_transfers.WAITING]
    scheduled = transfers[demo_transfers.SCHEDULED]
    applied = transfers[demo_transfers.APPLIED]
    assert (waiting.status, waiting.from_department_id, waiting.department_id) == (
        RequestStatus.PREFECTURE_REVIEW,
        "75",
        "13",
    )
    assert scheduled.status == RequestStatus.SCHEDULED and scheduled.advisor_id is not None
    assert (scheduled.from_department_id, scheduled.department_id) == ("13", "75")
    assert applied.status == RequestStatus.GRANTED and applied.applied_at is not None
    count = PostTransfer.objects.count()
    demo_transfers.seed()
    assert PostTransfer.objects.count() == count
