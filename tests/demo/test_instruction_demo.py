"""The instruction demo (workflows/demo_instruction.py): a committee for the hub, labels, a note, a correction request
waiting for the demo structure; idempotent."""

import pytest
from django.contrib.auth import get_user_model

from directory.demo import PERSONAS
from workflows import demo_instruction
from workflows.enums import Kind, PrefectureOpinion, Step
from workflows.models import Annotation, CorrectionRequest, DossierLabel, WorkItem

User = get_user_model()
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo")]


class TestInstructionDemo:
    def test_the_hub_has_a_committee_to_validate_in_one_go_and_seeding_again_changes_nothing(self, demo_world):
        demo_instruction.seed()
        state = (DossierLabel.objects.count(), Annotation.objects.count(), CorrectionRequest.objects.count())
        demo_instruction.seed()
        assert (DossierLabel.objects.count(), Annotation.objects.count(), CorrectionRequest.objects.count()) == state
        at_hub = WorkItem.objects.open().filter(step=Step.STRUCTURE_HUB, department__in=["75", "92"])
        assert at_hub.filter(prefecture_opinion=PrefectureOpinion.FAVORABLE).count() >= 20
        assert at_hub.filter(prefecture_opinion=PrefectureOpinion.UNFAVORABLE).exists()
        assert DossierLabel.objects.filter(label__name="Comité de janvier").count() == 10

    def test_the_demo_structure_is_asked_to_complete_its_avenant_and_its_deadline_waits(self, demo_world, client):
        correction = CorrectionRequest.objects.get(kind=Kind.POST_REQUEST, answered_at__isnull=True)
        assert correction.work_item.paused_at is not None
        client.force_login(User.objects.get(email=PERSONAS[4].email))
        page = client.get(f"/espace/avenants/{correction.subject_id}/")
        assert page.status_code == 200
        assert "la délibération de votre conseil" in page.content.decode()
