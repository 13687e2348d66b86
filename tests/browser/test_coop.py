"""The Espace Coop in a real browser, on a phone: record a workshop, find it, see it counted; axe-core checks."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.accounts.factories import PASSWORD
from tests.browser.helpers import assert_no_serious_axe_violations, log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def advisor(transactional_db, advisor_user):
    return advisor_user


class TestRecordAWorkshopOnAPhone:
    def test_an_advisor_records_a_workshop_with_a_breakdown_and_sees_it_counted(self, phone_page, advisor):
        page = phone_page
        log_in(page, advisor.email, PASSWORD)
        expect(page).to_have_url(re.compile(r"/coop/$"))
        page.get_by_role("link", name="Atelier collectif").first.click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Enregistrer un atelier collectif")
        assert_no_serious_axe_violations(page)

        # Long lists are folded on a phone: open the thématiques, the matériel and two breakdowns.
        for summary in ("#groupe-id_themes summary", "#groupe-id_materials summary"):
            page.locator(summary).click()
        for legend in ("Genre", "Tranche d'âge"):
            page.locator("summary", has_text=legend).click()
        # Conditional parts: hidden until they apply (the server checks the same rules).
        procedures = page.get_by_role("group", name="Démarches administratives")
        expect(procedures).to_be_hidden()
        administrative = page.get_by_role("checkbox", name=re.compile("^Aide aux démarches administratives"))
        administrative.check(force=True)
        expect(procedures).to_be_visible()
        administrative.uncheck(force=True)
        expect(procedures).to_be_hidden()
        expect(page.get_by_label("Commune")).to_be_hidden()

        page.get_by_label("2 h", exact=True).check(force=True)
        page.get_by_label("Titre de l'atelier").fill("Découvrir sa tablette")
        page.get_by_role("spinbutton", name=re.compile("^Autres participants \\(non suivis\\)")).fill("10")
        page.get_by_role("spinbutton", name="Dont participants déjà accompagnés").fill("4")
        page.get_by_role("spinbutton", name="Féminin").fill("6")
        page.get_by_role("spinbutton", name="Masculin").fill("3")
        page.get_by_role("spinbutton", name="70 ans et plus").fill("5")
        page.get_by_role("checkbox", name=re.compile("^Navigation sur internet")).check(force=True)
        page.get_by_role("checkbox", name="Tablette", exact=True).check(force=True)
        page.get_by_role("button", name="Enregistrer", exact=True).click()
        page.wait_for_load_state()

        expect(page.get_by_role("heading", level=1)).to_have_text("Mes activités")
        expect(page.get_by_text("Atelier collectif du")).to_be_visible()
        expect(page.get_by_text("Découvrir sa tablette")).to_be_visible()
        expect(page.get_by_text("10 participants")).to_be_visible()

        page.goto("/coop/statistiques/")
        figure = page.locator(".cnum-key-figure").filter(has_text="Accompagnements").first
        expect(figure.locator(".cnum-key-figure__value")).to_have_text("10")
        expect(page.get_by_text("dont 0 individuels et 10 participations à 1 atelier")).to_be_visible()
        assert_no_serious_axe_violations(page)

    def test_the_form_validates_without_javascript_and_keeps_what_was_typed(self, new_page, advisor):
        page = new_page(phone=True, javascript=False)
        log_in(page, advisor.email, PASSWORD)
        page.goto("/coop/activites/nouvelle/?type=collectif")
        # Without JavaScript every part is shown.
        expect(page.get_by_role("group", name="Démarches administratives")).to_be_visible()
        page.get_by_label("2 h", exact=True).check(force=True)
        page.get_by_label("Titre de l'atelier").fill("Atelier sans JavaScript")
        page.get_by_role("spinbutton", name=re.compile("^Autres participants \\(non suivis\\)")).fill("3")
        page.get_by_role("spinbutton", name="Féminin").fill("5")
        page.get_by_role("button", name="Enregistrer", exact=True).click()
        page.wait_for_load_state()
        expect(page.get_by_text("Le formulaire contient des erreurs")).to_be_visible()
        expect(page.get_by_text("Cochez au moins une thématique.").first).to_be_visible()
        expect(
            page.get_by_text("La répartition par genre (5) dépasse le nombre de participants (3).").first
        ).to_be_visible()
        expect(page.get_by_label("Titre de l'atelier")).to_have_value("Atelier sans JavaScript")

    def test_an_individual_report_with_the_keyboard(self, page, advisor):
        log_in(page, advisor.email, PASSWORD)
        page.goto("/coop/activites/nouvelle/?type=individuel")
        page.get_by_label("30 min", exact=True).focus()
        page.keyboard.press("Space")
        expect(page.get_by_label("30 min", exact=True)).to_be_checked()
        email = page.get_by_role("checkbox", name=re.compile("^E-mail"))
        email.focus()
        page.keyboard.press("Space")
        expect(email).to_be_checked()
        redirection = page.get_by_role("group", name="Vers quel type de structure ?")
        expect(redirection).to_be_hidden()
        page.get_by_label("Oui", exact=True).check(force=True)
        expect(redirection).to_be_visible()
        page.get_by_label("Administration (mairie, préfecture…)").check(force=True)
        page.get_by_role("button", name="Enregistrer", exact=True).press("Enter")
        page.wait_for_load_state()
        expect(page.get_by_text("Accompagnement individuel du")).to_be_visible()


class TestAccessibility:
    def test_every_coop_page_has_no_serious_axe_violation(
        self, new_page, transactional_db, coordinator_user, paris_advisor
    ):
        from tests.reporting.factories import ActivityFactory

        ActivityFactory(advisor=paris_advisor, collective=True)
        report = ActivityFactory(advisor=coordinator_user.advisor, remote=True, notes="Note")
        paths = [
            "/coop/",
            "/coop/activites/",
            f"/coop/activites/{report.pk}/",
            f"/coop/activites/{report.pk}/supprimer/",
            "/coop/activites/nouvelle/?type=individuel",
            f"/coop/statistiques/?vue=jour&start={timezone.localdate() - timedelta(days=20)}",
            "/coop/equipe/",
            f"/coop/equipe/statistiques/?conseiller={paris_advisor.pk}",
            "/coop/lieux/",
            "/coop/lieux/nouveau/",
            "/coop/outils/",
            "/coop/profil/",
        ]
        for phone in (False, True):
            page = new_page(phone=phone)
            log_in(page, coordinator_user.email, PASSWORD)
            for path in paths:
                page.goto(path)
                expect(page.locator("h1"), path).to_have_count(1)
                assert_no_serious_axe_violations(page)
