"""The candidates' parcours: submission, e-mail confirmation, withdrawal and erasure of a candidacy."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from workflows import notifications
from workflows.enums import OPEN_CANDIDATE_STATUSES, CandidateStatus, Kind, RecruitmentStatus, Verdict
from workflows.flows import RecruitmentFlow
from workflows.models import AdvisorApplication, Recruitment, WorkItem
from workflows.services.common import AlreadyProcessed, DecisionLog, cancel_process, locked, save_new
from workflows.services.threads import candidate_threads_purge


@transaction.atomic
def candidate_submit(*, data: dict, request=None) -> AdvisorApplication:
    """Record a candidacy from the public form (CV stored privately) and e-mail the confirmation link."""
    candidate = AdvisorApplication(**data)
    commune = candidate.commune
    candidate.latitude, candidate.longitude = commune.latitude, commune.longitude
    save_new(candidate, "email", "Une candidature en cours utilise déjà cette adresse e-mail.")
    DecisionLog(kind=Kind.CANDIDATE).record(candidate, Verdict.SUBMITTED)
    notifications.candidate_received(candidate)
    return candidate


@transaction.atomic
def candidate_confirm(*, candidate_id: int) -> AdvisorApplication:
    """Confirm the candidate's e-mail: they join the pool that structures search. Idempotent."""
    candidate = locked(AdvisorApplication, candidate_id)
    if candidate.status != CandidateStatus.UNCONFIRMED:
        return candidate
    candidate.status = CandidateStatus.AVAILABLE
    candidate.email_confirmed_at = timezone.now()
    candidate.save(update_fields=["status", "email_confirmed_at", "updated_at"])
    DecisionLog(kind=Kind.CANDIDATE).record(candidate, Verdict.CONFIRMED)
    notifications.candidate_confirmed(candidate)
    return candidate


def _stop_open_recruitments(candidate, *, status, actor=None, by_candidate=False):
    recruitments = Recruitment.objects.open().select_related("structure", "candidate").filter(candidate=candidate)
    for recruitment in recruitments:
        cancel_process(recruitment.process, RecruitmentFlow)
        recruitment.status = status
        recruitment.save(update_fields=["status", "updated_at"])
        DecisionLog(kind=Kind.RECRUITMENT, actor=actor, process=recruitment.process).record(
            recruitment, Verdict.WITHDRAWN if by_candidate else Verdict.CANCELLED
        )
        notifications.recruitment_cancelled(recruitment, "", by_candidate=by_candidate)


@transaction.atomic
def candidate_withdraw(*, candidate_id: int) -> AdvisorApplication:
    """The candidate withdraws (signed link): out of the pool, open recruitments stopped, structures told."""
    candidate = locked(AdvisorApplication, candidate_id)
    if candidate.status not in OPEN_CANDIDATE_STATUSES:
        raise AlreadyProcessed("Cette candidature n'est plus active.")
    _stop_open_recruitments(candidate, status=RecruitmentStatus.WITHDRAWN, by_candidate=True)
    candidate.status = CandidateStatus.WITHDRAWN
    candidate.withdrawn_at = timezone.now()
    candidate.save(update_fields=["status", "withdrawn_at", "updated_at"])
    DecisionLog(kind=Kind.CANDIDATE).record(candidate, Verdict.WITHDRAWN)
    return candidate


@transaction.atomic
def candidate_erase(*, candidate_id: int) -> AdvisorApplication:
    """Erase a candidacy's personal data and CV; the anonymous row stays for counts (commune, dates, status)."""
    candidate = locked(AdvisorApplication, candidate_id)
    if candidate.status == CandidateStatus.RECRUITED:
        raise ValidationError("Vous êtes recruté : vos données sont désormais gérées par votre employeur.")
    if candidate.status == CandidateStatus.ERASED:
        return candidate
    if candidate.status in OPEN_CANDIDATE_STATUSES:
        _stop_open_recruitments(candidate, status=RecruitmentStatus.WITHDRAWN, by_candidate=True)
    if candidate.cv:
        storage, name = candidate.cv.storage, candidate.cv.name
        transaction.on_commit(lambda: storage.delete(name), robust=True)
    candidate_threads_purge(candidate)  # her messages' words and her files (workflows/retention.py)
    # The task index carries the name too (titles, search): scrub it.
    WorkItem.objects.of_candidate(candidate).update(title=f"Candidature effacée n° {candidate.pk}", search_text="")
    candidate.first_name = candidate.last_name = candidate.email = candidate.phone = ""
    candidate.motivation = candidate.diploma_name = ""
    candidate.has_diploma = False
    candidate.cv = ""
    candidate.status = CandidateStatus.ERASED
    candidate.withdrawn_at = candidate.withdrawn_at or timezone.now()
    candidate.save()
    DecisionLog(kind=Kind.CANDIDATE).record(candidate, Verdict.ERASED)
    return candidate
