"""Importing followed people from CSV: template, UTF-8 and Excel's Windows-1252 `;` files, a verdict per row, caps,
duplicates, and one import per analysis (a double click imports once)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.enums import AuditAction
from accounts.models import AuditEvent
from reporting.beneficiary_import import MAX_ROWS
from reporting.enums import AgeBand, Gender, SocialStatus
from reporting.models import Beneficiary
from tests.reporting.factories_benef import BeneficiaryFactory
from tests.territories.factories import commune

pytestmark = pytest.mark.django_db

IMPORT = reverse("coop:beneficiary_import")
ANALYSIS = reverse("coop:beneficiary_import_analysis")
CONFIRM = reverse("coop:beneficiary_import_confirm")
HEADER = "Nom;Prénom;Année de naissance;Code INSEE ou code postal de la commune;Téléphone;E-mail;Genre;Statut;Notes"


def upload(client, text: str, *, encoding="utf-8", informed=True, name="personnes.csv"):
    data = {"file": SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")}
    if informed:
        data["informed"] = "on"
    return client.post(IMPORT, data)


@pytest.fixture
def camille(client, advisor_user, paris_advisor):
    client.force_login(advisor_user)
    return paris_advisor


class TestTemplate:
    def test_the_template_is_the_header_row(self, client, camille):
        response = client.get(reverse("coop:beneficiary_import_template"))
        assert response.status_code == 200
        assert b"".join(response.streaming_content).decode("utf-8-sig").strip() == HEADER


class TestAnalysis:
    def test_a_good_excel_file_is_analysed_then_imported_once(self, client, camille):
        commune("69123")
        text = "\r\n".join(
            [
                HEADER,
                "Müller;Hélène;1950;69123;06 12 34 56 78;helene@example.fr;F;Retraitée;=cmd|' /C calc'!A0",
                "Durand;Paul;;;;;M;En emploi;",
                ";;;;;;;;",
            ]
        )
        response = upload(client, text, encoding="cp1252")
        assert response.status_code == 302 and response.url == ANALYSIS
        page = client.get(ANALYSIS)
        assert page.context["valid"] == 2 and page.context["refused"] == 0
        assert "Importer les 2 lignes valides" in page.text
        token = page.context["token"]
        first = client.post(CONFIRM, {"token": token})
        second = client.post(CONFIRM, {"token": token})
        assert first.status_code == second.status_code == 302
        people = {person.last_name: person for person in Beneficiary.objects.filter(advisor=camille)}
        assert sorted(people) == ["Durand", "Müller"]
        helene = people["Müller"]
        assert (helene.first_name, helene.phone, helene.commune_id) == ("Hélène", "0612345678", "69123")
        assert (helene.gender, helene.status, helene.age_band) == (
            Gender.FEMALE,
            SocialStatus.RETIRED,
            AgeBand.FROM_70,
        )
        assert helene.imported_at is not None and helene.informed_at is not None
        assert people["Durand"].status == SocialStatus.EMPLOYED
        assert AuditEvent.objects.filter(action=AuditAction.BENEFICIARIES_IMPORTED).count() == 1

    def test_the_formula_looking_notes_are_exported_safely(self, client, camille):
        upload(client, f'{HEADER}\nMartin;Léa;;;;;;;=HYPERLINK("http://x")\n')
        client.post(CONFIRM, {"token": client.get(ANALYSIS).context["token"]})
        person = Beneficiary.objects.get(advisor=camille)
        assert person.notes == '=HYPERLINK("http://x")'
        csv_text = b"".join(
            client.get(reverse("coop:beneficiary_export", args=[person.pk, "csv"])).streaming_content
        ).decode("utf-8-sig")
        assert "'=HYPERLINK" in csv_text

    def test_a_comma_separated_utf8_file_with_a_bom_is_read(self, client, camille):
        upload(client, "\ufeffNom,Prénom,E-mail\nMartin,Léa,lea@example.fr\n")
        assert client.get(ANALYSIS).context["valid"] == 1

    def test_bad_rows_get_their_french_reason(self, client, camille):
        BeneficiaryFactory(advisor=camille, last_name="Déjà", first_name="Là")
        rows = [
            HEADER,
            ";Sans-nom;;;;;;;",
            "Année;Mauvaise;dix-neuf;;;;;;",
            "Année;Future;2999;;;;;;",
            "Commune;Inconnue;;99999;;;;;",
            "Mail;Faux;;;;pas-un-mail;;;",
            "Genre;Bizarre;;;;;X;;",
            "Statut;Bizarre;;;;;;Astronaute;",
            "Deja;La;;;;;;;",
            "Ok;Une;;;;;;;",
            "OK;une;;;;;;;",
        ]
        upload(client, "\n".join(rows))
        page = client.get(ANALYSIS)
        verdicts = {row["line"]: " ".join(row["errors"]) for row in page.context["rows"]}
        assert "Indiquez le nom" in verdicts[2]
        assert "année sur quatre chiffres" in verdicts[3]
        assert "Saisissez une année entre 1900" in verdicts[4]
        assert "Commune" in verdicts[5] and "99999" in verdicts[5]
        assert "adresse e-mail valide" in verdicts[6]
        assert "Genre « X » inconnu" in verdicts[7]
        assert "Statut « Astronaute » inconnu" in verdicts[8]
        assert "Doublon de « Là Déjà »" in verdicts[9]
        assert verdicts[10] == ""
        assert "Doublon de la ligne 10" in verdicts[11]
        assert page.context["valid"] == 1 and page.context["refused"] == 9
        client.post(CONFIRM, {"token": page.context["token"]})
        assert sorted(Beneficiary.objects.values_list("last_name", flat=True)) == ["Déjà", "Ok"]


class TestRefusedFiles:
    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("", "Le fichier est vide."),
            ("Colonne;Autre\nA;B\n", "au moins les colonnes « Nom » et « Prénom »"),
            (f"{HEADER}\n", "aucune ligne de données"),
            (HEADER + "\nA;B;;;;;;;" * (MAX_ROWS + 1), f"dépasse {MAX_ROWS} lignes"),
        ],
    )
    def test_an_unreadable_file_is_refused_with_its_reason(self, client, camille, text, message):
        response = upload(client, text)
        assert response.status_code == 400
        assert any(message in error for error in response.context["form"].errors["file"]), message
        assert not Beneficiary.objects.exists()

    def test_a_file_over_one_megabyte_is_refused(self, client, camille):
        response = upload(client, HEADER + "\n" + "A;B;;;;;;;" + "x" * 1_000_001)
        assert response.status_code == 400 and "dépasse 1 Mo" in response.text

    def test_the_confirmation_is_required(self, client, camille):
        response = upload(client, f"{HEADER}\nA;B;;;;;;;\n", informed=False)
        assert response.status_code == 400 and "Confirmez que vous avez informé les personnes" in response.text

    def test_a_binary_file_is_refused(self, client, camille):
        data = {
            "file": SimpleUploadedFile("x.csv", b"\x81\x8d\x8f\x90\x9d", content_type="text/csv"),
            "informed": "on",
        }
        response = client.post(IMPORT, data)
        assert response.status_code == 400 and "ni en UTF-8 ni en Windows-1252" in response.text


class TestConfirm:
    def test_a_stale_or_foreign_token_imports_nothing(self, client, camille):
        upload(client, f"{HEADER}\nA;B;;;;;;;\n")
        response = client.post(CONFIRM, {"token": "00000000-0000-0000-0000-000000000000"})
        assert response.status_code == 302 and not Beneficiary.objects.exists()

    def test_without_an_analysis_the_analysis_page_sends_back_to_the_upload(self, client, camille):
        response = client.get(ANALYSIS)
        assert response.status_code == 302 and response.url == IMPORT

    def test_a_get_on_the_confirmation_imports_nothing_and_leads_back_to_the_form(self, client, camille):
        response = client.get(CONFIRM)
        assert response.status_code == 302 and response.url == IMPORT
        assert not Beneficiary.objects.exists()

    def test_another_role_cannot_import(self, client, structure_manager):
        client.force_login(structure_manager)
        assert client.get(IMPORT).status_code == 403 and client.post(CONFIRM, {"token": "x"}).status_code == 403
