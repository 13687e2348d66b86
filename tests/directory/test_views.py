import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


class TestStructurePages:
    def test_it_shows_a_structure_of_my_department(self, client, prefecture_paris, paris_structure):
        client.force_login(prefecture_paris)
        response = client.get(reverse("directory:structure_detail", args=[paris_structure.pk]))
        assert response.status_code == 200
        assert "Mairie du 11e arrondissement" in response.text

    def test_it_answers_404_for_a_structure_of_another_department(self, client, prefecture_paris, marseille_structure):
        client.force_login(prefecture_paris)
        assert client.get(reverse("directory:structure_detail", args=[marseille_structure.pk])).status_code == 404
        assert client.get(reverse("directory:structure_json", args=[marseille_structure.pk])).status_code == 404

    def test_the_json_endpoint_serves_my_scope(
        self, client, prefecture_marseille, marseille_structure, paris_structure
    ):
        client.force_login(prefecture_marseille)
        response = client.get(reverse("directory:structure_json", args=[marseille_structure.pk]))
        assert response.json()["department"] == "13"
        listing = client.get(reverse("directory:structure_list_json")).json()
        assert listing["count"] == 1
        assert [item["id"] for item in listing["results"]] == [marseille_structure.pk]

    def test_the_list_contains_only_my_scope_and_its_count(
        self, client, prefecture_paris, paris_structure, marseille_structure
    ):
        client.force_login(prefecture_paris)
        response = client.get(reverse("directory:structure_list"))
        assert "Mairie du 11e arrondissement" in response.text
        assert "Belle de Mai" not in response.text
        assert "1 structure" in response.text

    def test_filters_narrow_the_list(self, client, national_admin, paris_structure, marseille_structure):
        client.force_login(national_admin)
        response = client.get(reverse("directory:structure_list"), {"department": "13"})
        assert "Belle de Mai" in response.text and "Mairie du 11e" not in response.text
        by_siret = client.get(reverse("directory:structure_list_json"), {"q": paris_structure.siret[:9]}).json()
        assert [item["id"] for item in by_siret["results"]] == [paris_structure.pk]

    def test_anonymous_visitors_are_sent_to_the_login_page(self, client, paris_structure):
        response = client.get(reverse("directory:structure_detail", args=[paris_structure.pk]))
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))

    def test_the_list_costs_a_constant_number_of_queries(self, client, national_admin, django_assert_max_num_queries):
        from tests.directory.factories import StructureFactory

        StructureFactory.create_batch(30)
        client.force_login(national_admin)
        with django_assert_max_num_queries(12):
            assert client.get(reverse("directory:structure_list")).status_code == 200


class TestAdvisorPages:
    def test_a_manager_sees_its_advisor_and_not_others(
        self, client, structure_manager, paris_advisor, marseille_advisor
    ):
        client.force_login(structure_manager)
        assert client.get(reverse("directory:advisor_detail", args=[paris_advisor.pk])).status_code == 200
        assert client.get(reverse("directory:advisor_detail", args=[marseille_advisor.pk])).status_code == 404

    def test_an_advisor_cannot_see_a_colleague(self, client, advisor_user, paris_structure):
        from tests.directory.factories import AdvisorFactory

        colleague = AdvisorFactory(structure=paris_structure)
        client.force_login(advisor_user)
        assert client.get(reverse("directory:advisor_detail", args=[colleague.pk])).status_code == 404
