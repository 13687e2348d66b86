"""The change feed of the published lists (open data, partner API): what changed, came back or left since a date.

Design note. A partner syncs incrementally with `updated_since`: it must get every object modified since its last
sync, every object that (re)entered the published set, and the ids of those that left it. Leaving happens in many
ways that no single signal sees: a place made private or removed, its last advisor leaving (the place itself is not
saved), a structure no longer validated, a bulk `.update()`, a row deleted. So instead of signals, each feed is a
queryset (the published set, as the open data and the API read it) and `synchronise` compares its ids with the
`Publication` rows of that feed: new ids are recorded with `entered_at`, missing ones get `removed_at`, returning
ones are reopened. It runs at the start of every change-feed read (`changed` and `removals_since`), so a reader
never misses what happened before its request; the dates are those of the first read that noticed, never earlier
than the change itself, which is what a partner that keeps its last sync date needs. Cost: one query for the
published ids (with their department), one for the feed's rows, then writes only for the differences; 4,000 ids
compare in a few milliseconds. Concurrent synchronisations are harmless: the (feed, object) pair is unique and the
writes are idempotent.

The first synchronisation of a feed records its objects with no `entered_at`: they changed when their own
`updated_at` says, so a partner asking for yesterday's changes does not receive the whole file on the first day.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import DateTimeField, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from directory import scopes
from directory.models import Publication, Structure


@dataclass(frozen=True)
class Feed:
    """A published list: its queryset and the path from its objects to their department code."""

    name: str
    published: Callable[[], QuerySet]
    department_path: str


FEEDS = {
    feed.name: feed
    for feed in (
        Feed("lieux", scopes.public_places, "department_id"),
        Feed("structures", lambda: Structure.objects.validated(), "department_id"),
        # The advisors' public directory: an advisor who withdraws their consent to be named leaves it.
        Feed("conseillers", scopes.public_directory_advisors, "structure__department_id"),
    )
}


def synchronise(feed_name: str, *, now: datetime | None = None) -> None:
    """Bring the feed's Publication rows in step with its published set (see the design note)."""
    feed = FEEDS[feed_name]
    now = now or timezone.now()
    published = dict(feed.published().order_by().values_list("pk", feed.department_path))
    rows = Publication.objects.filter(feed=feed_name)
    known = {
        pk: (removed_at, department)
        for pk, removed_at, department in rows.values_list("object_id", "removed_at", "department")
    }
    first = not known
    new = [
        Publication(feed=feed_name, object_id=pk, department=department or "", entered_at=None if first else now)
        for pk, department in published.items()
        if pk not in known
    ]
    gone = [pk for pk, (removed_at, _) in known.items() if removed_at is None and pk not in published]
    back = [pk for pk, (removed_at, _) in known.items() if removed_at is not None and pk in published]
    moved = [
        (pk, published[pk] or "")
        for pk, (removed_at, department) in known.items()
        if removed_at is None and pk in published and (published[pk] or "") != department
    ]
    if not (new or gone or back or moved):
        return
    with transaction.atomic():
        Publication.objects.bulk_create(new, ignore_conflicts=True)
        if gone:
            rows.filter(object_id__in=gone, removed_at__isnull=True).update(removed_at=now)
        if back:
            rows.filter(object_id__in=back).update(removed_at=None, entered_at=now)
        for pk, department in moved:
            rows.filter(object_id=pk).update(department=department)


def changed(feed_name: str, queryset: QuerySet) -> QuerySet:
    """The queryset annotated with `changed_at`: its own `updated_at`, or later when it (re)entered the feed."""
    synchronise(feed_name)
    entered = Publication.objects.filter(feed=feed_name, object_id=OuterRef("pk")).values("entered_at")[:1]
    return queryset.annotate(
        changed_at=Greatest(
            F("updated_at"),
            Coalesce(Subquery(entered, output_field=DateTimeField()), F("updated_at")),
        )
    )


def removals_since(feed_name: str, since: datetime | None, *, departments=None) -> QuerySet[Publication]:
    """The feed's objects that left it at or after `since` (all that left when None), optionally in some
    departments, ordered by (removed_at, object_id)."""
    synchronise(feed_name)
    removals = Publication.objects.filter(feed=feed_name, removed_at__isnull=False)
    if since is not None:
        removals = removals.filter(removed_at__gte=since)
    if departments is not None:
        removals = removals.filter(Q(department__in=list(departments)))
    return removals.order_by("removed_at", "object_id")
