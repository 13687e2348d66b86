"""Tableau de pilotage: the dashboard of the user's territory (one engine for every scope), drill-down, territorial
table and the dashboard's exports. Every figure comes from the scope narrowed by the URL's filters."""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from accounts import roles
from accounts.decorators import pilotage_required
from accounts.enums import Role
from common import exports as export_files
from reporting import charts, exports, territorial
from reporting.beneficiary_stats import followed_figures
from reporting.filters import PilotageFilterSet
from reporting.indicators import distribution_sections, key_figures
from reporting.scopes import Scope
from reporting.selectors import Period, activity_statistics
from reporting.tag_statistics import tag_breakdown
from reporting.views.coordination import pilotage_coordination_context

SCOPE_TITLES = {
    Role.NATIONAL: "France entière",
    Role.HUB: "Territoire du hub",
    Role.PREFECTURE: "Votre territoire",
    Role.STRUCTURE_MANAGER: "Votre structure",
    Role.COORDINATOR: "Votre équipe",
}
# The level the drill-down shows under a scope: regions under France, departments under a region…
DRILL_BY = {Scope.NATIONAL: "region", Scope.REGIONS: "department", Scope.STRUCTURES: "advisor"}
DRILL = {
    "region": ("Par région", "Région", "region"),
    "department": ("Par département", "Département", "departement"),
    "structure": ("Par structure", "Structure", "structure"),
    "advisor": ("Par conseiller", "Conseiller", "conseiller"),
}


def pilotage_filters(request) -> PilotageFilterSet:
    """The FilterSet of the request (last 12 months by default); 404 for a territory outside the user's scope."""
    filterset = PilotageFilterSet(request.GET, user=request.user, default_period=Period.last_months(12))
    if filterset.scope_error:
        raise Http404("Territoire inconnu ou hors de votre périmètre.")
    return filterset


def drill_by(scope: Scope) -> str | None:
    if scope.level == Scope.DEPARTMENTS:
        return "structure" if len(scope.ids) == 1 else "department"
    if scope.level == Scope.ADVISORS:
        return "advisor" if len(scope.ids) > 1 else None
    return DRILL_BY.get(scope.level)


def _with(request, **params) -> str:
    query = request.GET.copy()
    for name, value in params.items():
        query[name] = value
    return f"?{query.urlencode()}"


def dashboard_context(request) -> dict:
    """Everything the dashboard and its exports show."""
    filterset = pilotage_filters(request)
    scope, period, filters = filterset.scope(), filterset.period, filterset.activity_filters
    statistics = activity_statistics(scope, period, filters)
    network = territorial.network_totals(scope, filters)
    context = {
        "filterset": filterset,
        "form": filterset.form,
        "scope": scope,
        "period": period,
        "filters": filters,
        "tags": filterset.active_tags(),
        "statistics": statistics,
        "figures": key_figures(statistics),
        "sections": distribution_sections(statistics),
        "chart": charts.monthly_chart(statistics.months),
        "network": network,
        "network_figures": territorial.network_figures(network),
        "profile": territorial.structure_profile(scope, filters),
        "query": request.GET.urlencode(),
        "followed": followed_figures(scope, period, filters, statistics),
        "tag_breakdown": tag_breakdown(scope, period, filters),
    }
    by = drill_by(scope)
    if by:
        title, column, param = DRILL[by]
        rows = territorial.drill_down(scope, period, filters, by)
        context["drill"] = {
            "title": title,
            "column": column,
            "rows": [(row, _with(request, **{param: row.key})) for row in rows],
        }
    return context


def _subject(request, context) -> str:
    membership = roles.active_membership(request.user)
    labels = context["filterset"].active_labels()
    territory = [
        label for label in labels if label.split(" : ")[0] in ("Région", "Département", "Structure", "Conseiller")
    ]
    return " ; ".join(territory) or SCOPE_TITLES.get(membership.role, "")


@pilotage_required
def dashboard(request):
    """The dashboard of the user's territory, narrowed by the filters in the URL."""
    context = dashboard_context(request)
    context.update(pilotage_coordination_context(request, context["filterset"], context["period"]))
    context.update(
        title="Tableau de pilotage",
        subject=_subject(request, context),
        breadcrumb=[("Tableau de pilotage", "")],
    )
    return render(request, "reporting/pilotage/dashboard.html", context)


@pilotage_required
def dashboard_export(request, fmt):
    """The dashboard's indicators as CSV or XLSX, with the scope, period and filters written at the top."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    context = dashboard_context(request)
    header = exports.statistics_header(
        title="Tableau de pilotage — Conseiller numérique",
        subject=_subject(request, context),
        period=context["period"],
        filters=[label for label in context["filterset"].active_labels() if not label.startswith(("Du", "Au"))],
    )
    rows = list(exports.statistics_rows(context["statistics"], header, tags=context["tag_breakdown"]))
    rows += [[], ["Réseau", "Valeur", "Précision"], *([*figure] for figure in context["network_figures"])]
    filename = f"pilotage_{context['period'].start:%Y-%m-%d}_{context['period'].end:%Y-%m-%d}"
    if fmt == "csv":
        return export_files.csv_response(filename, rows)
    return export_files.xlsx_response(filename, [("Tableau de pilotage", rows, 1)])


TERRITORIAL_HEADERS = [
    ("code", "Code"),
    ("nom", "Nom"),
    ("cra", "CRA enregistrés"),
    ("personnes", "Personnes accompagnées"),
    ("accompagnements", "Nombre d'accompagnement"),
    ("postes", "Dotation de conseillers"),
    ("recrutes", "Conseillers recrutés"),
    ("actifs", "Conseillers en poste"),
    ("activation", "Taux d'activation"),
]


def territorial_context(request) -> dict:
    filterset = pilotage_filters(request)
    by = "region" if request.GET.get("par") == "region" else "department"
    sort = request.GET.get("tri", "code")
    sort = sort if sort in territorial.SORT_KEYS else "code"
    descending = request.GET.get("ordre") == "desc"
    rows = territorial.territorial_table(
        filterset.scope(), filterset.period, filterset.activity_filters, by, sort=sort, descending=descending
    )
    headers = []
    for key, label in TERRITORIAL_HEADERS:
        next_desc = not (sort == key and descending)
        current = ("descending" if descending else "ascending") if sort == key else ""
        headers.append((key, label, _with(request, tri=key, ordre="desc" if next_desc else "asc"), current))
    return {
        "filterset": filterset,
        "form": filterset.form,
        "tags": filterset.active_tags(),
        "period": filterset.period,
        "by": by,
        "rows": rows,
        "headers": headers,
        "department_url": _with(request, par="departement"),
        "region_url": _with(request, par="region"),
        "query": request.GET.urlencode(),
    }


@pilotage_required
def territorial_table(request):
    """Activity and network by department or region of the user's scope, sortable, with a CSV export."""
    context = territorial_context(request)
    context.update(
        title="Statistiques par territoire",
        breadcrumb=[("Tableau de pilotage", reverse("pilotage:dashboard")), ("Statistiques par territoire", "")],
    )
    return render(request, "reporting/pilotage/territorial.html", context)


def territorial_rows(rows):
    """The CSV of the territorial table (columns of the real « territoires » export, domain-cnum §5.2)."""
    yield [
        "Code",
        "Nom",
        "CRA enregistrés",
        "Personnes accompagnées",
        "Nombre d'accompagnement",
        "Dotation de conseillers",
        "Conseillers recrutés",
        "Conum activé sur l'espace coop",
        "Conum en attente d'activation",
        "Taux d'activation (%)",
    ]
    for row in rows:
        rate = row.activation_rate
        yield [
            row.code,
            row.name,
            row.activities,
            row.people,
            row.accompaniments,
            row.posts_granted,
            row.recruited,
            row.activated,
            row.network.pending,
            rate,
        ]


@pilotage_required
def territorial_export(request):
    context = territorial_context(request)
    period = context["period"]
    name = f"territoires_{'regions' if context['by'] == 'region' else 'departements'}"
    return export_files.csv_response(
        f"{name}_{period.start:%Y-%m-%d}_{period.end:%Y-%m-%d}", territorial_rows(context["rows"])
    )
