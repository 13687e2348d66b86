"""Public statistics (national aggregates, no names, cached) and open data (structures with the real columns)."""

import csv
import io

import pytest
from django.core.cache import cache

from tests.reporting.factories import ActivityFactory
from tests.reporting.test_opendata_structures import HISTORICAL_HEADER


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


@pytest.fixture
def reports(paris_advisor, marseille_advisor):
    ActivityFactory(advisor=paris_advisor, collective=True)
    ActivityFactory(advisor=marseille_advisor)


@pytest.mark.django_db
class TestPublicStatistics:
    def test_it_shows_national_aggregates_without_any_name(
        self, client, reports, paris_advisor, marseille_advisor, paris_structure
    ):
        response = client.get("/statistiques/")
        assert response.status_code == 200
        page = response.content.decode()
        assert response.context["figures"][0].value == "9"
        assert "Île-de-France" in page
        for name in (paris_advisor.last_name, marseille_advisor.last_name, paris_structure.name):
            assert name not in page

    def test_it_is_cached(self, client, reports, paris_advisor, django_assert_max_num_queries):
        client.get("/statistiques/")
        ActivityFactory(advisor=paris_advisor)
        with django_assert_max_num_queries(2):
            response = client.get("/statistiques/")
        assert response.context["figures"][0].value == "9"


@pytest.mark.django_db
class TestOpenData:
    def test_the_page_links_both_files(self, client):
        page = client.get("/open-data/").content.decode()
        assert "/open-data/structures.csv" in page and "/api/lieux-mediation-numerique.csv" in page

    def test_structures_have_the_real_columns_and_only_validated_ones(self, client, paris_structure):
        from tests.directory.factories import StructureFactory

        StructureFactory(just_applied=True, name="Pas encore validée")
        paris_structure.zrr = True
        paris_structure.save()
        response = client.get("/open-data/structures.csv")
        rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")), delimiter=";"))
        assert (";".join(rows[0]) + "\n").encode() == HISTORICAL_HEADER
        assert [row[1] for row in rows[1:]] == [paris_structure.name]
        assert rows[1][3:6] == ["Paris", "Île-de-France", "3"]
        assert rows[1][13:16] == ["166286", "oui", "non"]
        assert "Jeanne" not in "".join(";".join(row) for row in rows)  # no contact person in open data
