"""bench/page_cost.py: the in-process measure of a request (queries, bytes, refusals) and its before/after table."""

import random

import pytest
from django.test import Client

from bench.page_cost import InProcessUser, table
from reporting.models import Activity


def visitor() -> InProcessUser:
    return InProcessUser("visitor", Client(), random.Random(1))


@pytest.mark.django_db
class TestInProcessUser:
    def test_it_records_queries_bytes_and_times_per_endpoint(self, django_assert_num_queries):
        user = visitor()
        with django_assert_num_queries(2) as captured:  # the list's count, then its page
            user.get("api : thématiques", "/api/thematiques/")
        sample = user.samples["api : thématiques"][0]
        assert sample.queries == len(captured.captured_queries) == 2
        assert sample.size > 0 and sample.cpu_ms >= 0 and sample.wall_ms > 0

    def test_an_unexpected_status_stops_the_bench(self):
        with pytest.raises(SystemExit, match="HTTP 302, 200 attendu"):
            visitor().get("coop : accueil", "/coop/")

    def test_it_submits_a_report_with_the_form_token(self, client, advisor_user, paris_advisor):
        user = InProcessUser("advisor", client, random.Random(1), place=paris_advisor.places.first().pk)
        client.force_login(advisor_user)
        user.submit_report()
        assert set(user.samples) == {"coop : formulaire CRA", "coop : envoi CRA (POST)"}
        assert Activity.objects.filter(advisor__user=advisor_user).count() == 1

    def test_it_browses_when_no_decision_is_left(self):
        assert visitor().decide() is False


class TestTable:
    def test_it_shows_before_and_after_and_the_sum_of_cpu(self):
        after = {"accueil": {"queries": 8, "cpu_ms": 10.0, "wall_ms": 12.5, "bytes": 100}}
        before = {"accueil": {"queries": 10, "cpu_ms": 30.0, "wall_ms": 40.0, "bytes": 100}}
        text = table(after, before)
        assert "| accueil" in text and "10 → 8" in text and "30 → 10" in text and "100 → 100" in text
        assert "Somme des médianes" in text and "30.0 → 10.0" in text

    def test_a_new_endpoint_has_no_arrow(self):
        text = table({"api": {"queries": 1, "cpu_ms": 2.5, "wall_ms": 3.0, "bytes": 7}}, {})
        assert "→" not in text and "| 2.5" in text
