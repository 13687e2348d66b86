"""A candidate sees, downloads and erases their data from the link that ends every e-mail they receive."""

import json

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.urls import reverse

from accounts.enums import AuditAction
from accounts.models import AuditEvent
from tests.workflows.factories import CandidateFactory
from tests.workflows.helpers import pdf_bytes
from workflows import notifications, services, tokens
from workflows.enums import CandidateStatus

pytestmark = pytest.mark.django_db


def manage_url(candidate, name="candidature:candidate_manage"):
    return reverse(name, args=[tokens.make_token(tokens.MANAGE_CANDIDATE, candidate.pk)])


class TestMyData:
    def test_the_page_shows_what_is_kept_and_offers_the_downloads(self, client):
        candidate = CandidateFactory(first_name="Lina", phone="0611223344")
        response = client.get(manage_url(candidate))
        assert response.status_code == 200
        assert "Lina" in response.text and "06 11 22 33 44" in response.text
        assert "/mes-donnees.json" in response.text
        assert "Télécharger mon CV" not in response.text  # no CV sent
        assert response["Cache-Control"] == "private, no-store"

    def test_the_json_download_holds_everything_and_is_audited(self, client, structure_manager):
        candidate = CandidateFactory(first_name="Lina", email="lina@perso.test")
        services.recruitment_preselect(candidate=candidate, user=structure_manager)
        response = client.get(manage_url(candidate, "candidature:candidate_data"), REMOTE_ADDR="198.51.100.9")
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment;")
        data = json.loads(response.content)
        assert data["candidature"]["email"] == "lina@perso.test" and data["candidature"]["prenom"] == "Lina"
        assert data["recrutements"][0]["structure"] == structure_manager.active_membership.structure.name
        assert "CV supprimé 6 mois" in data["conservation"]
        assert structure_manager.email not in response.content.decode()  # agents' identities are not theirs
        event = AuditEvent.objects.get(action=AuditAction.CANDIDATE_DATA_DOWNLOADED)
        assert event.actor is None and event.target_id == str(candidate.pk) and event.ip_address == "198.51.100.9"
        assert event.target_label == f"Candidature n° {candidate.pk}"  # no name in a log kept 5 years

    def test_the_cv_download(self, client):
        candidate = CandidateFactory()
        candidate.cv.save("cv.pdf", ContentFile(pdf_bytes()))
        response = client.get(manage_url(candidate, "candidature:candidate_cv"))
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content).startswith(b"%PDF")
        assert "Télécharger mon CV" in client.get(manage_url(candidate)).text
        other = CandidateFactory()
        assert client.get(manage_url(other, "candidature:candidate_cv")).status_code == 404

    @pytest.mark.parametrize("name", ["candidature:candidate_data", "candidature:candidate_cv"])
    def test_a_forged_or_foreign_link_opens_nothing(self, client, name):
        candidate = CandidateFactory()
        assert client.get(reverse(name, args=["1:abc:forged"])).status_code == 400
        other_purpose = tokens.make_token(tokens.MANAGE_STRUCTURE, candidate.pk)
        assert client.get(reverse(name, args=[other_purpose])).status_code == 400
        assert not AuditEvent.objects.filter(action=AuditAction.CANDIDATE_DATA_DOWNLOADED).exists()

    def test_after_erasure_nothing_personal_is_left_to_download(self, client, django_capture_on_commit_callbacks):
        candidate = CandidateFactory(first_name="Lina", email="lina@perso.test")
        with django_capture_on_commit_callbacks(execute=True):
            client.post(manage_url(candidate), {"action": "erase"})
        candidate.refresh_from_db()
        assert candidate.status == CandidateStatus.ERASED
        body = client.get(manage_url(candidate, "candidature:candidate_data")).content.decode()
        assert "lina@perso.test" not in body and "Lina" not in body


class TestLinkInEveryCandidateEmail:
    def test_every_message_to_a_candidate_ends_with_their_data_link(
        self, structure_manager, django_capture_on_commit_callbacks
    ):
        candidate = CandidateFactory(email="lina@perso.test")
        with django_capture_on_commit_callbacks(execute=True):
            recruitment = services.recruitment_preselect(candidate=candidate, user=structure_manager)
        recruitment.started_at = recruitment.created_at.date()
        senders = [
            lambda: notifications.candidate_received(candidate),
            lambda: notifications.candidate_confirmed(candidate),
            lambda: notifications.candidate_preselected(recruitment),
            lambda: notifications.contract_proposed(recruitment),
            lambda: notifications.recruitment_refused(recruitment, "Motif", "Commentaire"),
            lambda: notifications.recruitment_validated(recruitment),
            lambda: notifications.advisor_welcome(recruitment),
            lambda: notifications.recruitment_cancelled(recruitment, "Commentaire"),
        ]
        with django_capture_on_commit_callbacks(execute=True):
            for send in senders:
                send()
        to_candidate = [message for message in mail.outbox if candidate.email in message.to]
        assert len(to_candidate) == len(senders) + 1  # + the preselection itself
        for message in to_candidate:
            assert "Vos données personnelles" in message.body, message.subject
            assert "/candidature/conseiller/gerer/" in message.body, message.subject
            html = message.alternatives[0][0]
            assert "/candidature/conseiller/gerer/" in html, message.subject
        others = [message for message in mail.outbox if candidate.email not in message.to]
        assert others and all("/candidature/conseiller/gerer/" not in message.body for message in others)
