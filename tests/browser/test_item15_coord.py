"""Coordinators' activities in a real browser at 375 px: record an animation end to end; axe-core checks."""

import re

import pytest
from playwright.sync_api import expect

from reporting.models import CoordinationActivity
from tests.accounts.factories import PASSWORD
from tests.browser.helpers import assert_no_serious_axe_violations, log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def coordinator(transactional_db, coordinator_user):
    return coordinator_user


class TestRecordAnAnimationOnAPhone:
    def test_the_coordinator_records_an_animation_and_finds_it_counted(self, phone_page, coordinator):
        page = phone_page
        log_in(page, coordinator.email, PASSWORD)
        page.goto("/coop/activites/coordination/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Mes activités de coordination")
        assert_no_serious_axe_violations(page)

        page.get_by_role("link", name="Enregistrer une activité de coordination").click()
        page.get_by_role("link", name="Animation", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Enregistrer une animation")
        assert_no_serious_axe_violations(page)

        other = page.get_by_label("Précisez le type d'animation")
        expect(other).to_be_hidden()
        page.get_by_label("Autre", exact=True).first.check(force=True)
        expect(other).to_be_visible()
        page.get_by_label("Comité technique / de pilotage").check(force=True)
        expect(other).to_be_hidden()
        page.get_by_label("2 h", exact=True).check(force=True)
        page.get_by_role("spinbutton", name=re.compile("^Médiateurs numériques")).fill("7")
        page.get_by_role("spinbutton", name=re.compile("^Structures")).fill("3")
        page.locator("#id_name").fill("Comité de pilotage du réseau")
        page.get_by_role("button", name="Enregistrer", exact=True).click()
        page.wait_for_load_state()

        expect(page.get_by_role("heading", level=1)).to_have_text("Mes activités de coordination")
        expect(page.get_by_text("Comité de pilotage du réseau")).to_be_visible()
        expect(page.get_by_text("10 participants")).to_be_visible()
        activity = CoordinationActivity.objects.get()
        assert (activity.animation_type, activity.advisors_count, activity.duration) == ("comite", 7, 120)

        page.goto("/coop/activites/coordination/statistiques/")
        figure = page.locator(".cnum-key-figure").filter(has_text="Personnes touchées").first
        expect(figure.locator(".cnum-key-figure__value")).to_have_text("10")
        assert_no_serious_axe_violations(page)

    def test_a_partnership_gets_more_partner_rows_with_the_button(self, phone_page, coordinator):
        page = phone_page
        log_in(page, coordinator.email, PASSWORD)
        page.goto("/coop/activites/coordination/nouvelle/?type=partenariat")
        expect(page.get_by_label("Nom de la structure 2")).to_be_hidden()
        page.get_by_label("Rendez-vous avec un élu").check(force=True)
        page.get_by_label("Nom de la structure 1").fill("Mairie de Bobigny")
        page.get_by_label("Type de la structure 1").select_option("commune")
        for number in range(2, 7):
            page.get_by_role("button", name="Ajouter une structure").click()
            expect(page.get_by_label(f"Nom de la structure {number}")).to_be_focused()
        page.get_by_label("Nom de la structure 6").fill("Sixième partenaire")
        page.get_by_label("Type de la structure 6").select_option("association")
        assert_no_serious_axe_violations(page)
        page.get_by_role("button", name="Enregistrer", exact=True).click()
        page.wait_for_load_state()
        expect(page.get_by_role("heading", level=1)).to_have_text("Mes activités de coordination")
        assert CoordinationActivity.objects.get().partner_structures == [
            {"name": "Mairie de Bobigny", "type": "commune"},
            {"name": "Sixième partenaire", "type": "association"},
        ]
