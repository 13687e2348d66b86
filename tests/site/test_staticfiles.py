"""collectstatic with the production storage (whitenoise's compressed manifest) succeeds and keeps the DSFR."""

import base64
import gzip
import hashlib
import json
import re

import brotli
import pytest
from django.apps import apps
from django.core.management import call_command
from django.template import engines
from django.test import override_settings

from config.settings import base as base_settings

# config/settings/test.py swaps the storage in place (the STORAGES dict is shared with base.py): name it here.
PRODUCTION_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """One collectstatic run for the module, into a temporary STATIC_ROOT, with the production storage."""
    static_root = tmp_path_factory.mktemp("static")
    storages = {**base_settings.STORAGES, "staticfiles": {"BACKEND": PRODUCTION_STORAGE}}
    with override_settings(STATIC_ROOT=static_root, STORAGES=storages):
        call_command("collectstatic", interactive=False, verbosity=0)
        manifest = json.loads((static_root / "staticfiles.json").read_text())["paths"]
        yield static_root, manifest


class TestCollectstatic:
    def test_it_uses_the_manifest_storage_in_production(self):
        source = (base_settings.BASE_DIR / "config" / "settings" / "base.py").read_text()
        assert f'"staticfiles": {{"BACKEND": "{PRODUCTION_STORAGE}"}}' in source
        assert apps.get_app_config("staticfiles").__class__.__module__ == "config.staticfiles"

    def test_it_collects_the_dsfr_and_our_assets(self, collected):
        static_root, manifest = collected
        for name in [
            "css/dsfr-allege.css",
            "css/dsfr-icones.css",
            "css/dsfr-django-overrides.css",
            "dsfr/dist/dsfr/dsfr.module.min.js",
            "dsfr/dist/favicon/favicon.svg",
            "css/site.css",
            "js/site.js",
        ]:
            assert name in manifest
            assert (static_root / manifest[name]).is_file()

    def test_it_leaves_out_the_broken_third_party_folders(self, collected):
        _, manifest = collected
        assert not [name for name in manifest if "node_modules" in name]
        assert not [name for name in manifest if name.startswith("viewflow/js/contrib/")]
        assert "viewflow/css/viewflow.min.css" in manifest

    def test_it_renders_hashed_urls(self, collected):
        _, manifest = collected
        html = engines["django"].from_string("{% load static %}{% static 'css/dsfr-allege.css' %}").render()
        assert html == "/static/" + manifest["css/dsfr-allege.css"]

    def test_it_serves_stylesheets_that_match_their_integrity_hash(self, collected):
        static_root, _ = collected
        html = engines["django"].from_string("{% load dsfr_tags %}{% dsfr_css %}").render()
        for href, integrity in re.findall(
            r'<link rel="stylesheet"\s+href="/static/([^"]+)"\s+integrity="([^"]+)"', html
        ):
            algorithm, expected = integrity.split("-", 1)
            digest = base64.b64encode(hashlib.new(algorithm, (static_root / href).read_bytes()).digest()).decode()
            assert digest == expected, href


class TestCompressedStaticFiles:
    """whitenoise writes .br and .gz beside the hashed CSS and JS, and answers with the one the browser accepts."""

    NAMES = ["css/dsfr-allege.css", "css/dsfr-icones.css", "dsfr/dist/dsfr/dsfr.module.min.js", "js/site.js"]

    def test_it_writes_brotli_and_gzip_beside_the_css_and_js(self, collected):
        static_root, manifest = collected
        for name in self.NAMES:
            original = (static_root / manifest[name]).read_bytes()
            assert brotli.decompress((static_root / f"{manifest[name]}.br").read_bytes()) == original, name
            assert gzip.decompress((static_root / f"{manifest[name]}.gz").read_bytes()) == original, name

    @pytest.mark.parametrize(
        ("accept", "encoding"), [("gzip, deflate, br, zstd", "br"), ("gzip, deflate", "gzip"), ("", None)]
    )
    def test_it_serves_the_encoding_the_browser_accepts(self, collected, accept, encoding):
        from django.http import HttpResponse
        from django.test import RequestFactory
        from whitenoise.middleware import WhiteNoiseMiddleware

        static_root, manifest = collected
        with override_settings(STATIC_ROOT=static_root, WHITENOISE_USE_FINDERS=False, WHITENOISE_AUTOREFRESH=False):
            middleware = WhiteNoiseMiddleware(lambda request: HttpResponse(status=404))
            url = "/static/" + manifest["css/dsfr-allege.css"]
            response = middleware(RequestFactory().get(url, HTTP_ACCEPT_ENCODING=accept))
        assert response.status_code == 200
        assert response.get("Content-Encoding") == encoding
        assert "Accept-Encoding" in response["Vary"]
        body = b"".join(response.streaming_content)
        response.file_to_stream.close()  # response.close() would signal request_finished (database access)
        expected = (static_root / manifest["css/dsfr-allege.css"]).read_bytes()
        decode = {"br": brotli.decompress, "gzip": gzip.decompress}.get(encoding, bytes)
        assert decode(body) == expected
