"""Issue 15 part 4: share links of « Mes statistiques » — create, list, revoke, and the public read-only page."""

import html
from datetime import timedelta

import pytest
from django.core import signing
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from reporting.models import StatisticsShare
from reporting.services.shares import (
    MAX_ACTIVE_SHARES,
    share_from_token,
    share_token,
    statistics_share_create,
    statistics_share_viewed,
)
from reporting.views import shared
from tests.reporting.factories import ActivityFactory
from workflows import tokens

pytestmark = pytest.mark.django_db

SHARES = reverse("coop:statistics_shares")
TODAY = timezone.localdate()


def shared_path(share) -> str:
    return reverse("shared_statistics", kwargs={"token": share_token(share)})


def revoke_path(share) -> str:
    return reverse("coop:statistics_share_revoke", kwargs={"pk": share.pk})


@pytest.fixture(autouse=True)
def clear_throttle():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def share(advisor_user):
    return statistics_share_create(user=advisor_user, label="pour ma structure")


class TestShareList:
    def test_it_creates_a_link_with_a_label_and_lists_it(self, client, advisor_user, paris_advisor):
        client.force_login(advisor_user)
        response = client.post(SHARES, {"label": "  pour ma structure  "})
        share = StatisticsShare.objects.get()
        assert response.status_code == 302 and response.url.endswith(f"#partage-{share.pk}")
        assert (share.advisor, share.created_by, share.label) == (paris_advisor, advisor_user, "pour ma structure")
        page = html.unescape(client.get(SHARES).text)
        assert "pour ma structure" in page and shared_path(share) in page and "Jamais consulté" in page
        assert "Aucun nom : ni le vôtre, ni celui des personnes accompagnées" in page  # the audience is stated

    def test_a_bad_label_is_refused_next_to_the_field(self, client, advisor_user):
        client.force_login(advisor_user)
        response = client.post(SHARES, {"label": "x" * 101})
        assert response.status_code == 400 and not StatisticsShare.objects.exists()
        assert response.context["form"].errors["label"]

    def test_the_number_of_active_links_is_bounded(self, client, advisor_user):
        for _ in range(MAX_ACTIVE_SHARES):
            statistics_share_create(user=advisor_user)
        client.force_login(advisor_user)
        response = client.post(SHARES, {"label": "un de plus"})
        assert response.status_code == 400 and "révoquez ceux qui ne servent plus" in html.unescape(response.text)
        assert StatisticsShare.objects.count() == MAX_ACTIVE_SHARES

    def test_i_see_only_my_links(self, client, advisor_user, coordinator_user, share):
        theirs = statistics_share_create(user=coordinator_user, label="lien du coordinateur")
        client.force_login(advisor_user)
        page = client.get(SHARES).text
        assert "pour ma structure" in page and "lien du coordinateur" not in page and shared_path(theirs) not in page

    def test_only_coop_roles_share(self, client, structure_manager):
        client.force_login(structure_manager)
        assert client.get(SHARES).status_code == 403
        assert client.post(SHARES, {"label": "x"}).status_code == 403


class TestShareRevoke:
    def test_get_asks_and_post_revokes(self, client, advisor_user, share):
        client.force_login(advisor_user)
        assert client.get(revoke_path(share)).status_code == 200
        share.refresh_from_db()
        assert share.is_active  # a GET changes nothing
        response = client.post(revoke_path(share))
        assert response.status_code == 302
        share.refresh_from_db()
        assert not share.is_active
        assert "Révoqué le" in client.get(SHARES).text
        assert client.get(shared_path(share)).status_code == 404

    def test_another_advisor_cannot_revoke_my_link(self, client, coordinator_user, share):
        client.force_login(coordinator_user)
        assert client.get(revoke_path(share)).status_code == 404
        assert client.post(revoke_path(share)).status_code == 404
        share.refresh_from_db()
        assert share.is_active


class TestSharedPage:
    @pytest.fixture
    def reports(self, paris_advisor):
        ActivityFactory(
            advisor=paris_advisor, collective=True, participants=9, date=TODAY, title="Atelier de Mme Dupont"
        )
        ActivityFactory(advisor=paris_advisor, date=TODAY, notes="Mme Germaine Lambert, voisine du 3e")

    def test_it_shows_the_statistics_without_any_name(self, client, paris_advisor, share, reports):
        response = client.get(shared_path(share))
        assert response.status_code == 200
        page = html.unescape(response.text)
        assert "Statistiques d'activité d'un conseiller numérique" in page
        assert paris_advisor.structure.name in page
        assert {figure.label: figure.value for figure in response.context["figures"]}["Accompagnements"] == "10"
        for name in (paris_advisor.first_name, paris_advisor.last_name, "Camille", "Conseillère", "Dupont", "Lambert"):
            assert name not in page
        assert "pour ma structure" not in page  # the label is the advisor's own note

    def test_it_is_not_indexed_nor_kept_by_shared_caches(self, client, share):
        response = client.get(shared_path(share))
        assert response["X-Robots-Tag"] == "noindex, nofollow"
        assert '<meta name="robots" content="noindex, nofollow">' in response.text
        assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
        assert response["Referrer-Policy"] == "no-referrer"
        assert not response.cookies  # nothing to accept, nothing remembered

    def test_the_period_is_the_only_filter(self, client, paris_advisor, share, reports):
        last_year = TODAY.replace(year=TODAY.year - 1)
        ActivityFactory(advisor=paris_advisor, date=last_year)
        response = client.get(
            shared_path(share),
            {"start": last_year.isoformat(), "end": last_year.isoformat(), "kind": "collectif"},
        )
        assert response.context["period"].start == last_year
        assert {figure.label: figure.value for figure in response.context["figures"]}["Accompagnements"] == "1"
        bad = client.get(shared_path(share), {"start": "2025-13-45"})
        assert bad.status_code == 200 and bad.context["filter_form"].errors

    @pytest.mark.parametrize(
        "token",
        [
            "inconnu",
            signing.Signer(salt="reporting.StatisticsShare.link").sign("0" * 32),  # well signed, no such share
            signing.Signer(salt="another.salt").sign("0" * 32),
        ],
    )
    def test_an_unknown_or_foreign_token_is_a_404(self, client, token):
        response = client.get(reverse("shared_statistics", kwargs={"token": token}))
        assert response.status_code == 404

    def test_a_tampered_token_is_a_404(self, client, share):
        token = share_token(share)
        tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
        assert client.get(reverse("shared_statistics", kwargs={"token": tampered})).status_code == 404
        other = statistics_share_create(user=share.created_by)
        swapped = f"{other.pk.hex}:{token.split(':')[1]}"  # another share's id with this share's signature
        assert client.get(reverse("shared_statistics", kwargs={"token": swapped})).status_code == 404

    def test_a_token_of_another_feature_is_a_404(self, client, share):
        candidate_token = tokens.make_token(tokens.MANAGE_CANDIDATE, 1)
        assert client.get(reverse("shared_statistics", kwargs={"token": candidate_token})).status_code == 404
        assert share_from_token(candidate_token) is None

    def test_the_last_view_is_noted_at_most_once_a_minute(self, client, share, django_assert_max_num_queries):
        client.get(shared_path(share))
        share.refresh_from_db()
        first = share.last_viewed_at
        assert first is not None
        with django_assert_max_num_queries(9) as queries:
            client.get(shared_path(share))
        assert not any(query["sql"].startswith("UPDATE") for query in queries.captured_queries)
        share.refresh_from_db()
        assert share.last_viewed_at == first
        assert statistics_share_viewed(share=share, now=first + timedelta(seconds=61))

    def test_it_is_rate_limited(self, client, share, monkeypatch):
        monkeypatch.setattr(shared, "SHARE_VIEWS_PER_HOUR", 2)
        assert client.get(shared_path(share)).status_code == 200
        assert client.get(shared_path(share)).status_code == 200
        response = client.get(shared_path(share))
        assert response.status_code == 429 and int(response["Retry-After"]) > 0
