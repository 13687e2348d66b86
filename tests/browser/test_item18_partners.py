"""The national team creates, reads once and revokes a partner token in a real browser; axe-core checks each page."""

import re

import pytest
from playwright.sync_api import expect

from partners.models import ApiToken
from tests.accounts.factories import PASSWORD
from tests.browser.helpers import assert_no_serious_axe_violations, log_in
from tests.territories.factories import department

pytestmark = pytest.mark.browser


def test_the_national_team_creates_shows_once_and_revokes_a_partner_token(page, transactional_db, national_admin):
    department("69")
    log_in(page, national_admin.email, PASSWORD)
    page.goto("/gestion/partenaires/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Partenaires de l'API")
    assert_no_serious_axe_violations(page)

    page.get_by_role("link", name="Créer un jeton").click()
    page.get_by_label("Nom du partenaire").fill("Observatoire du numérique de la Métropole de Lyon")
    page.get_by_label("Organisme").fill("Métropole de Lyon")
    page.get_by_label("E-mail du contact technique").fill("donnees@grandlyon.test")
    page.get_by_role("radio", name="Département").check(force=True)
    page.get_by_role("button", name="Créer le jeton").click()
    # The department is missing and no right is ticked: the summary takes the focus, the typed values stay.
    expect(page.locator("#erreurs")).to_be_focused()
    expect(page.locator("#erreurs")).to_contain_text("Choisissez le département du partenaire.")
    expect(page.locator("#erreurs")).to_contain_text("Cochez au moins un droit.")
    expect(page.get_by_label("Organisme")).to_have_value("Métropole de Lyon")
    assert_no_serious_axe_violations(page)

    page.get_by_role("combobox", name="Département").select_option("69")
    page.get_by_role("checkbox", name="Lieux").check(force=True)
    page.get_by_role("button", name="Créer le jeton").click()
    expect(page.get_by_role("heading", level=2, name="Copiez ce jeton maintenant")).to_be_visible()
    field = page.get_by_label("Jeton secret")
    expect(field).to_have_value(re.compile(r"^[A-Za-z0-9]{48}$"))
    secret = field.evaluate("element => element.value")  # the value itself, once the page shows it
    token = ApiToken.objects.get()
    assert secret.startswith(token.prefix) and len(secret) == 48
    assert_no_serious_axe_violations(page)
    page.reload()
    expect(page.get_by_role("heading", level=2, name="Ce jeton ne peut plus être affiché")).to_be_visible()
    expect(page.get_by_label("Jeton secret")).to_have_count(0)

    page.get_by_role("link", name="Voir la fiche du jeton").click()
    expect(page.locator("caption")).to_contain_text("0 appel")
    assert_no_serious_axe_violations(page)
    page.get_by_role("link", name="Révoquer ce jeton").click()
    reason = page.get_by_label("Motif de la révocation")
    expect(reason).to_be_visible()  # the revocation page is loaded before axe reads it
    assert_no_serious_axe_violations(page)
    reason.fill("Fin de la convention de partage")
    page.get_by_role("button", name="Révoquer le jeton").click()
    expect(page.locator(".fr-alert--success").first).to_be_visible()
    token.refresh_from_db()
    assert token.revoked_at is not None
