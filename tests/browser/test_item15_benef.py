"""« Mes bénéficiaires » in a real browser on a phone: follow a person, find her, compare duplicates; axe checks."""

import re

import pytest
from playwright.sync_api import expect

from tests.accounts.factories import PASSWORD
from tests.browser.helpers import assert_no_serious_axe_violations, log_in
from tests.reporting.factories_benef import BeneficiaryFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def advisor(transactional_db, advisor_user):
    return advisor_user


class TestFollowAPersonOnAPhone:
    def test_an_advisor_follows_a_new_person_then_finds_her(self, phone_page, advisor, paris_advisor):
        BeneficiaryFactory(advisor=paris_advisor, last_name="Dupré", first_name="Hélène")
        BeneficiaryFactory(advisor=paris_advisor, last_name="Dupre", first_name="Helene")
        page = phone_page
        log_in(page, advisor.email, PASSWORD)
        page.goto("/coop/beneficiaires/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Mes bénéficiaires")
        assert_no_serious_axe_violations(page)

        page.get_by_role("link", name="Suivre une nouvelle personne").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Suivre une nouvelle personne")
        expect(page.get_by_text("Avant d'enregistrer : informez la personne")).to_be_visible()
        assert_no_serious_axe_violations(page)
        page.locator("#id_last_name").fill("Lefèvre")
        page.locator("#id_first_name").fill("Josiane")
        page.locator("#id_birth_year").fill("1950")
        page.get_by_role("button", name="Enregistrer la fiche").click()
        expect(page.locator("#erreurs")).to_be_visible()  # the confirmation is missing: nothing typed is lost
        expect(page.locator("#id_last_name")).to_have_value("Lefèvre")
        page.locator("#id_informed").check(force=True)
        page.get_by_role("button", name="Enregistrer la fiche").click()

        expect(page.get_by_role("heading", level=1)).to_have_text("Josiane Lefèvre")
        expect(page.get_by_text("70 ans et plus")).to_be_visible()
        expect(page.get_by_role("link", name="Enregistrer un accompagnement pour cette personne")).to_be_visible()
        assert_no_serious_axe_violations(page)

        page.goto("/coop/beneficiaires/?q=lefevre")
        expect(page.get_by_role("link", name="LEFÈVRE Josiane")).to_be_visible()
        page.goto("/coop/beneficiaires/doublons/")
        expect(page.get_by_role("link", name=re.compile("^Comparer et fusionner"))).to_have_count(1)
        assert_no_serious_axe_violations(page)
        page.get_by_role("link", name=re.compile("^Comparer et fusionner")).click()
        assert_no_serious_axe_violations(page)
