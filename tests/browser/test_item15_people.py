"""Followed people on the CRA form in a real browser, on a phone: a new person, a search as one types; axe-core."""

import re

import pytest
from playwright.sync_api import expect

from reporting.models import Activity, Beneficiary
from tests.accounts.factories import PASSWORD
from tests.browser.helpers import assert_no_serious_axe_violations, log_in
from tests.reporting.factories_people import BeneficiaryFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def advisor(transactional_db, advisor_user):
    return advisor_user


def unfold(page, selector):
    """Open a list the form folds on a phone (its header is a <summary>)."""
    page.locator(f"{selector} summary.cnum-fold__summary").first.click()


class TestFollowedPeopleOnAPhone:
    def test_a_report_linked_to_a_new_followed_person(self, phone_page, advisor):
        page = phone_page
        log_in(page, advisor.email, PASSWORD)
        page.goto("/coop/activites/nouvelle/?type=individuel")
        unfold(page, "[data-people-picker]")
        page.get_by_text("Nouvelle personne suivie").click()
        gender = page.get_by_role("group", name="Genre").first
        expect(gender).to_be_visible()
        page.get_by_label("Prénom", exact=True).fill("Jeanne")
        page.get_by_label("Nom", exact=True).fill("Durand")
        # Her record answers genre, tranche d'âge and statut: the report's own questions are hidden.
        expect(page.locator('input[name="gender"]').first).to_be_hidden()
        page.locator('input[name="nouvelle_genre"][value="feminin"]').check(force=True)
        page.get_by_role("checkbox", name=re.compile("^J'ai informé la personne")).check(force=True)
        assert_no_serious_axe_violations(page)
        page.get_by_label("30 min", exact=True).check(force=True)
        unfold(page, "#groupe-id_themes")
        page.get_by_role("checkbox", name=re.compile("^E-mail")).check(force=True)
        page.get_by_role("button", name="Enregistrer", exact=True).click()
        page.wait_for_load_state()
        expect(page.get_by_role("heading", level=1)).to_have_text("Mes activités")
        jeanne = Beneficiary.objects.get()
        assert (jeanne.first_name, jeanne.gender) == ("Jeanne", "feminin")
        assert Activity.objects.get().beneficiaries.get() == jeanne

    def test_the_search_finds_a_person_as_one_types(self, phone_page, advisor):
        zoe = BeneficiaryFactory(advisor=advisor.memberships.get().advisor, first_name="Zoé", last_name="Quintin")
        page = phone_page
        log_in(page, advisor.email, PASSWORD)
        page.goto("/coop/activites/nouvelle/?type=collectif")
        unfold(page, "[data-people-picker]")
        expect(page.locator("[data-people-picker] .cnum-fold__values")).to_have_text("aucune")
        page.get_by_role("searchbox", name=re.compile("Rechercher une personne suivie")).fill("quin")
        expect(page.get_by_text("1 personne(s) trouvée(s)")).to_be_visible()
        page.get_by_role("checkbox", name="Zoé Quintin").check(force=True)
        expect(page.locator("[data-people-picker] .cnum-fold__values")).to_have_text("Zoé Quintin")
        page.get_by_label("30 min", exact=True).check(force=True)
        page.get_by_label("Titre de l'atelier").fill("Découvrir sa tablette")
        unfold(page, "#groupe-id_themes")
        page.get_by_role("checkbox", name=re.compile("^E-mail")).check(force=True)
        page.get_by_role("button", name="Enregistrer", exact=True).click()
        page.wait_for_load_state()
        expect(page.get_by_role("heading", level=1)).to_have_text("Mes activités")
        workshop = Activity.objects.get()
        assert workshop.participants == 1 and workshop.beneficiaries.get() == zoe
