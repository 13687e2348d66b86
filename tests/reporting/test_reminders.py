"""Reminders at 30 and 45 days without an activity report: who gets them, and only once per threshold."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from accounts import services
from accounts.enums import Role
from reporting.models import ReminderLog
from reporting.reminders import send_activity_reminders
from tests.accounts.factories import UserFactory
from tests.directory.factories import AdvisorFactory
from tests.reporting.factories import ActivityFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def silent_since(paris_advisor):
    """Make Camille's last report date back `days` days (recorded that day too)."""

    def make(days: int):
        report = ActivityFactory(advisor=paris_advisor, date=TODAY - timedelta(days=days), remote=True)
        type(report).objects.filter(pk=report.pk).update(created_at=timezone.now() - timedelta(days=days))
        return report

    return make


@pytest.fixture
def manager(paris_structure):
    user = UserFactory(email="gestion@mairie11.paris.fr")
    services.membership_grant(user=user, role=Role.STRUCTURE_MANAGER, granted_by=None, structure=paris_structure)
    return user


def sent_to() -> list[tuple[str, tuple]]:
    return sorted((message.subject, tuple(message.to)) for message in mail.outbox)


class TestReminders:
    def test_nothing_before_30_days(self, paris_advisor, silent_since, django_capture_on_commit_callbacks):
        silent_since(29)
        with django_capture_on_commit_callbacks(execute=True):
            report = send_activity_reminders()
        assert (report.first, report.second) == (0, 0) and not mail.outbox

    def test_at_30_days_the_advisor_is_reminded_once(
        self, paris_advisor, silent_since, manager, django_capture_on_commit_callbacks
    ):
        silent_since(31)
        with django_capture_on_commit_callbacks(execute=True):
            send_activity_reminders()
            send_activity_reminders()
        assert sent_to() == [
            ("N'oubliez pas de remplir votre compte-rendu d'activité !", (paris_advisor.professional_email,))
        ]
        assert "Enregistrer une activité" in mail.outbox[0].body and "/coop/activites/nouvelle/" in mail.outbox[0].body
        assert ReminderLog.objects.get().threshold == 30

    def test_at_45_days_advisor_and_structure_managers_once(
        self, paris_advisor, silent_since, manager, django_capture_on_commit_callbacks
    ):
        silent_since(31)
        with django_capture_on_commit_callbacks(execute=True):
            send_activity_reminders()
            send_activity_reminders(today=TODAY + timedelta(days=15))
            send_activity_reminders(today=TODAY + timedelta(days=16))
        subject = "[IMPORTANT] Aucun compte-rendu d'activité enregistré depuis 45 jours"
        assert [s for s, _ in sent_to()].count(subject) == 2
        assert (subject, (manager.email,)) in sent_to()
        assert paris_advisor.full_name in next(m.body for m in mail.outbox if m.to == [manager.email])
        assert sorted(ReminderLog.objects.values_list("threshold", flat=True)) == [30, 45]

    def test_a_new_report_starts_a_new_silence(self, paris_advisor, silent_since, django_capture_on_commit_callbacks):
        silent_since(31)
        with django_capture_on_commit_callbacks(execute=True):
            send_activity_reminders()
        ActivityFactory(advisor=paris_advisor, date=TODAY, remote=True)
        with django_capture_on_commit_callbacks(execute=True):
            send_activity_reminders(today=TODAY + timedelta(days=31))
        assert len(mail.outbox) == 2 and ReminderLog.objects.count() == 2

    def test_never_reported_counts_from_the_start_date_and_ended_contracts_are_skipped(
        self, paris_structure, django_capture_on_commit_callbacks
    ):
        newcomer = AdvisorFactory(structure=paris_structure, started_at=TODAY - timedelta(days=10))
        veteran = AdvisorFactory(structure=paris_structure, started_at=TODAY - timedelta(days=50))
        AdvisorFactory(structure=paris_structure, started_at=TODAY - timedelta(days=50), ended=True)
        with django_capture_on_commit_callbacks(execute=True):
            report = send_activity_reminders()
        assert report.second == 1 and report.first == 0
        assert [message.to for message in mail.outbox] == [[veteran.professional_email]]
        assert not ReminderLog.objects.filter(advisor=newcomer).exists()

    def test_the_command_and_its_dry_run(self, paris_advisor, silent_since, capsys):
        silent_since(50)
        call_command("send_activity_reminders", "--dry-run")
        assert "À envoyer : 0 relance(s) à 30 jours, 1 relance(s) à 45 jours" in capsys.readouterr().out
        assert not ReminderLog.objects.exists()
        call_command("send_activity_reminders")
        assert "Envoyées : 0 relance(s) à 30 jours, 1 relance(s) à 45 jours" in capsys.readouterr().out
        assert ReminderLog.objects.count() == 1

    def test_a_bad_date_is_refused(self):
        from django.core.management.base import CommandError

        with pytest.raises(CommandError, match="AAAA-MM-JJ"):
            call_command("send_activity_reminders", "--date", "26/11/2026")

    def test_queries_do_not_grow_with_the_number_of_advisors(
        self, paris_structure, manager, django_assert_max_num_queries
    ):
        for _ in range(3):
            AdvisorFactory(structure=paris_structure, started_at=TODAY - timedelta(days=60))
        with django_assert_max_num_queries(9):
            send_activity_reminders(dry_run=True)
        for _ in range(20):
            AdvisorFactory(structure=paris_structure, started_at=TODAY - timedelta(days=60))
        with django_assert_max_num_queries(9):
            assert send_activity_reminders(dry_run=True).second == 23
