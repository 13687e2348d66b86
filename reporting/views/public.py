"""Public statistics (/statistiques/: national aggregates only, no names, cached) and open data (/open-data/)."""

from django.core.cache import cache
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone

from common import exports as export_files
from directory.enums import AdvisorStatus
from directory.models import Advisor, Structure
from directory.opendata import SCHEMA_PACKAGE
from reporting import charts, opendata, territorial
from reporting.indicators import distribution_sections, key_figures
from reporting.scopes import Scope
from reporting.selectors import PROGRAMME_START, Filters, Period, activity_statistics

PUBLIC_CACHE_SECONDS = 15 * 60
PUBLIC_SECTIONS = ("Activités", "Personnes accompagnées")


def public_statistics_context(today=None) -> dict:
    """National aggregates since the start of the programme and the last 12 months (no name, no territory below the
    region): computed from the rollups, then cached for PUBLIC_CACHE_SECONDS."""
    today = today or timezone.localdate()
    key = f"public-statistics:{today.isoformat()}"
    context = cache.get(key)
    if context is None:
        since_start = Period(PROGRAMME_START, today)
        last_year = Period.last_months(12, today)
        national = Scope.national()
        totals = activity_statistics(national, since_start)
        recent = activity_statistics(national, last_year)
        regions = territorial.drill_down(national, since_start, Filters(), "region")
        context = {
            "since": since_start,
            "figures": key_figures(totals),
            "sections": [section for section in distribution_sections(recent) if section[0] in PUBLIC_SECTIONS],
            "chart": charts.monthly_chart(recent.months),
            "regions": regions,
            "structures": Structure.objects.validated().count(),
            "advisors": Advisor.objects.filter(status=AdvisorStatus.ACTIVE).count(),
            "generated_at": timezone.now(),
        }
        cache.set(key, context, PUBLIC_CACHE_SECONDS)
    return context


def public_statistics(request):
    """National figures of the programme for everyone: the same charts as the dashboards, aggregates only."""
    context = public_statistics_context()
    context.update(title="Statistiques du dispositif", breadcrumb=[("Statistiques", "")])
    return render(request, "reporting/public/statistics.html", context)


def open_data(request):
    """The open-data files: validated structures (historical format, CSV and XLSX) and places (national schema)."""
    context = {
        "title": "Données ouvertes",
        "breadcrumb": [("Données ouvertes", "")],
        "schema_package": SCHEMA_PACKAGE,
        "structure_fields": opendata.table_schema()["fields"],
        "investment": opendata.investment_terms(),
    }
    return render(request, "reporting/public/open_data.html", context)


def open_data_structures(request):
    """structures_open_data.csv: the validated structures in the historical format, public by nature (no contact)."""
    return export_files.streaming_csv(opendata.FILENAME, opendata.csv_chunks())


def open_data_structures_xlsx(request):
    """structures_open_data.xlsx: the same columns for spreadsheets (codes as text, numbers and dates typed)."""
    return export_files.xlsx_response(opendata.FILENAME, opendata.xlsx_sheets())


def open_data_structures_schema(request):
    """The Table Schema of structures_open_data.csv, for reusers' validators."""
    return JsonResponse(opendata.table_schema(), json_dumps_params={"ensure_ascii": False, "indent": 2})
