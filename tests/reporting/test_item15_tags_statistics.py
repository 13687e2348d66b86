"""Statistics by tag: the tag filter equals a naive recount, the « Étiquettes » breakdown, its privacy and exports."""

import csv
import io
from collections import defaultdict
from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reporting import services
from reporting.models import Activity, ActivityTag
from reporting.scopes import Scope
from reporting.selectors import Filters, Period, activity_statistics, month_start
from reporting.tag_statistics import tag_breakdown
from tests.directory.factories import PlaceAssignmentFactory, StructureFactory
from tests.reporting.factories import ActivityFactory
from tests.reporting.factories_tags import TagFactory
from tests.territories.factories import department

TODAY = timezone.localdate()


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")), delimiter=";"))


@pytest.fixture
def world(db):
    """Two advisors in Paris (two structures), one in Marseille; a national, a Paris and a personal tag."""
    paris_a, paris_b = StructureFactory(), StructureFactory()
    marseille = StructureFactory(in_marseille=True)
    advisors = [
        PlaceAssignmentFactory(advisor__structure=structure, place__structure=structure, is_principal=True).advisor
        for structure in (paris_a, paris_b, marseille)
    ]
    tags = [TagFactory(), TagFactory(departmental=True), TagFactory(personal=True, owner=advisors[0])]
    return {"advisors": advisors, "structures": [paris_a, paris_b, marseille], "tags": tags}


def naive(scope_test, period: Period, tag) -> dict:
    """Activities, accompaniments and the monthly series of the current reports carrying `tag`, counted in Python."""
    totals = {"activities": 0, "accompaniments": 0, "workshops": 0, "minutes": 0}
    months = defaultdict(lambda: [0, 0])
    tagged = set(ActivityTag.objects.filter(tag=tag).values_list("activity_id", flat=True))
    for activity in Activity.objects.filter(deleted_at__isnull=True):
        if activity.pk not in tagged or not scope_test(activity) or not period.start <= activity.date <= period.end:
            continue
        totals["activities"] += 1
        totals["accompaniments"] += activity.participants
        totals["workshops"] += activity.kind == "collectif"
        totals["minutes"] += activity.duration
        months[month_start(activity.date)][0] += activity.participants
        months[month_start(activity.date)][1] += 1
    return {"totals": totals, "months": {month: tuple(counts) for month, counts in months.items()}}


def scopes_of(world):
    advisors, structures = world["advisors"], world["structures"]
    return [
        (Scope.advisors([advisors[0].pk]), lambda a: a.advisor_id == advisors[0].pk),
        (Scope.structures([structures[1].pk]), lambda a: a.structure_id == structures[1].pk),
        (Scope.departments(["75"]), lambda a: a.department_id == "75"),
        (Scope.regions([department("13").region_id]), lambda a: a.department_id == "13"),
        (Scope.national(), lambda a: True),
    ]


reports = st.lists(
    st.tuples(
        st.integers(0, 2),  # advisor
        st.integers(0, 400),  # days ago
        st.booleans(),  # workshop
        st.sets(st.integers(0, 2), max_size=3),  # tags
        st.booleans(),  # deleted afterwards
    ),
    max_size=12,
)


class TestTagFilterEqualsANaiveRecount:
    @settings(
        max_examples=15,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(reports=reports, start=st.integers(0, 400), length=st.integers(0, 400))
    def test_every_scope_and_period_counts_exactly_the_tagged_reports(self, world, reports, start, length):
        with transaction.atomic():
            for advisor_index, days, workshop, tag_indexes, deleted in reports:
                advisor = world["advisors"][advisor_index]
                activity = ActivityFactory(advisor=advisor, date=TODAY - timedelta(days=days), collective=workshop)
                usable = [world["tags"][i] for i in tag_indexes if i != 2 or advisor_index == 0]
                if advisor_index == 2:  # Marseille may not use the Paris tag
                    usable = [tag for tag in usable if tag.scope != "departemental"]
                services.activity_update(activity=activity, values={}, tags=usable)
                if deleted:
                    services.activity_delete(activity=activity, actor=None)
            period = Period(TODAY - timedelta(days=start), TODAY - timedelta(days=max(0, start - length)))
            for scope, test in scopes_of(world):
                for tag in world["tags"]:
                    expected = naive(test, period, tag)
                    statistics = activity_statistics(scope, period, Filters(tag=tag.pk), today=TODAY)
                    got = {name: statistics[name] for name in expected["totals"]}
                    assert got == expected["totals"], (scope, tag.scope)
                    months = {month: (acc, act) for month, acc, act in statistics.months if act}
                    assert months == expected["months"]
            transaction.set_rollback(True)


class TestTagBreakdown:
    def test_it_counts_each_tag_and_hides_personal_tags_but_their_authors(self, world):
        advisor = world["advisors"][0]
        national, paris, personal = world["tags"]
        first = ActivityFactory(advisor=advisor, collective=True, participants=6)
        services.activity_update(activity=first, values={}, tags=[national, paris, personal])
        second = ActivityFactory(advisor=advisor)
        services.activity_update(activity=second, values={}, tags=[national])
        period = Period(TODAY - timedelta(days=30), TODAY)
        shared = tag_breakdown(Scope.departments(["75"]), period)
        assert [(row.tag, row.accompaniments, row.activities) for row in shared] == [(national, 7, 2), (paris, 6, 1)]
        mine = tag_breakdown(Scope.advisors([advisor.pk]), period, personal_owner=advisor.pk)
        assert personal in [row.tag for row in mine]
        assert personal not in [row.tag for row in tag_breakdown(Scope.advisors([advisor.pk]), period)]

    def test_an_archived_tag_still_counts(self, world):
        advisor, national = world["advisors"][0], world["tags"][0]
        services.activity_update(activity=ActivityFactory(advisor=advisor), values={}, tags=[national])
        national.archived_at = timezone.now()
        national.save()
        rows = tag_breakdown(Scope.national(), Period(TODAY - timedelta(days=30), TODAY))
        assert [(row.tag, row.activities) for row in rows] == [(national, 1)]

    def test_its_query_count_is_constant(self, world, django_assert_max_num_queries):
        advisor = world["advisors"][0]
        period = Period(TODAY - timedelta(days=30), TODAY)
        for _ in range(2):
            for index in range(5):
                activity = ActivityFactory(advisor=advisor)
                services.activity_update(activity=activity, values={}, tags=[TagFactory(name=f"T{index}-{_}")])
            with django_assert_max_num_queries(2):
                tag_breakdown(Scope.national(), period)


class TestStatisticsPagesByTag:
    @pytest.fixture
    def tagged(self, paris_advisor, marseille_advisor):
        mine = TagFactory(personal=True, owner=paris_advisor, name="Ma permanence")
        national = TagFactory(name="France Services")
        theirs = TagFactory(personal=True, owner=marseille_advisor, name="Secret de Marseille")
        workshop = ActivityFactory(advisor=paris_advisor, collective=True, participants=8, date=TODAY)
        services.activity_update(activity=workshop, values={}, tags=[mine, national])
        ActivityFactory(advisor=paris_advisor, date=TODAY)
        other = ActivityFactory(advisor=marseille_advisor, date=TODAY)
        services.activity_update(activity=other, values={}, tags=[national, theirs])
        return {"mine": mine, "national": national, "theirs": theirs}

    def test_my_statistics_filter_by_my_tag_and_show_the_breakdown(self, client, advisor_user, tagged):
        client.force_login(advisor_user)
        response = client.get(reverse("coop:statistics"), {"tag": tagged["mine"].pk})
        assert response.context["statistics"]["accompaniments"] == 8
        assert [row.tag for row in response.context["tag_breakdown"]] == [tagged["national"], tagged["mine"]]
        assert "Étiquette : Ma permanence (personnelle)" in response.text

    def test_a_foreign_tag_is_ignored_with_a_message(self, client, advisor_user, tagged):
        client.force_login(advisor_user)
        response = client.get(reverse("coop:statistics"), {"tag": tagged["theirs"].pk})
        assert response.status_code == 200 and response.context["statistics"]["accompaniments"] == 9
        assert "ce filtre a été ignoré" in response.text and "Secret de Marseille" not in response.text

    def test_the_statistics_export_writes_the_filter_and_the_tags_block(self, client, advisor_user, tagged):
        client.force_login(advisor_user)
        rows = csv_rows(client.get(reverse("coop:statistics_export", args=["csv"]), {"tag": tagged["national"].pk}))
        assert ["Filtres", "Étiquette : France Services (nationale)"] in rows
        block = rows.index(["Étiquettes", "Accompagnements", "Activités", "Portée"])
        assert rows[block + 1 : block + 3] == [
            ["France Services", "8", "1", "Nationale"],
            ["Ma permanence", "8", "1", "Personnelle"],
        ]

    def test_the_team_statistics_never_show_a_members_personal_tag(self, client, coordinator_user, tagged):
        client.force_login(coordinator_user)
        response = client.get(reverse("coop:team_statistics"))
        assert [row.tag for row in response.context["tag_breakdown"]] == [tagged["national"]]
        assert "Ma permanence" not in response.text
        assert (
            client.get(reverse("coop:team_statistics"), {"tag": tagged["mine"].pk}).context["filter_form"].ignored_tag
        )

    def test_the_pilotage_filters_by_a_shared_tag_and_hides_personal_ones(self, client, prefecture_paris, tagged):
        client.force_login(prefecture_paris)
        response = client.get(reverse("pilotage:dashboard"), {"etiquette": tagged["national"].pk})
        assert response.context["statistics"]["accompaniments"] == 8  # Paris only
        assert [row.tag for row in response.context["tag_breakdown"]] == [tagged["national"]]
        assert "Ma permanence" not in response.text and "Secret de Marseille" not in response.text
        refused = client.get(reverse("pilotage:dashboard"), {"etiquette": tagged["mine"].pk})
        assert refused.status_code == 200 and refused.context["statistics"]["accompaniments"] == 9
        assert "Ma permanence" not in refused.text
        rows = csv_rows(
            client.get(reverse("pilotage:dashboard_export", args=["csv"]), {"etiquette": tagged["national"].pk})
        )
        assert any("Étiquette : France Services (nationale)" in cell for row in rows for cell in row)
        assert ["France Services", "8", "1", "Nationale"] in rows

    def test_the_statistics_page_query_count_does_not_grow_with_tags(
        self, client, advisor_user, paris_advisor, tagged, django_assert_max_num_queries
    ):
        client.force_login(advisor_user)
        url = reverse("coop:statistics")
        with django_assert_max_num_queries(30) as baseline:
            client.get(url, {"tag": tagged["mine"].pk})
        for index in range(10):
            tag = TagFactory(name=f"Extra {index}")
            services.activity_update(activity=ActivityFactory(advisor=paris_advisor), values={}, tags=[tag])
        with django_assert_max_num_queries(len(baseline.captured_queries)):
            client.get(url, {"tag": tagged["mine"].pk})
