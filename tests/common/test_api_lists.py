"""The API's list envelope: offset pages, and the `updated_since` cursor that loses nothing while data changes."""

from datetime import datetime, timedelta
from urllib.parse import urlsplit

import pytest
from django.test import RequestFactory
from django.utils import timezone

from common.api_lists import PARIS, ListParams, aware, page_of
from directory.models import Structure
from tests.api_client import query
from tests.directory.factories import StructureFactory

pytestmark = pytest.mark.django_db


def _request(query=""):
    return RequestFactory().get(f"/api/test/?{query}")


def test_offset_pages_have_absolute_next_and_previous_links():
    items = list(range(7))
    first = page_of(_request("limit=3&x=1"), items, ListParams(limit=3))
    assert (first["count"], first["items"], first["previous"]) == (7, [0, 1, 2], None)
    assert first["next"].startswith("http://testserver/api/test/?")
    assert query(first["next"]) == {"limit": "3", "offset": "3", "x": "1"}
    last = page_of(_request("limit=3&offset=6"), items, ListParams(limit=3, offset=6))
    assert (last["items"], last["next"]) == ([6], None)
    assert query(last["previous"]) == {"limit": "3", "offset": "3"}
    beyond = page_of(_request("offset=50"), items, ListParams(offset=50))
    assert (beyond["items"], beyond["next"], beyond["count"]) == ([], None, 7)


def test_serialize_maps_each_item():
    page = page_of(_request(), [1, 2], ListParams(), serialize=lambda n: {"n": n})
    assert page["items"] == [{"n": 1}, {"n": 2}]


def test_a_naive_date_is_paris_time():
    assert aware(datetime(2026, 7, 1, 12, 0)).utcoffset() == timedelta(hours=2)
    assert aware(datetime(2026, 12, 1, 12, 0)).tzinfo == PARIS


def test_the_cursor_reads_every_item_once_even_when_one_changes_while_paging():
    start = timezone.now() - timedelta(days=1)
    structures = StructureFactory.create_batch(5)
    for index, structure in enumerate(structures):
        Structure.objects.filter(pk=structure.pk).update(updated_at=start + timedelta(minutes=index))
    queryset = Structure.objects.all()
    since = start.isoformat()
    seen, params = [], {"updated_since": since, "limit": "2"}
    first = page_of(_request(f"updated_since={since}&limit=2"), queryset, ListParams(**params))
    seen += [s.pk for s in first["items"]]
    # An item already read changes while the partner pages: the others must not shift out of reach.
    Structure.objects.filter(pk=structures[0].pk).update(updated_at=timezone.now())
    url = first["next"]
    while url:
        params = query(url)
        page = page_of(_request(urlsplit(url).query), queryset, ListParams(**params))
        assert page["previous"] is None
        seen += [s.pk for s in page["items"]]
        url = page["next"]
    assert sorted(set(seen)) == sorted(s.pk for s in structures)
    assert seen.count(structures[0].pk) == 2


def test_a_future_date_returns_nothing():
    StructureFactory()
    future = ListParams(updated_since=timezone.now() + timedelta(days=3))
    page = page_of(_request(), Structure.objects.all(), future)
    assert (page["count"], page["items"], page["next"]) == (0, [], None)


def test_updated_since_needs_a_queryset():
    with pytest.raises(TypeError):
        page_of(_request(), [1], ListParams(updated_since=timezone.now()))


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("2026-12-01T08:00:00 01:00", "2026-12-01T08:00:00+01:00"),
        ("2026-12-01T08:00:00.123456 0100", "2026-12-01T08:00:00.123456+01:00"),
        ("2026-12-01T08:00:00+01:00", "2026-12-01T08:00:00+01:00"),
        ("2026-12-01T08:00:00-03:00", "2026-12-01T08:00:00-03:00"),
    ],
)
def test_an_offset_whose_plus_was_not_encoded_in_the_address_is_read_as_meant(typed, expected):
    assert ListParams(updated_since=typed).updated_since == datetime.fromisoformat(expected)


def test_the_api_reads_an_unencoded_plus_and_still_refuses_a_wrong_date(client):
    ok = client.get("/api/lieux-mediation-numerique/?updated_since=2026-12-01T08:00:00+01:00")
    assert ok.status_code == 200 and ok.json()["items"] == []
    bad = client.get("/api/lieux-mediation-numerique/?updated_since=2026-13-01T08:00:00+01:00")
    assert bad.status_code == 422 and bad.json()["erreurs"][0]["champ"] == "updated_since"
