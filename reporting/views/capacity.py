"""Pilotage: the capacity view (posts granted, held and vacant at any date; contracts and conventions ending in the
next 3 and 6 months), per region, department or structure of the user's scope, with its CSV / XLSX export."""

from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from dsfr.forms import DsfrBaseForm

from accounts.decorators import pilotage_required
from common import exports as export_files
from common.forms import BoundedDateField
from reporting import capacity
from reporting.scopes import Scope
from reporting.views.pilotage import pilotage_filters

BY_TITLES = {"region": "Par région", "department": "Par département", "structure": "Par structure"}
DRILL_PARAM = {"region": "region", "department": "departement"}


class CapacityDateForm(DsfrBaseForm):
    date = BoundedDateField(
        label="Date",
        required=False,
        help_text="Les postes à cette date (aujourd'hui par défaut). Format : JJ/MM/AAAA.",
    )


def capacity_level(scope: Scope) -> str:
    """Regions under France, departments under regions, structures inside one department or structure scope."""
    if scope.level == Scope.NATIONAL:
        return "region"
    if scope.level == Scope.REGIONS:
        return "department"
    if scope.level == Scope.DEPARTMENTS and len(scope.ids) > 1:
        return "department"
    return "structure"


def capacity_context(request) -> dict:
    filterset = pilotage_filters(request)
    scope = filterset.scope()
    form = CapacityDateForm(request.GET or None)
    on = (form.cleaned_data.get("date") if form.is_valid() else None) or timezone.localdate()
    by = capacity_level(scope)
    if by == "region" and request.GET.get("par") == "departement":
        by = "department"  # France by department: the 101 rows at once
    result = capacity.capacity_by(scope, on, by)
    keep = {name: request.GET[name] for name in ("region", "departement") if request.GET.get(name)}
    param = DRILL_PARAM.get(by)
    rows = [(row, f"?{_query(keep, on, **{param: row.key})}" if param else "") for row in result.rows]
    return {
        "form": form,
        "filterset": filterset,
        "scope": scope,
        "on": on,
        "by": by,
        "by_title": BY_TITLES[by],
        "capacity": result,
        "rows": rows,
        "keep": keep,
        "query": _query(keep, on),
        "contracts": list(capacity.contracts_ending(scope, on)[: capacity.LIST_LIMIT]),
        "conventions": list(capacity.conventions_ending(scope, on)[: capacity.LIST_LIMIT]),
        "list_limit": capacity.LIST_LIMIT,
        "horizon_3": capacity.add_months(on, 3),
        "horizon_6": capacity.add_months(on, 6),
    }


def _query(keep: dict, on, **extra) -> str:
    return urlencode({**keep, **extra, "date": on.isoformat()})


@pilotage_required
def capacity_view(request):
    """Capacité du dispositif: posts at a date and what ends in the next months, in the user's scope."""
    context = capacity_context(request)
    context.update(
        title="Capacité : postes et échéances",
        breadcrumb=[("Tableau de pilotage", reverse("pilotage:dashboard")), ("Capacité", "")],
    )
    return render(request, "reporting/pilotage/capacity.html", context, status=400 if context["form"].errors else 200)


def capacity_rows(context):
    """The export: the posts table, then the contracts and the conventions ending in the next 6 months."""
    on = context["on"]
    yield [f"Capacité au {on:%d/%m/%Y}", context["by_title"]]
    yield [
        "Code",
        "Nom",
        "Postes attribués",
        "Postes occupés",
        "Postes vacants",
        "Contrats finissant sous 3 mois",
        "Contrats finissant sous 6 mois",
        "Conventions finissant sous 3 mois",
        "Conventions finissant sous 6 mois",
    ]
    for row in [*context["capacity"].rows, context["capacity"].total]:
        yield [
            row.key,
            row.name,
            row.granted,
            row.held,
            row.vacant,
            row.contracts_3,
            row.contracts_6,
            row.conventions_3,
            row.conventions_6,
        ]
    scope = context["scope"]
    yield []
    yield ["Contrats finissant sous 6 mois"]
    yield ["Conseiller", "Employeur", "Département", "Type de contrat", "Fin prévue"]
    for contract in capacity.contracts_ending(scope, on).iterator(chunk_size=2000):
        yield [
            contract.advisor.full_name,
            contract.structure.name,
            contract.structure.department_id,
            contract.get_contract_type_display(),
            contract.end,
        ]
    yield []
    yield ["Conventions finissant sous 6 mois"]
    yield ["Convention", "Structure", "Département", "Début", "Fin", "Postes attribués aujourd'hui"]
    for convention in capacity.conventions_ending(scope, on).iterator(chunk_size=2000):
        yield [
            convention.number,
            convention.structure.name,
            convention.structure.department_id,
            convention.start,
            convention.end,
            convention.structure.posts_granted,
        ]


@pilotage_required
def capacity_export(request, fmt):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    context = capacity_context(request)
    filename = f"capacite_{context['on']:%Y-%m-%d}"
    if fmt == "csv":
        return export_files.csv_response(filename, capacity_rows(context))
    return export_files.xlsx_response(filename, [("Capacité", capacity_rows(context), 2)])
