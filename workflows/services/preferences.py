"""An agent's notification preferences: for each kind of event, an e-mail at once or the daily digest."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts import roles
from accounts.enums import Role
from accounts.models import Membership
from workflows.audiences import reads_internal_notes
from workflows.enums import NotificationEvent, NotificationMode
from workflows.models import NotificationPreference
from workflows.notifications.agents import DEFAULT_MODES

# New tasks of a territory are told to the prefecture and hub agents only (the digest's audience).
NEW_TASK_ROLES = (Role.PREFECTURE, Role.HUB)


def notification_events(user) -> list[str]:
    """The events this agent may hear of: new tasks only with a prefecture or hub role."""
    territorial = Membership.objects.active().filter(user=user, role__in=NEW_TASK_ROLES).exists()
    return [event for event in NotificationEvent.values if territorial or event != NotificationEvent.NEW_TASK]


def notification_modes(user) -> dict[str, str]:
    """How the agent hears of each event today (her choice, else the event's default)."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("event", "mode"))
    return {event: chosen.get(event, DEFAULT_MODES[event]) for event in NotificationEvent.values}


@transaction.atomic
def notification_preferences_save(*, user, modes: dict, request=None) -> None:
    """Save the agent's choice for each event of `modes` (the others keep theirs)."""
    if user is None or not user.is_authenticated or not user.is_active:
        raise PermissionDenied("Vous devez être connecté.")
    if not reads_internal_notes(roles.active_role(user)):
        raise PermissionDenied("Les préférences de notification sont réservées aux agents.")
    errors = {
        event: "Choisissez « E-mail immédiat » ou « Synthèse quotidienne »."
        for event, mode in modes.items()
        if mode not in NotificationMode.values
    }
    unknown = [event for event in modes if event not in NotificationEvent.values]
    if unknown:
        raise ValidationError("Type de notification inconnu.")
    if errors:
        raise ValidationError(errors)
    NotificationPreference.objects.bulk_create(
        [NotificationPreference(user=user, event=event, mode=mode) for event, mode in modes.items()],
        update_conflicts=True,
        unique_fields=["user", "event"],
        update_fields=["mode"],
    )
