import pytest
from django.test import override_settings

from tests.accounts.factories import UserFactory


@pytest.fixture
def backend():
    with override_settings(
        OIDC_RP_CLIENT_ID="client",
        OIDC_RP_CLIENT_SECRET="secret",
        OIDC_OP_TOKEN_ENDPOINT="https://proconnect.test/token",
        OIDC_OP_USER_ENDPOINT="https://proconnect.test/userinfo",
        OIDC_OP_JWKS_ENDPOINT="https://proconnect.test/jwks",
        OIDC_RP_SIGN_ALGO="RS256",
    ):
        from accounts.oidc import ProConnectBackend

        yield ProConnectBackend()


@pytest.mark.django_db
class TestProConnectMatching:
    def test_it_matches_an_invited_user_by_email_whatever_the_case(self, backend):
        user = UserFactory(email="agent.prefecture@paris.gouv.fr")
        assert list(backend.filter_users_by_claims({"email": "Agent.Prefecture@PARIS.gouv.fr"})) == [user]

    def test_it_ignores_deactivated_accounts_and_missing_emails(self, backend):
        UserFactory(email="ancien@paris.gouv.fr", is_active=False)
        assert not backend.filter_users_by_claims({"email": "ancien@paris.gouv.fr"}).exists()
        assert not backend.filter_users_by_claims({"sub": "123"}).exists()
        assert backend.verify_claims({"sub": "123"}) is False

    def test_it_never_creates_an_account(self, backend):
        assert backend.create_user({"email": "inconnu@exemple.gouv.fr"}) is None

    def test_it_fills_an_empty_name_from_the_claims_only(self, backend):
        user = UserFactory(first_name="", last_name="Déjà")
        backend.update_user(user, {"given_name": "Agathe", "usual_name": "Autre"})
        user.refresh_from_db()
        assert (user.first_name, user.last_name) == ("Agathe", "Déjà")
