"""The whole switch-over over the checked-in generated export: every importer in order, rejections, rerun, figures,
and what an imported advisor and agent find afterwards."""

import csv
from datetime import date
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client

from accounts.services import invitation_url
from directory.models import Advisor, Contract, Place, Structure
from reporting.models import Activity
from reporting.scopes import Scope
from reporting.selectors import Filters, Period, activity_statistics, activity_statistics_naive
from switchover.importers import IMPORTERS
from switchover.invitations import advisor_invite
from switchover.models import ImportedActivity, ImportRun, LegacyRecord
from workflows.models import Decision, Recruitment, StructureApplication

pytestmark = pytest.mark.django_db

GENERATED = Path(__file__).parent / "generated"
# tests/switchover/generated/README.md: the defects the generator wrote on purpose.
UNKNOWN_ADVISOR_REPORTS, BAD_SUM_REPORTS, UNKNOWN_COMMUNE_REPORTS = 4, 6, 3


@pytest.fixture
def territories():
    call_command("load_territories", verbosity=0)


def import_all(tmp_path):
    call_command("import_legacy", all=str(GENERATED), rejects_dir=str(tmp_path), no_progress=True, stdout=None)


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Structure, Advisor, Place, Contract, StructureApplication, Recruitment, Decision, Activity)
    }


def test_every_collection_imports_and_a_rerun_imports_nothing_twice(territories, tmp_path):
    import_all(tmp_path)
    runs = {run.collection: run for run in ImportRun.objects.all()}
    assert set(runs) == set(IMPORTERS)
    assert all(run.status == "done" for run in runs.values())
    assert runs["cras"].rejected == UNKNOWN_ADVISOR_REPORTS + BAD_SUM_REPORTS
    assert runs["cras"].imported == 1000 - UNKNOWN_ADVISOR_REPORTS - BAD_SUM_REPORTS
    assert sum(run.rejected for name, run in runs.items() if name != "cras") == 0
    with open(tmp_path / "rejets-cras.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    assert rows[0] == ["Fichier", "Ligne", "Identifiant d'origine", "Motif du rejet"]
    reasons = [row[3] for row in rows[1:]]
    assert sum("conseiller inconnu" in reason for reason in reasons) == UNKNOWN_ADVISOR_REPORTS
    assert sum("tranches d'âge" in reason for reason in reasons) == BAD_SUM_REPORTS
    assert all(row[0] == "cras.json" and int(row[1]) > 0 for row in rows[1:])
    # A report whose commune code is unknown is kept, without commune, its codes in the raw column.
    unknown_commune = ImportedActivity.objects.filter(raw__has_key="codeCommune")
    assert unknown_commune.count() == UNKNOWN_COMMUNE_REPORTS
    assert not Activity.objects.filter(pk__in=unknown_commune.values("activity")).exclude(commune=None).exists()
    assert ImportedActivity.objects.count() == Activity.objects.count()
    # Every imported structure, advisor and place is mapped to its external id.
    assert LegacyRecord.objects.filter(collection="structures").count() == Structure.objects.count() == 20
    assert LegacyRecord.objects.filter(collection="conseillers").count() == Advisor.objects.count() == 30

    before = counts()
    import_all(tmp_path)
    assert counts() == before
    second = ImportRun.objects.filter(pk__gt=max(run.pk for run in runs.values()))
    assert sum(second.values_list("imported", flat=True)) == 0


def test_indicators_equal_a_naive_recount_over_the_imported_reports(territories, tmp_path):
    import_all(tmp_path)
    period = Period(date(2021, 1, 1), date(2024, 12, 31))
    structure = Activity.objects.values_list("structure", flat=True).first()
    department = Activity.objects.exclude(department=None).values_list("department", flat=True).first()
    for scope in (Scope.national(), Scope.departments([department]), Scope.structures([structure])):
        for filters in (Filters(), Filters(kind="collectif")):
            fast = activity_statistics(scope, period, filters, today=date(2025, 1, 1))
            naive = activity_statistics_naive(scope, period, filters, today=date(2025, 1, 1))
            assert fast.totals == naive.totals
            assert fast.totals


def test_an_imported_advisor_is_invited_and_finds_her_history(
    territories, tmp_path, national_admin, django_capture_on_commit_callbacks
):
    import_all(tmp_path)
    advisor = (
        Advisor.objects.filter(status="actif", user=None, activities__isnull=False)
        .exclude(professional_email="", email="")
        .distinct()
        .first()
    )
    mine = Activity.objects.filter(advisor=advisor).count()
    assert mine
    with django_capture_on_commit_callbacks(execute=True):
        account = advisor_invite(user=national_admin, advisor=advisor)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [account.email]
    client = Client()
    link = invitation_url(account).split("://", 1)[-1].split("/", 1)[1]
    response = client.post(
        "/" + link, {"new_password1": "Reprise-2026-bascule!", "new_password2": "Reprise-2026-bascule!"}, follow=True
    )
    assert response.status_code == 200
    page = client.get("/coop/activites/")
    assert page.status_code == 200
    assert page.context["page"].paginator.count == mine


SAMPLE = Path(__file__).parent / "sample"


def test_a_rupture_validated_ahead_of_its_date_takes_effect_on_its_date(territories, national_admin):
    """The sample's Marc: rupture validated on 20/03/2023, effective 31/03/2023. Imported on 25/03/2023, he still
    works until the 31st; the daily job ends his contract on that date, as for a rupture decided here."""
    from datetime import UTC, datetime

    from directory.enums import AdvisorStatus, ContractEndReason, ContractStatus
    from switchover.importers.directory import (
        AdvisorsImporter,
        ContractsImporter,
        RupturesImporter,
        StructuresImporter,
    )
    from switchover.importers.dossiers import (
        CandidateImporter,
        RecruitmentDossierImporter,
        RuptureDossierImporter,
        StructureDossierImporter,
    )
    from switchover.pipeline import run_import
    from workflows.enums import RecruitmentStatus, RuptureStatus
    from workflows.models import Rupture
    from workflows.services.ruptures import rupture_apply

    today, now = date(2023, 3, 25), datetime(2023, 3, 25, 12, tzinfo=UTC)
    for importer, name in (
        (StructuresImporter(today=today), "structures"),
        (AdvisorsImporter(today=today), "conseillers"),
        (ContractsImporter(today=today), "misesEnRelation"),
        (RupturesImporter(today=today), "conseillersRuptures"),
        (StructureDossierImporter(), "structures"),
        (CandidateImporter(now=now), "conseillers"),
        (RecruitmentDossierImporter(now=now), "misesEnRelation"),
        (RuptureDossierImporter(now=now), "misesEnRelation"),
    ):
        run_import(importer, str(SAMPLE / f"{name}.json"), progress=False)
    marc = Advisor.objects.get(last_name="Lefèvre")
    contract = Contract.objects.get(advisor=marc)
    assert (marc.status, contract.status, contract.ended_on) == (AdvisorStatus.ACTIVE, ContractStatus.ACTIVE, None)
    assert Recruitment.objects.get(advisor=marc).status == RecruitmentStatus.ACTIVE
    rupture = Rupture.objects.get(advisor=marc)
    assert (rupture.status, rupture.end_date, rupture.applied_at) == (RuptureStatus.SCHEDULED, date(2023, 3, 31), None)

    assert not rupture_apply(rupture=rupture, now=datetime(2023, 3, 30, 12, tzinfo=UTC))
    assert rupture_apply(rupture=rupture, now=datetime(2023, 3, 31, 6, tzinfo=UTC))
    contract.refresh_from_db()
    marc.refresh_from_db()
    assert (contract.status, contract.ended_on, contract.end_reason) == (
        ContractStatus.ENDED,
        date(2023, 3, 31),
        ContractEndReason.RUPTURE,
    )
    assert marc.status == AdvisorStatus.ENDED
