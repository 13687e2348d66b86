"""End of contract: notified by the structure, documents requested, validated; the post is freed."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from accounts.models import Membership
from directory.enums import AdvisorStatus
from directory.models import PlaceAssignment
from tests.workflows.factories import CandidateFactory
from tests.workflows.helpers import work_item
from workflows import services
from workflows.enums import Kind, RecruitmentStatus, RuptureStatus, Step
from workflows.models import Recruitment, Rupture

pytestmark = pytest.mark.django_db


class TestRupture:
    def test_documents_requested_then_validated_frees_the_post(
        self, client, structure_manager, advisor_user, paris_advisor, hub_agent, django_capture_on_commit_callbacks
    ):
        structure = structure_manager.active_membership.structure
        Recruitment.objects.create(
            structure=structure,
            candidate=CandidateFactory(),
            status=RecruitmentStatus.ACTIVE,
            contract_type="cdd",
            contract_start=timezone.localdate() - datetime.timedelta(days=100),
            contract_end=timezone.localdate() + datetime.timedelta(days=60),
            salary=2000,
            advisor=paris_advisor,
        )
        free_before = services.free_posts(structure)
        client.force_login(structure_manager)
        assert "Notifier une fin de contrat" in client.get(reverse("workflows:my_advisors")).text
        url = reverse("workflows:rupture_notify", args=[paris_advisor.pk])
        too_late = client.post(
            url, {"end_date": (timezone.localdate() + datetime.timedelta(days=90)).isoformat(), "motive": "demission"}
        )
        assert too_late.status_code == 400 and "ne peut pas dépasser la fin du contrat" in too_late.text
        # Dated today: validation applies it at once (a future date waits for its day, see test_item1_*).
        end = timezone.localdate()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, {"end_date": end.isoformat(), "motive": "demission", "comment": "Départ."})
        assert response.status_code == 302
        rupture = Rupture.objects.get()
        assert rupture.status == RuptureStatus.NOTIFIED
        new = next(m for m in mail.outbox if m.subject == "Nouvelle demande de rupture de contrat")
        assert new.to == [hub_agent.email] and f"/espace/fins-de-contrat/{rupture.pk}/" in new.body
        again = client.post(url, {"end_date": end.isoformat(), "motive": "demission"})
        assert "déjà en cours" in again.text

        client.force_login(hub_agent)
        validation = work_item(Kind.RUPTURE, rupture, Step.RUPTURE_VALIDATION)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                reverse("workflows:decide", args=[validation.pk]),
                {"decision": "pieces", "comment": "Merci de joindre la lettre de démission."},
            )
        rupture.refresh_from_db()
        assert rupture.status == RuptureStatus.INCOMPLETE
        asked = [m for m in mail.outbox if m.subject == "Demande de rupture de contrat : pièces manquantes"]
        assert asked and asked[0].to == [structure_manager.email] and "lettre de démission" in asked[0].body

        client.force_login(structure_manager)
        documents = work_item(Kind.RUPTURE, rupture, Step.RUPTURE_DOCUMENTS)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("workflows:decide", args=[documents.pk]), {"answer": "Lettre envoyée par courrier."})
        assert any(m.subject.endswith("pièces transmises") and m.to == [hub_agent.email] for m in mail.outbox)
        client.force_login(hub_agent)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                reverse("workflows:decide", args=[work_item(Kind.RUPTURE, rupture, Step.RUPTURE_VALIDATION).pk]),
                {"decision": "valider", "comment": ""},
            )
        rupture.refresh_from_db()
        paris_advisor.refresh_from_db()
        assert rupture.status == RuptureStatus.VALIDATED
        assert paris_advisor.status == AdvisorStatus.ENDED and paris_advisor.ended_at == end
        assert not PlaceAssignment.objects.filter(advisor=paris_advisor).exists()
        assert Recruitment.objects.get(advisor=paris_advisor).status == RecruitmentStatus.ENDED
        assert services.free_posts(structure) == free_before + 1
        assert not Membership.objects.active().filter(user=advisor_user, role=Role.ADVISOR).exists()
        assert any(m.subject == "Demande de rupture de contrat avec votre CnFS" for m in mail.outbox)
        export = client.get(reverse("workflows:export", args=["fins-de-contrat", "csv"]))
        lines = b"".join(export.streaming_content).decode("utf-8-sig").splitlines()
        assert lines[0].startswith("Nom;Prénom;Email;Id CNFS") and "Démission" in lines[1]

    def test_only_the_advisor_s_structure_can_notify(self, client, structure_manager, marseille_advisor):
        client.force_login(structure_manager)
        url = reverse("workflows:rupture_notify", args=[marseille_advisor.pk])
        assert client.get(url).status_code == 404

    def test_a_prefecture_cannot_validate(self, client, structure_manager, paris_advisor, prefecture_paris):
        rupture = services.rupture_notify(
            advisor=paris_advisor,
            user=structure_manager,
            end_date=timezone.localdate(),
            motive="fin_subventionnement",
        )
        client.force_login(prefecture_paris)
        item = work_item(Kind.RUPTURE, rupture, Step.RUPTURE_VALIDATION)
        assert client.get(reverse("workflows:rupture", args=[rupture.pk])).status_code == 200
        response = client.post(reverse("workflows:decide", args=[item.pk]), {"decision": "valider"})
        assert response.status_code == 403
