"""Private files (CVs, attachments, exports) on the storage: where they land, who downloads them, how they go, and
what a store outage does. Tests taking `backend` run on the local folders and on the S3 server."""

import csv
import io
import urllib.error
import urllib.request
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from reporting.enums import ExportStatus
from reporting.models import ExportJob
from reporting.tasks import export_name
from tests.reporting.factories import ActivityFactory
from tests.storage.conftest import closed_endpoint, use_environment
from tests.workflows.factories import CandidateFactory
from tests.workflows.helpers import confirmed_application, pdf_bytes
from tests.workflows.test_public_forms import candidate_data
from workflows import retention
from workflows.enums import Kind, Party
from workflows.models import AdvisorApplication, Attachment, Message
from workflows.services.common import save_new

pytestmark = pytest.mark.django_db

CV = pdf_bytes(pages=3)


def submit_candidate(client, captured, **overrides):
    with captured(execute=True):
        return client.post(
            reverse("candidature:candidate"),
            {
                **candidate_data(**overrides),
                "cv": SimpleUploadedFile("Mon CV.pdf", CV, content_type="application/pdf"),
            },
        )


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def stored_names(folder: str) -> list[str]:
    """Every file under a folder of the private storage (a prefix of the bucket)."""
    try:
        folders, files = storages["private"].listdir(folder)
    except FileNotFoundError:
        return []
    return [f"{folder}/{name}" for name in files] + [
        name for sub in folders for name in stored_names(f"{folder}/{sub}")
    ]


def stored_cv(name: str = "cv.pdf"):
    """A Marseille candidate whose CV is in the private storage."""
    candidate = CandidateFactory(in_marseille=True)
    candidate.cv.save(name, ContentFile(CV), save=True)
    return candidate


class TestCVs:
    def test_a_cv_sent_with_the_form_lands_in_the_private_bucket_under_an_unguessable_key(
        self, client, s3, django_capture_on_commit_callbacks
    ):
        response = submit_candidate(client, django_capture_on_commit_callbacks)
        assert response.status_code == 302
        candidate = AdvisorApplication.objects.get()
        key = candidate.cv.name
        assert s3.keys(s3.private_bucket) == {key} and s3.keys(s3.media_bucket) == set()
        assert s3.body(s3.private_bucket, key) == CV
        assert key.startswith("cv/") and "Mon" not in key and "Traor" not in key
        assert len(key.rsplit("-", 1)[-1].removesuffix(".pdf")) >= 24  # a random part nobody can guess

    def test_the_private_bucket_refuses_anyone_without_keys(self, s3):
        candidate = stored_cv()
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"{s3.endpoint}/{s3.private_bucket}/{candidate.cv.name}", timeout=5)
        assert refused.value.code == 403

    def test_the_agent_in_scope_downloads_it_streamed_and_named(self, client, backend, prefecture_marseille):
        candidate = stored_cv()
        client.force_login(prefecture_marseille)
        response = client.get(reverse("workflows:candidate_cv", args=[candidate.pk]))
        assert response.status_code == 200 and response.streaming
        assert body(response) == CV
        assert response["Content-Length"] == str(len(CV))
        assert response["Content-Disposition"] == f'attachment; filename="cv-candidat-{candidate.pk}.pdf"'
        assert response["Cache-Control"] == "private, no-store" and response["X-Content-Type-Options"] == "nosniff"
        assert "Location" not in response  # streamed: no signed address ever reaches the browser

    def test_an_agent_of_another_department_gets_404(self, client, backend, prefecture_paris):
        candidate = stored_cv()
        client.force_login(prefecture_paris)
        assert client.get(reverse("workflows:candidate_cv", args=[candidate.pk])).status_code == 404

    def test_anonymous_is_sent_to_the_login_page(self, client, backend):
        candidate = stored_cv()
        response = client.get(reverse("workflows:candidate_cv", args=[candidate.pk]))
        assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))

    def test_a_cv_missing_from_the_store_is_a_404_not_a_500(self, client, backend, prefecture_marseille):
        candidate = stored_cv()
        storages["private"].delete(candidate.cv.name)
        client.force_login(prefecture_marseille)
        assert client.get(reverse("workflows:candidate_cv", args=[candidate.pk])).status_code == 404

    def test_an_insert_refused_by_the_database_keeps_no_file(self, backend):
        taken = CandidateFactory()
        duplicate = CandidateFactory.build(email=taken.email, cv=ContentFile(CV, name="cv.pdf"))
        with pytest.raises(ValidationError, match="utilise déjà cette adresse"):
            save_new(duplicate, "email", "Une candidature en cours utilise déjà cette adresse e-mail.")
        assert AdvisorApplication.objects.count() == 1
        assert stored_names("cv") == []

    def test_the_retention_purge_deletes_the_object(self, backend, s3_server):
        candidate = stored_cv()
        AdvisorApplication.objects.filter(pk=candidate.pk).update(created_at=timezone.now() - timedelta(days=200))
        name = candidate.cv.name
        assert storages["private"].exists(name)
        report = retention.purge_cvs(apply=True)
        assert report.ids == [candidate.pk]
        assert not storages["private"].exists(name)
        candidate.refresh_from_db()
        assert not candidate.cv


class TestAttachments:
    def test_an_attachment_posted_by_an_agent_is_private_and_downloads_in_scope(
        self, client, s3, prefecture_paris, prefecture_marseille
    ):
        application = confirmed_application()
        client.force_login(prefecture_paris)
        posted = client.post(
            reverse("workflows:thread_post", args=[Kind.STRUCTURE, application.pk]),
            {
                "party": Party.STRUCTURE,
                f"{Party.STRUCTURE}-body": "Voici le modèle de convention.",
                f"{Party.STRUCTURE}-files": [SimpleUploadedFile("convention signée.pdf", CV, "application/pdf")],
            },
        )
        assert posted.status_code == 302
        attachment = Attachment.objects.get()
        assert s3.keys(s3.private_bucket) == {attachment.file.name} and s3.keys(s3.media_bucket) == set()
        assert attachment.file.name.startswith("pieces/") and "convention" not in attachment.file.name
        url = reverse("workflows:attachment", args=[attachment.pk])
        response = client.get(url)
        assert response.status_code == 200 and body(response) == CV
        assert response["Content-Disposition"] == "attachment; filename*=utf-8''convention%20sign%C3%A9e.pdf"
        client.force_login(prefecture_marseille)
        assert client.get(url).status_code == 404

    def test_deleting_the_row_deletes_the_object_once_committed(self, backend, django_capture_on_commit_callbacks):
        application = confirmed_application()
        attachment = Attachment.objects.create(
            kind=Kind.STRUCTURE,
            subject_id=application.pk,
            audience="structure",
            file=ContentFile(CV, name="piece.pdf"),
            original_name="piece.pdf",
            content_type="application/pdf",
            size=len(CV),
        )
        name = attachment.file.name
        with django_capture_on_commit_callbacks(execute=True):
            attachment.delete()
        assert not storages["private"].exists(name)


class TestExports:
    def test_an_export_built_by_the_task_lands_in_the_private_bucket_and_downloads(
        self, client, settings, s3, prefecture_paris, paris_advisor, django_capture_on_commit_callbacks
    ):
        settings.PILOTAGE_EXPORT_SYNC_MAX_ROWS = 0
        ActivityFactory(advisor=paris_advisor)
        client.force_login(prefecture_paris)
        with django_capture_on_commit_callbacks(execute=True):
            client.get(reverse("pilotage:export_list", kwargs={"kind": "activites"}))
        job = ExportJob.objects.get()
        assert job.status == ExportStatus.DONE
        assert s3.keys(s3.private_bucket) == {export_name(job)} and s3.keys(s3.media_bucket) == set()
        response = client.get(reverse("pilotage:export_download", args=[job.pk]))
        assert response.status_code == 200 and response.streaming
        rows = list(csv.reader(io.StringIO(body(response).decode("utf-8-sig")), delimiter=";"))
        assert len(rows) == 2 and rows[0][0] == "Identifiant"
        assert response["Content-Disposition"].startswith('attachment; filename="comptes_rendus_')

    def test_an_expired_export_is_deleted_from_the_store_and_answers_404(self, client, backend, prefecture_paris):
        job = ExportJob.objects.create(
            requested_by=prefecture_paris,
            membership=prefecture_paris.active_membership,
            kind="structures",
            status=ExportStatus.DONE,
            file_name="ancien.csv",
            expires_at=timezone.now() - timedelta(minutes=1),
        )
        storages["private"].save(export_name(job), ContentFile(b"structure\n"))
        client.force_login(prefecture_paris)
        assert client.get(reverse("pilotage:export_download", args=[job.pk])).status_code == 404
        assert not storages["private"].exists(export_name(job))


class TestStoreDown:
    def test_a_cv_upload_redisplays_the_form_as_typed_with_a_french_message_and_keeps_nothing(
        self, client, s3_down, django_capture_on_commit_callbacks
    ):
        response = submit_candidate(client, django_capture_on_commit_callbacks)
        assert response.status_code == 400
        page = response.content.decode()
        assert "Le stockage des fichiers est momentanément indisponible" in page
        assert 'value="ines.traore@perso.test"' in page and "Je veux aider les habitants" in page
        assert not AdvisorApplication.objects.exists()

    def test_an_attachment_upload_keeps_neither_the_message_nor_the_row(self, client, s3_down, prefecture_paris):
        application = confirmed_application()
        client.force_login(prefecture_paris)
        response = client.post(
            reverse("workflows:thread_post", args=[Kind.STRUCTURE, application.pk]),
            {
                "party": Party.STRUCTURE,
                f"{Party.STRUCTURE}-body": "Message avec pièce jointe",
                f"{Party.STRUCTURE}-files": [SimpleUploadedFile("piece.pdf", CV, "application/pdf")],
            },
        )
        assert response.status_code == 400
        page = response.content.decode()
        assert "momentanément indisponible" in page and "Message avec pièce jointe" in page
        assert not Message.objects.exists() and not Attachment.objects.exists()

    def test_a_download_answers_a_french_503_page(self, client, s3, monkeypatch, settings, prefecture_marseille):
        candidate = stored_cv()
        client.force_login(prefecture_marseille)
        use_environment(monkeypatch, settings, s3.environment(endpoint=closed_endpoint()))
        response = client.get(reverse("workflows:candidate_cv", args=[candidate.pk]))
        assert response.status_code == 503 and response["Retry-After"] == "60"
        assert "Service momentanément indisponible" in response.content.decode()

    def test_an_export_task_marks_its_job_failed(
        self, client, settings, s3_down, prefecture_paris, paris_advisor, django_capture_on_commit_callbacks
    ):
        settings.PILOTAGE_EXPORT_SYNC_MAX_ROWS = 0
        ActivityFactory(advisor=paris_advisor)
        client.force_login(prefecture_paris)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.get(reverse("pilotage:export_list", kwargs={"kind": "activites"}))
        assert response.status_code == 302
        assert ExportJob.objects.get().status == ExportStatus.FAILED
