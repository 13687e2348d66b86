"""The Espace Coop home page and « Mes outils »."""

from django.shortcuts import render
from django.utils import timezone

from accounts.decorators import coop_required
from common.links import is_safe_link
from reporting import scopes, selectors
from reporting.enums import ActivityKind, ReportingStatus
from reporting.indicators import fr_number
from reporting.models import Tool
from reporting.scopes import Scope
from reporting.selectors import Period, activity_statistics
from reporting.views.common import coop_breadcrumb, my_places


@coop_required
def home(request):
    """Record an activity in one click, my latest reports, this month's figures and a reminder when I am silent."""
    advisor = request.advisor
    today = timezone.localdate()
    recent = list(scopes.own_activities(request.user).select_related("place").order_by("-date", "-created_at")[:5])
    last_report = selectors.last_report_dates([advisor.pk]).get(advisor.pk)
    status = selectors.reporting_status(advisor, last_report, today)
    month = activity_statistics(Scope.advisors([advisor.pk]), Period(today.replace(day=1), today))
    year = activity_statistics(Scope.advisors([advisor.pk]), Period.year_to_date(today))
    return render(
        request,
        "reporting/coop/home.html",
        {
            "title": "Espace Coop",
            "advisor": advisor,
            "recent": recent,
            "status": status,
            "silent": status in (ReportingStatus.SILENT_30, ReportingStatus.SILENT_45),
            "silence_days": (today - selectors.silence_start(advisor, last_report)).days,
            "month_accompaniments": fr_number(month["accompaniments"]),
            "month_activities": fr_number(month["activities"]),
            "year_accompaniments": fr_number(year["accompaniments"]),
            "has_places": bool(my_places(request)),
            "kinds": ActivityKind,
            "section": "accueil",
        },
    )


@coop_required
def tools(request):
    """The programme's tools, managed by editors in the CMS."""
    return render(
        request,
        "reporting/coop/tools.html",
        {
            "title": "Mes outils",
            # Tools saved before the link rule are checked again: an unsafe address is never shown as a link.
            "tools": [tool for tool in Tool.objects.filter(is_active=True) if is_safe_link(tool.url)],
            "breadcrumb": coop_breadcrumb(("Mes outils", "")),
            "section": "outils",
        },
    )
