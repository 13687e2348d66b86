"""CV uploads on the public candidate form: anything but a readable PDF of at most CV_MAX_BYTES is refused with a
clear French message, and nothing is stored (no candidate row, no file under PRIVATE_MEDIA_ROOT)."""

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfWriter

from tests.hardening.fuzz import ERROR_SUMMARY, text_of
from tests.workflows.helpers import pdf_bytes
from workflows.models import AdvisorApplication

pytestmark = pytest.mark.django_db


def candidate_data() -> dict:
    return {
        "first_name": "Inès",
        "last_name": "Traoré",
        "email": "ines.upload@perso.test",
        "phone": "",
        "commune_query": "Marseille",
        "commune_code": "",
        "situations": ["is_job_seeker"],
        "diploma_name": "",
        "has_experience": "non",
        "available_from": (timezone.localdate() + timedelta(days=30)).isoformat(),
        "max_distance_km": "20",
        "motivation": "Je veux aider les habitants de mon quartier.",
        "website": "",
    }


def encrypted_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt("secret")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def stored_files() -> list[Path]:
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def post_cv(client, name: str, content: bytes, content_type="application/pdf"):
    upload = SimpleUploadedFile(name, content, content_type=content_type)
    with override_settings(APPLICATION_RATE_LIMIT_PER_HOUR=10**9, APPLICATION_IP_LIMIT_PER_HOUR=10**9):
        return client.post("/candidature/conseiller/", {**candidate_data(), "cv": upload})


BAD_CVS = {
    "image renamed .pdf": (
        "cv.pdf",
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
        "Le fichier n&#x27;est pas un PDF",
    ),
    "word document renamed .pdf": ("cv.pdf", b"PK\x03\x04" + b"word/document.xml" * 8, "n&#x27;est pas un PDF"),
    "html pretending to be a pdf": ("cv.pdf", b"<html><script>alert(1)</script></html>", "n&#x27;est pas un PDF"),
    "empty file": ("cv.pdf", b"", "vide"),
    "truncated pdf": ("cv.pdf", pdf_bytes()[:60], "illisible ou endommagé"),
    "pdf header then garbage": ("cv.pdf", b"%PDF-1.7\n" + bytes(range(256)) * 4, "illisible ou endommagé"),
    "password-protected pdf": ("cv.pdf", encrypted_pdf(), "protégé par un mot de passe"),
}


class TestCvUploads:
    @pytest.mark.parametrize("case", BAD_CVS, ids=list(BAD_CVS))
    def test_a_bad_cv_is_refused_clearly_and_nothing_is_stored(self, world, client, case):
        name, content, message = BAD_CVS[case]
        before, files = AdvisorApplication.objects.count(), stored_files()
        response = post_cv(client, name, content)
        page = text_of(response)
        assert response.status_code == 400
        assert ERROR_SUMMARY in page and message in page, case
        assert AdvisorApplication.objects.count() == before
        assert stored_files() == files

    def test_an_oversize_cv_is_refused_before_it_is_read(self, world, client):
        """One byte over the real limit (CV_MAX_BYTES, 10 MB): the size alone refuses it."""
        content = b"%PDF-1.4\n" + b"0" * (settings.CV_MAX_BYTES - 8)
        assert len(content) == settings.CV_MAX_BYTES + 1
        before, files = AdvisorApplication.objects.count(), stored_files()
        response = post_cv(client, "cv.pdf", content)
        assert response.status_code == 400
        assert "dépasse 10 Mo" in text_of(response)
        assert AdvisorApplication.objects.count() == before and stored_files() == files

    def test_a_real_pdf_is_accepted_and_kept_privately(self, world, client):
        response = post_cv(client, "mon cv.PDF", pdf_bytes(), content_type="application/octet-stream")
        assert response.status_code == 302
        candidate = AdvisorApplication.objects.get(email="ines.upload@perso.test")
        assert candidate.cv and Path(candidate.cv.path).is_relative_to(settings.PRIVATE_MEDIA_ROOT)

    @given(
        content=st.one_of(
            st.binary(max_size=4096),
            st.binary(max_size=2048).map(lambda tail: b"%PDF-1.4\n" + tail),
            st.integers(min_value=1, max_value=400).map(lambda cut: pdf_bytes()[:cut]),
        ),
        name=st.sampled_from(["cv.pdf", "cv.PDF", "cv", "cv.pdf.exe", "../../cv.pdf", "cv\x00.pdf", "é" * 300]),
    )
    def test_random_bytes_are_refused_or_accepted_never_a_500(self, world, client, content, name):
        before = AdvisorApplication.objects.count()
        response = post_cv(client, name, content)
        assert response.status_code in (302, 400), response.status_code
        if response.status_code == 400:
            assert ERROR_SUMMARY in text_of(response)
            assert AdvisorApplication.objects.count() == before
        else:  # a PDF that pypdf reads: stored once, then the same e-mail is refused as a duplicate
            AdvisorApplication.objects.filter(email="ines.upload@perso.test").delete()
