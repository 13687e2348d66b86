"""Content security policy: nonce-only scripts on the public site, a looser policy scoped to the Wagtail admin."""

import pytest

from accounts import services
from accounts.enums import Role
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def script_src(response) -> str:
    policy = response["Content-Security-Policy"]
    return next(part for part in policy.split(";") if part.strip().startswith("script-src")).strip()


class TestContentSecurityPolicy:
    def test_public_pages_allow_no_inline_script(self, tree, client):
        for url in ("/", "/ressources/", "/trouver-un-conseiller/?q=75011", "/api/docs"):
            directive = script_src(client.get(url))
            assert "unsafe-inline" not in directive, url
        assert "'nonce-" in script_src(client.get("/"))

    def test_the_wagtail_admin_alone_allows_inline_scripts(self, seeded_site, db, client):
        editor = UserFactory()
        services.membership_grant(user=editor, role=Role.EDITOR, granted_by=None)
        client.force_login(editor)
        response = client.get("/cms/")
        assert response.status_code == 200
        assert script_src(response) == "script-src 'self' 'unsafe-inline'"
        assert "gravatar" not in response.content.decode()
        # A nonce would make browsers ignore 'unsafe-inline': there is none under /cms/.
        assert "'nonce-" not in response["Content-Security-Policy"]

    def test_videos_may_only_come_from_the_listed_players(self, tree, client):
        policy = client.get("/")["Content-Security-Policy"]
        frame_src = next(part for part in policy.split(";") if part.strip().startswith("frame-src"))
        assert "https://www.youtube-nocookie.com" in frame_src and "https://www.dailymotion.com" in frame_src
