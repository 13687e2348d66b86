"""Rows of the coordination activities exports (La Coop's « Activités de coordination » columns, research §4.3).

The coordinator's own export carries their private notes; the pilotage export names the coordinator and never
carries notes. Files are written by common/exports.py (neutralised text, typed XLSX cells).
"""

from collections.abc import Iterator

from reporting.enums import (
    AnimationTheme,
    AnimationType,
    CoordinationKind,
    EventType,
    Initiative,
    Organiser,
    PartnershipNature,
    TerritorialLevel,
)
from reporting.services.coordination import OTHER, PARTNER_TYPES

PARTNER_LABELS = dict(PARTNER_TYPES)


def _labels(values, enum, other: str = "") -> str:
    labels = [f"{enum(value).label} ({other})" if value == OTHER and other else enum(value).label for value in values]
    return ", ".join(labels)


def _one(value: str, enum, other: str = "") -> str:
    return _labels([value], enum, other) if value else ""


def type_detail(activity) -> str:
    """The animation type, event type or partnership natures of an activity, in words."""
    if activity.kind == CoordinationKind.ANIMATION:
        return _one(activity.animation_type, AnimationType, activity.animation_type_other)
    if activity.kind == CoordinationKind.EVENT:
        return _one(activity.event_type, EventType, activity.event_type_other)
    return _labels(activity.partnership_natures, PartnershipNature, activity.partnership_nature_other)


def partners(activity) -> str:
    return ", ".join(
        f"{row['name']} ({PARTNER_LABELS.get(row['type'], row['type'])})" for row in activity.partner_structures
    )


def themes(activity) -> str:
    return _labels(activity.animation_themes, AnimationTheme, activity.animation_theme_other)


def organisers(activity) -> str:
    return _labels(activity.organisers, Organiser, activity.organiser_other)


def coordination_rows(activities, *, pilotage: bool = False) -> Iterator[list]:
    """The header, then one row per activity (prefetch `tags`; for pilotage select `coordinator`, `structure`)."""
    header = ["Date", "Type"]
    if pilotage:
        header += ["Coordinateur", "Structure employeuse", "Département"]
    header += [
        "Durée (minutes)",
        "Participants",
        "Médiateurs",
        "Structures",
        "Autres acteurs",
        "Nom",
        "Type d'animation, d'événement ou nature du partenariat",
        "Organisé par",
        "Structures partenaires (nom, type)",
        "Échelon territorial",
        "Initiative",
        "Thématiques d'animation",
        "Étiquettes",
    ]
    if not pilotage:
        header.append("Notes privées")
    header += ["Enregistrée le", "Dernière modification", "Identifiant"]
    yield header
    for activity in activities:
        row = [activity.date, CoordinationKind(activity.kind).label]
        if pilotage:
            row += [
                activity.coordinator.full_name,
                activity.structure.name if activity.structure else "",
                activity.department_id or "",
            ]
        is_animation = activity.kind == CoordinationKind.ANIMATION
        reached = activity.advisors_count + activity.structures_count + activity.other_actors_count
        row += [
            activity.duration,
            activity.participants if activity.kind == CoordinationKind.EVENT else (reached if is_animation else None),
            activity.advisors_count if is_animation else None,
            activity.structures_count if is_animation else None,
            activity.other_actors_count if is_animation else None,
            activity.name,
            type_detail(activity),
            organisers(activity),
            partners(activity),
            _one(activity.territorial_level, TerritorialLevel),
            _one(activity.initiative, Initiative),
            themes(activity),
            ", ".join(tag.name for tag in activity.tags.all()),
        ]
        if not pilotage:
            row.append(activity.notes)
        row += [activity.created_at, activity.updated_at, activity.pk]
        yield row
