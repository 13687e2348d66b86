"""Retention jobs on candidates: CVs deleted after 6 months, inactive candidacies anonymised after 2 years."""

import datetime
import os

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from accounts.enums import AuditAction
from accounts.jobs import months_before
from accounts.models import AuditEvent
from tests.workflows.factories import CandidateFactory
from tests.workflows.helpers import pdf_bytes
from workflows import services
from workflows.enums import CandidateStatus, Kind, RecruitmentStatus, Verdict
from workflows.models import AdvisorApplication, Decision, Recruitment, WorkItem

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def aged(candidate, **delta):
    """Backdate a candidacy (its dates as if created and last touched that long ago)."""
    moment = NOW - datetime.timedelta(**delta)
    AdvisorApplication.objects.filter(pk=candidate.pk).update(created_at=moment, updated_at=moment)
    candidate.refresh_from_db()
    return candidate


def with_cv(candidate):
    candidate.cv.save("cv.pdf", ContentFile(pdf_bytes()))
    return candidate


def run(command, *args):
    from io import StringIO

    out = StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


class TestMonthsBefore:
    @pytest.mark.parametrize(
        "moment, months, expected",
        [
            (datetime.datetime(2026, 8, 31, 12), 6, datetime.datetime(2026, 2, 28, 12)),
            (datetime.datetime(2026, 3, 15), 6, datetime.datetime(2025, 9, 15)),
            (datetime.datetime(2028, 2, 29), 24, datetime.datetime(2026, 2, 28)),
        ],
    )
    def test_it_counts_calendar_months(self, moment, months, expected):
        assert months_before(moment, months) == expected


class TestPurgeCvs:
    def test_dry_run_by_default_then_apply_then_idempotent(self):
        old = with_cv(aged(CandidateFactory(), days=190))
        recent = with_cv(aged(CandidateFactory(), days=170))
        old_path, recent_path = old.cv.path, recent.cv.path

        assert "[simulation" in run("purge_cvs") and "1 CV à supprimer" in run("purge_cvs", "--dry-run")
        assert os.path.exists(old_path) and not AuditEvent.objects.filter(action=AuditAction.CVS_PURGED).exists()

        assert "1 CV supprimé(s)." in run("purge_cvs", "--apply")
        old.refresh_from_db()
        assert not old.cv and not os.path.exists(old_path)
        assert old.first_name and old.status == CandidateStatus.AVAILABLE  # only the CV goes
        assert os.path.exists(recent_path)
        event = AuditEvent.objects.get(action=AuditAction.CVS_PURGED)
        assert event.details["count"] == 1 and event.details["candidates"] == [old.pk]

        assert "0 CV supprimé(s)." in run("purge_cvs", "--apply")
        assert AuditEvent.objects.filter(action=AuditAction.CVS_PURGED).count() == 2  # each applied run is proven

    def test_a_file_already_missing_is_not_an_error(self):
        candidate = with_cv(aged(CandidateFactory(), days=200))
        os.remove(candidate.cv.path)
        assert "1 CV supprimé(s)." in run("purge_cvs", "--apply")
        candidate.refresh_from_db()
        assert not candidate.cv

    def test_bad_reference_date_is_refused_clearly(self):
        from django.core.management.base import CommandError

        with pytest.raises(CommandError, match="AAAA-MM-JJ"):
            call_command("purge_cvs", "--now", "demain")
        with pytest.raises(CommandError, match="not allowed"):  # --apply and --dry-run exclude each other
            call_command("purge_cvs", "--apply", "--dry-run")


class TestAnonymiseCandidates:
    def test_it_blanks_the_person_and_keeps_anonymous_statistics(self, django_capture_on_commit_callbacks):
        candidate = aged(with_cv(CandidateFactory(with_diploma=True, email="ancienne@perso.test")), days=740)
        cv_path = candidate.cv.path
        created = candidate.created_at
        assert "1 candidature(s) à anonymiser" in run("anonymise_candidates")
        candidate.refresh_from_db()
        assert candidate.email == "ancienne@perso.test"  # dry run

        with django_capture_on_commit_callbacks(execute=True):
            run("anonymise_candidates", "--apply")
        candidate.refresh_from_db()
        assert candidate.first_name == candidate.last_name == candidate.email == candidate.phone == ""
        assert candidate.motivation == "" and not candidate.cv and not os.path.exists(cv_path)
        assert candidate.anonymised_at is not None
        assert candidate.status == CandidateStatus.ERASED  # out of the pool
        # What the statistics need stays: territory, diploma, dates, outcome.
        assert candidate.department_id == "75" and candidate.commune_id == "75056"
        assert candidate.has_diploma and candidate.diploma_name == "Titre professionnel REMN"
        assert candidate.created_at == created and candidate.has_experience
        assert Decision.objects.filter(kind=Kind.CANDIDATE, subject_id=candidate.pk, verdict=Verdict.ANONYMISED)
        assert AuditEvent.objects.get(action=AuditAction.CANDIDATES_ANONYMISED).details["candidates"] == [candidate.pk]

        assert "0 candidature(s) anonymisée(s)." in run("anonymise_candidates", "--apply")

    def test_it_spares_recent_recruited_and_recently_recruiting_candidates(self, structure_manager):
        recent = aged(CandidateFactory(), days=700)
        recruited = aged(CandidateFactory(status=CandidateStatus.RECRUITED), days=900)
        in_recruitment = CandidateFactory()
        services.recruitment_preselect(candidate=in_recruitment, user=structure_manager)
        aged(in_recruitment, days=900)  # the candidacy is old, its recruitment is not
        withdrawn = aged(CandidateFactory(status=CandidateStatus.WITHDRAWN), days=800)

        run("anonymise_candidates", "--apply")
        for spared in (recent, recruited, in_recruitment):
            spared.refresh_from_db()
            assert spared.anonymised_at is None and spared.email, spared
        withdrawn.refresh_from_db()
        assert withdrawn.anonymised_at and withdrawn.email == ""
        assert withdrawn.status == CandidateStatus.WITHDRAWN  # the outcome is kept

    def test_a_stale_open_recruitment_is_closed_and_the_task_index_scrubbed(self, structure_manager):
        candidate = CandidateFactory(first_name="Zoé", last_name="Oubliée")
        recruitment = services.recruitment_preselect(candidate=candidate, user=structure_manager)
        long_ago = NOW - datetime.timedelta(days=800)
        Recruitment.objects.filter(pk=recruitment.pk).update(updated_at=long_ago)
        aged(candidate, days=800)

        run("anonymise_candidates", "--apply")
        recruitment.refresh_from_db()
        assert recruitment.status == RecruitmentStatus.CANCELLED
        assert not WorkItem.objects.filter(kind=Kind.RECRUITMENT, subject_id=recruitment.pk, is_open=True).exists()
        assert not WorkItem.objects.filter(title__contains="Oubliée").exists()
