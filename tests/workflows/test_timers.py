"""Deadlines: the reminder before and the escalation after, fired by `manage.py workflow_timers` (time moved)."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from tests.workflows.helpers import confirmed_application, work_item
from workflows.enums import Kind, Step, Verdict
from workflows.models import Decision, WorkItem

pytestmark = pytest.mark.django_db


def move_time_forward(process, days: int) -> None:
    """Pretend `days` passed: every scheduled timer of the process due before then becomes due now."""
    horizon = timezone.now() + datetime.timedelta(days=days)
    Task.objects.filter(process=process, status=STATUS.SCHEDULED, scheduled__lte=horizon).update(
        scheduled=timezone.now() - datetime.timedelta(seconds=1)
    )


class TestDeadlines:
    def test_the_deadline_comes_from_the_setting(self, settings):
        settings.WORKFLOW_TASK_DEADLINE_DAYS = 10
        settings.WORKFLOW_REMINDER_DAYS_BEFORE = 3
        application = confirmed_application()
        item = work_item(Kind.STRUCTURE, application, Step.STRUCTURE_PREFECTURE)
        assert datetime.timedelta(days=9, hours=23) < item.due_at - item.created_at <= datetime.timedelta(days=10)
        timers = sorted(
            Task.objects.filter(process=application.process, flow_task_type="TIMER").values_list(
                "scheduled", flat=True
            )
        )
        assert [round((t - item.created_at).total_seconds() / 86400) for t in timers] == [7, 10]

    def test_reminder_then_escalation_leave_the_task_actionable(
        self, client, prefecture_paris, national_admin, django_capture_on_commit_callbacks
    ):
        application = confirmed_application()
        process = application.process
        item = work_item(Kind.STRUCTURE, application, Step.STRUCTURE_PREFECTURE)
        with django_capture_on_commit_callbacks(execute=True):
            call_command("workflow_timers", verbosity=0)
        assert not mail.outbox  # nothing is due yet

        move_time_forward(process, days=12)
        with django_capture_on_commit_callbacks(execute=True):
            call_command("workflow_timers", verbosity=0)
        item.refresh_from_db()
        assert item.reminded_at and not item.escalated_at and item.is_open
        (reminder,) = mail.outbox
        assert reminder.to == [prefecture_paris.email] and reminder.subject.startswith("Rappel :")
        assert f"/espace/structures/{application.pk}/" in reminder.body

        move_time_forward(process, days=16)
        with django_capture_on_commit_callbacks(execute=True):
            call_command("workflow_timers", verbosity=0)
        item.refresh_from_db()
        assert item.escalated_at and item.is_open
        escalation = mail.outbox[-1]
        assert escalation.subject.startswith("Demande en retard")
        assert set(escalation.to) == {prefecture_paris.email, national_admin.email}
        verdicts = list(
            Decision.objects.filter(kind=Kind.STRUCTURE, subject_id=application.pk).values_list("verdict", flat=True)
        )
        assert verdicts[-2:] == [Verdict.REMINDED, Verdict.ESCALATED]
        client.force_login(prefecture_paris)
        assert "En retard" in client.get(reverse("workflows:queue"), {"deadline": "retard"}).text
        response = client.post(
            reverse("workflows:decide", args=[item.pk]),
            {"opinion": "favorable", "internal_note": "Avis rendu en retard."},
        )
        assert response.status_code == 302
        assert not WorkItem.objects.get(pk=item.pk).is_open
        assert work_item(Kind.STRUCTURE, application, Step.STRUCTURE_HUB)

    def test_timers_of_a_finished_step_never_fire(self, prefecture_paris, django_capture_on_commit_callbacks):
        from workflows import services

        application = confirmed_application()
        services.structure_prefecture_review(
            work_item=work_item(Kind.STRUCTURE, application, Step.STRUCTURE_PREFECTURE),
            user=prefecture_paris,
            opinion="favorable",
            internal_note="Avis favorable dans les temps.",
        )
        first_step_timers = Task.objects.filter(
            process=application.process,
            flow_task_type="TIMER",
            previous__flow_task_type="HUMAN",
            previous__status=STATUS.DONE,
        )
        assert set(first_step_timers.values_list("status", flat=True)) == {STATUS.CANCELED}
