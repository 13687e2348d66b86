import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


class TestLatestResourcesInTheCoop:
    def test_mes_outils_lists_the_newest_public_resources(self, library, client, advisor_user):
        client.force_login(advisor_user)
        page = client.get(reverse("coop:tools")).text
        assert "Dernières ressources de la bibliothèque" in page
        assert "Évaluer ses compétences avec Pix" in page
        assert "Brouillon confidentiel" not in page

    def test_it_says_so_when_the_library_is_empty(self, tree, client, advisor_user):
        client.force_login(advisor_user)
        assert "aucune ressource publiée" in client.get(reverse("coop:tools")).text
