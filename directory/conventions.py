"""Conventions and contracts: the dated writes the programme's life after recruitment makes, and the posts at a date.

Every change of a structure's posts is a dated `ConventionEvent`; `Structure.posts_granted` caches today's posts of
the convention in force, and is re-read from the events when an event is recorded (if already effective) and by
the daily `apply_programme_dates` command (for the events, starts and ends dated in the future). These writes are
called by the workflows' services, which check who may do them; nothing here checks a permission.
"""

from datetime import date, timedelta

from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from directory.enums import ContractEndReason, ContractStatus, ConventionEventKind, ConventionStatus
from directory.models import Contract, Convention, ConventionEvent, Structure

CONVENTION_YEARS = 3  # a convention runs three years (phase 2 of the real programme: 2024–2027)


def default_end(start: date) -> date:
    """The last day of a convention starting on `start`."""
    try:
        return start.replace(year=start.year + CONVENTION_YEARS) - timedelta(days=1)
    except ValueError:  # 29 February
        return start.replace(year=start.year + CONVENTION_YEARS, day=28) - timedelta(days=1)


def convention_number(*, structure, start: date, phase: int) -> str:
    """The convention's number: year of start, structure, phase (unique per structure and phase)."""
    return f"CONV-{start:%Y}-{structure.pk:06d}-P{phase}"


@transaction.atomic
def convention_open(
    *, structure, start: date, posts: int, end: date | None = None, previous=None, actor=None, reference=""
) -> Convention:
    """A new convention for `structure` from `start`, with its first event (grant, or renewal of `previous`)."""
    phase = previous.phase + 1 if previous else 1
    convention = Convention.objects.create(
        structure=structure,
        number=convention_number(structure=structure, start=start, phase=phase),
        phase=phase,
        start=start,
        end=end or default_end(start),
        previous=previous,
    )
    convention_record(
        convention=convention,
        kind=ConventionEventKind.RENEWAL if previous else ConventionEventKind.GRANT,
        delta=posts,
        effective_on=start,
        actor=actor,
        reference=reference,
    )
    return convention


def convention_record(
    *,
    convention,
    kind: str,
    delta: int,
    effective_on: date,
    actor=None,
    reference: str = "",
    comment: str = "",
    is_coordinator_post: bool = False,
) -> ConventionEvent:
    """Record one dated change of posts; today's cached posts follow at once when the date has come."""
    event = ConventionEvent.objects.create(
        convention=convention,
        kind=kind,
        delta=delta,
        effective_on=effective_on,
        is_coordinator_post=is_coordinator_post,
        reference=reference[:60],
        comment=comment[:255],
        recorded_by=actor if actor is not None and actor.is_authenticated else None,
    )
    structure_posts_sync(structure_id=convention.structure_id)
    return event


def convention_in_force(structure, on: date | None = None) -> Convention | None:
    """The structure's convention covering `on` (today by default), or None."""
    on = on or timezone.localdate()
    return Convention.objects.filter(structure=structure).in_force(on).order_by("-start").first()


def current_convention(structure) -> Convention | None:
    """The convention in force today, else the latest one (ended or starting later), or None."""
    return convention_in_force(structure) or Convention.objects.filter(structure=structure).order_by("-start").first()


def posts_on(structure_id: int, on: date) -> int:
    """The posts granted to one structure on the date `on`."""
    return ConventionEvent.objects.filter(
        convention__structure_id=structure_id, convention__start__lte=on, convention__end__gte=on
    ).posts_on(on)


def structure_posts_sync(*, structure_id: int, today: date | None = None) -> int:
    """Re-read today's posts of a structure from its events into `Structure.posts_granted`."""
    posts = posts_on(structure_id, today or timezone.localdate())
    Structure.objects.filter(pk=structure_id).exclude(posts_granted=posts).update(posts_granted=posts)
    return posts


def posts_granted_on(on: date):
    """A subquery expression: the posts each structure (OuterRef "pk") holds by its conventions on `on`."""
    events = ConventionEvent.objects.filter(
        convention__structure=OuterRef("pk"),
        convention__start__lte=on,
        convention__end__gte=on,
        effective_on__lte=on,
    )
    total = events.order_by().values("convention__structure").annotate(total=Sum("delta")).values("total")
    return Coalesce(Subquery(total), 0)


def posts_held_on(on: date):
    """A subquery expression: the contracts each structure (OuterRef "pk") holds on `on`."""
    held = (
        Contract.objects.filter(structure=OuterRef("pk"))
        .held_on(on)
        .order_by()
        .values("structure")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(held), 0)


def structures_posts_out_of_date(*, today: date):
    """Structures under convention whose cached posts differ from today's (a dated event, start or end came)."""
    with_conventions = Structure.objects.filter(Exists(Convention.objects.filter(structure=OuterRef("pk"))))
    return with_conventions.annotate(today_posts=posts_granted_on(today)).exclude(posts_granted=F("today_posts"))


@transaction.atomic
def contract_open(
    *,
    advisor,
    structure,
    contract_type: str,
    start: date,
    end: date | None,
    salary: int | None,
    weekly_hours=35,
    is_coordinator_post: bool = False,
    convention=None,
    follows=None,
) -> Contract:
    """Open an advisor's contract with a structure (the previous one, if any, must be closed first)."""
    return Contract.objects.create(
        advisor=advisor,
        structure=structure,
        convention=convention or convention_in_force(structure, start) or current_convention(structure),
        contract_type=contract_type,
        start=start,
        end=end,
        salary=salary,
        weekly_hours=weekly_hours,
        is_coordinator_post=is_coordinator_post,
        follows=follows,
    )


def contract_close(*, contract, ended_on: date, reason: str) -> Contract:
    """Close a contract on `ended_on` for `reason` (ContractEndReason)."""
    if reason not in ContractEndReason.values:
        raise ValueError(f"Motif de fin inconnu : {reason}")
    contract.status = ContractStatus.ENDED
    contract.ended_on = ended_on
    contract.end_reason = reason
    contract.save(update_fields=["status", "ended_on", "end_reason", "updated_at"])
    return contract


def active_contract(advisor) -> Contract | None:
    """The advisor's contract in progress, or None."""
    return Contract.objects.active().filter(advisor=advisor).select_related("structure", "convention").first()


def convention_mark(*, convention, status: str) -> None:
    """Set a convention's status (renewal requested, renewed, ended)."""
    if status not in ConventionStatus.values:
        raise ValueError(f"Statut de convention inconnu : {status}")
    Convention.objects.filter(pk=convention.pk).update(status=status)
    convention.status = status
