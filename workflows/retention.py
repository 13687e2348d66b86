"""Retention jobs on candidates' personal data: CVs kept 6 months, inactive candidacies anonymised after 2 years.

Both are idempotent: a CV already removed or a candidacy already anonymised is not selected again.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from accounts.jobs import months_before
from workflows import services
from workflows.enums import CandidateStatus, Kind, RecruitmentStatus, Verdict
from workflows.flows import RecruitmentFlow
from workflows.models import AdvisorApplication, Recruitment, WorkItem

CV_RETENTION_MONTHS = 6
CANDIDATE_INACTIVITY_YEARS = 2


@dataclass
class Report:
    """What a job did (or would do): how many rows and which ones."""

    ids: list[int] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.ids)


def cvs_to_purge(now: datetime | None = None):
    """Candidacies holding a CV uploaded (with the form: `created_at`) more than 6 months ago."""
    cutoff = months_before(now or timezone.now(), CV_RETENTION_MONTHS)
    return AdvisorApplication.objects.exclude(cv="").filter(created_at__lt=cutoff).order_by("pk")


def purge_cvs(*, now: datetime | None = None, apply: bool = False) -> Report:
    """Delete the CV file and clear the field; the candidacy itself stays."""
    report = Report()
    for candidate in cvs_to_purge(now).only("pk", "cv"):
        report.ids.append(candidate.pk)
        if apply:
            candidate.cv.storage.delete(candidate.cv.name)  # a file already gone is not an error
            AdvisorApplication.objects.filter(pk=candidate.pk).update(cv="")
    return report


def candidates_to_anonymise(now: datetime | None = None):
    """Candidacies (not recruited, not already anonymous) untouched for 2 years, nor any of their recruitments."""
    cutoff = months_before(now or timezone.now(), 12 * CANDIDATE_INACTIVITY_YEARS)
    return (
        AdvisorApplication.objects.filter(anonymised_at__isnull=True, updated_at__lt=cutoff)
        .exclude(status=CandidateStatus.RECRUITED)
        .annotate(last_recruitment=Max("recruitments__updated_at"))
        .filter(Q(last_recruitment__isnull=True) | Q(last_recruitment__lt=cutoff))
        .order_by("pk")
    )


def anonymise_candidate(candidate_id: int, now: datetime) -> None:
    """Blank the person (name, contacts, motivation, CV); keep department, commune, diploma, dates and outcomes."""
    with transaction.atomic():
        candidate = AdvisorApplication.objects.select_for_update().get(pk=candidate_id)
        if candidate.anonymised_at is not None:
            return
        # A recruitment idle for 2 years is stale: it stops quietly (nobody to tell after two years).
        for recruitment in Recruitment.objects.open().filter(candidate=candidate):
            services.cancel_process(recruitment.process, RecruitmentFlow)
            recruitment.status = RecruitmentStatus.CANCELLED
            recruitment.save(update_fields=["status", "updated_at"])
            services.DecisionLog(Kind.RECRUITMENT, process=recruitment.process).record(
                recruitment, Verdict.CANCELLED, internal_note="Candidature anonymisée après 2 ans d'inactivité."
            )
        WorkItem.objects.of_candidate(candidate).update(
            title=f"Candidature anonymisée n° {candidate.pk}", search_text=""
        )
        if candidate.cv:
            storage, name = candidate.cv.storage, candidate.cv.name
            transaction.on_commit(lambda: storage.delete(name))
        if candidate.status in (CandidateStatus.UNCONFIRMED, CandidateStatus.AVAILABLE):
            candidate.status = CandidateStatus.ERASED  # out of the pool; withdrawn and erased stay as they were
        candidate.first_name = candidate.last_name = candidate.email = candidate.phone = ""
        candidate.motivation = ""
        candidate.cv = ""
        candidate.anonymised_at = now
        candidate.save()
        services.DecisionLog(Kind.CANDIDATE).record(candidate, Verdict.ANONYMISED)


def anonymise_candidates(*, now: datetime | None = None, apply: bool = False) -> Report:
    """Anonymise every candidacy inactive for 2 years, one transaction each."""
    now = now or timezone.now()
    report = Report(ids=list(candidates_to_anonymise(now).values_list("pk", flat=True)))
    if apply:
        for candidate_id in report.ids:
            anonymise_candidate(candidate_id, now)
    return report
