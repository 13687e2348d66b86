"""Deadlines and digests: who is reminded of an open task (the step registry says who is in charge), who hears
of an overdue one, who is told of a new task at once, and the daily digest (new tasks and the events kept for it)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import NoReverseMatch, reverse

from accounts.emails import send_templated_email
from accounts.enums import Role
from workflows.enums import NotificationEvent, NotificationMode
from workflows.links import absolute, dossier_url
from workflows.models import NotificationPreference
from workflows.notifications.agents import DEFAULT_MODES
from workflows.notifications.common import (
    date_text,
    national_admins,
    send,
    structure_managers,
    territorial_agents,
    territory_memberships,
)
from workflows.scopes import actionable_steps_for_role
from workflows.steps import STEPS

User = get_user_model()
DIGEST_TEMPLATE = "workflows/digest"


def people_in_charge(work_item) -> list[str]:
    """Who should act on a task: its owner if someone took it, otherwise every agent who may."""
    if work_item.owner_id:
        return [work_item.owner.email]
    in_charge = STEPS[work_item.step].in_charge
    if in_charge == Role.PREFECTURE:
        return territorial_agents(Role.PREFECTURE, work_item.department_id)
    if in_charge == Role.HUB:
        return territorial_agents(Role.HUB, work_item.department_id) or national_admins()
    if in_charge == Role.NATIONAL:
        return national_admins()
    return structure_managers(work_item.structure_id)


def task_reminder(work_item):
    send(
        to=people_in_charge(work_item),
        subject=f"Rappel : « {work_item.get_step_display()} » arrive à échéance",
        heading="Une demande arrive à échéance",
        paragraphs=[
            f"La demande « {work_item.title} » attend une décision avant le {date_text(work_item.due_at)} "
            f"({settings.WORKFLOW_REMINDER_DAYS_BEFORE} jours)."
        ],
        action=("Traiter la demande", absolute(dossier_url(work_item.kind, work_item.subject_id))),
    )


def task_escalated(work_item):
    send(
        to=sorted(set(people_in_charge(work_item)) | set(national_admins())),
        subject=f"Demande en retard : {work_item.title}",
        heading="Échéance dépassée",
        paragraphs=[
            f"La demande « {work_item.title} » ({work_item.get_step_display()}) n'a pas été traitée avant "
            f"son échéance du {date_text(work_item.due_at)}. L'équipe nationale en est informée et peut la traiter."
        ],
        action=("Ouvrir le dossier", absolute(dossier_url(work_item.kind, work_item.subject_id))),
    )


def _new_tasks_subject(items, total: int) -> str:
    if total == 1 and items[0].kind == "structure":
        return "Nouvelle candidature au poste de conseiller numérique"  # the real programme's subject
    if total == 1:
        return "1 nouvelle demande à traiter"
    return f"{total} nouvelles demandes à traiter"


def _dossier_link(kind, subject_id) -> str:
    """The absolute link of a dossier, or "" when the event names none (or a kind without a page)."""
    if not kind or subject_id is None:
        return ""
    try:
        return absolute(dossier_url(kind, subject_id))
    except (KeyError, NoReverseMatch):
        return ""


def digest(user, items, total: int, pending=()):
    """The daily e-mail of one agent: the new tasks of her territory (`items`, `total` in all) and the events kept
    for her digest (`pending` PendingNotification rows), grouped by kind of event. Names and links only."""
    groups = {}
    for notification in pending:
        link = _dossier_link(notification.kind, notification.subject_id)
        groups.setdefault(notification.event, []).append({"title": notification.title, "url": link})
    sections = [
        {"heading": NotificationEvent(event).label, "entries": groups[event]}
        for event in NotificationEvent.values
        if event in groups
    ]
    count = sum(len(section["entries"]) for section in sections)
    if total:
        subject = _new_tasks_subject(items, total)
    else:
        subject = f"Votre synthèse quotidienne : {count} événement{'s' if count > 1 else ''} sur vos dossiers"
    paragraphs = []
    if total:
        paragraphs.append(f"{total} nouvelle(s) demande(s) de votre territoire attendent une décision depuis hier.")
    if count:
        paragraphs.append(f"{count} événement(s) sur vos dossiers depuis la dernière synthèse.")
    send_templated_email(
        to=user.email,
        subject=subject,
        template=DIGEST_TEMPLATE,
        context={
            "heading": "Nouvelles demandes à traiter" if total else "Votre synthèse quotidienne",
            "name": user.first_name,
            "paragraphs": paragraphs,
            "details": [
                (item.get_step_display(), f"{item.title} (échéance {date_text(item.due_at)})") for item in items
            ],
            "more": total - len(items),
            "queue_url": absolute(reverse("workflows:queue")) if total else "",
            "sections": sections,
            "preferences_url": absolute(reverse("workflows:preferences")),
        },
    )


def _new_task_roles(step) -> list[str]:
    """The territorial roles told of a new task at this step: those whose digest lists it."""
    return [role for role in (Role.PREFECTURE, Role.HUB) if step in actionable_steps_for_role(role)]


def new_task_opened(work_item) -> None:
    """A task opened: e-mail it at once to the agents in charge who chose "E-mail immédiat" for new tasks (the
    others read it in their digest). One query finds them."""
    roles = _new_task_roles(work_item.step)
    if not roles or not work_item.department_id:
        return
    in_charge = territory_memberships(roles, work_item.department_id).values("user_id")
    event = NotificationEvent.NEW_TASK
    chosen = NotificationPreference.objects.filter(event=event).exclude(mode=DEFAULT_MODES[event]).values("user_id")
    agents = User.objects.filter(pk__in=in_charge)
    # Those who chose otherwise than the default: with a "digest" default, only they are e-mailed now.
    if DEFAULT_MODES[event] == NotificationMode.IMMEDIATE:
        agents = agents.exclude(pk__in=chosen)
    else:
        agents = agents.filter(pk__in=chosen)
    link = absolute(dossier_url(work_item.kind, work_item.subject_id))
    for agent in agents.filter(is_active=True).exclude(email="").only("email", "first_name").order_by("pk"):
        send(
            to=agent.email,
            subject=f"Nouvelle demande à traiter : {work_item.title}"[:200],
            heading=NotificationEvent.NEW_TASK.label,
            name=agent.first_name,
            paragraphs=[
                work_item.title,
                f"Étape : {work_item.get_step_display()}, échéance le {date_text(work_item.due_at)}.",
            ],
            action=("Ouvrir le dossier", link),
        )
