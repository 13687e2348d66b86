"""Issue 19 item 4: the design system's favicon set, linked from every page and served at the root addresses."""

import pytest
from django.template.loader import get_template
from django.test import Client

FAVICON_FILES = ["favicon.ico", "favicon.svg", "apple-touch-icon.png", "manifest.webmanifest"]


@pytest.mark.django_db
class TestRootAddresses:
    @pytest.mark.parametrize(
        ("address", "filename"),
        [(f"/{name}", name) for name in FAVICON_FILES]
        + [("/apple-touch-icon-precomposed.png", "apple-touch-icon.png")],
    )
    def test_it_redirects_to_the_static_file_which_exists(self, address, filename):
        client = Client()
        response = client.get(address)
        assert response.status_code == 301
        assert response["Location"] == f"/static/dsfr/dist/favicon/{filename}"
        assert "max-age=86400" in response["Cache-Control"]
        served = client.get(response["Location"])
        assert served.status_code == 200
        assert b"".join(served.streaming_content if served.streaming else [served.content])

    def test_it_refuses_a_post(self):
        assert Client().post("/favicon.ico").status_code == 405


@pytest.mark.django_db
class TestTemplates:
    def test_every_page_links_the_whole_set(self, client):
        html = client.get("/connexion/").text
        for name in FAVICON_FILES:
            assert f"/static/dsfr/dist/favicon/{name}" in html, name
        assert 'rel="apple-touch-icon"' in html and 'rel="manifest"' in html

    def test_the_500_page_links_the_whole_set_without_a_request(self):
        html = get_template("500.html").render()
        for name in FAVICON_FILES:
            assert f"/static/dsfr/dist/favicon/{name}" in html, name
