"""Followed people in activity reports: what each link adds to its report's counts, kept exact on every write.

A report's breakdown columns (genre, tranche d'âge, statut), `participants` and `already_accompanied` hold everyone
it accompanied. Each ActivityBeneficiary stores the contribution its person added, so the anonymous part of a report
is its columns minus its links' contributions, and a change to a person moves exactly her own contribution.
A person is « déjà accompagnée » in a report when she has another current report dated before it (same date: created
before it). Every function here runs inside the caller's transaction and moves the rollups with the counts.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from reporting import rollups
from reporting.counters import BREAKDOWN_FIELDS, GROUPS
from reporting.enums import ActivityKind
from reporting.models import Activity, ActivityBeneficiary, Beneficiary

# (counter group, field of the person and of her link)
ATTRIBUTES = (("gender", "gender"), ("age", "age_band"), ("status", "status"))
NOT_MINE = "Cette personne suivie n'existe pas ou ne fait pas partie de vos personnes suivies."
ONE_PERSON = "Un accompagnement individuel concerne une seule personne suivie."


def wanted_ids(beneficiaries) -> list[int]:
    """The distinct pks of people given as Beneficiary objects or pks, in their order."""
    ids: list[int] = []
    for item in beneficiaries or ():
        pk = item.pk if isinstance(item, Beneficiary) else int(item)
        if pk not in ids:
            ids.append(pk)
    return ids


def add_contribution(activity: Activity, link: ActivityBeneficiary, sign: int) -> None:
    """Add (sign=1) or remove (sign=-1) one person's contribution to a report's counts."""
    for group, field in ATTRIBUTES:
        column = GROUPS[group].column(getattr(link, field))
        setattr(activity, column, getattr(activity, column) + sign)
    activity.already_accompanied += sign * int(link.already_accompanied)
    activity.participants += sign


def describe(activity: Activity, links) -> None:
    """Add the links to the report's anonymous part; an individual report linked to a person describes her only."""
    if activity.kind == ActivityKind.INDIVIDUAL and links:
        if len(links) > 1:
            raise ValidationError(ONE_PERSON)
        activity.participants = 0
        activity.already_accompanied = 0
        for column in BREAKDOWN_FIELDS:
            setattr(activity, column, 0)
    for link in links:
        add_contribution(activity, link, 1)


def _link(person, **extra) -> ActivityBeneficiary:
    return ActivityBeneficiary(
        beneficiary_id=person.pk, gender=person.gender, age_band=person.age_band, status=person.status, **extra
    )


def _as_date(value) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else value


def claim(*, advisor, activity: Activity, ids: list[int]) -> list[ActivityBeneficiary]:
    """Check the people are the advisor's and still followed, mark them accompanied, describe the new report.

    One statement (UPDATE … RETURNING) checks, touches (retention counts from the last accompaniment) and reads
    each person with the date of her first current report, so that recording a report with one person costs no
    more queries than an anonymous one. Returns the unsaved links, each knowing whether older reports must move.
    """
    if activity.kind == ActivityKind.INDIVIDUAL and len(ids) > 1:
        raise ValidationError(ONE_PERSON)
    q = connection.ops.quote_name
    people, links, reports = (q(model._meta.db_table) for model in (Beneficiary, ActivityBeneficiary, Activity))
    day = connection.ops.adapt_datefield_value(activity.date)
    sql = (
        f"UPDATE {people} SET {q('updated_at')} = %s, {q('last_activity_on')} = CASE WHEN "
        f"{q('last_activity_on')} IS NULL OR {q('last_activity_on')} < %s THEN %s ELSE {q('last_activity_on')} END "
        f"WHERE {q('id')} IN ({', '.join(['%s'] * len(ids))}) AND {q('advisor_id')} = %s "
        f"AND {q('anonymised_at')} IS NULL AND {q('merged_into_id')} IS NULL "
        f"RETURNING {q('id')}, {q('gender')}, {q('age_band')}, {q('status')}, "
        f"(SELECT MIN(r.{q('date')}) FROM {links} l INNER JOIN {reports} r ON r.{q('id')} = l.{q('activity_id')} "
        f"WHERE l.{q('beneficiary_id')} = {people}.{q('id')} AND r.{q('deleted_at')} IS NULL)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [timezone.now(), day, day, *ids, advisor.pk])
        rows = {row[0]: row for row in cursor.fetchall()}
    if len(rows) != len(ids):
        raise ValidationError(NOT_MINE)
    result = []
    for pk in ids:
        _, gender, age_band, status, first = rows[pk]
        first = _as_date(first)
        link = ActivityBeneficiary(
            beneficiary_id=pk,
            gender=gender,
            age_band=age_band,
            status=status,
            already_accompanied=first is not None and first <= activity.date,
        )
        # Her earliest report was dated after this one: it is no longer her first.
        link.moves_older = first is not None and first > activity.date
        result.append(link)
    describe(activity, result)
    return result


def save_links(activity: Activity, links) -> None:
    for link in links:
        link.activity = activity
    ActivityBeneficiary.objects.bulk_create(links)


def recompute_after_create(activity: Activity, links) -> None:
    """A report dated before a person's first one makes that one « déjà accompagnée »."""
    recompute({link.beneficiary_id for link in links if link.moves_older})


def replace_links(activity: Activity, links, ids: list[int]) -> list[ActivityBeneficiary]:
    """Link exactly these people to a report whose counts hold its anonymous part only; returns the links."""
    if activity.kind == ActivityKind.INDIVIDUAL and len(ids) > 1:
        raise ValidationError(ONE_PERSON)
    kept = [link for link in links if link.beneficiary_id in ids]
    gone = [link.pk for link in links if link.beneficiary_id not in ids]
    if gone:
        ActivityBeneficiary.objects.filter(pk__in=gone).delete()
    known = {link.beneficiary_id for link in kept}
    new_ids = [pk for pk in ids if pk not in known]
    added = []
    if new_ids:
        found = {
            person.pk: person
            for person in Beneficiary.objects.followed().filter(pk__in=new_ids, advisor=activity.advisor_id)
        }
        if len(found) != len(new_ids):
            raise ValidationError(NOT_MINE)
        # « déjà accompagnée » is set by recompute() once the report is saved.
        added = [_link(found[pk], activity=activity) for pk in new_ids]
        ActivityBeneficiary.objects.bulk_create(added)
        Beneficiary.objects.filter(pk__in=new_ids).update(updated_at=timezone.now())
    describe(activity, kept + added)
    return kept + added


def _move(activity_id: int, change) -> None:
    """Apply `change(activity)` to a saved report's counts and move the rollups by the difference."""
    activity = Activity.objects.select_for_update().get(pk=activity_id)
    old = rollups.snapshot(activity)
    change(activity)
    activity.save()
    rollups.apply(old=old, new=rollups.snapshot(activity))


def recompute(ids) -> None:
    """Re-derive « déjà accompagnée » in every current report of these people, and their last report's date."""
    ids = set(ids)
    if not ids:
        return
    links = (
        ActivityBeneficiary.objects.filter(beneficiary_id__in=ids, activity__deleted_at__isnull=True)
        .select_related("activity")
        .order_by("beneficiary_id", "activity__date", "activity__created_at", "activity_id")
    )
    seen: set[int] = set()
    last: dict[int, date] = {}
    for link in links:
        expected = link.beneficiary_id in seen
        seen.add(link.beneficiary_id)
        last[link.beneficiary_id] = link.activity.date
        if link.already_accompanied != expected:
            delta = 1 if expected else -1

            def change(activity, delta=delta):
                activity.already_accompanied += delta

            _move(link.activity_id, change)
            link.already_accompanied = expected
            link.save(update_fields=["already_accompanied"])
    for pk, current in Beneficiary.objects.filter(pk__in=ids).values_list("pk", "last_activity_on"):
        if current != last.get(pk):
            Beneficiary.objects.filter(pk=pk).update(last_activity_on=last.get(pk))


def _reattribute(link: ActivityBeneficiary, person) -> None:
    """Give a link the person's current attributes, moving its report's counts by the difference."""
    if all(getattr(link, field) == getattr(person, field) for _, field in ATTRIBUTES):
        return

    def change(activity):
        add_contribution(activity, link, -1)
        for _, field in ATTRIBUTES:
            setattr(link, field, getattr(person, field))
        add_contribution(activity, link, 1)

    _move(link.activity_id, change)
    link.save(update_fields=[field for _, field in ATTRIBUTES])


@transaction.atomic
def activity_refresh_people(*, beneficiary) -> None:
    """Re-apply a person's current genre, tranche d'âge and statut to all her current reports (after an edit)."""
    links = ActivityBeneficiary.objects.filter(beneficiary=beneficiary, activity__deleted_at__isnull=True)
    for link in links.order_by("activity_id"):
        _reattribute(link, beneficiary)


@transaction.atomic
def activity_merge_people(*, source, target) -> None:
    """Move source's reports to target; a report where both appear keeps one person (participants − 1)."""
    if source.pk == target.pk or source.advisor_id != target.advisor_id:
        raise ValidationError("On ne fusionne que deux personnes différentes suivies par le même conseiller.")
    if target.anonymised_at is not None or target.merged_into_id is not None:
        raise ValidationError("La personne à conserver n'est plus suivie.")
    both = set(ActivityBeneficiary.objects.filter(beneficiary=target).values_list("activity_id", flat=True))
    for link in ActivityBeneficiary.objects.filter(beneficiary=source).select_related("activity").order_by("pk"):
        current = link.activity.deleted_at is None
        if link.activity_id in both:
            if current:
                _move(link.activity_id, lambda activity, link=link: add_contribution(activity, link, -1))
            link.delete()
            continue
        link.beneficiary = target
        link.save(update_fields=["beneficiary"])
        if current:
            _reattribute(link, target)
    recompute({source.pk, target.pk})
