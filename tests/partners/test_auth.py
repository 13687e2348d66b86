"""Bearer tokens of /api/partenaires/: validity, revocation, rights, rate limit per token, the log of every call."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

from accounts.enums import AuditAction
from accounts.models import AuditEvent
from config.logfilters import scrub
from partners import auth
from partners.enums import Right, ScopeLevel
from partners.middleware import safe_query_string
from partners.models import ApiCall, ApiToken
from tests.partners.factories import bearer, make_token

pytestmark = pytest.mark.django_db

PLACES = "/api/partenaires/lieux/"


def message(response) -> str:
    """The French sentence of an API error, whatever the envelope (the shared error shape of config/api.py)."""
    body = response.json()
    return str(body.get("message") or body.get("detail"))


class TestAuthentication:
    def test_a_valid_token_reads_and_its_last_use_is_recorded(self, client):
        token, secret = make_token()
        response = client.get(PLACES, headers=bearer(secret))
        assert response.status_code == 200
        token.refresh_from_db()
        assert token.last_used_at is not None

    def test_no_header_is_refused_with_the_way_to_send_one(self, client):
        response = client.get(PLACES)
        assert response.status_code == 401
        assert "Authorization: Bearer" in message(response)
        assert response["WWW-Authenticate"] == 'Bearer realm="api-partenaires"'

    @pytest.mark.parametrize("header", ["Basic dXNlcjpwYXNz", "Bearer", "Bearer    ", "Token abc"])
    def test_a_malformed_header_is_refused(self, client, header):
        response = client.get(PLACES, headers={"Authorization": header})
        assert response.status_code == 401
        assert "Authorization" in message(response)

    def test_an_unknown_token_is_refused(self, client):
        token, secret = make_token()
        forged = secret[:-1] + ("a" if secret[-1] != "a" else "b")  # right prefix, wrong secret
        for candidate in (forged, "x" * 48, "court"):
            response = client.get(PLACES, headers=bearer(candidate))
            assert response.status_code == 401
            assert message(response).startswith("Jeton inconnu")
        assert ApiCall.objects.filter(token=token).count() == 0  # a wrong secret is not the token's call

    def test_a_session_does_not_open_the_partner_api(self, client, national_admin):
        client.force_login(national_admin)
        assert client.get(PLACES).status_code == 401

    def test_a_revoked_token_is_refused_at_once(self, client):
        token, secret = make_token()
        assert client.get(PLACES, headers=bearer(secret)).status_code == 200
        ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
        response = client.get(PLACES, headers=bearer(secret))
        assert response.status_code == 401
        assert "révoqué" in message(response)

    def test_an_expired_token_is_refused(self, client):
        now = timezone.now()
        _, secret = make_token(valid_from=now - timedelta(days=30), expires_at=now - timedelta(seconds=1))
        response = client.get(PLACES, headers=bearer(secret))
        assert response.status_code == 401
        assert "expiré" in message(response)

    def test_a_token_dated_in_the_future_is_refused_until_its_date(self, client):
        start = timezone.now() + timedelta(days=3)
        token, secret = make_token(valid_from=start)
        response = client.get(PLACES, headers=bearer(secret))
        assert response.status_code == 401
        assert "ne sera valable qu'à partir du" in message(response)
        ApiToken.objects.filter(pk=token.pk).update(valid_from=timezone.now() - timedelta(seconds=1))
        assert client.get(PLACES, headers=bearer(secret)).status_code == 200

    def test_the_status_of_a_token_is_told_only_to_its_holder(self, client):
        token, secret = make_token(revoked_at=timezone.now())
        wrong = token.prefix + "0" * 40
        assert message(client.get(PLACES, headers=bearer(wrong))).startswith("Jeton inconnu")

    def test_last_use_is_written_at_most_once_a_minute(self, client):
        token, secret = make_token()
        client.get(PLACES, headers=bearer(secret))
        first = ApiToken.objects.get(pk=token.pk).last_used_at
        client.get(PLACES, headers=bearer(secret))
        assert ApiToken.objects.get(pk=token.pk).last_used_at == first
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(minutes=2))
        client.get(PLACES, headers=bearer(secret))
        assert ApiToken.objects.get(pk=token.pk).last_used_at > first


class TestRights:
    @pytest.mark.parametrize(
        ("path", "right"),
        [
            ("/api/partenaires/statistiques/", Right.STATISTICS),
            ("/api/partenaires/lieux/", Right.PLACES),
            ("/api/partenaires/lieux/suppressions/", Right.PLACES),
            ("/api/partenaires/structures/", Right.STRUCTURES),
            ("/api/partenaires/structures/suppressions/", Right.STRUCTURES),
            ("/api/partenaires/conseillers/", Right.ADVISORS),
            ("/api/partenaires/conseillers/suppressions/", Right.ADVISORS),
        ],
    )
    def test_each_endpoint_needs_its_right(self, client, path, right):
        _, without = make_token(rights=[value for value in Right.values if value != right])
        _, only = make_token(rights=[right])
        refused = client.get(path, headers=bearer(without))
        assert refused.status_code == 403
        assert message(refused) == auth.RIGHT_MESSAGES[right]
        assert client.get(path, headers=bearer(only)).status_code == 200


class TestRateLimit:
    def test_over_the_limit_a_token_gets_429_with_retry_after(self, client):
        _, secret = make_token(rate_limit=3)
        statuses = [client.get(PLACES, headers=bearer(secret)).status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        refused = client.get(PLACES, headers=bearer(secret))
        assert refused.status_code == 429
        assert 1 <= int(refused["Retry-After"]) <= 60

    def test_the_limit_is_per_token_not_per_address(self, client):
        _, busy = make_token(rate_limit=2)
        _, quiet = make_token(rate_limit=2)
        for _ in range(2):
            client.get(PLACES, headers=bearer(busy), REMOTE_ADDR="192.0.2.1")
        # The same token from another address is still over its limit…
        assert client.get(PLACES, headers=bearer(busy), REMOTE_ADDR="198.51.100.7").status_code == 429
        # …and another token from the same address is not.
        assert client.get(PLACES, headers=bearer(quiet), REMOTE_ADDR="192.0.2.1").status_code == 200

    def test_the_window_resets(self, client):
        _, secret = make_token(rate_limit=1)
        assert client.get(PLACES, headers=bearer(secret)).status_code == 200
        assert client.get(PLACES, headers=bearer(secret)).status_code == 429
        cache.clear()  # the next one-minute window
        assert client.get(PLACES, headers=bearer(secret)).status_code == 200

    def test_repeated_bad_tokens_from_one_address_are_slowed_down_before_any_lookup(
        self, client, django_assert_max_num_queries
    ):
        for _ in range(auth.FAILED_PER_MINUTE):
            assert client.get(PLACES, headers=bearer("x" * 48), REMOTE_ADDR="203.0.113.9").status_code == 401
        with django_assert_max_num_queries(1):  # the INSERT of the log only
            refused = client.get(PLACES, headers=bearer("y" * 48), REMOTE_ADDR="203.0.113.9")
        assert refused.status_code == 429
        assert int(refused["Retry-After"]) >= 1
        _, secret = make_token()
        assert client.get(PLACES, headers=bearer(secret), REMOTE_ADDR="192.0.2.200").status_code == 200


class TestAudit:
    def test_every_call_is_logged_once_refused_ones_included(self, client):
        token, secret = make_token(rate_limit=2, rights=[Right.PLACES])
        client.get(PLACES + "?limit=5", headers=bearer(secret), REMOTE_ADDR="192.0.2.44")  # 200
        client.get("/api/partenaires/structures/", headers=bearer(secret))  # 403
        client.get(PLACES, headers=bearer(secret))  # 429
        client.get(PLACES)  # 401, no token
        client.get(PLACES, headers=bearer(token.prefix + "z" * 40))  # 401, unknown secret with a known prefix
        client.get("/api/partenaires/inconnu/", headers=bearer(secret))  # 404
        rows = list(ApiCall.objects.order_by("pk"))
        assert [(row.status, row.token_id) for row in rows] == [
            (200, token.pk),
            (403, token.pk),
            (429, token.pk),
            (401, None),
            (401, None),
            (404, None),
        ]
        first = rows[0]
        assert (first.method, first.path, first.query_string) == ("GET", PLACES, "limit=5")
        assert first.client_ip == "192.0.2.44"
        assert first.prefix == token.prefix and first.duration_ms >= 0
        assert rows[3].prefix == "" and rows[4].prefix == token.prefix

    def test_a_refused_token_is_logged_with_its_token(self, client):
        token, secret = make_token(revoked_at=timezone.now())
        client.get(PLACES, headers=bearer(secret))
        assert ApiCall.objects.get().token_id == token.pk

    def test_no_secret_is_ever_stored_in_the_log(self, client):
        token, secret = make_token()
        client.get(f"{PLACES}?token={secret}&limit=2&jeton=abc", headers=bearer(secret))
        client.get(f"/api/partenaires/{secret}/", headers=bearer(secret))
        client.get(f"{PLACES}?q={secret}")
        for row in ApiCall.objects.all():
            assert secret not in " ".join(str(value) for value in vars(row).values())
        assert ApiCall.objects.order_by("pk").first().query_string == "token=[masqué]&limit=2&jeton=[masqué]"

    def test_a_secret_pasted_in_a_path_or_a_header_is_masked_in_the_logs(self):
        _, secret = make_token()
        for line in (f"Not Found: /api/partenaires/{secret}/", f"Authorization: Bearer {secret}", f"?q={secret}&x=1"):
            assert secret not in scrub(line)
        assert scrub("Not Found: /api/partenaires/lieux/") == "Not Found: /api/partenaires/lieux/"

    def test_the_query_string_keeps_its_ordinary_parameters(self):
        assert safe_query_string("updated_since=2026-12-01T00:00:00%2B01:00&limit=50") == (
            "updated_since=2026-12-01T00:00:00%2B01:00&limit=50"
        )
        assert safe_query_string("") == ""
        assert safe_query_string("api_key=1&Authorization=2&x") == "api_key=[masqué]&Authorization=[masqué]&x"
        secret = "A1b2" * 12
        assert safe_query_string(f"q={secret}&{secret}") == "q=[masqué]&[masqué]"

    def test_logging_a_call_costs_one_insert_and_no_select(self, client, django_assert_num_queries):
        _, secret = make_token(rights=[Right.STATISTICS])
        client.get("/api/partenaires/lieux/", headers=bearer(secret))  # warms last_used_at
        # Token lookup, then the INSERT of the log: the 403 reads nothing else.
        with django_assert_num_queries(2) as captured:
            client.get("/api/partenaires/lieux/", headers=bearer(secret))
        assert captured.captured_queries[-1]["sql"].startswith("INSERT")


class TestRetention:
    def test_calls_older_than_the_retention_are_purged_and_the_run_audited(self, settings):
        settings.PARTNER_API_CALLS_RETENTION_MONTHS = 12
        token, _ = make_token(level=ScopeLevel.DEPARTMENT, code="75")
        now = timezone.now()
        old = ApiCall.objects.create(token=token, method="GET", path="/a/", status=200, duration_ms=1)
        ApiCall.objects.filter(pk=old.pk).update(at=now - timedelta(days=400))
        recent = ApiCall.objects.create(token=token, method="GET", path="/b/", status=200, duration_ms=1)
        call_command("purge_api_calls", verbosity=0)
        assert ApiCall.objects.count() == 2  # dry run by default
        call_command("purge_api_calls", "--apply", verbosity=0)
        assert list(ApiCall.objects.values_list("pk", flat=True)) == [recent.pk]
        event = AuditEvent.objects.get(action=AuditAction.API_CALLS_PURGED)
        assert event.details["count"] == 1 and event.details["months"] == 12
        call_command("purge_api_calls", "--apply", verbosity=0)
        assert ApiCall.objects.count() == 1
        assert ApiToken.objects.filter(pk=token.pk).exists()
