"""The whole places export, validated by the standard Table Schema validator against the vendored official schema.

`frictionless` in its default mode, as the schema's own CI runs it (`frictionless validate --schema schema.json
file.csv`): labels and their order, types, required values, patterns, uniqueness of the primary key.
"""

import hashlib
import json
import re
from pathlib import Path

import pytest
from frictionless import Resource, Schema

from directory.enums import AccessType, Network, StructureType
from directory.opendata import SCHEMA_PATH, SCHEMA_VERSION
from directory.validators import luhn_valid
from tests.directory.factories import AdvisorFactory, PlaceAssignmentFactory, StructureFactory
from tests.territories.factories import CommuneFactory, commune

PROVENANCE = SCHEMA_PATH.parent / "README.md"
WEEKDAYS = {"matin": ["09:00", "12:30"], "apres_midi": ["13:30", "17:30"]}
PHONES = [
    "01 43 00 00 00",
    "+33 (0)4 91 00 00 00",
    "0033 6 12 34 56 78",
    "0590 12 34 56",
    "0262 12 34 56",
    "0269 61 23 45",
    "0596 52 12 34",
    "0594 12 34 56",
    "appeler la mairie",  # a legacy value that is no number: left out
    "3646",
    "",
]
COMMUNES = ["75111", "13055", "69123", "2A004", "97105", "97411", "97101", "97209", "97302", "97611", "59350"]
TYPES = list(StructureType)
NETWORKS = ["", *Network.values]


def _schema() -> Schema:
    with SCHEMA_PATH.open(encoding="utf-8") as handle:
        return Schema.from_descriptor(json.load(handle))


def _errors(csv_bytes: bytes) -> list:
    report = Resource(data=csv_bytes, format="csv", schema=_schema()).validate()
    return report.flatten(["rowNumber", "fieldName", "type", "note"])


def _siren_key_wrong(index: int) -> str:
    """A SIRET whose SIRET key is right and SIREN key wrong."""
    siren = next(f"8{index:07d}{key}" for key in "0123456789" if not luhn_valid(f"8{index:07d}{key}"))
    return next(f"{siren}0001{key}" for key in "0123456789" if luhn_valid(f"{siren}0001{key}"))


@pytest.fixture
def network(db):
    """Demo-like places: every structure type and network, labels, overseas communes, odd legacy values."""
    lonely = CommuneFactory(department_code="75", latitude=None, longitude=None)  # no coordinates anywhere
    for index in range(66):
        code = COMMUNES[index % len(COMMUNES)]
        place_commune = lonely if index == 65 else commune(code)
        structure = StructureFactory(
            commune=place_commune,
            postal_code=place_commune.main_postal_code,
            type=TYPES[index % len(TYPES)],
            network=NETWORKS[index % len(NETWORKS)],
            france_services_label=index % 3 == 0,
            aidants_connect_label=index % 4 == 0,
            name=("Association " + "très " * 47 + "longue") if index % 9 == 0 else f'Structure "{index}", quartier',
        )
        if index % 10 == 1:
            structure.siret = _siren_key_wrong(index)  # saved by an old import: becomes the placeholder
        elif index % 10 == 2:
            structure.siret, structure.ridet = None, f"{1234000 + index}001"
        elif index % 10 == 3:
            structure.siret = None
        structure.save()
        hours = {"lundi": WEEKDAYS, "samedi": {"matin": ["10:00", "12:00"], "apres_midi": None}} if index % 5 else {}
        access = [[AccessType.FREE], [AccessType.APPOINTMENT], [AccessType.FREE, AccessType.APPOINTMENT]][index % 3]
        PlaceAssignmentFactory(
            advisor=AdvisorFactory(structure=structure),
            place__structure=structure,
            place__commune=place_commune,
            place__postal_code="7501" if index % 13 == 0 else place_commune.main_postal_code,  # legacy: 4 digits
            place__name=f"- Lieu n°{index}, « numérique » ; accès" if index % 7 == 0 else f"Médiathèque {index}",
            place__address=f"{index} rue de la République\nbâtiment B" if index % 8 == 0 else f"{index} rue Haute",
            place__latitude=None if index % 6 == 0 else place_commune.latitude,
            place__longitude=None if index % 6 == 0 else place_commune.longitude,
            place__coordinates_precision=["adresse", "rue", "commune", "saisie"][index % 4],
            place__phone=PHONES[index % len(PHONES)],
            place__email=f"lieu{index}@mairie.test" if index % 2 else "",
            place__website=f"https://lieu{index}.test/page?a=1&b=2" if index % 3 else "",
            place__itinerant=index % 4 == 0,
            place__opening_hours=hours,
            place__access_types=[AccessType.NO_PUBLIC] if index == 64 else access,
        )


class TestWholeExport:
    def test_the_standard_validator_finds_no_error(self, network, client):
        response = client.get("/api/lieux-mediation-numerique.csv")
        assert response.status_code == 200
        lines = response.content.decode("utf-8").count("\n")
        assert lines > 66  # the header, 66 places (one with a line break in its address)
        assert _errors(response.content) == []

    def test_the_export_exercises_what_it_claims(self, network, client):
        rows = client.get("/api/lieux-mediation-numerique/?limit=500").json()["items"]
        assert len(rows) == 66
        phones = {row.get("telephone", "")[:4] for row in rows}
        assert {"+331", "+334", "+336", "+590", "+262", "+596", "+594", ""} <= phones
        assert any("latitude" not in row for row in rows)  # the commune without coordinates
        assert {row["pivot"] for row in rows} >= {"00000000000000", "1234002001"}
        assert any(row["presentation_resume"].endswith("…") for row in rows)
        assert any(row["code_insee"] == "2A004" for row in rows)
        assert {row.get("precision_coordonnees") for row in rows} >= {"adresse", "rue", "commune", "saisie", None}

    def test_the_validator_does_see_errors(self, network, client):
        """The check is not vacuous: a national phone or a column out of order are reported."""
        content = client.get("/api/lieux-mediation-numerique.csv").content.decode("utf-8")
        national = content.replace("+33143000000", "0143000000", 1)
        assert {(error[1], error[2]) for error in _errors(national.encode())} == {("telephone", "constraint-error")}
        header, rest = content.split("\n", 1)
        columns = header.split(",")
        columns[1], columns[2] = columns[2], columns[1]
        assert any(error[2] == "incorrect-label" for error in _errors((",".join(columns) + "\n" + rest).encode()))

    def test_the_schemas_own_valid_example_passes(self):
        example = (Path(__file__).parent / "data" / "lieux-exemple-valide.csv").read_bytes()
        assert _errors(example) == []


class TestVendoredSchema:
    def test_its_sha256_is_the_one_of_the_provenance_note(self):
        digest = hashlib.sha256(SCHEMA_PATH.read_bytes()).hexdigest()
        note = PROVENANCE.read_text(encoding="utf-8")
        assert re.search(r"\| sha256 \| `([0-9a-f]{64})` \|", note)[1] == digest
        assert "13b05e2eba70227343ae5b176a155ac3878867e7" in note

    def test_it_is_the_version_we_claim(self):
        descriptor = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
        assert descriptor["version"] == SCHEMA_VERSION == "v1.0.2"
        assert descriptor["primaryKey"] == "id"
        assert [license["name"] for license in descriptor["licenses"]] == ["etalab-2.0"]
