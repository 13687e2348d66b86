"""Pilotage exports: content and scope of each list, streaming, the background flow, expiry, audit."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.enums import AuditAction
from accounts.models import AuditEvent
from reporting.enums import ExportStatus
from reporting.models import ExportJob
from tests.directory.factories import convention_for
from tests.reporting.factories import ActivityFactory


def read_csv(response) -> list[list[str]]:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


@pytest.fixture
def reports(paris_advisor, marseille_advisor):
    ActivityFactory(advisor=paris_advisor, notes="Note privée à ne jamais exporter")
    ActivityFactory(advisor=paris_advisor, collective=True)
    ActivityFactory(advisor=marseille_advisor)


@pytest.fixture
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    return tmp_path


def url(kind: str) -> str:
    return reverse("pilotage:export_list", kwargs={"kind": kind})


@pytest.mark.django_db
class TestListExports:
    def test_activity_reports_are_one_row_per_report_of_the_scope_without_notes(
        self, client, prefecture_paris, paris_advisor, reports
    ):
        client.force_login(prefecture_paris)
        response = client.get(url("activites"))
        assert response.streaming
        rows = read_csv(response)
        assert rows[0][:4] == ["Identifiant", "Date", "Id conseiller", "Conseiller"]
        assert "Notes privées" not in rows[0]
        assert len(rows) == 3
        assert {row[3] for row in rows[1:]} == {paris_advisor.full_name}
        assert "Note privée" not in "".join(",".join(row) for row in rows)
        assert {row[7] for row in rows[1:]} == {"Accompagnement individuel", "Atelier collectif"}

    def test_filters_narrow_the_export_like_the_dashboard(self, client, national_admin, reports):
        client.force_login(national_admin)
        assert len(read_csv(client.get(url("activites")))) == 4
        assert len(read_csv(client.get(url("activites"), {"departement": "13"}))) == 2
        assert len(read_csv(client.get(url("activites"), {"type": "collectif"}))) == 2

    def test_names_that_look_like_formulas_are_neutralised(self, client, national_admin, paris_advisor, reports):
        paris_advisor.first_name = "=HYPERLINK(1)"
        paris_advisor.save()
        client.force_login(national_admin)
        names = {row[3] for row in read_csv(client.get(url("activites")))[1:]}
        assert "'=HYPERLINK(1) " + paris_advisor.last_name in names

    def test_advisors_and_structures_are_scoped(
        self, client, prefecture_marseille, marseille_advisor, marseille_structure, reports
    ):
        client.force_login(prefecture_marseille)
        advisors = read_csv(client.get(url("conseillers")))
        assert [row[0] for row in advisors[1:]] == [str(marseille_advisor.pk)]
        assert advisors[0][-1] == "CRA saisis sur la période" and advisors[1][-1] == "1"
        structures = read_csv(client.get(url("structures")))
        assert structures[0][:3] == ["SIRET structure", "ID Structure", "Dénomination"]
        assert [row[2] for row in structures[1:]] == [marseille_structure.name]
        assert structures[1][14] == "1/3"

    def test_structures_carry_the_convention_in_force(self, client, national_admin, paris_structure, reports):
        start = timezone.localdate() - timedelta(days=30)
        convention = convention_for(paris_structure, start=start)
        client.force_login(national_admin)
        structures = read_csv(client.get(url("structures")))
        assert structures[0][-3:] == ["N° de convention", "Début de la convention", "Fin de la convention"]
        rows = {row[2]: row for row in structures[1:]}
        assert rows[paris_structure.name][-3:] == [
            convention.number,
            f"{start:%d/%m/%Y}",
            f"{convention.end:%d/%m/%Y}",
        ]
        assert all(row[-3:] == ["", "", ""] for name, row in rows.items() if name != paris_structure.name)

    def test_every_export_of_personal_data_is_logged(self, client, national_admin, reports):
        client.force_login(national_admin)
        client.get(url("conseillers"), {"departement": "75"})
        event = AuditEvent.objects.get(action=AuditAction.PILOTAGE_EXPORTED)
        assert event.actor == national_admin
        assert event.details["export"] == "conseillers"
        assert event.details["filtres"] == ["Département : Paris (75)"]

    def test_an_unknown_list_is_404_and_an_advisor_is_refused(self, client, national_admin, advisor_user):
        client.force_login(national_admin)
        assert client.get("/pilotage/exports/candidats.csv").status_code == 404
        client.force_login(advisor_user)
        assert client.get(url("activites")).status_code == 403

    def test_the_exports_page_lists_the_exports_with_the_filters(self, client, structure_manager, reports):
        client.force_login(structure_manager)
        response = client.get(reverse("pilotage:exports"), {"type": "collectif"})
        assert response.status_code == 200
        assert "/pilotage/exports/activites.csv?type=collectif" in response.content.decode()


@pytest.mark.django_db
class TestBackgroundExport:
    @pytest.fixture(autouse=True)
    def small_threshold(self, settings, private_root):
        settings.PILOTAGE_EXPORT_SYNC_MAX_ROWS = 0

    def test_a_large_export_runs_in_the_background_then_downloads(
        self, client, prefecture_paris, private_root, reports, django_capture_on_commit_callbacks
    ):
        client.force_login(prefecture_paris)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.get(url("activites"))
        job = ExportJob.objects.get()
        assert response.status_code == 302 and response.url == reverse("pilotage:export_job", args=[job.pk])
        job.refresh_from_db()
        assert (job.status, job.rows_total, job.rows_done) == (ExportStatus.DONE, 2, 2)
        assert (private_root / "exports" / f"{job.pk}.csv").exists()
        page = client.get(response.url).content.decode()
        assert "Télécharger le fichier CSV" in page and 'http-equiv="refresh"' not in page
        download = client.get(reverse("pilotage:export_download", args=[job.pk]))
        rows = read_csv(download)
        assert len(rows) == 3 and "Notes privées" not in rows[0]
        actions = list(AuditEvent.objects.values_list("action", flat=True))
        assert AuditAction.PILOTAGE_EXPORTED in actions and AuditAction.PILOTAGE_EXPORT_DOWNLOADED in actions

    def test_a_pending_export_reloads_itself_without_javascript(self, client, prefecture_paris, reports):
        client.force_login(prefecture_paris)
        response = client.get(url("activites"))  # the task waits for the commit, which never comes in this test
        job = ExportJob.objects.get()
        assert job.status == ExportStatus.PENDING
        page = client.get(response.url).content.decode()
        assert 'http-equiv="refresh"' in page and "Recharger la page" in page
        assert client.get(reverse("pilotage:export_download", args=[job.pk])).status_code == 404

    def test_only_the_requester_may_see_or_download_it(
        self, client, prefecture_paris, national_admin, reports, django_capture_on_commit_callbacks
    ):
        client.force_login(prefecture_paris)
        with django_capture_on_commit_callbacks(execute=True):
            client.get(url("activites"))
        job = ExportJob.objects.get()
        client.force_login(national_admin)
        assert client.get(reverse("pilotage:export_job", args=[job.pk])).status_code == 404
        assert client.get(reverse("pilotage:export_download", args=[job.pk])).status_code == 404

    def test_an_expired_export_is_gone(
        self, client, prefecture_paris, private_root, reports, django_capture_on_commit_callbacks
    ):
        client.force_login(prefecture_paris)
        with django_capture_on_commit_callbacks(execute=True):
            client.get(url("activites"))
        job = ExportJob.objects.get()
        ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
        assert client.get(reverse("pilotage:export_download", args=[job.pk])).status_code == 404
        assert not (private_root / "exports" / f"{job.pk}.csv").exists()
        assert "a expiré" in client.get(reverse("pilotage:export_job", args=[job.pk])).content.decode()

    def test_the_job_keeps_the_requester_scope(
        self, client, prefecture_marseille, reports, django_capture_on_commit_callbacks
    ):
        client.force_login(prefecture_marseille)
        with django_capture_on_commit_callbacks(execute=True):
            client.get(url("activites"))
        job = ExportJob.objects.get()
        job.refresh_from_db()
        assert job.rows_done == 1
        rows = read_csv(client.get(reverse("pilotage:export_download", args=[job.pk])))
        assert {row[6] for row in rows[1:]} == {"13"}


@pytest.mark.django_db
class TestPostgresqlCopy:
    def test_postgresql_writes_the_same_rows_as_python(self, paris_advisor, reports):
        from django.db import connection

        from common.exports import csv_chunks
        from reporting.enums import ExportKind
        from reporting.models import Activity
        from reporting.pilotage_exports import activity_rows, csv_content

        if connection.vendor != "postgresql":
            pytest.skip("COPY is PostgreSQL's")
        paris_advisor.last_name = "-Dupont; dit «le ;»"
        paris_advisor.save()
        queryset = Activity.objects.current().order_by()

        def parse(chunks):
            text = "".join(chunk.decode() if isinstance(chunk, bytes) else chunk for chunk in chunks)
            return sorted(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))

        assert parse(csv_content(ExportKind.ACTIVITIES, queryset)) == parse(csv_chunks(activity_rows(queryset)))
