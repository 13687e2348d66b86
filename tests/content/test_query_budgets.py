"""SQL query budgets of the public pages, on the seeded site with an empty cache (a regression means an N+1)."""

import pytest


class TestQueryBudgets:
    """Each public page stays under a fixed number of SQL queries on the seeded site, with an empty cache."""

    @pytest.mark.parametrize(
        ("url", "budget"),
        [
            ("/", 15),
            ("/ressources/", 24),
            ("/ressources/?q=arnaques&thematique=securite-numerique&type=guide&public=conseillers", 25),
            ("/ressources/?thematique=securite-numerique&thematique=demarches-en-ligne&page=2", 24),
            ("/actualites/", 15),
            ("/actualites/rencontres-nationales-2026/", 13),
            ("/faq/", 10),
            ("/le-dispositif/", 10),
            ("/plan-du-site/", 15),
            ("/ressources/guide-franceconnect/", 20),
        ],
    )
    def test_it_keeps_each_page_under_its_budget(
        self, seeded_site, db, client, url, budget, django_assert_max_num_queries
    ):
        with django_assert_max_num_queries(budget):
            response = client.get(url)
        assert response.status_code == 200
