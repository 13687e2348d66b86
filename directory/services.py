"""Writes on the network directory from the Espace Coop: activity places and the advisor's profile.

A place's coordinates are settled before its transaction opens (the geocoder may take up to its timeout, and no
database lock should wait on it): typed coordinates are kept as typed (« saisie »); empty ones, or the commune's
centre the form fills in, are located from the address (directory.geocoding); unchanged coordinates of an
unchanged address keep their precision, except a commune centre, which is tried again.
"""

from django.db import transaction
from django.utils import timezone

from accounts.enums import AuditAction
from accounts.services import audit_record
from directory import geocoding
from directory.enums import CoordinatesPrecision
from directory.models import Advisor, Place, PlaceAssignment, validate_access_types, validate_opening_hours

PROFILE_FIELDS = [
    "professional_email",
    "professional_phone",
    "line_manager_name",
    "line_manager_function",
    "line_manager_email",
    "line_manager_phone",
    "show_on_map",
]


def _validate(values: dict) -> None:
    validate_opening_hours(values["opening_hours"])
    validate_access_types(values["access_types"])


def _settle_coordinates(values: dict, place: Place | None = None) -> dict:
    """The values with the place's coordinates, their precision and geocoding date decided (see the note above)."""
    commune = values["commune"]
    point = (values.get("latitude"), values.get("longitude"))
    at_centre = point[0] is None or point == (commune.latitude, commune.longitude)
    unchanged = place is not None and point == (place.latitude, place.longitude)
    address_changed = place is None or (values["address"], values.get("postal_code", ""), commune.pk) != (
        place.address,
        place.postal_code,
        place.commune_id,
    )
    if not at_centre and not unchanged:
        return {**values, "coordinates_precision": CoordinatesPrecision.TYPED, "geocoded_at": None}
    if at_centre or address_changed or place.coordinates_precision == CoordinatesPrecision.COMMUNE:
        location = geocoding.locate(
            address=values["address"], postal_code=values.get("postal_code", ""), commune=commune
        )
        return {
            **values,
            "latitude": location.latitude,
            "longitude": location.longitude,
            "coordinates_precision": location.precision,
            "geocoded_at": location.geocoded_at,
        }
    return values


def place_create(*, advisor: Advisor, values: dict) -> Place:
    """Create a place of the advisor's structure and work there; the first place becomes the principal one."""
    _validate(values)
    return _place_create(advisor=advisor, values=_settle_coordinates(values))


@transaction.atomic
def _place_create(*, advisor: Advisor, values: dict) -> Place:
    place = Place.objects.create(structure_id=advisor.structure_id, **values)
    has_principal = PlaceAssignment.objects.filter(advisor=advisor, is_principal=True).exists()
    PlaceAssignment.objects.create(place=place, advisor=advisor, is_principal=not has_principal)
    return place


def place_update(*, place: Place, values: dict) -> Place:
    """Change a place (shared places change for every advisor working there)."""
    _validate(values)
    for name, value in _settle_coordinates(values, place).items():
        setattr(place, name, value)
    place.save()
    return place


def place_locate(*, place: Place) -> Place:
    """Locate a saved place again from its address (batch geocoding); typed coordinates are left alone."""
    if place.coordinates_precision == CoordinatesPrecision.TYPED:
        return place
    location = geocoding.locate(address=place.address, postal_code=place.postal_code, commune=place.commune)
    if (
        location.precision == CoordinatesPrecision.COMMUNE
        and place.coordinates_precision != CoordinatesPrecision.COMMUNE
    ):
        # A geocoder that fails today does not undo yesterday's better answer.
        return place
    place.latitude, place.longitude = location.latitude, location.longitude
    place.coordinates_precision, place.geocoded_at = location.precision, location.geocoded_at
    place.save(update_fields=["latitude", "longitude", "coordinates_precision", "geocoded_at", "updated_at"])
    return place


@transaction.atomic
def place_join(*, place: Place, advisor: Advisor) -> PlaceAssignment:
    """Start working at an existing place (of the same structure); it becomes principal if it is the first one."""
    has_principal = PlaceAssignment.objects.filter(advisor=advisor, is_principal=True).exists()
    assignment, _ = PlaceAssignment.objects.get_or_create(
        place=place, advisor=advisor, defaults={"is_principal": not has_principal}
    )
    return assignment


@transaction.atomic
def place_leave(*, place: Place, advisor: Advisor, actor, request=None) -> None:
    """Stop working at a place: colleagues keep it; nobody left, it is removed (kept for past reports).

    If it was the principal place, the advisor's next place (by name) becomes principal.
    """
    assignment = PlaceAssignment.objects.select_for_update().filter(place=place, advisor=advisor).first()
    if assignment is None:
        return
    was_principal = assignment.is_principal
    assignment.delete()
    if was_principal:
        successor = (
            PlaceAssignment.objects.filter(advisor=advisor, place__removed_at__isnull=True)
            .order_by("place__name", "pk")
            .first()
        )
        if successor is not None:
            successor.is_principal = True
            successor.save(update_fields=["is_principal"])
    removed = not PlaceAssignment.objects.filter(place=place).exists()
    if removed:
        place.removed_at = timezone.now()
        place.save(update_fields=["removed_at", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.PLACE_REMOVED,
        target=place,
        details={"advisor": advisor.full_name, "place_removed": removed},
        request=request,
    )


@transaction.atomic
def place_set_principal(*, place: Place, advisor: Advisor) -> None:
    """Make one of the advisor's places the principal one (exactly one: the previous one stops being principal)."""
    PlaceAssignment.objects.filter(advisor=advisor, is_principal=True).exclude(place=place).update(is_principal=False)
    PlaceAssignment.objects.filter(advisor=advisor, place=place).update(is_principal=True)


def advisor_profile_update(*, advisor: Advisor, values: dict) -> Advisor:
    """Save the advisor's professional contact, line manager and map visibility."""
    for name in PROFILE_FIELDS:
        setattr(advisor, name, values[name])
    advisor.save(update_fields=PROFILE_FIELDS)
    return advisor
