"""Rendered pages and JSON are gzipped when the client accepts it; downloads, streams and encoded answers are not."""

import gzip
import io

import pytest
from django.conf import settings
from django.http import FileResponse, HttpResponse, JsonResponse, StreamingHttpResponse
from django.test import RequestFactory
from django.urls import reverse

from common.compression import PageGZipMiddleware

PAGE = "<!DOCTYPE html><html lang='fr'><body>" + "<p>Conseiller numérique</p>" * 50 + "</body></html>"


def run(response, accept_encoding: str = "gzip, deflate, br"):
    request = RequestFactory().get("/", HTTP_ACCEPT_ENCODING=accept_encoding)
    return PageGZipMiddleware(lambda request: response)(request)


class TestPageGZipMiddleware:
    def test_it_gzips_html_when_asked(self):
        response = run(HttpResponse(PAGE))
        assert response["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in response["Vary"]
        assert gzip.decompress(response.content).decode() == PAGE
        assert int(response["Content-Length"]) == len(response.content) < len(PAGE.encode())

    def test_it_pads_the_gzip_header_at_random_against_breach(self):
        sizes = {len(run(HttpResponse(PAGE)).content) for _ in range(20)}
        assert len(sizes) > 1

    def test_it_leaves_html_alone_when_the_client_does_not_accept_gzip(self):
        for accept in ("", "br", "identity"):
            response = run(HttpResponse(PAGE), accept)
            assert not response.has_header("Content-Encoding")
            assert response.content.decode() == PAGE

    def test_it_gzips_json(self):
        response = run(JsonResponse({"lieux": ["Paris"] * 100}))
        assert response["Content-Encoding"] == "gzip"

    def test_it_leaves_streams_and_files_alone(self, tmp_path):
        export = StreamingHttpResponse((f"ligne {n};Paris\n" * 20 for n in range(50)), content_type="text/csv")
        assert not run(export).has_header("Content-Encoding")
        cv = tmp_path / "cv.pdf"
        cv.write_bytes(b"%PDF-1.7\n" + b"0" * 5000)
        with cv.open("rb") as handle:
            response = run(FileResponse(handle, content_type="application/pdf"))
            assert not response.has_header("Content-Encoding")
            assert response["Content-Length"] == "5009"

    def test_it_leaves_other_types_and_encoded_answers_alone(self):
        csv = HttpResponse("nom;commune\n" * 100, content_type="text/csv; charset=utf-8")
        assert not run(csv).has_header("Content-Encoding")
        already = HttpResponse(gzip.compress(PAGE.encode()), content_type="text/html")
        already["Content-Encoding"] = "gzip"
        assert run(already).content == already.content
        xlsx = HttpResponse(io.BytesIO(b"PK" + b"x" * 1000).getvalue(), content_type="application/vnd.ms-excel")
        assert not run(xlsx).has_header("Content-Encoding")

    def test_it_leaves_tiny_answers_alone(self):
        assert not run(HttpResponse("<p>ok</p>")).has_header("Content-Encoding")


class TestSettings:
    def test_it_runs_after_whitenoise_and_before_every_middleware_that_reads_the_body(self):
        middleware = settings.MIDDLEWARE
        position = middleware.index("common.compression.PageGZipMiddleware")
        assert middleware[position - 1] == "whitenoise.middleware.WhiteNoiseMiddleware"
        assert middleware[0] == "django.middleware.security.SecurityMiddleware"

    @pytest.mark.django_db
    def test_a_real_page_is_gzipped_when_asked_and_not_otherwise(self, client):
        compressed = client.get(reverse("accounts:login"), HTTP_ACCEPT_ENCODING="gzip, br")
        assert compressed["Content-Encoding"] == "gzip"
        assert "Se connecter" in gzip.decompress(compressed.content).decode()
        plain = client.get(reverse("accounts:login"))
        assert not plain.has_header("Content-Encoding")
        assert "Se connecter" in plain.content.decode()
