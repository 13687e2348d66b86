"""The resource library's lists as a partner syncs them: pages with next/previous, `updated_since`, and the resources
that left the public set (unpublished, deleted, made private, moved under a private section)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from content.models import ResourcePage
from tests.api_client import get, query
from tests.content.factories import ThematiqueFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


def backdate(page, moment):
    ResourcePage.objects.filter(pk=page.pk).update(last_published_at=moment, first_published_at=moment)


class TestResourcePages:
    def test_it_links_the_next_and_previous_pages(self, library, client):
        first = get(client, "/api/ressources/?limit=2")
        assert (first["count"], first["limit"], first["offset"], first["previous"]) == (4, 2, 0, None)
        assert first["next"].startswith("http://testserver/api/ressources/?")
        assert query(first["next"]) == {"limit": "2", "offset": "2"}
        second = get(client, first["next"])
        assert second["next"] is None and query(second["previous"]) == {"limit": "2", "offset": "0"}
        assert {item["id"] for item in first["items"]} | {item["id"] for item in second["items"]} == {
            page.pk for slug, page in library.items() if slug != "brouillon"
        }

    def test_the_filters_follow_the_links(self, library, client):
        first = get(client, "/api/ressources/?thematique=securite-numerique&limit=1")
        assert first["count"] == 2 and query(first["next"])["thematique"] == "securite-numerique"

    def test_a_page_beyond_the_end_is_empty_and_bounds_are_refused(self, library, client):
        beyond = get(client, "/api/ressources/?offset=40")
        assert beyond["items"] == [] and beyond["next"] is None and beyond["count"] == 4
        for url, field in [
            ("/api/ressources/?limit=51", "limit"),
            ("/api/ressources/?limit=0", "limit"),
            ("/api/ressources/?offset=-1", "offset"),
        ]:
            error = get(client, url, status=422)
            assert error["erreurs"][0]["champ"] == field, url

    def test_the_taxonomies_are_pages_too(self, securite, demarches, client):
        for index in range(3):
            ThematiqueFactory(slug=f"theme-{index}", name=f"Thème {index}")
        page = get(client, "/api/thematiques/?limit=2&offset=1")
        assert page["count"] == 5 and len(page["items"]) == 2 and page["previous"] and page["next"]
        assert set(page["items"][0]) == {"slug", "name", "description"}
        assert get(client, "/api/publics/")["count"] == 0

    def test_the_taxonomies_refuse_updated_since_with_a_clear_message(self, securite, client):
        for path in ("/api/thematiques/", "/api/publics/"):
            error = get(client, f"{path}?updated_since=2026-01-01T00:00:00", status=422)
            assert error["erreurs"][0]["champ"] == "updated_since"
            assert "liste courte" in error["message"] and "If-None-Match" in error["message"]


class TestResourcesUpdatedSince:
    def test_it_keeps_the_resources_published_since_oldest_first(self, library, client):
        old, recent = timezone.now() - timedelta(days=30), timezone.now() - timedelta(days=1)
        for slug in ("arnaques", "franceconnect", "mots-de-passe"):
            backdate(library[slug], old)
        backdate(library["pix"], recent)
        since = (timezone.now() - timedelta(days=7)).isoformat()
        data = get(client, f"/api/ressources/?updated_since={since.replace('+', '%2B')}")
        assert [item["slug"] for item in data["items"]] == ["pix"] and data["previous"] is None

    def test_it_orders_by_change_date_then_id_and_pages_with_a_cursor(self, library, client):
        moment = timezone.now() - timedelta(days=3)
        for page in library.values():
            backdate(page, moment)
        data = get(client, "/api/ressources/?updated_since=2020-01-01T00:00:00&limit=2")
        ids = [item["id"] for item in data["items"]]
        assert ids == sorted(ids) and data["count"] == 4
        following = get(client, data["next"])
        assert [item["id"] for item in following["items"]] == sorted(
            page.pk for slug, page in library.items() if slug != "brouillon" and page.pk not in ids
        )
        assert following["next"] is None

    def test_a_naive_date_is_paris_time(self, library, client):
        published = datetime(2026, 6, 1, 10, 0, tzinfo=PARIS)  # 08:00 UTC
        for page in library.values():
            backdate(page, published - timedelta(days=365))
        backdate(library["pix"], published)
        assert get(client, "/api/ressources/?updated_since=2026-06-01T10:00:00")["count"] == 1
        assert get(client, "/api/ressources/?updated_since=2026-06-01T10:00:01")["count"] == 0
        # The same instant written in UTC.
        assert get(client, "/api/ressources/?updated_since=2026-06-01T08:00:00Z")["count"] == 1

    def test_a_date_in_the_future_returns_nothing(self, library, client):
        data = get(client, "/api/ressources/?updated_since=2099-01-01T00:00:00%2B01:00")
        assert data == {"count": 0, "limit": 20, "offset": 0, "next": None, "previous": None, "items": []}

    def test_a_malformed_date_answers_a_french_422(self, library, client):
        for value in ("hier", "2026-13-01T00:00:00", "01/12/2026"):
            error = get(client, f"/api/ressources/?updated_since={value}", status=422)
            assert error["erreurs"][0]["champ"] == "updated_since"
            assert "ISO 8601" in error["erreurs"][0]["message"], value

    def test_a_resource_back_from_a_private_section_counts_as_changed(self, library, tree, client):
        section = tree["library"]
        long_ago = timezone.now() - timedelta(days=90)
        for page in library.values():
            backdate(page, long_ago)
        restriction = PageViewRestriction.objects.create(page=section, restriction_type=PageViewRestriction.LOGIN)
        since = timezone.now().isoformat().replace("+", "%2B")
        assert get(client, "/api/ressources/")["count"] == 0
        restriction.delete()
        back = get(client, f"/api/ressources/?updated_since={since}")
        assert back["count"] == 4


class TestResourceRemovals:
    def test_unpublished_and_deleted_resources_are_listed_with_their_date(self, library, client):
        before = timezone.now()
        library["pix"].unpublish()
        deleted_id = library["arnaques"].pk
        library["arnaques"].delete()
        data = get(client, "/api/ressources/suppressions/")
        assert [item["id"] for item in data["items"]] == [library["pix"].pk, deleted_id]
        assert all(datetime.fromisoformat(item["supprime_le"]) >= before for item in data["items"])
        assert get(client, f"/api/ressources/{library['pix'].pk}/", status=404)

    def test_resources_made_private_with_their_section_are_listed(self, library, tree, client):
        PageViewRestriction.objects.create(page=tree["library"], restriction_type=PageViewRestriction.LOGIN)
        data = get(client, "/api/ressources/suppressions/")
        assert {item["id"] for item in data["items"]} == {
            page.pk for slug, page in library.items() if slug != "brouillon"
        }

    def test_a_resource_published_again_leaves_the_removals(self, library, client):
        library["pix"].unpublish()
        assert get(client, "/api/ressources/suppressions/")["count"] == 1
        library["pix"].save_revision().publish()
        assert get(client, "/api/ressources/suppressions/")["count"] == 0
        since = (timezone.now() - timedelta(minutes=1)).isoformat().replace("+", "%2B")
        assert library["pix"].pk in [
            item["id"] for item in get(client, f"/api/ressources/?updated_since={since}")["items"]
        ]

    def test_updated_since_keeps_the_recent_removals_and_pages_them(self, library, client):
        library["pix"].unpublish()
        library["franceconnect"].unpublish()
        future = (timezone.now() + timedelta(days=1)).isoformat().replace("+", "%2B")
        assert get(client, f"/api/ressources/suppressions/?updated_since={future}")["count"] == 0
        first = get(client, "/api/ressources/suppressions/?updated_since=2020-01-01T00:00:00&limit=1")
        assert first["count"] == 2 and len(first["items"]) == 1
        assert query(first["next"])["updated_since"] == "2020-01-01T00:00:00"
        second = get(client, first["next"])
        assert {first["items"][0]["id"], second["items"][0]["id"]} == {library["pix"].pk, library["franceconnect"].pk}

    def test_it_reads_the_log_in_a_fixed_number_of_queries(self, library, tree, client, django_assert_max_num_queries):
        for slug in ("pix", "franceconnect", "arnaques"):
            library[slug].unpublish()
        PageViewRestriction.objects.create(page=tree["library"], restriction_type=PageViewRestriction.LOGIN)
        with django_assert_max_num_queries(6):
            assert get(client, "/api/ressources/suppressions/")["count"] == 4
