"""Daily digest: one e-mail per prefecture and hub agent listing the new tasks of their territory (none when empty)."""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts import roles
from accounts.enums import Role
from accounts.models import Membership
from workflows import notifications, scopes

MAX_LISTED = 20


class Command(BaseCommand):
    help = "E-mail each prefecture and hub agent the new tasks of the last 24 hours in their territory (cron, daily)."

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=int, default=24, help="Window of new tasks, in hours (default 24).")

    def handle(self, *args, hours, **options):
        since = timezone.now() - timedelta(hours=hours)
        memberships = (
            Membership.objects.active()
            .filter(role__in=[Role.PREFECTURE, Role.HUB], user__is_active=True)
            .select_related("user", "department", "region", "hub")
            .order_by("user_id", "pk")
        )
        sent = 0
        for membership in memberships:
            user = membership.user
            roles.act_as(user, membership)  # an agent may hold several roles: one digest per role
            items = (
                scopes.visible_work_items(user)
                .open()
                .filter(created_at__gte=since, step__in=scopes.actionable_steps_for_role(membership.role))
            )
            total = items.count()
            if total:
                with transaction.atomic():
                    notifications.digest(user, list(items.order_by("due_at", "pk")[:MAX_LISTED]), total)
                sent += 1
        self.stdout.write(f"{sent} e-mail(s) de synthèse envoyé(s).")
