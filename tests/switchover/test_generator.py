"""The generator of realistic exports: same bytes for a seed, the hand-written sample's shapes, the value lists of
the existing system, references that resolve, histories that agree, and exactly the defects it says it wrote."""

import gzip
from collections import Counter
from datetime import UTC, date, datetime, time
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import orjson
import pytest
from django.core.management import call_command

from switchover import extjson
from switchover.generator import (
    ACTIVITES,
    CANALS,
    DUREES,
    ORGANISMES,
    SOUS_THEMES,
    THEMES,
    day_midnight,
    generate,
    load_communes,
    luhn_ok,
)

HERE = Path(__file__).parent
SAMPLE = HERE / "sample"
GENERATED = HERE / "generated"
# The parameters the checked-in set was generated with (tests/switchover/generated/README.md).
PARAMS = {"structures": 20, "advisors": 30, "candidates": 10, "reports": 1000, "seed": 16, "defect_rate": 0.01}
COLLECTIONS = ["structures", "conseillers", "permanences", "misesEnRelation", "conseillersRuptures", "cras"]

STRUCTURE_STATUSES = {
    "CREEE",
    "EXAMEN_COMPLEMENTAIRE_COSELEC",
    "VALIDATION_COSELEC",
    "REFUS_COSELEC",
    "ABANDON",
    "ANNULEE",
    "DOUBLON",
    "REFUS_COORDINATEUR",
}
STRUCTURE_TYPES = {"COMMUNE", "DEPARTEMENT", "REGION", "EPCI", "COLLECTIVITE", "GIP", "PRIVATE"}
CONVENTION_STATUSES = {
    "NON_INTERESSÉ",
    "CONVENTIONNEMENT_EN_COURS",
    "CONVENTIONNEMENT_VALIDÉ",
    "RECONVENTIONNEMENT_INITIÉ",
    "RECONVENTIONNEMENT_VALIDÉ",
    "CONVENTIONNEMENT_VALIDÉ_PHASE_2",
}
MISE_EN_RELATION_STATUSES = {
    "nouvelle",
    "interessee",
    "nonInteressee",
    "recrutee",
    "finalisee",
    "nouvelle_rupture",
    "finalisee_rupture",
    "renouvellement_initiee",
    "terminee",
    "terminee_naturelle",
    "non_disponible",
}
CONTRACT_TYPES = {"CDI", "CDD", "PEC", "contrat_de_projet_public"}
RUPTURE_MOTIFS = {"licenciement", "nonReconductionCDD", "demission", "CDIsation", "FinDeSubventionnement"}
# TERMINE: the existing system's end of contract without renewal (admin-api clotureConseiller.ts, terminee_naturelle).
ADVISOR_STATUSES = {"RECRUTE", "RUPTURE", "TERMINE"}


def read(directory: Path, collection: str, *, compressed: bool = False) -> list[dict]:
    """The raw Extended JSON documents of a file (wrappers kept)."""
    path = directory / (collection + ".json" + (".gz" if compressed else ""))
    opener = gzip.open if compressed else open
    with opener(path, "rb") as handle:
        return [orjson.loads(line) for line in handle if line.strip()]


@pytest.fixture(scope="module")
def docs() -> dict[str, list[dict]]:
    return {name: read(GENERATED, name) for name in COLLECTIONS}


@pytest.fixture(scope="module")
def counts(tmp_path_factory) -> dict[str, int]:
    return generate(tmp_path_factory.mktemp("regen"), **PARAMS)


def oid(value) -> str:
    if isinstance(value, dict) and "$ref" in value:
        value = value["$id"]
    return value["$oid"]


def when(value) -> datetime:
    return datetime.fromisoformat(value["$date"].replace("Z", "+00:00"))


# --- determinism -----------------------------------------------------------------------------------------------
def test_regenerating_the_checked_in_set_gives_the_same_bytes(tmp_path):
    counts = generate(tmp_path, **PARAMS)
    for name in COLLECTIONS:
        assert (tmp_path / f"{name}.json").read_bytes() == (GENERATED / f"{name}.json").read_bytes(), name
        assert counts[name] == len(read(GENERATED, name))


def test_gzip_is_deterministic_and_another_seed_differs(tmp_path):
    small = {**PARAMS, "reports": 300}
    generate(tmp_path / "a", gzip=True, **small)
    generate(tmp_path / "b", gzip=True, **small)
    generate(tmp_path / "c", gzip=True, **{**small, "seed": 17})
    for name in COLLECTIONS:
        first = (tmp_path / "a" / f"{name}.json.gz").read_bytes()
        assert first == (tmp_path / "b" / f"{name}.json.gz").read_bytes()
    assert (tmp_path / "a" / "cras.json.gz").read_bytes() != (tmp_path / "c" / "cras.json.gz").read_bytes()
    assert len(read(tmp_path / "a", "cras", compressed=True)) == 300


def test_exact_number_of_reports_and_counts_returned(tmp_path):
    counts = generate(tmp_path, **{**PARAMS, "reports": 2345, "seed": 3})
    assert counts["cras"] == 2345
    for name in COLLECTIONS:
        assert counts[name] == len(read(tmp_path, name))


def test_command_prints_the_counts(tmp_path):
    out = StringIO()
    call_command(
        "generate_legacy_export",
        str(tmp_path),
        "--structures=8",
        "--advisors=10",
        "--reports=200",
        "--seed=5",
        stdout=out,
    )
    text = out.getvalue()
    assert "cras" in text and "200" in text and "Exports écrits" in text
    assert len(read(tmp_path, "cras")) == 200
    assert len(read(tmp_path, "structures")) == 8


# --- shapes ----------------------------------------------------------------------------------------------------
DYNAMIC = {"cra.sousThemes[]", "cra.organismes[]"}  # objects keyed by a theme or an organisation name


def kind(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "str"
    if isinstance(value, list):
        return "list"
    if "$oid" in value:
        return "oid"
    if "$date" in value:
        return "date"
    if "$ref" in value:
        return "dbref"
    return "object"


def walk(value, path: str, schema: dict) -> None:
    """Record the kinds seen at each path (list items under `path[]`)."""
    schema.setdefault(path, set()).add(kind(value))
    if kind(value) == "object" and path not in DYNAMIC:
        for key, item in value.items():
            walk(item, f"{path}.{key}" if path else key, schema)
    elif isinstance(value, list):
        for item in value:
            walk(item, path + "[]", schema)


def test_every_document_has_the_shapes_of_the_hand_written_sample(docs):
    for name in COLLECTIONS:
        sample_docs = read(SAMPLE, name)
        expected: dict[str, set] = {}
        for document in sample_docs:
            walk(document, "", expected)
        always = set.intersection(*(set(d) for d in sample_docs))
        for number, document in enumerate(docs[name], start=1):
            seen: dict[str, set] = {}
            walk(document, "", seen)
            for path, kinds in seen.items():
                assert path in expected, f"{name} #{number}: unknown field {path}"
                allowed = expected[path] | {"null"}
                if expected[path] == {"null"} or (path.endswith("[]") and expected[path] == set()):
                    continue
                # An empty list in the sample says nothing about its items: those paths are absent from `expected`.
                assert kinds <= allowed, f"{name} #{number}: {path} is {kinds}, sample has {expected[path]}"
            assert always <= set(document) or name == "conseillers", f"{name} #{number} lacks {always - set(document)}"


def test_every_line_is_read_by_the_importers_reader():
    for name in COLLECTIONS:
        for line in (GENERATED / f"{name}.json").read_bytes().splitlines():
            assert isinstance(extjson.loads(line)["_id"], str)


# --- value lists -----------------------------------------------------------------------------------------------
def test_structures_value_lists(docs):
    structures = docs["structures"]
    assert {s["statut"] for s in structures} <= STRUCTURE_STATUSES
    assert "VALIDATION_COSELEC" in {s["statut"] for s in structures}
    assert len({s["statut"] for s in structures}) >= 3  # a few refused or abandoned ones too
    for structure in structures:
        assert structure["type"] in STRUCTURE_TYPES
        assert structure["estLabelliseFranceServices"] in ("OUI", "NON")
        for entry in structure["coselec"]:
            assert entry["avisCoselec"] in ("POSITIF", "NÉGATIF", "EXAMEN COMPLÉMENTAIRE")
            assert entry["phaseConventionnement"] in ("1", "2")
            assert entry.get("numero", "COSELEC 1").startswith("COSELEC ")
        for opinion in structure["prefet"]:
            assert opinion["avisPrefet"] in ("POSITIF", "NÉGATIF")
        if "conventionnement" in structure:
            assert structure["conventionnement"]["statut"] in CONVENTION_STATUSES
        if "qpvStatut" in structure:
            assert structure["qpvStatut"] in ("Oui", "Non", "Sans objet")


def test_contracts_and_advisors_value_lists(docs):
    for document in docs["misesEnRelation"]:
        assert document["statut"] in MISE_EN_RELATION_STATUSES
        if "typeDeContrat" in document:
            assert document["typeDeContrat"] in CONTRACT_TYPES
            assert (document["dateFinDeContrat"] is None) == (document["typeDeContrat"] == "CDI")
            assert document["phaseConventionnement"] in ("1", "2")
        if "motifRupture" in document:
            assert document["motifRupture"] in RUPTURE_MOTIFS
    for document in docs["conseillersRuptures"]:
        assert document["motifRupture"] in RUPTURE_MOTIFS
    for document in docs["conseillers"]:
        assert document.get("statut", "RECRUTE") in ADVISOR_STATUSES
        assert document["sexe"] in ("Femme", "Homme", "Autre")
        assert document["distanceMax"] in (5, 10, 15, 20, 40, 100, 2000)
    for document in docs["permanences"]:
        assert set(document["typeAcces"]) <= {"libre", "rdv", "prive"}
        assert len(document["horaires"]) == 7


def test_reports_value_lists_and_sums(docs, counts):
    bad_sums = 0
    for document in docs["cras"]:
        cra = document["cra"]
        assert cra["canal"] in CANALS
        assert cra["activite"] in ACTIVITES
        assert 1 <= cra["nbParticipants"] <= 100
        assert cra["activite"] == "collectif" or cra["nbParticipants"] == 1
        assert cra["nbParticipantsRecurrents"] is None or 0 <= cra["nbParticipantsRecurrents"] <= cra["nbParticipants"]
        assert 1 <= len(cra["themes"]) <= 20 and set(cra["themes"]) <= set(THEMES)
        for item in cra.get("sousThemes", []):
            ((theme, values),) = item.items()
            assert theme == "annotation" or set(values) <= set(SOUS_THEMES[theme])
        assert cra["duree"] in DUREES or (isinstance(cra["duree"], int) and 0 < cra["duree"] <= 480)
        if cra.get("organismes"):
            names = [next(iter(item)) for item in cra["organismes"]]
            assert set(names) <= set(ORGANISMES)
            assert cra["accompagnement"]["redirection"] == sum(next(iter(i.values())) for i in cra["organismes"])
        assert sum(cra["statut"].values()) == cra["nbParticipants"]
        if sum(cra["age"].values()) != cra["nbParticipants"]:
            bad_sums += 1
        assert cra["nomCommune"] == cra["nomCommune"].upper()
    assert bad_sums == counts["defect_bad_sum"] > 0


def test_report_dates_are_midnight_utc_or_paris_and_within_coop_v1(docs):
    paris = 0
    for document in docs["cras"]:
        moment = when(document["cra"]["dateAccompagnement"])
        local = moment.astimezone(ZoneInfo("Europe/Paris"))
        if moment.time() == time(0):
            day = moment.date()
        else:
            assert local.time() == time(0), moment
            day = local.date()
            paris += 1
        assert moment in (day_midnight(day, paris=True), day_midnight(day, paris=False))
        assert date(2021, 1, 1) <= day <= date(2024, 11, 30)
        assert when(document["createdAt"]) >= datetime.combine(day, time(0), tzinfo=UTC)
        assert when(document["updatedAt"]) >= when(document["createdAt"])
    assert 0 < paris < len(docs["cras"])  # both encodings occur


def test_summer_and_winter_paris_midnight():
    assert day_midnight(date(2024, 3, 5), paris=True) == datetime(2024, 3, 4, 23, tzinfo=UTC)
    assert day_midnight(date(2024, 7, 5), paris=True) == datetime(2024, 7, 4, 22, tzinfo=UTC)
    assert day_midnight(date(2024, 7, 5), paris=False) == datetime(2024, 7, 5, tzinfo=UTC)


# --- references and histories ----------------------------------------------------------------------------------
def test_references_resolve(docs, counts):
    structures = {oid(d["_id"]) for d in docs["structures"]}
    advisors = {oid(d["_id"]): d for d in docs["conseillers"]}
    places = {oid(d["_id"]): d for d in docs["permanences"]}
    unknown_advisors = 0
    for document in docs["cras"]:
        if oid(document["conseiller"]) not in advisors:
            unknown_advisors += 1
        assert oid(document["structure"]) in structures
        if document["permanence"] is not None:
            place = places[oid(document["permanence"])]
            assert document["cra"]["canal"] == "rattachement"
            assert place["structure"] == document["structure"]
            assert {"$oid": oid(document["conseiller"])} in place["conseillers"]
            if not document["cra"]["codeCommune"].endswith("999"):  # an unknown-commune defect
                assert document["cra"]["codeCommune"] == place["adresse"]["codeCommune"]
    assert unknown_advisors == counts["defect_unknown_advisor"] > 0
    for place in docs["permanences"]:
        assert oid(place["structure"]) in structures
        for member in place["conseillers"] + place["lieuPrincipalPour"] + place["conseillersItinerants"]:
            advisor = advisors[oid(member)]
            assert advisor["statut"] == "RECRUTE" and advisor["structureId"] == {"$oid": oid(place["structure"])}
    for document in docs["misesEnRelation"]:
        assert oid(document["conseiller"]) in advisors and oid(document["structure"]) in structures


def test_histories_agree_between_conseillers_contracts_and_ruptures(docs):
    advisors = {oid(d["_id"]): d for d in docs["conseillers"]}
    contracts = {oid(d["_id"]): d for d in docs["misesEnRelation"]}
    by_advisor: dict[str, list[dict]] = {}
    for document in docs["misesEnRelation"]:
        by_advisor.setdefault(oid(document["conseiller"]), []).append(document)
    ruptures = sorted(
        (d["conseillerId"]["$oid"], d["structureId"]["$oid"], d["dateRupture"]["$date"], d["motifRupture"])
        for d in docs["conseillersRuptures"]
    )
    validated = sorted(
        (oid(d["conseiller"]), oid(d["structure"]), d["dateRupture"]["$date"], d["motifRupture"])
        for d in docs["misesEnRelation"]
        if d["statut"] == "finalisee_rupture"
    )
    embedded = sorted(
        (key, r["structureId"]["$oid"], r["dateRupture"]["$date"], r["motifRupture"])
        for key, d in advisors.items()
        for r in d.get("ruptures", [])
    )
    assert [r[:2] for r in ruptures] == [r[:2] for r in validated] == [r[:2] for r in embedded]
    assert [r[3] for r in ruptures] == [r[3] for r in validated] == [r[3] for r in embedded]
    for key, advisor in advisors.items():
        own = by_advisor.get(key, [])
        working = [d for d in own if d["statut"] in ("finalisee", "nouvelle_rupture")]
        if advisor.get("statut") == "RECRUTE":
            assert len(working) == 1 and working[0]["structure"]["$id"] == advisor["structureId"]
        elif advisor.get("statut") in ("RUPTURE", "TERMINE"):
            assert not working and "structureId" not in advisor and advisor["disponible"]
        else:  # a candidate: applications only
            assert {d["statut"] for d in own} <= {"nouvelle", "interessee", "nonInteressee", "recrutee"}
    for document in docs["misesEnRelation"]:
        if "miseEnRelationConventionnement" in document:
            old = contracts[document["miseEnRelationConventionnement"]["$oid"]]
            assert old["statut"] == "terminee" and old["reconventionnement"] is True
            assert (old["conseiller"], old["structure"]) == (document["conseiller"], document["structure"])
            assert document["phaseConventionnement"] == "2"


def test_no_report_after_the_advisor_left(docs):
    last_day: dict[str, date] = {}
    advisors = {oid(d["_id"]): d for d in docs["conseillers"]}
    for document in docs["misesEnRelation"]:
        key = oid(document["conseiller"])
        if advisors[key].get("statut") in ("RUPTURE", "TERMINE") and document.get("dateDebutDeContrat"):
            end = document.get("dateRupture") or document["dateFinDeContrat"]
            day = extjson.loads(orjson.dumps({"d": end}))["d"].astimezone(ZoneInfo("Europe/Paris")).date()
            last_day[key] = max(last_day.get(key, day), day)
    checked = 0
    for document in docs["cras"]:
        key = oid(document["conseiller"])
        if key in last_day:
            day = when(document["cra"]["dateAccompagnement"]).astimezone(ZoneInfo("Europe/Paris")).date()
            assert day <= last_day[key]
            assert document["permanence"] is None  # the rupture unset the place of her reports
            checked += 1
    assert checked


# --- defects ---------------------------------------------------------------------------------------------------
def test_defects_are_exactly_those_returned(docs, counts):
    assert counts == {name: len(docs[name]) for name in COLLECTIONS} | {
        key: counts[key] for key in counts if key.startswith("defect_")
    }
    invalid = [s for s in docs["structures"] if not (len(s["siret"]) == 14 and luhn_ok(s["siret"]))]
    assert len(invalid) == counts["defect_invalid_siret"] == 1
    contracts_of = Counter(oid(d["structure"]) for d in docs["misesEnRelation"] if d.get("typeDeContrat"))
    assert all(contracts_of[oid(s["_id"])] == 0 for s in invalid)  # no cascade: nobody worked there
    known = {commune.code for commune in load_communes()}
    unknown = [d for d in docs["cras"] if d["cra"]["codeCommune"] not in known]
    assert len(unknown) == counts["defect_unknown_commune"] > 0
    assert all(s["codeCommune"] in known for s in docs["structures"])
    assert all(p["adresse"]["codeCommune"] in known for p in docs["permanences"])


def test_distributions_at_a_larger_scale(tmp_path):
    counts = generate(tmp_path, structures=300, advisors=400, reports=40_000, seed=1)
    contracts = read(tmp_path, "misesEnRelation")
    statuses = Counter(d["statut"] for d in contracts)
    advisors = [d for d in read(tmp_path, "conseillers") if "statut" in d]
    assert len(advisors) == 400
    assert 0.05 <= statuses["finalisee_rupture"] / 400 <= 0.2  # about one advisor in ten broke her contract
    assert statuses["terminee"] > 0 and statuses["nouvelle"] > 0  # renewals and candidates
    reports = [orjson.loads(line)["cra"] for line in (tmp_path / "cras.json").read_bytes().splitlines()]
    years = Counter(cra["dateAccompagnement"]["$date"][:4] for cra in reports)
    assert set(years) <= {"2020", "2021", "2022", "2023", "2024"}
    assert years["2023"] > years["2021"] > 0
    for key in ("defect_unknown_advisor", "defect_unknown_commune", "defect_bad_sum"):
        assert 0 < counts[key] < 40_000 * 0.003
    assert Counter(cra["canal"] for cra in reports).most_common(1)[0][0] == "rattachement"
    assert Counter(cra["activite"] for cra in reports).most_common(1)[0][0] == "individuel"
