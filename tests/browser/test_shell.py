"""The DSFR shell in a real browser: login, header, accessibility (axe-core) and keyboard use."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.template.loader import get_template
from playwright.sync_api import expect

from tests import personas
from tests.browser.helpers import assert_no_serious_axe_violations, log_in
from tests.territories.factories import department

pytestmark = pytest.mark.browser

User = get_user_model()
PASSWORD = "motdepasse-solide-2024"


@pytest.fixture
def national_user(transactional_db):
    return personas.create_user(personas.NATIONAL, password=PASSWORD)


@pytest.fixture
def two_roles_user(transactional_db):
    """A prefecture agent (active) who is also an editor."""
    return personas.create_user(personas.PREFECTURE_EDITOR, password=PASSWORD, department=department("75"))


class TestSmoke:
    def test_it_logs_in_and_shows_the_user_and_the_active_role(self, page, national_user, tmp_path):
        log_in(page, national_user.email, PASSWORD)
        header = page.locator(".fr-header__tools")
        expect(header.get_by_text("Nadia Admin")).to_be_visible()
        expect(header.get_by_text("Administrateur national (ANCT) — National")).to_be_visible()
        expect(header.get_by_role("link", name="Mon compte")).to_be_visible()
        expect(header.get_by_role("button", name="Se déconnecter")).to_be_visible()
        navigation = page.get_by_role("navigation", name="Menu principal")
        navigation.get_by_role("button", name="Mon espace").click()
        expect(navigation.get_by_role("link", name="Utilisateurs")).to_be_visible()
        screenshot = tmp_path / "compte.png"
        page.screenshot(path=screenshot, full_page=True)
        assert screenshot.stat().st_size > 0

    def test_it_loads_the_dsfr_styles_and_script(self, page, live_server):
        page.goto("/connexion/")
        # The DSFR script marks the root element once it runs; its stylesheet sets the Marianne font.
        page.wait_for_function("() => document.documentElement.hasAttribute('data-fr-js')")
        font = page.evaluate("() => getComputedStyle(document.body).fontFamily")
        assert "Marianne" in font

    def test_it_logs_out(self, page, national_user):
        log_in(page, national_user.email, PASSWORD)
        page.get_by_role("button", name="Se déconnecter").click()
        expect(page.locator("header.fr-header").get_by_role("link", name="Se connecter")).to_be_visible()
        expect(page.locator("header.fr-header").get_by_role("button", name="Se déconnecter")).to_have_count(0)


class TestAccessibility:
    def test_it_finds_no_serious_violation_on_the_login_page(self, page):
        page.goto("/connexion/")
        assert_no_serious_axe_violations(page)

    def test_it_finds_no_serious_violation_on_the_login_errors(self, page):
        page.goto("/connexion/")
        page.get_by_role("button", name="Se connecter").click()
        expect(page.locator("#erreurs")).to_be_visible()
        assert_no_serious_axe_violations(page)

    def test_it_finds_no_serious_violation_on_the_404_page(self, page):
        response = page.goto("/page-inexistante/")
        assert response.status == 404
        assert_no_serious_axe_violations(page)

    def test_it_finds_no_serious_violation_on_the_account_page(self, page, two_roles_user):
        log_in(page, two_roles_user.email, PASSWORD)
        page.goto("/mon-compte/")
        assert_no_serious_axe_violations(page)

    def test_it_finds_no_serious_violation_in_the_phone_menu(self, phone_page, two_roles_user):
        log_in(phone_page, two_roles_user.email, PASSWORD)
        phone_page.goto("/mon-compte/")
        phone_page.get_by_role("button", name="Menu").click()
        expect(phone_page.locator("#menu-principal").get_by_label("Rôle actif")).to_be_visible()
        assert_no_serious_axe_violations(phone_page)

    def test_it_finds_no_serious_violation_on_the_403_page(self, page, two_roles_user):
        log_in(page, two_roles_user.email, PASSWORD)
        response = page.goto("/gestion/utilisateurs/")
        assert response.status == 403
        assert_no_serious_axe_violations(page)

    def test_it_finds_no_serious_violation_on_the_500_page(self, page):
        # server_error renders 500.html without a request: serve that very HTML from the live server's origin.
        html = get_template("500.html").render()
        page.route("**/erreur-500/", lambda route: route.fulfill(status=500, body=html, content_type="text/html"))
        page.goto("/erreur-500/")
        expect(page.get_by_role("heading", name="Erreur inattendue")).to_be_visible()
        assert "Marianne" in page.evaluate("() => getComputedStyle(document.body).fontFamily")
        assert_no_serious_axe_violations(page)

    def test_it_finds_no_serious_violation_on_a_paginated_table(self, page, national_user):
        for number in range(30):
            User.objects.create_user(email=f"agent{number:02}@exemple.gouv.fr", last_name=f"Agent {number:02}")
        log_in(page, national_user.email, PASSWORD)
        page.goto("/gestion/utilisateurs/?q=agent&page=2")
        pagination = page.get_by_role("navigation", name="Pagination")
        expect(pagination.locator("[aria-current=page]")).to_have_text("2")
        assert_no_serious_axe_violations(page)

    def test_it_finds_no_serious_violation_on_the_home_page(self, page):
        call_command("seed_content", verbosity=0)
        response = page.goto("/")
        assert response.status == 200
        assert_no_serious_axe_violations(page)

    def test_it_respects_the_content_security_policy(self, new_page):
        page = new_page(bypass_csp=False)
        problems = []
        page.on(
            "console",
            lambda message: problems.append(message.text) if "Content Security Policy" in message.text else None,
        )
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.goto("/connexion/")
        page.wait_for_function("() => document.documentElement.hasAttribute('data-fr-js')")
        assert problems == []


class TestSmallScreens:
    def test_it_never_scrolls_sideways_on_a_phone(self, phone_page, two_roles_user):
        log_in(phone_page, two_roles_user.email, PASSWORD)
        for url in ["/connexion/", "/page-inexistante/", "/mon-compte/"]:
            phone_page.goto(url)
            widths = phone_page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
            assert widths[0] <= widths[1], (url, widths)


class TestKeyboard:
    def test_it_reaches_the_skip_links_first(self, page):
        page.goto("/page-inexistante/")
        page.keyboard.press("Tab")
        expect(page.locator(":focus")).to_have_text("Contenu")
        page.keyboard.press("Enter")
        expect(page).to_have_url(re.compile(r"#contenu$"))

    def test_it_moves_the_focus_to_the_error_summary(self, page):
        page.goto("/connexion/")
        page.get_by_role("button", name="Se connecter").click()
        expect(page.locator("#erreurs")).to_be_focused()
        page.keyboard.press("Tab")
        expect(page.locator(":focus")).to_have_attribute("href", "#id_username")
        page.keyboard.press("Enter")
        expect(page.locator("#id_username")).to_be_focused()

    def test_it_switches_role_with_the_keyboard_and_without_javascript(self, new_page, two_roles_user):
        page = new_page(javascript=False)
        log_in(page, two_roles_user.email, PASSWORD)
        page.goto("/mon-compte/")
        select = page.locator("header").get_by_label("Rôle actif")
        expect(select).to_have_value(str(two_roles_user.memberships.get(role="prefecture").pk))
        select.focus()
        page.keyboard.press("ArrowDown")
        page.keyboard.press("Tab")
        expect(page.locator(":focus")).to_have_text("Changer")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        editor = two_roles_user.memberships.get(role="editeur")
        expect(page.locator("header").get_by_label("Rôle actif")).to_have_value(str(editor.pk))
        two_roles_user.refresh_from_db()
        assert two_roles_user.active_membership == editor
