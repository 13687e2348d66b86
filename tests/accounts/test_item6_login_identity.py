"""Issue 11 item 6: the lock-out counts failures against the same identity the login resolves."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from accounts.identity import axes_username, normalize_login
from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

VARIANTS = ["agent@pref.test", "AGENT@pref.test", "  Agent@Pref.Test ", "agent@PREF.test"]


def login(client, username, password="mauvais-mot-de-passe"):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


class TestItem6LoginIdentity:
    def test_item6_every_spelling_logs_in(self, client):
        UserFactory(email="agent@pref.test")
        for variant in VARIANTS:
            client.logout()
            assert login(client, variant, PASSWORD).status_code == 302, variant

    def test_item6_changing_the_case_does_not_escape_the_lockout(self, client, settings):
        UserFactory(email="agent@pref.test")
        for index in range(settings.AXES_FAILURE_LIMIT):
            login(client, VARIANTS[index % len(VARIANTS)])
        assert set(AccessAttempt.objects.values_list("username", flat=True)) == {"agent@pref.test"}
        locked = login(client, "Agent@PREF.test", PASSWORD)
        assert locked.status_code == 429 and "Compte temporairement bloqué" in locked.text

    def test_item6_a_success_resets_the_counter_of_every_spelling(self, client, settings):
        UserFactory(email="agent@pref.test")
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            login(client, "AGENT@PREF.TEST")
        assert login(client, "agent@pref.test", PASSWORD).status_code == 302
        client.logout()
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            login(client, "Agent@Pref.Test")
        assert login(client, "agent@pref.test", PASSWORD).status_code == 302

    def test_item6_the_backend_and_axes_share_one_function(self, settings, rf):
        assert settings.AXES_USERNAME_CALLABLE == "accounts.identity.axes_username"
        request = rf.post("/", {"username": " X@Y.fr "})
        assert axes_username(request, None) == normalize_login(" X@Y.fr ") == "x@y.fr"
        assert axes_username(request, {"username": "Z@Y.FR"}) == "z@y.fr"
        assert axes_username(rf.post("/", {}), None) == ""

    def test_item6_accounts_are_stored_under_the_normalised_identity(self):
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.create_user(email="  Nouvel.Agent@PREF.test ")
        assert user.email == "nouvel.agent@pref.test"
        assert get_user_model().objects.get_by_natural_key("NOUVEL.agent@pref.test") == user
