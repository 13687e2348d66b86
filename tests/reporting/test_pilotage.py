"""Tableau de pilotage: each persona sees exactly their territory, filters, drill-down, territorial table, 404s."""

import csv
import io
from datetime import timedelta

import pytest
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from reporting.models import Activity
from territories.models import Region
from tests.directory.factories import AdvisorFactory, PlaceAssignmentFactory, StructureFactory
from tests.reporting.factories import ActivityFactory
from tests.reporting.helpers import bulk_reports

DASHBOARD = "/pilotage/"


def direct(**lookups) -> tuple[int, int]:
    """(accompaniments, activities) of the current reports matching lookups, computed from the raw table."""
    reports = Activity.objects.current().filter(**lookups)
    return reports.aggregate(total=Sum("participants"))["total"] or 0, reports.count()


@pytest.fixture
def reports(paris_advisor, marseille_advisor):
    """Paris: 2 individual + 1 workshop of 8 (health theme); Marseille: 2 individual."""
    ActivityFactory(advisor=paris_advisor)
    ActivityFactory(advisor=paris_advisor, remote=True)
    ActivityFactory(advisor=paris_advisor, collective=True, administrative=True)
    ActivityFactory(advisor=marseille_advisor)
    ActivityFactory(advisor=marseille_advisor)


def figures(response) -> tuple[int, int]:
    statistics = response.context["statistics"]
    return statistics["accompaniments"], statistics["activities"]


@pytest.mark.django_db
class TestPersonasSeeTheirTerritory:
    def test_it_shows_the_whole_country_to_a_national_admin(self, client, national_admin, reports):
        client.force_login(national_admin)
        response = client.get(DASHBOARD)
        assert response.status_code == 200
        assert figures(response) == direct() == (12, 5)
        assert response.context["drill"]["title"] == "Par région"

    def test_it_shows_only_paris_to_the_paris_prefecture(self, client, prefecture_paris, reports):
        client.force_login(prefecture_paris)
        response = client.get(DASHBOARD)
        assert figures(response) == direct(department="75") == (10, 3)
        assert response.context["drill"]["title"] == "Par structure"
        assert "Belle de Mai" not in response.content.decode()

    def test_it_shows_only_marseille_to_the_marseille_prefecture(self, client, prefecture_marseille, reports):
        client.force_login(prefecture_marseille)
        response = client.get(DASHBOARD)
        assert figures(response) == direct(department="13") == (2, 2)
        assert "Mairie du 11e" not in response.content.decode()

    def test_it_shows_the_hub_departments_to_a_hub_agent(self, client, hub_agent, reports):
        client.force_login(hub_agent)
        response = client.get(DASHBOARD)
        assert figures(response) == direct(department__in=["75", "92"])

    def test_it_shows_its_structure_to_a_structure_manager(self, client, structure_manager, paris_structure, reports):
        client.force_login(structure_manager)
        response = client.get(DASHBOARD)
        assert figures(response) == direct(structure=paris_structure)
        assert response.context["drill"]["title"] == "Par conseiller"

    def test_it_shows_the_team_to_a_coordinator(self, client, coordinator_user, paris_advisor, reports):
        client.force_login(coordinator_user)
        response = client.get(DASHBOARD)
        assert figures(response) == direct(advisor=paris_advisor)

    def test_it_refuses_an_advisor_and_asks_anonymous_users_to_log_in(self, client, advisor_user):
        assert client.get(DASHBOARD).status_code == 302
        client.force_login(advisor_user)
        assert client.get(DASHBOARD).status_code == 403


@pytest.mark.django_db
class TestFiltersAndDrillDown:
    def test_it_drills_down_from_region_to_advisor(
        self, client, national_admin, paris_structure, paris_advisor, reports
    ):
        client.force_login(national_admin)
        response = client.get(DASHBOARD, {"region": "11"})
        assert figures(response) == direct(region="11")
        assert response.context["drill"]["title"] == "Par département"
        response = client.get(DASHBOARD, {"region": "11", "departement": "75"})
        assert [row.label for row, _ in response.context["drill"]["rows"]] == [paris_structure.name]
        response = client.get(DASHBOARD, {"departement": "75", "structure": paris_structure.pk})
        assert figures(response) == direct(structure=paris_structure)
        response = client.get(DASHBOARD, {"structure": paris_structure.pk, "conseiller": paris_advisor.pk})
        assert figures(response) == direct(advisor=paris_advisor)
        assert "drill" not in response.context

    def test_it_filters_by_theme_kind_and_structure_type(self, client, national_admin, reports):
        client.force_login(national_admin)
        response = client.get(DASHBOARD, {"thematique": "aide_aux_demarches_administratives"})
        assert figures(response) == (8, 1)
        response = client.get(DASHBOARD, {"type": "individuel", "lieu": "a_distance"})
        assert figures(response) == (1, 1)
        response = client.get(DASHBOARD, {"type_structure": "privee"})
        assert figures(response) == (0, 0)

    def test_it_shows_active_filters_as_removable_tags(self, client, national_admin, reports):
        client.force_login(national_admin)
        response = client.get(DASHBOARD, {"departement": "75", "type": "collectif"})
        tags = dict(response.context["tags"])
        assert "Type d'activité : Atelier collectif" in tags
        assert (
            "departement"
            not in tags[
                "Département : Paris (75)"
                if "Département : Paris (75)" in tags
                else next(label for label in tags if label.startswith("Département"))
            ]
        )
        assert 'class="fr-tag fr-tag--sm fr-tag--dismiss"' in response.content.decode()

    def test_the_selects_list_only_the_scope_and_keep_the_choice(self, client, prefecture_paris, reports):
        client.force_login(prefecture_paris)
        page = client.get(DASHBOARD, {"thematique": "sante"}).content.decode()
        assert '<option value="sante" selected>Santé</option>' in page
        assert '<option value="75">Paris (75)</option>' in page
        assert 'value="13"' not in page

    def test_it_keeps_the_default_period_and_explains_a_bad_date(self, client, national_admin, reports):
        client.force_login(national_admin)
        response = client.get(DASHBOARD, {"du": "2019-01-01", "au": "pas une date"})
        assert response.status_code == 200
        page = response.content.decode()
        assert "Choisissez une date entre le 1er janvier 2020 et le " in page
        assert "Saisissez une date valide." in page
        assert figures(response) == direct()

    @pytest.mark.parametrize(
        "params",
        [
            {"departement": "13"},
            {"region": "93"},
            {"structure": "marseille"},
            {"conseiller": "marseille"},
            {"structure": "999999"},
            {"departement": "zz"},
        ],
    )
    def test_it_answers_404_to_a_territory_outside_the_scope(
        self, client, prefecture_paris, marseille_structure, marseille_advisor, params
    ):
        ids = {"marseille": {"structure": marseille_structure.pk, "conseiller": marseille_advisor.pk}}
        params = {name: ids["marseille"][name] if value == "marseille" else value for name, value in params.items()}
        client.force_login(prefecture_paris)
        assert client.get(DASHBOARD, params).status_code == 404
        assert client.get(reverse("pilotage:dashboard_export", args=["csv"]), params).status_code == 404
        assert client.get(reverse("pilotage:export_list", args=["activites"]), params).status_code == 404

    def test_it_never_widens_a_structure_manager_scope(self, client, structure_manager, paris_structure, reports):
        StructureFactory(name="Autre structure parisienne")
        other = PlaceAssignmentFactory(advisor__structure__name="Voisine").advisor
        ActivityFactory(advisor=other)
        client.force_login(structure_manager)
        response = client.get(DASHBOARD, {"departement": "75"})
        assert figures(response) == direct(structure=paris_structure)


@pytest.mark.django_db
class TestTerritorialIndicators:
    def test_it_counts_posts_recruited_active_and_activation(
        self, client, national_admin, paris_structure, paris_advisor, reports
    ):
        AdvisorFactory(structure=paris_structure, status="termine")
        AdvisorFactory(structure=paris_structure)  # in post, no report: not activated
        client.force_login(national_admin)
        response = client.get(reverse("pilotage:territorial"), {"departement": "75"})
        (row,) = response.context["rows"]
        assert (row.code, row.posts_granted, row.recruited, row.active, row.activated) == ("75", 3, 3, 2, 1)
        assert row.activation_rate == 50
        assert (row.activities, row.accompaniments) == direct(department="75")[::-1]

    def test_it_toggles_regions_and_sorts(self, client, national_admin, reports):
        client.force_login(national_admin)
        response = client.get(
            reverse("pilotage:territorial"), {"par": "region", "tri": "accompagnements", "ordre": "desc"}
        )
        rows = response.context["rows"]
        assert len(rows) == Region.objects.count() == 2  # the test database holds the regions used
        assert [row.code for row in rows[:2]] == ["11", "93"]
        assert 'aria-sort="descending"' in response.content.decode()

    def test_the_prefecture_table_lists_only_its_department(self, client, prefecture_paris, reports):
        client.force_login(prefecture_paris)
        response = client.get(reverse("pilotage:territorial"))
        assert [row.code for row in response.context["rows"]] == ["75"]

    def test_the_csv_has_the_real_columns(self, client, national_admin, reports):
        client.force_login(national_admin)
        response = client.get(reverse("pilotage:territorial_export"), {"departement": "13"})
        rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")), delimiter=";"))
        assert rows[0] == [
            "Code",
            "Nom",
            "CRA enregistrés",
            "Personnes accompagnées",
            "Nombre d'accompagnement",
            "Dotation de conseillers",
            "Conseillers recrutés",
            "Conum activé sur l'espace coop",
            "Conum en attente d'activation",
            "Taux d'activation (%)",
        ]
        assert rows[1][:5] == ["13", "Bouches-du-Rhône", "2", "2", "2"]

    def test_the_dashboard_shows_structures_by_type_and_qpv_zrr(
        self, client, national_admin, paris_structure, reports
    ):
        paris_structure.qpv = True
        paris_structure.save()
        client.force_login(national_admin)
        profile = client.get(DASHBOARD).context["profile"]
        assert profile.total == 2
        assert profile.qpv == 1
        assert profile.advisors_qpv == 1
        assert dict(profile.by_type)["Commune"] == 2


@pytest.mark.django_db
class TestQueryCounts:
    @pytest.mark.parametrize("url", [DASHBOARD, "/pilotage/territoires/", "/pilotage/territoires/?par=region"])
    def test_it_runs_the_same_queries_whatever_the_data_size(
        self, client, national_admin, paris_advisor, marseille_advisor, django_assert_max_num_queries, url
    ):
        client.force_login(national_admin)
        bulk_reports(paris_advisor, 5)
        client.get(url)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as small:
            client.get(url)
        bulk_reports(marseille_advisor, 300)
        for _ in range(5):
            AdvisorFactory(structure=paris_advisor.structure)
        with django_assert_max_num_queries(len(small.captured_queries)):
            client.get(url)

    def test_a_drilled_down_dashboard_stays_within_budget(
        self, client, national_admin, paris_advisor, django_assert_max_num_queries
    ):
        bulk_reports(paris_advisor, 50)
        client.force_login(national_admin)
        params = {"departement": "75", "structure": paris_advisor.structure_id, "thematique": "email"}
        with django_assert_max_num_queries(22):
            response = client.get(DASHBOARD, params)
        assert response.status_code == 200


@pytest.mark.django_db
class TestDashboardExport:
    def test_it_writes_the_filters_at_the_top(self, client, prefecture_paris, reports):
        client.force_login(prefecture_paris)
        today = timezone.localdate()
        start = (today - timedelta(days=60)).isoformat()
        response = client.get(reverse("pilotage:dashboard_export", args=["csv"]), {"du": start, "thematique": "sante"})
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        assert text.startswith("Tableau de pilotage — Conseiller numérique")
        assert "Thématique : Santé" in text
        assert "Postes attribués" in text

    def test_it_exports_xlsx_and_refuses_other_formats(self, client, national_admin, reports):
        client.force_login(national_admin)
        response = client.get(reverse("pilotage:dashboard_export", args=["xlsx"]))
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        assert client.get("/pilotage/export.pdf").status_code == 404
