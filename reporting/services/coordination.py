"""Writes on coordinators' activities (animation, événement, partenariat): La Coop's rules for each type."""

import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.enums import AuditAction
from accounts.services import audit_record
from directory.models import Structure
from reporting import scopes
from reporting.enums import (
    AnimationTheme,
    AnimationType,
    CoordinationKind,
    EventType,
    Initiative,
    Organiser,
    PartnershipNature,
    TagScope,
    TerritorialLevel,
)
from reporting.models import CoordinationActivity
from reporting.selectors import PROGRAMME_START
from territories.models import Department

OTHER = "autre"
MAX_COUNT = 10_000
MAX_MINUTES = 7 * 24 * 60
COMMON_FIELDS = ["date", "duration", "name", "territorial_level", "notes"]
KIND_FIELDS = {
    CoordinationKind.ANIMATION: [
        "advisors_count",
        "structures_count",
        "other_actors_count",
        "animation_type",
        "animation_type_other",
        "initiative",
        "animation_themes",
        "animation_theme_other",
    ],
    CoordinationKind.EVENT: ["participants", "event_type", "event_type_other", "organisers", "organiser_other"],
    CoordinationKind.PARTNERSHIP: ["partnership_natures", "partnership_nature_other", "partner_structures"],
}
# What a field holds when its activity is of another type (a switch of type never leaves stale answers behind).
EMPTY = {
    "advisors_count": 0,
    "structures_count": 0,
    "other_actors_count": 0,
    "animation_type": "",
    "animation_type_other": "",
    "initiative": "",
    "animation_themes": [],
    "animation_theme_other": "",
    "participants": 0,
    "event_type": "",
    "event_type_other": "",
    "organisers": [],
    "organiser_other": "",
    "partnership_natures": [],
    "partnership_nature_other": "",
    "partner_structures": [],
}
# Partner structures are typed with the organisers' list, without « Ma structure ».
PARTNER_TYPES = [(value, label) for value, label in Organiser.choices if value != Organiser.MY_STRUCTURE]


def _choice_errors(errors: dict, values: dict, name: str, enum, *, many=False) -> None:
    chosen = values.get(name) or ([] if many else "")
    unknown = [value for value in (chosen if many else [chosen]) if value and value not in enum.values]
    if unknown:
        errors[name] = "Choix inconnu : choisissez dans la liste."


def _other_text(errors: dict, values: dict, name: str, other: str, message: str, *, many=False) -> None:
    chosen = values.get(name) or ([] if many else "")
    picked_other = OTHER in chosen if many else chosen == OTHER
    if picked_other and not (values.get(other) or "").strip():
        errors[other] = message


def _animation_errors(values: dict, errors: dict) -> None:
    counts = [values.get(name) or 0 for name in ("advisors_count", "structures_count", "other_actors_count")]
    if sum(counts) < 1:
        errors["advisors_count"] = "Indiquez au moins un participant : médiateurs, structures ou autres acteurs."
    if not values.get("animation_type"):
        errors["animation_type"] = "Choisissez le type d'animation."
    _choice_errors(errors, values, "animation_type", AnimationType)
    _choice_errors(errors, values, "initiative", Initiative)
    _choice_errors(errors, values, "animation_themes", AnimationTheme, many=True)
    _other_text(errors, values, "animation_type", "animation_type_other", "Précisez le type d'animation.")
    _other_text(errors, values, "animation_themes", "animation_theme_other", "Précisez l'autre thématique.", many=True)


def _event_errors(values: dict, errors: dict) -> None:
    if (values.get("participants") or 0) < 1:
        errors["participants"] = "Un événement compte au moins 1 participant."
    if not values.get("event_type"):
        errors["event_type"] = "Choisissez le type d'événement."
    _choice_errors(errors, values, "event_type", EventType)
    _choice_errors(errors, values, "organisers", Organiser, many=True)
    _other_text(errors, values, "event_type", "event_type_other", "Précisez le type d'événement.")
    _other_text(errors, values, "organisers", "organiser_other", "Précisez l'autre organisateur.", many=True)


def _partnership_errors(values: dict, errors: dict) -> None:
    if not values.get("partnership_natures"):
        errors["partnership_natures"] = "Cochez au moins une nature de partenariat."
    _choice_errors(errors, values, "partnership_natures", PartnershipNature, many=True)
    _other_text(
        errors,
        values,
        "partnership_natures",
        "partnership_nature_other",
        "Précisez l'autre nature du partenariat.",
        many=True,
    )
    partners = values.get("partner_structures") or []
    types = {value for value, _ in PARTNER_TYPES}
    if not partners:
        errors["partner_structures"] = "Indiquez au moins une structure partenaire (nom et type)."
    elif any(not (row.get("name") or "").strip() or row.get("type") not in types for row in partners):
        errors["partner_structures"] = "Chaque structure partenaire a un nom et un type."


def coordination_errors(kind: str, values: dict) -> dict[str, str]:
    """{field: French message} of every rule a coordination activity breaks (empty when it is valid).

    The one statement of the rules: the forms show these messages next to their fields, the services refuse them.
    """
    errors: dict[str, str] = {}
    if kind not in CoordinationKind.values:
        return {"kind": "Type d'activité de coordination inconnu."}
    day = values.get("date")
    if day is None:
        errors["date"] = "Indiquez la date de l'activité."
    elif day > timezone.localdate():
        errors["date"] = "La date ne peut pas être dans le futur."
    elif day < PROGRAMME_START:
        errors["date"] = "La date doit être le 1er janvier 2020 ou après."
    duration = values.get("duration")
    if duration is not None and not 0 < duration <= MAX_MINUTES:
        errors["duration"] = "La durée doit être comprise entre 1 minute et 7 jours."
    level = values.get("territorial_level") or ""
    if level and level not in TerritorialLevel.values:
        errors["territorial_level"] = "Choix inconnu : choisissez dans la liste."
    for name in ("advisors_count", "structures_count", "other_actors_count", "participants"):
        if not 0 <= (values.get(name) or 0) <= MAX_COUNT:
            errors[name] = f"Le nombre doit être compris entre 0 et {MAX_COUNT:,}.".replace(",", "\u202f")
    {
        CoordinationKind.ANIMATION: _animation_errors,
        CoordinationKind.EVENT: _event_errors,
        CoordinationKind.PARTNERSHIP: _partnership_errors,
    }[kind](values, errors)
    return errors


def _normalise(kind: str, values: dict) -> dict:
    """Only this type's answers (the others emptied); an « autre » text kept only when « autre » is chosen."""
    kept = {name: values.get(name) for name in COMMON_FIELDS if name in values}
    kept.update(EMPTY)
    for name in KIND_FIELDS[kind]:
        if name in values:
            kept[name] = values[name]
    for choice, other, many in (
        ("animation_type", "animation_type_other", False),
        ("animation_themes", "animation_theme_other", True),
        ("event_type", "event_type_other", False),
        ("organisers", "organiser_other", True),
        ("partnership_natures", "partnership_nature_other", True),
    ):
        chosen = kept.get(choice) or ([] if many else "")
        if not (OTHER in chosen if many else chosen == OTHER):
            kept[other] = ""
    kept["partner_structures"] = [
        {"name": (row.get("name") or "").strip(), "type": row.get("type") or ""}
        for row in kept.get("partner_structures") or []
    ]
    for name in ("name", "notes", *(other for other in EMPTY if other.endswith("_other"))):
        if name in kept:
            kept[name] = (kept[name] or "").strip()
    return kept


def _check(kind: str, values: dict) -> None:
    errors = coordination_errors(kind, values)
    if errors:
        raise ValidationError(errors)


def _tag_departments(coordinator) -> set[str]:
    own = Department.objects.filter(structures__advisors=coordinator.pk) | Department.objects.filter(
        coordinators=coordinator.pk
    )
    return set(own.values_list("code", flat=True))


def _set_tags(activity: CoordinationActivity, tags) -> None:
    """Put exactly these tags on the activity: its coordinator's personal tags, their departments', national ones."""
    wanted = {tag.pk: tag for tag in tags}
    departments = None
    for tag in wanted.values():
        usable = tag.archived_at is None and (
            tag.scope == TagScope.NATIONAL
            or (tag.scope == TagScope.PERSONAL and tag.owner_id == activity.coordinator_id)
        )
        if tag.archived_at is None and tag.scope == TagScope.DEPARTMENT:
            departments = _tag_departments(activity.coordinator) if departments is None else departments
            usable = tag.department_id in departments
        if not usable:
            raise ValidationError({"tags": f"L'étiquette « {tag.name} » ne peut pas être utilisée."})
    activity.tags.set(wanted.values())


def _require_coordinator(coordinator) -> None:
    if coordinator is None or not coordinator.is_coordinator:
        raise PermissionDenied("Seuls les coordinateurs enregistrent des activités de coordination.")


def coordination_activity_create(
    *, coordinator, values: dict, token: uuid.UUID, tags=()
) -> tuple[CoordinationActivity, bool]:
    """Record a coordinator's activity, or return the one already recorded with this token (double submission).

    Returns (activity, created). Its scope keys are the coordinator's structure at this moment.
    """
    _require_coordinator(coordinator)
    existing = CoordinationActivity.objects.filter(coordinator=coordinator, idempotency_token=token).first()
    if existing is not None:
        return existing, False
    kind = values.get("kind", "")
    if kind not in CoordinationKind.values:
        raise ValidationError({"kind": "Type d'activité de coordination inconnu."})
    fields = _normalise(kind, values)
    _check(kind, fields)
    activity = CoordinationActivity(coordinator=coordinator, kind=kind, idempotency_token=token, **fields)
    structure = (
        Structure.objects.select_related("department").filter(pk=coordinator.structure_id).first()
        if coordinator.structure_id
        else None
    )
    if structure is not None:
        activity.structure = structure
        activity.department_id = structure.department_id
        activity.region_id = structure.department.region_id
    try:
        with transaction.atomic():
            activity.save()
            if tags:
                _set_tags(activity, tags)
    except IntegrityError:
        # Two submissions of one form raced: the other one won, and is the activity to show.
        existing = CoordinationActivity.objects.filter(coordinator=coordinator, idempotency_token=token).first()
        if existing is None:
            raise
        return existing, False
    return activity, True


def _own(actor, activity: CoordinationActivity) -> CoordinationActivity:
    """The activity locked for writing, if the actor may change it (their own, under the coordinator role)."""
    current = scopes.own_coordination_activities(actor).select_for_update().filter(pk=activity.pk).first()
    if current is None:
        raise PermissionDenied("Vous ne pouvez modifier que vos propres activités de coordination.")
    return current


@transaction.atomic
def coordination_activity_update(*, actor, activity: CoordinationActivity, values: dict, tags=None):
    """Change one of the actor's coordination activities (its type and scope keys do not change)."""
    current = _own(actor, activity)
    fields = _normalise(current.kind, {**_current_values(current), **values})
    _check(current.kind, fields)
    for name, value in fields.items():
        setattr(current, name, value)
    current.save()
    if tags is not None:
        _set_tags(current, tags)
    return current


def _current_values(activity: CoordinationActivity) -> dict:
    names = COMMON_FIELDS + KIND_FIELDS[activity.kind]
    return {name: getattr(activity, name) for name in names}


@transaction.atomic
def coordination_activity_delete(*, actor, activity: CoordinationActivity, request=None) -> CoordinationActivity:
    """Soft-delete one of the actor's coordination activities (it leaves every statistic at once), audited."""
    current = _own(actor, activity)
    current.deleted_at = timezone.now()
    current.save(update_fields=["deleted_at", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.ACTIVITY_DELETED,
        target=current,
        details={"date": current.date.isoformat(), "kind": current.kind, "coordination": True},
        request=request,
    )
    return current
