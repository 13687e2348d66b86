"""Login lock-out, public-form rate limits and the Django admin's door: the refusals, not only the happy path."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from accounts import services
from accounts.enums import Role
from tests.accounts.factories import PASSWORD, UserFactory
from tests.territories.factories import department
from tests.workflows.test_public_forms import candidate_data
from workflows.models import AdvisorApplication

pytestmark = pytest.mark.django_db


def fail_login(client, email, times, **extra):
    for _ in range(times):
        client.post(reverse("accounts:login"), {"username": email, "password": "mauvais-mot-de-passe"}, **extra)


class TestLockout:
    def test_four_failures_still_let_the_right_password_in(self, client, prefecture_paris):
        fail_login(client, prefecture_paris.email, 4)
        response = client.post(reverse("accounts:login"), {"username": prefecture_paris.email, "password": PASSWORD})
        assert response.status_code == 302

    def test_the_lockout_page_is_french_and_keeps_refusing(self, client, prefecture_paris):
        fail_login(client, prefecture_paris.email, 5)
        for _ in range(2):
            response = client.post(
                reverse("accounts:login"), {"username": prefecture_paris.email, "password": PASSWORD}
            )
            assert response.status_code == 429
            assert "Compte temporairement bloqué" in response.text and "30 minutes" in response.text
        assert "_auth_user_id" not in client.session

    def test_the_lock_is_by_address_and_account(self, client, prefecture_paris):
        fail_login(client, prefecture_paris.email, 5, REMOTE_ADDR="203.0.113.5")
        locked = client.post(
            reverse("accounts:login"),
            {"username": prefecture_paris.email, "password": PASSWORD},
            REMOTE_ADDR="203.0.113.5",
        )
        assert locked.status_code == 429
        elsewhere = client.post(
            reverse("accounts:login"),
            {"username": prefecture_paris.email, "password": PASSWORD},
            REMOTE_ADDR="198.51.100.20",
        )
        assert elsewhere.status_code == 302


class TestPublicFormRateLimit:
    @pytest.fixture(autouse=True)
    def _fresh_counters(self):
        cache.clear()

    def test_beyond_the_limit_nothing_is_stored_and_other_addresses_are_unaffected(self, client, settings):
        settings.APPLICATION_IP_LIMIT_PER_HOUR = 2
        url = reverse("candidature:candidate")
        for index in range(2):
            response = client.post(url, candidate_data(email=f"ok{index}@perso.test"), REMOTE_ADDR="203.0.113.9")
            assert response.status_code == 302
        refused = client.post(url, candidate_data(email="refuse@perso.test"), REMOTE_ADDR="203.0.113.9")
        assert refused.status_code == 429 and "Trop de demandes" in refused.text
        assert not AdvisorApplication.objects.filter(email="refuse@perso.test").exists()
        other = client.post(url, candidate_data(email="autre@perso.test"), REMOTE_ADDR="198.51.100.3")
        assert other.status_code == 302

    def test_a_forged_forwarded_header_does_not_reset_the_count(self, client, settings):
        settings.APPLICATION_IP_LIMIT_PER_HOUR = 1
        settings.TRUST_X_FORWARDED_FOR = True
        url = reverse("candidature:candidate")
        client.post(url, candidate_data(email="a1@perso.test"), HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.9")
        refused = client.post(url, candidate_data(email="a2@perso.test"), HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.9")
        assert refused.status_code == 429


class TestDjangoAdminDoor:
    @pytest.mark.parametrize("role", [Role.EDITOR, Role.MODERATOR, Role.PREFECTURE])
    def test_staff_without_the_national_role_is_refused(self, client, role):
        user = UserFactory(is_staff=True)
        scope = {"department": department("75")} if role == Role.PREFECTURE else {}
        services.membership_grant(user=user, role=role, granted_by=None, **scope)
        client.force_login(user)
        for url in ("/django-admin/", "/django-admin/accounts/user/", "/django-admin/accounts/auditevent/"):
            response = client.get(url)
            assert response.status_code == 302 and "/django-admin/login/" in response["Location"], url

    def test_a_national_admin_working_under_another_role_is_refused(self, client, national_admin):
        editor = services.membership_grant(user=national_admin, role=Role.EDITOR, granted_by=None)
        services.role_switch(user=national_admin, membership_id=editor.pk)
        client.force_login(national_admin)
        assert client.get("/django-admin/").status_code == 302

    def test_the_audit_log_cannot_be_edited_even_there(self, client, national_admin):
        client.force_login(national_admin)
        assert client.get("/django-admin/accounts/auditevent/").status_code == 200
        assert client.get("/django-admin/accounts/auditevent/add/").status_code == 403
