"""Import of structures, conseillers, permanences, misesEnRelation and conseillersRuptures into the directory."""

import csv
import json
from datetime import UTC, date, datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from directory.enums import (
    AdvisorStatus,
    ContractEndReason,
    ContractStatus,
    ContractType,
    ConventionEventKind,
    ConventionStatus,
    StructureStatus,
    StructureType,
)
from directory.models import Advisor, Contract, Convention, Place, PlaceAssignment, Structure
from switchover import extjson
from switchover.importers.directory import (
    AdvisorsImporter,
    ContractsImporter,
    PlacesImporter,
    RupturesImporter,
    StructuresImporter,
    conventions_plan,
    opening_hours,
)
from switchover.importers.legacy_values import paris_date, phone
from switchover.models import LegacyRecord, Rejection
from switchover.pipeline import Rejected, Skipped, run_import
from switchover.rejects import write_rejections
from tests.territories.factories import commune

SAMPLE = Path(__file__).parent / "sample"
TODAY = date(2024, 6, 1)
ORDER = [
    ("structures", StructuresImporter),
    ("conseillers", AdvisorsImporter),
    ("permanences", PlacesImporter),
    ("misesEnRelation", ContractsImporter),
    ("conseillersRuptures", RupturesImporter),
]


def sample(collection: str) -> list[dict]:
    with (SAMPLE / f"{collection}.json").open("rb") as handle:
        return [extjson.loads(line) for line in handle if line.strip()]


def sample_lines(collection: str) -> list[dict]:
    with (SAMPLE / f"{collection}.json").open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def write_lines(path: Path, documents: list[dict]) -> str:
    path.write_text("\n".join(json.dumps(document, ensure_ascii=False) for document in documents) + "\n", "utf-8")
    return str(path)


def importer(cls, **kwargs):
    return cls(today=TODAY) if cls is StructuresImporter else cls()


def run(cls, path, **kwargs):
    return run_import(importer(cls), str(path), progress=False, print_=lambda *_: None, **kwargs)


def import_sample():
    return {name: run(cls, SAMPLE / f"{name}.json") for name, cls in ORDER}


@pytest.fixture
def communes(db):
    return {code: commune(code) for code in ("01053", "01283", "01173")}


def target(collection: str, external_id: str):
    return LegacyRecord.objects.get(collection=collection, external_id=external_id).target_id


# --- pure conversions --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime(2021, 3, 15, 0, 0, tzinfo=UTC), date(2021, 3, 15)),  # UTC midnight
        (datetime(2021, 3, 14, 23, 0, tzinfo=UTC), date(2021, 3, 15)),  # Paris midnight in winter
        (datetime(2021, 6, 30, 22, 0, tzinfo=UTC), date(2021, 7, 1)),  # Paris midnight in summer
        ("15/03/2021", date(2021, 3, 15)),
        ("2021-03-15", date(2021, 3, 15)),
        (None, None),
        ("n'importe quoi", None),
    ],
)
def test_date_only_fields_are_read_as_paris_dates(value, expected):
    assert paris_date(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("04 50 00 00 00", "+33450000000"), ("+33474450000", "+33474450000"), ("04.74.45", ""), (None, "")],
)
def test_phones_are_compacted_or_left_out(value, expected):
    assert phone(value) == expected


# --- structures --------------------------------------------------------------------------------------------------


def structure_document(**changes) -> dict:
    document = sample("structures")[0]
    document.update(changes)
    return document


@pytest.mark.parametrize(
    ("legacy", "ours"),
    [
        ("COMMUNE", StructureType.COMMUNE),
        ("DEPARTEMENT", StructureType.DEPARTMENT),
        ("REGION", StructureType.REGION),
        ("EPCI", StructureType.EPCI),
        ("COLLECTIVITE", StructureType.SPECIAL_STATUS),
        ("GIP", StructureType.GIP),
        ("PRIVATE", StructureType.PRIVATE),
    ],
)
def test_structure_types(legacy, ours):
    assert StructuresImporter(today=TODAY).map(structure_document(type=legacy)).fields["type"] == ours


@pytest.mark.parametrize(
    ("legacy", "ours", "kept"),
    [
        ("CREEE", StructureStatus.CREATED, False),
        ("EXAMEN_COMPLEMENTAIRE_COSELEC", StructureStatus.CREATED, True),
        ("VALIDATION_COSELEC", StructureStatus.VALIDATED, False),
        ("REFUS_COSELEC", StructureStatus.REFUSED, False),
        ("REFUS_COORDINATEUR", StructureStatus.REFUSED, True),
        ("ABANDON", StructureStatus.ABANDONED, False),
        ("ANNULEE", StructureStatus.CANCELLED, False),
        ("DOUBLON", StructureStatus.DUPLICATE, False),
    ],
)
def test_structure_statuses_and_the_lossy_ones_kept_in_raw(legacy, ours, kept):
    row = StructuresImporter(today=TODAY).map(structure_document(statut=legacy))
    assert row.fields["status"] == ours
    assert (row.raw.get("statut") == legacy) is kept


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"type": "ASSOCIATION"}, "type de structure inconnu : « ASSOCIATION »"),
        ({"statut": "PERDUE"}, "statut de structure inconnu : « PERDUE »"),
        ({"nom": "  "}, "dénomination manquante"),
        ({"codeCommune": None, "insee": None}, "code commune manquant"),
    ],
)
def test_structure_refusals(changes, reason):
    with pytest.raises(Rejected, match=reason):
        StructuresImporter(today=TODAY).map(structure_document(**changes))


def test_structure_fields():
    row = StructuresImporter(today=TODAY).map(structure_document())
    fields = row.fields
    assert fields["siret"] == "21010053300012"
    assert fields["name"] == "COMMUNE DE BOURG-EN-BRESSE"
    assert fields["address"] == "11 RUE DE LA REPUBLIQUE"
    assert fields["postal_code"] == "01000"
    assert (fields["latitude"], fields["longitude"]) == (46.2052, 5.2256)
    assert (fields["contact_first_name"], fields["contact_last_name"]) == ("Claire", "Martin")
    assert fields["contact_function"] == "Directrice du CCAS"
    assert fields["contact_email"] == "c.martin@bourgenbresse.fr"
    assert fields["contact_phone"] == "+33474450000"
    assert fields["france_services_label"] is True
    assert fields["aidants_connect_label"] is False
    assert fields["qpv"] is True
    assert fields["zrr"] is False
    assert fields["posts_granted"] == 3  # the last POSITIF coselec
    assert fields["validated_at"] == datetime(2021, 1, 14, tzinfo=UTC)  # coselecAt of a validated structure
    assert fields["created_at"] == datetime(2020, 11, 20, 9, 10, tzinfo=UTC)
    assert row.legacy_number == 1201
    assert row.refs == {"commune": "01053"}
    # Unmapped fields are kept, mapped ones are not duplicated.
    assert row.raw["motivation"] == "Accompagner les habitants du quartier de la Reyssouze."
    assert row.raw["prefet"][0]["avisPrefet"] == "POSITIF"
    assert row.raw["demandesCoselec"][0]["motif"] == "Ouverture d'un second lieu"
    assert row.raw["conventionnement"]["statut"] == "RECONVENTIONNEMENT_VALIDÉ"
    assert "nom" not in row.raw and "siret" not in row.raw and "contact" not in row.raw


def test_invalid_siret_is_left_out_and_kept_in_raw():
    row = StructuresImporter(today=TODAY).map(structure_document(siret="21010053200015"))
    assert row.fields["siret"] is None
    assert row.raw["siret_invalide"] == "21010053200015"


def test_refused_coselec_entries_and_unknown_network_stay_in_raw():
    document = sample("structures")[2]
    document["reseau"] = "Réseau inconnu"
    row = StructuresImporter(today=TODAY).map(document)
    assert row.fields["posts_granted"] == 0
    assert row.raw["coselec_non_positifs"][0]["avisCoselec"] == "NÉGATIF"
    assert row.raw["reseau"] == "Réseau inconnu"
    assert row.fields["network"] == ""


def test_known_network_is_mapped():
    assert StructuresImporter(today=TODAY).map(structure_document(reseau="Emmaüs Connect")).fields["network"] == (
        "emmaus-connect"
    )


def test_conventions_of_phase_one_and_two_with_the_avenant():
    first, second = conventions_plan(sample("structures")[0], today=TODAY)
    assert (first["phase"], first["start"], first["end"]) == (1, date(2021, 1, 14), date(2023, 1, 9))
    assert first["status"] == ConventionStatus.RENEWED
    assert [(e["kind"], e["delta"], e["on"], e["reference"]) for e in first["events"]] == [
        (ConventionEventKind.GRANT, 2, date(2021, 1, 14), "COSELEC 3")
    ]
    # Phase 2 began with an avenant: the renewal carries the two posts over from the reconventionnement's acceptance.
    assert (second["phase"], second["start"], second["end"]) == (2, date(2023, 1, 10), date(2026, 1, 9))
    assert second["status"] == ConventionStatus.ACTIVE
    assert [(e["kind"], e["delta"], e["on"]) for e in second["events"]] == [
        (ConventionEventKind.RENEWAL, 2, date(2023, 1, 10)),
        (ConventionEventKind.POSTS_ADDED, 1, date(2023, 2, 2)),
    ]
    assert second["events"][1]["comment"] == "Ouverture d'un second lieu"
    assert conventions_plan(sample("structures")[0], today=date(2026, 6, 1))[1]["status"] == ConventionStatus.ENDED


def test_returned_posts_and_renewal_requested():
    document = structure_document(
        coselec=[
            {"avisCoselec": "POSITIF", "nombreConseillersCoselec": 4, "insertedAt": datetime(2021, 5, 1, tzinfo=UTC)},
            {"avisCoselec": "NÉGATIF", "nombreConseillersCoselec": 0, "insertedAt": datetime(2021, 6, 1, tzinfo=UTC)},
            {
                "avisCoselec": "POSITIF",
                "nombreConseillersCoselec": 3,
                "type": "retrait",
                "insertedAt": datetime(2022, 1, 31, 23, 0, tzinfo=UTC),
            },
        ],
        conventionnement={"statut": "RECONVENTIONNEMENT_INITIÉ"},
    )
    (plan,) = conventions_plan(document, today=TODAY)
    assert [(e["kind"], e["delta"], e["on"]) for e in plan["events"]] == [
        (ConventionEventKind.GRANT, 4, date(2021, 5, 1)),
        (ConventionEventKind.POSTS_RETURNED, -1, date(2022, 2, 1)),
    ]
    assert plan["status"] == ConventionStatus.RENEWAL_REQUESTED


# --- conseillers ---------------------------------------------------------------------------------------------------


def test_candidates_are_not_advisors():
    with pytest.raises(Skipped):
        AdvisorsImporter().map(sample("conseillers")[2])


def test_unknown_advisor_status_is_refused():
    document = sample("conseillers")[0] | {"statut": "EN_PAUSE"}
    with pytest.raises(Rejected, match="statut de conseiller inconnu"):
        AdvisorsImporter().map(document)


def test_advisor_whose_contract_ended_at_its_term_is_an_ended_advisor():
    document = sample("conseillers")[1] | {"statut": "TERMINE", "ruptures": []}
    document.pop("structureId", None)
    row = AdvisorsImporter().map(document)
    assert row.fields["status"] == AdvisorStatus.ENDED


def test_advisor_fields():
    row = AdvisorsImporter().map(sample("conseillers")[0])
    fields = row.fields
    assert (fields["first_name"], fields["last_name"]) == ("Léa", "Dupont")
    assert fields["email"] == "lea.dupont@example.org"
    assert fields["phone"] == "+33612345678"
    assert fields["professional_email"] == "lea.dupont@bourgenbresse.fr"  # emailPro first…
    assert row.raw["emailCN"] == "lea.dupont@conseiller-numerique.fr"  # …the other address kept
    assert fields["professional_phone"] == "+33474451234"
    assert fields["status"] == AdvisorStatus.ACTIVE
    assert fields["training_start"] == date(2021, 3, 15)
    assert fields["training_end"] == date(2021, 6, 30)
    assert fields["certified"] is True
    assert fields["is_coordinator"] is True
    assert fields["line_manager_name"] == "Claire Martin"
    assert fields["line_manager_function"] == "Directrice du CCAS"
    assert fields["line_manager_email"] == "c.martin@bourgenbresse.fr"
    assert fields["line_manager_phone"] == "+33474450000"
    assert row.refs["structure"] == "5f0000000000000000000001"
    assert row.raw["sexe"] == "Femme" and row.raw["pix"] == {"partage": True, "palier": 2}
    assert "prenom" not in row.raw and "emailPro" not in row.raw


def test_advisor_without_email_pro_uses_the_programme_mailbox_and_secrets_are_dropped():
    document = sample("conseillers")[0]
    del document["emailPro"]
    document["token"] = "secret"
    document["sondageToken"] = "secret"
    document["emailConfirmationKey"] = "secret"
    row = AdvisorsImporter().map(document)
    assert row.fields["professional_email"] == "lea.dupont@conseiller-numerique.fr"
    assert not {"token", "sondageToken", "emailConfirmationKey"} & set(row.raw)


def test_ended_advisor_keeps_the_last_employer_and_rupture_date():
    row = AdvisorsImporter().map(sample("conseillers")[1])
    assert row.fields["status"] == AdvisorStatus.ENDED
    assert row.fields["ended_at"] == date(2023, 3, 31)
    assert row.refs["structure"] == "5f0000000000000000000001"


# --- permanences ---------------------------------------------------------------------------------------------------


def test_opening_hours_monday_first_closed_spans_and_bad_spans():
    horaires = sample("permanences")[0]["horaires"]
    horaires[6] = {"matin": ["12:00", "09:00"], "apresMidi": ["Fermé", "Fermé"]}
    hours, refused = opening_hours(horaires)
    assert hours["lundi"] == {"matin": ["09:00", "12:00"], "apres_midi": ["14:00", "18:00"]}
    assert hours["samedi"] == {"matin": ["09:00", "12:00"], "apres_midi": None}
    assert hours["dimanche"] == {"matin": None, "apres_midi": None}
    assert refused == [{"jour": "dimanche", "demi_journee": "matin", "horaires": ["12:00", "09:00"]}]


def test_place_fields():
    row = PlacesImporter().map(sample("permanences")[0])
    fields = row.fields
    assert fields["name"] == "Médiathèque Aimé Césaire"
    assert fields["address"] == "1 Rue du Moulin de Brou"
    assert fields["postal_code"] == "01000"
    assert fields["access_types"] == ["libre", "rdv"]
    assert fields["itinerant"] is False
    assert fields["phone"] == "+33474451111"
    assert fields["website"] == "https://mediatheque.bourgenbresse.fr"
    assert (fields["latitude"], fields["longitude"]) == (46.1987, 5.2311)
    assert row.raw == {"estStructure": True, "siret": "21010053300012"}


# --- misesEnRelation -----------------------------------------------------------------------------------------------


def contract_document(**changes) -> dict:
    document = sample("misesEnRelation")[0]
    document.update(changes)
    return document


@pytest.mark.parametrize("status", ["nouvelle", "interessee", "nonInteressee", "non_disponible", "recrutee"])
def test_matching_suggestions_are_not_contracts(status):
    with pytest.raises(Skipped):
        ContractsImporter().map(contract_document(statut=status))


@pytest.mark.parametrize(
    ("status", "ours", "reason", "ended_on"),
    [
        ("finalisee", ContractStatus.ACTIVE, "", None),
        ("nouvelle_rupture", ContractStatus.ACTIVE, "", None),
        ("terminee", ContractStatus.ENDED, ContractEndReason.RENEWED, date(2023, 3, 14)),
        ("terminee_naturelle", ContractStatus.ENDED, ContractEndReason.TERM, date(2023, 3, 14)),
        ("finalisee_rupture", ContractStatus.ENDED, ContractEndReason.RUPTURE, date(2022, 5, 1)),
    ],
)
def test_contract_statuses(status, ours, reason, ended_on):
    document = contract_document(
        statut=status, dateRupture=datetime(2022, 4, 30, 22, 0, tzinfo=UTC), motifRupture="demission"
    )
    fields = ContractsImporter().map(document).fields
    assert (fields["status"], fields["end_reason"], fields["ended_on"]) == (ours, reason, ended_on)


@pytest.mark.parametrize(
    ("legacy", "ours"),
    [
        ("CDI", ContractType.CDI),
        ("CDD", ContractType.CDD),
        ("PEC", ContractType.PEC),
        ("contrat_de_projet_public", ContractType.PUBLIC_PROJECT),
    ],
)
def test_contract_types(legacy, ours):
    fields = ContractsImporter().map(contract_document(typeDeContrat=legacy)).fields
    assert fields["contract_type"] == ours
    assert fields["end"] == (None if legacy == "CDI" else date(2023, 3, 14))


@pytest.mark.parametrize(
    ("motif", "reason"),
    [
        ("licenciement", ContractEndReason.RUPTURE),
        ("demission", ContractEndReason.RUPTURE),
        ("CDIsation", ContractEndReason.RUPTURE),
        ("nonReconductionCDD", ContractEndReason.TERM),
        ("FinDeSubventionnement", ContractEndReason.CONVENTION_ENDED),
        ("autre", ContractEndReason.RUPTURE),
    ],
)
def test_rupture_motifs(motif, reason):
    document = contract_document(
        statut="finalisee_rupture", dateRupture=datetime(2022, 5, 1, tzinfo=UTC), motifRupture=motif
    )
    row = ContractsImporter().map(document)
    assert row.fields["end_reason"] == reason
    assert row.raw["motifRupture"] == motif


def test_contract_fields_and_refusals():
    row = ContractsImporter().map(sample("misesEnRelation")[1])
    assert row.fields["start"] == date(2023, 3, 15)
    assert row.fields["end"] == date(2026, 3, 14)
    assert row.fields["salary"] == 1900
    assert row.fields["is_coordinator_post"] is True
    assert row.extra["phase"] == 2
    assert row.refs["follows"] == "610000000000000000000001"
    assert row.raw["emetteurRenouvellement"]["email"] == "c.martin@bourgenbresse.fr"
    with pytest.raises(Rejected, match="type de contrat inconnu"):
        ContractsImporter().map(contract_document(typeDeContrat=None))
    with pytest.raises(Rejected, match="date de début de contrat manquante"):
        ContractsImporter().map(contract_document(dateDebutDeContrat=None))
    with pytest.raises(Rejected, match="statut de mise en relation inconnu"):
        ContractsImporter().map(contract_document(statut="perdue"))


# --- end to end on the sample ---------------------------------------------------------------------------------------


def test_the_sample_is_imported_end_to_end(communes):
    summaries = import_sample()
    counts = {name: (s.imported, s.skipped, s.rejected) for name, s in summaries.items()}
    assert counts == {
        "structures": (3, 0, 0),
        "conseillers": (2, 1, 0),
        "permanences": (1, 0, 0),
        "misesEnRelation": (3, 1, 0),
        "conseillersRuptures": (1, 0, 0),
    }
    bourg = Structure.objects.get(pk=target("structures", "5f0000000000000000000001"))
    assert (bourg.status, bourg.commune_id, bourg.department_id, bourg.posts_granted) == (
        StructureStatus.VALIDATED,
        "01053",
        "01",
        3,
    )
    assert (
        LegacyRecord.objects.get(collection="structures", external_id="5f0000000000000000000001").legacy_number == 1201
    )
    phase_one, phase_two = Convention.objects.filter(structure=bourg).order_by("phase")
    assert phase_two.previous == phase_one
    assert (phase_one.number, phase_two.number) == ("CNFS-1201-P1", "CNFS-1201-P2")
    assert phase_two.posts_on(date(2023, 3, 1)) == 3
    assert phase_one.posts_on(date(2022, 1, 1)) == 2

    lea = Advisor.objects.get(pk=target("conseillers", "600000000000000000000001"))
    marc = Advisor.objects.get(pk=target("conseillers", "600000000000000000000002"))
    assert (lea.structure, lea.status, lea.started_at, lea.ended_at) == (
        bourg,
        AdvisorStatus.ACTIVE,
        date(2021, 3, 15),
        None,
    )
    assert list(lea.coordination_departments.values_list("code", flat=True)) == ["01"]
    assert (marc.status, marc.ended_at, marc.structure) == (AdvisorStatus.ENDED, date(2023, 3, 31), bourg)

    place = Place.objects.get(pk=target("permanences", "620000000000000000000001"))
    assert (place.structure, place.commune_id, place.department_id) == (bourg, "01053", "01")
    assert list(PlaceAssignment.objects.filter(place=place).values_list("advisor_id", "is_principal")) == [
        (lea.pk, True)
    ]

    first = Contract.objects.get(pk=target("misesEnRelation", "610000000000000000000001"))
    renewal = Contract.objects.get(pk=target("misesEnRelation", "610000000000000000000004"))
    ruptured = Contract.objects.get(pk=target("misesEnRelation", "610000000000000000000002"))
    assert (first.status, first.end_reason, first.ended_on, first.convention) == (
        ContractStatus.ENDED,
        ContractEndReason.RENEWED,
        date(2023, 3, 14),
        phase_one,
    )
    assert (renewal.status, renewal.follows, renewal.convention, renewal.contract_type) == (
        ContractStatus.ACTIVE,
        first,
        phase_two,
        ContractType.PUBLIC_PROJECT,
    )
    assert (ruptured.status, ruptured.ended_on, ruptured.end_reason, ruptured.end) == (
        ContractStatus.ENDED,
        date(2023, 3, 31),
        ContractEndReason.RUPTURE,
        None,
    )
    assert target("conseillersRuptures", "630000000000000000000001") == ruptured.pk
    assert not LegacyRecord.objects.filter(collection="misesEnRelation", external_id="610000000000000000000003")


def test_importing_twice_imports_nothing_twice(communes):
    import_sample()
    totals = (Structure.objects.count(), Advisor.objects.count(), Place.objects.count(), Contract.objects.count())
    again = import_sample()
    assert {name: s.imported for name, s in again.items()} == dict.fromkeys(again, 0)
    assert {name: s.existing for name, s in again.items()} == {
        "structures": 3,
        "conseillers": 2,
        "permanences": 1,
        "misesEnRelation": 3,
        "conseillersRuptures": 1,
    }
    assert (
        totals
        == (
            Structure.objects.count(),
            Advisor.objects.count(),
            Place.objects.count(),
            Contract.objects.count(),
        )
        == (3, 2, 1, 3)
    )
    assert Convention.objects.count() == 2


def test_dry_run_counts_without_writing(communes):
    summary = run(StructuresImporter, SAMPLE / "structures.json", dry_run=True)
    assert (summary.imported, summary.existing) == (3, 0)
    assert not Structure.objects.exists()


def many_structures(count: int, start: int = 0) -> list[dict]:
    documents = []
    base = sample_lines("structures")[0]
    for number in range(start, start + count):
        document = json.loads(json.dumps(base))
        document["_id"] = {"$oid": f"{number:024x}"}
        document["idPG"] = 10000 + number
        document["siret"] = None
        document["nom"] = f"Structure {number}"
        documents.append(document)
    return documents


def test_an_interrupted_import_resumes_after_its_last_chunk(communes, tmp_path):
    path = write_lines(tmp_path / "structures.json", many_structures(5))
    structures = StructuresImporter(today=TODAY)
    structures.chunk_size = 2
    with pytest.raises(InterruptedError):
        run_import(structures, path, progress=False, stop_after_chunks=1, print_=lambda *_: None)
    assert Structure.objects.count() == 2
    summary = run_import(structures, path, progress=False, print_=lambda *_: None)
    assert (summary.resumed_from, summary.imported) == (2, 3)
    assert Structure.objects.count() == 5
    assert Convention.objects.count() == 10


def test_rejected_rows_are_reported_with_their_line(communes, tmp_path):
    documents = sample_lines("structures")
    duplicate = json.loads(json.dumps(documents[1])) | {"_id": {"$oid": "5f00000000000000000000aa"}, "idPG": 9}
    unknown_commune = json.loads(json.dumps(documents[2])) | {
        "_id": {"$oid": "5f00000000000000000000bb"},
        "idPG": 10,
        "siret": None,
        "codeCommune": "99999",
        "codePostal": "99999",
    }
    bad_type = documents[0] | {"_id": {"$oid": "5f00000000000000000000cc"}, "idPG": 11, "type": "ASSO"}
    path = write_lines(tmp_path / "structures.json", [*documents, duplicate, unknown_commune, bad_type])
    summary = run(StructuresImporter, path)
    assert (summary.imported, summary.rejected) == (3, 3)
    assert list(Rejection.objects.values_list("line", "external_id", "reason")) == [
        (4, "5f00000000000000000000aa", "SIRET 41234567000027 déjà présent (doublon)"),
        (5, "5f00000000000000000000bb", "commune inconnue : 99999"),
        (6, "5f00000000000000000000cc", "type de structure inconnu : « ASSO »"),
    ]
    report = tmp_path / "rejets.csv"
    run_record = Rejection.objects.first().run
    assert write_rejections(run_record, str(report)) == 3
    rows = list(csv.reader(report.open(encoding="utf-8"), delimiter=";"))
    assert rows[1][1:] == ["4", "5f00000000000000000000aa", "SIRET 41234567000027 déjà présent (doublon)"]


def test_a_duplicate_marked_doublon_is_kept_without_its_siret(communes, tmp_path):
    documents = sample_lines("structures")
    doublon = json.loads(json.dumps(documents[1])) | {
        "_id": {"$oid": "5f00000000000000000000aa"},
        "idPG": 9,
        "statut": "DOUBLON",
    }
    run(StructuresImporter, write_lines(tmp_path / "structures.json", [*documents, doublon]))
    record = LegacyRecord.objects.get(external_id="5f00000000000000000000aa")
    assert Structure.objects.get(pk=record.target_id).siret is None
    assert record.raw["siret_doublon"] == "41234567000027"


def test_queries_per_chunk_do_not_grow_with_its_size(communes, tmp_path, django_assert_max_num_queries):
    small = write_lines(tmp_path / "small.json", many_structures(3))
    large = write_lines(tmp_path / "large.json", many_structures(60, start=100))
    with django_assert_max_num_queries(16):
        run(StructuresImporter, small)
    with django_assert_max_num_queries(16):
        run(StructuresImporter, large)
    assert Structure.objects.count() == 63


def test_contract_and_rupture_queries_per_chunk(communes, tmp_path, django_assert_max_num_queries):
    run(StructuresImporter, SAMPLE / "structures.json")
    run(AdvisorsImporter, SAMPLE / "conseillers.json")
    with django_assert_max_num_queries(18):
        run(ContractsImporter, SAMPLE / "misesEnRelation.json")
    with django_assert_max_num_queries(14):
        run(RupturesImporter, SAMPLE / "conseillersRuptures.json")


def test_renewal_link_resolved_when_the_previous_contract_comes_later(communes, tmp_path):
    run(StructuresImporter, SAMPLE / "structures.json")
    run(AdvisorsImporter, SAMPLE / "conseillers.json")
    documents = sample_lines("misesEnRelation")
    path = write_lines(tmp_path / "misesEnRelation.json", [documents[1], documents[0]])
    contracts = ContractsImporter()
    contracts.chunk_size = 1
    run_import(contracts, path, progress=False, print_=lambda *_: None)
    renewal = Contract.objects.get(pk=target("misesEnRelation", "610000000000000000000004"))
    assert renewal.follows_id == target("misesEnRelation", "610000000000000000000001")
    record = LegacyRecord.objects.get(collection="misesEnRelation", external_id="610000000000000000000004")
    assert "miseEnRelationConventionnement" not in record.raw


def test_pending_renewal_is_recorded_without_contract(communes, tmp_path):
    run(StructuresImporter, SAMPLE / "structures.json")
    run(AdvisorsImporter, SAMPLE / "conseillers.json")
    document = sample_lines("misesEnRelation")[1] | {"statut": "renouvellement_initiee"}
    summary = run(ContractsImporter, write_lines(tmp_path / "misesEnRelation.json", [document]))
    assert summary.imported == 1
    record = LegacyRecord.objects.get(collection="misesEnRelation")
    assert record.target_id is None
    assert record.raw["statut"] == "renouvellement_initiee"
    assert record.raw["salaire"] == 1900
    assert not Contract.objects.exists()


def test_second_active_contract_of_an_advisor_is_refused(communes, tmp_path):
    run(StructuresImporter, SAMPLE / "structures.json")
    run(AdvisorsImporter, SAMPLE / "conseillers.json")
    documents = sample_lines("misesEnRelation")
    older = documents[0] | {"statut": "finalisee"}
    path = write_lines(tmp_path / "misesEnRelation.json", [older, documents[1]])
    summary = run(ContractsImporter, path)
    assert (summary.imported, summary.rejected) == (1, 1)
    assert Rejection.objects.get().line == 1
    assert Contract.objects.get().start == date(2023, 3, 15)


def test_rupture_closes_an_open_contract_or_is_refused(communes, tmp_path):
    run(StructuresImporter, SAMPLE / "structures.json")
    run(AdvisorsImporter, SAMPLE / "conseillers.json")
    documents = sample_lines("misesEnRelation")
    run(ContractsImporter, write_lines(tmp_path / "misesEnRelation.json", [documents[1]]))
    ruptures = [
        {
            "_id": {"$oid": "630000000000000000000009"},
            "conseillerId": {"$oid": "600000000000000000000001"},
            "structureId": {"$oid": "5f0000000000000000000001"},
            "dateRupture": {"$date": "2024-01-30T23:00:00.000Z"},
            "motifRupture": "FinDeSubventionnement",
        },
        sample_lines("conseillersRuptures")[0],  # Marc has no contract in this file
    ]
    summary = run(RupturesImporter, write_lines(tmp_path / "conseillersRuptures.json", ruptures))
    assert (summary.imported, summary.rejected) == (1, 1)
    assert Rejection.objects.get().line == 2
    contract = Contract.objects.get()
    assert (contract.status, contract.ended_on, contract.end_reason) == (
        ContractStatus.ENDED,
        date(2024, 1, 31),
        ContractEndReason.CONVENTION_ENDED,
    )
    lea = contract.advisor
    lea.refresh_from_db()
    assert (lea.status, lea.ended_at) == (AdvisorStatus.ENDED, date(2024, 1, 31))


def test_coordinator_team_of_advisors_is_linked_after_the_file(communes, tmp_path):
    run(StructuresImporter, SAMPLE / "structures.json")
    documents = sample_lines("conseillers")
    documents[0]["listeSubordonnes"] = {"type": "conseillers", "liste": [{"$oid": "600000000000000000000002"}]}
    importer_ = AdvisorsImporter()
    importer_.chunk_size = 1
    run_import(
        importer_, write_lines(tmp_path / "conseillers.json", documents), progress=False, print_=lambda *_: None
    )
    lea = Advisor.objects.get(pk=target("conseillers", "600000000000000000000001"))
    assert list(lea.coordinated_advisors.values_list("last_name", flat=True)) == ["Lefèvre"]


# --- CSV ---------------------------------------------------------------------------------------------------------

CSV_HEADER = (
    "SIRET structure;ID Structure;Dénomination;Type;Statut;Code postal;Code commune;Code département;Code région;"
    "Téléphone;Email;Compte créé;Mot de passe choisi;Nombre de mises en relation;Nombre de conseillers souhaités;"
    "Validée en COSELEC;Nombre de conseillers validés par le COSELEC;Numéro COSELEC;ZRR;QPV;Nombre de quartiers QPV;"
    "Labelisée France Services;Raison sociale;Nom commune INSEE;Code commune INSEE;Adresse postale;"
    "Libellé catégorie juridique niv III;Grand Réseau;Nom Grand Réseau;Emails administrateurs"
)
CSV_ROWS = [
    "21010053300012;1201;COMMUNE DE BOURG-EN-BRESSE;publique;VALIDATION_COSELEC;01000;01053;01;84;0474450000;"
    "c.martin@bourgenbresse.fr;oui;oui;12;2;oui;3;COSELEC 21;non;Oui;1;oui;COMMUNE DE BOURG EN BRESSE;"
    'BOURG-EN-BRESSE;01053;"11 RUE DE LA REPUBLIQUE 01000 BOURG-EN-BRESSE";Commune et commune nouvelle;non;;""',
    "20004230700013;2311;CC DU PAYS DE GEX;publique;REFUS_COSELEC;01170;01173;01;84;04 50 00 00 00;dgs@ccpg.fr;"
    'non;non;0;4;non;0;;oui;Sans objet;0;non renseigné;CC DU PAYS DE GEX;GEX;01173;"";'
    'Communauté de communes;non;;""',
    "41234567000027;2310;ASSOCIATION LES PETITS DÉBROUILLARDS;privée;CREEE;01100;01283;01;84;;contact@pd-ain.org;"
    'non;non;0;1;non;0;;non;Non;0;non;;;;"";Association déclarée;oui;Emmaüs Connect;""',
]


def test_the_national_structures_csv_is_imported(communes, tmp_path):
    path = tmp_path / "structures.csv"
    path.write_bytes(("\r\n".join([CSV_HEADER, *CSV_ROWS]) + "\r\n").encode("cp1252"))
    summary = run(StructuresImporter, path)
    assert (summary.imported, summary.rejected) == (3, 0)
    bourg = Structure.objects.get(siret="21010053300012")
    assert (bourg.type, bourg.status, bourg.posts_granted, bourg.qpv, bourg.zrr) == (
        StructureType.COMMUNE,
        StructureStatus.VALIDATED,
        3,
        True,
        False,
    )
    assert bourg.france_services_label is True
    gex = Structure.objects.get(siret="20004230700013")
    assert (gex.type, gex.status, gex.zrr, gex.contact_phone) == (
        StructureType.EPCI,
        StructureStatus.REFUSED,
        True,
        "+33450000000",
    )
    association = Structure.objects.get(siret="41234567000027")
    assert (association.type, association.network, association.name) == (
        StructureType.PRIVATE,
        "emmaus-connect",
        "ASSOCIATION LES PETITS DÉBROUILLARDS",
    )
    record = LegacyRecord.objects.get(collection="structures", legacy_number=2311)
    assert record.external_id == "pg-2311"
    assert record.raw["qpvStatut"] == "Sans objet"
    assert record.raw["typeExport"] == "publique"


def test_csv_after_the_json_export_imports_nothing_twice(communes, tmp_path):
    run(StructuresImporter, SAMPLE / "structures.json")
    path = tmp_path / "structures.csv"
    path.write_text("\n".join([CSV_HEADER, *CSV_ROWS]) + "\n", encoding="utf-8")
    summary = run(StructuresImporter, path)
    assert (summary.imported, summary.existing) == (0, 3)
    assert Structure.objects.count() == 3


def test_the_command_imports_the_sample_directory_in_order(communes, tmp_path):
    out = StringIO()
    call_command("import_legacy", all=str(SAMPLE), no_progress=True, rejects_dir=str(tmp_path), stdout=out)
    assert (Structure.objects.count(), Advisor.objects.count(), Place.objects.count(), Contract.objects.count()) == (
        3,
        2,
        1,
        3,
    )
    assert "Bilan" in out.getvalue()
    assert not list(tmp_path.iterdir())  # nothing rejected, no report written
