"""The monthly summary e-mailed to each structure's managers: its advisors' activity of the past month.

Run by `manage.py send_monthly_summaries` on the first days of each month. A MonthlySummaryLog row (structure, month)
is unique and written in the same transaction as the e-mails are queued, so a rerun (or two workers at once) sends
nothing twice. Counts come from the advisor × month rollups: a fixed number of queries, whatever the network size.
No beneficiary is ever named (reports have no names; followed people are never read here).
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.emails import send_templated_email
from accounts.enums import Role
from accounts.models import Membership
from directory.models import Advisor, Structure
from reporting import aggregation
from reporting.charts import MONTH_NAMES
from reporting.counters import GROUPS
from reporting.enums import Theme
from reporting.models import MonthlySummaryLog, MonthlySummarySetting, RollupLevel
from reporting.scopes import Scope
from reporting.selectors import PROGRAMME_START, Filters, month_end, month_start

UNSUBSCRIBE_SALT = "reporting.MonthlySummarySetting.unsubscribe"
TOP_THEMES = 3


class MonthError(ValueError):
    """A month that cannot be summarised (badly written, before the programme, current or future)."""


def month_label(month: date) -> str:
    return f"{MONTH_NAMES[month.month - 1]} {month.year}"


def previous_month(today: date) -> date:
    return month_start(month_start(today) - timedelta(days=1))


def parse_month(value: str, *, today: date) -> date:
    """The first day of a past month written YYYY-MM; the current month and later ones are refused."""
    try:
        year, month = (int(part) for part in value.split("-"))
        first = date(year, month, 1)
    except ValueError:
        raise MonthError("Le mois s'écrit AAAA-MM, par exemple 2025-03.") from None
    if first < month_start(PROGRAMME_START):
        raise MonthError("Ce mois est antérieur au début du dispositif.")
    if first >= month_start(today):
        raise MonthError("Seul un mois terminé peut être résumé : ni le mois en cours, ni un mois futur.")
    return first


def unsubscribe_token(structure_id: int, user_id: int) -> str:
    """The signed one-click unsubscribe link of one manager for one structure."""
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign_object({"s": structure_id, "u": user_id}, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, int] | None:
    try:
        data = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign_object(token)
        return int(data["s"]), int(data["u"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


@dataclass
class AdvisorLine:
    name: str
    accompaniments: int
    activities: int
    themes: list[str]


@dataclass
class StructureSummary:
    structure: Structure
    lines: list[AdvisorLine]
    silent: list[str]  # active advisors of the structure without any report that month

    @property
    def accompaniments(self) -> int:
        return sum(line.accompaniments for line in self.lines)

    @property
    def activities(self) -> int:
        return sum(line.activities for line in self.lines)


@dataclass
class SummaryReport:
    month: date
    structures: int = 0
    emails: int = 0
    skipped_opted_out: int = 0
    skipped_already_sent: int = 0
    skipped_without_manager: int = 0
    sent_to: list[int] = field(default_factory=list)


def _top_themes(row: dict) -> list[str]:
    group = GROUPS["theme"]
    counted = [(row[group.column(value)], label) for value, label in Theme.choices if row[group.column(value)]]
    return [label for _, label in sorted(counted, key=lambda item: -item[0])[:TOP_THEMES]]


def structure_summaries(month: date) -> list[StructureSummary]:
    """Per structure with reports in the month (attributed to the employer at the time of each report)."""
    theme_columns = GROUPS["theme"].columns
    rows = aggregation.rollup_totals(
        RollupLevel.ADVISOR_MONTH,
        Scope.national(),
        Filters(),
        month,
        month,
        ["structure_id", "advisor_id"],
        ("activities", "accompaniments", *theme_columns),
    )
    rows = [row for row in rows if row["structure_id"] and row["activities"]]
    structure_ids = {row["structure_id"] for row in rows}
    advisors = {
        advisor.pk: advisor
        for advisor in Advisor.objects.filter(pk__in={row["advisor_id"] for row in rows}).only(
            "first_name", "last_name", "structure_id"
        )
    }
    silent_by_structure: dict[int, list[Advisor]] = {}
    reporting = {(row["structure_id"], row["advisor_id"]) for row in rows}
    for advisor in (
        Advisor.objects.active().filter(structure_id__in=structure_ids).only("first_name", "last_name", "structure_id")
    ):
        if (advisor.structure_id, advisor.pk) not in reporting:
            silent_by_structure.setdefault(advisor.structure_id, []).append(advisor)
    summaries = []
    for structure in Structure.objects.filter(pk__in=structure_ids).order_by("pk"):
        lines = [
            AdvisorLine(
                name=advisors[row["advisor_id"]].full_name if row["advisor_id"] in advisors else "Conseiller",
                accompaniments=row["accompaniments"],
                activities=row["activities"],
                themes=_top_themes(row),
            )
            for row in rows
            if row["structure_id"] == structure.pk
        ]
        lines.sort(key=lambda line: (-line.accompaniments, line.name))
        silent = sorted(advisor.full_name for advisor in silent_by_structure.get(structure.pk, []))
        summaries.append(StructureSummary(structure=structure, lines=lines, silent=silent))
    return summaries


def _managers(structure_ids) -> dict[int, list]:
    managers: dict[int, list] = {}
    memberships = (
        Membership.objects.active()
        .filter(role=Role.STRUCTURE_MANAGER, structure_id__in=structure_ids, user__is_active=True)
        .select_related("user")
        .order_by("pk")
    )
    for membership in memberships:
        if membership.user.email and membership.user not in managers.get(membership.structure_id, []):
            managers.setdefault(membership.structure_id, []).append(membership.user)
    return managers


def send_monthly_summaries(*, month: date | None = None, today: date | None = None, dry_run=False) -> SummaryReport:
    """E-mail the summary of `month` (by default the previous one) to the managers of each structure, once."""
    today = today or timezone.localdate()
    month = month or previous_month(today)
    if month >= month_start(today):
        raise MonthError("Seul un mois terminé peut être résumé : ni le mois en cours, ni un mois futur.")
    report = SummaryReport(month=month)
    summaries = structure_summaries(month)
    ids = [summary.structure.pk for summary in summaries]
    opted_out = set(
        MonthlySummarySetting.objects.filter(structure_id__in=ids, enabled=False).values_list(
            "structure_id", flat=True
        )
    )
    already = set(
        MonthlySummaryLog.objects.filter(structure_id__in=ids, month=month).values_list("structure_id", flat=True)
    )
    managers = _managers(ids)
    period = {"du": month.isoformat(), "au": month_end(month).isoformat()}
    dashboard_path = f"{reverse('pilotage:dashboard')}?du={period['du']}&au={period['au']}"
    for summary in summaries:
        structure_id = summary.structure.pk
        if structure_id in opted_out:
            report.skipped_opted_out += 1
            continue
        if structure_id in already:
            report.skipped_already_sent += 1
            continue
        recipients = managers.get(structure_id, [])
        if not recipients:
            report.skipped_without_manager += 1
            continue
        if not dry_run and not _send(summary, month, recipients, dashboard_path):
            report.skipped_already_sent += 1
            continue
        report.structures += 1
        report.emails += len(recipients)
        report.sent_to.append(structure_id)
    return report


def _send(summary: StructureSummary, month: date, recipients: list, dashboard_path: str) -> bool:
    """Log, then queue one e-mail per manager (each with their own unsubscribe link); False if already logged."""
    structure = summary.structure
    try:
        with transaction.atomic():
            MonthlySummaryLog.objects.create(
                structure=structure, month=month, recipients=[user.email for user in recipients]
            )
            for user in recipients:
                token = unsubscribe_token(structure.pk, user.pk)
                send_templated_email(
                    to=user.email,
                    subject=f"Bilan d'activité de {month_label(month)} — {structure.name}",
                    template="reporting/monthly_summary",
                    context={
                        "summary": summary,
                        "structure": structure,
                        "month_label": month_label(month),
                        "dashboard_path": dashboard_path,
                        "settings_path": reverse("pilotage:monthly_summary"),
                        "unsubscribe_path": reverse("pilotage:monthly_summary_unsubscribe", kwargs={"token": token}),
                    },
                )
    except IntegrityError:  # another run logged this structure and month in the meantime
        return False
    return True
