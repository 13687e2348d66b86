"""Reminders to advisors who recorded no activity report for 30 days, and to their structure at 45 days.

Run daily by `manage.py send_activity_reminders`. Each threshold is sent once per period of silence: a ReminderLog
row (advisor, threshold, silence start) is unique, so running the command twice, or after a missed day, sends
nothing twice. A new report starts a new period of silence.
"""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.emails import send_templated_email
from accounts.enums import Role
from accounts.models import Membership
from directory.enums import AdvisorStatus
from directory.models import Advisor
from reporting.enums import ReminderThreshold
from reporting.models import ReminderLog
from reporting.selectors import last_report_dates, silence_start

SUBJECTS = {
    ReminderThreshold.FIRST: "N'oubliez pas de remplir votre compte-rendu d'activité !",
    ReminderThreshold.SECOND: "[IMPORTANT] Aucun compte-rendu d'activité enregistré depuis 45 jours",
}


@dataclass
class ReminderReport:
    first: int = 0
    second: int = 0
    managers: int = 0


def advisor_address(advisor: Advisor) -> str:
    """Where an advisor reads work e-mail: professional address, else account, else personal."""
    return advisor.professional_email or (advisor.user.email if advisor.user_id else "") or advisor.email


def _manager_addresses(structure_ids) -> dict[int, list[str]]:
    addresses: dict[int, list[str]] = {}
    managers = (
        Membership.objects.active()
        .filter(role=Role.STRUCTURE_MANAGER, structure_id__in=structure_ids, user__is_active=True)
        .select_related("user")
    )
    for membership in managers:
        addresses.setdefault(membership.structure_id, []).append(membership.user.email)
    return addresses


def due_threshold(days: int, sent: set[int]) -> int | None:
    """The reminder due after `days` of silence, given the thresholds already sent for this silence."""
    if days >= ReminderThreshold.SECOND and ReminderThreshold.SECOND not in sent:
        return ReminderThreshold.SECOND
    if ReminderThreshold.FIRST <= days < ReminderThreshold.SECOND and not sent:
        return ReminderThreshold.FIRST
    return None


@transaction.atomic
def send_activity_reminders(*, today: date | None = None, dry_run: bool = False) -> ReminderReport:
    """E-mail the reminders due today (a constant number of queries, whatever the number of advisors)."""
    today = today or timezone.localdate()
    advisors = list(Advisor.objects.active().select_related("user", "structure"))
    last = last_report_dates([advisor.pk for advisor in advisors])
    sent: dict[tuple[int, date], set[int]] = {}
    logged = ReminderLog.objects.filter(advisor__status=AdvisorStatus.ACTIVE)
    for advisor_id, threshold, start in logged.values_list("advisor_id", "threshold", "silence_start"):
        sent.setdefault((advisor_id, start), set()).add(threshold)
    due = []
    for advisor in advisors:
        start = silence_start(advisor, last.get(advisor.pk))
        threshold = due_threshold((today - start).days, sent.get((advisor.pk, start), set()))
        if threshold is not None and advisor_address(advisor):
            due.append((advisor, start, threshold))
    managers = _manager_addresses({advisor.structure_id for advisor, _, threshold in due if threshold == 45})
    report, logs = ReminderReport(), []
    create_path = f"{reverse('coop:activity_create')}?type=individuel"
    for advisor, start, threshold in due:
        days = (today - start).days
        context = {"advisor": advisor, "silence_start": start, "days": days, "create_path": create_path}
        recipients = [advisor_address(advisor)]
        if not dry_run:
            template = f"reporting/reminder_{int(threshold)}"
            send_templated_email(to=recipients[0], subject=SUBJECTS[threshold], template=template, context=context)
        if threshold == ReminderThreshold.SECOND:
            report.second += 1
            structure_managers = managers.get(advisor.structure_id, [])
            if structure_managers and not dry_run:
                send_templated_email(
                    to=structure_managers,
                    subject=SUBJECTS[threshold],
                    template="reporting/reminder_45_manager",
                    context={**context, "structure": advisor.structure},
                )
            report.managers += len(structure_managers)
            recipients += structure_managers
        else:
            report.first += 1
        logs.append(ReminderLog(advisor=advisor, threshold=threshold, silence_start=start, recipients=recipients))
    if not dry_run:
        ReminderLog.objects.bulk_create(logs, ignore_conflicts=True)
    return report
