"""Issue 15 part 4 in a real browser: the print-ready statistics page, a share link and its public page (axe-core)."""

import re
from urllib.parse import urlparse

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.accounts.factories import PASSWORD
from tests.browser.helpers import assert_no_serious_axe_violations, log_in
from tests.reporting.factories import ActivityFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def advisor(transactional_db, advisor_user, paris_advisor):
    ActivityFactory(advisor=paris_advisor, collective=True, participants=6, date=timezone.localdate())
    return advisor_user


class TestShowingMyWork:
    def test_an_advisor_prints_her_statistics_then_shares_them(self, page, new_page, advisor, paris_advisor):
        log_in(page, advisor.email, PASSWORD)
        page.goto("/coop/statistiques/")
        page.get_by_role("link", name="Imprimer").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Statistiques d'activité")
        expect(page.get_by_role("button", name="Imprimer")).to_be_visible()  # shown by JavaScript
        expect(page.get_by_role("link", name="Télécharger en PDF")).to_be_visible()
        assert_no_serious_axe_violations(page)

        page.goto("/coop/statistiques/partages/")
        page.get_by_label("Destinataire (facultatif)").fill("pour ma structure")
        page.get_by_role("button", name="Créer le lien de partage").click()
        expect(page.get_by_text("Le lien de partage est créé")).to_be_visible()
        assert_no_serious_axe_violations(page)
        field = page.locator("input[readonly]").first
        expect(field).to_have_value(re.compile(r"/statistiques/partage/[^/]+/$"))
        link = field.evaluate("element => element.value")

        public = new_page()  # someone else's browser: no session
        public.goto(urlparse(link).path)
        expect(public.get_by_role("heading", level=1)).to_have_text(
            "Statistiques d'activité d'un conseiller numérique"
        )
        expect(public.get_by_text(paris_advisor.structure.name).first).to_be_visible()
        assert paris_advisor.last_name not in public.content()
        assert_no_serious_axe_violations(public)

    def test_without_javascript_the_print_button_is_not_offered(self, new_page, advisor):
        page = new_page(javascript=False)
        log_in(page, advisor.email, PASSWORD)
        page.goto("/coop/statistiques/imprimer/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Statistiques d'activité")
        expect(page.get_by_role("button", name="Imprimer")).to_be_hidden()
        expect(page.get_by_role("link", name="Télécharger en PDF")).to_be_visible()
