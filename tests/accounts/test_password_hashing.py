"""Argon2id with the platform's parameters: new passwords use it, older hashes are upgraded at the next login.

config.settings.test hashes with MD5 for speed; these tests load the production list of hashers."""

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher, check_password, identify_hasher, make_password
from django.urls import reverse

from accounts.hashers import ProjectArgon2PasswordHasher
from config.settings import base
from tests.accounts.factories import PASSWORD
from tests.config.test_deploy_settings import run_production

OUR_PREFIX = "argon2$argon2id$v=19$m=19456,t=3,p=1$"


@pytest.fixture
def production_hashers(settings):
    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS


def log_in(client, user, password):
    return client.post(reverse("accounts:login"), {"username": user.email, "password": password})


def stored_as(user, encoded):
    type(user).objects.filter(pk=user.pk).update(password=encoded)
    user.refresh_from_db()
    return user


@pytest.mark.usefixtures("production_hashers")
class TestProductionHashers:
    def test_argon2id_with_our_parameters_comes_first(self):
        assert base.PASSWORD_HASHERS[0] == "accounts.hashers.ProjectArgon2PasswordHasher"
        assert "django.contrib.auth.hashers.Argon2PasswordHasher" not in base.PASSWORD_HASHERS
        encoded = make_password(PASSWORD)
        assert encoded.startswith(OUR_PREFIX)
        assert check_password(PASSWORD, encoded) and not check_password("faux", encoded)

    def test_the_parameters_reach_owasp_minimum(self):
        hasher = ProjectArgon2PasswordHasher()
        assert hasher.memory_cost >= 19 * 1024 and hasher.time_cost >= 2 and hasher.parallelism >= 1
        assert hasher.params().type.name == "ID"

    def test_the_production_settings_use_them(self):
        script = "import django; django.setup(); from django.conf import settings; print(settings.PASSWORD_HASHERS[0])"
        result = run_production("-c", script)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == "accounts.hashers.ProjectArgon2PasswordHasher"


@pytest.mark.django_db
@pytest.mark.usefixtures("production_hashers")
class TestUpgradeAtLogin:
    def test_a_pbkdf2_hash_becomes_argon2id_at_the_next_login(self, client, prefecture_paris):
        legacy = PBKDF2PasswordHasher().encode(PASSWORD, "s4lts4lts4lt", iterations=1000)
        user = stored_as(prefecture_paris, legacy)
        assert log_in(client, user, PASSWORD).status_code == 302
        user.refresh_from_db()
        assert user.password.startswith(OUR_PREFIX)
        assert user.check_password(PASSWORD)

    def test_a_wrong_password_upgrades_nothing(self, client, prefecture_paris):
        legacy = PBKDF2PasswordHasher().encode(PASSWORD, "s4lts4lts4lt", iterations=1000)
        user = stored_as(prefecture_paris, legacy)
        assert log_in(client, user, "pas-le-bon-mot-de-passe").status_code == 200
        user.refresh_from_db()
        assert user.password == legacy

    def test_argon2_hashes_made_with_other_parameters_are_rehashed_with_ours(self, client, prefecture_paris):
        weaker = ProjectArgon2PasswordHasher()
        weaker.time_cost, weaker.memory_cost = 2, 8 * 1024
        old = weaker.encode(PASSWORD, weaker.salt())
        assert identify_hasher(old).must_update(old)
        user = stored_as(prefecture_paris, old)
        assert log_in(client, user, PASSWORD).status_code == 302
        user.refresh_from_db()
        assert user.password.startswith(OUR_PREFIX) and user.password != old

    def test_a_current_hash_is_left_as_it_is(self, client, prefecture_paris):
        current = make_password(PASSWORD)
        user = stored_as(prefecture_paris, current)
        assert log_in(client, user, PASSWORD).status_code == 302
        user.refresh_from_db()
        assert user.password == current
