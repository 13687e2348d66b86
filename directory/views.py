"""Directory pages and JSON: structures and advisors, always read through the user's scope."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render

from accounts import roles
from directory import scopes
from directory.filters import AdvisorFilter, StructureFilter


def _structure_json(structure) -> dict:
    return {
        "id": structure.pk,
        "siret": structure.siret,
        "name": structure.name,
        "type": structure.type,
        "type_label": structure.get_type_display(),
        "status": structure.status,
        "address": structure.address,
        "postal_code": structure.postal_code,
        "commune": structure.commune.name,
        "commune_code": structure.commune_id,
        "department": structure.department_id,
        "posts_granted": structure.posts_granted,
        "qpv": structure.qpv,
        "zrr": structure.zrr,
        "france_services_label": structure.france_services_label,
    }


@login_required
def structure_list(request):
    """Structures of my scope, filterable and paginated."""
    structures = scopes.visible_structures(request.user).select_related("commune", "department")
    filterset = StructureFilter(
        request.GET or None, queryset=structures, departments=roles.visible_departments(request.user)
    )
    page = Paginator(filterset.qs.order_by("name", "pk"), 25).get_page(request.GET.get("page"))
    return render(request, "directory/structure_list.html", {"filter": filterset, "page": page})


@login_required
def structure_detail(request, pk):
    """One structure of my scope (404 outside it), with its advisors and places."""
    structure = get_object_or_404(
        scopes.visible_structures(request.user).select_related("commune", "department__region"), pk=pk
    )
    advisors = scopes.visible_advisors(request.user).filter(structure=structure)
    places = scopes.visible_places(request.user).filter(structure=structure).select_related("commune")
    return render(
        request,
        "directory/structure_detail.html",
        {"structure": structure, "advisors": advisors, "places": places},
    )


@login_required
def structure_json(request, pk):
    """JSON view of one structure of my scope (404 outside it)."""
    structure = get_object_or_404(scopes.visible_structures(request.user).select_related("commune"), pk=pk)
    return JsonResponse(_structure_json(structure))


@login_required
def structure_list_json(request):
    """JSON list of the structures of my scope (first 100, same filters as the page)."""
    structures = scopes.visible_structures(request.user).select_related("commune")
    filterset = StructureFilter(request.GET or None, queryset=structures)
    items = filterset.qs.order_by("name", "pk")[:100]
    return JsonResponse({"count": filterset.qs.count(), "results": [_structure_json(s) for s in items]})


@login_required
def advisor_list(request):
    """Advisors of my scope, filterable and paginated."""
    advisors = scopes.visible_advisors(request.user).select_related("structure")
    filterset = AdvisorFilter(request.GET or None, queryset=advisors)
    page = Paginator(filterset.qs.order_by("last_name", "first_name", "pk"), 25).get_page(request.GET.get("page"))
    return render(request, "directory/advisor_list.html", {"filter": filterset, "page": page})


@login_required
def advisor_detail(request, pk):
    """One advisor of my scope (404 outside it), with her places and her contract history."""
    advisor = get_object_or_404(scopes.visible_advisors(request.user).select_related("structure"), pk=pk)
    places = advisor.place_assignments.select_related("place__commune")
    contracts = scopes.visible_contracts(request.user).filter(advisor=advisor).select_related("structure")
    return render(
        request,
        "directory/advisor_detail.html",
        {"advisor": advisor, "assignments": places, "contracts": contracts.order_by("start", "pk")},
    )
