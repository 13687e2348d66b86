"""Issue 18 §1: our structures and places in the data·inclusion standard (schema v1.0.8, vendored), every record
checked by a standard JSON Schema validator; pagination, change feed, removals and scope of the API lists."""

import hashlib
import json
import re
from datetime import date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from jsonschema import Draft202012Validator, FormatChecker

from directory import datainclusion
from directory.enums import AccessType, Network, StructureStatus, StructureType
from tests.directory.factories import AdvisorFactory, PlaceAssignmentFactory, PlaceFactory, StructureFactory
from tests.territories.factories import commune

SCHEMAS = Path(datainclusion.__file__).resolve().parent / "data" / "schemas" / "data-inclusion"
STRUCTURES = "/api/data-inclusion/structures/"
SERVICES = "/api/data-inclusion/services/"


def _uri(value) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


FORMATS = FormatChecker()
FORMATS.checks("uri")(_uri)


def validator(kind: str) -> Draft202012Validator:
    schema = json.loads((SCHEMAS / f"{kind}.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=FORMATS)


def assert_valid(kind: str, records: list[dict]) -> None:
    """Every record validates against the vendored schema, and follows the rules its JSON Schema cannot say."""
    check = validator(kind)
    properties = set(check.schema["properties"])
    for record in records:
        errors = [f"{'/'.join(map(str, error.path))}: {error.message}" for error in check.iter_errors(record)]
        assert errors == [], (record["id"], errors)
        assert set(record) == properties  # every field of the standard, null when unknown
        assert date(2000, 1, 1) <= date.fromisoformat(record["date_maj"]) <= timezone.localdate()
        assert not record["nom"].endswith(".") or record["nom"].endswith("etc.")
        if kind == "service":
            assert "tous-publics" not in (record["publics"] or []) or record["publics"] == ["tous-publics"]


def items(client, path, **query):
    response = client.get(path, query)
    assert response.status_code == 200, response.content
    return response.json()["items"]


def staffed_place(structure=None, **place):
    """A public place of `structure` with an advisor in post."""
    structure = structure or StructureFactory(validated_at=timezone.now() - timedelta(days=10))
    return PlaceAssignmentFactory(
        advisor=AdvisorFactory(structure=structure), place=PlaceFactory(structure=structure, **place)
    ).place


class TestVendoredSchemas:
    def test_the_copies_match_the_provenance_readme(self):
        readme = (SCHEMAS / "README.md").read_text(encoding="utf-8")
        for name in ("structure.json", "service.json"):
            digest = hashlib.sha256((SCHEMAS / name).read_bytes()).hexdigest()
            assert re.search(rf"`{name}` \| `schemas/v1/{name}` \| `{digest}`", readme), name
        assert "df9ce7ff38d313951193df749e63ec4eb10d8c1a" in readme and "Licence Ouverte 2.0" in readme

    def test_the_validator_does_refuse_a_record_outside_the_standard(self):
        record = {"source": "x", "id": "x--1", "nom": "AB", "date_maj": "2026-13-01", "reseaux_porteurs": ["inconnu"]}
        messages = [error.message for error in validator("structure").iter_errors(record)]
        assert len(messages) == 3, messages  # name too short, not a date, unknown network


class TestNames:
    @pytest.mark.parametrize(
        ("name", "expected"),
        [
            ("Mairie  de   Lyon.", "Mairie de Lyon"),
            ("Ateliers, jeux, etc.", "Ateliers, jeux, etc."),
            ("AB", "AB – Lyon"),
        ],
    )
    def test_a_name_fits_the_standard(self, name, expected):
        assert datainclusion._name(name, "Lyon") == expected

    def test_a_long_name_is_cut_between_words(self):
        result = datainclusion._name("Association " + "très " * 40 + "longue", "Lyon")
        assert len(result) <= 150 and result.endswith("très…")


@pytest.mark.django_db
class TestStructures:
    def test_every_record_validates_and_carries_the_structure(self, client):
        structure = StructureFactory(
            name="Mairie de Bourg-en-Bresse",
            commune=commune("01053"),
            postal_code="",
            address="  Place de  l'Hôtel de Ville ",
            network=Network.LA_POSTE,
            france_services_label=True,
            aidants_connect_label=True,
            latitude=46.2,
            longitude=5.22,
        )
        StructureFactory(type=StructureType.PRIVATE, siret=None, ridet="1234567", in_marseille=True)
        StructureFactory(type=StructureType.DEPARTMENT, network=Network.GROUPE_SOS, name="Département.")
        records = items(client, STRUCTURES)
        assert_valid("structure", records)
        first = records[0]
        assert (
            first["id"] == f"conseiller-numerique--structure-{structure.pk}"
            and first["source"] == "conseiller-numerique"
        )
        assert (first["code_postal"], first["code_insee"], first["commune"]) == ("01000", "01053", "Bourg-en-Bresse")
        assert first["adresse"] == "Place de l'Hôtel de Ville"
        assert (first["latitude"], first["longitude"], first["siret"]) == (46.2, 5.22, structure.siret)
        assert first["reseaux_porteurs"] == [
            "conseillers-numeriques",
            "la-poste",
            "communes",
            "france-service",
            "aidants-connect",
        ]
        assert records[1]["siret"] is None and records[1]["reseaux_porteurs"] == ["conseillers-numeriques"]
        assert records[1]["latitude"] is None  # no precise point of its own: data·inclusion geocodes the address
        assert records[2]["nom"] == "Département" and records[2]["reseaux_porteurs"] == [
            "conseillers-numeriques",
            "departements",
        ]

    def test_no_contact_person_is_published(self, client):
        StructureFactory(contact_email="jeanne.contact@mairie.test", contact_phone="0123456789")
        (record,) = items(client, STRUCTURES)
        assert record["telephone"] is None and record["courriel"] is None
        assert "jeanne" not in json.dumps(record).lower()

    def test_only_published_structures_are_listed(self, client):
        published = StructureFactory(validated_at=timezone.now() - timedelta(days=1))
        StructureFactory(just_applied=True)
        StructureFactory(validated_at=timezone.now() + timedelta(days=2))
        assert [record["id"] for record in items(client, STRUCTURES)] == [datainclusion.structure_id(published.pk)]

    def test_a_structure_validated_in_the_future_appears_as_a_change_of_its_validation_day(self, client):
        later = timezone.now() + timedelta(days=2)
        structure = StructureFactory(validated_at=later)
        assert items(client, STRUCTURES, updated_since=timezone.now().isoformat()) == []
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(timezone, "now", lambda: later + timedelta(hours=1))
            (record,) = items(client, STRUCTURES, updated_since=(later - timedelta(minutes=1)).isoformat())
        assert record["id"] == datainclusion.structure_id(structure.pk)
        assert record["date_maj"] == timezone.localdate(later).isoformat()

    def test_it_is_a_few_queries_whatever_the_number_of_structures(self, client, django_assert_max_num_queries):
        for index in range(30):
            StructureFactory(in_marseille=index % 2 == 0)
        items(client, STRUCTURES)  # the change feed's first synchronisation writes its rows
        with django_assert_max_num_queries(4):
            assert len(items(client, STRUCTURES, limit=100)) == 30


@pytest.mark.django_db
class TestServices:
    def test_every_record_validates_and_describes_the_place(self, client):
        structure = StructureFactory(commune=commune("97105"), postal_code="97100")
        guadeloupe = staffed_place(
            structure,
            phone="0590 12 34 56",
            email="lieu@basse-terre.test",
            access_types=[AccessType.FREE, AccessType.APPOINTMENT],
            opening_hours={"lundi": {"matin": ["09:00", "12:00"], "apres_midi": None}},
        )
        paris = staffed_place(phone="01 23 45 67 89", access_types=[AccessType.APPOINTMENT], itinerant=True)
        silent = staffed_place(phone="12", access_types=[AccessType.NO_PUBLIC], latitude=None, longitude=None)
        records = {record["id"]: record for record in items(client, SERVICES)}
        assert_valid("service", list(records.values()))
        first = records[datainclusion.service_id(guadeloupe.pk)]
        assert first["structure_id"] == datainclusion.structure_id(structure.pk)
        assert first["telephone"] == "+590590123456"
        assert first["modes_mobilisation"] == ["se-presenter", "telephoner", "envoyer-un-courriel"]
        assert first["modes_accueil"] == ["en-presentiel"] and first["zone_eligibilite"] == ["971"]
        assert first["horaires_accueil"] == "Mo 09:00-12:00"
        assert (first["frais"], first["type"], first["publics"]) == ("gratuit", "accompagnement", ["tous-publics"])
        assert first["lien_source"] == "http://testserver/trouver-un-conseiller/?commune=97105"
        assert all(value.startswith("numerique--") or "demarches" in value for value in first["thematiques"])
        second = records[datainclusion.service_id(paris.pk)]
        assert second["telephone"] == "+33123456789" and second["mobilisation_precisions"] == "Sur rendez-vous."
        assert "itinérant" in second["description"]
        third = records[datainclusion.service_id(silent.pk)]
        assert third["telephone"] is None and third["modes_accueil"] is None and third["modes_mobilisation"] is None
        assert third["latitude"] is None and "n'accueille pas de public" in third["mobilisation_precisions"]

    def test_only_public_staffed_places_of_published_structures_are_listed(self, client):
        listed = staffed_place()
        staffed_place(is_public=False)
        staffed_place(removed_at=timezone.now())
        PlaceFactory()  # nobody in post there
        PlaceAssignmentFactory(advisor=AdvisorFactory(ended=True))
        staffed_place(StructureFactory(validated_at=timezone.now() + timedelta(days=3)))
        staffed_place(StructureFactory(just_applied=True))
        assert [record["id"] for record in items(client, SERVICES)] == [datainclusion.service_id(listed.pk)]

    def test_it_is_a_few_queries_whatever_the_number_of_places(self, client, django_assert_max_num_queries):
        structure = StructureFactory()
        for _ in range(20):
            staffed_place(structure)
        items(client, SERVICES)
        with django_assert_max_num_queries(4):
            assert len(items(client, SERVICES, limit=100)) == 20


@pytest.mark.django_db
class TestPaginationAndChangeFeed:
    def test_pages_follow_the_shared_envelope(self, client):
        structures = [StructureFactory() for _ in range(5)]
        body = client.get(STRUCTURES, {"limit": 2, "offset": 2}).json()
        assert (body["count"], body["limit"], body["offset"]) == (5, 2, 2)
        assert [record["id"] for record in body["items"]] == [
            datainclusion.structure_id(s.pk) for s in structures[2:4]
        ]
        assert body["next"] == "http://testserver/api/data-inclusion/structures/?limit=2&offset=4"
        assert body["previous"] == "http://testserver/api/data-inclusion/structures/?limit=2&offset=0"

    @pytest.mark.parametrize("query", [{"limit": 0}, {"limit": 501}, {"offset": -1}, {"updated_since": "hier"}])
    @pytest.mark.parametrize("path", [STRUCTURES, SERVICES, STRUCTURES + "suppressions/", SERVICES + "suppressions/"])
    def test_bad_parameters_answer_422(self, client, path, query):
        assert client.get(path, query).status_code == 422

    def test_updated_since_keeps_the_changes_and_pages_with_a_cursor(self, client):
        StructureFactory()
        items(client, STRUCTURES)  # first synchronisation of the feed
        since = timezone.now()
        changed = [StructureFactory() for _ in range(3)]
        body = client.get(STRUCTURES, {"updated_since": since.isoformat(), "limit": 2}).json()
        assert body["count"] == 3 and body["previous"] is None
        assert [record["id"] for record in body["items"]] == [datainclusion.structure_id(s.pk) for s in changed[:2]]
        rest = client.get(body["next"]).json()
        assert [record["id"] for record in rest["items"]] == [datainclusion.structure_id(changed[2].pk)]
        assert rest["next"] is None

    def test_a_place_that_leaves_is_listed_in_the_service_removals(self, client):
        place = staffed_place()
        kept = staffed_place()
        items(client, SERVICES)
        since = timezone.now()
        place.is_public = False
        place.save()
        assert [record["id"] for record in items(client, SERVICES)] == [datainclusion.service_id(kept.pk)]
        (removal,) = items(client, SERVICES + "suppressions/", updated_since=since.isoformat())
        assert removal["id"] == datainclusion.service_id(place.pk)
        assert datetime.fromisoformat(removal["supprime_le"]) >= since

    def test_a_structure_no_longer_validated_is_listed_in_the_structure_removals(self, client):
        structure = StructureFactory()
        items(client, STRUCTURES)
        structure.status = StructureStatus.ABANDONED
        structure.save()
        assert items(client, STRUCTURES) == []
        (removal,) = items(client, STRUCTURES + "suppressions/")
        assert removal["id"] == datainclusion.structure_id(structure.pk)


@pytest.mark.django_db
class TestOpenApi:
    def test_the_lists_are_documented_with_the_standard_enumerations(self, client):
        spec = client.get("/api/openapi.json").json()
        for path in (STRUCTURES, SERVICES, STRUCTURES + "suppressions/", SERVICES + "suppressions/"):
            assert spec["paths"][path]["get"]["tags"] == ["data·inclusion"]
        text = json.dumps(spec, ensure_ascii=False)
        assert "numerique--maitriser-les-fondamentaux-du-numerique" in text and "conseillers-numeriques" in text
