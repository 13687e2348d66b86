"""Taking and releasing a task: it moves between "À traiter" and the agent's "Mes dossiers"."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from viewflow.workflow.status import STATUS

from accounts import roles
from workflows.enums import Verdict
from workflows.models import WorkItem
from workflows.services.common import AlreadyProcessed, DecisionLog, check_can_act, subject_of


@transaction.atomic
def task_take(*, work_item, user, request=None) -> None:
    """Take charge of a task: it leaves "À traiter" and goes to the user's "Mes dossiers"."""
    check_can_act(user, work_item)
    task = work_item.task
    with task.activation() as activation:
        if task.status != STATUS.NEW:
            if task.status == STATUS.ASSIGNED and task.owner_id == user.pk:
                return
            raise AlreadyProcessed("Cette tâche a déjà été prise en charge ou traitée.")
        if not activation.assign.has_perm(user):
            raise PermissionDenied("Votre rôle ne permet pas de traiter cette étape.")
        activation.assign(user)
    WorkItem.objects.filter(pk=work_item.pk).update(owner=user)
    DecisionLog.of_task(work_item, user, request).record(subject_of(work_item), Verdict.TAKEN)


@transaction.atomic
def task_release(*, work_item, user, request=None) -> None:
    """Give a task back to the team (its owner, or a national admin)."""
    check_can_act(user, work_item)
    task = work_item.task
    with task.activation() as activation:
        if task.status != STATUS.ASSIGNED:
            raise AlreadyProcessed
        if task.owner_id != user.pk and not roles.is_national(user):
            raise PermissionDenied("Seule la personne en charge peut libérer cette tâche.")
        activation.unassign()
    WorkItem.objects.filter(pk=work_item.pk).update(owner=None)
    DecisionLog.of_task(work_item, user, request).record(subject_of(work_item), Verdict.RELEASED)
