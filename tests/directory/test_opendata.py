"""Public places as open data in the « lieux de médiation numérique » schema (npm package 2.3.0 as reference)."""

import csv
import io
import re

import pytest
from django.utils import timezone

from directory.opendata import FIELDS, lieu_row, lieux_de_mediation_numerique
from directory.opening_hours import opening_hours_lines, osm_opening_hours
from directory.selectors import located_public_places
from tests.directory.factories import AdvisorFactory, PlaceAssignmentFactory, PlaceFactory, StructureFactory
from tests.territories.factories import commune

# Enumerations of @gouvfr-anct/lieux-de-mediation-numerique 2.3.0 (lib/esm/models/*): the values we may emit.
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
MODALITES_ACCES = {
    "Se présenter",
    "Téléphoner",
    "Contacter par mail",
    "Envoyer un mail avec une fiche de prescription",
    "Prendre un RDV en ligne",
    "Ce lieu n'accueille pas de public",
}
MODALITES_ACCOMPAGNEMENT = {"En autonomie", "Accompagnement individuel", "Dans un atelier collectif", "À distance"}
DISPOSITIFS = {"Aidants Connect", "Conseillers numériques", "France Services"}
CODE_POSTAL = re.compile(r"^\d{5}$")
CODE_INSEE = re.compile(r"^(?:[013-9]\d|2[AB1-9])(?:0?\d{3}|-\d-\d{2}-\d{3})$")
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
    def test_it_writes_a_place_in_the_schema(self, place):
        row = lieux_de_mediation_numerique()[0]
        assert list(row) == [field for field in FIELDS if field in row]  # the schema's column order
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
        assert row["telephone"] == "01 43 00 00 00"
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
