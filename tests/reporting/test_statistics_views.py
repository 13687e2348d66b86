"""Mes statistiques and the coordinator's team pages: figures, constant query counts, scoping, exports."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.enums import AuditAction
from accounts.models import AuditEvent
from reporting.indicators import largest_remainder
from tests.directory.factories import AdvisorFactory, PlaceAssignmentFactory
from tests.reporting.factories import ActivityFactory
from tests.reporting.helpers import bulk_reports

pytestmark = pytest.mark.django_db

STATS = reverse("coop:statistics")
TODAY = timezone.localdate()


def figures(response) -> dict[str, str]:
    return {figure.label: figure.value for figure in response.context["figures"]}


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")), delimiter=";"))


class TestMyStatistics:
    def test_a_workshop_counts_its_participants_as_accompaniments(self, client, advisor_user, paris_advisor):
        ActivityFactory(advisor=paris_advisor, collective=True, participants=12, date=TODAY)
        ActivityFactory(advisor=paris_advisor, date=TODAY)
        client.force_login(advisor_user)
        response = client.get(STATS)
        assert response.status_code == 200
        assert figures(response)["Accompagnements"] == "13"
        assert figures(response)["Activités enregistrées"] == "2"
        kinds = next(d for _, ds in response.context["sections"] for d in ds if d.key == "kinds")
        assert [(share.count, share.percent) for share in kinds.shares] == [(1, 8), (12, 92)]
        assert "Un atelier collectif avec 10 participants compte pour 10 accompagnements." in response.text

    def test_only_my_reports_count(self, client, advisor_user, paris_advisor, marseille_advisor):
        colleague = AdvisorFactory(structure=paris_advisor.structure)
        PlaceAssignmentFactory(advisor=colleague, is_principal=True)
        ActivityFactory(advisor=colleague, date=TODAY)
        ActivityFactory(advisor=marseille_advisor, date=TODAY)
        client.force_login(advisor_user)
        assert figures(client.get(STATS))["Accompagnements"] == "0"

    def test_the_page_costs_the_same_queries_with_5_or_500_reports(
        self, client, advisor_user, paris_advisor, django_assert_max_num_queries
    ):
        bulk_reports(paris_advisor, 5)
        client.force_login(advisor_user)
        # A period of whole months (no partial "edge" month read from the raw reports: see the test below).
        start = (TODAY - timedelta(days=400)).replace(day=1)
        params = {"start": start.isoformat(), "end": TODAY.isoformat()}
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client.get(STATS, params)  # warm the per-process caches: both measures then see the same state
        with CaptureQueriesContext(connection) as few:
            client.get(STATS, params)
        bulk_reports(paris_advisor, 495)
        with CaptureQueriesContext(connection) as many:
            response = client.get(STATS, params)
        # 10: session, user, membership, the tags offered as a filter, the rollups, the locations and their two
        # label lookups, the followed-people figures and the per-tag breakdown (issue 15), whatever the volume.
        assert len(few) == len(many) <= 10
        assert figures(response)["Activités enregistrées"] == "500"
        with django_assert_max_num_queries(10):
            client.get(STATS, {**params, "theme": "navigation_sur_internet", "kind": "individuel"})

    def test_a_partial_first_month_costs_two_more_queries_whatever_the_volume(
        self, client, advisor_user, paris_advisor
    ):
        """A period starting mid-month reads that month from the raw reports: the figures and the locations, two
        queries bounded by the month, not by the number of reports (the test failed on the days when 400 days
        before today was not the first of a month)."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        bulk_reports(paris_advisor, 5)
        client.force_login(advisor_user)
        start = (TODAY - timedelta(days=400)).replace(day=15)
        params = {"start": start.isoformat(), "end": TODAY.isoformat()}
        client.get(STATS, params)
        with CaptureQueriesContext(connection) as few:
            client.get(STATS, params)
        bulk_reports(paris_advisor, 495)
        with CaptureQueriesContext(connection) as many:
            client.get(STATS, params)
        assert len(few) == len(many) <= 12

    def test_filters_narrow_the_figures(self, client, advisor_user, paris_advisor):
        ActivityFactory(advisor=paris_advisor, collective=True, participants=5, date=TODAY)
        ActivityFactory(advisor=paris_advisor, remote=True, date=TODAY)
        client.force_login(advisor_user)
        assert figures(client.get(STATS, {"kind": "collectif"}))["Accompagnements"] == "5"
        assert figures(client.get(STATS, {"place_type": "a_distance"}))["Accompagnements"] == "1"
        assert figures(client.get(STATS, {"theme": "sante"}))["Accompagnements"] == "0"

    def test_bad_input_falls_back_to_the_default_period_with_messages(self, client, advisor_user):
        client.force_login(advisor_user)
        response = client.get(STATS, {"start": "2024-05-01", "end": "2024-01-01", "kind": "inconnu"})
        assert response.status_code == 200
        assert "La date de fin doit être postérieure ou égale à la date de début." in response.text
        assert response.context["period"].start == TODAY.replace(month=1, day=1)

    def test_the_daily_view_is_limited_to_short_periods(self, client, advisor_user, paris_advisor):
        ActivityFactory(advisor=paris_advisor, date=TODAY)
        client.force_login(advisor_user)
        short = client.get(STATS, {"start": (TODAY - timedelta(days=10)).isoformat(), "vue": "jour"})
        assert short.context["daily"] and len(short.context["chart"].bars) == 11
        assert short.context["chart"].bars[-1].value == 1
        long = client.get(STATS, {"start": (TODAY - timedelta(days=200)).isoformat(), "vue": "jour"})
        assert not long.context["daily"] and long.context["daily_refused"]
        assert "La vue par jour est disponible pour une période de 92 jours au plus" in long.text

    def test_the_chart_has_a_summary_and_a_data_table(self, client, advisor_user, paris_advisor):
        ActivityFactory(advisor=paris_advisor, date=TODAY, collective=True, participants=4)
        client.force_login(advisor_user)
        response = client.get(STATS)
        assert 'role="img"' in response.text
        assert "Données du graphique « Accompagnements par mois »" in response.text
        assert "le plus haut" in response.context["chart"].summary

    def test_csv_export_writes_the_period_and_filters_at_the_top(self, client, advisor_user, paris_advisor):
        ActivityFactory(advisor=paris_advisor, date=TODAY, collective=True, participants=6)
        client.force_login(advisor_user)
        response = client.get(reverse("coop:statistics_export", args=["csv"]), {"kind": "collectif"})
        rows = csv_rows(response)
        assert rows[0] == ["Statistiques d'activité — Conseiller numérique"]
        assert rows[1][0] == "Périmètre" and paris_advisor.full_name in rows[1][1]
        assert rows[2][0] == "Période" and rows[3] == ["Filtres", "Type : Atelier collectif"]
        assert ["Accompagnements", "6", "dont 0 individuels et 6 participations à 1 atelier"] in rows
        assert any(row[:1] == ["Thématiques de médiation numérique"] for row in rows)

    def test_xlsx_export(self, client, advisor_user, paris_advisor):
        ActivityFactory(advisor=paris_advisor, date=TODAY)
        client.force_login(advisor_user)
        response = client.get(reverse("coop:statistics_export", args=["xlsx"]))
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        values = [row[0] for row in sheet.values]
        assert (
            values[0] == "Statistiques d'activité — Conseiller numérique"
            and "Genre des personnes accompagnées" in values
        )


class TestLargestRemainder:
    @pytest.mark.parametrize(
        ("counts", "expected"),
        [([1, 1, 1], [34, 33, 33]), ([0, 0], [0, 0]), ([2, 1], [67, 33]), ([1, 12], [8, 92]), ([5], [100])],
    )
    def test_parts_sum_to_100(self, counts, expected):
        assert largest_remainder(counts) == expected


class TestTeam:
    @pytest.fixture
    def team(self, coordinator_user, paris_advisor, paris_structure):
        """The coordinator's team: Camille (active), plus a silent advisor and one who never reported."""
        coordinator = coordinator_user.advisor
        silent = PlaceAssignmentFactory(advisor__structure=paris_structure, is_principal=True).advisor
        never = AdvisorFactory(structure=paris_structure, started_at=TODAY - timedelta(days=60))
        coordinator.coordinated_advisors.add(silent, never)
        ActivityFactory(advisor=paris_advisor, date=TODAY)
        old = ActivityFactory(advisor=silent, date=TODAY - timedelta(days=40))
        type(old).objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=40))
        ActivityFactory(advisor=coordinator, date=TODAY, collective=True, participants=9, remote=True)
        return {"active": paris_advisor, "silent": silent, "never": never, "coordinator": coordinator}

    def test_it_lists_my_team_with_last_report_monthly_counts_and_status(self, client, coordinator_user, team):
        client.force_login(coordinator_user)
        response = client.get(reverse("coop:team"))
        members = {member.advisor.pk: member for member in response.context["members"]}
        assert set(members) == {team["active"].pk, team["silent"].pk, team["never"].pk}
        assert members[team["active"].pk].status == "actif" and members[team["active"].pk].last_report == TODAY
        assert members[team["silent"].pk].status == "30_jours"
        assert members[team["never"].pk].status == "45_jours" and members[team["never"].pk].last_report is None
        assert len(members[team["active"].pk].monthly) == 6 and members[team["active"].pk].reports == 1
        assert response.context["counts"] == {"active": 1, "silent_30": 1, "silent_45": 1}

    def test_outsiders_never_appear(self, client, coordinator_user, team, marseille_advisor):
        ActivityFactory(advisor=marseille_advisor, date=TODAY)
        client.force_login(coordinator_user)
        response = client.get(reverse("coop:team"))
        assert marseille_advisor.full_name not in response.text

    def test_team_statistics_cover_the_team_and_one_member_on_demand(self, client, coordinator_user, team):
        client.force_login(coordinator_user)
        whole = client.get(reverse("coop:team_statistics"))
        assert figures(whole)["Accompagnements"] == "2"  # the coordinator's own workshop is not the team's
        one = client.get(reverse("coop:team_statistics"), {"conseiller": team["active"].pk})
        assert figures(one)["Accompagnements"] == "1" and one.context["chosen"] == team["active"]

    def test_an_advisor_outside_the_team_answers_404(self, client, coordinator_user, team, marseille_advisor):
        client.force_login(coordinator_user)
        for url in (reverse("coop:team_statistics"), reverse("coop:team_export", args=["csv"])):
            assert client.get(url, {"conseiller": marseille_advisor.pk}).status_code == 404
            assert client.get(url, {"conseiller": "abc"}).status_code == 404

    def test_the_team_export_has_no_private_notes_and_is_audited(self, client, coordinator_user, team):
        ActivityFactory(advisor=team["active"], date=TODAY, notes="Confidentiel : à ne pas diffuser")
        client.force_login(coordinator_user)
        response = client.get(reverse("coop:team_export", args=["csv"]))
        rows = csv_rows(response)
        assert "Notes privées" not in rows[0] and "Conseiller" in rows[0]
        assert "Confidentiel" not in "".join(";".join(row) for row in rows)
        advisors = {row[rows[0].index("Conseiller")] for row in rows[1:]}
        assert advisors == {team["active"].full_name, team["silent"].full_name}
        assert AuditEvent.objects.filter(action=AuditAction.TEAM_ACTIVITIES_EXPORTED).count() == 1
        xlsx = client.get(reverse("coop:team_export", args=["xlsx"]))
        header = next(load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active.values)
        assert "Notes privées" not in header

    def test_the_team_page_costs_a_constant_number_of_queries(
        self, client, coordinator_user, team, paris_structure, django_assert_max_num_queries
    ):
        client.force_login(coordinator_user)
        with django_assert_max_num_queries(8):
            client.get(reverse("coop:team"))
        coordinator = team["coordinator"]
        for _ in range(10):
            member = AdvisorFactory(structure=paris_structure)
            coordinator.coordinated_advisors.add(member)
        with django_assert_max_num_queries(8):
            assert len(client.get(reverse("coop:team")).context["members"]) == 13


class TestHomeAndTools:
    def test_home_shows_a_reminder_after_30_days_of_silence(self, client, advisor_user, paris_advisor):
        report = ActivityFactory(advisor=paris_advisor, date=TODAY - timedelta(days=33))
        type(report).objects.filter(pk=report.pk).update(created_at=timezone.now() - timedelta(days=33))
        client.force_login(advisor_user)
        response = client.get(reverse("coop:home"))
        assert "Aucun compte-rendu d'activité depuis 33 jours" in response.text

    def test_home_shows_my_latest_reports_and_this_months_figures(self, client, advisor_user, paris_advisor):
        ActivityFactory(advisor=paris_advisor, date=TODAY, collective=True, participants=7, title="Atelier tablette")
        client.force_login(advisor_user)
        response = client.get(reverse("coop:home"))
        assert "Atelier tablette" in response.text and response.context["month_accompaniments"] == "7"
        assert "Aucun compte-rendu" not in response.text

    def test_tools_come_from_the_cms_in_order(self, client, advisor_user):
        from reporting.models import Tool
        from tests.reporting.factories import ToolFactory

        Tool.objects.all().delete()  # the data migration's tools are checked below; a flushed base may lack them
        ToolFactory(title="Aidants Connect", order=20)
        ToolFactory(title="RDV Service Public", order=10)
        ToolFactory(title="Ancien outil", order=5, is_active=False)
        client.force_login(advisor_user)
        response = client.get(reverse("coop:tools"))
        assert [tool.title for tool in response.context["tools"]] == ["RDV Service Public", "Aidants Connect"]
        assert "Ancien outil" not in response.text
        assert 'href="/ressources/"' in response.text

    def test_the_programme_tools_are_seeded_by_a_migration(self):
        from importlib import import_module

        tools = import_module("reporting.migrations.0002_seed_tools").TOOLS
        titles = [title for title, *_ in tools]
        assert titles[:3] == ["RDV Service Public", "Aidants Connect", "Pix Orga"] and len(titles) == 6
        assert any(url == "/ressources/" for _, _, url, *_ in tools)
