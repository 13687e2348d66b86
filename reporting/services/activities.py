"""Writes on activity reports: each one updates the rollups in the same transaction (see reporting/rollups.py)."""

import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.enums import AuditAction
from accounts.services import audit_record
from directory.models import Advisor, Structure
from reporting import rollups
from reporting.counters import BREAKDOWN_FIELDS, THEME_BITS
from reporting.enums import ActivityKind, PlaceType, TagScope, Theme
from reporting.models import Activity, ActivityTag
from reporting.selectors import PROGRAMME_START
from reporting.services import people
from territories.models import Department

EDITABLE_FIELDS = [
    "date",
    "duration",
    "place_type",
    "place",
    "commune",
    "themes",
    "procedures",
    "materials",
    "autonomy",
    "redirected",
    "redirection_structure",
    "title",
    "level",
    "participants",
    "already_accompanied",
    "notes",
    *BREAKDOWN_FIELDS,
]


def _check(activity: Activity) -> None:
    """The invariants of a report, whoever writes it (forms check the same rules with messages per field)."""
    if activity.date > timezone.localdate() or activity.date < PROGRAMME_START:
        raise ValidationError("La date doit être comprise entre le 1er janvier 2020 et aujourd'hui.")
    if not activity.themes:
        raise ValidationError("Une activité a au moins une thématique.")
    if activity.procedures and not activity.themes & THEME_BITS[Theme.ADMINISTRATIVE]:
        raise ValidationError(
            "Des démarches administratives exigent la thématique « Aide aux démarches administratives »."
        )
    if activity.place_type == PlaceType.ACTIVITY_PLACE and activity.place is None:
        raise ValidationError("Une activité dans un lieu d'activité précise ce lieu.")
    if activity.kind == ActivityKind.INDIVIDUAL and activity.participants != 1:
        raise ValidationError("Un accompagnement individuel concerne une personne.")
    if activity.redirection_structure and not activity.redirected:
        raise ValidationError("Une structure de réorientation n'est indiquée que si la personne a été réorientée.")
    for group in ("gender", "age", "status"):
        if sum(activity.breakdown(group).values()) != activity.participants:
            raise ValidationError("La répartition des participants ne correspond pas à leur nombre.")


def _locate(activity: Activity, structure_commune_id: str | None) -> None:
    """The commune a report counts in: its place's, the one typed, or the structure's for a remote activity."""
    if activity.place_type == PlaceType.ACTIVITY_PLACE and activity.place is not None:
        activity.commune_id = activity.place.commune_id
    elif activity.place_type == PlaceType.REMOTE:
        activity.place = None
        activity.commune_id = structure_commune_id
    else:
        activity.place = None


def _advisor_departments(advisor_id: int) -> set[str]:
    """The departments whose departmental tags an advisor may use: their structure's, and those they coordinate."""
    usable = Department.objects.filter(Q(structures__advisors=advisor_id) | Q(coordinators=advisor_id))
    return set(usable.values_list("code", flat=True).distinct())


def _set_tags(activity: Activity, tags) -> None:
    """Put exactly these tags on a report (the form offers only the tags its author may use)."""
    wanted = {tag.pk: tag for tag in tags}
    current = set(ActivityTag.objects.filter(activity=activity).values_list("tag_id", flat=True))
    # Only the tags added are checked: a tag archived since, or of a former department, stays on the report.
    added = [wanted[pk] for pk in wanted.keys() - current]
    usable_departments = None
    for tag in added:
        foreign = tag.scope == TagScope.PERSONAL and tag.owner_id != activity.advisor_id
        refused = tag.archived_at is not None or foreign
        if tag.scope == TagScope.DEPARTMENT and not refused:
            if usable_departments is None:
                usable_departments = _advisor_departments(activity.advisor_id)
            refused = tag.department_id not in usable_departments
        if refused:
            raise ValidationError(f"L'étiquette « {tag.name} » ne peut pas être utilisée.")
    if current - wanted.keys():
        ActivityTag.objects.filter(activity=activity, tag_id__in=current - wanted.keys()).delete()
    ActivityTag.objects.bulk_create([ActivityTag(activity=activity, tag_id=pk) for pk in wanted.keys() - current])


def _structure_of(advisor):
    """The advisor's structure with its department, read from the request's user query when it joined them."""
    if not advisor.structure_id:
        return None
    if Advisor.structure.is_cached(advisor) and Structure.department.is_cached(advisor.structure):
        return advisor.structure
    return Structure.objects.select_related("department").filter(pk=advisor.structure_id).first()


def activity_create(*, advisor, values: dict, token: uuid.UUID, tags=(), beneficiaries=()) -> tuple[Activity, bool]:
    """Record a report for an advisor, or return the one already recorded with this token (double submission).

    Returns (report, created). The report's scope keys are the advisor's structure at this moment.
    `values` describe the anonymous people; `beneficiaries` (the advisor's followed people, or their pks) add to
    them — an individual report linked to one of them describes her only (see reporting/services/people.py).
    The unique (advisor, token) constraint detects a second submission: no query is spent looking for it first.
    """
    structure = _structure_of(advisor)
    activity = Activity(advisor=advisor, idempotency_token=token, **values)
    _locate(activity, structure.commune_id if structure else None)
    if structure is not None:
        activity.structure = structure
        activity.department_id = structure.department_id
        activity.region_id = structure.department.region_id
        activity.structure_type = structure.type
    elif activity.commune_id:
        department = Department.objects.get(communes=activity.commune_id)
        activity.department_id, activity.region_id = department.code, department.region_id
    wanted = people.wanted_ids(beneficiaries)
    if not wanted:
        _check(activity)
    try:
        with transaction.atomic():
            links = people.claim(advisor=advisor, activity=activity, ids=wanted) if wanted else []
            if links:
                _check(activity)
            activity.save()
            if links:
                people.save_links(activity, links)
            rollups.apply(new=rollups.snapshot(activity))
            if tags:
                _set_tags(activity, tags)
            if links:
                people.recompute_after_create(activity, links)
    except IntegrityError:
        # Two submissions of one form raced: the other one won, and is the report to show.
        existing = Activity.objects.filter(advisor=advisor, idempotency_token=token).first()
        if existing is None:
            raise
        return existing, False
    return activity, True


@transaction.atomic
def activity_update(*, activity: Activity, values: dict, tags=None, beneficiaries=None) -> Activity:
    """Change a report; the rollups lose its old contribution and gain the new one (scope keys do not change).

    `values` describe the anonymous people (as in activity_create); `beneficiaries=None` keeps the followed people
    linked, a list replaces them. The « déjà accompagnée » of every person concerned is recomputed (a date moved).
    """
    current = Activity.objects.select_for_update(of=("self",)).select_related("place", "structure").get(pk=activity.pk)
    if current.deleted_at is not None:
        raise ValidationError("Cette activité a été supprimée.")
    old = rollups.snapshot(current)
    links = list(current.followed_links.all())
    for link in links:
        people.add_contribution(current, link, -1)
    for name in EDITABLE_FIELDS:
        if name in values:
            setattr(current, name, values[name])
    touched = {link.beneficiary_id for link in links}
    if beneficiaries is not None:
        links = people.replace_links(current, links, people.wanted_ids(beneficiaries))
        touched |= {link.beneficiary_id for link in links}
    else:
        people.describe(current, links)
    _locate(current, current.structure.commune_id if current.structure_id else None)
    _check(current)
    current.save()
    rollups.apply(old=old, new=rollups.snapshot(current))
    if tags is not None:
        _set_tags(current, tags)
    people.recompute(touched)
    return current


@transaction.atomic
def activity_delete(*, activity: Activity, actor, request=None) -> Activity:
    """Soft-delete a report (it leaves every statistic at once); deleting twice changes nothing."""
    current = Activity.objects.select_for_update().get(pk=activity.pk)
    if current.deleted_at is not None:
        return current
    old = rollups.snapshot(current)
    current.deleted_at = timezone.now()
    current.save(update_fields=["deleted_at", "updated_at"])
    rollups.apply(old=old)
    # Her next report may become her first one: « déjà accompagnée » moves with it.
    people.recompute(set(current.followed_links.values_list("beneficiary_id", flat=True)))
    audit_record(
        actor=actor,
        action=AuditAction.ACTIVITY_DELETED,
        target=current,
        details={"date": current.date.isoformat(), "kind": current.kind, "participants": current.participants},
        request=request,
    )
    return current
