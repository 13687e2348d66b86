"""Issue 11 item 5: abuse limits that do not lock out shared connections, and one source of the client address."""

import datetime
from pathlib import Path

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from common import throttle
from common.client_address import client_ip
from tests.accounts.factories import UserFactory
from tests.config.test_deploy_settings import run_production
from tests.workflows.test_public_forms import candidate_data, structure_data
from workflows.models import AdvisorApplication, StructureApplication

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
SHARED = "203.0.113.50"  # a France Travail agency: many applicants, one address


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()
    yield
    cache.clear()


def later(monkeypatch, hours: float):
    """Move the throttles' clock forward (never the wall clock)."""
    shifted = timezone.now() + datetime.timedelta(hours=hours)
    monkeypatch.setattr(throttle.timezone, "now", lambda: shifted)


class TestItem5SharedConnections:
    def test_item5_many_applicants_behind_one_address_all_get_through(self, client, settings):
        settings.APPLICATION_RATE_LIMIT_PER_HOUR = 1
        url = reverse("candidature:candidate")
        for index in range(6):
            response = client.post(url, candidate_data(email=f"usager{index}@perso.test"), REMOTE_ADDR=SHARED)
            assert response.status_code == 302, index
        assert AdvisorApplication.objects.count() == 6

    def test_item5_refused_submissions_do_not_consume_the_quota(self, client, settings):
        settings.APPLICATION_RATE_LIMIT_PER_HOUR = 1
        settings.APPLICATION_IP_LIMIT_PER_HOUR = 2
        url = reverse("candidature:structure")
        for _ in range(5):
            assert client.post(url, structure_data(siret="1"), REMOTE_ADDR=SHARED).status_code == 400
        assert client.post(url, structure_data(), REMOTE_ADDR=SHARED).status_code == 302
        assert StructureApplication.objects.count() == 1

    def test_item5_the_same_applicant_is_limited_from_any_address(self, client, settings):
        settings.APPLICATION_RATE_LIMIT_PER_HOUR = 1
        url = reverse("candidature:candidate")
        assert client.post(url, candidate_data(), REMOTE_ADDR="198.51.100.1").status_code == 302
        AdvisorApplication.objects.all().delete()  # the duplicate check must not be what refuses
        again = client.post(url, candidate_data(email="INES.traore@perso.test"), REMOTE_ADDR="198.51.100.2")
        assert again.status_code == 429
        assert not AdvisorApplication.objects.exists()

    def test_item5_a_siret_is_an_identity_too(self, client, settings):
        settings.APPLICATION_RATE_LIMIT_PER_HOUR = 1
        url = reverse("candidature:structure")
        assert client.post(url, structure_data()).status_code == 302
        StructureApplication.objects.all().delete()  # the duplicate check must not be what refuses
        other_contact = structure_data(contact_email="autre@amandiers.test")
        response = client.post(url, other_contact, REMOTE_ADDR="198.51.100.7")
        assert response.status_code == 429

    def test_item5_the_address_ceiling_still_holds(self, client, settings):
        settings.APPLICATION_IP_LIMIT_PER_HOUR = 2
        url = reverse("candidature:candidate")
        for index in range(2):
            assert (
                client.post(url, candidate_data(email=f"c{index}@perso.test"), REMOTE_ADDR=SHARED).status_code == 302
            )
        refused = client.post(url, candidate_data(email="c9@perso.test"), REMOTE_ADDR=SHARED)
        assert refused.status_code == 429
        assert client.post(url, candidate_data(email="c9@perso.test"), REMOTE_ADDR="198.51.100.9").status_code == 302

    def test_item5_the_429_keeps_the_form_and_says_when_to_come_back(self, client, settings):
        settings.APPLICATION_RATE_LIMIT_PER_HOUR = 1
        url = reverse("candidature:candidate")
        client.post(url, candidate_data())
        AdvisorApplication.objects.all().delete()
        refused = client.post(url, candidate_data(motivation="Un texte que je ne veux pas retaper."))
        assert refused.status_code == 429
        retry = int(refused["Retry-After"])
        assert 0 < retry <= 3600
        html = refused.text
        assert "Trop de demandes" in html and "Réessayez dans" in html
        assert "Un texte que je ne veux pas retaper." in html and 'value="Inès"' in html
        assert 'id="erreurs"' in html  # the DSFR error summary

    def test_item5_the_quota_comes_back_when_the_hour_has_passed(self, client, settings, monkeypatch):
        settings.APPLICATION_RATE_LIMIT_PER_HOUR = 1
        url = reverse("candidature:candidate")
        client.post(url, candidate_data())
        AdvisorApplication.objects.all().delete()
        assert client.post(url, candidate_data()).status_code == 429
        later(monkeypatch, 1)
        assert client.post(url, candidate_data()).status_code == 302


class TestItem5PasswordReset:
    url = reverse("accounts:password_reset")

    def test_item5_reset_is_throttled_per_account(self, client, settings):
        settings.PASSWORD_RESET_LIMIT_PER_HOUR = 2
        user = UserFactory(email="agent@pref.test")
        for _ in range(2):
            assert client.post(self.url, {"email": user.email}).status_code == 302
        refused = client.post(self.url, {"email": "AGENT@pref.test"}, REMOTE_ADDR="198.51.100.4")
        assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
        assert "Trop de demandes de réinitialisation" in refused.text and 'value="AGENT@pref.test"' in refused.text
        assert len(mail.outbox) == 2

    def test_item5_reset_is_throttled_per_address_generously(self, client, settings):
        settings.PASSWORD_RESET_IP_LIMIT_PER_HOUR = 3
        for index in range(3):
            assert client.post(self.url, {"email": f"u{index}@pref.test"}, REMOTE_ADDR=SHARED).status_code == 302
        assert client.post(self.url, {"email": "u9@pref.test"}, REMOTE_ADDR=SHARED).status_code == 429
        assert client.post(self.url, {"email": "u9@pref.test"}, REMOTE_ADDR="198.51.100.8").status_code == 302

    def test_item5_an_invalid_reset_request_is_not_counted(self, client, settings):
        settings.PASSWORD_RESET_IP_LIMIT_PER_HOUR = 1
        for _ in range(3):
            assert client.post(self.url, {"email": "pas-une-adresse"}).status_code == 200
        assert client.post(self.url, {"email": "ok@pref.test"}).status_code == 302

    def test_item5_unknown_and_known_accounts_are_throttled_alike(self, client, settings):
        settings.PASSWORD_RESET_LIMIT_PER_HOUR = 1
        UserFactory(email="connu@pref.test")
        statuses = []
        for email in ("connu@pref.test", "inconnu@pref.test"):
            statuses.append([client.post(self.url, {"email": email}).status_code for _ in range(2)])
        assert statuses == [[302, 429], [302, 429]]


class TestItem5ClientAddress:
    def request(self, **meta):
        return RequestFactory().get("/", **meta)

    def test_item5_without_a_trusted_proxy_the_header_is_ignored(self, settings):
        settings.TRUST_X_FORWARDED_FOR = False
        request = self.request(REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="1.2.3.4")
        assert client_ip(request) == "203.0.113.7"

    def test_item5_two_proxies_read_the_second_entry_from_the_end(self, settings):
        settings.TRUST_X_FORWARDED_FOR = True
        settings.TRUSTED_PROXY_COUNT = 2
        request = self.request(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.1, 10.0.0.1")
        assert client_ip(request) == "198.51.100.1"
        short = self.request(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="10.0.0.1")
        assert client_ip(short) == "10.0.0.2"

    def test_item5_axes_and_the_audit_log_use_the_same_function(self, settings):
        from accounts import services

        assert settings.AXES_CLIENT_IP_CALLABLE == "common.client_address.client_ip"
        assert services.client_ip is client_ip

    def test_item5_only_one_module_reads_the_raw_headers(self):
        readers = []
        for folder in (
            "accounts",
            "common",
            "config",
            "content",
            "directory",
            "reporting",
            "territories",
            "workflows",
        ):
            for path in (ROOT / folder).rglob("*.py"):
                text = path.read_text()
                if "REMOTE_ADDR" in text or "HTTP_X_FORWARDED_FOR" in text:
                    readers.append(str(path.relative_to(ROOT)))
        assert readers == ["common/client_address.py"]

    def test_item5_the_lockout_follows_the_forwarded_address(self, client, settings):
        settings.TRUST_X_FORWARDED_FOR = True
        user = UserFactory(email="verrou@pref.test")
        for _ in range(settings.AXES_FAILURE_LIMIT):
            client.post(
                reverse("accounts:login"),
                {"username": user.email, "password": "mauvais-mot-de-passe"},
                HTTP_X_FORWARDED_FOR="198.51.100.30",
            )
        from axes.models import AccessAttempt

        assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["198.51.100.30"]


class TestItem5ProductionProxySettings:
    def test_item5_behind_a_proxy_without_forwarded_addresses_refuses_to_start(self):
        result = run_production(
            "manage.py",
            "check",
            env_overrides={"DJANGO_BEHIND_PROXY": "true", "DJANGO_TRUST_X_FORWARDED_FOR": "false"},
        )
        assert result.returncode != 0 and "DJANGO_TRUST_X_FORWARDED_FOR" in result.stderr

    def test_item5_trusting_the_header_without_a_proxy_refuses_to_start(self):
        result = run_production(
            "manage.py",
            "check",
            env_overrides={"DJANGO_BEHIND_PROXY": "false", "DJANGO_TRUST_X_FORWARDED_FOR": "true"},
        )
        assert result.returncode != 0 and "DJANGO_TRUST_X_FORWARDED_FOR" in result.stderr

    def test_item5_behind_a_proxy_the_forwarded_address_is_trusted_by_default(self):
        code = "import django; from django.conf import settings; django.setup(); print(settings.TRUST_X_FORWARDED_FOR)"
        result = run_production("-c", code)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == "True"


def test_item5_env_example_lists_the_new_variables():
    text = (ROOT / ".env.example").read_text()
    for name in (
        "APPLICATION_IP_LIMIT_PER_HOUR",
        "PASSWORD_RESET_LIMIT_PER_HOUR",
        "PASSWORD_RESET_IP_LIMIT_PER_HOUR",
        "DJANGO_TRUSTED_PROXY_COUNT",
    ):
        assert f"{name}=" in text
