"""Running a bulk job: each dossier in its own transaction, under its own lock, by the same service as a single action
(the code the background task runs; services/bulk.py records the job and decides when it runs)."""

import logging

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from workflows import services
from workflows.bulk_decisions import NotEligible, bulk_decision
from workflows.enums import BulkAction, BulkOutcome, BulkStatus, NotificationEvent
from workflows.models import BulkJob, BulkJobItem, WorkItem
from workflows.notifications.agents import agent_notify
from workflows.services.assignment import work_item_assign
from workflows.services.labels import dossier_label_add
from workflows.steps import STEPS

PROGRESS_EVERY = 10
ALREADY_DONE = "Déjà traité par ailleurs."
OTHER_STEP = "Pas possible à cette étape."
UNEXPECTED_FAILURE = "Erreur inattendue, signalée à l'équipe technique : rien n'a été modifié sur ce dossier."

logger = logging.getLogger("cnum.workflows")


def _perform(job, item, user) -> None:
    """Apply the job's action to one dossier through the same service as a single action."""
    work_item = WorkItem.objects.select_related("task", "owner").filter(pk=item.work_item_id).first()
    if work_item is None:
        raise services.AlreadyProcessed(ALREADY_DONE)
    if job.action == BulkAction.LABEL:
        dossier_label_add(kind=item.kind, subject_id=item.subject_id, name=job.params["name"], user=user)
        return
    if not work_item.is_open:
        raise services.AlreadyProcessed(ALREADY_DONE)
    if job.action == BulkAction.ASSIGN:
        assignee = get_user_model().objects.get(pk=job.params["assignee"])
        work_item_assign(work_item=work_item, assignee=assignee, user=user)
        return
    decision = bulk_decision(job.params["decision"])
    if work_item.step != decision.step:
        raise NotEligible(OTHER_STEP)
    service = getattr(services, STEPS[decision.step].service)
    service(
        work_item=work_item,
        user=user,
        request=None,
        internal_note=job.params.get("internal_note", ""),
        message_to_applicant=job.params.get("message_to_applicant", ""),
        **decision.arguments(work_item),
    )


def _failure(error) -> str:
    if isinstance(error, services.AlreadyProcessed):
        return ALREADY_DONE
    if isinstance(error, NotEligible):
        return str(error)
    if isinstance(error, PermissionDenied):
        text = str(error)
        return f"Pas possible : {text}" if text else OTHER_STEP
    messages = error.messages if isinstance(error, ValidationError) else [str(error)]
    return " ".join(messages)[:300]


def _save_counts(job) -> None:
    counts = job.items.aggregate(
        done=Count("pk", filter=Q(outcome=BulkOutcome.DONE)), failed=Count("pk", filter=Q(outcome=BulkOutcome.FAILED))
    )
    BulkJob.objects.filter(pk=job.pk).update(done_count=counts["done"], failed_count=counts["failed"])
    job.done_count, job.failed_count = counts["done"], counts["failed"]


def bulk_job_run(job_id, *, part: int = 0, parts: int = 1) -> BulkJob:
    """Handle each dossier of a job still to do, as the job's user under the role she had; idempotent (dossiers
    already done or failed are skipped). A large job runs as `parts` tasks side by side, each taking the items whose
    pk modulo `parts` is its `part`: each dossier has its own lock, and the last part to finish closes the job and
    tells the user."""
    job = BulkJob.objects.select_related("user", "membership").get(pk=job_id)
    if job.status == BulkStatus.DONE:
        return job
    user = job.user
    membership = job.membership
    usable = membership is not None and membership.revoked_at is None and membership.user_id == user.pk
    if usable:
        roles.act_as(user, membership)
    if job.status == BulkStatus.PENDING:
        BulkJob.objects.filter(pk=job.pk, status=BulkStatus.PENDING).update(
            status=BulkStatus.RUNNING, started_at=timezone.now()
        )
    pending = job.items.filter(outcome=BulkOutcome.PENDING)
    if parts > 1:
        pending = pending.annotate(slot=F("pk") % parts).filter(slot=part)
    for position, item in enumerate(pending.order_by("pk"), start=1):
        try:
            if not usable or not user.is_active:
                raise PermissionDenied("votre rôle a été retiré depuis le lancement.")
            with transaction.atomic():
                _perform(job, item, user)
                BulkJobItem.objects.filter(pk=item.pk).update(outcome=BulkOutcome.DONE, processed_at=timezone.now())
        except (services.AlreadyProcessed, NotEligible, PermissionDenied, ValidationError) as error:
            BulkJobItem.objects.filter(pk=item.pk).update(
                outcome=BulkOutcome.FAILED, message=_failure(error), processed_at=timezone.now()
            )
        except Exception:
            # One dossier's unexpected error (rolled back with its transaction) never stops the others.
            logger.exception("Bulk job %s: dossier %s %s failed", job.pk, item.kind, item.subject_id)
            BulkJobItem.objects.filter(pk=item.pk).update(
                outcome=BulkOutcome.FAILED, message=UNEXPECTED_FAILURE, processed_at=timezone.now()
            )
        if position % PROGRESS_EVERY == 0:
            _save_counts(job)
    _save_counts(job)
    if job.items.filter(outcome=BulkOutcome.PENDING).exists():
        job.refresh_from_db()
        return job  # another part is still at work: it closes the job
    finished_at = timezone.now()
    if (
        not BulkJob.objects.filter(pk=job.pk)
        .exclude(status=BulkStatus.DONE)
        .update(status=BulkStatus.DONE, finished_at=finished_at)
    ):
        return BulkJob.objects.get(pk=job.pk)  # closed by another part
    job.status, job.finished_at = BulkStatus.DONE, finished_at
    agent_notify(
        user,
        NotificationEvent.BULK_FINISHED,
        title=job.summary,
        url=reverse("workflows:bulk_job", args=[job.pk]),
        lines=[f"{job.done_count} dossier(s) traité(s), {job.failed_count} non traité(s)."],
    )
    return job
