"""Writes on the network directory from the Espace Coop: activity places and the advisor's profile."""

from django.db import transaction
from django.utils import timezone

from accounts.enums import AuditAction
from accounts.services import audit_record
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


@transaction.atomic
def place_create(*, advisor: Advisor, values: dict) -> Place:
    """Create a place of the advisor's structure and work there; the first place becomes the principal one."""
    _validate(values)
    place = Place.objects.create(structure_id=advisor.structure_id, **values)
    has_principal = PlaceAssignment.objects.filter(advisor=advisor, is_principal=True).exists()
    PlaceAssignment.objects.create(place=place, advisor=advisor, is_principal=not has_principal)
    return place


def place_update(*, place: Place, values: dict) -> Place:
    """Change a place (shared places change for every advisor working there)."""
    _validate(values)
    for name, value in values.items():
        setattr(place, name, value)
    place.save()
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
