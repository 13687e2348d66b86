"""The public pages in DSFR: home (live key figures), standard pages, news, resource library, resource pages."""

from datetime import date

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from content.models import SiteIdentity, StandardPage
from content.seed.streams import faq, h2, p, sitemap, stream
from content.selectors import KEY_FIGURES_CACHE_KEY, home_key_figures
from tests.content.factories import DocumentFactory, news_item, resource
from tests.directory.factories import AdvisorFactory, StructureFactory
from tests.reporting.factories import ActivityFactory

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


class TestHomePage:
    def test_it_shows_live_key_figures_from_the_directory(self, tree, client):
        StructureFactory.create_batch(2)
        StructureFactory(just_applied=True)
        AdvisorFactory.create_batch(3)  # their structures are validated too
        AdvisorFactory(ended=True)
        page = html(client.get("/"))
        assert "fr-header" in page and "fr-footer" in page
        assert home_key_figures() == {"structures": 2 + 4, "advisors": 3, "accompaniments": 0}
        assert "conseillers numériques en poste" in page
        assert "accompagnements réalisés" in page

    def test_it_caches_the_figures_and_forgets_them_when_the_network_changes(self, tree, client):
        assert home_key_figures()["structures"] == 0
        assert cache.get(KEY_FIGURES_CACHE_KEY) is not None
        StructureFactory()
        assert cache.get(KEY_FIGURES_CACHE_KEY) is None
        assert home_key_figures()["structures"] == 1

    def test_it_counts_the_accompaniments_of_the_activity_reports(self, tree, client, paris_advisor):
        ActivityFactory(advisor=paris_advisor)
        ActivityFactory(advisor=paris_advisor, collective=True)  # a workshop of 8 people: 8 accompaniments
        page = html(client.get("/"))
        assert home_key_figures()["accompaniments"] == 9
        assert "accompagnements réalisés" in page

    def test_it_lists_the_latest_news_and_featured_resources(self, library, tree, client):
        news_item(tree["news"], title="Les rencontres nationales", day=date(2026, 10, 1))
        page = html(client.get("/"))
        assert "Les rencontres nationales" in page
        assert "Ressources à la une" in page and "Des mots de passe solides" in page
        assert "Brouillon confidentiel" not in page


class TestStandardPage:
    def test_it_renders_the_blocks_with_a_summary_and_a_breadcrumb(self, tree, client):
        page = StandardPage(
            title="Questions fréquentes",
            slug="faq",
            intro="Les réponses.",
            show_summary=True,
            body=stream(
                h2("Pour les habitants"),
                p("Un paragraphe."),
                faq("", [("Est-ce gratuit ?", "Oui.")]),
            ),
        )
        tree["home"].add_child(instance=page)
        page.save_revision().publish()
        content = html(client.get("/faq/"))
        assert '<h2 id="pour-les-habitants">Pour les habitants</h2>' in content
        assert 'class="fr-summary' in content and 'href="#pour-les-habitants"' in content
        assert "fr-accordion__btn" in content and "Est-ce gratuit ?" in content
        assert 'class="fr-breadcrumb"' in content and 'aria-current="page">Questions fréquentes' in content
        assert '<link rel="canonical" href="http://testserver/faq/">' in content

    def test_it_builds_the_site_map_from_live_pages(self, library, tree, client):
        page = StandardPage(title="Plan du site", slug="plan-du-site", body=stream(sitemap()))
        hidden = StandardPage(title="Page cachée", slug="cachee", exclude_from_sitemap=True)
        for child in (page, hidden):
            tree["home"].add_child(instance=child)
            child.save_revision().publish()
        content = html(client.get("/plan-du-site/"))
        assert '<a href="/ressources/">Ressources</a>' in content
        assert "/trouver-un-conseiller/" in content and "/candidature/conseiller/" in content
        assert "Page cachée" not in content
        # Resources are reached through the library, not listed one by one.
        assert "Des mots de passe solides" not in content

    def test_it_hides_private_pages(self, tree, client):
        page = StandardPage(title="Réservé", slug="reserve")
        tree["home"].add_child(instance=page)
        page.save_revision().publish()
        PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
        response = client.get("/reserve/")
        assert response.status_code == 302 and "/connexion/" in response["Location"]


class TestNews:
    def test_it_lists_news_newest_first_and_filters_by_thematique(self, tree, securite, client):
        news_item(tree["news"], title="Ancienne actualité", day=date(2026, 1, 5))
        news_item(tree["news"], title="Campagne contre les arnaques", day=date(2026, 11, 2), thematiques=[securite])
        content = html(client.get("/actualites/"))
        assert content.index("Campagne contre les arnaques") < content.index("Ancienne actualité")
        filtered = html(client.get("/actualites/?thematique=securite-numerique"))
        assert "Campagne contre les arnaques" in filtered and "Ancienne actualité" not in filtered

    def test_it_reports_an_unknown_thematique_without_failing(self, tree, client):
        news_item(tree["news"], title="Une actualité", day=date(2026, 2, 1))
        response = client.get("/actualites/?thematique=inconnue")
        assert response.status_code == 400
        assert "La thématique « inconnue » n&#x27;existe pas" in html(response)
        assert "Une actualité" in html(response)

    def test_it_paginates(self, tree, client):
        for day in range(1, 13):
            news_item(tree["news"], title=f"Actualité du {day}", day=date(2026, 3, day))
        assert "Actualité du 12" in html(client.get("/actualites/"))
        second = html(client.get("/actualites/?page=2"))
        assert "Actualité du 2" in second and "Actualité du 12" not in second
        assert client.get("/actualites/?page=abc").status_code == 200


class TestResourceLibrary:
    def test_it_lists_published_resources_with_facet_counts(self, library, client):
        content = html(client.get("/ressources/"))
        assert "4 ressources" in content
        assert "Brouillon confidentiel" not in content
        assert "Fiche pratique (2)" in content and "Sécurité numérique (2)" in content
        assert 'name="thematique" value="securite-numerique"' in content

    def test_it_combines_thematiques_with_or_and_other_filters_with_and(self, library, client):
        both = html(client.get("/ressources/?thematique=securite-numerique&thematique=demarches-en-ligne"))
        assert "3 ressources trouvées" in both
        narrowed = html(client.get("/ressources/?thematique=securite-numerique&type=fiche&public=conseillers"))
        assert "1 ressource trouvée" in narrowed and "Des mots de passe solides" in narrowed
        # Facets count what each choice would give under the other filters.
        assert "Guide (1)" in narrowed

    def test_it_searches_the_full_text_and_combines_it_with_filters(self, library, client):
        content = html(client.get("/ressources/?q=hameçonnage"))
        assert "1 ressource trouvée" in content and "Repérer les arnaques en ligne" in content
        combined = html(client.get("/ressources/?q=authentification&thematique=demarches-en-ligne"))
        assert "Des mots de passe solides" in combined and "1 ressource trouvée" in combined
        assert "0 ressource" in html(
            client.get("/ressources/?q=authentification&thematique=securite-numerique&type=guide")
        )

    def test_it_filters_by_tag_and_offers_links_to_remove_each_filter(self, library, client):
        content = html(client.get("/ressources/?tag=franceconnect&type=fiche"))
        assert "Se connecter avec FranceConnect" in content and "1 ressource trouvée" in content
        assert 'href="?tag=franceconnect"' in content  # removes the type
        assert 'href="?type=fiche"' in content  # removes the tag

    def test_it_ignores_and_reports_unknown_filter_values(self, library, client):
        response = client.get("/ressources/?type=podcast&thematique=inconnue&thematique=securite-numerique")
        assert response.status_code == 400
        content = html(response)
        assert "Certains filtres ont été ignorés" in content
        assert "La valeur « podcast » n&#x27;existe pas" in content
        # The valid filter still applies.
        assert "2 ressources trouvées" in content

    def test_it_survives_hostile_input(self, library, client):
        for query in ["?q=" + "x" * 500, "?q=%00", "?page=-1", "?page=999", "?thematique=%27%22%3E"]:
            assert client.get("/ressources/" + query).status_code in (200, 400), query

    def test_it_paginates_with_shareable_urls(self, tree, client):
        for number in range(14):
            resource(tree["library"], title=f"Fiche numéro {number}", resource_type="fiche")
        content = html(client.get("/ressources/?type=fiche"))
        assert "14 ressources trouvées" in content
        assert 'href="?type=fiche&amp;page=2"' in content
        assert "Fiche numéro 0" in html(client.get("/ressources/?type=fiche&page=2"))


class TestResourcePage:
    def test_it_offers_the_document_with_its_format_and_size(self, tree, client):
        document = DocumentFactory(title="Guide FranceConnect")
        page = resource(tree["library"], title="Guide FranceConnect", slug="guide-fc", document=document)
        content = html(client.get(page.url))
        assert 'class="fr-link fr-link--download"' in content
        assert f'href="{document.url}"' in content and "PDF –" in content

    def test_it_never_links_a_private_document(self, tree, client):
        page = resource(tree["library"], title="Note", slug="note", document=DocumentFactory())
        private = DocumentFactory(private=True)
        # Moved to a private collection after publication (the form refuses it).
        page.__class__.objects.filter(pk=page.pk).update(document=private)
        content = html(client.get("/ressources/note/"))
        assert private.url not in content
        assert "n'est pas disponible pour le moment" in content
        assert client.get(private.url).status_code == 302  # the file itself asks for a login

    def test_it_links_an_external_resource_and_its_taxonomies(self, library, client):
        content = html(client.get("/ressources/arnaques/"))
        assert 'href="https://exemple.gouv.fr/outil"' in content and "nouvelle fenêtre" in content
        assert 'href="/ressources/?thematique=securite-numerique"' in content
        assert "Des mots de passe solides" in content  # shares a thématique
        assert client.get("/ressources/brouillon/").status_code == 404


class TestSiteIdentity:
    def test_it_shows_the_settings_in_the_header_and_footer_without_a_query_per_page(self, tree, client):
        SiteIdentity.objects.create(
            service_title="Conseiller numérique", accessibility_status="totale", notice_title="Maintenance ce soir"
        )
        content = html(client.get("/"))
        assert "Accessibilité : totalement conforme" in content
        assert "fr-notice" in content and "Maintenance ce soir" in content
        # Served from the cache afterwards.
        with CaptureQueriesContext(connection) as queries:
            client.get("/connexion/")
        assert not any("content_siteidentity" in query["sql"] for query in queries.captured_queries)

    def test_it_falls_back_to_defaults_without_a_settings_row(self, tree, client):
        content = html(client.get("/connexion/"))
        assert "Accessibilité : partiellement conforme" in content
        assert "Accompagner chacun vers l&#x27;autonomie numérique" in content
