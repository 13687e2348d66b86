"""The tableau de pilotage in a real browser: a prefecture agent filters a period and a thématique, downloads the CSV;
axe-core on the dashboard, the territorial table and the public statistics."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from reporting.counters import THEME_BITS
from reporting.enums import Theme
from tests.accounts.factories import PASSWORD
from tests.browser.helpers import assert_no_serious_axe_violations, log_in
from tests.reporting.factories import ActivityFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def agent(transactional_db, prefecture_paris, paris_advisor, marseille_advisor):
    """Paul (prefecture of Paris) and reports in Paris (one on health) and in Marseille."""
    today = timezone.localdate()
    ActivityFactory(advisor=paris_advisor, date=today - timedelta(days=2))
    ActivityFactory(
        advisor=paris_advisor, collective=True, date=today - timedelta(days=3), themes=THEME_BITS[Theme.HEALTH]
    )
    ActivityFactory(advisor=marseille_advisor, date=today - timedelta(days=2))
    return prefecture_paris


class TestPrefectureDashboard:
    def test_the_agent_filters_a_period_and_a_theme_then_downloads_the_csv(self, page, agent):
        log_in(page, agent.email, PASSWORD)
        page.goto("/pilotage/")
        expect(page.locator('#navigation-principale a[href="/pilotage/"]')).to_have_count(1)
        expect(page.get_by_role("heading", level=1)).to_have_text("Tableau de pilotage")
        accompaniments = page.locator(".cnum-key-figure").filter(has_text="Accompagnements").first
        expect(accompaniments.locator(".cnum-key-figure__value")).to_have_text("9")
        assert_no_serious_axe_violations(page)

        start = (timezone.localdate() - timedelta(days=10)).isoformat()
        page.get_by_role("textbox", name="Du", exact=True).fill(start)
        page.get_by_role("combobox", name="Thématique").select_option(Theme.HEALTH.value)
        page.get_by_role("button", name="Afficher").click()
        expect(page).to_have_url(re.compile(rf"du={start}.*thematique=sante|thematique=sante.*du={start}"))
        expect(accompaniments.locator(".cnum-key-figure__value")).to_have_text("8")
        expect(page.get_by_role("link", name="Retirer le filtre Thématique : Santé")).to_be_visible()
        assert_no_serious_axe_violations(page)

        with page.expect_download() as download_info:
            page.get_by_role("link", name="Exporter en CSV").click()
        download = download_info.value
        content = open(download.path(), encoding="utf-8-sig").read()
        assert "Thématique : Santé" in content
        assert download.suggested_filename.startswith("pilotage_")

        page.get_by_role("link", name="Retirer le filtre Thématique : Santé").click()
        expect(page).not_to_have_url(re.compile("thematique"))
        expect(accompaniments.locator(".cnum-key-figure__value")).to_have_text("9")

    def test_the_territorial_table_and_public_statistics_pass_axe(self, page, agent):
        log_in(page, agent.email, PASSWORD)
        page.goto("/pilotage/territoires/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Statistiques par territoire")
        assert_no_serious_axe_violations(page)
        page.goto("/statistiques/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Statistiques du dispositif")
        assert_no_serious_axe_violations(page)
