"""Every decision a person takes in the parcours lands in the audit log too, with where it came from."""

import pytest
from django.urls import reverse

from accounts.enums import AuditAction
from accounts.models import AuditEvent
from tests.workflows.factories import CandidateFactory
from tests.workflows.test_recruitment_flow import to_hub, work_item
from workflows.enums import Kind, Step
from workflows.models import Decision

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (test) Chromium/140"


class TestDecisionsAreAudited:
    def test_each_decision_by_a_person_has_its_audit_event(
        self, client, structure_manager, prefecture_paris, hub_agent
    ):
        recruitment = to_hub(client, structure_manager, prefecture_paris, CandidateFactory())
        client.force_login(hub_agent)
        item = work_item(Kind.RECRUITMENT, recruitment, Step.RECRUITMENT_HUB)
        response = client.post(
            reverse("workflows:decide", args=[item.pk]),
            {"decision": "refuser", "reason": "profil"},
            HTTP_USER_AGENT=BROWSER,
        )
        assert response.status_code == 302
        by_people = Decision.objects.exclude(actor=None)
        assert by_people.count() >= 4  # preselection, contract, prefecture opinion, hub refusal
        events = AuditEvent.objects.filter(action=AuditAction.WORKFLOW_DECISION)
        assert sorted((e.actor_id, e.details["verdict"]) for e in events) == sorted(
            (d.actor_id, d.verdict) for d in by_people
        )
        assert all(event.ip_address == "127.0.0.1" for event in events)
        refusal = events.get(actor=hub_agent)
        assert refusal.user_agent == BROWSER and refusal.target_id == str(recruitment.pk)
        assert refusal.details["step"] == Step.RECRUITMENT_HUB
