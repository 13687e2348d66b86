"""What the deadline timers do when `manage.py workflow_timers` fires them: remind before, escalate after.

Both timers are non-interrupting boundaries of a human task: the task stays open and actionable.
"""

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


def remind(activation) -> None:
    work_item = _host_work_item(activation)
    if work_item is None:
        return
    WorkItem.objects.filter(pk=work_item.pk).update(reminded_at=timezone.now())
    _log(work_item, Verdict.REMINDED)
    notifications.task_reminder(work_item)


def escalate(activation) -> None:
    work_item = _host_work_item(activation)
    if work_item is None:
        return
    WorkItem.objects.filter(pk=work_item.pk).update(escalated_at=timezone.now())
    _log(work_item, Verdict.ESCALATED)
    notifications.task_escalated(work_item)
