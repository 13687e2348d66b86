"""Accounts unused for 2 years: e-mailed a 30-day notice, then deactivated if still unused (idempotent).

"Unused" means no login since the cutoff: `last_login`, or `date_joined` for an account never used. A login
after the notice clears it (signal below), so the account starts a fresh 2 years.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.dispatch import receiver

from accounts.emails import send_templated_email

ACCOUNT_INACTIVITY_DAYS = 730
NOTICE_DAYS = 30


@dataclass
class InactivityReport:
    notified: list[int] = field(default_factory=list)
    deactivated: list[int] = field(default_factory=list)


def _candidates():
    # Superusers are the operators' break-glass accounts: they are left to the operators.
    return (
        get_user_model()
        .objects.filter(is_active=True, is_superuser=False)
        .annotate(last_seen=Coalesce("last_login", "date_joined"))
    )


def accounts_to_notify(now: datetime):
    """Active accounts unused for 2 years minus the notice period, not yet notified."""
    cutoff = now - timedelta(days=ACCOUNT_INACTIVITY_DAYS - NOTICE_DAYS)
    return _candidates().filter(last_seen__lt=cutoff, inactivity_notified_at__isnull=True).order_by("pk")


def accounts_to_deactivate(now: datetime):
    """Accounts notified at least 30 days ago and not used since the notice."""
    return (
        _candidates()
        .filter(inactivity_notified_at__lte=now - timedelta(days=NOTICE_DAYS))
        .filter(Q(last_login__isnull=True) | Q(last_login__lt=F("inactivity_notified_at")))
        .order_by("pk")
    )


def process_inactive_accounts(*, now: datetime, apply: bool = False) -> InactivityReport:
    """Deactivate those whose notice expired, then notify the newly inactive (never both in one run)."""
    report = InactivityReport()
    report.deactivated = list(accounts_to_deactivate(now).values_list("pk", flat=True))
    to_notify = list(accounts_to_notify(now))
    report.notified = [user.pk for user in to_notify]
    if not apply:
        return report
    User = get_user_model()
    with transaction.atomic():
        User.objects.filter(pk__in=report.deactivated).update(is_active=False)
        for user in to_notify:
            User.objects.filter(pk=user.pk).update(inactivity_notified_at=now)
            send_templated_email(
                to=user.email,
                subject="Votre compte Conseiller numérique sera désactivé dans 30 jours",
                template="accounts/inactivity_notice",
                context={"user": user, "deactivation_date": now + timedelta(days=NOTICE_DAYS)},
            )
    return report


@receiver(user_logged_in, dispatch_uid="accounts.inactivity.reset_notice")
def reset_inactivity_notice(sender, user, **kwargs):
    """A login proves the account is used: forget any pending notice."""
    if getattr(user, "inactivity_notified_at", None) is not None:
        type(user).objects.filter(pk=user.pk).update(inactivity_notified_at=None)
        user.inactivity_notified_at = None
