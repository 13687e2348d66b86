"""Assigning a dossier's open task to a named colleague of the same scope: it goes to her "Mes dossiers" and she is
told so (unless she assigned it to herself)."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from viewflow.workflow.status import STATUS

from accounts import roles
from accounts.enums import ROLE_PERMISSIONS, Role
from accounts.models import Membership
from workflows.enums import NotificationEvent, Verdict
from workflows.models import WorkItem
from workflows.notifications.agents import agent_notify
from workflows.services.common import AlreadyProcessed, DecisionLog, check_can_act, subject_of
from workflows.steps import STEPS

AGENT_TEAM_ROLES = (Role.PREFECTURE, Role.HUB)


def _able_roles(step) -> list[str]:
    """The territorial roles whose permission covers the step (national admins are able everywhere)."""
    permission = STEPS[step].permission
    return [role for role in AGENT_TEAM_ROLES if permission in ROLE_PERMISSIONS.get(role, ())]


def _covering(role, department_code) -> Q:
    """Memberships of `role` whose territory covers the department."""
    if role == Role.NATIONAL:
        return Q(role=Role.NATIONAL)
    if role == Role.PREFECTURE:
        return Q(role=Role.PREFECTURE) & (Q(department=department_code) | Q(region__departments=department_code))
    return Q(role=Role.HUB, hub__departments=department_code)


def assignable_agents(work_item, user):
    """The active agents the user may assign this task to (one query): her role's agents covering the dossier's
    department, or, for a national admin, every agent able to act on the step there."""
    role = roles.active_role(user)
    if role == Role.NATIONAL:
        wanted = [Role.NATIONAL, *_able_roles(work_item.step)]
    elif role in _able_roles(work_item.step):
        wanted = [role]
    else:
        wanted = []
    if not wanted:
        return get_user_model().objects.none()
    condition = Q()
    for each in wanted:
        condition |= _covering(each, work_item.department_id)
    memberships = Membership.objects.active().filter(condition).values("user")
    return (
        get_user_model().objects.filter(is_active=True, pk__in=memberships).order_by("last_name", "first_name", "pk")
    )


def team_colleagues(user):
    """The active agents of the user's own team (same role, same scope): the bulk assignment's choices."""
    membership = roles.active_membership(user)
    if membership is None or membership.role not in (*AGENT_TEAM_ROLES, Role.NATIONAL):
        return get_user_model().objects.none()
    same = Membership.objects.active().filter(
        role=membership.role, department=membership.department_id, region=membership.region_id, hub=membership.hub_id
    )
    return (
        get_user_model()
        .objects.filter(is_active=True, pk__in=same.values("user"))
        .order_by("last_name", "first_name", "pk")
    )


def agent_label(user) -> str:
    return user.get_full_name() or user.email


@transaction.atomic
def work_item_assign(*, work_item, assignee, user, request=None) -> WorkItem:
    """Confide an open task to `assignee` (or take it back from a colleague: the task's owner or a national admin
    may reassign it); recorded in the dossier's log, the assignee notified."""
    check_can_act(user, work_item)
    if assignee is None or not assignable_agents(work_item, user).filter(pk=assignee.pk).exists():
        raise ValidationError({"assignee": "Cet agent ne peut pas traiter ce dossier (rôle ou territoire)."})
    task = work_item.task
    with task.activation() as activation:
        if task.status == STATUS.NEW:
            activation.assign(assignee)
        elif task.status == STATUS.ASSIGNED:
            if task.owner_id == assignee.pk:
                return work_item
            if task.owner_id != user.pk and not roles.is_national(user):
                raise PermissionDenied(f"Cette tâche est prise en charge par {task.owner}.")
            activation.reassign(assignee)
        else:
            raise AlreadyProcessed
    WorkItem.objects.filter(pk=work_item.pk).update(owner=assignee, assigned_by=user)
    work_item.owner, work_item.assigned_by = assignee, user
    DecisionLog.of_task(work_item, user, request).record(
        subject_of(work_item), Verdict.ASSIGNED, reason=agent_label(assignee)
    )
    if assignee.pk != user.pk:
        agent_notify(
            assignee,
            NotificationEvent.ASSIGNED,
            title=work_item.title,
            kind=work_item.kind,
            subject_id=work_item.subject_id,
            lines=[f"Confié par {agent_label(user)}."],
        )
    return work_item
