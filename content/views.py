"""Public views outside the Wagtail tree: the advisor finder (/trouver-un-conseiller/)."""

import re

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from content.forms import DEFAULT_RADIUS, RADIUS_CHOICES, PlaceSearchForm
from directory import selectors as directory_selectors
from territories.models import Commune
from territories.selectors import (
    commune_for_postal_code,
    commune_label,
    communes_named_with_postal_code,
    search_communes,
)
from territories.utils import normalize_search

PLACES_PER_PAGE = 10
NEAREST_PLACES = 5
MAX_COMMUNE_CHOICES = 10
_LABEL = re.compile(r"(?P<name>.*?)\s*\((?P<code>[0-9]{5})\b[^)]*\)")


def _locate(q: str, commune_code: str) -> tuple[Commune | None, list[Commune], str]:
    """The commune to search around, or communes to choose from, or an error message."""
    if commune_code:
        commune = Commune.objects.select_related("department").filter(pk=commune_code).first()
        return (
            (commune, [], "")
            if commune
            else (None, [], "Cette commune n'existe pas. Saisissez son nom ou son code postal.")
        )
    if q.isdigit() and len(q) == 5:
        commune = commune_for_postal_code(q)
        return (commune, [], "") if commune else (None, [], f"Aucune commune n'a le code postal {q}.")
    label = _LABEL.fullmatch(q)
    if label:
        # "Paris (75011, …)", as the suggestions show it: that postal code's arrondissement, not the city centre.
        named = communes_named_with_postal_code(label["name"], label["code"])
        if len(named) == 1:
            return named[0], [], ""
        q = label["name"]
    candidates = search_communes(q, MAX_COMMUNE_CHOICES)
    if not candidates:
        return None, [], f"Aucune commune ne correspond à « {q} ». Vérifiez l'orthographe ou saisissez un code postal."
    exact = [commune for commune in candidates if normalize_search(commune.name) == normalize_search(q)]
    if len(candidates) == 1 or len(exact) == 1:
        return (exact or candidates)[0], [], ""
    return None, candidates, ""


@require_GET
def find_advisor(request):
    """Places where advisors receive the public, nearest first, around a commune "
    "or postal code; no JavaScript needed."""
    form = PlaceSearchForm(request.GET or None)
    context = {"form": form, "radius_choices": RADIUS_CHOICES, "radius": DEFAULT_RADIUS}
    status = 200
    if form.is_bound and not form.is_valid():
        status = 400
    elif form.is_bound and (form.cleaned_data["q"] or form.cleaned_data["commune"]):
        q, radius = form.cleaned_data["q"], form.cleaned_data["rayon"] or DEFAULT_RADIUS
        commune, choices, error = _locate(q, form.cleaned_data["commune"])
        context.update(radius=radius, commune=commune, error=error, q=q)
        context["choices"] = [(candidate, commune_label(candidate, q if q.isdigit() else "")) for candidate in choices]
        if commune is not None and commune.latitude is None:
            context["error"], commune = (
                "La position de cette commune n'est pas connue : choisissez-en une voisine.",
                None,
            )
        if commune is not None:
            nearby = directory_selectors.public_places_near(
                latitude=commune.latitude, longitude=commune.longitude, radius_km=radius
            )
            page = Paginator(nearby, PLACES_PER_PAGE).get_page(request.GET.get("page"))
            directory_selectors.attach_public_advisors(page.object_list)
            context.update(page=page, commune_label=commune_label(commune, q if q.isdigit() else ""))
            context["wider_radius"] = next((value for value, _ in RADIUS_CHOICES if value > radius), None)
            if not page.paginator.count:
                # Never a dead end: the nearest places at any distance, and the national help line.
                nearest = directory_selectors.public_places_nearest(
                    latitude=commune.latitude, longitude=commune.longitude, limit=NEAREST_PLACES
                )
                directory_selectors.attach_public_advisors(nearest)
                context["nearest"] = nearest
            context["help_line"] = settings.HELP_LINE_PHONE
        elif error:
            status = 404 if form.cleaned_data["commune"] else 200
    return render(request, "content/find_advisor.html", context, status=status)


def chooser_item_not_found(request, **kwargs):
    """A Wagtail chooser's "chosen" URL with a non-numeric id: 404 (Wagtail's own view raises ValueError, a 500)."""
    raise Http404
