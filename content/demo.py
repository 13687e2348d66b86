"""Demo seeder (settings.DEMO_SEEDERS): the demo editors' Wagtail groups, and the national admin as moderator."""

from django.contrib.auth import get_user_model
from django.db import transaction

from accounts import services
from accounts.demo import DEMO_DOMAIN
from accounts.enums import ROLE_GROUPS, Role
from accounts.models import Membership


@transaction.atomic
def seed() -> str:
    """Give admin@ the moderator role, then put every editor and moderator in their Wagtail group; idempotent."""
    admin = get_user_model().objects.filter(email=f"admin@{DEMO_DOMAIN}").first()
    if admin is not None and not admin.memberships.active().filter(role=Role.MODERATOR).exists():
        services.membership_grant(user=admin, role=Role.MODERATOR, granted_by=None)
    # directory.demo writes memberships directly: sync the groups of every site role holder.
    holders = Membership.objects.active().filter(role__in=list(ROLE_GROUPS)).values("user")
    users = get_user_model().objects.filter(pk__in=holders)
    for user in users:
        services.role_groups_sync(user=user)
    return f"{users.count()} comptes éditeurs ou modérateurs du site"
