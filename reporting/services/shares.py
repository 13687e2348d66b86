"""Share links of an advisor's statistics: create, revoke, read a link's token, note when it was last opened.

The link carries the share's UUID signed with a salt of its own (django.core.signing): a token of another feature,
a tampered one or one of a revoked share opens nothing.
"""

import uuid
from datetime import timedelta

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.enums import Role
from accounts.roles import active_membership
from reporting.models import StatisticsShare
from reporting.scopes import visible_statistics_shares

SALT = "reporting.StatisticsShare.link"
MAX_ACTIVE_SHARES = 20
VIEW_NOTE_INTERVAL = timedelta(minutes=1)


def share_token(share: StatisticsShare) -> str:
    """The signed part of the share's public address."""
    return signing.Signer(salt=SALT).sign(share.pk.hex)


def share_from_token(token: str) -> StatisticsShare | None:
    """The active share a token names, or None (unknown, revoked, tampered or signed for something else)."""
    try:
        share_id = uuid.UUID(hex=signing.Signer(salt=SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        return None
    return (
        StatisticsShare.objects.select_related("advisor__structure")
        .filter(pk=share_id, revoked_at__isnull=True)
        .first()
    )


def _own_advisor_id(user) -> int:
    membership = active_membership(user)
    if membership is None or membership.role not in (Role.ADVISOR, Role.COORDINATOR) or not membership.advisor_id:
        raise PermissionDenied("Seuls les conseillers et coordinateurs partagent leurs statistiques.")
    return membership.advisor_id


@transaction.atomic
def statistics_share_create(*, user, label: str = "") -> StatisticsShare:
    """A new link to the user's own statistics (at most MAX_ACTIVE_SHARES active at once)."""
    advisor_id = _own_advisor_id(user)
    active = StatisticsShare.objects.select_for_update().filter(advisor_id=advisor_id, revoked_at__isnull=True)
    if len(active) >= MAX_ACTIVE_SHARES:
        raise ValidationError(
            f"Vous avez déjà {MAX_ACTIVE_SHARES} liens actifs : révoquez ceux qui ne servent plus avant d'en créer un."
        )
    return StatisticsShare.objects.create(advisor_id=advisor_id, created_by=user, label=label.strip())


def statistics_share_revoke(*, user, share_id) -> StatisticsShare:
    """Close a link of the user's own statistics for good (revoking twice changes nothing)."""
    share = visible_statistics_shares(user).filter(pk=share_id).first()
    if share is None:
        raise PermissionDenied("Ce lien de partage n'est pas le vôtre.")
    if share.revoked_at is None:
        share.revoked_at = timezone.now()
        share.save(update_fields=["revoked_at"])
    return share


def statistics_share_viewed(*, share: StatisticsShare, now=None) -> bool:
    """Note the opening of a link, at most once per VIEW_NOTE_INTERVAL (no write for each view); True if noted."""
    now = now or timezone.now()
    if share.last_viewed_at and now - share.last_viewed_at < VIEW_NOTE_INTERVAL:
        return False
    StatisticsShare.objects.filter(pk=share.pk).update(last_viewed_at=now)
    share.last_viewed_at = now
    return True
