"""Daily digest: one e-mail per agent with the new tasks of her territory (prefecture and hub agents who hear of
them in the digest) and the events kept for her digest (PendingNotification), deleted as the e-mail is queued.
No e-mail when both are empty."""

from collections.abc import Callable
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts import roles
from accounts.enums import Role
from accounts.models import Membership
from workflows import notifications, scopes
from workflows.audiences import INTERNAL_NOTE_READERS
from workflows.enums import NotificationEvent, NotificationMode
from workflows.models import NotificationPreference, PendingNotification
from workflows.notifications.agents import DEFAULT_MODES

MAX_LISTED = 20
DIGEST_ROLES = (Role.PREFECTURE, Role.HUB)


def _hears_new_tasks_in_digest() -> Callable[[int], bool]:
    """Whether an agent reads new tasks in her digest (not when she is told of each one at once)."""
    event = NotificationEvent.NEW_TASK
    chosen = dict(NotificationPreference.objects.filter(event=event).values_list("user_id", "mode"))
    return lambda user_id: chosen.get(user_id, DEFAULT_MODES[event]) == NotificationMode.DIGEST


class Command(BaseCommand):
    help = (
        "E-mail each agent the new tasks of the last 24 hours in their territory and the events kept for their "
        "digest (cron, daily)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=int, default=24, help="Window of new tasks, in hours (default 24).")

    def handle(self, *args, hours, **options):
        since = timezone.now() - timedelta(hours=hours)
        agent_memberships = Membership.objects.active().filter(
            role__in=sorted(INTERNAL_NOTE_READERS), user__is_active=True
        )
        # Kept for people who are no longer agents (account disabled, role revoked): they will never read them.
        purged, _ = PendingNotification.objects.exclude(user__in=agent_memberships.values("user_id")).delete()
        pending_users = set(PendingNotification.objects.values_list("user_id", flat=True).distinct())
        in_digest = _hears_new_tasks_in_digest()
        memberships = agent_memberships.filter(role__in=DIGEST_ROLES).select_related("department", "region", "hub")
        territorial = {}
        for membership in memberships.order_by("user_id", "pk"):
            if in_digest(membership.user_id):
                territorial.setdefault(membership.user_id, []).append(membership)
        users = get_user_model().objects.filter(pk__in=set(territorial) | pending_users).order_by("pk")
        sent = 0
        for user in users:
            items = self._new_tasks(user, territorial.get(user.pk, []), since)
            with transaction.atomic():
                pending = list(
                    PendingNotification.objects.select_for_update().filter(user=user).order_by("created_at", "pk")
                )
                if not items and not pending:
                    continue
                listed = items[:MAX_LISTED]
                notifications.digest(user, listed, len(items), pending=pending)
                # Deleted with the e-mail queued: a failure leaves both for tomorrow, never one without the other.
                PendingNotification.objects.filter(pk__in=[row.pk for row in pending]).delete()
            sent += 1
        self.stdout.write(f"{sent} e-mail(s) de synthèse envoyé(s), {purged} notification(s) en attente purgée(s).")

    def _new_tasks(self, user, memberships, since) -> list:
        """The new tasks of each of the agent's territorial roles, once each, by deadline."""
        found = {}
        for membership in memberships:
            roles.act_as(user, membership)  # an agent may hold several roles: each one's tasks, in one e-mail
            items = (
                scopes.visible_work_items(user)
                .open()
                .filter(created_at__gte=since, step__in=scopes.actionable_steps_for_role(membership.role))
                .only("pk", "kind", "subject_id", "title", "step", "due_at")
            )
            found.update({item.pk: item for item in items})
        roles.forget_active_membership(user)
        return sorted(found.values(), key=lambda item: (item.due_at, item.pk))
