"""The home page's first visit parses at most 400 kB of CSS (issue 17): the sum of its stylesheets, decoded."""

import re

import pytest
from django.contrib.staticfiles import finders

CSS_BUDGET_BYTES = 400_000
STYLESHEET = re.compile(r'<link rel="stylesheet"\s+href="/static/([^"?]+)"')


def stylesheet_bytes(html: str) -> dict[str, int]:
    """The size on disk (uncompressed) of every local stylesheet a page links."""
    sizes = {}
    for name in STYLESHEET.findall(html):
        path = finders.find(name)
        assert path, f"feuille de style introuvable : {name}"
        with open(path, "rb") as handle:
            sizes[name] = len(handle.read())
    return sizes


@pytest.mark.django_db
class TestCssBudget:
    def test_the_home_page_stays_within_the_css_budget(self, client, seeded):
        response = client.get("/")
        assert response.status_code == 200
        sizes = stylesheet_bytes(response.content.decode())
        assert "css/dsfr-allege.css" in sizes and "css/dsfr-icones.css" in sizes
        assert sum(sizes.values()) <= CSS_BUDGET_BYTES, sizes

    def test_the_full_dsfr_bundles_would_break_it(self):
        html = "".join(
            f'<link rel="stylesheet" href="/static/{name}">'
            for name in ("dsfr/dist/dsfr/dsfr.min.css", "dsfr/dist/utility/utility.min.css")
        )
        assert sum(stylesheet_bytes(html).values()) > CSS_BUDGET_BYTES

    def test_every_linked_stylesheet_must_exist(self):
        with pytest.raises(AssertionError, match="introuvable"):
            stylesheet_bytes('<link rel="stylesheet" href="/static/css/oubliee.css">')
