"""Deadlines and digests: who is reminded of an open task (the step registry says who is in charge), who hears
of an overdue one, and the daily digest of new tasks."""

from django.conf import settings
from django.urls import reverse

from accounts.enums import Role
from workflows.links import absolute, dossier_url
from workflows.notifications.common import date_text, national_admins, send, structure_managers, territorial_agents
from workflows.steps import STEPS


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


def digest(user, items, total: int):
    if total == 1 and items[0].kind == "structure":
        subject = "Nouvelle candidature au poste de conseiller numérique"  # the real programme's subject
    elif total == 1:
        subject = "1 nouvelle demande à traiter"
    else:
        subject = f"{total} nouvelles demandes à traiter"
    send(
        to=user.email,
        subject=subject,
        heading="Nouvelles demandes à traiter",
        name=user.first_name,
        paragraphs=[f"{total} nouvelle(s) demande(s) de votre territoire attendent une décision depuis hier."],
        details=[(item.get_step_display(), f"{item.title} (échéance {date_text(item.due_at)})") for item in items],
        action=("Voir les demandes à traiter", absolute(reverse("workflows:queue"))),
    )
