"""The `cras` importer: every field and value list, refusals with their line, idempotency, resume, indexes."""

import copy
import json
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from django.db import connection

from reporting import rollups
from reporting.counters import MATERIAL_BITS, THEME_BITS
from reporting.models import Activity, ActivityRollup
from reporting.scopes import Scope
from reporting.selectors import Filters, Period, activity_statistics, activity_statistics_naive
from switchover import bulkindexes
from switchover.importers import cras as cras_module
from switchover.importers.cras import CrasImporter
from switchover.models import ImportedActivity, LegacyRecord, Rejection
from switchover.pipeline import Rejected, run_import
from tests.directory.factories import AdvisorFactory, PlaceFactory, StructureFactory
from tests.territories.factories import commune

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).parent / "sample" / "cras.json"
ADVISOR, STRUCTURE, PERMANENCE = "600000000000000000000001", "5f0000000000000000000001", "620000000000000000000001"


@pytest.fixture
def legacy(db):
    """The advisor, structure and permanence of the sample, as the directory importers leave them."""
    bourg = commune("01053")
    commune("01283")
    structure = StructureFactory(commune=bourg, postal_code="01000", type="association")
    advisor = AdvisorFactory(structure=structure)
    place = PlaceFactory(structure=structure)
    for collection, external_id, target in (
        ("structures", STRUCTURE, structure.pk),
        ("conseillers", ADVISOR, advisor.pk),
        ("permanences", PERMANENCE, place.pk),
    ):
        LegacyRecord.objects.create(collection=collection, external_id=external_id, target_id=target)
    return {"structure": structure, "advisor": advisor, "place": place}


def sample_documents() -> list[dict]:
    from switchover import extjson

    return [extjson.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines() if line.strip()]


def row_of(mapped: tuple) -> dict:
    names = [name for name, _ in cras_module.STAGING_COLUMNS][1:]
    return dict(zip(names, mapped, strict=True))


def mapped(document: dict) -> dict:
    return row_of(CrasImporter().map(document))


def with_cra(**changes) -> dict:
    document = copy.deepcopy(sample_documents()[0])
    document["cra"].update(changes)
    return document


# Mapping, field by field.


def test_sample_first_document_maps_every_field(legacy):
    row = mapped(sample_documents()[0])
    assert row["external_id"] == "640000000000000000000001"
    assert (row["advisor_ext"], row["structure_ext"], row["permanence_ext"]) == (ADVISOR, STRUCTURE, PERMANENCE)
    assert row["kind"] == "individuel"
    assert row["place_type"] == "lieu_activite"
    assert row["date"] == date(2024, 3, 5)
    assert row["duration"] == 45
    assert row["commune"] == "01053"
    assert row["themes"] == THEME_BITS["aide_aux_demarches_administratives"] | THEME_BITS["email"]
    assert row["materials"] == 0
    assert (row["redirected"], row["redirection_structure"]) == (True, "operateur_ou_organisme_en_charge")
    assert (row["participants"], row["already_accompanied"]) == (1, 0)
    assert row["gender_non_communique"] == 1
    assert row["age_soixante_soixante_neuf"] == 1 and row["age_non_communique"] == 0
    assert row["status_retraite"] == 1
    assert row["created_at"] == datetime(2024, 3, 5, 17, tzinfo=UTC)
    assert json.loads(row["raw"]) == {
        "sousThemes": [{"annotation": ["ameli"]}],
        "accompagnement": {"individuel": 1, "atelier": 0, "redirection": 1},
        "organismes": [{"CPAM": 1}],
    }


def test_third_document_nothing_lost_keeps_raw_small(legacy):
    row = mapped(sample_documents()[2])
    assert row["kind"] == "individuel"  # ponctuel
    assert json.loads(row["raw"]) == {"activite": "ponctuel"}
    assert row["place_type"] == "a_distance"
    assert row["duration"] == 15
    assert row["already_accompanied"] == 0  # null in v1
    assert row["redirected"] is None and row["redirection_structure"] == ""
    assert row["permanence_ext"] is None


def test_a_report_with_nothing_lossy_has_no_raw(legacy):
    document = with_cra(sousThemes=None, accompagnement=None, organismes=None)
    assert mapped(document)["raw"] is None


@pytest.mark.parametrize(
    ("activite", "participants", "kind"),
    [("individuel", 1, "individuel"), ("ponctuel", 1, "individuel"), ("collectif", 8, "collectif")],
)
def test_activite(legacy, activite, participants, kind):
    age = {"moins12ans": 0, "de12a18ans": 0, "de18a35ans": participants, "de35a60ans": 0, "plus60ans": 0}
    statut = {"etudiant": 0, "sansEmploi": 0, "enEmploi": 0, "retraite": 0, "heterogene": participants}
    row = mapped(with_cra(activite=activite, nbParticipants=participants, age=age, statut=statut))
    assert (row["kind"], row["participants"]) == (kind, participants)


@pytest.mark.parametrize(
    ("canal", "place_type"),
    [("rattachement", "lieu_activite"), ("autre lieu", "autre"), ("distance", "a_distance"), ("domicile", "domicile")],
)
def test_canal(legacy, canal, place_type):
    assert mapped(with_cra(canal=canal))["place_type"] == place_type


@pytest.mark.parametrize(("v1", "ours"), [(v1, ours) for v1, ours in cras_module.THEMES.items()])
def test_each_theme(legacy, v1, ours):
    row = mapped(with_cra(themes=[v1]))
    assert row["themes"] == (THEME_BITS[ours] if ours else 0)
    raw = json.loads(row["raw"])
    assert ("themes" in raw) == (v1 in cras_module.LOSSY_THEMES)


def test_devices_become_materials(legacy):
    row = mapped(with_cra(themes=["smartphone"], sousThemes=[{"equipement informatique": ["ordinateur", "tablette"]}]))
    assert row["materials"] == MATERIAL_BITS["telephone"] | MATERIAL_BITS["ordinateur"] | MATERIAL_BITS["tablette"]


@pytest.mark.parametrize(
    ("duree", "minutes", "kept"),
    [("0-30", 15, False), ("30-60", 45, False), ("60", 60, False), ("90", 90, False), (120, 120, False),
     (75, 75, False), (45, 45, True), ("240", 240, False)],
)  # fmt: skip
def test_duree(legacy, duree, minutes, kept):
    row = mapped(with_cra(duree=duree))
    assert row["duration"] == minutes
    assert ("duree" in json.loads(row["raw"])) == kept


@pytest.mark.parametrize(
    ("v1", "column"),
    [("moins12ans", "age_moins_de_douze"), ("de12a18ans", "age_douze_dix_huit"),
     ("de18a35ans", "age_vingt_cinq_trente_neuf"), ("de35a60ans", "age_quarante_cinquante_neuf"),
     ("plus60ans", "age_soixante_soixante_neuf")],
)  # fmt: skip
def test_each_age_band(legacy, v1, column):
    age = dict.fromkeys(cras_module.AGES, 0) | {v1: 1}
    row = mapped(with_cra(age=age))
    assert row[column] == 1
    assert sum(row[c] for c in cras_module.BREAKDOWN_COLUMNS if c.startswith("age_")) == 1


@pytest.mark.parametrize(
    ("v1", "column"),
    [("etudiant", "status_scolarise"), ("sansEmploi", "status_sans_emploi"), ("enEmploi", "status_en_emploi"),
     ("retraite", "status_retraite"), ("heterogene", "status_non_communique")],
)  # fmt: skip
def test_each_status(legacy, v1, column):
    row = mapped(with_cra(statut=dict.fromkeys(cras_module.STATUSES, 0) | {v1: 1}))
    assert row[column] == 1


def test_unanswered_people_are_non_communique(legacy):
    row = mapped(
        with_cra(
            activite="collectif",
            nbParticipants=5,
            nbParticipantsRecurrents=2,
            age=dict.fromkeys(cras_module.AGES, 0) | {"de35a60ans": 3},
            statut=dict.fromkeys(cras_module.STATUSES, 0) | {"enEmploi": 1, "heterogene": 1},
        )
    )
    assert (row["age_quarante_cinquante_neuf"], row["age_non_communique"]) == (3, 2)
    assert (row["status_en_emploi"], row["status_non_communique"]) == (1, 4)
    assert row["gender_non_communique"] == 5 and row["already_accompanied"] == 2
    assert json.loads(row["raw"])["statut"]["heterogene"] == 1


@pytest.mark.parametrize(
    ("organismes", "structure"),
    [([{"CAF": 1}], "operateur_ou_organisme_en_charge"), ([{"Mairie": 2}, {"CCAS": 3}], "aide_sociale"),
     ([{"Pôle emploi": 1}], "insertion_professionnelle"),
     ([{"France Services": 1}], "aide_aux_demarches_administratives"),
     ([{"Médiathèque": 1}], "mediation_numerique"), ([{"Revendeur informatique": 1}], "autre"),
     ([{"Un organisme libre": 1}], "autre"), ([{"Préfecture": 1}], "administration")],
)  # fmt: skip
def test_organismes(legacy, organismes, structure):
    row = mapped(with_cra(organismes=organismes))
    assert (row["redirected"], row["redirection_structure"]) == (True, structure)
    assert json.loads(row["raw"])["organismes"] == organismes


@pytest.mark.parametrize(
    ("moment", "day"),
    [("2024-03-05T00:00:00.000Z", date(2024, 3, 5)), ("2024-03-04T23:00:00.000Z", date(2024, 3, 5)),
     ("2024-07-04T22:00:00.000Z", date(2024, 7, 5)), ("2024-07-05T21:59:00.000Z", date(2024, 7, 5))],
)  # fmt: skip
def test_date_is_the_paris_day(legacy, moment, day):
    assert mapped(with_cra(dateAccompagnement=datetime.fromisoformat(moment)))["date"] == day


def test_unknown_commune_is_kept_in_raw(legacy):
    row = mapped(with_cra(codeCommune="99999", codePostal="99999", nomCommune="NULLE PART"))
    assert row["commune"] is None
    assert json.loads(row["raw"])["codeCommune"] == "99999"


@pytest.mark.parametrize(
    ("changes", "reason"),
    [({"activite": "atelier"}, "type d'activité inconnu"), ({"canal": "ailleurs"}, "canal inconnu"),
     ({"nbParticipants": 0}, "aucun participant"), ({"nbParticipants": 3}, "1 attendu"),
     ({"nbParticipantsRecurrents": 2}, "participants récurrents"), ({"themes": []}, "aucune thématique"),
     ({"themes": ["cuisine"]}, "thématique inconnue"), ({"duree": 0}, "durée nulle"),
     ({"duree": "longtemps"}, "durée illisible"),
     ({"age": {"plus60ans": 2}}, "somme des tranches d'âge (2) supérieure"),
     ({"statut": {"chomage": 1}}, "valeur inconnue"),
     ({"dateAccompagnement": datetime(2019, 12, 31, 12, tzinfo=UTC)}, "antérieure au 01/01/2020"),
     ({"dateAccompagnement": datetime(2999, 1, 1, tzinfo=UTC)}, "dans le futur"),
     ({"dateAccompagnement": None}, "date d'accompagnement absente")],
)  # fmt: skip
def test_refusals(legacy, changes, reason):
    with pytest.raises(Rejected, match=re.escape(reason)):
        CrasImporter().map(with_cra(**changes))


# Loading: the real driver on an export file.


def write_export(path: Path, documents_or_lines) -> str:
    lines = []
    for item in documents_or_lines:
        lines.append(item if isinstance(item, str) else json.dumps(item))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def variant(number: int, **cra) -> str:
    """A sample line with another ObjectId (and optional cra changes), as raw extended JSON text."""
    document = json.loads(SAMPLE.read_text(encoding="utf-8").splitlines()[number % 3])
    document["_id"] = {"$oid": f"65{number:022d}"}
    document["cra"].update(cra)
    return json.dumps(document)


def test_import_sample_file(legacy, tmp_path):
    summary = run_import(CrasImporter(), str(SAMPLE), progress=False)
    assert (summary.imported, summary.rejected, summary.existing) == (3, 0, 0)
    first = Activity.objects.get(pk=ImportedActivity.objects.get(external_id="640000000000000000000001").activity_id)
    assert first.idempotency_token == cras_module.uuid.uuid5(cras_module.TOKEN_NAMESPACE, "640000000000000000000001")
    assert first.advisor == legacy["advisor"] and first.structure == legacy["structure"]
    assert first.place == legacy["place"]
    assert (first.department_id, first.region_id, first.structure_type) == ("01", "84", "association")
    assert first.commune_id == "01053"
    second = ImportedActivity.objects.get(external_id="640000000000000000000002")
    activity = Activity.objects.get(pk=second.activity_id)
    assert (activity.kind, activity.participants, activity.already_accompanied) == ("collectif", 8, 3)
    assert activity.place is None and activity.commune_id == "01283" and activity.duration == 120
    assert ImportedActivity.objects.get(external_id="640000000000000000000003").raw == {"activite": "ponctuel"}


def test_rejections_carry_line_and_reason_and_rerun_imports_nothing_twice(legacy, tmp_path):
    lines = [
        variant(1),
        variant(2, canal="ailleurs"),
        "{pas du json",
        variant(4).replace(ADVISOR, "6000000000000000000000ff"),
        variant(5).replace(STRUCTURE, "5f00000000000000000000ff"),
        variant(6),
    ]
    path = write_export(tmp_path / "cras.json", lines)
    summary = run_import(CrasImporter(), path, progress=False)
    assert (summary.imported, summary.rejected) == (2, 4)
    rejections = list(Rejection.objects.values_list("line", "reason"))
    assert rejections[0] == (2, "canal inconnu : 'ailleurs'")
    assert rejections[1][0] == 3 and rejections[1][1].startswith("JSON illisible")
    assert rejections[2] == (4, "conseiller inconnu (non importé) : 6000000000000000000000ff")
    assert rejections[3] == (5, "structure inconnue (non importée) : 5f00000000000000000000ff")
    counts = (Activity.objects.count(), ImportedActivity.objects.count())
    # The same file again (a finished run): nothing new.
    again = run_import(CrasImporter(), path, progress=False)
    assert (again.imported, again.existing, again.rejected) == (0, 2, 4)
    assert (Activity.objects.count(), ImportedActivity.objects.count()) == counts
    dry = run_import(CrasImporter(), path, progress=False, dry_run=True)
    assert (dry.imported, dry.existing) == (0, 2)


def test_resume_after_interruption(legacy, tmp_path, monkeypatch):
    monkeypatch.setattr(CrasImporter, "chunk_size", 2)
    path = write_export(tmp_path / "cras.json", [variant(number) for number in range(1, 8)])
    with pytest.raises(InterruptedError):
        run_import(CrasImporter(), path, progress=False, stop_after_chunks=2)
    assert Activity.objects.count() == 4
    summary = run_import(CrasImporter(), path, progress=False)
    assert summary.resumed_from == 4 and summary.imported == 3
    assert Activity.objects.count() == ImportedActivity.objects.count() == 7


def _index_set() -> set[str]:
    """The indexes and foreign keys of the reports table and of ImportedActivity, as the database has them."""
    names = set()
    with connection.cursor() as cursor:
        for model in (Activity, ImportedActivity):
            constraints = connection.introspection.get_constraints(cursor, model._meta.db_table)
            names |= {name for name, info in constraints.items() if info["index"] or info["foreign_key"]}
    return names


def test_large_file_drops_and_rebuilds_exactly_the_migration_indexes(legacy, tmp_path, monkeypatch):
    before = _index_set()
    assert set(bulkindexes.index_names(Activity)) <= before
    monkeypatch.setattr(cras_module, "INDEX_THRESHOLD", 0)
    monkeypatch.setattr(CrasImporter, "chunk_size", 2)
    path = write_export(tmp_path / "cras.json", [variant(number) for number in range(1, 6)])
    with pytest.raises(InterruptedError):
        run_import(CrasImporter(), path, progress=False, stop_after_chunks=1)
    assert not set(bulkindexes.index_names(Activity)) & _index_set()  # dropped during the load
    if connection.vendor == "postgresql":
        assert _index_set() < before  # foreign keys too
    run_import(CrasImporter(), path, progress=False)
    assert _index_set() == before
    bulkindexes.rebuild_indexes(Activity)  # idempotent
    assert _index_set() == before


def test_indicators_equal_a_naive_recount_after_import(legacy, tmp_path):
    lines = [
        variant(n, dateAccompagnement={"$date": f"2024-0{1 + n % 6}-{1 + n % 27:02d}T23:00:00.000Z"})
        for n in range(1, 60)
    ]
    path = write_export(tmp_path / "cras.json", lines)
    run_import(CrasImporter(), path, progress=False)
    rollups.rebuild()
    assert ActivityRollup.objects.exists()
    period = Period(date(2024, 1, 1), date(2024, 12, 31))
    structure = legacy["structure"]
    for scope in (Scope.national(), Scope.departments(["01"]), Scope.structures([structure.pk])):
        for filters in (Filters(), Filters(theme="email"), Filters(kind="collectif")):
            fast = activity_statistics(scope, period, filters, today=date(2025, 1, 1))
            naive = activity_statistics_naive(scope, period, filters, today=date(2025, 1, 1))
            assert fast.totals == naive.totals


def test_command_rebuilds_the_rollups_after_the_reports(legacy, tmp_path):
    from io import StringIO

    from django.core.management import call_command

    output = StringIO()
    call_command("import_legacy", "cras", str(SAMPLE), "--no-progress", "--rejects-dir", str(tmp_path), stdout=output)
    assert "agrégats (rollups)" in output.getvalue()
    national = ActivityRollup.objects.filter(level=3, theme=0)
    assert sum(national.values_list("activities", flat=True)) == 3


@pytest.mark.django_db(transaction=True)
def test_final_rollups_phase_writes_the_same_rows_as_the_plain_rebuild(legacy, tmp_path):
    """On PostgreSQL outside a transaction the levels run on two connections; the rows must not change."""
    from switchover.finalize import rollups_rebuild

    lines = [variant(n, dateAccompagnement={"$date": f"2024-0{1 + n % 6}-1{n % 9}T23:00:00.000Z"}) for n in range(40)]
    run_import(CrasImporter(), write_export(tmp_path / "cras.json", lines), progress=False)
    columns = [field.name for field in ActivityRollup._meta.fields if field.name != "id"]
    rollups.rebuild()
    expected = sorted(ActivityRollup.objects.values_list(*columns))
    count, _ = rollups_rebuild()
    assert count == len(expected) > 0
    assert sorted(ActivityRollup.objects.values_list(*columns)) == expected
