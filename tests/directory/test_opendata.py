"""Public places as open data in the « lieux de médiation numérique » schema v1.0.2 (row content, API, order)."""

import csv
import io
import re
from datetime import UTC, datetime

import pytest
from django.utils import timezone

from directory.models import Place, Structure
from directory.opendata import EXTENSION_FIELDS, FIELDS, lieu_row, lieux_de_mediation_numerique, pivot, shorten
from directory.opening_hours import opening_hours_lines, osm_opening_hours
from directory.selectors import located_public_places
from tests.directory.factories import AdvisorFactory, PlaceAssignmentFactory, PlaceFactory, StructureFactory
from tests.territories.factories import commune

# Value lists of the schema v1.0.2 (its patterns): the values we may emit.
SERVICES = {
    "Acquisition de matériel informatique à prix solidaire",
    "Aide aux démarches administratives",
    "Maîtrise des outils numériques du quotidien",
    "Insertion professionnelle via le numérique",
    "Utilisation sécurisée du numérique",
    "Parentalité et éducation avec le numérique",
    "Loisirs et créations numériques",
    "Compréhension du monde numérique",
    "Accès internet et matériel informatique",
}
MODALITES_ACCOMPAGNEMENT = {"En autonomie", "Accompagnement individuel", "Dans un atelier collectif", "À distance"}
DISPOSITIFS = {"Aidants Connect", "Conseillers numériques", "France Services"}
SCHEMA_ORDER = (
    "id pivot nom commune code_postal code_insee adresse complement_adresse latitude longitude typologie telephone "
    "courriels site_web horaires presentation_resume presentation_detail source itinerance structure_parente date_maj "
    "services publics_specifiquement_adresses prise_en_charge_specifique frais_a_charge "
    "dispositif_programmes_nationaux formations_labels autres_formations_labels modalites_acces "
    "modalites_accompagnement fiche_acces_libre prise_rdv"
).split()
CODE_POSTAL = re.compile(r"^\d{5}$")
CODE_INSEE = re.compile(r"^([013-9]\d|2[AB1-9])\d{3}$")
VOIE = re.compile(r"^[0-9A-Za-z\dÀ-ÖØ-öø-ÿœ-ŸŒ\-,()°.&:+–|;'’/\s]+$")
DAY = "(Mo|Tu|We|Th|Fr|Sa|Su)"
OSM_RULE = re.compile(rf"^{DAY}([-,]{DAY})* \d{{2}}:\d{{2}}-\d{{2}}:\d{{2}}(,\d{{2}}:\d{{2}}-\d{{2}}:\d{{2}})*$")

WEEKDAYS = {"matin": ["09:00", "12:30"], "apres_midi": ["13:30", "17:30"]}
HOURS = {
    "lundi": WEEKDAYS,
    "mardi": WEEKDAYS,
    "mercredi": {"matin": ["09:00", "12:30"], "apres_midi": None},
    "jeudi": WEEKDAYS,
    "vendredi": WEEKDAYS,
    "samedi": {"matin": ["10:00", "12:00"], "apres_midi": None},
    "dimanche": {"matin": None, "apres_midi": None},
}


@pytest.fixture
def place(db):
    paris = commune("75111")
    structure = StructureFactory(
        commune=paris, france_services_label=True, network="emmaus-connect", siret="90000000100017"
    )
    assignment = PlaceAssignmentFactory(
        place__structure=structure,
        place__name="Médiathèque du 11e",
        place__address="11 rue de la République",
        place__postal_code="75011",
        place__opening_hours=HOURS,
        place__access_types=["libre", "rdv"],
        place__phone="01 43 00 00 00",
        place__email="mediatheque@paris.fr",
        advisor__structure=structure,
    )
    return assignment.place


class TestOpeningHours:
    def test_it_groups_identical_days_in_osm_format(self):
        assert osm_opening_hours(HOURS) == (
            "Mo,Tu 09:00-12:30,13:30-17:30; We 09:00-12:30; Th,Fr 09:00-12:30,13:30-17:30; Sa 10:00-12:00"
        )
        every_day = dict.fromkeys(("lundi", "mardi", "mercredi", "jeudi", "vendredi"), WEEKDAYS)
        assert osm_opening_hours(every_day) == "Mo-Fr 09:00-12:30,13:30-17:30"
        assert osm_opening_hours({}) == ""

    def test_it_writes_hours_in_french(self):
        lines = dict(opening_hours_lines(HOURS))
        assert lines["Lundi"] == "9 h – 12 h 30 et 13 h 30 – 17 h 30"
        assert "Dimanche" not in lines


class TestLieuxDeMediationNumerique:
    def test_the_columns_are_the_schemas_in_its_order(self):
        assert FIELDS == SCHEMA_ORDER

    def test_it_writes_a_place_in_the_schema(self, place):
        row = lieux_de_mediation_numerique()[0]
        assert list(row) == [field for field in [*FIELDS, *EXTENSION_FIELDS] if field in row]  # the schema's order
        assert row["id"] == f"conseiller-numerique-lieu-{place.pk}"
        assert row["pivot"] == "90000000100017"
        assert row["commune"] == "Paris 11e Arrondissement" and row["code_insee"] == "75111"
        assert CODE_POSTAL.match(row["code_postal"]) and CODE_INSEE.match(row["code_insee"])
        assert VOIE.match(row["adresse"])
        assert set(row["services"].split("|")) <= SERVICES
        assert set(row["modalites_acces"].split("|")) == {"Se présenter", "Téléphoner", "Contacter par mail"}
        assert set(row["modalites_accompagnement"].split("|")) <= MODALITES_ACCOMPAGNEMENT
        assert set(row["dispositif_programmes_nationaux"].split("|")) == {"Conseillers numériques", "France Services"}
        assert set(row["dispositif_programmes_nationaux"].split("|")) <= DISPOSITIFS
        assert row["structure_parente"] == "Emmaüs Connect"
        assert row["frais_a_charge"] == "Gratuit" and row["itinerance"] == "Fixe"
        assert row["telephone"] == "+33143000000"  # stored as typed before the international form, written in it
        assert row["precision_coordonnees"] == "commune"
        assert (
            row["presentation_resume"].startswith("Accompagnement gratuit") and len(row["presentation_resume"]) <= 280
        )
        assert all(OSM_RULE.match(rule) for rule in row["horaires"].split("; "))
        assert isinstance(row["latitude"], float) and 48 < row["latitude"] < 49
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["date_maj"])
        # No personal data: advisors are not part of the schema.
        assert place.advisors.get().last_name not in str(row)

    def test_it_leaves_out_empty_fields_and_invalid_phones(self, place):
        place.email, place.phone, place.access_types = "", "appeler la mairie", ["prive"]
        place.structure.siret = None
        place.structure.save()
        row = lieu_row(_located(place))
        assert "courriels" not in row and "telephone" not in row and "site_web" not in row
        assert row["pivot"] == "00000000000000"
        assert row["modalites_acces"] == "Ce lieu n'accueille pas de public"

    def test_it_publishes_only_public_places_with_an_advisor_in_post(self, place):
        hidden = PlaceAssignmentFactory(place__is_public=False).place
        removed = PlaceAssignmentFactory(place__removed_at=timezone.now()).place
        unstaffed = PlaceFactory()
        ended = PlaceAssignmentFactory(advisor=AdvisorFactory(ended=True)).place
        ids = {row["id"] for row in lieux_de_mediation_numerique()}
        assert ids == {f"conseiller-numerique-lieu-{place.pk}"}
        for other in (hidden, removed, unstaffed, ended):
            assert f"conseiller-numerique-lieu-{other.pk}" not in ids

    def test_it_filters_by_department_and_commune(self, place):
        PlaceAssignmentFactory(place__structure=StructureFactory(in_marseille=True))
        assert len(lieux_de_mediation_numerique()) == 2
        assert len(lieux_de_mediation_numerique(department="75")) == 1
        assert len(lieux_de_mediation_numerique(commune="75111")) == 1
        assert lieux_de_mediation_numerique(commune="13055")[0]["code_insee"] == "13055"


def _located(place):
    """The place as the open data query loads it (coordinates annotated), with its unsaved changes."""
    located = located_public_places().get(pk=place.pk)
    located.email, located.phone, located.access_types = place.email, place.phone, place.access_types
    return located


class TestOpenDataAPI:
    def test_it_serves_json_and_csv(self, place, client):
        response = client.get("/api/lieux-mediation-numerique/")
        assert response.status_code == 200
        rows = response.json()["items"]
        assert rows[0]["nom"] == "Médiathèque du 11e"
        assert "complement_adresse" not in rows[0]  # empty optional fields are left out
        csv_response = client.get("/api/lieux-mediation-numerique.csv?departement=75")
        assert csv_response["Content-Type"] == "text/csv; charset=utf-8"
        assert "attachment" in csv_response["Content-Disposition"]
        parsed = list(csv.DictReader(io.StringIO(csv_response.content.decode())))
        assert list(parsed[0]) == FIELDS
        assert parsed[0]["nom"] == "Médiathèque du 11e" and parsed[0]["complement_adresse"] == ""

    def test_it_refuses_malformed_filters(self, db, client):
        response = client.get("/api/lieux-mediation-numerique/?departement=Paris")
        assert response.status_code == 422
        assert "« departement » n'a pas le format attendu" in response.json()["erreurs"][0]["message"]

    def test_it_stays_under_its_query_budget(self, place, client, django_assert_max_num_queries):
        for _ in range(5):
            PlaceAssignmentFactory()
        # The page, its count, the change feed's check (published ids, its rows; this first read also records them:
        # savepoint, insert, release) and the feed's two latest dates.
        with django_assert_max_num_queries(9):
            assert len(client.get("/api/lieux-mediation-numerique/").json()["items"]) == 6


class TestSchemaValues:
    def test_the_pivot_is_a_fully_valid_siret_or_the_placeholder(self, place):
        structure = place.structure
        assert pivot(structure) == "90000000100017"
        # SIRET key right, SIREN key wrong (732829321 fails Luhn): never published as a pivot.
        structure.siret = "73282932100072"
        assert pivot(structure) == "00000000000000"
        structure.siret, structure.ridet = None, "1234567001"
        assert pivot(structure) == "1234567001"  # a RIDET with its establishment fits the pattern
        structure.ridet = "1234567"
        assert pivot(structure) == "00000000000000"  # 7 characters: shorter than the pattern's 9
        assert pivot(None) == "00000000000000"

    def test_the_summary_stays_within_280_characters(self, place):
        place.structure.name = "Association " + "très " * 47 + "longue"  # 253 characters, the field allows 255
        place.structure.save()
        row = lieu_row(_located(place))
        assert len(row["presentation_resume"]) <= 280 and row["presentation_resume"].endswith("…")
        assert shorten("court") == "court"
        assert shorten("un deux trois", 9) == "un deux…"

    def test_overseas_phones_and_unusable_ones(self, place):
        place.phone = "0590 12 34 56"
        assert lieu_row(_located(place))["telephone"] == "+590590123456"
        place.phone = "3646"
        row = lieu_row(_located(place))
        assert "telephone" not in row
        assert "Téléphoner" not in row["modalites_acces"]  # no number to call

    def test_the_update_date_is_the_latest_of_place_and_structure_in_paris_time(self, place):
        # 23:30 UTC on 31 December is already 1 January in Paris.
        Place.objects.filter(pk=place.pk).update(updated_at=datetime(2026, 12, 31, 23, 30, tzinfo=UTC))
        Structure.objects.filter(pk=place.structure_id).update(updated_at=datetime(2026, 6, 1, tzinfo=UTC))
        assert lieux_de_mediation_numerique()[0]["date_maj"] == "2027-01-01"
        Structure.objects.filter(pk=place.structure_id).update(updated_at=datetime(2027, 3, 2, 10, tzinfo=UTC))
        assert lieux_de_mediation_numerique()[0]["date_maj"] == "2027-03-02"

    def test_the_precision_of_the_coordinates(self, place):
        Place.objects.filter(pk=place.pk).update(latitude=48.86, longitude=2.37, coordinates_precision="saisie")
        assert lieux_de_mediation_numerique()[0]["precision_coordonnees"] == "saisie"
        Place.objects.filter(pk=place.pk).update(latitude=None, longitude=None, coordinates_precision="adresse")
        row = lieux_de_mediation_numerique()[0]
        assert row["precision_coordonnees"] == "commune"  # the commune's centre stands in
        assert row["latitude"] == place.commune.latitude


class TestOpenDataFormats:
    def test_the_json_keeps_the_schemas_order_and_adds_the_precision_last(self, place, client):
        item = client.get("/api/lieux-mediation-numerique/").json()
        item = item["items"][0] if isinstance(item, dict) else item[0]
        assert list(item) == [field for field in [*FIELDS, *EXTENSION_FIELDS] if field in item]
        assert item["precision_coordonnees"] == "commune" and item["telephone"] == "+33143000000"

    def test_the_csv_has_exactly_the_schemas_columns(self, place, client):
        response = client.get("/api/lieux-mediation-numerique.csv")
        text = response.content.decode("utf-8")
        assert not text.startswith("\ufeff")  # no BOM: the standard's validators read the first label as is
        assert text.splitlines()[0] == ",".join(SCHEMA_ORDER)
        assert "precision_coordonnees" not in text
