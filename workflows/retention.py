"""Retention jobs on candidates' personal data: CVs kept 6 months, inactive candidacies anonymised after 2 years.

Both are idempotent: a CV already removed or a candidacy already anonymised is not selected again.

Threads and attachments (issue 14) follow the person they concern:
- the files a candidate's thread holds (audience "candidat") are her documents, like her CV: deleted 6 months after
  their upload by the same job as the CVs (`purge_cvs`);
- anonymising a candidate (2 years idle) or her own erasure (services.candidate_erase) blanks every message of her
  recruitments' candidate threads (words, and her name as author) and deletes their attachments
  (services.threads.candidate_threads_purge);
- the structure's threads and the pièces of a dossier (audience "structure" or "agents") concern the structure, an
  organisation: they are kept with the dossier and its decision log, which no job purges;
- deleting an attachment row always deletes its file, once the transaction commits (workflows/attachments.py).
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from accounts.jobs import months_before
from workflows import services
from workflows.enums import AttachmentAudience, CandidateStatus, Kind, RecruitmentStatus, Verdict
from workflows.flows import RecruitmentFlow
from workflows.models import AdvisorApplication, Attachment, Recruitment, WorkItem
from workflows.services.attachments import attachments_delete
from workflows.services.threads import candidate_threads_purge

CV_RETENTION_MONTHS = 6
CANDIDATE_INACTIVITY_YEARS = 2


@dataclass
class Report:
    """What a job did (or would do): how many rows and which ones."""

    ids: list[int] = field(default_factory=list)
    files: list[int] = field(default_factory=list)  # attachments of candidates' threads (purge_cvs)

    @property
    def count(self) -> int:
        return len(self.ids)


def cvs_to_purge(now: datetime | None = None):
    """Candidacies holding a CV uploaded (with the form: `created_at`) more than 6 months ago."""
    cutoff = months_before(now or timezone.now(), CV_RETENTION_MONTHS)
    return AdvisorApplication.objects.exclude(cv="").filter(created_at__lt=cutoff).order_by("pk")


def candidate_attachments_to_purge(now: datetime | None = None):
    """Attachments of candidates' threads uploaded more than 6 months ago (the CVs' rule)."""
    cutoff = months_before(now or timezone.now(), CV_RETENTION_MONTHS)
    return Attachment.objects.filter(audience=AttachmentAudience.CANDIDATE, created_at__lt=cutoff).order_by("pk")


def purge_cvs(*, now: datetime | None = None, apply: bool = False) -> Report:
    """Delete the CV file and clear the field (the candidacy itself stays), and the candidates' threads' files of
    the same age (their rows and files; the messages stay)."""
    report = Report()
    for candidate in cvs_to_purge(now).only("pk", "cv"):
        report.ids.append(candidate.pk)
        if apply:
            candidate.cv.storage.delete(candidate.cv.name)  # a file already gone is not an error
            AdvisorApplication.objects.filter(pk=candidate.pk).update(cv="")
    files = list(candidate_attachments_to_purge(now))
    report.files = [attachment.pk for attachment in files]
    if apply:
        with transaction.atomic():
            attachments_delete(files)
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
            transaction.on_commit(lambda: storage.delete(name), robust=True)
        candidate_threads_purge(candidate)
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
