"""Mes statistiques: my indicators over a chosen period, charts with their tables, and exports."""

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from accounts.decorators import coop_required
from common import exports as export_files
from reporting import charts, exports
from reporting.beneficiary_stats import followed_figures
from reporting.forms import PeriodFilterForm
from reporting.indicators import distribution_sections, key_figures, location_groups
from reporting.scopes import Scope
from reporting.selectors import DAILY_SERIES_MAX_DAYS, Period, activity_statistics
from reporting.tag_statistics import tag_breakdown, tag_filter_options
from reporting.views.common import coop_breadcrumb

DAILY = "jour"


def statistics_context(
    request, scope: Scope, *, default_period: Period | None = None, personal_tags_of: int | None = None
) -> dict:
    """The filters form, the statistics of a scope and everything a statistics page or export shows.

    `personal_tags_of`: the advisor whose personal tags may be offered and shown (the viewer's own statistics only).
    """
    form = PeriodFilterForm(
        request.GET or None,
        default_period=default_period or Period.year_to_date(),
        tags=tag_filter_options(request.user, personal=personal_tags_of is not None),
    )
    period, filters = form.period, form.filters
    wants_daily = request.GET.get("vue") == DAILY
    daily = wants_daily and period.days <= DAILY_SERIES_MAX_DAYS
    statistics = activity_statistics(scope, period, filters, daily=daily, locations=True)
    chart = charts.daily_chart(statistics.days) if daily else charts.monthly_chart(statistics.months)
    return {
        "filter_form": form,
        "period": period,
        "statistics": statistics,
        "figures": key_figures(statistics),
        "sections": distribution_sections(statistics),
        "locations": location_groups(statistics),
        "chart": chart,
        "daily": daily,
        "daily_refused": wants_daily and not daily,
        "daily_max": DAILY_SERIES_MAX_DAYS,
        "query": request.GET.urlencode(),
        "presets": presets(request),
        "daily_url": _with(request, vue=DAILY),
        "monthly_url": _with(request, vue="mois"),
        "followed": followed_figures(scope, period, filters, statistics),
        "tag_breakdown": tag_breakdown(scope, period, filters, personal_owner=personal_tags_of),
    }


def _with(request, **params) -> str:
    query = request.GET.copy()
    for name, value in params.items():
        query[name] = value
    return f"?{query.urlencode()}"


def presets(request) -> list[tuple[str, str]]:
    """Links to the usual periods, keeping the other filters."""
    today = timezone.localdate()
    choices = [
        ("Ce mois-ci", Period(today.replace(day=1), today)),
        ("3 derniers mois", Period.last_months(3, today)),
        ("12 derniers mois", Period.last_months(12, today)),
        ("Depuis le 1er janvier", Period.year_to_date(today)),
    ]
    links = []
    for label, period in choices:
        query = request.GET.copy()
        query["start"], query["end"] = period.start.isoformat(), period.end.isoformat()
        query.pop("page", None)
        links.append((label, f"?{query.urlencode()}"))
    return links


def statistics_export_response(request, context: dict, *, fmt: str, subject: str, name: str):
    """The statistics of a context as a CSV or XLSX file, with the period and filters written at the top."""
    header = exports.statistics_header(
        title="Statistiques d'activité — Conseiller numérique",
        subject=subject,
        period=context["period"],
        filters=context["filter_form"].active_filters(),
    )
    rows = exports.statistics_rows(context["statistics"], header, tags=context["tag_breakdown"])
    filename = f"{name}_{context['period'].start:%Y-%m-%d}_{context['period'].end:%Y-%m-%d}"
    if fmt == "csv":
        return export_files.csv_response(filename, rows)
    return export_files.xlsx_response(filename, [("Statistiques", rows, 1)])


@coop_required
def my_statistics(request):
    """My indicators (the same engine as the pilotage dashboards), a chart per month or per day, and exports."""
    context = statistics_context(request, Scope.advisors([request.advisor.pk]), personal_tags_of=request.advisor.pk)
    context.update(
        title="Mes statistiques",
        subject=request.advisor.full_name,
        export_url=reverse("coop:statistics_export", kwargs={"fmt": "csv"}),
        export_xlsx_url=reverse("coop:statistics_export", kwargs={"fmt": "xlsx"}),
        breadcrumb=coop_breadcrumb(("Mes statistiques", "")),
        section="statistiques",
        can_share=True,  # issue 15 part 4: print, PDF and share links of my own statistics
    )
    return render(request, "reporting/coop/statistics.html", context)


@coop_required
def my_statistics_export(request, fmt):
    context = statistics_context(request, Scope.advisors([request.advisor.pk]), personal_tags_of=request.advisor.pk)
    return statistics_export_response(
        request, context, fmt=fmt, subject=f"Conseiller : {request.advisor.full_name}", name="mes_statistiques"
    )
