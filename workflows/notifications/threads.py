"""E-mails of the dossiers' threads. The party is told that a message waits, with a link to read it (her dossier page
when her structure has an account, else the signed link of her e-mails); the agents in charge are told that the
applicant wrote. No e-mail ever carries a message's words: only the dossier's name and the link."""

from django.contrib.auth import get_user_model
from django.urls import reverse

from accounts.enums import Role
from workflows import tokens
from workflows.enums import Kind, NotificationEvent, Party, Side
from workflows.kinds import KINDS
from workflows.links import absolute, dossier_url
from workflows.models import Message
from workflows.notifications.agents import agent_notify
from workflows.notifications.common import (
    candidate_manage_url,
    national_admins,
    send,
    structure_managers,
    territorial_agents,
)
from workflows.notifications.deadlines import people_in_charge
from workflows.steps import STEPS


def structure_manage_url(application) -> str:
    return absolute(
        reverse("candidature:structure_manage", args=[tokens.make_token(tokens.MANAGE_STRUCTURE, application.pk)])
    )


def _structure_recipients(kind, subject) -> tuple[list[str], str]:
    """Where the structure reads the thread: its managers' dossier page, or the contact's signed link."""
    managers = structure_managers(getattr(subject, "structure_id", None))
    if managers:
        return managers, absolute(dossier_url(kind, subject.pk))
    if kind == Kind.STRUCTURE and subject.contact_email:
        return [subject.contact_email], structure_manage_url(subject)
    return [], ""


def message_to_party(kind, subject, party, *, correction=False) -> None:
    """An agent wrote to the structure or the candidate: tell her where to read it, not what it says."""
    candidate = None
    if party == Party.CANDIDATE:
        candidate = subject.candidate
        if not candidate.email or candidate.anonymised_at:
            return
        to, link = [candidate.email], candidate_manage_url(candidate)
        title = f"votre candidature auprès de {subject.structure.name}"
    else:
        to, link = _structure_recipients(kind, subject)
        title = KINDS[kind].title(subject)
    if not to:
        return
    paragraphs = [f"Un agent du programme Conseiller numérique vous a écrit au sujet de {title}."]
    if correction:
        paragraphs.append(
            "Il vous demande de corriger ou de compléter votre dossier : le délai d'instruction est suspendu "
            "jusqu'à votre réponse."
        )
    paragraphs.append("Pour protéger vos données, le message n'est pas recopié dans cet e-mail.")
    send(
        to=to,
        subject=("Demande de correction" if correction else "Nouveau message") + f" sur votre dossier : {title}"[:180],
        heading="Demande de correction de votre dossier" if correction else "Nouveau message sur votre dossier",
        paragraphs=paragraphs,
        action=("Lire le message et répondre", link),
        candidate=candidate,
    )


def agents_in_charge(work_item, kind, subject_id) -> list:
    """The agents to tell of an applicant's message: the task's owner, else every agent who may act on it; on a
    dossier without an open task (or a structure's own step), the agents who wrote on its threads or the hub."""
    users = get_user_model().objects.filter(is_active=True)
    if work_item is not None:
        if STEPS[work_item.step].in_charge == Role.STRUCTURE_MANAGER:
            # The structure's own step: she is the one acting, the hub follows the dossier.
            emails = territorial_agents(Role.HUB, work_item.department_id) or national_admins()
        else:
            emails = people_in_charge(work_item)
        return list(users.filter(email__in=emails).order_by("pk"))
    authors = Message.objects.filter(kind=kind, subject_id=subject_id, side=Side.AGENT).values("author")
    return list(users.filter(pk__in=authors).order_by("pk"))


def applicant_wrote(kind, subject, party, *, work_item=None, answered=False) -> None:
    """The applicant wrote (or answered a correction request): the agents in charge hear of it, as they chose."""
    event = NotificationEvent.CORRECTION_ANSWERED if answered else NotificationEvent.APPLICANT_MESSAGE
    title = work_item.title if work_item is not None else KINDS[kind].title(subject)
    who = "Le candidat" if party == Party.CANDIDATE else "La structure"
    for user in agents_in_charge(work_item, kind, subject.pk):
        agent_notify(
            user,
            event,
            title=title,
            kind=kind,
            subject_id=subject.pk,
            lines=[f"{who} a écrit sur le fil de discussion du dossier."],
        )
