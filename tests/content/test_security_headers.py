"""Security headers on representative pages: public page, Coop page, API, Wagtail admin, and HTTPS cookies."""

import pytest
from django.urls import reverse

from accounts import services
from accounts.enums import Role
from content.models import HomePage
from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def directive(response, name) -> str:
    policy = response["Content-Security-Policy"]
    return next(part.strip() for part in policy.split(";") if part.strip().startswith(name))


def assert_hardened(response, *, admin=False):
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    if admin:
        assert directive(response, "frame-ancestors") == "frame-ancestors 'self'"
        assert response["X-Frame-Options"] in ("DENY", "SAMEORIGIN")
    else:
        assert response["X-Frame-Options"] == "DENY"
        assert directive(response, "frame-ancestors") == "frame-ancestors 'none'"
        assert "unsafe-inline" not in directive(response, "script-src")
    assert "object-src 'none'" in response["Content-Security-Policy"]


class TestHeaders:
    def test_public_page_and_api(self, tree, client):
        for url in ("/", "/api/ressources/", "/api/docs", reverse("candidature:candidate")):
            response = client.get(url)
            assert response.status_code == 200, url
            assert_hardened(response)

    def test_coop_page(self, client, advisor_user):
        client.force_login(advisor_user)
        response = client.get(reverse("coop:home"))
        assert response.status_code == 200
        assert_hardened(response)

    def test_wagtail_admin_and_its_preview_frame(self, seeded_site, db, client):
        editor = UserFactory()
        services.membership_grant(user=editor, role=Role.EDITOR, granted_by=None)
        client.force_login(editor)
        response = client.get("/cms/")
        assert response.status_code == 200
        assert_hardened(response, admin=True)
        # The preview iframe, served under /cms/, may be framed by the admin itself (same origin) only.
        home = HomePage.objects.get()
        preview = client.get(f"/cms/pages/{home.pk}/edit/preview/")
        assert preview["X-Frame-Options"] == "SAMEORIGIN"
        assert directive(preview, "frame-ancestors") == "frame-ancestors 'self'"

    def test_over_https_hsts_and_secure_httponly_cookies(self, tree, client, prefecture_paris, settings):
        # The production values (tests/config/test_deploy_settings.py), applied to a real HTTPS exchange.
        settings.SECURE_HSTS_SECONDS = 31_536_000
        settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
        settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = settings.CSRF_COOKIE_HTTPONLY = True
        form = client.get(reverse("accounts:login"), secure=True)
        assert form["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
        csrf = form.cookies["csrftoken"]
        assert csrf["secure"] and csrf["httponly"]
        response = client.post(
            reverse("accounts:login"), {"username": prefecture_paris.email, "password": PASSWORD}, secure=True
        )
        assert response.status_code == 302
        session = response.cookies["sessionid"]
        assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
