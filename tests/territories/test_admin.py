import pytest

from tests.accounts.factories import UserFactory
from tests.territories.factories import CommuneFactory, marseille, paris


@pytest.fixture
def admin_user(db):
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.mark.django_db
class TestTerritoriesAdmin:
    def test_it_lists_and_searches_communes_without_accents(self, client, admin_user):
        client.force_login(admin_user)
        paris()
        marseille()
        CommuneFactory(code="42218")
        for query, expected, absent in [
            ("saint-etienne", "Saint-Étienne", "Marseille"),
            ("Étienne", "Saint-Étienne", "Paris"),
            ("13005", "Marseille", "Paris"),
            ("75056", "Paris", "Marseille"),
        ]:
            response = client.get("/django-admin/territories/commune/", {"q": query})
            assert response.status_code == 200
            content = response.content.decode()
            assert expected in content and f">{absent}<" not in content, query

    @pytest.mark.parametrize("model", ["region", "department", "commune"])
    def test_it_shows_each_change_page_without_add_or_delete(self, client, admin_user, model):
        client.force_login(admin_user)
        commune = paris()
        pk = {"region": "11", "department": "75", "commune": commune.pk}[model]
        assert client.get(f"/django-admin/territories/{model}/").status_code == 200
        assert client.get(f"/django-admin/territories/{model}/{pk}/change/").status_code == 200
        assert client.get(f"/django-admin/territories/{model}/add/").status_code == 403
        assert client.get(f"/django-admin/territories/{model}/{pk}/delete/").status_code == 403

    def test_the_autocomplete_used_by_other_admins_finds_communes(self, client, admin_user):
        client.force_login(admin_user)
        paris()
        response = client.get(
            "/django-admin/autocomplete/",
            {"term": "pari", "app_label": "directory", "model_name": "structure", "field_name": "commune"},
        )
        assert response.status_code == 200
        assert [r["text"] for r in response.json()["results"]] == ["Paris (75)"]
