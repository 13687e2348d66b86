"""Browser tests: Playwright (sync API) driving Debian's Chromium against pytest-django's live server.

Every test module here sets `pytestmark = pytest.mark.browser`; run them alone with `pytest -m browser`.
"""

import os

import pytest
from playwright.sync_api import expect, sync_playwright

# Playwright's sync API runs an event loop in the test thread, and Django then refuses ORM calls there
# (SynchronousOnlyOperation). The tests only use the ORM to arrange data: allow it.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 740}
# Ceilings, not waits: a passing check returns at once. They are sized for a loaded CI machine (a Wagtail page
# submission measured over 15 s with the load average at 12), where Playwright's 5 s default failed tests that
# were right.
ACTION_TIMEOUT_MS = 30_000
NAVIGATION_TIMEOUT_MS = 60_000
EXPECT_TIMEOUT_MS = 30_000
expect.set_options(timeout=EXPECT_TIMEOUT_MS)


@pytest.fixture(scope="session")
def playwright():
    with sync_playwright() as instance:
        yield instance


@pytest.fixture(scope="session")
def browser(playwright):
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    yield browser
    browser.close()


@pytest.fixture
def new_page(browser, live_server):
    """Open a page in a fresh context (no cookies): new_page(), new_page(phone=True), new_page(javascript=False).

    `bypass_csp` lets the tests inject axe-core; test_shell checks the pages under the real policy too.
    """
    contexts = []

    def open_page(*, phone=False, javascript=True, bypass_csp=True):
        context = browser.new_context(
            base_url=live_server.url,
            viewport=PHONE if phone else DESKTOP,
            is_mobile=phone,
            has_touch=phone,
            locale="fr-FR",
            java_script_enabled=javascript,
            bypass_csp=bypass_csp,
        )
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    """A desktop-sized page (1280×800) in a fresh context."""
    return new_page()


@pytest.fixture
def phone_page(new_page):
    """A phone-sized page (375×740, touch) in a fresh context."""
    return new_page(phone=True)
