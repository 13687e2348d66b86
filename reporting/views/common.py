"""Helpers shared by the Espace Coop views."""

from django.db.models import Exists, OuterRef
from django.urls import reverse

from directory import scopes as directory_scopes
from directory.models import PlaceAssignment


def my_places(request):
    """The places I work at, principal first (one query)."""
    principal = PlaceAssignment.objects.filter(place=OuterRef("pk"), advisor=request.advisor, is_principal=True)
    return list(
        directory_scopes.own_places(request.user)
        .select_related("commune")
        .annotate(is_principal=Exists(principal))
        .order_by("-is_principal", "name")
    )


def coop_breadcrumb(*items) -> list[tuple[str, str]]:
    """The breadcrumb of a Coop page: Espace Coop, then (label, url) pairs, the last being the page itself."""
    return [("Espace Coop", reverse("coop:home")), *items]
