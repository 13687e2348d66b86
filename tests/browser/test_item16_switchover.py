"""The national team invites the advisors imported from the existing system, in a real browser, with the keyboard;
axe-core checks the list and the confirmation page."""

import pytest
from playwright.sync_api import expect

from directory.models import Advisor
from switchover.models import LegacyRecord
from tests.accounts.factories import PASSWORD
from tests.browser.helpers import assert_no_serious_axe_violations, log_in
from tests.directory.factories import AdvisorFactory

pytestmark = pytest.mark.browser


def imported(number, **fields):
    advisor = AdvisorFactory(user=None, **fields)
    LegacyRecord.objects.create(collection="conseillers", external_id=f"{number:024x}", target_id=advisor.pk)
    return advisor


def test_the_national_team_invites_imported_advisors(page, transactional_db, national_admin, paris_structure):
    lea = imported(1, first_name="Léa", last_name="Dupont", structure=paris_structure)
    imported(2, first_name="Marc", last_name="Lefèvre", structure=paris_structure)
    log_in(page, national_admin.email, PASSWORD)
    page.goto("/gestion/reprise/conseillers/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Conseillers repris à inviter")
    expect(page.locator("caption")).to_contain_text("2 conseillers sans compte")
    assert_no_serious_axe_violations(page)

    button = page.get_by_role("button", name="Inviter Léa Dupont")
    button.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".fr-alert--success, .fr-alert--info").first).to_be_visible()
    expect(page.locator("caption")).to_contain_text("1 conseiller sans compte")
    expect(page.get_by_role("button", name="Inviter Léa Dupont")).to_have_count(0)
    lea.refresh_from_db()
    assert lea.user is not None

    page.get_by_role("link", name="Inviter le conseiller sans compte").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_no_serious_axe_violations(page)
    page.get_by_role("button", name="Inviter 1 conseiller").click()
    expect(page.get_by_role("cell", name="Aucun conseiller repris sans compte.")).to_be_visible()
    assert not Advisor.objects.filter(user=None).exists()
