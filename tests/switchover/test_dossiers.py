"""Imported dossiers are real dossiers: statuses → steps, history as the decision log, live processes for open ones
(queues scoped to their department, decided normally), closed ones in the Dossiers search, candidates, idempotency,
resume and rejections."""

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from directory.enums import ContractType
from switchover.importers.dossiers import (
    CandidateImporter,
    RecruitmentDossierImporter,
    RuptureDossierImporter,
    StructureDossierImporter,
    paris_date,
)
from switchover.models import LegacyRecord, Rejection
from switchover.pipeline import Rejected, Skipped, run_import
from tests import personas
from tests.directory.factories import AdvisorFactory, StructureFactory, contract_for
from tests.territories.factories import commune, department
from workflows import selectors, services
from workflows.enums import (
    CandidateStatus,
    Kind,
    MaxDistance,
    PrefectureOpinion,
    RecruitmentStatus,
    RuptureMotive,
    RuptureStatus,
    Step,
    StructureApplicationStatus,
    Verdict,
)
from workflows.models import AdvisorApplication, Decision, Recruitment, Rupture, StructureApplication, WorkItem

SAMPLE = Path(__file__).parent / "sample"
FORMER = "(reprise de l'ancien système)"


def ext(value):
    """A value in mongoexport's relaxed Extended JSON."""
    if isinstance(value, datetime):
        return {"$date": value.astimezone(UTC).isoformat().replace("+00:00", "Z")}
    if isinstance(value, dict):
        return {key: ext(item) for key, item in value.items()}
    if isinstance(value, list):
        return [ext(item) for item in value]
    return value


def export(tmp_path, name, documents) -> str:
    path = tmp_path / f"{name}.json"
    path.write_text("\n".join(json.dumps(ext(document)) for document in documents) + "\n", encoding="utf-8")
    return str(path)


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def legacy(collection, external_id, target):
    LegacyRecord.objects.create(collection=collection, external_id=external_id, target_id=target.pk)


def structure_doc(oid, *, statut="CREEE", code="75056", siret="21750001600019", prefet=(), coselec=(), **extra):
    return {
        "_id": {"$oid": oid},
        "idPG": int(oid[-4:], 16),
        "type": "COMMUNE",
        "nom": f"COMMUNE {oid[-4:]}",
        "siret": siret,
        "statut": statut,
        "contact": {"prenom": "Ada", "nom": "Lovelace", "fonction": "DGS", "email": "ada@mairie.test"},
        "codeCommune": code,
        "nombreConseillersSouhaites": 2,
        "createdAt": utc(2024, 5, 2, 13, 58),
        "updatedAt": utc(2024, 5, 20, 10),
        "prefet": list(prefet),
        "coselec": list(coselec),
        **extra,
    }


@pytest.fixture
def ain(db):
    for code in ("01053", "01283", "01173"):
        commune(code)


@pytest.fixture
def sample_structures(ain):
    """The directory importers' result for the sample (another branch): the validated structure and its ids."""
    bourg = StructureFactory(siret="21010053300012", name="COMMUNE DE BOURG-EN-BRESSE", commune=commune("01053"))
    legacy("structures", "5f0000000000000000000001", bourg)
    return bourg


def import_structures(path=None):
    return run_import(StructureDossierImporter(), path or str(SAMPLE / "structures.json"), progress=False)


# --- Mapping tables -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "statut, prefet, coselec, status, open_step",
    [
        ("CREEE", [], [], StructureApplicationStatus.PREFECTURE_REVIEW, Step.STRUCTURE_PREFECTURE),
        ("CREEE", ["POSITIF"], [], StructureApplicationStatus.HUB_VALIDATION, Step.STRUCTURE_HUB),
        ("EXAMEN_COMPLEMENTAIRE_COSELEC", [], ["EXAMEN COMPLÉMENTAIRE"], "avis_prefecture", Step.STRUCTURE_PREFECTURE),
        (
            "EXAMEN_COMPLEMENTAIRE_COSELEC",
            ["NÉGATIF"],
            [],
            StructureApplicationStatus.HUB_VALIDATION,
            Step.STRUCTURE_HUB,
        ),
        ("VALIDATION_COSELEC", ["POSITIF"], ["POSITIF"], StructureApplicationStatus.GRANTED, ""),
        ("REFUS_COSELEC", [], ["NÉGATIF"], StructureApplicationStatus.REFUSED, ""),
        ("REFUS_COORDINATEUR", [], [], StructureApplicationStatus.REFUSED, ""),
        ("DOUBLON", [], [], StructureApplicationStatus.DUPLICATE, ""),
        ("ANNULEE", [], [], StructureApplicationStatus.WITHDRAWN, ""),
        ("ABANDON", [], [], StructureApplicationStatus.WITHDRAWN, ""),
        ("ABANDON", [], ["POSITIF"], StructureApplicationStatus.GRANTED, ""),
    ],
)
def test_structure_statuses_map_to_our_statuses_and_steps(statut, prefet, coselec, status, open_step):
    document = structure_doc(
        "5f00000000000000000000aa",
        statut=statut,
        prefet=[{"avisPrefet": avis, "insertedAt": utc(2024, 5, 10)} for avis in prefet],
        coselec=[
            {"avisCoselec": avis, "nombreConseillersCoselec": 2, "numero": "COSELEC 40", "insertedAt": utc(2024, 6, 1)}
            for avis in coselec
        ],
    )
    dossier = StructureDossierImporter().map(ext_roundtrip(document))
    assert dossier.fields["status"] == status
    assert dossier.open_step == open_step
    assert dossier.fields["prefecture_opinion"] == (
        {"POSITIF": PrefectureOpinion.FAVORABLE, "NÉGATIF": PrefectureOpinion.UNFAVORABLE}[prefet[-1]]
        if prefet
        else ""
    )
    if status == StructureApplicationStatus.GRANTED:
        assert dossier.fields["posts_granted"] == 2


def ext_roundtrip(document):
    from switchover import extjson

    return extjson.loads(json.dumps(ext(document)))


@pytest.mark.parametrize(
    "statut, status, open_step",
    [
        ("interessee", RecruitmentStatus.PRESELECTED, Step.RECRUITMENT_CONTRACT),
        ("recrutee", RecruitmentStatus.HUB_VALIDATION, Step.RECRUITMENT_HUB),
        ("finalisee", RecruitmentStatus.ACTIVE, ""),
        ("terminee", RecruitmentStatus.ACTIVE, ""),
        ("nouvelle_rupture", RecruitmentStatus.ACTIVE, ""),
        ("finalisee_rupture", RecruitmentStatus.ENDED, ""),
        ("terminee_naturelle", RecruitmentStatus.ENDED, ""),
    ],
)
def test_mise_en_relation_statuses_map_to_recruitment_statuses(statut, status, open_step):
    document = mise_doc("61000000000000000000aa01", statut)
    dossier = RecruitmentDossierImporter(now=AT).map(ext_roundtrip(document))
    assert (dossier.fields["status"], dossier.open_step) == (status, open_step)


@pytest.mark.parametrize("statut", ["nouvelle", "nonInteressee", "non_disponible", "renouvellement_initiee"])
def test_suggestions_and_renewal_contracts_are_not_recruitments(statut):
    with pytest.raises(Skipped):
        RecruitmentDossierImporter(now=AT).map(ext_roundtrip(mise_doc("61000000000000000000aa02", statut)))


def test_a_renewal_contract_is_no_second_recruitment():
    document = mise_doc(
        "61000000000000000000aa03", "finalisee", miseEnRelationConventionnement="6100000000000000000000ff"
    )
    with pytest.raises(Skipped):
        RecruitmentDossierImporter(now=AT).map(ext_roundtrip(document))


@pytest.mark.parametrize(
    "motif, motive",
    [
        ("licenciement", RuptureMotive.DISMISSAL),
        ("nonReconductionCDD", RuptureMotive.CDD_NOT_RENEWED),
        ("demission", RuptureMotive.RESIGNATION),
        ("CDIsation", RuptureMotive.CDISATION),
        ("FinDeSubventionnement", RuptureMotive.END_OF_FUNDING),
    ],
)
def test_rupture_motives(motif, motive):
    document = mise_doc("61000000000000000000aa04", "finalisee_rupture", motifRupture=motif)
    assert RuptureDossierImporter().map(ext_roundtrip(document)).fields["motive"] == motive


def test_unknown_values_are_refused_with_a_reason():
    with pytest.raises(Rejected, match="statut de structure inconnu"):
        StructureDossierImporter().map(ext_roundtrip(structure_doc("5f00000000000000000000ab", statut="EN_ATTENTE")))
    with pytest.raises(Rejected, match="type de contrat inconnu"):
        RecruitmentDossierImporter(now=AT).map(
            ext_roundtrip(mise_doc("61000000000000000000aa05", "finalisee", typeDeContrat="X"))
        )
    with pytest.raises(Rejected, match="motif de rupture inconnu"):
        RuptureDossierImporter().map(
            ext_roundtrip(mise_doc("61000000000000000000aa06", "nouvelle_rupture", motifRupture="?"))
        )


@pytest.mark.parametrize("stored", [utc(2021, 3, 14, 23), utc(2021, 3, 15), utc(2021, 6, 30, 22)])
def test_date_only_fields_are_read_as_paris_dates(stored):
    expected = date(2021, 7, 1) if stored.month == 6 else date(2021, 3, 15)
    assert paris_date(stored) == expected
    document = mise_doc("61000000000000000000aa07", "finalisee", dateDebutDeContrat=stored)
    assert RecruitmentDossierImporter(now=AT).map(ext_roundtrip(document)).fields["contract_start"] == expected


# --- Structure applications ---------------------------------------------------------------------------------------


def test_sample_structures_become_applications_with_their_history(sample_structures):
    summary = import_structures()
    assert (summary.imported, summary.rejected) == (3, 0)
    granted = StructureApplication.objects.get(siret="21010053300012")
    assert granted.status == StructureApplicationStatus.GRANTED and granted.posts_granted == 3
    assert granted.structure == sample_structures and granted.process is None
    assert granted.prefecture_opinion == PrefectureOpinion.FAVORABLE and granted.department_id == "01"
    assert granted.address == "11 RUE DE LA REPUBLIQUE" and granted.start_date == date(2021, 3, 1)
    assert granted.created_at == utc(2020, 11, 20, 9, 10)
    lines = list(selectors.timeline(Kind.STRUCTURE, granted.pk))
    assert [line.verdict for line in lines] == [
        Verdict.SUBMITTED,  # 2020-11-20
        Verdict.CONFIRMED,
        Verdict.FAVORABLE,  # prefect, 2020-12-10
        Verdict.GRANTED,  # COSELEC 3
        Verdict.SUBMITTED,  # avenant, 2022-12-01
        Verdict.FAVORABLE,  # avenant's prefect opinion
        Verdict.GRANTED,  # COSELEC 21
        Verdict.GRANTED,  # avenant validated
        Verdict.IMPORTED,
    ]
    prefect = lines[2]
    assert prefect.created_at == utc(2020, 12, 10) and prefect.actor_label == f"Préfecture {FORMER}"
    assert prefect.internal_note == "Projet solide, quartier prioritaire." and prefect.message_to_applicant == ""
    assert prefect.step == Step.STRUCTURE_PREFECTURE and prefect.actor is None
    assert (
        lines[3].reason == "COSELEC 3 — 2 poste(s) — phase 1" and lines[3].actor_label == f"Équipe nationale {FORMER}"
    )
    assert lines[4].reason == "Avenant (ajout) : 1 poste(s) — Ouverture d'un second lieu"
    assert lines[5].internal_note == "Besoin confirmé"
    assert "1201" in lines[-1].reason and "VALIDATION_COSELEC" in lines[-1].reason
    record = LegacyRecord.objects.get(collection="dossiers-structures", external_id="5f0000000000000000000001")
    assert record.target_id == granted.pk and record.legacy_number == 1201
    assert record.raw["conventionnement"]["statut"] == "RECONVENTIONNEMENT_VALIDÉ" and "prefet" not in record.raw
    refused = StructureApplication.objects.get(siret="20004230700013")
    assert refused.status == StructureApplicationStatus.REFUSED and refused.process is None
    assert refused.start_date == date(2021, 4, 2)  # no dateDebutMission: the deposit's date


def test_an_open_application_with_an_opinion_waits_for_the_hub_from_the_import_date(sample_structures):
    before = timezone.now()
    import_structures()
    application = StructureApplication.objects.get(siret="41234567000027")
    assert application.status == StructureApplicationStatus.HUB_VALIDATION
    assert application.prefecture_opinion == PrefectureOpinion.UNFAVORABLE and application.process is not None
    item = WorkItem.objects.get(kind=Kind.STRUCTURE, subject_id=application.pk, is_open=True)
    assert item.step == Step.STRUCTURE_HUB and item.department_id == "01"
    assert item.prefecture_opinion == PrefectureOpinion.UNFAVORABLE and item.posts_requested == 1
    assert item.due_at >= before + timedelta(days=settings.WORKFLOW_TASK_DEADLINE_DAYS)
    # The prefecture's step is done (by the existing system), not left open.
    assert not WorkItem.objects.filter(
        kind=Kind.STRUCTURE, subject_id=application.pk, step=Step.STRUCTURE_PREFECTURE, is_open=True
    ).exists()


def test_the_dossier_page_shows_the_imported_history_and_internal_notes_to_agents_only(
    client, sample_structures, national_admin
):
    import_structures()
    granted = StructureApplication.objects.get(siret="21010053300012")
    client.force_login(national_admin)
    page = client.get(reverse("workflows:structure_application", args=[granted.pk]))
    assert page.status_code == 200
    assert (
        "Historique repris de l&#x27;ancien système" in page.text
        or "Historique repris de l'ancien système" in page.text
    )
    assert "Projet solide, quartier prioritaire." in page.text and "10 décembre 2020" in page.text
    manager = personas.user_with_role(Role.STRUCTURE_MANAGER, "gestion@bourg.test", structure=sample_structures)
    client.force_login(manager)
    page = client.get(reverse("workflows:structure_application", args=[granted.pk]))
    assert page.status_code == 200 and "COSELEC 21" in page.text
    assert "Projet solide" not in page.text and "Besoin confirmé" not in page.text


def test_closed_imported_applications_are_found_in_the_dossiers_search(client, sample_structures):
    import_structures()
    agent = personas.user_with_role(Role.PREFECTURE, "agent@ain.gouv.fr", department=department("01"))
    client.force_login(agent)
    page = client.get(reverse("workflows:dossiers"), {"type": "structures"})
    assert page.status_code == 200
    for name in ("COMMUNE DE BOURG-EN-BRESSE", "CC DU PAYS DE GEX", "ASSOCIATION LES PETITS DEBROUILLARDS AIN"):
        assert name in page.text
    page = client.get(reverse("workflows:dossiers"), {"type": "structures", "statut": "refusee"})
    assert page.status_code == 200


def test_open_applications_reach_their_department_queue_only_and_are_decided_normally(
    tmp_path, prefecture_paris, prefecture_marseille, hub_agent, django_capture_on_commit_callbacks
):
    commune("75056"), commune("13055")
    paris = structure_doc("5f00000000000000000000c1", code="75056", siret="21750001600019")
    marseille = structure_doc("5f00000000000000000000c2", code="13055", siret="21130055300016")
    run_import(StructureDossierImporter(), export(tmp_path, "structures", [paris, marseille]), progress=False)
    paris_app = StructureApplication.objects.get(siret="21750001600019")
    marseille_app = StructureApplication.objects.get(siret="21130055300016")
    assert paris_app.status == marseille_app.status == StructureApplicationStatus.PREFECTURE_REVIEW
    paris_queue = list(selectors.queue_items(prefecture_paris))
    assert [(item.subject_id, item.step) for item in paris_queue] == [(paris_app.pk, Step.STRUCTURE_PREFECTURE)]
    assert [item.subject_id for item in selectors.queue_items(prefecture_marseille)] == [marseille_app.pk]
    services.structure_prefecture_review(
        work_item=paris_queue[0],
        user=prefecture_paris,
        opinion="favorable",
        internal_note="Besoin réel, avis favorable.",
    )
    hub_item = WorkItem.objects.get(
        kind=Kind.STRUCTURE, subject_id=paris_app.pk, step=Step.STRUCTURE_HUB, is_open=True
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.structure_hub_decide(work_item=hub_item, user=hub_agent, decision="attribuer", posts_granted=2)
    paris_app.refresh_from_db()
    assert paris_app.status == StructureApplicationStatus.GRANTED and paris_app.structure.posts_granted == 2
    verdicts = list(selectors.timeline(Kind.STRUCTURE, paris_app.pk).values_list("verdict", flat=True))
    assert verdicts == [Verdict.SUBMITTED, Verdict.IMPORTED, Verdict.FAVORABLE, Verdict.GRANTED]


def test_granting_an_imported_application_validates_its_imported_structure(tmp_path, hub_agent, prefecture_paris):
    structure = StructureFactory(just_applied=True, siret="21750001600019")
    legacy("structures", "5f00000000000000000000c3", structure)
    document = structure_doc(
        "5f00000000000000000000c3",
        prefet=[{"avisPrefet": "POSITIF", "commentairePrefet": "Oui", "insertedAt": utc(2024, 5, 9)}],
    )
    run_import(StructureDossierImporter(), export(tmp_path, "structures", [document]), progress=False)
    application = StructureApplication.objects.get(siret="21750001600019")
    item = WorkItem.objects.get(kind=Kind.STRUCTURE, subject_id=application.pk, is_open=True)
    services.structure_hub_decide(work_item=item, user=hub_agent, decision="attribuer", posts_granted=1)
    structure.refresh_from_db()
    assert structure.status == "validee" and structure.posts_granted == 1
    application.refresh_from_db()
    assert application.structure == structure


def test_structure_import_twice_imports_nothing_twice(sample_structures):
    import_structures()
    counts = (StructureApplication.objects.count(), Decision.objects.count(), WorkItem.objects.count())
    second = import_structures()
    assert (second.imported, second.existing) == (0, 3)
    assert (StructureApplication.objects.count(), Decision.objects.count(), WorkItem.objects.count()) == counts


def test_an_interrupted_structure_import_resumes_after_its_last_chunk(sample_structures):
    importer = StructureDossierImporter()
    importer.chunk_size = 1
    with pytest.raises(InterruptedError):
        run_import(importer, str(SAMPLE / "structures.json"), progress=False, stop_after_chunks=1)
    assert StructureApplication.objects.count() == 1
    summary = run_import(importer, str(SAMPLE / "structures.json"), progress=False)
    assert summary.resumed_from == 1 and summary.imported == 2
    assert StructureApplication.objects.count() == 3 and WorkItem.objects.filter(is_open=True).count() == 1


def test_rejected_structures_are_reported_with_their_line(tmp_path, ain):
    documents = [
        structure_doc("5f00000000000000000000d1", code="01053", siret="21010053300012"),
        structure_doc("5f00000000000000000000d2", code="99999"),
        structure_doc("5f00000000000000000000d3", code="01053", siret="21010053300012"),  # same SIRET, both open
        structure_doc("5f00000000000000000000d4", statut="?"),
    ]
    summary = run_import(StructureDossierImporter(), export(tmp_path, "structures", documents), progress=False)
    assert (summary.imported, summary.rejected) == (1, 3)
    reasons = list(Rejection.objects.values_list("line", "reason"))
    assert reasons == [
        (2, "commune inconnue : 99999"),
        (3, "une candidature en cours utilise déjà le SIRET 21010053300012"),
        (4, "statut de structure inconnu : '?'"),
    ]


# --- Candidates ---------------------------------------------------------------------------------------------------

AT = utc(2025, 1, 1)


@pytest.fixture
def sample_advisors(sample_structures):
    """The directory importers' advisors and contracts of the sample (another branch)."""
    lea = AdvisorFactory(first_name="Léa", last_name="Dupont", structure=sample_structures)
    marc = AdvisorFactory(first_name="Marc", last_name="Lefèvre", structure=sample_structures, ended=True)
    legacy("conseillers", "600000000000000000000001", lea)
    legacy("conseillers", "600000000000000000000002", marc)
    first = contract_for(lea, contract_type=ContractType.CDD, start=date(2021, 3, 15), end=date(2023, 3, 14))
    legacy("misesEnRelation", "610000000000000000000001", first)
    return lea, marc


def import_candidates(path=None, now=AT):
    return run_import(CandidateImporter(now=now), path or str(SAMPLE / "conseillers.json"), progress=False)


def test_sample_conseillers_become_candidacies(sample_advisors):
    lea, marc = sample_advisors
    summary = import_candidates()
    assert (summary.imported, summary.skipped, summary.rejected) == (3, 0, 0)
    recruited = AdvisorApplication.objects.get(email="lea.dupont@example.org")
    assert recruited.status == CandidateStatus.RECRUITED and recruited.advisor == lea
    assert recruited.max_distance_km == 20 and recruited.has_experience and recruited.is_job_seeker
    assert recruited.available_from == date(2021, 2, 1) and recruited.longitude == 5.2256
    assert recruited.updated_at == utc(2024, 1, 1)  # the retention clock keeps the existing system's date
    ended = AdvisorApplication.objects.get(email="marc.lefevre@example.org")
    assert ended.status == CandidateStatus.AVAILABLE and ended.advisor == marc  # RUPTURE, disponible
    ines = AdvisorApplication.objects.get(email="ines.moreau@example.org")
    assert ines.status == CandidateStatus.AVAILABLE and ines.advisor is None
    assert ines.has_diploma and ines.diploma_name == "Titre professionnel REMN"
    assert ines.max_distance_km == MaxDistance.FRANCE and ines.motivation == "Je souhaite accompagner les seniors."
    assert ines.department_id == "01" and not ines.cv
    verdicts = list(selectors.timeline(Kind.CANDIDATE, ines.pk).values_list("verdict", flat=True))
    assert verdicts == [Verdict.SUBMITTED, Verdict.CONFIRMED, Verdict.IMPORTED]
    assert (
        "CV non repris"
        in Decision.objects.get(kind=Kind.CANDIDATE, subject_id=ines.pk, verdict=Verdict.IMPORTED).reason
    )
    assert import_candidates().imported == 0 and AdvisorApplication.objects.count() == 3


def test_an_advisor_whose_contract_ended_at_its_term_keeps_her_candidacy(tmp_path, sample_advisors):
    lines = (SAMPLE / "conseillers.json").read_text(encoding="utf-8").splitlines()
    marc = json.loads(lines[1])
    marc["statut"] = "TERMINE"
    path = tmp_path / "conseillers.json"
    path.write_text(json.dumps(marc) + "\n", encoding="utf-8")
    summary = import_candidates(str(path))
    assert (summary.imported, summary.rejected) == (1, 0)
    assert AdvisorApplication.objects.get().status == CandidateStatus.AVAILABLE


def test_a_structure_that_gave_every_post_back_keeps_its_largest_grant():
    document = structure_doc(
        "5f00000000000000000000ab",
        statut="ABANDON",
        prefet=[],
        coselec=[
            {
                "avisCoselec": "POSITIF",
                "nombreConseillersCoselec": n,
                "numero": "COSELEC 40",
                "insertedAt": utc(2024, m, 1),
            }
            for n, m in ((2, 6), (0, 9))
        ],
    )
    dossier = StructureDossierImporter().map(ext_roundtrip(document))
    assert dossier.fields["status"] == StructureApplicationStatus.GRANTED
    assert dossier.fields["posts_granted"] == 2


def test_candidates_idle_for_two_years_are_not_imported(sample_advisors):
    summary = import_candidates(now=utc(2026, 7, 1))
    assert summary.skipped == 1  # Inès, last change 2024-06-01, no recruitment
    assert not AdvisorApplication.objects.filter(email="ines.moreau@example.org").exists()
    assert AdvisorApplication.objects.filter(email="lea.dupont@example.org").exists()  # recruited: kept


@pytest.mark.parametrize("given, offered", [(5, 5), (30, 40), (100, 100), (500, 2000), (None, 2000)])
def test_distances_map_to_the_offered_choices(given, offered):
    document = {
        "_id": {"$oid": "60000000000000000000aa01"},
        "prenom": "A",
        "nom": "B",
        "codeCommune": "01053",
        "distanceMax": given,
        "createdAt": AT,
        "updatedAt": AT,
    }
    assert CandidateImporter(now=AT).map(ext_roundtrip(document)).fields["max_distance_km"] == offered


# --- Recruitments and ends of contract ----------------------------------------------------------------------------


def mise_doc(oid, statut, **extra):
    document = {
        "_id": {"$oid": oid},
        "conseiller": {"$ref": "conseillers", "$id": {"$oid": "600000000000000000000003"}},
        "structure": {"$ref": "structures", "$id": {"$oid": "5f0000000000000000000001"}},
        "statut": statut,
        "distance": 12500,
        "createdAt": utc(2024, 6, 2),
    }
    if statut != "interessee":
        document.update(
            {
                "typeDeContrat": "CDD",
                "dateDebutDeContrat": utc(2024, 8, 31, 22),
                "dateFinDeContrat": utc(2025, 8, 30, 22),
                "salaire": 1850,
                "emetteurRecrutement": {"email": "c.martin@bourgenbresse.fr", "date": utc(2024, 7, 1)},
                "dateRupture": utc(2024, 12, 30, 23),
                "motifRupture": "demission",
                "emetteurRupture": {"email": "c.martin@bourgenbresse.fr", "date": utc(2024, 12, 1)},
            }
        )
    document.update(extra)
    return document


@pytest.fixture
def imported_candidates(sample_advisors):
    import_candidates()
    return sample_advisors


def test_sample_mises_en_relation_become_closed_recruitments_and_ruptures(imported_candidates):
    lea, marc = imported_candidates
    summary = run_import(RecruitmentDossierImporter(now=AT), str(SAMPLE / "misesEnRelation.json"), progress=False)
    assert (summary.imported, summary.skipped, summary.rejected) == (2, 2, 0)  # nouvelle, renewal contract skipped
    active = Recruitment.objects.get(candidate__email="lea.dupont@example.org")
    assert active.status == RecruitmentStatus.ACTIVE and active.advisor == lea and active.process is None
    assert active.contract.start == date(2021, 3, 15) and active.contract_type == ContractType.CDD
    assert (active.contract_start, active.contract_end, active.salary) == (date(2021, 3, 15), date(2023, 3, 14), 1750)
    verdicts = list(selectors.timeline(Kind.RECRUITMENT, active.pk).values_list("verdict", "created_at"))
    assert [verdict for verdict, _ in verdicts] == [
        Verdict.PRESELECTED,
        Verdict.PROPOSED,
        Verdict.VALIDATED,
        Verdict.DEPLOYED,
        Verdict.IMPORTED,
    ]
    assert verdicts[1][1] == utc(2021, 3, 1)
    ended = Recruitment.objects.get(candidate__email="marc.lefevre@example.org")
    # Only the recruitment under which the advisor is in post links to her (a one-to-one link).
    assert ended.status == RecruitmentStatus.ENDED and ended.advisor is None and ended.candidate.advisor == marc
    summary = run_import(RuptureDossierImporter(), str(SAMPLE / "misesEnRelation.json"), progress=False)
    assert (summary.imported, summary.skipped) == (1, 3)
    rupture = Rupture.objects.get()
    assert (rupture.advisor, rupture.recruitment, rupture.status) == (marc, ended, RuptureStatus.VALIDATED)
    assert rupture.end_date == date(2023, 3, 31) and rupture.motive == RuptureMotive.RESIGNATION
    assert rupture.validated_at == utc(2023, 3, 20) and rupture.process is None
    assert list(selectors.timeline(Kind.RUPTURE, rupture.pk).values_list("verdict", flat=True)) == [
        Verdict.NOTIFIED,
        Verdict.VALIDATED,
        Verdict.ENDED,
        Verdict.IMPORTED,
    ]
    again = run_import(RecruitmentDossierImporter(now=AT), str(SAMPLE / "misesEnRelation.json"), progress=False)
    assert (again.imported, again.existing) == (0, 2) and Recruitment.objects.count() == 2


def test_open_recruitments_and_ruptures_get_live_processes_at_their_step(tmp_path, imported_candidates, client):
    lea, _ = imported_candidates
    documents = [
        mise_doc("61000000000000000000bb01", "interessee"),
        mise_doc(
            "61000000000000000000bb02",
            "nouvelle_rupture",
            conseiller={"$ref": "conseillers", "$id": {"$oid": "600000000000000000000001"}},
            dossierIncompletRupture=True,
        ),
    ]
    path = export(tmp_path, "misesEnRelation", documents)
    summary = run_import(RecruitmentDossierImporter(now=AT), path, progress=False)
    assert (summary.imported, summary.rejected) == (2, 0)
    assert Recruitment.objects.get(advisor=lea).status == RecruitmentStatus.ACTIVE  # still in post during the rupture
    preselected = Recruitment.objects.get(candidate__email="ines.moreau@example.org")
    assert preselected.status == RecruitmentStatus.PRESELECTED and preselected.distance_km == 12.5
    item = WorkItem.objects.get(kind=Kind.RECRUITMENT, subject_id=preselected.pk, is_open=True)
    assert item.step == Step.RECRUITMENT_CONTRACT and item.structure_id == preselected.structure_id
    summary = run_import(RuptureDossierImporter(), path, progress=False)
    rupture = Rupture.objects.get(advisor=lea)
    assert rupture.status == RuptureStatus.INCOMPLETE and rupture.end_date == date(2024, 12, 31)
    item = WorkItem.objects.get(kind=Kind.RUPTURE, subject_id=rupture.pk, is_open=True)
    assert item.step == Step.RUPTURE_DOCUMENTS
    assert not WorkItem.objects.filter(kind=Kind.RUPTURE, step=Step.RUPTURE_VALIDATION, is_open=True).exists()


def test_a_recruitment_awaiting_validation_waits_for_the_hub(tmp_path, imported_candidates, hub_agent):
    path = export(tmp_path, "misesEnRelation", [mise_doc("61000000000000000000bb03", "recrutee")])
    run_import(RecruitmentDossierImporter(now=AT), path, progress=False)
    recruitment = Recruitment.objects.get(candidate__email="ines.moreau@example.org")
    assert recruitment.status == RecruitmentStatus.HUB_VALIDATION
    assert (recruitment.contract_start, recruitment.contract_end) == (date(2024, 9, 1), date(2025, 8, 31))
    item = WorkItem.objects.get(kind=Kind.RECRUITMENT, subject_id=recruitment.pk, is_open=True)
    assert item.step == Step.RECRUITMENT_HUB and item.department_id == "01"
    assert item.prefecture_opinion == PrefectureOpinion.FAVORABLE


@pytest.mark.parametrize("statut", ["interessee", "recrutee"])
def test_an_open_recruitment_idle_for_two_years_is_not_imported(statut):
    document = ext_roundtrip(mise_doc("61000000000000000000aa09", statut))
    assert RecruitmentDossierImporter(now=utc(2026, 6, 1)).map(document).fields["status"]
    with pytest.raises(Skipped, match="règle de conservation"):
        RecruitmentDossierImporter(now=utc(2026, 6, 3)).map(document)


def test_a_recruitment_of_an_unknown_candidate_is_rejected(tmp_path, sample_advisors):
    path = export(tmp_path, "misesEnRelation", [mise_doc("61000000000000000000bb04", "interessee")])
    summary = run_import(RecruitmentDossierImporter(now=AT), path, progress=False)
    assert summary.rejected == 1
    assert Rejection.objects.get().reason == "candidature du conseiller non reprise : 600000000000000000000003"


def test_a_dry_run_counts_without_writing(sample_structures):
    dry = run_import(StructureDossierImporter(), str(SAMPLE / "structures.json"), progress=False, dry_run=True)
    assert (dry.imported, dry.existing) == (3, 0) and not StructureApplication.objects.exists()
    import_structures()
    dry = run_import(StructureDossierImporter(), str(SAMPLE / "structures.json"), progress=False, dry_run=True)
    assert (dry.imported, dry.existing) == (0, 3)
