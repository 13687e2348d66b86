"""Dossiers: every dossier of the user's scope (applications, recruitments, ends of contract, and the requests of the
programme's life after recruitment), open or closed."""

from django.shortcuts import render
from django.urls import reverse

from accounts import roles
from accounts.decorators import agent_required
from common.pagination import BoundedPaginator
from workflows import scopes
from workflows.enums import Kind, RecruitmentStatus, RequestStatus, RuptureStatus, StructureApplicationStatus
from workflows.filters import DossierFilter
from workflows.kinds import KINDS

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
    "avenants": (
        "Avenants",
        scopes.visible_post_requests,
        RequestStatus.choices,
        ["structure__name", "structure__siret"],
        ["department", "structure"],
    ),
    "reconventionnements": (
        "Reconventionnements",
        scopes.visible_renewals,
        RequestStatus.choices,
        ["structure__name", "structure__siret"],
        ["department", "structure"],
    ),
    "contrats": (
        "Modifications de contrat",
        scopes.visible_contract_changes,
        RequestStatus.choices,
        ["advisor__last_name", "advisor__first_name", "structure__name", "structure__siret"],
        ["department", "advisor", "structure"],
    ),
    "coordinateurs": (
        "Postes de coordinateur",
        scopes.visible_coordinator_requests,
        RequestStatus.choices,
        ["structure__name", "structure__siret"],
        ["department", "structure"],
    ),
    "transferts": (
        "Transferts de postes",
        scopes.visible_transfers,
        RequestStatus.choices,
        ["structure__name", "structure__siret", "from_structure__name", "from_structure__siret"],
        ["department", "structure", "from_structure"],
    ),
}
# The kind of dossier of each tab: its page and title come from the kinds registry.
TAB_KINDS = {
    "structures": Kind.STRUCTURE,
    "recrutements": Kind.RECRUITMENT,
    "fins-de-contrat": Kind.RUPTURE,
    "avenants": Kind.POST_REQUEST,
    "reconventionnements": Kind.RENEWAL,
    "contrats": Kind.CONTRACT_CHANGE,
    "coordinateurs": Kind.COORDINATOR,
    "transferts": Kind.TRANSFER,
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
    spec = KINDS[TAB_KINDS[tab]]
    rows = [(item, reverse(spec.url_name, args=[item.pk]), spec.title(item)) for item in page]
    return render(
        request,
        "workflows/espace/dossiers.html",
        {
            "filter": filterset,
            "page": page,
            "rows": rows,
            "tab": tab,
            "tabs": [(key, value[0]) for key, value in TABS.items()],
            "page_title": "Dossiers",
        },
    )
