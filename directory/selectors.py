"""Public reads of the network: key counts and the places near a point (advisor finder, open data)."""

from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import F
from django.db.models.functions import Coalesce

from directory import scopes
from directory.models import Advisor, Place, Structure
from directory.opening_hours import opening_hours_lines
from directory.phones import display_phone, phone_href
from territories.utils import bounding_box, distance_km

# The models whose changes move the key counts below (readers that cache them listen to their saves and deletes).
KEY_COUNT_MODELS = (Structure, Advisor)


def engaged_structures_count() -> int:
    """Host structures engaged in the programme (validated)."""
    return Structure.objects.validated().count()


def advisors_in_post_count() -> int:
    """Advisors currently in post."""
    return Advisor.objects.active().count()


def located_public_places():
    """Public places with their coordinates (the commune's centre when the place has none) and commune/structure."""
    return (
        scopes.public_places()
        .annotate(
            lat=Coalesce(F("latitude"), F("commune__latitude")),
            lon=Coalesce(F("longitude"), F("commune__longitude")),
        )
        .select_related("commune", "structure")
    )


@dataclass
class NearbyPlace:
    """A public place, its distance to the searched point, and the advisors the public may know about."""

    place: Place
    distance_km: float
    advisor_names: list[str] = field(default_factory=list)
    anonymous_advisors: int = 0

    @cached_property
    def hours(self) -> list[tuple[str, str]]:
        """The place's opening hours, one line per day."""
        return opening_hours_lines(self.place.opening_hours)

    @cached_property
    def phone_display(self) -> str:
        """The place's phone as people read it (« 01 23 45 67 89 »)."""
        return display_phone(self.place.phone)

    @cached_property
    def phone_href(self) -> str:
        """The tel: link of the place's phone, "" when it cannot be dialled."""
        return phone_href(self.place.phone)


def public_places_near(*, latitude: float, longitude: float, radius_km: float) -> list[NearbyPlace]:
    """Public places within radius_km of a point, nearest first: an indexed bounding box, then exact distances."""
    min_lat, max_lat, min_lon, max_lon = bounding_box(latitude, longitude, radius_km)
    candidates = located_public_places().filter(lat__range=(min_lat, max_lat), lon__range=(min_lon, max_lon))
    nearby = []
    for place in candidates:
        distance = distance_km(latitude, longitude, place.lat, place.lon)
        if distance <= radius_km:
            nearby.append(NearbyPlace(place=place, distance_km=distance))
    nearby.sort(key=lambda item: (item.distance_km, item.place.name, item.place.pk))
    return nearby


# Radii tried in turn for the nearest places at any distance: most searches stop at the first one that finds some.
NEAREST_RADII_KM = (100, 300, 1000, 20_000)


def public_places_nearest(*, latitude: float, longitude: float, limit: int = 5) -> list[NearbyPlace]:
    """The `limit` public places nearest to a point, at any distance (a search that found nothing in its radius)."""
    for radius in NEAREST_RADII_KM:
        nearby = public_places_near(latitude=latitude, longitude=longitude, radius_km=radius)
        if len(nearby) >= limit or radius == NEAREST_RADII_KM[-1]:
            return nearby[:limit]
    return []


def attach_public_advisors(nearby: list[NearbyPlace]) -> None:
    """Fill the advisors of these places (one query): names of those who agreed, a count of the others."""
    by_place = {item.place.pk: item for item in nearby}
    assignments = (
        scopes.public_place_assignments()
        .filter(place__in=list(by_place))
        .select_related("advisor")
        .order_by("-is_principal", "advisor__last_name", "advisor__first_name")
    )
    for assignment in assignments:
        item = by_place[assignment.place_id]
        if assignment.advisor.show_on_map:
            item.advisor_names.append(assignment.advisor.public_name)
        else:
            item.anonymous_advisors += 1
