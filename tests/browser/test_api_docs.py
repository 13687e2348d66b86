"""The API's interactive documentation (/api/docs) in a real browser: accessible, local assets only, under the CSP."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import axe_violations, format_violations

pytestmark = pytest.mark.browser


class TestApiDocs:
    def test_probe(self, page, transactional_db):
        page.goto("/api/docs")
        expect(page.locator(".opblock").first).to_be_visible()
        print(format_violations(axe_violations(page)))
        page.locator(".opblock-summary-control").first.click()
        page.get_by_role("button", name="Try it out").click()
        page.wait_for_timeout(500)
        print("== try")
        print(format_violations(axe_violations(page)))
        page.get_by_role("button", name="Execute").click()
        page.wait_for_timeout(1000)
        print("== exec")
        print(format_violations(axe_violations(page)))

    def test_dom(self, page, transactional_db):
        page.goto("/api/docs")
        expect(page.locator(".opblock").first).to_be_visible()
        print(page.locator(".servers").evaluate("e => e.parentElement.outerHTML"))
        print(page.evaluate("() => typeof MutationObserver"), page.locator("#servers").get_attribute("aria-label"))
