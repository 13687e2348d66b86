"""Wagtail documents are private files served by Wagtail's view; images and renditions are public media. Tests taking
`backend` run on the local folders and on the S3 server."""

import io
import urllib.request
from pathlib import Path

import pytest
from django.core.files.images import ImageFile
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from content.seed.pdf import pdf_document
from tests.content.factories import DocumentFactory, public_collection
from tests.storage.conftest import closed_endpoint, use_environment

pytestmark = pytest.mark.django_db


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def png() -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30), "blue").save(buffer, "PNG")
    return buffer.getvalue()


class TestDocuments:
    def test_a_document_goes_to_the_private_bucket_never_the_public_one(self, s3):
        document = DocumentFactory()
        assert document.file.name.startswith("documents/")
        assert s3.keys(s3.private_bucket) == {document.file.name} and s3.keys(s3.media_bucket) == set()

    def test_on_the_filesystem_a_document_is_under_the_private_root(self, settings):
        document = DocumentFactory()
        assert Path(document.file.path).is_relative_to(settings.PRIVATE_MEDIA_ROOT)
        assert not (Path(settings.MEDIA_ROOT) / document.file.name).exists()

    def test_a_public_document_is_streamed_by_wagtail_s_view(self, client, backend):
        document = DocumentFactory()
        response = client.get(document.url)
        assert document.url.startswith("/documents/")
        assert response.status_code == 200 and body(response) == document.file.open("rb").read()
        assert response["Content-Security-Policy"] == "default-src 'none'"
        assert response["X-Content-Type-Options"] == "nosniff"

    def test_a_document_of_a_restricted_collection_is_refused_to_anonymous(self, client, backend):
        document = DocumentFactory(private=True)
        response = client.get(document.url)
        assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))

    def test_an_editor_uploads_a_document_through_the_cms_into_the_private_bucket(self, client, s3, admin_user):
        client.force_login(admin_user)
        content = pdf_document("Guide", ["Contenu du guide."])
        response = client.post(
            reverse("wagtaildocs:add"),
            {
                "title": "Guide de l'aidant",
                "collection": public_collection().pk,
                "file": SimpleUploadedFile("guide.pdf", content, "application/pdf"),
            },
        )
        assert response.status_code == 302 and response.url == reverse("wagtaildocs:index")
        document = get_document_model().objects.get(title="Guide de l'aidant")
        assert s3.keys(s3.private_bucket) == {document.file.name} and s3.keys(s3.media_bucket) == set()
        assert s3.body(s3.private_bucket, document.file.name) == content

    def test_a_document_served_while_the_store_is_down_answers_503(self, client, s3_server, settings, monkeypatch):
        use_environment(monkeypatch, settings, s3_server.environment())
        document = DocumentFactory()
        use_environment(monkeypatch, settings, s3_server.environment(endpoint=closed_endpoint()))
        response = client.get(document.url)
        assert response.status_code == 503 and "momentanément indisponible" in response.content.decode()


class TestImages:
    def test_an_image_and_its_rendition_are_public_media_with_an_unsigned_url(self, s3):
        image = get_image_model().objects.create(title="Carré bleu", file=ImageFile(io.BytesIO(png()), "carre.png"))
        rendition = image.get_rendition("fill-20x20")
        assert s3.keys(s3.private_bucket) == set()
        assert s3.keys(s3.media_bucket) == {image.file.name, rendition.file.name}
        assert rendition.url == f"{s3.endpoint}/{s3.media_bucket}/{rendition.file.name}"
        assert "X-Amz-" not in rendition.url and "Signature" not in rendition.url
        with urllib.request.urlopen(rendition.url, timeout=5) as anonymous:  # the browser's request: no keys
            assert anonymous.read() == s3.body(s3.media_bucket, rendition.file.name)

    def test_on_the_filesystem_images_stay_under_media_url(self, settings):
        image = get_image_model().objects.create(title="Carré bleu", file=ImageFile(io.BytesIO(png()), "carre.png"))
        rendition = image.get_rendition("fill-20x20")
        assert rendition.url.startswith(settings.MEDIA_URL)
        assert Path(rendition.file.path).is_relative_to(settings.MEDIA_ROOT)
        assert storages["media"].exists(image.file.name)
