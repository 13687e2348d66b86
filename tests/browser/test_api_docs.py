"""The API's interactive documentation (/api/docs) in a real browser: it renders under the site's real CSP from local
files, and axe-core finds no serious or critical violation, folded, unfolded, in "Try it out" and after a call."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import assert_no_serious_axe_violations
from tests.directory.factories import PlaceAssignmentFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def a_place(transactional_db):
    return PlaceAssignmentFactory(place__name="Médiathèque du 11e", is_principal=True).place


class TestApiDocs:
    def test_it_renders_under_the_real_csp_from_local_files_only(self, new_page, live_server, transactional_db):
        page = new_page(bypass_csp=False)
        problems, outside = [], []
        page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.on(
            "request", lambda request: None if request.url.startswith(live_server.url) else outside.append(request.url)
        )
        page.goto("/api/docs")
        expect(page.locator(".opblock").first).to_be_visible()
        expect(page.locator("html")).to_have_attribute("lang", "fr")
        expect(page).to_have_title("Documentation de l'API — Conseiller numérique")
        assert not problems and not outside, (problems, outside)

    def test_axe_finds_nothing_serious_folded_unfolded_and_after_a_call(self, page, a_place, live_server, settings):
        settings.SITE_URL = live_server.url  # the OpenAPI's server, which "Execute" calls
        page.goto("/api/docs")
        expect(page.locator(".opblock").first).to_be_visible()
        assert_no_serious_axe_violations(page)

        # The partners' bearer token dialog.
        page.locator(".auth-wrapper .btn.authorize").click()
        expect(page.locator(".modal-ux")).to_be_visible()
        assert_no_serious_axe_violations(page)
        page.locator(".modal-ux .btn-done").click()
        expect(page.locator(".modal-ux")).to_have_count(0)

        places = page.locator(".opblock").filter(has_text="/api/lieux-mediation-numerique/").first
        places.locator(".opblock-summary-control").click()
        expect(places.get_by_role("button", name="Try it out")).to_be_visible()
        assert_no_serious_axe_violations(page)

        places.get_by_role("button", name="Try it out").click()
        expect(places.locator("tr[data-param-name='limit'] input")).to_be_visible()
        expect(places.locator("tr[data-param-name='limit'] input")).to_have_attribute("aria-label", "limit")
        assert_no_serious_axe_violations(page)

        places.get_by_role("button", name="Execute").click()
        expect(places.locator(".live-responses-table")).to_contain_text("Médiathèque du 11e")
        assert_no_serious_axe_violations(page)

    def test_the_operation_summaries_hold_no_nested_link(self, page, transactional_db):
        page.goto("/api/docs")
        expect(page.locator(".opblock").first).to_be_visible()
        # Without deep links the path is an <a> with no href: not focusable, so not a control inside the button.
        assert page.locator(".opblock-summary-control a[href], .opblock-summary-control button").count() == 0
        expect(page.locator("#servers")).to_have_attribute("aria-label", "Serveur")
