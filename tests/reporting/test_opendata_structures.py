"""Issue 18 §2: the structures open data in the historical format (header byte for byte, vocabularies, State
investment formula), its XLSX twin with codes as text, and its Table Schema checked by a standard validator."""

import csv
import io
import json
from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from frictionless import Dialect, Resource, Schema, formats
from openpyxl import load_workbook

from common import exports
from reporting import opendata
from reporting.opendata import state_investment
from tests.directory.factories import StructureFactory
from tests.territories.factories import commune

HISTORICAL_HEADER = (
    "id;Raison sociale;Commune INSEE;Département;Région;Nombre de conseillers validés par le COSELEC;"
    "Date de validation en comité de sélection;Type;SIRET;Code département;Adresse;Code commune INSEE;Code postal;"
    "Investissement financier estimatif total de l\u2019Etat;ZRR;QPV;France services\n"
).encode()


def body(response) -> bytes:
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content) if response.streaming else response.content


def csv_bytes(client) -> bytes:
    return body(client.get(reverse("open_data_structures")))


def csv_records(client) -> list[dict]:
    return list(csv.DictReader(io.StringIO(csv_bytes(client).decode(), newline=""), delimiter=";"))


def validate(data: bytes):
    """The frictionless report of the file against our Table Schema, with the `;` dialect declared."""
    resource = Resource(
        data=data,
        format="csv",
        encoding="utf-8",
        schema=Schema.from_descriptor(opendata.table_schema()),
        dialect=Dialect(controls=[formats.CsvControl(delimiter=";")]),
    )
    return resource.validate()


def validated(days_ago=30, **kwargs):
    return StructureFactory(validated_at=timezone.now() - timedelta(days=days_ago), **kwargs)


class TestStateInvestment:
    def test_it_counts_32_000_per_private_post_wherever_it_is(self):
        assert state_investment(private=True, department_code="75", posts=1) == 37429  # 37 428,828
        assert state_investment(private=True, department_code="971", posts=2) == 74858  # 74 857,656
        assert state_investment(private=True, department_code="976", posts=3) == 112286  # 112 286,484

    def test_it_counts_50_000_per_public_post_in_metropolitan_france(self):
        assert state_investment(private=False, department_code="75", posts=1) == 55429
        assert state_investment(private=False, department_code="2A", posts=3) == 166286  # 166 286,484

    @pytest.mark.parametrize(
        ("code", "per_post"), [("971", 75429), ("972", 75429), ("973", 75429), ("974", 72929), ("976", 72929)]
    )
    def test_it_counts_the_overseas_subsidies_for_public_posts(self, code, per_post):
        assert state_investment(private=False, department_code=code, posts=1) == per_post

    def test_no_post_is_no_investment(self):
        assert state_investment(private=False, department_code="13", posts=0) == 0

    def test_half_euros_round_up_as_the_historical_export_did(self):
        # 0,828 × 125 = 103,5: (55 428,828 × 125 = 6 928 603,5) rounds up, not to the even euro.
        assert state_investment(private=False, department_code="75", posts=125) == 6928604


@pytest.mark.django_db
class TestStructuresCsv:
    def test_the_header_is_the_historical_one_byte_for_byte_without_bom(self, client):
        validated()
        data = csv_bytes(client)
        assert data.startswith(HISTORICAL_HEADER)
        assert b"\r" not in data and data.endswith(b"\n")

    def test_the_response_is_a_csv_download(self, client):
        response = client.get(reverse("open_data_structures"))
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"] == 'attachment; filename="structures_open_data.csv"'

    def test_a_public_structure_has_the_historical_vocabulary(self, client):
        structure = validated(
            name="Mairie du 11e arrondissement",
            address="12 place Léon Blum",
            postal_code="75011",
            zrr=True,
            qpv=False,
            france_services_label=True,
            posts_granted=3,
        )
        structure.validated_at = timezone.make_aware(datetime(2021, 3, 24, 0, 30))
        structure.save()
        (record,) = csv_records(client)
        assert record == {
            "id": str(structure.pk),
            "Raison sociale": "Mairie du 11e arrondissement",
            "Commune INSEE": "Paris",
            "Département": "Paris",
            "Région": "Île-de-France",
            "Nombre de conseillers validés par le COSELEC": "3",
            "Date de validation en comité de sélection": "24/03/2021",
            "Type": "publique",
            "SIRET": structure.siret,
            "Code département": "75",
            "Adresse": "12 place Léon Blum 75011 Paris",
            "Code commune INSEE": "75056",
            "Code postal": "75011",
            "Investissement financier estimatif total de l\u2019Etat": "166286",
            "ZRR": "oui",
            "QPV": "non",
            "France services": "oui",
        }

    def test_a_private_structure_is_privee_with_its_lower_subsidy(self, client):
        validated(private=True, posts_granted=2, qpv=True)
        (record,) = csv_records(client)
        assert record["Type"] == "privée"
        assert record["Investissement financier estimatif total de l\u2019Etat"] == "74858"
        assert (record["ZRR"], record["QPV"], record["France services"]) == ("non", "oui", "non")

    def test_the_address_is_always_quoted_as_the_historical_file_had_it(self, client):
        validated(address="3 rue du Port", postal_code="13002", in_marseille=True)
        line = csv_bytes(client).decode().splitlines()[1]
        assert ';"3 rue du Port 13002 Marseille";13055;13002;' in line
        assert len(next(csv.reader([line], delimiter=";"))) == 17  # no stray trailing « ; »

    def test_a_name_with_commas_loses_them_and_a_semicolon_stays_in_its_cell(self, client):
        validated(name="Association Lire, écrire, compter ; Paris")
        (record,) = csv_records(client)
        assert record["Raison sociale"] == "Association Lire écrire compter ; Paris"

    def test_an_overseas_structure_has_its_department_and_region_names_and_subsidy(self, client):
        validated(commune=commune("97105"), postal_code="97100", posts_granted=2)
        (record,) = csv_records(client)
        assert (record["Département"], record["Région"], record["Code département"]) == (
            "Guadeloupe",
            "Guadeloupe",
            "971",
        )
        assert record["Investissement financier estimatif total de l\u2019Etat"] == "150858"  # 2 × 75 428,828
        assert record["Adresse"].endswith(" 97100 Basse-Terre")

    def test_the_postal_code_falls_back_to_the_communes(self, client):
        validated(commune=commune("01053"), postal_code="")
        (record,) = csv_records(client)
        assert (record["Code postal"], record["Code département"], record["Code commune INSEE"]) == (
            "01000",
            "01",
            "01053",
        )

    def test_only_validated_structures_are_published_and_not_before_their_validation_date(self, client):
        published = validated(name="Validée le mois dernier")
        undated = StructureFactory(name="Validée sans date", validated_at=None)
        StructureFactory(just_applied=True, name="Pas encore validée")
        StructureFactory(name="Validée demain", validated_at=timezone.now() + timedelta(days=1))
        records = csv_records(client)
        assert [record["id"] for record in records] == [str(published.pk), str(undated.pk)]
        assert records[1]["Date de validation en comité de sélection"] == ""

    def test_no_contact_person_reaches_the_file(self, client):
        validated(contact_first_name="Jeanne", contact_last_name="Contactée", contact_email="jeanne@mairie.test")
        data = csv_bytes(client).decode()
        assert "Jeanne" not in data and "Contactée" not in data and "jeanne@" not in data

    def test_it_is_one_query_whatever_the_number_of_structures(self, client, django_assert_max_num_queries):
        for index in range(25):
            validated(in_marseille=index % 2 == 0, private=index % 3 == 0)
        with django_assert_max_num_queries(1):
            data = csv_bytes(client)
        assert data.count(b"\n") == 26


@pytest.mark.django_db
class TestStandardValidator:
    def test_the_whole_export_has_no_error_against_its_table_schema(self, client):
        validated(name="Mairie, services techniques", posts_granted=4, zrr=True)
        validated(private=True, qpv=True, france_services_label=True, address='Bâtiment "B" 1 allée des Tilleuls')
        validated(commune=commune("97611"), postal_code="97600", posts_granted=1)
        validated(commune=commune("01053"), postal_code="", siret=None, ridet="1234567")
        StructureFactory(validated_at=None, name="=HYPERLINK(1)")
        report = validate(csv_bytes(client))
        assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
        assert report.tasks[0].stats["rows"] == 5

    def test_the_validator_does_see_the_historical_stray_semicolon_and_a_wrong_code(self):
        historical = (
            HISTORICAL_HEADER
            + (
                '1;Mairie;Paris;Paris;Île-de-France;1;24/03/2021;publique;12345678901234;75;"1 rue X 75001 Paris";'
                "75056;75001;55429;oui;non;oui;\n"
            ).encode()
        )
        assert {error.type for error in validate(historical).tasks[0].errors} == {"extra-cell"}
        wrong = (
            HISTORICAL_HEADER
            + (
                '1;Mairie;Paris;Paris;Île-de-France;1;2021-03-24;publique;1234;1;"1 rue X 1000 Paris";'
                "75056;1000;55429;Oui;non;oui\n"
            ).encode()
        )
        errors = validate(wrong).tasks[0].errors
        assert {error.field_name for error in errors} == {
            "Date de validation en comité de sélection",
            "SIRET",
            "Code département",
            "Code postal",
            "ZRR",
        }

    def test_the_schema_describes_the_17_columns_in_order_and_is_served(self, client):
        response = client.get(reverse("open_data_structures_schema"))
        assert response.status_code == 200 and response["Content-Type"] == "application/json"
        schema = json.loads(response.content)
        assert [field["name"] for field in schema["fields"]] == opendata.COLUMNS
        assert ";".join(opendata.COLUMNS).encode() + b"\n" == HISTORICAL_HEADER
        assert all(field["description"] for field in schema["fields"])


@pytest.mark.django_db
class TestStructuresXlsx:
    def test_codes_keep_their_leading_zeros_and_numbers_and_dates_are_typed(self, client):
        structure = validated(commune=commune("01053"), postal_code="01000", posts_granted=2, siret="01234567800011")
        structure.validated_at = timezone.make_aware(datetime(2022, 1, 5, 9, 0))
        structure.save()
        response = client.get(reverse("open_data_structures_xlsx"))
        assert response["Content-Disposition"] == 'attachment; filename="structures_open_data.xlsx"'
        workbook = load_workbook(io.BytesIO(body(response)))
        assert workbook.sheetnames == ["Structures", "Notice"]
        header, row = list(workbook["Structures"].iter_rows(values_only=True))
        assert list(header) == opendata.COLUMNS
        values = dict(zip(header, row, strict=True))
        assert values["SIRET"] == "01234567800011"
        assert values["Code département"] == "01"
        assert values["Code commune INSEE"] == "01053"
        assert values["Code postal"] == "01000"
        assert values["id"] == structure.pk and values["Nombre de conseillers validés par le COSELEC"] == 2
        assert values["Investissement financier estimatif total de l\u2019Etat"] == 110858
        assert values["Date de validation en comité de sélection"].date() == date(2022, 1, 5)
        assert values["Type"] == "publique" and values["ZRR"] == "non"

    def test_the_notice_sheet_describes_every_column_and_the_licence(self, client):
        workbook = load_workbook(io.BytesIO(body(client.get(reverse("open_data_structures_xlsx")))))
        notice = list(workbook["Notice"].iter_rows(values_only=True))
        assert ("Licence", "Licence Ouverte 2.0 (Etalab)") in notice
        described = [row[0] for row in notice[notice.index(("Colonne", "Description")) + 1 :]]
        assert described == opendata.COLUMNS

    def test_the_xlsx_has_the_same_structures_as_the_csv(self, client):
        for _ in range(3):
            validated()
        StructureFactory(name="Validée demain", validated_at=timezone.now() + timedelta(days=1))
        workbook = load_workbook(io.BytesIO(body(client.get(reverse("open_data_structures_xlsx")))))
        ids = [row[0] for row in workbook["Structures"].iter_rows(min_row=2, values_only=True)]
        assert [str(pk) for pk in ids] == [record["id"] for record in csv_records(client)]


@pytest.mark.django_db
class TestOpenDataPage:
    def test_it_describes_both_files_the_columns_the_licence_and_the_formula(self, client):
        response = client.get(reverse("open_data"))
        assert response.status_code == 200
        page = response.content.decode()
        for link in ("/open-data/structures.csv", "/open-data/structures.xlsx", "/open-data/structures.schema.json"):
            assert f'href="{link}"' in page
        assert "/api/lieux-mediation-numerique.csv" in page
        assert "Licence Ouverte 2.0" in page and "<caption>" in page
        for column in opendata.COLUMNS:
            assert column.replace("\u2019", "&#x27;") in page or column in page
        assert "55\u202f428,828\u00a0€" in page and "72\u202f928,828\u00a0€" in page
        assert "privée / publique" in page and "oui / non / Non défini" in page


class TestQuotedColumns:
    def test_the_chosen_columns_are_always_quoted_and_others_only_when_needed(self):
        rows = [["a", "1 rue X", 3], ['dit "B"', "x;y", None]]
        text = "".join(exports.csv_chunks(rows, bom=False, lineterminator="\n", quoted_columns=[1]))
        assert text == 'a;"1 rue X";3\n"dit ""B""";"x;y";\n'
        assert list(csv.reader(io.StringIO(text), delimiter=";")) == [["a", "1 rue X", "3"], ['dit "B"', "x;y", ""]]

    def test_quoted_columns_still_neutralise_formulas(self):
        text = "".join(exports.csv_chunks([["=1+1", "@A1"]], bom=False, quoted_columns=[1]))
        assert text == "'=1+1;\"'@A1\"\r\n"
