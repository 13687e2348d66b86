"""The change feed: objects entering, leaving and coming back to a published list, whatever made them move."""

from datetime import timedelta

import pytest
from django.utils import timezone

from directory import changefeed
from directory.enums import AdvisorStatus, StructureStatus
from directory.models import Place, PlaceAssignment, Publication, Structure
from tests.directory.factories import AdvisorFactory, PlaceAssignmentFactory, PlaceFactory, StructureFactory

pytestmark = pytest.mark.django_db


def _staffed_place(**kwargs):
    assignment = PlaceAssignmentFactory(place=PlaceFactory(**kwargs))
    return assignment.place, assignment.advisor


def _removed_ids(feed, since=None, **kwargs):
    return [row.object_id for row in changefeed.removals_since(feed, since, **kwargs)]


def test_first_synchronisation_records_the_feed_without_an_entry_date():
    place, _ = _staffed_place()
    changefeed.synchronise("lieux")
    row = Publication.objects.get(feed="lieux", object_id=place.pk)
    assert (row.entered_at, row.removed_at, row.department) == (None, None, place.department_id)
    annotated = changefeed.changed("lieux", Place.objects.filter(pk=place.pk)).get()
    assert annotated.changed_at == place.updated_at


def test_a_place_whose_last_advisor_leaves_is_removed_and_comes_back_with_a_new_date():
    place, advisor = _staffed_place()
    other, _ = _staffed_place()
    changefeed.synchronise("lieux")
    before = timezone.now()
    # Nothing saves the place: only its advisor's status changes, through a bulk update.
    type(advisor).objects.filter(pk=advisor.pk).update(status=AdvisorStatus.ENDED)
    assert _removed_ids("lieux", before) == [place.pk]
    assert _removed_ids("lieux", timezone.now() + timedelta(seconds=1)) == []

    type(advisor).objects.filter(pk=advisor.pk).update(status=AdvisorStatus.ACTIVE)
    back = timezone.now()
    annotated = {p.pk: p.changed_at for p in changefeed.changed("lieux", Place.objects.all())}
    assert annotated[place.pk] >= back > annotated[other.pk]
    assert _removed_ids("lieux") == []


def test_private_deleted_and_unvalidated_objects_leave_their_feeds():
    place, _ = _staffed_place()
    structure = StructureFactory(status=StructureStatus.VALIDATED)
    changefeed.synchronise("lieux")
    changefeed.synchronise("structures")
    Place.objects.filter(pk=place.pk).update(is_public=False)
    Structure.objects.filter(pk=structure.pk).update(status=StructureStatus.CREATED)
    assert _removed_ids("lieux") == [place.pk]
    assert structure.pk in _removed_ids("structures")

    gone = PlaceFactory()
    PlaceAssignmentFactory(place=gone)
    changefeed.synchronise("lieux")
    gone_pk = gone.pk
    PlaceAssignment.objects.filter(place=gone).delete()
    gone.delete()
    assert gone_pk in _removed_ids("lieux")


def test_removals_are_filtered_by_department_and_follow_a_move():
    paris, _ = _staffed_place()
    changefeed.synchronise("lieux")
    Place.objects.filter(pk=paris.pk).update(is_public=False)
    assert _removed_ids("lieux", departments=[paris.department_id]) == [paris.pk]
    assert _removed_ids("lieux", departments=["13"] if paris.department_id != "13" else ["75"]) == []


def test_an_advisor_leaving_the_programme_leaves_the_advisors_feed():
    _, advisor = _staffed_place()
    changefeed.synchronise("conseillers")
    advisor.status = AdvisorStatus.ENDED
    advisor.save()
    removal = changefeed.removals_since("conseillers", None).get()
    assert (removal.object_id, removal.department) == (advisor.pk, advisor.structure.department_id)


def test_the_advisors_feed_is_the_public_directory_and_consent_withdrawn_is_a_removal():
    _, named = _staffed_place()
    AdvisorFactory()  # no public place: not in the directory
    changefeed.synchronise("conseillers")
    assert list(Publication.objects.filter(feed="conseillers").values_list("object_id", flat=True)) == [named.pk]
    named.show_on_map = False
    named.save()
    assert _removed_ids("conseillers") == [named.pk]


def test_synchronising_twice_writes_nothing_the_second_time(django_assert_max_num_queries):
    _staffed_place()
    changefeed.synchronise("lieux")
    with django_assert_max_num_queries(2):
        changefeed.synchronise("lieux")


def test_advisor_updated_at_moves_on_save():
    advisor = AdvisorFactory()
    first = advisor.updated_at
    advisor.show_on_map = False
    advisor.save()
    advisor.refresh_from_db()
    assert advisor.updated_at > first
