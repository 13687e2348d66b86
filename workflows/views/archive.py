"""Dossiers: every application, recruitment and end of contract of the user's scope, open or closed."""

from django.shortcuts import render

from accounts import roles
from accounts.decorators import agent_required
from common.pagination import BoundedPaginator
from workflows import scopes
from workflows.enums import RecruitmentStatus, RuptureStatus, StructureApplicationStatus
from workflows.filters import DossierFilter

TABS = {
    "structures": (
        "Candidatures de structures",
        scopes.visible_structure_applications,
        StructureApplicationStatus.choices,
        ["name", "siret"],
        ["department"],
    ),
    "recrutements": (
        "Recrutements",
        scopes.visible_recruitments,
        RecruitmentStatus.choices,
        ["candidate__last_name", "candidate__first_name", "structure__name", "structure__siret"],
        ["department", "candidate", "structure"],
    ),
    "fins-de-contrat": (
        "Fins de contrat",
        scopes.visible_ruptures,
        RuptureStatus.choices,
        ["advisor__last_name", "advisor__first_name", "structure__name", "structure__siret"],
        ["department", "advisor", "structure"],
    ),
}


@agent_required
def dossiers(request):
    """Find any dossier of my scope, including those already decided (newest first: by id, an indexed order)."""
    tab = request.GET.get("type", "structures")
    if tab not in TABS:
        tab = "structures"
    label, queryset_for, statuses, search_fields, related = TABS[tab]
    filterset = DossierFilter(
        request.GET or None,
        queryset=queryset_for(request.user).select_related(*related),
        departments=roles.visible_departments(request.user),
        statuses=statuses,
        search_fields=search_fields,
    )
    page = BoundedPaginator(filterset.qs.order_by("-pk"), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "workflows/espace/dossiers.html",
        {
            "filter": filterset,
            "page": page,
            "tab": tab,
            "tabs": [(key, value[0]) for key, value in TABS.items()],
            "page_title": "Dossiers",
        },
    )
