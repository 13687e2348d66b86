"""« Mes outils » is managed in the CMS: the Tool snippet is listed, validated and editable in Wagtail's admin."""

import pytest
from django.contrib.auth import get_user_model

from reporting.models import Tool

pytestmark = pytest.mark.django_db

LIST = "/cms/snippets/reporting/tool/"


@pytest.fixture
def cms_admin(db):
    return get_user_model().objects.create_superuser(email="cms@anct.gouv.fr", password="mot-de-passe-solide-123")


class TestToolSnippet:
    def test_the_tools_are_listed_in_the_cms(self, client, cms_admin):
        from tests.reporting.factories import ToolFactory

        ToolFactory(title="RDV Service Public")
        ToolFactory(title="Pix Orga")
        client.force_login(cms_admin)
        response = client.get(LIST)
        assert response.status_code == 200
        assert "RDV Service Public" in response.text and "Pix Orga" in response.text

    def test_an_editor_adds_a_tool_and_a_bad_address_is_refused(self, client, cms_admin):
        client.force_login(cms_admin)
        data = {
            "title": "ABC Diag",
            "description": "Un diagnostic des compétences numériques de base en 10 questions.",
            "url": "javascript:alert(1)",
            "category": "competences",
            "icon": "",
            "order": "70",
            "is_active": "on",
        }
        response = client.post(f"{LIST}add/", data)
        assert response.status_code == 200 and not Tool.objects.filter(title="ABC Diag").exists()
        assert "Saisissez une adresse complète" in response.text
        data["url"] = "https://abcdiag.pix.fr/"
        assert client.post(f"{LIST}add/", data).status_code == 302
        assert Tool.objects.get(title="ABC Diag").is_external

    def test_an_icon_the_site_does_not_ship_is_refused(self, client, cms_admin):
        client.force_login(cms_admin)
        data = {
            "title": "Outil de test des icônes",
            "description": "Un outil dont l'icône doit être livrée par le site.",
            "url": "https://exemple.gouv.fr/",
            "category": "competences",
            "icon": "fr-icon-zoom-in-line",
            "order": "80",
            "is_active": "on",
        }
        response = client.post(f"{LIST}add/", data)
        assert response.status_code == 200 and not Tool.objects.filter(title="Outil de test des icônes").exists()
        assert "Cette icône n&#x27;est pas livrée par le site" in response.text
        data["icon"] = "fr-icon-calendar-line"
        assert client.post(f"{LIST}add/", data).status_code == 302
        assert Tool.objects.get(title="Outil de test des icônes").icon == "fr-icon-calendar-line"


class TestToolPermissions:
    def test_moderators_manage_the_tools_and_editors_only_read_them(self, client):
        from django.core.management import call_command

        from accounts import services
        from accounts.enums import Role
        from tests.accounts.factories import UserFactory

        call_command("seed_content", "--sans-demo", verbosity=0)
        moderator, editor = UserFactory(), UserFactory()
        services.membership_grant(user=moderator, role=Role.MODERATOR, granted_by=None)
        services.membership_grant(user=editor, role=Role.EDITOR, granted_by=None)
        client.force_login(moderator)
        assert client.get(LIST).status_code == 200
        assert client.get(f"{LIST}add/").status_code == 200
        client.force_login(editor)
        assert client.get(LIST).status_code == 200
        assert client.get(f"{LIST}add/").status_code in (302, 403)
