"""The threads of a dossier between the agents and the applicant's side, and the correction requests that pause a
step's deadline until the applicant answers.

A dossier has one thread per party: the structure (every kind) and, for a recruitment, the candidate. Agents
(prefecture, hub, national, with the dossier in scope) read and write every thread; a structure manager only the
structure's thread of her structure's dossiers; the applicants without an account write through the signed links
of their e-mails (the structure's contact on her application, the candidate on her recruitments' threads).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from accounts import roles
from accounts.enums import Role
from workflows.attachments import check_files
from workflows.audiences import reads_internal_notes
from workflows.enums import AttachmentAudience, Kind, Party, Side, Verdict
from workflows.kinds import KINDS
from workflows.models import (
    AdvisorApplication,
    Attachment,
    BulkJobItem,
    CorrectionRequest,
    Message,
    PendingNotification,
    Recruitment,
    StructureApplication,
    WorkItem,
)
from workflows.notifications import threads as thread_notifications
from workflows.services.attachments import attachment_store, attachments_delete
from workflows.services.common import DecisionLog, check_can_act

MAX_BODY = Message._meta.get_field("body").max_length  # 5 000
AUDIENCE_OF_PARTY = {Party.STRUCTURE: AttachmentAudience.STRUCTURE, Party.CANDIDATE: AttachmentAudience.CANDIDATE}
ONE_OPEN_CORRECTION = "Une demande de correction attend déjà la réponse du demandeur sur cette étape."


def parties_of(kind: str) -> list[str]:
    """The parties of a kind of dossier: the structure, and the candidate of a recruitment."""
    return [Party.STRUCTURE, Party.CANDIDATE] if kind == Kind.RECRUITMENT else [Party.STRUCTURE]


def readable_parties(user, kind: str) -> list[str]:
    """The threads of a dossier (already fetched through the user's scope) that the user's active role reads."""
    role = roles.active_role(user)
    if reads_internal_notes(role):
        return parties_of(kind)
    if role == Role.STRUCTURE_MANAGER:
        return [Party.STRUCTURE]
    return []


def thread_messages(kind: str, subject_id: int, parties):
    """The threads of some parties of a dossier, oldest first, with their attachments (1 query, 2 with messages)."""
    return Message.objects.filter(kind=kind, subject_id=subject_id, party__in=list(parties)).prefetch_related(
        "attachments"
    )


def open_correction(kind: str, subject_id: int, party: str | None = None):
    """The correction request still waiting for the applicant on the dossier's open task (a decision ends it)."""
    corrections = CorrectionRequest.objects.filter(
        kind=kind, subject_id=subject_id, answered_at__isnull=True, work_item__is_open=True
    )
    if party is not None:
        corrections = corrections.filter(party=party)
    return corrections.select_related("work_item").first()


def _check_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": "Écrivez votre message."})
    if len(body) > MAX_BODY:
        raise ValidationError({"body": f"Le message doit faire {MAX_BODY} caractères au plus ({len(body)} saisis)."})
    return body


def _checked_files(files):
    try:
        return check_files(files)
    except ValidationError as error:
        raise ValidationError({"files": error.messages}) from None


def _author_label(user) -> str:
    return (user.get_full_name() or user.email) if user is not None else ""


def _create(*, kind, subject_id, party, side, body, checked, user=None, label="", correction=False) -> Message:
    message = Message.objects.create(
        kind=kind,
        subject_id=subject_id,
        party=party,
        side=side,
        author=user,
        author_label=label[:255],
        body=body,
        is_correction_request=correction,
        created_at=timezone.now(),
    )
    for item in checked:
        attachment_store(
            checked=item,
            kind=kind,
            subject_id=subject_id,
            audience=AUDIENCE_OF_PARTY[party],
            message=message,
            user=user,
            label=label,
        )
    return message


def message_post(
    *, kind: str, subject_id: int, party: str, body: str, files=(), correction=False, user, request=None
) -> Message:
    """A message of a signed-in user on a dossier's thread: an agent writes to the party (optionally asking for a
    correction, which pauses the step's deadline); a structure manager writes on her structure's thread."""
    if kind not in KINDS or party not in parties_of(kind):
        raise PermissionDenied("Ce fil de discussion n'existe pas.")
    # The dossier read once, through the user's scope.
    subject = KINDS[kind].visible(user).filter(pk=subject_id).first()
    if subject is None:
        raise PermissionDenied("Ce dossier est hors de votre périmètre.")
    if party not in readable_parties(user, kind):
        raise PermissionDenied("Votre rôle ne permet pas d'écrire sur ce fil.")
    is_agent = reads_internal_notes(roles.active_role(user))
    if correction and not is_agent:
        raise PermissionDenied("Seuls les agents demandent une correction.")
    body = _check_body(body)
    checked = _checked_files(files)
    if not is_agent:
        return _applicant_post(subject, kind=kind, party=party, body=body, checked=checked, user=user)
    with transaction.atomic():
        work_item = None
        if correction:
            work_item = _correctable_work_item(kind, subject_id, user)
        message = _create(
            kind=kind,
            subject_id=subject_id,
            party=party,
            side=Side.AGENT,
            body=body,
            checked=checked,
            user=user,
            label=_author_label(user),
            correction=correction,
        )
        if correction:
            _request_correction(work_item, message, subject, user=user, request=request)
        thread_notifications.message_to_party(kind, subject, party, correction=correction)
    return message


def _correctable_work_item(kind, subject_id, user):
    """The dossier's open task, locked, when the agent may act on it and no correction waits on it yet."""
    work_item = (
        WorkItem.objects.open().select_for_update().filter(kind=kind, subject_id=subject_id).order_by("pk").first()
    )
    if work_item is None:
        raise ValidationError({"correction": "Ce dossier n'a pas d'étape en cours : il n'y a rien à corriger."})
    try:
        check_can_act(user, work_item)
    except PermissionDenied:
        raise ValidationError({"correction": "Vous ne pouvez pas agir sur l'étape en cours de ce dossier."}) from None
    if work_item.owner_id not in (None, user.pk) and not roles.is_national(user):
        raise ValidationError({"correction": f"L'étape en cours est prise en charge par {work_item.owner}."})
    if CorrectionRequest.objects.filter(work_item=work_item, answered_at__isnull=True).exists():
        raise ValidationError({"correction": ONE_OPEN_CORRECTION})
    return work_item


def _request_correction(work_item, message, subject, *, user, request=None) -> CorrectionRequest:
    now = message.created_at
    try:
        with transaction.atomic():
            correction = CorrectionRequest.objects.create(
                work_item=work_item,
                kind=work_item.kind,
                subject_id=work_item.subject_id,
                party=message.party,
                request=message,
                requested_by=user,
                requested_at=now,
            )
    except IntegrityError:
        raise ValidationError({"correction": ONE_OPEN_CORRECTION}) from None
    WorkItem.objects.filter(pk=work_item.pk).update(paused_at=now)
    # The timeline is read by the structure: a request to the candidate names its party, not its words.
    to_structure = message.party == Party.STRUCTURE
    DecisionLog.of_task(work_item, user, request).record(
        subject,
        Verdict.CORRECTION_REQUESTED,
        reason="" if to_structure else "Demande adressée au candidat",
        message_to_applicant=message.body if to_structure else "",
    )
    return correction


def applicant_message_post(*, applicant, kind: str, subject_id: int, body: str, files=(), request=None) -> Message:
    """A message written through a signed link: the structure's contact on her application (`applicant` is the
    StructureApplication), or the candidate on one of her recruitments (`applicant` is the AdvisorApplication)."""
    if isinstance(applicant, StructureApplication):
        if kind != Kind.STRUCTURE or subject_id != applicant.pk:
            raise PermissionDenied("Ce fil de discussion n'est pas le vôtre.")
        party, subject = Party.STRUCTURE, applicant
    elif isinstance(applicant, AdvisorApplication):
        subject = Recruitment.objects.filter(pk=subject_id, candidate=applicant).first()
        if kind != Kind.RECRUITMENT or subject is None or applicant.anonymised_at or not applicant.email:
            raise PermissionDenied("Ce fil de discussion n'est pas le vôtre.")
        party = Party.CANDIDATE
    else:
        raise PermissionDenied("Ce fil de discussion n'est pas le vôtre.")
    body = _check_body(body)
    checked = _checked_files(files)
    return _applicant_post(subject, kind=kind, party=party, body=body, checked=checked, user=None)


def _applicant_post(subject, *, kind, party, body, checked, user) -> Message:
    """The applicant's side writes: the open task records her activity, her message answers a waiting correction
    (the deadline moves by the pause), and the agents in charge are told."""
    label = _author_label(user) if user is not None else _applicant_label(subject, party)
    with transaction.atomic():
        message = _create(
            kind=kind,
            subject_id=subject.pk,
            party=party,
            side=Side.APPLICANT,
            body=body,
            checked=checked,
            user=user,
            label=label,
        )
        now = message.created_at
        WorkItem.objects.open().filter(kind=kind, subject_id=subject.pk).update(applicant_activity_at=now)
        correction = (
            CorrectionRequest.objects.select_for_update()
            .filter(kind=kind, subject_id=subject.pk, party=party, answered_at__isnull=True, work_item__is_open=True)
            .first()
        )
        if correction is not None:
            _answer_correction(correction, message, subject, user=user)
        work_item = WorkItem.objects.open().select_related("owner").filter(kind=kind, subject_id=subject.pk).first()
        thread_notifications.applicant_wrote(
            kind, subject, party, work_item=work_item, answered=correction is not None
        )
    return message


def _applicant_label(subject, party) -> str:
    if party == Party.CANDIDATE:
        return str(subject.candidate)
    return getattr(subject, "contact_name", "") or str(getattr(subject, "name", "")) or "La structure"


def _answer_correction(correction, message, subject, *, user=None) -> None:
    """Close the correction request and resume the deadline: due date and pending timers move by the pause."""
    now = message.created_at
    correction.answered_at = now
    correction.answer = message
    correction.save(update_fields=["answered_at", "answer"])
    work_item = WorkItem.objects.select_for_update().get(pk=correction.work_item_id)
    if work_item.paused_at is not None:
        pause = now - work_item.paused_at
        work_item.due_at += pause
        work_item.paused_at = None
        work_item.save(update_fields=["due_at", "paused_at"])
        # The step's reminder and escalation timers not fired yet follow the moved deadline.
        Task.objects.filter(previous=work_item.task_id, flow_task_type="TIMER", status=STATUS.SCHEDULED).update(
            scheduled=F("scheduled") + pause
        )
    DecisionLog.of_task(work_item, user).record(
        subject,
        Verdict.CORRECTION_ANSWERED,
        reason=f"Nouvelle échéance : {timezone.localtime(work_item.due_at):%d/%m/%Y}",
    )


def candidate_threads_purge(candidate) -> int:
    """Erase what a candidate's threads hold of her (on erasure or anonymisation): every message of her
    recruitments' candidate threads loses its words and author name, every attachment of theirs is deleted (its
    file once the transaction commits). Returns the number of attachments deleted."""
    recruitments = Recruitment.objects.filter(candidate=candidate).values("pk")
    thread = Message.objects.filter(kind=Kind.RECRUITMENT, subject_id__in=recruitments, party=Party.CANDIDATE)
    thread.update(body="")
    thread.filter(side=Side.APPLICANT).update(author_label="")
    # Bulk results and the digest's waiting events name her recruitments as the lists did: scrubbed like them.
    named = {"kind": Kind.RECRUITMENT, "subject_id__in": recruitments}
    BulkJobItem.objects.filter(**named).update(title=f"Candidature effacée n° {candidate.pk}")
    PendingNotification.objects.filter(**named).update(title=f"Candidature effacée n° {candidate.pk}")
    files = Attachment.objects.filter(
        kind=Kind.RECRUITMENT, subject_id__in=recruitments, audience=AttachmentAudience.CANDIDATE
    )
    return attachments_delete(files)
