"""deactivate_inactive_accounts: a notice 30 days ahead, then deactivation; a login cancels it; idempotent."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.enums import AuditAction
from accounts.models import AuditEvent, User
from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def run(*args, now=None):
    out = StringIO()
    call_command(
        "deactivate_inactive_accounts", *args, "--now", (now or NOW).isoformat(timespec="minutes"), stdout=out
    )
    return out.getvalue()


def user_last_seen(days, *, never_logged_in=False, **kwargs):
    moment = NOW - datetime.timedelta(days=days)
    user = UserFactory(**kwargs)
    User.objects.filter(pk=user.pk).update(
        last_login=None if never_logged_in else moment, date_joined=moment - datetime.timedelta(days=1)
    )
    user.refresh_from_db()
    return user


class TestInactiveAccounts:
    def test_notice_then_deactivation_after_30_days(self, django_capture_on_commit_callbacks):
        sleeper = user_last_seen(720, email="dormeur@exemple.gouv.fr")
        never = user_last_seen(800, never_logged_in=True)
        active = user_last_seen(100)

        assert "2 compte(s) à prévenir, 0 compte(s) à désactiver." in run()
        assert not mail.outbox and User.objects.get(pk=sleeper.pk).inactivity_notified_at is None

        with django_capture_on_commit_callbacks(execute=True):
            assert "2 compte(s) prévenu(s), 0 compte(s) désactivé(s)." in run("--apply")
        assert sorted(address for message in mail.outbox for address in message.to) == sorted(
            [sleeper.email, never.email]
        )
        assert "désactivé le" in mail.outbox[0].body and "/connexion/" in mail.outbox[0].body

        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            assert "0 compte(s) prévenu(s), 0 compte(s) désactivé(s)." in run("--apply")  # idempotent
        assert not mail.outbox

        later = NOW + datetime.timedelta(days=31)
        assert "0 compte(s) prévenu(s), 2 compte(s) désactivé(s)." in run("--apply", now=later)
        assert not User.objects.get(pk=sleeper.pk).is_active and not User.objects.get(pk=never.pk).is_active
        assert User.objects.get(pk=active.pk).is_active
        assert "0 compte(s) prévenu(s), 0 compte(s) désactivé(s)." in run("--apply", now=later)
        events = AuditEvent.objects.filter(action=AuditAction.INACTIVE_ACCOUNTS_PROCESSED).order_by("created_at")
        assert [event.details["deactivated"] for event in events] == [0, 0, 2, 0]
        assert sorted(events[2].details["deactivated_users"]) == sorted([sleeper.pk, never.pk])

    def test_a_login_after_the_notice_keeps_the_account(self, client):
        sleeper = user_last_seen(720)
        run("--apply")
        assert User.objects.get(pk=sleeper.pk).inactivity_notified_at is not None
        assert client.post(reverse("accounts:login"), {"username": sleeper.email, "password": PASSWORD}).status_code
        sleeper.refresh_from_db()
        assert sleeper.inactivity_notified_at is None and sleeper.last_login > NOW
        run("--apply", now=NOW + datetime.timedelta(days=31))
        sleeper.refresh_from_db()
        assert sleeper.is_active

    def test_not_before_the_notice_and_never_the_operators(self):
        almost = user_last_seen(690)
        superuser = user_last_seen(1000, is_superuser=True, is_staff=True)
        run("--apply")
        run("--apply", now=NOW + datetime.timedelta(days=31))
        assert User.objects.get(pk=superuser.pk).is_active
        almost.refresh_from_db()
        assert almost.is_active  # notified only once 700 days have passed, deactivated 30 days later
