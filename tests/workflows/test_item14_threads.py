"""Issue 14, items 3 and 4: threads between the agents and each party of the applicant's side, correction requests
that pause the step's deadline, attachments checked by content and served by scoped views only, and their purge."""

import datetime
import io
import os
from unittest import mock

import pytest
from django.core import mail, signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from tests.workflows import steps
from tests.workflows.helpers import confirmed_application, pdf_bytes, work_item
from workflows import attachments, retention, services, timers, tokens
from workflows.enums import AttachmentAudience, BulkAction, Kind, NotificationEvent, Party, Side, Step, Verdict
from workflows.models import (
    Annotation,
    Attachment,
    BulkJob,
    BulkJobItem,
    CorrectionRequest,
    Decision,
    Message,
    PendingNotification,
    WorkItem,
)
from workflows.services import threads

pytestmark = pytest.mark.django_db

SECRET = "Mon numéro de sécurité sociale est 2 84 05 75 123 456 78."


def pdf(name="piece.pdf"):
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def png(name="photo.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def post_url(kind, pk):
    return reverse("workflows:thread_post", args=[kind, pk])


def structure_link(application):
    return reverse("candidature:structure_manage", args=[tokens.make_token(tokens.MANAGE_STRUCTURE, application.pk)])


def candidate_token(candidate):
    return tokens.make_token(tokens.MANAGE_CANDIDATE, candidate.pk)


def frozen(moment):
    """Every `timezone.now()` of the code under test answers `moment`."""
    return mock.patch("django.utils.timezone.now", return_value=moment)


@pytest.fixture
def application(db):
    """A Paris structure application waiting for the prefecture's opinion (no account yet)."""
    return confirmed_application()


@pytest.fixture
def recruitment(structure_manager, paris_candidate):
    """A recruitment of the Paris structure waiting for the prefecture's opinion."""
    recruitment = services.recruitment_preselect(candidate=paris_candidate, user=structure_manager)
    steps.propose_contract(recruitment, structure_manager)
    recruitment.refresh_from_db()
    return recruitment


def agent_post(client, user, kind, pk, party, body="Pouvez-vous préciser votre demande ?", **extra):
    client.force_login(user)
    return client.post(post_url(kind, pk), {"party": party, f"{party}-body": body, **extra})


class TestScope:
    def test_an_agent_of_another_territory_gets_404_on_posting_and_downloading(
        self, client, application, prefecture_paris, prefecture_marseille
    ):
        threads.message_post(
            kind=Kind.STRUCTURE,
            subject_id=application.pk,
            party=Party.STRUCTURE,
            body="Voici le modèle de convention.",
            files=[pdf()],
            user=prefecture_paris,
        )
        attachment = Attachment.objects.get()
        client.force_login(prefecture_marseille)
        assert agent_post(client, prefecture_marseille, Kind.STRUCTURE, application.pk, "structure").status_code == 404
        assert client.get(reverse("workflows:attachment", args=[attachment.pk])).status_code == 404
        assert Message.objects.count() == 1

    def test_the_agent_of_the_territory_downloads_a_private_attachment(self, client, application, prefecture_paris):
        threads.message_post(
            kind=Kind.STRUCTURE,
            subject_id=application.pk,
            party=Party.STRUCTURE,
            body="Voici le modèle.",
            files=[pdf("../../etc/Modèle de convention?.pdf")],
            user=prefecture_paris,
        )
        attachment = Attachment.objects.get()
        assert attachment.original_name == "Modèle de convention_.pdf"
        assert not attachment.file.name.endswith("convention_.pdf") and ".." not in attachment.file.name
        client.force_login(prefecture_paris)
        response = client.get(reverse("workflows:attachment", args=[attachment.pk]))
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Cache-Control"] == "private, no-store"
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content).startswith(b"%PDF-")

    def test_a_structure_manager_sees_only_her_structure_thread(
        self, client, recruitment, prefecture_paris, structure_manager
    ):
        for party, body in ((Party.STRUCTURE, "Message à la structure."), (Party.CANDIDATE, "Secret du candidat.")):
            threads.message_post(
                kind=Kind.RECRUITMENT,
                subject_id=recruitment.pk,
                party=party,
                body=body,
                files=[pdf(f"{party}.pdf")],
                user=prefecture_paris,
            )
        Annotation.objects.create(kind=Kind.RECRUITMENT, subject_id=recruitment.pk, body="Annotation des agents.")
        client.force_login(structure_manager)
        page = client.get(reverse("workflows:recruitment", args=[recruitment.pk])).text
        assert "Message à la structure." in page and "structure.pdf" in page
        assert "Secret du candidat." not in page and "candidat.pdf" not in page
        assert "Annotation des agents." not in page
        assert 'name="structure-correction"' not in page  # agents only
        mine = Attachment.objects.get(audience=AttachmentAudience.STRUCTURE)
        theirs = Attachment.objects.get(audience=AttachmentAudience.CANDIDATE)
        assert client.get(reverse("workflows:attachment", args=[mine.pk])).status_code == 200
        assert client.get(reverse("workflows:attachment", args=[theirs.pk])).status_code == 404
        response = client.post(post_url(Kind.RECRUITMENT, recruitment.pk), {"party": "candidat", "candidat-body": "x"})
        assert response.status_code == 404

    def test_the_internal_note_never_reaches_the_structure_manager(
        self, client, recruitment, prefecture_paris, structure_manager
    ):
        steps.recruitment_prefecture(recruitment, prefecture_paris, internal_note="Note confidentielle du préfet.")
        client.force_login(structure_manager)
        assert (
            "Note confidentielle du préfet."
            not in client.get(reverse("workflows:recruitment", args=[recruitment.pk])).text
        )

    def test_the_candidate_sees_only_her_own_thread_through_her_link(
        self, client, recruitment, prefecture_paris, paris_candidate
    ):
        for party, body in ((Party.STRUCTURE, "Réservé à la structure."), (Party.CANDIDATE, "Bonjour Lina.")):
            threads.message_post(
                kind=Kind.RECRUITMENT,
                subject_id=recruitment.pk,
                party=party,
                body=body,
                files=[pdf(f"{party}.pdf")],
                user=prefecture_paris,
            )
        token = candidate_token(paris_candidate)
        page = client.get(reverse("candidature:candidate_manage", args=[token])).text
        assert "Bonjour Lina." in page and "Réservé à la structure." not in page
        mine = Attachment.objects.get(audience=AttachmentAudience.CANDIDATE)
        theirs = Attachment.objects.get(audience=AttachmentAudience.STRUCTURE)
        assert client.get(reverse("candidature:candidate_attachment", args=[token, mine.pk])).status_code == 200
        assert client.get(reverse("candidature:candidate_attachment", args=[token, theirs.pk])).status_code == 404

    def test_a_forged_or_expired_token_gets_404(
        self, client, recruitment, prefecture_paris, paris_candidate, settings
    ):
        threads.message_post(
            kind=Kind.RECRUITMENT,
            subject_id=recruitment.pk,
            party=Party.CANDIDATE,
            body="Bonjour.",
            files=[pdf()],
            user=prefecture_paris,
        )
        attachment = Attachment.objects.get()
        forged = signing.TimestampSigner(salt="workflows.autre").sign(str(paris_candidate.pk))
        assert client.get(reverse("candidature:candidate_attachment", args=[forged, attachment.pk])).status_code == 404
        other = recruitment.candidate.pk + 1000
        stranger = tokens.make_token(tokens.MANAGE_CANDIDATE, other)
        assert (
            client.get(reverse("candidature:candidate_attachment", args=[stranger, attachment.pk])).status_code == 404
        )
        settings.CANDIDATE_LINK_MAX_AGE = -1
        token = candidate_token(paris_candidate)
        assert client.get(reverse("candidature:candidate_attachment", args=[token, attachment.pk])).status_code == 404
        assert client.get(reverse("candidature:candidate_manage", args=[token])).status_code == 400

    def test_a_candidate_cannot_post_on_someone_elses_recruitment(self, client, recruitment, marseille_candidate):
        token = candidate_token(marseille_candidate)
        response = client.post(
            reverse("candidature:candidate_manage", args=[token]),
            {"action": "message", "recruitment": recruitment.pk, f"fil-recrutement-{recruitment.pk}-body": "Coucou"},
        )
        assert response.status_code == 404
        assert not Message.objects.exists()


class TestNotifications:
    def test_an_agent_message_tells_the_contact_where_to_read_it_without_its_words(
        self, client, application, prefecture_paris, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            response = agent_post(client, prefecture_paris, Kind.STRUCTURE, application.pk, "structure", body=SECRET)
        assert response.status_code == 302
        (email,) = mail.outbox
        assert email.to == [application.contact_email]
        assert email.subject.startswith("Nouveau message sur votre dossier")
        assert SECRET not in steps.body(email) and "sécurité sociale" not in steps.body(email)
        assert "/candidature/structure/suivre/" in email.body  # no account yet: the signed link

    def test_the_candidate_gets_her_signed_link_without_the_message(
        self, recruitment, prefecture_paris, paris_candidate, django_capture_on_commit_callbacks
    ):
        sent = steps.during(
            django_capture_on_commit_callbacks,
            lambda: threads.message_post(
                kind=Kind.RECRUITMENT,
                subject_id=recruitment.pk,
                party=Party.CANDIDATE,
                body=SECRET,
                user=prefecture_paris,
            ),
        )
        (email,) = sent
        assert email.to == [paris_candidate.email]
        assert SECRET not in steps.body(email)
        assert "/candidature/conseiller/gerer/" in email.body

    def test_the_structure_with_an_account_gets_her_dossier_page(
        self, recruitment, prefecture_paris, structure_manager, django_capture_on_commit_callbacks
    ):
        sent = steps.during(
            django_capture_on_commit_callbacks,
            lambda: threads.message_post(
                kind=Kind.RECRUITMENT,
                subject_id=recruitment.pk,
                party=Party.STRUCTURE,
                body=SECRET,
                user=prefecture_paris,
            ),
        )
        (email,) = sent
        assert email.to == [structure_manager.email]
        assert f"/espace/recrutements/{recruitment.pk}/" in email.body and SECRET not in steps.body(email)

    def test_an_applicant_message_tells_the_agents_in_charge_and_marks_the_task(
        self, client, application, prefecture_paris, django_capture_on_commit_callbacks
    ):
        link = structure_link(application)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(link, {"action": "message", "structure-body": SECRET, "structure-files": [pdf()]})
        assert response.status_code == 302
        message = Message.objects.get()
        assert message.side == Side.APPLICANT and message.author_label == application.contact_name
        assert Attachment.objects.get().audience == AttachmentAudience.STRUCTURE
        item = work_item(Kind.STRUCTURE, application, Step.STRUCTURE_PREFECTURE)
        assert item.applicant_activity_at == message.created_at
        (email,) = mail.outbox
        assert email.to == [prefecture_paris.email]
        assert SECRET not in steps.body(email) and application.name in email.subject
        page = client.get(link).text
        assert SECRET in page and "piece.pdf" in page

    def test_applicant_posts_are_rate_limited(self, client, application, monkeypatch):
        from workflows.views import threads as thread_views

        monkeypatch.setattr(thread_views, "APPLICANT_MESSAGES_PER_HOUR", 2)
        link = structure_link(application)
        for _ in range(2):
            assert client.post(link, {"action": "message", "structure-body": "Bonjour"}).status_code == 302
        response = client.post(link, {"action": "message", "structure-body": "Encore moi"})
        assert response.status_code == 429 and "Encore moi" in response.text
        assert Message.objects.count() == 2


class TestCorrectionRequest:
    def test_it_pauses_then_moves_the_deadline_by_exactly_the_pause(
        self, client, application, prefecture_paris, django_capture_on_commit_callbacks
    ):
        item = work_item(Kind.STRUCTURE, application, Step.STRUCTURE_PREFECTURE)
        due, start = item.due_at, timezone.now()
        timer_times = sorted(
            Task.objects.filter(previous=item.task, status=STATUS.SCHEDULED).values_list("scheduled", flat=True)
        )
        with frozen(start + datetime.timedelta(days=2)), django_capture_on_commit_callbacks(execute=True):
            response = agent_post(
                client, prefecture_paris, Kind.STRUCTURE, application.pk, "structure", **{"structure-correction": "on"}
            )
        assert response.status_code == 302
        item.refresh_from_db()
        assert item.paused_at == start + datetime.timedelta(days=2) and item.due_at == due
        assert threads.open_correction(Kind.STRUCTURE, application.pk).party == Party.STRUCTURE
        (email,) = mail.outbox
        assert email.subject.startswith("Demande de correction") and "suspendu" in email.body
        with frozen(start + datetime.timedelta(days=5, hours=3)):
            threads.applicant_message_post(
                applicant=application, kind=Kind.STRUCTURE, subject_id=application.pk, body="Voici la correction."
            )
        item.refresh_from_db()
        assert item.paused_at is None
        assert item.due_at - due == datetime.timedelta(days=3, hours=3)
        moved = sorted(
            Task.objects.filter(previous=item.task, status=STATUS.SCHEDULED).values_list("scheduled", flat=True)
        )
        assert [b - a for a, b in zip(timer_times, moved, strict=True)] == [datetime.timedelta(days=3, hours=3)] * 2
        correction = CorrectionRequest.objects.get()
        assert correction.answered_at == start + datetime.timedelta(days=5, hours=3) and correction.answer.body
        verdicts = list(
            Decision.objects.filter(kind=Kind.STRUCTURE, subject_id=application.pk).values_list("verdict", flat=True)
        )
        assert verdicts[-2:] == [Verdict.CORRECTION_REQUESTED, Verdict.CORRECTION_ANSWERED]

    def test_a_second_request_is_refused_with_a_clear_message_and_the_text_kept(
        self, client, application, prefecture_paris
    ):
        agent_post(
            client, prefecture_paris, Kind.STRUCTURE, application.pk, "structure", **{"structure-correction": "on"}
        )
        response = agent_post(
            client,
            prefecture_paris,
            Kind.STRUCTURE,
            application.pk,
            "structure",
            body="Deuxième demande",
            **{"structure-correction": "on"},
        )
        assert response.status_code == 400
        assert threads.ONE_OPEN_CORRECTION.replace("'", "&#x27;") in response.text
        assert "Deuxième demande" in response.text
        assert CorrectionRequest.objects.count() == 1 and Message.objects.count() == 1

    def test_only_an_agent_who_may_act_asks_for_a_correction(self, recruitment, structure_manager, hub_agent):
        with pytest.raises(PermissionDenied):
            threads.message_post(
                kind=Kind.RECRUITMENT,
                subject_id=recruitment.pk,
                party=Party.STRUCTURE,
                body="Corrigez.",
                correction=True,
                user=structure_manager,
            )
        # The hub reads the dossier but the prefecture's step is not its to act on.
        with pytest.raises(ValidationError):
            threads.message_post(
                kind=Kind.RECRUITMENT,
                subject_id=recruitment.pk,
                party=Party.STRUCTURE,
                body="Corrigez.",
                correction=True,
                user=hub_agent,
            )
        assert not CorrectionRequest.objects.exists()

    def test_the_agent_still_decides_while_a_correction_waits_and_that_ends_it(self, application, prefecture_paris):
        threads.message_post(
            kind=Kind.STRUCTURE,
            subject_id=application.pk,
            party=Party.STRUCTURE,
            body="Corrigez le SIRET.",
            correction=True,
            user=prefecture_paris,
        )
        steps.prefecture_review(application, prefecture_paris)
        assert threads.open_correction(Kind.STRUCTURE, application.pk) is None
        hub_item = work_item(Kind.STRUCTURE, application, Step.STRUCTURE_HUB)
        threads.applicant_message_post(
            applicant=application, kind=Kind.STRUCTURE, subject_id=application.pk, body="Corrigé."
        )
        hub_item.refresh_from_db()
        assert hub_item.paused_at is None and hub_item.applicant_activity_at is not None
        assert CorrectionRequest.objects.get().answered_at is None  # ended by the decision, not answered

    def test_a_correction_to_the_candidate_keeps_its_words_out_of_the_structures_timeline(
        self, recruitment, prefecture_paris
    ):
        threads.message_post(
            kind=Kind.RECRUITMENT,
            subject_id=recruitment.pk,
            party=Party.CANDIDATE,
            body="Envoyez votre diplôme.",
            correction=True,
            user=prefecture_paris,
        )
        line = Decision.objects.get(verdict=Verdict.CORRECTION_REQUESTED)
        assert line.message_to_applicant == "" and line.reason == "Demande adressée au candidat"


def _due_timers(process):
    Task.objects.filter(process=process, status=STATUS.SCHEDULED).update(
        scheduled=timezone.now() - datetime.timedelta(seconds=1)
    )


class TestTimersWhilePaused:
    def test_timers_skip_while_paused_and_the_moved_deadline_is_made_up(
        self, application, prefecture_paris, django_capture_on_commit_callbacks
    ):
        item = work_item(Kind.STRUCTURE, application, Step.STRUCTURE_PREFECTURE)
        threads.message_post(
            kind=Kind.STRUCTURE,
            subject_id=application.pk,
            party=Party.STRUCTURE,
            body="Corrigez.",
            correction=True,
            user=prefecture_paris,
        )
        mail.outbox.clear()
        _due_timers(application.process)  # both timers come due during the pause
        with django_capture_on_commit_callbacks(execute=True):
            call_command("workflow_timers", verbosity=0)
        item.refresh_from_db()
        assert item.reminded_at is None and item.escalated_at is None and not mail.outbox
        threads.applicant_message_post(
            applicant=application, kind=Kind.STRUCTURE, subject_id=application.pk, body="Corrigé."
        )
        item.refresh_from_db()
        mail.outbox.clear()
        assert timers.catch_up(now=item.due_at - timers.reminder_lead() - datetime.timedelta(hours=1)) == 0
        with django_capture_on_commit_callbacks(execute=True):
            assert timers.catch_up(now=item.due_at - datetime.timedelta(hours=1)) == 1
        item.refresh_from_db()
        assert item.reminded_at and not item.escalated_at
        assert [m.subject for m in mail.outbox if m.subject.startswith("Rappel")]
        with django_capture_on_commit_callbacks(execute=True):
            assert timers.catch_up(now=item.due_at + datetime.timedelta(hours=1)) == 1
            assert timers.catch_up(now=item.due_at + datetime.timedelta(hours=2)) == 0  # once
        item.refresh_from_db()
        assert item.escalated_at
        verdicts = Decision.objects.filter(kind=Kind.STRUCTURE, subject_id=application.pk)
        assert list(
            verdicts.filter(verdict__in=[Verdict.REMINDED, Verdict.ESCALATED]).values_list("verdict", flat=True)
        ) == [
            Verdict.REMINDED,
            Verdict.ESCALATED,
        ]


class TestBadInput:
    @pytest.mark.parametrize(
        ("files", "error"),
        [
            (
                lambda: [SimpleUploadedFile("faux.pdf", b"%PDF-1.7 ceci n'est pas un PDF", "application/pdf")],
                "PDF lisible",
            ),
            (lambda: [SimpleUploadedFile("note.pdf", b"hello world, plain text", "application/pdf")], "ni un PDF"),
            (lambda: [SimpleUploadedFile("script.html", b"<html><script>x</script>", "text/html")], "ni un PDF"),
            (lambda: [png("photo.pdf")], "ne correspond pas"),
            (lambda: [pdf(f"p{n}.pdf") for n in range(6)], "5 fichiers au plus"),
        ],
    )
    def test_a_bad_file_gets_a_french_field_error_and_the_message_is_kept(
        self, client, application, prefecture_paris, files, error
    ):
        response = agent_post(
            client,
            prefecture_paris,
            Kind.STRUCTURE,
            application.pk,
            "structure",
            body="Mon message tapé avec soin",
            **{"structure-files": files()},
        )
        assert response.status_code == 400
        assert error in response.text.replace("&#x27;", "'")
        assert "Mon message tapé avec soin" in response.text
        assert not Message.objects.exists() and not Attachment.objects.exists()

    def test_an_oversized_file_is_refused(self, client, application, prefecture_paris, monkeypatch):
        monkeypatch.setattr(attachments, "MAX_SIZE", 100)
        response = agent_post(
            client, prefecture_paris, Kind.STRUCTURE, application.pk, "structure", **{"structure-files": [pdf()]}
        )
        assert response.status_code == 400 and "dépasse 10 Mo" in response.text

    def test_an_encrypted_pdf_is_refused(self):
        from pypdf import PdfWriter

        writer = PdfWriter()
        writer.add_blank_page(width=100, height=100)
        writer.encrypt("secret")
        buffer = io.BytesIO()
        writer.write(buffer)
        with pytest.raises(ValidationError, match="mot de passe"):
            attachments.check_file(SimpleUploadedFile("c.pdf", buffer.getvalue()))

    @pytest.mark.parametrize("body", ["", "   ", "x" * 5001])
    def test_a_blank_or_too_long_message_is_refused(self, client, application, prefecture_paris, body):
        response = agent_post(client, prefecture_paris, Kind.STRUCTURE, application.pk, "structure", body=body)
        assert response.status_code == 400 and not Message.objects.exists()

    def test_the_applicant_bad_file_keeps_her_text(self, client, application):
        response = client.post(
            structure_link(application),
            {
                "action": "message",
                "structure-body": "Ma réponse détaillée",
                "structure-files": [SimpleUploadedFile("x.png", b"GIF89a....", "image/png")],
            },
        )
        assert response.status_code == 400
        assert "Ma réponse détaillée" in response.text and "ni un PDF" in response.text.replace("&#x27;", "'")

    def test_an_unknown_kind_or_party_is_404(self, client, application, prefecture_paris):
        client.force_login(prefecture_paris)
        assert client.post(post_url("inconnu", application.pk), {"party": "structure"}).status_code == 404
        assert client.post(post_url(Kind.STRUCTURE, application.pk), {"party": "candidat"}).status_code == 404


class TestRupturePieces:
    def test_the_structure_joins_files_to_the_documents_step(
        self, client, paris_advisor, structure_manager, hub_agent
    ):
        rupture = services.rupture_notify(
            advisor=paris_advisor,
            user=structure_manager,
            end_date=timezone.localdate() + datetime.timedelta(days=30),
            motive="demission",
        )
        services.rupture_decide(
            work_item=work_item(Kind.RUPTURE, rupture, Step.RUPTURE_VALIDATION),
            user=hub_agent,
            decision="pieces",
            comment="Merci de joindre la lettre de démission.",
        )
        item = work_item(Kind.RUPTURE, rupture, Step.RUPTURE_DOCUMENTS)
        client.force_login(structure_manager)
        page = client.get(reverse("workflows:rupture", args=[rupture.pk])).text
        assert 'enctype="multipart/form-data"' in page
        bad = client.post(
            reverse("workflows:decide", args=[item.pk]),
            {
                "answer": "Voici la lettre demandée.",
                "files": [SimpleUploadedFile("l.pdf", b"nope", "application/pdf")],
            },
        )
        assert bad.status_code == 400 and "Voici la lettre demandée." in bad.text
        response = client.post(
            reverse("workflows:decide", args=[item.pk]),
            {"answer": "Voici la lettre demandée.", "files": [pdf("lettre.pdf")]},
        )
        assert response.status_code == 302
        piece = Attachment.objects.get(kind=Kind.RUPTURE, subject_id=rupture.pk)
        assert piece.audience == AttachmentAudience.STRUCTURE and piece.message is None
        client.force_login(hub_agent)
        page = client.get(reverse("workflows:rupture", args=[rupture.pk])).text
        assert "lettre.pdf" in page and reverse("workflows:attachment", args=[piece.pk]) in page
        assert client.get(reverse("workflows:attachment", args=[piece.pk])).status_code == 200


class TestRetention:
    def _candidate_file(self, recruitment, paris_candidate):
        threads.applicant_message_post(
            applicant=paris_candidate,
            kind=Kind.RECRUITMENT,
            subject_id=recruitment.pk,
            body="Voici mon diplôme.",
            files=[pdf("diplome.pdf")],
        )
        attachment = Attachment.objects.get()
        path = attachment.file.path
        assert os.path.exists(path)
        return attachment, path

    def test_anonymising_a_candidate_purges_her_thread_and_its_files(
        self, recruitment, paris_candidate, django_capture_on_commit_callbacks
    ):
        _attachment, path = self._candidate_file(recruitment, paris_candidate)
        with django_capture_on_commit_callbacks(execute=True):
            retention.anonymise_candidate(paris_candidate.pk, timezone.now())
        assert not os.path.exists(path) and not Attachment.objects.exists()
        message = Message.objects.get()
        assert message.body == "" and message.author_label == ""

    def test_erasure_by_the_candidate_purges_her_files(
        self, client, recruitment, paris_candidate, django_capture_on_commit_callbacks
    ):
        _attachment, path = self._candidate_file(recruitment, paris_candidate)
        with django_capture_on_commit_callbacks(execute=True):
            services.candidate_erase(candidate_id=paris_candidate.pk)
        assert not os.path.exists(path) and not Message.objects.exclude(body="").exists()

    def test_erasure_scrubs_her_name_from_bulk_results_and_waiting_digest_events(
        self, recruitment, paris_candidate, hub_agent
    ):
        job = BulkJob.objects.create(user=hub_agent, action=BulkAction.LABEL, summary="Étiquette")
        job.items.create(kind=Kind.RECRUITMENT, subject_id=recruitment.pk, title=f"{paris_candidate.full_name} — X")
        PendingNotification.objects.create(
            user=hub_agent,
            event=NotificationEvent.APPLICANT_MESSAGE,
            kind=Kind.RECRUITMENT,
            subject_id=recruitment.pk,
            title=f"{paris_candidate.full_name} — X",
        )
        name = paris_candidate.last_name
        services.candidate_erase(candidate_id=paris_candidate.pk)
        assert not BulkJobItem.objects.filter(title__contains=name).exists()
        assert not PendingNotification.objects.filter(title__contains=name).exists()
        assert BulkJobItem.objects.get().title == f"Candidature effacée n° {paris_candidate.pk}"

    def test_candidate_files_go_after_six_months_with_the_cvs(
        self, recruitment, paris_candidate, django_capture_on_commit_callbacks
    ):
        attachment, path = self._candidate_file(recruitment, paris_candidate)
        report = retention.purge_cvs(now=timezone.now())
        assert report.files == []
        later = timezone.now() + datetime.timedelta(days=200)
        assert retention.purge_cvs(now=later).files == [attachment.pk] and os.path.exists(path)  # dry run
        with django_capture_on_commit_callbacks(execute=True):
            retention.purge_cvs(now=later, apply=True)
        assert not os.path.exists(path) and not Attachment.objects.exists()
        assert Message.objects.get().body == "Voici mon diplôme."

    def test_a_rolled_back_deletion_keeps_the_file(self, recruitment, paris_candidate):
        from django.db import transaction

        attachment, path = self._candidate_file(recruitment, paris_candidate)
        try:
            with transaction.atomic():
                attachment.delete()
                raise RuntimeError
        except RuntimeError:
            pass
        assert os.path.exists(path)


class TestQueries:
    def test_the_dossier_page_reads_its_threads_in_a_constant_number_of_queries(
        self, client, recruitment, prefecture_paris, django_assert_max_num_queries
    ):
        client.force_login(prefecture_paris)
        url = reverse("workflows:recruitment", args=[recruitment.pk])
        client.get(url)
        for n in range(6):
            threads.message_post(
                kind=Kind.RECRUITMENT,
                subject_id=recruitment.pk,
                party=Party.CANDIDATE if n % 2 else Party.STRUCTURE,
                body=f"Message {n}",
                files=[pdf(f"f{n}.pdf")],
                user=prefecture_paris,
            )
        with django_assert_max_num_queries(60) as captured:
            assert client.get(url).status_code == 200
        thread_queries = [
            q
            for q in captured.captured_queries
            if "workflows_message" in q["sql"] or "workflows_attachment" in q["sql"]
        ]
        assert len(thread_queries) <= 6


class TestStructureAnswers:
    def test_the_structure_manager_answers_a_correction_with_a_pdf_from_her_dossier_page(
        self, client, recruitment, prefecture_paris, structure_manager, django_capture_on_commit_callbacks
    ):
        threads.message_post(
            kind=Kind.RECRUITMENT,
            subject_id=recruitment.pk,
            party=Party.STRUCTURE,
            body="Joignez la fiche de poste.",
            correction=True,
            user=prefecture_paris,
        )
        client.force_login(structure_manager)
        url = reverse("workflows:recruitment", args=[recruitment.pk])
        assert "En attente du demandeur" in client.get(url).text
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                post_url(Kind.RECRUITMENT, recruitment.pk),
                {"party": "structure", "structure-body": "Voici la fiche.", "structure-files": [pdf("fiche.pdf")]},
            )
        assert response.status_code == 302 and response["Location"].endswith("#fil-structure")
        answer = Message.objects.get(side=Side.APPLICANT)
        assert answer.author == structure_manager and answer.attachments.get().original_name == "fiche.pdf"
        assert CorrectionRequest.objects.get().answer == answer
        assert WorkItem.objects.get(kind=Kind.RECRUITMENT, subject_id=recruitment.pk, is_open=True).paused_at is None
        (email,) = [m for m in mail.outbox if prefecture_paris.email in m.to]
        assert email.subject.startswith("Le demandeur a répondu à une demande de correction")
        assert "Voici la fiche." not in steps.body(email)
