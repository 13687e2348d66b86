"""What the deadline timers do when `manage.py workflow_timers` fires them: remind before, escalate after.

Both timers are non-interrupting boundaries of a human task: the task stays open and actionable.

A correction request pauses the deadline (`WorkItem.paused_at`): a timer that fires meanwhile does nothing. When the
applicant answers, the due date and the timers not fired yet move by the pause (workflows/services/threads.py); the
timers that fired during the pause are made up by `catch_up`, which `workflow_timers` runs after Viewflow's timers:
it reminds and escalates the tasks whose moved thresholds have passed. Each task is reminded and escalated once.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from workflows import notifications
from workflows.enums import Verdict
from workflows.models import Decision, WorkItem


def _host_work_item(activation):
    """The work item of the human task whose boundary timer led to this Function task."""
    timer_task = activation.task.previous.first()
    host_task = timer_task.previous.first() if timer_task is not None else None
    if host_task is None:
        return None
    return WorkItem.objects.open().select_related("owner").filter(task=host_task).first()


def _log(work_item, verdict):
    Decision.objects.create(
        kind=work_item.kind,
        subject_id=work_item.subject_id,
        process=work_item.process,
        step=work_item.step,
        verdict=verdict,
        actor_label="Système",
        reason=f"Échéance du {timezone.localtime(work_item.due_at):%d/%m/%Y}",
    )


def _remind(work_item) -> None:
    # The conditional update makes two concurrent passes remind once.
    if WorkItem.objects.filter(pk=work_item.pk, reminded_at__isnull=True).update(reminded_at=timezone.now()):
        _log(work_item, Verdict.REMINDED)
        notifications.task_reminder(work_item)


def _escalate(work_item) -> None:
    if WorkItem.objects.filter(pk=work_item.pk, escalated_at__isnull=True).update(escalated_at=timezone.now()):
        _log(work_item, Verdict.ESCALATED)
        notifications.task_escalated(work_item)


def remind(activation) -> None:
    work_item = _host_work_item(activation)
    if work_item is None or work_item.paused_at is not None:
        return
    _remind(work_item)


def escalate(activation) -> None:
    work_item = _host_work_item(activation)
    if work_item is None or work_item.paused_at is not None:
        return
    _escalate(work_item)


def deadline_delay(activation=None) -> timedelta:
    return timedelta(days=settings.WORKFLOW_TASK_DEADLINE_DAYS)


def reminder_delay(activation=None) -> timedelta:
    days = settings.WORKFLOW_TASK_DEADLINE_DAYS - settings.WORKFLOW_REMINDER_DAYS_BEFORE
    return timedelta(days=max(days, 1))


def reminder_lead() -> timedelta:
    """How long before the due date the reminder goes (where the flows' reminder timer is placed)."""
    return deadline_delay() - reminder_delay()


def catch_up(now=None) -> int:
    """Remind and escalate the resumed tasks (a correction was answered) whose moved thresholds have passed and
    whose timers fired during the pause; returns how many reminders and escalations were made."""
    now = now or timezone.now()
    resumed = (
        WorkItem.objects.open()
        .filter(paused_at__isnull=True, corrections__answered_at__isnull=False)
        .select_related("owner")
        .distinct()
        .order_by("pk")
    )
    done = 0
    for work_item in resumed.filter(reminded_at__isnull=True, due_at__lte=now + reminder_lead()):
        _remind(work_item)
        done += 1
    for work_item in resumed.filter(escalated_at__isnull=True, due_at__lte=now):
        _escalate(work_item)
        done += 1
    return done
