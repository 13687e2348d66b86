"""The avenants' demo (workflows/demo_post_requests.py): every step in Paris and Marseille, idempotent."""

import pytest

from workflows import demo_post_requests
from workflows.enums import PostRequestType, RequestStatus
from workflows.models import PostRequest

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo")]


class TestPostRequestsDemo:
    def test_it_shows_each_step_in_paris_and_marseille_and_seeding_again_changes_nothing(self, demo_world):
        demo_post_requests.seed()
        first = list(PostRequest.objects.order_by("pk").values_list("pk", "status"))
        demo_post_requests.seed()
        assert list(PostRequest.objects.order_by("pk").values_list("pk", "status")) == first
        for department in ("75", "13"):
            rows = PostRequest.objects.filter(department=department)
            statuses = set(rows.values_list("status", flat=True))
            assert {RequestStatus.PREFECTURE_REVIEW, RequestStatus.DECISION, RequestStatus.GRANTED} <= statuses
            assert rows.filter(type=PostRequestType.RETURN, status=RequestStatus.GRANTED).exists(), department
