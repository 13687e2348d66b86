"""Coordination statistics (vs a naive recount, constant queries) and the coordinators' part of the pilotage."""

import csv
import io
import random
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.enums import AuditAction
from accounts.models import AuditEvent
from reporting.coordination_stats import (
    coordination_statistics,
    coordination_summary,
    distributions,
    key_figures,
    kind_distribution,
)
from reporting.enums import TagScope
from reporting.models import CoordinationActivity, Tag
from reporting.selectors import Period
from tests import personas
from tests.directory.factories import AdvisorFactory
from tests.reporting.factories_coord import CoordinationActivityFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
STATS = "/coop/activites/coordination/statistiques/"
PILOTAGE = "/pilotage/"
PILOTAGE_EXPORT = "/pilotage/coordination/export.csv"


@pytest.fixture
def coordinator(coordinator_user):
    return coordinator_user.advisor


@pytest.fixture
def marseille_coordinator(marseille_structure):
    advisor = AdvisorFactory(structure=marseille_structure, coordinator=True)
    user = personas.create_user(personas.COORDINATOR_MARSEILLE, advisor=advisor)
    advisor.user = user
    advisor.save(update_fields=["user"])
    return advisor


def random_activities(coordinator, count: int, seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(count):
        day = TODAY() - timedelta(days=rng.randint(0, 500))
        choice = rng.choice(["animation", "event", "partnership"])
        if choice == "animation":
            CoordinationActivityFactory(
                coordinator=coordinator,
                date=day,
                duration=rng.choice([None, 30, 120]),
                advisors_count=rng.randint(0, 9),
                structures_count=rng.randint(1, 4),
                other_actors_count=rng.randint(0, 3),
                animation_type=rng.choice(["comite", "webinaire", "echange"]),
                initiative=rng.choice(["", "demande", "initiative"]),
                animation_themes=rng.sample(["partage", "reseau", "rh", "soutien"], rng.randint(0, 3)),
                territorial_level=rng.choice(["", "communal", "regional"]),
            )
        elif choice == "event":
            CoordinationActivityFactory(
                coordinator=coordinator,
                event=True,
                date=day,
                participants=rng.randint(1, 80),
                organisers=rng.sample(["commune", "hub", "etat"], rng.randint(0, 2)),
                territorial_level="",
            )
        else:
            CoordinationActivityFactory(coordinator=coordinator, partnership=True, date=day, duration=None)


class TestStatistics:
    @pytest.mark.parametrize("seed", [1, 2, 3])
    def test_it_matches_a_naive_recount(self, coordinator, seed):
        random_activities(coordinator, 25, seed)
        period = Period(TODAY() - timedelta(days=200), TODAY())
        statistics = coordination_statistics(CoordinationActivity.objects.current(), period)
        naive = [a for a in CoordinationActivity.objects.current() if period.start <= a.date <= period.end]
        animations = [a for a in naive if a.kind == "animation"]
        events = [a for a in naive if a.kind == "evenement"]
        assert statistics.total == len(naive)
        assert statistics.minutes == sum(a.duration or 0 for a in naive)
        assert statistics.reached == sum(
            a.advisors_count + a.structures_count + a.other_actors_count for a in animations
        ) + sum(a.participants for a in events)
        assert statistics.count("kind", "evenement") == len(events)
        assert statistics.count("animation_themes", "rh") == sum("rh" in a.animation_themes for a in animations)
        assert statistics.count("organisers", "hub") == sum("hub" in a.organisers for a in events)
        assert sum(count for _, count in statistics.months) == len(naive)
        for distribution in distributions(statistics):
            percents = [share.percent for share in distribution.shares]
            assert sum(percents) in (0, 100), distribution.key
        levels = {share.label: share.count for share in distributions(statistics)[-1].shares}
        assert levels["Non renseigné"] == sum(1 for a in naive if not a.territorial_level)

    def test_the_pilotage_summary_agrees_with_the_full_statistics_in_one_query(
        self, coordinator, django_assert_num_queries
    ):
        random_activities(coordinator, 20, 5)
        period = Period(TODAY() - timedelta(days=300), TODAY())
        full = coordination_statistics(CoordinationActivity.objects.current(), period)
        with django_assert_num_queries(1):
            summary = coordination_summary(CoordinationActivity.objects.current(), period)
        assert [figure.number for figure in key_figures(summary)] == [figure.number for figure in key_figures(full)]
        assert kind_distribution(summary) == kind_distribution(full)

    def test_deleted_activities_and_tags_are_counted_right(self, coordinator, coordinator_user):
        from reporting.services.coordination import coordination_activity_delete

        tag = Tag.objects.create(name="FNE", scope=TagScope.PERSONAL, owner=coordinator)
        CoordinationActivityFactory(coordinator=coordinator, tags=[tag])
        gone = CoordinationActivityFactory(coordinator=coordinator, tags=[tag])
        coordination_activity_delete(actor=coordinator_user, activity=gone)
        statistics = coordination_statistics(CoordinationActivity.objects.current(), Period.year_to_date())
        assert statistics.total == 1
        assert statistics.tags == [("FNE", 1)]
        assert key_figures(statistics)[0].number == 1

    def test_it_reads_in_two_queries_whatever_the_number(self, coordinator, django_assert_num_queries):
        random_activities(coordinator, 30, 7)
        with django_assert_num_queries(2):
            coordination_statistics(
                CoordinationActivity.objects.current(), Period(TODAY() - timedelta(days=600), TODAY())
            )


class TestStatisticsPage:
    def test_it_shows_the_figures_chart_and_breakdowns(self, client, coordinator_user, coordinator):
        CoordinationActivityFactory(coordinator=coordinator)
        CoordinationActivityFactory(coordinator=coordinator, event=True)
        client.force_login(coordinator_user)
        page = client.get(STATS).content.decode()
        assert "Activités de coordination par mois" in page
        assert "Natures des partenariats" in page and "Organisateurs des événements" in page
        assert "<caption" in page
        response = client.get(STATS, {"kind": "evenement"})
        assert response.context["statistics"].total == 1
        assert response.context["statistics"].reached == 40

    def test_it_shows_only_my_activities(self, client, coordinator_user, marseille_coordinator):
        CoordinationActivityFactory(coordinator=marseille_coordinator)
        client.force_login(coordinator_user)
        assert client.get(STATS).context["statistics"].total == 0

    def test_its_queries_do_not_grow_with_the_activities(
        self, client, coordinator_user, coordinator, django_assert_max_num_queries
    ):
        CoordinationActivityFactory(coordinator=coordinator)
        client.force_login(coordinator_user)
        with django_assert_max_num_queries(50) as small:
            client.get(STATS)
        random_activities(coordinator, 30, 11)
        with django_assert_max_num_queries(len(small.captured_queries)):
            client.get(STATS)


def export_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")), delimiter=";"))


class TestPilotage:
    @pytest.fixture
    def activities(self, coordinator, marseille_coordinator):
        CoordinationActivityFactory(coordinator=coordinator, notes="Note privée de Karim")
        CoordinationActivityFactory(coordinator=marseille_coordinator, event=True, name="Fête à Marseille")

    def test_the_dashboard_shows_the_territorys_coordination(self, client, activities, prefecture_paris):
        client.force_login(prefecture_paris)
        response = client.get(PILOTAGE)
        assert response.context["coordination"]["statistics"].total == 1
        assert "Activités des coordinateurs" in response.content.decode()

    def test_another_departments_prefecture_sees_none_of_paris(self, client, activities, prefecture_marseille):
        client.force_login(prefecture_marseille)
        statistics = client.get(PILOTAGE).context["coordination"]["statistics"]
        assert statistics.total == 1 and statistics.count("kind", "animation") == 0
        rows = export_rows(client.get(PILOTAGE_EXPORT))
        assert len(rows) == 2 and "Fête à Marseille" in rows[1]
        assert client.get(PILOTAGE_EXPORT, {"departement": "75"}).status_code == 404

    def test_the_national_team_narrows_to_a_department(self, client, activities, national_admin):
        client.force_login(national_admin)
        assert client.get(PILOTAGE).context["coordination"]["statistics"].total == 2
        assert client.get(PILOTAGE, {"departement": "13"}).context["coordination"]["statistics"].total == 1

    def test_the_export_names_the_coordinator_and_never_has_notes(self, client, activities, national_admin):
        client.force_login(national_admin)
        rows = export_rows(client.get(PILOTAGE_EXPORT))
        assert "Coordinateur" in rows[0] and "Notes privées" not in rows[0]
        assert len(rows) == 3
        assert not any("Note privée" in cell for row in rows for cell in row)
        assert AuditEvent.objects.filter(action=AuditAction.PILOTAGE_EXPORTED, details__export="coordination").exists()

    def test_a_structure_manager_sees_her_structures_coordinators(self, client, activities, structure_manager):
        client.force_login(structure_manager)
        assert client.get(PILOTAGE).context["coordination"]["statistics"].total == 1

    def test_a_coordinator_sees_his_own_in_the_pilotage(self, client, activities, coordinator_user):
        client.force_login(coordinator_user)
        assert client.get(PILOTAGE).context["coordination"]["statistics"].total == 1

    def test_an_advisor_is_refused_the_export(self, client, advisor_user):
        client.force_login(advisor_user)
        assert client.get(PILOTAGE_EXPORT).status_code == 403

    def test_an_unknown_format_answers_404(self, client, national_admin):
        client.force_login(national_admin)
        assert client.get("/pilotage/coordination/export.pdf").status_code == 404
