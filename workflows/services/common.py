"""What every service of the parcours shares: the decision log, the permission and scope check, and the
`performing` block that locks a task, checks it is still open, and executes it."""

from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from viewflow.workflow.status import STATUS

from accounts import roles
from accounts.enums import AuditAction, Role
from accounts.services import audit_record
from common.storage import STORE_ERRORS, STORE_UNAVAILABLE_MESSAGE
from directory.models import Structure
from workflows.enums import PrefectureOpinion, RefusalReason, RequestDecision, RequestStatus, Verdict
from workflows.kinds import KINDS
from workflows.models import Decision, WorkItem
from workflows.scopes import visible_work_items
from workflows.steps import STEPS

ALREADY_PROCESSED = "Cette étape a déjà été traitée."
OPEN_TASK_STATUSES = [STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED]


class AlreadyProcessed(Exception):
    """The task was completed (or the dossier closed) in the meantime: nothing was changed."""

    def __init__(self, message=ALREADY_PROCESSED):
        super().__init__(message)


# --- The decision log ---------------------------------------------------------------------------------------------


def _role_label(user) -> str:
    membership = roles.active_membership(user) if user is not None else None
    return str(membership) if membership else ""


@dataclass
class DecisionLog:
    """Who decides, on which kind of dossier, at which step: built once per service call, then each `record`
    appends one line to the decision log (and, for a person's decision, to the audit log)."""

    kind: str
    actor: Any = None
    step: str = ""
    process: Any = None
    request: Any = None

    @classmethod
    def of_task(cls, work_item, user, request=None) -> "DecisionLog":
        """The log of a decision on an open task, outside the `performing` block (take, release, dates only)."""
        return cls(work_item.kind, actor=user, step=work_item.step, process=work_item.process, request=request)

    def record(self, subject, verdict, *, reason="", internal_note="", message_to_applicant="") -> Decision:
        """`internal_note` is for agents only; `message_to_applicant` is read by the structure and the candidate
        too."""
        actor = self.actor if self.actor is not None and self.actor.is_authenticated else None
        decision = Decision.objects.create(
            kind=self.kind,
            subject_id=subject.pk,
            process=self.process,
            step=self.step,
            verdict=verdict,
            reason=reason[:200],
            internal_note=internal_note.strip(),
            message_to_applicant=message_to_applicant.strip(),
            actor=actor,
            actor_label=(actor.get_full_name() or actor.email) if actor else "",
            actor_role=_role_label(actor) if actor else "",
        )
        if actor:
            audit_record(
                actor=actor,
                action=AuditAction.WORKFLOW_DECISION,
                target=subject,
                details={"step": self.step, "verdict": verdict, "reason": reason, "kind": self.kind},
                request=self.request,
            )
        return decision


# --- Permission, scope and task life ------------------------------------------------------------------------------


def _subject_in_scope(user, kind, subject_id) -> bool:
    return KINDS[kind].visible(user).filter(pk=subject_id).exists()


def check_dossier_in_scope(user, kind, subject_id) -> None:
    """A known kind of dossier and this one in the user's scope, or PermissionDenied."""
    if kind not in KINDS or not _subject_in_scope(user, kind, subject_id):
        raise PermissionDenied("Ce dossier est hors de votre périmètre.")


def _task_in_scope(user, work_item) -> bool:
    return visible_work_items(user).filter(pk=work_item.pk).exists()


def check_can_act(user, work_item) -> None:
    """The role permission of the step (Viewflow's node permission) and the territory, or PermissionDenied."""
    if user is None or not user.is_authenticated or not user.is_active:
        raise PermissionDenied("Vous devez être connecté.")
    if not user.has_perm(STEPS[work_item.step].permission):
        raise PermissionDenied("Votre rôle ne permet pas de traiter cette étape.")
    if not _subject_in_scope(user, work_item.kind, work_item.subject_id):
        raise PermissionDenied("Ce dossier est hors de votre périmètre.")
    # A dossier seen by two territories (a transfer) is acted on by the one its task is routed to.
    if not _task_in_scope(user, work_item):
        raise PermissionDenied("Cette étape revient à un autre territoire.")


def close_finished_work_items(process) -> None:
    WorkItem.objects.open().filter(process=process).exclude(task__status__in=OPEN_TASK_STATUSES).update(
        is_open=False, closed_at=timezone.now()
    )


@contextmanager
def performing(work_item, user, step, *, request=None):
    """Lock the process, re-read the task, check it is still open and the user may act, start it, and yield the
    decision log of the step; on leaving the block, execute the task (the flow moves on) and close the finished
    work items."""
    if work_item.step != step:
        raise AlreadyProcessed
    check_can_act(user, work_item)
    task = work_item.task
    with task.activation() as activation:
        if task.status not in (STATUS.NEW, STATUS.ASSIGNED):
            raise AlreadyProcessed
        if task.status == STATUS.ASSIGNED and task.owner_id != user.pk:
            if not roles.is_national(user):
                raise PermissionDenied(f"Cette tâche est prise en charge par {task.owner}.")
            activation.reassign(user)
        if task.status == STATUS.NEW:
            if not activation.assign.has_perm(user):
                raise PermissionDenied("Votre rôle ne permet pas de traiter cette étape.")
            activation.assign(user)
        activation.start(None)
        yield DecisionLog(work_item.kind, actor=user, step=step, process=activation.process, request=request)
        activation.execute()
        close_finished_work_items(activation.process)


def cancel_process(process, flow_class) -> None:
    if process is not None and process.status not in (STATUS.DONE, STATUS.CANCELED):
        flow_class.instance.cancel(process)
        close_finished_work_items(process)


def subject_of(work_item):
    return KINDS[work_item.kind].model_class().objects.get(pk=work_item.subject_id)


def locked(model, pk):
    return model.objects.select_for_update().get(pk=pk)


def save_new(instance, field: str, message: str) -> None:
    """Insert an application; a unique constraint lost to a concurrent submission becomes a field error."""
    try:
        with transaction.atomic():
            instance.save()
    except STORE_ERRORS:
        # The files are sent before the row is inserted: neither is kept.
        raise ValidationError(STORE_UNAVAILABLE_MESSAGE) from None
    except IntegrityError:
        _discard_files(instance)
        raise ValidationError({field: message}) from None


def _discard_files(instance) -> None:
    """Delete the files a refused insert already stored (the row they belonged to does not exist)."""
    for model_field in instance._meta.concrete_fields:
        if isinstance(model_field, models.FileField):
            stored = getattr(instance, model_field.attname)
            if stored and stored._committed:
                stored.storage.delete(stored.name)


def manager_structure(user) -> Structure:
    membership = roles.active_membership(user)
    if membership is None or membership.role not in (Role.STRUCTURE_MANAGER,):
        raise PermissionDenied("Seul un gestionnaire de structure peut recruter.")
    return membership.structure


# --- Checks shared by several steps -------------------------------------------------------------------------------


def validate_opinion(opinion: str, internal_note: str) -> None:
    if opinion not in PrefectureOpinion.values:
        raise ValidationError({"opinion": "Choisissez un avis."})
    if not 10 <= len(internal_note.strip()) <= 1000:
        raise ValidationError({"internal_note": "La note interne doit faire entre 10 et 1 000 caractères."})


def request_decision_check(decision: str, *, reason: str, message_to_applicant: str, internal_note: str) -> str:
    """Check a decision on a request of the programme's life after recruitment before anything is locked: a known
    decision, a refusal's reason, a send-back's note. Returns the refusal's reason label ("" otherwise)."""
    if decision not in RequestDecision.values:
        raise ValidationError({"decision": "Choisissez une décision."})
    if decision == RequestDecision.SEND_BACK:
        require_send_back_note(internal_note)
    return require_reason(reason, message_to_applicant) if decision == RequestDecision.REFUSE else ""


def request_opinion_record(
    log, subject, *, opinion: str, internal_note: str, message_to_applicant: str, reason: str = "", also=()
) -> None:
    """Record the prefecture's opinion on a request of the programme's life after recruitment (avenant, transfer,
    renewal, coordinator post): the request goes to the decision, whatever the opinion; `also` names the other
    fields the caller changed on `subject`."""
    subject.prefecture_opinion = opinion
    subject.status = RequestStatus.DECISION
    subject.save(update_fields=["prefecture_opinion", "status", *also, "updated_at"])
    log.record(
        subject,
        Verdict.FAVORABLE if opinion == PrefectureOpinion.FAVORABLE else Verdict.UNFAVORABLE,
        reason=reason,
        internal_note=internal_note,
        message_to_applicant=message_to_applicant,
    )


def require_reason(reason: str, message_to_applicant: str) -> str:
    if reason not in RefusalReason.values:
        raise ValidationError({"reason": "Choisissez un motif de refus."})
    if reason == RefusalReason.OTHER and not message_to_applicant.strip():
        raise ValidationError({"message_to_applicant": "Précisez le motif dans le message au demandeur."})
    return RefusalReason(reason).label


def smic_error(salary) -> str:
    """The error of a gross monthly salary below the SMIC (the same rule for a proposal and a change), or ""."""
    if salary is None or salary < settings.SMIC_MONTHLY_GROSS:
        return f"Le salaire brut mensuel doit être au moins égal au SMIC ({settings.SMIC_MONTHLY_GROSS} €)."
    return ""


def require_send_back_note(internal_note: str) -> None:
    if len(internal_note.strip()) < 10:
        raise ValidationError(
            {"internal_note": "Expliquez au préfet ce qui doit être réexaminé (10 caractères au moins)."}
        )
