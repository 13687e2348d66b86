"""Espace Coop: « Mes lieux d'activité » (the places where I work, shared with my colleagues)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accounts.decorators import coop_required
from common.http import post_only
from directory import scopes as directory_scopes
from directory import services
from directory.enums import CoordinatesPrecision
from directory.forms import PlaceForm
from directory.models import Place
from reporting.views.common import coop_breadcrumb, my_places


def _places_breadcrumb(label: str):
    return coop_breadcrumb(("Mes lieux d'activité", reverse("coop:place_list")), (label, ""))


def _position(place) -> str:
    """What the advisor is told about where the public map puts the place."""
    if place.coordinates_precision == CoordinatesPrecision.COMMUNE:
        return (
            "Sur la carte, il est placé au centre de la commune : vérifiez l'adresse, ou saisissez sa latitude et "
            "sa longitude."
        )
    return f"Position sur la carte : {place.get_coordinates_precision_display().lower()}."


@coop_required
def place_list(request):
    """My places, the principal one first, with their actions; and the places of my structure I could join."""
    places = my_places(request)
    joinable = (
        Place.objects.current().filter(structure_id=request.advisor.structure_id).exclude(advisors=request.advisor)
    )
    return render(
        request,
        "reporting/coop/place_list.html",
        {
            "title": "Mes lieux d'activité",
            "places": places,
            "joinable_count": joinable.count() if request.advisor.structure_id else 0,
            "breadcrumb": coop_breadcrumb(("Mes lieux d'activité", "")),
            "section": "lieux",
        },
    )


@coop_required
@require_http_methods(["GET", "POST"])
def place_create(request):
    form = PlaceForm(request.POST or None, initial={"access_types": ["libre"], "is_public": True})
    if request.method == "POST" and form.is_valid():
        place = services.place_create(advisor=request.advisor, values=form.place_values())
        messages.success(request, f"Lieu « {place.name} » ajouté. {_position(place)}")
        return redirect("coop:place_list")
    return render(
        request,
        "reporting/coop/place_form.html",
        {
            "form": form,
            "title": "Ajouter un lieu d'activité",
            "breadcrumb": _places_breadcrumb("Ajouter"),
            "section": "lieux",
        },
    )


@coop_required
@require_http_methods(["GET", "POST"])
def place_edit(request, pk):
    """Edit one of my places (shared with colleagues: they see the change too); others answer 404."""
    place = get_object_or_404(directory_scopes.own_places(request.user).select_related("commune"), pk=pk)
    form = PlaceForm(request.POST or None, instance=place)
    if request.method == "POST" and form.is_valid():
        services.place_update(place=place, values=form.place_values())
        messages.success(request, f"Lieu « {place.name} » enregistré. {_position(place)}")
        return redirect("coop:place_list")
    colleagues = place.advisors.exclude(pk=request.advisor.pk).count()
    return render(
        request,
        "reporting/coop/place_form.html",
        {
            "form": form,
            "place": place,
            "colleagues": colleagues,
            "title": f"Modifier « {place.name} »",
            "breadcrumb": _places_breadcrumb("Modifier"),
            "section": "lieux",
        },
    )


@coop_required
@require_http_methods(["GET", "POST"])
def place_remove(request, pk):
    """Confirm, then stop working at one of my places (colleagues keep it)."""
    place = get_object_or_404(directory_scopes.own_places(request.user), pk=pk)
    if request.method == "POST":
        services.place_leave(place=place, advisor=request.advisor, actor=request.user, request=request)
        messages.success(request, f"Lieu « {place.name} » retiré de vos lieux d'activité.")
        return redirect("coop:place_list")
    colleagues = place.advisors.exclude(pk=request.advisor.pk).count()
    return render(
        request,
        "reporting/coop/place_remove.html",
        {
            "title": f"Retirer « {place.name} »",
            "place": place,
            "colleagues": colleagues,
            "breadcrumb": _places_breadcrumb("Retirer"),
            "section": "lieux",
        },
    )


def _to_places(request, pk):
    get_object_or_404(directory_scopes.own_places(request.user), pk=pk)
    return redirect("coop:place_list")


@coop_required
@post_only(on_get=_to_places)
def place_principal(request, pk):
    """Make one of my places my principal place."""
    place = get_object_or_404(directory_scopes.own_places(request.user), pk=pk)
    services.place_set_principal(place=place, advisor=request.advisor)
    messages.success(request, f"« {place.name} » est désormais votre lieu principal.")
    return redirect("coop:place_list")


@coop_required
@require_http_methods(["GET", "POST"])
def place_join(request):
    """Join a place of my structure that colleagues already declared."""
    joinable = (
        Place.objects.current()
        .filter(structure_id=request.advisor.structure_id)
        .exclude(advisors=request.advisor)
        .select_related("commune")
        .order_by("name")
    )
    if request.advisor.structure_id is None:
        joinable = joinable.none()
    if request.method == "POST":
        chosen = request.POST.get("place", "")
        place = get_object_or_404(joinable, pk=int(chosen) if chosen.isdigit() else 0)
        services.place_join(place=place, advisor=request.advisor)
        messages.success(request, f"« {place.name} » fait maintenant partie de vos lieux d'activité.")
        return redirect("coop:place_list")
    return render(
        request,
        "reporting/coop/place_join.html",
        {
            "title": "Rejoindre un lieu de ma structure",
            "places": joinable,
            "breadcrumb": _places_breadcrumb("Rejoindre un lieu de ma structure"),
            "section": "lieux",
        },
    )
