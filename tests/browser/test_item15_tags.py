"""Tags in a real browser at 375 px: an advisor creates a personal tag and finds it on the CRA form, a prefecture
agent manages the department's tags; axe-core checks each page."""

import re

import pytest
from playwright.sync_api import expect

from reporting.models import Tag
from tests.accounts.factories import PASSWORD
from tests.browser.helpers import assert_no_serious_axe_violations, log_in

pytestmark = pytest.mark.browser


class TestTagsOnAPhone:
    def test_an_advisor_creates_a_tag_and_ticks_it_on_a_report(self, phone_page, transactional_db, advisor_user):
        page = phone_page
        log_in(page, advisor_user.email, PASSWORD)
        page.goto("/coop/etiquettes/")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_no_serious_axe_violations(page)
        page.get_by_role("link", name="Créer une étiquette").click()
        expect(page).to_have_url(re.compile("/etiquettes/nouvelle/$"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Créer une étiquette")
        page.locator("#id_name").fill("Permanence gare")
        assert_no_serious_axe_violations(page)
        page.get_by_role("button", name="Créer l'étiquette").click()
        expect(page.get_by_role("cell", name="Permanence gare")).to_be_visible()
        assert Tag.objects.filter(name="Permanence gare", owner=advisor_user.memberships.get().advisor).exists()

        page.goto("/coop/activites/nouvelle/?type=individuel")
        tags = page.locator("[data-activity-tags]")
        expect(tags.get_by_text("Permanence gare")).to_be_attached()
        assert_no_serious_axe_violations(page)

    def test_a_prefecture_agent_manages_the_departments_tags(self, phone_page, transactional_db, prefecture_paris):
        page = phone_page
        log_in(page, prefecture_paris.email, PASSWORD)
        page.goto("/pilotage/etiquettes/")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_no_serious_axe_violations(page)
        page.get_by_role("link", name="Créer une étiquette").click()
        page.locator("#id_name").fill("Conseillers France Services 75")
        page.locator('input[name="scope"][value="departemental"]').check(force=True)
        page.locator("#id_department").select_option("75")
        assert_no_serious_axe_violations(page)
        page.get_by_role("button", name="Créer l'étiquette").click()
        expect(page.get_by_role("cell", name="Conseillers France Services 75")).to_be_visible()
        assert Tag.objects.get(name="Conseillers France Services 75").department_id == "75"
