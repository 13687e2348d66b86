"""The public site in a real browser: accessibility of every page type, the two visitor journeys (with and without
JavaScript), and an editor's submission approved by a moderator in the Wagtail admin under the real CSP."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from content.models import ResourcePage, StandardPage
from tests import personas
from tests.accounts.factories import PASSWORD
from tests.browser.helpers import assert_no_serious_axe_violations, log_in
from tests.directory.factories import PlaceAssignmentFactory, StructureFactory
from tests.territories.factories import commune

pytestmark = pytest.mark.browser


@pytest.fixture
def public_site(transactional_db, settings, tmp_path):
    """The seeded site and three staffed places in Paris, in the live server's flushed database."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    call_command("seed_content", verbosity=0)
    places = []
    paris = [("75111", "Médiathèque du 11e"), ("75112", "Centre social du 12e"), ("75120", "Mairie du 20e")]
    for insee, name in paris:
        town = commune(insee)
        structure = StructureFactory(commune=town, postal_code=town.main_postal_code)
        places.append(
            PlaceAssignmentFactory(
                place__structure=structure,
                place__name=name,
                advisor__structure=structure,
                advisor__first_name="Camille",
                is_principal=True,
            ).place
        )
    return places


def csp_problems(page) -> list[str]:
    problems = []
    page.on("console", lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems


class TestAccessibility:
    def test_every_public_page_type_passes_axe(self, page, public_site):
        news = "/actualites/rencontres-nationales-2026/"
        resource = "/ressources/guide-franceconnect/"
        standard = [f"/{slug}/" for slug in StandardPage.objects.values_list("slug", flat=True)]
        assert len(standard) == 9
        for url in [
            "/",
            "/ressources/",
            "/ressources/?q=arnaques&type=guide",
            "/actualites/",
            news,
            resource,
            "/open-data/",
        ]:
            response = page.goto(url)
            assert response.status == 200, url
            assert_no_serious_axe_violations(page)
        page.goto("/trouver-un-conseiller/?q=75011")
        expect(page.locator(".cnum-place").first).to_be_visible()
        assert_no_serious_axe_violations(page)
        for url in standard:
            assert page.goto(url).status == 200, url
            assert_no_serious_axe_violations(page)


class TestResourceLibraryJourney:
    def test_a_visitor_filters_by_thematique_and_opens_a_resource(self, page, public_site):
        page.goto("/")
        page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Ressources").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Ressources")
        # The DSFR draws the checkbox over its label: a visitor clicks the label.
        page.locator("label", has_text=re.compile(r"^Sécurité numérique \(\d+\)$")).click()
        expect(page.get_by_label(re.compile(r"^Sécurité numérique"))).to_be_checked()
        page.get_by_role("button", name="Appliquer les filtres").click()
        expect(page).to_have_url(re.compile(r"/ressources/\?.*thematique=securite-numerique"))
        expect(page.locator("#resultats")).to_have_text(re.compile(r"5 ressources trouvées"))
        expect(page.get_by_role("link", name="Retirer le filtre Sécurité numérique")).to_be_visible()
        page.get_by_role("link", name="Repérer et éviter les arnaques en ligne").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Repérer et éviter les arnaques en ligne")
        download = page.locator("a.fr-link--download")
        expect(download).to_contain_text("PDF")
        expect(download).to_have_attribute(
            "href", ResourcePage.objects.get(slug="guide-arnaques-en-ligne").document.url
        )

    def test_the_library_works_without_javascript(self, new_page, public_site):
        page = new_page(javascript=False)
        page.goto("/ressources/")
        page.locator("label", has_text=re.compile(r"^Santé en ligne")).click()
        page.get_by_label("Rechercher une ressource").fill("ameli")
        page.get_by_role("button", name="Appliquer les filtres").click()
        expect(page.locator("#resultats")).to_have_text(re.compile(r"1 ressource trouvée"))
        page.get_by_role("link", name="Le compte ameli : remboursements et attestations").click()
        expect(page.get_by_role("link", name="Accéder à la ressource")).to_have_attribute(
            "href", "https://www.ameli.fr/"
        )


class TestFindAdvisorJourney:
    def test_a_visitor_finds_the_places_near_75011(self, new_page, public_site):
        page = new_page(bypass_csp=False)
        problems = csp_problems(page)
        # Map tiles come from outside: without them (as here) the list must work all the same.
        page.route(re.compile(r"https://.*tile\.openstreetmap\.org/.*"), lambda route: route.abort())
        page.goto("/")
        page.get_by_role("link", name="Trouver un conseiller près de chez moi").click()
        page.get_by_label("Commune ou code postal").fill("75011")
        page.get_by_role("button", name="Rechercher").click()
        expect(page.get_by_role("heading", name=re.compile("3 lieux à moins de 20 km de Paris 11e"))).to_be_visible()
        names = page.locator(".cnum-place h3")
        expect(names).to_have_count(len(public_site))
        expect(names.first).to_have_text("Médiathèque du 11e")
        for place in public_site:
            expect(names.filter(has_text=place.name)).to_have_count(1)
        expect(page.locator(".cnum-place").first).to_contain_text("Camille")
        # The map is an enhancement: shown with JavaScript, one marker per place.
        expect(page.locator("#carte-lieux")).to_be_visible()
        expect(page.locator(".leaflet-marker-icon")).to_have_count(3)
        assert problems == []

    def test_the_finder_works_without_javascript(self, new_page, public_site):
        page = new_page(javascript=False)
        page.goto("/trouver-un-conseiller/")
        page.get_by_label("Commune ou code postal").fill("75011")
        page.get_by_label("Distance maximale").select_option("5")
        page.get_by_role("button", name="Rechercher").click()
        expect(page.locator(".cnum-place")).to_have_count(3)
        expect(page.locator("#carte-lieux")).to_be_hidden()


class TestModerationInTheAdmin:
    def test_an_editor_submits_and_a_moderator_approves_under_the_real_csp(self, new_page, public_site):
        editor, moderator = personas.create_user(personas.EDITOR), personas.create_user(personas.MODERATOR)
        faq = StandardPage.objects.get(slug="faq")
        problems = []

        def open_page():
            # A fresh context (no cookies) under the real policy; the fixture closes it at the end of the test.
            tab = new_page(bypass_csp=False)
            tab.on("console", lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None)
            tab.on("pageerror", lambda error: problems.append(str(error)))
            return tab

        tab = open_page()
        log_in(tab, editor.email, PASSWORD)
        expect(tab).to_have_url(re.compile(r"/cms/$"))
        tab.goto(f"/cms/pages/{faq.pk}/edit/")
        tab.get_by_role("textbox", name="Chapô").fill("Une introduction relue par l'équipe éditoriale.")
        tab.get_by_role("button", name="Plus d'actions").click()
        tab.get_by_role("button", name="Soumettre à Relecture éditoriale").click()
        expect(tab.locator(".messages")).to_contain_text("a été soumise pour modération")

        tab = open_page()
        log_in(tab, moderator.email, PASSWORD)
        tab.goto("/cms/")
        expect(tab.get_by_role("heading", name="En attente de votre vérification")).to_be_visible()
        row = tab.get_by_role("row").filter(has_text="Questions fréquentes")
        row.locator("[data-w-dropdown-target='toggle']").click()
        with tab.expect_navigation():
            tab.get_by_role("button", name="Approuver", exact=True).click()
        tab.goto("/cms/")
        expect(tab.get_by_role("row").filter(has_text="Questions fréquentes")).to_have_count(0)

        visitor = open_page()
        visitor.goto("/faq/")
        expect(visitor.locator(".fr-text--lead")).to_have_text("Une introduction relue par l'équipe éditoriale.")
        assert problems == []
