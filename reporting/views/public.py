"""Public statistics (/statistiques/: national aggregates only, no names, cached) and open data (/open-data/)."""

from django.core.cache import cache
from django.shortcuts import render
from django.utils import timezone

from common import exports as export_files
from directory.enums import AdvisorStatus, StructureStatus, StructureType
from directory.models import Advisor, Structure
from directory.opendata import SCHEMA_PACKAGE
from reporting import charts, territorial
from reporting.indicators import distribution_sections, key_figures
from reporting.scopes import Scope
from reporting.selectors import PROGRAMME_START, Filters, Period, activity_statistics

PUBLIC_CACHE_SECONDS = 15 * 60
# The State's estimated funding per post granted (subsidy of a two-year post), for the open-data column
# « Investissement financier estimatif total de l'Etat ».
STATE_FUNDING_PER_POST = 50_000
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
    """The open-data files: validated structures (real columns) and places (national schema, from the API)."""
    return render(
        request,
        "reporting/public/open_data.html",
        {"title": "Données ouvertes", "breadcrumb": [("Données ouvertes", "")], "schema_package": SCHEMA_PACKAGE},
    )


STRUCTURE_COLUMNS = [
    "id",
    "Raison sociale",
    "Commune INSEE",
    "Département",
    "Région",
    "Nombre de conseillers validés par le COSELEC",
    "Date de validation en comité de sélection",
    "Type",
    "SIRET",
    "Code département",
    "Adresse",
    "Code commune INSEE",
    "Code postal",
    "Investissement financier estimatif total de l'Etat",
    "ZRR",
    "QPV",
    "France services",
]
TYPES = dict(StructureType.choices)


def structure_rows():
    """The header, then one row per validated structure (the real `structures_open_data.csv`, domain-cnum §5.5)."""
    yield STRUCTURE_COLUMNS
    structures = (
        Structure.objects.filter(status=StructureStatus.VALIDATED)
        .order_by("pk")
        .values_list(
            "pk",
            "name",
            "commune__name",
            "department__name",
            "department__region__name",
            "posts_granted",
            "validated_at",
            "type",
            "siret",
            "department_id",
            "address",
            "commune_id",
            "postal_code",
            "zrr",
            "qpv",
            "france_services_label",
        )
    )
    for row in structures.iterator(chunk_size=2000):
        (
            pk,
            name,
            commune,
            department,
            region,
            posts,
            validated,
            kind,
            siret,
            code,
            address,
            insee,
            postal,
            zrr,
            qpv,
            france_services,
        ) = row
        yield [
            pk,
            name,
            commune,
            department,
            region,
            posts,
            timezone.localtime(validated).date() if validated else "",
            TYPES.get(kind, kind),
            siret or "",
            code,
            address,
            insee,
            postal,
            posts * STATE_FUNDING_PER_POST,
            "Oui" if zrr else "Non",
            "Oui" if qpv else "Non",
            "Oui" if france_services else "Non",
        ]


def open_data_structures(request):
    """structures_open_data.csv: the validated structures, public by nature (no contact person)."""
    return export_files.csv_response("structures_open_data", structure_rows())
