"""Full-text search of the library: French stemming and accents on PostgreSQL, a working fallback on SQLite."""

import pytest
from django.conf import settings
from django.db import connection
from wagtail.search.backends import get_search_backend

from content.models import ResourcePage, StandardPage
from content.seed.streams import p, stream

pytestmark = pytest.mark.django_db

on_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only")


def titles(results) -> set[str]:
    return {page.title for page in results}


@pytest.fixture
def plural_page(tree):
    """A page that only says « ressources » (plural) and « démarches » (with an accent)."""
    page = StandardPage(
        title="Guide des aidants",
        slug="guide-des-aidants",
        body=stream(p("Toutes les ressources utiles pour les démarches en ligne.")),
    )
    tree["home"].add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.mark.postgres
@on_postgres
class TestPostgresFrenchSearch:
    def test_it_uses_the_french_unaccent_configuration(self):
        assert settings.WAGTAILSEARCH_BACKENDS["default"]["SEARCH_CONFIG"] == "french_unaccent"
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_tsvector('french_unaccent', 'Ressources démarches')::text")
            assert cursor.fetchone()[0] == "'demarch':2 'ressourc':1"

    def test_searching_ressource_finds_pages_saying_ressources(self, plural_page):
        assert "Guide des aidants" in titles(StandardPage.objects.live().search("ressource"))

    def test_it_ignores_accents_both_ways(self, plural_page):
        assert "Guide des aidants" in titles(StandardPage.objects.live().search("demarche"))
        assert "Guide des aidants" in titles(StandardPage.objects.live().search("DÉMARCHES"))

    def test_the_library_finds_singular_and_plural_forms(self, seeded_site, db, client):
        singular = ResourcePage.objects.live().search("arnaque")
        assert "Repérer et éviter les arnaques en ligne" in titles(singular)
        content = client.get("/ressources/?q=arnaque").content.decode()
        assert "Repérer et éviter les arnaques en ligne" in content


@on_sqlite
class TestSQLiteFallbackSearch:
    def test_it_searches_with_fts5_accent_insensitive_without_stemming(self, plural_page):
        assert type(get_search_backend()).__name__ == "SQLiteSearchBackend"
        assert "Guide des aidants" in titles(StandardPage.objects.live().search("ressources"))
        assert "Guide des aidants" in titles(StandardPage.objects.live().search("demarches"))
        # SQLite's tokenizer has no French stemming: the exact word is needed.
        assert "Guide des aidants" not in titles(StandardPage.objects.live().search("ressource"))


class TestSearchScope:
    def test_it_requires_every_word(self, library):
        found = titles(ResourcePage.objects.live().search("phrase passe", operator="and"))
        assert "Des mots de passe solides" in found and "Se connecter avec FranceConnect" not in found
        assert not titles(ResourcePage.objects.live().search("phrase FranceConnect", operator="and"))

    def test_it_indexes_thematique_and_tag_names(self, library):
        assert "Repérer les arnaques en ligne" in titles(ResourcePage.objects.live().search("arnaques"))
        assert "Se connecter avec FranceConnect" in titles(ResourcePage.objects.live().search("administratives"))
