"""Telling an agent of an event of her work (a dossier confided to her, an applicant's message…): by e-mail at once
or in the daily digest, as her preferences say (`NotificationPreference`; no row: the event's default).

The e-mail names the dossier and links to it; it never carries the content of a message or a note.
"""

from workflows.enums import NotificationEvent, NotificationMode
from workflows.links import absolute, dossier_url
from workflows.models import NotificationPreference, PendingNotification
from workflows.notifications.common import send

# New tasks of the territory have always come in the daily digest; what concerns the agent personally comes at once.
DEFAULT_MODES = {
    NotificationEvent.NEW_TASK: NotificationMode.DIGEST,
    NotificationEvent.ASSIGNED: NotificationMode.IMMEDIATE,
    NotificationEvent.APPLICANT_MESSAGE: NotificationMode.IMMEDIATE,
    NotificationEvent.CORRECTION_ANSWERED: NotificationMode.IMMEDIATE,
    NotificationEvent.BULK_FINISHED: NotificationMode.IMMEDIATE,
}


def notification_mode(user, event) -> str:
    """How `user` wants to hear of `event`."""
    chosen = NotificationPreference.objects.filter(user=user, event=event).values_list("mode", flat=True).first()
    return chosen or DEFAULT_MODES[event]


def agent_notify(user, event, *, title: str, kind: str = "", subject_id=None, url: str = "", lines=()) -> None:
    """Tell `user` of `event` about a dossier (`kind`, `subject_id`) or a page (`url`): now, or in her digest.

    `title` names the dossier (as in the lists); `lines` are short facts without personal data beyond it."""
    if user is None or not user.is_active or not user.email:
        return
    if notification_mode(user, event) == NotificationMode.DIGEST:
        PendingNotification.objects.create(user=user, event=event, kind=kind, subject_id=subject_id, title=title)
        return
    link = url or (dossier_url(kind, subject_id) if kind else "")
    send(
        to=user.email,
        subject=f"{NotificationEvent(event).label} : {title}"[:200],
        heading=NotificationEvent(event).label,
        name=user.first_name,
        paragraphs=[title, *lines],
        action=("Ouvrir dans l'espace agents", absolute(link)) if link else None,
    )
