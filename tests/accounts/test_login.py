import pytest
from django.core import mail
from django.urls import reverse

from tests.accounts.factories import PASSWORD

pytestmark = pytest.mark.django_db


class TestLogin:
    def test_it_logs_in_with_the_email_in_any_case(self, client, prefecture_paris):
        response = client.post(
            reverse("accounts:login"), {"username": "PAUL.prefecture@paris.gouv.fr", "password": PASSWORD}
        )
        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(prefecture_paris.pk)

    def test_it_refuses_a_wrong_password_with_a_french_message(self, client, prefecture_paris):
        response = client.post(reverse("accounts:login"), {"username": prefecture_paris.email, "password": "faux"})
        assert response.status_code == 200
        assert "Adresse e-mail ou mot de passe incorrect." in response.text
        assert "_auth_user_id" not in client.session

    def test_it_locks_the_account_after_five_failures(self, client, prefecture_paris):
        for _ in range(5):
            client.post(reverse("accounts:login"), {"username": prefecture_paris.email, "password": "faux"})
        response = client.post(reverse("accounts:login"), {"username": prefecture_paris.email, "password": PASSWORD})
        assert response.status_code == 429
        assert "_auth_user_id" not in client.session

    def test_a_lock_on_one_account_does_not_block_another(self, client, prefecture_paris, prefecture_marseille):
        for _ in range(5):
            client.post(reverse("accounts:login"), {"username": prefecture_paris.email, "password": "faux"})
        response = client.post(
            reverse("accounts:login"), {"username": prefecture_marseille.email, "password": PASSWORD}
        )
        assert response.status_code == 302

    def test_login_lands_on_the_space_of_the_active_role(self, client, national_admin):
        response = client.post(
            reverse("accounts:login"), {"username": national_admin.email, "password": PASSWORD}, follow=True
        )
        assert response.status_code == 200
        assert response.redirect_chain[0][0] == reverse("accounts:home")


class TestPasswordReset:
    def test_it_mails_a_working_link(self, client, prefecture_paris):
        client.post(reverse("accounts:password_reset"), {"email": prefecture_paris.email})
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.subject == "Renouvellement de votre mot de passe Conseiller numérique"
        link = next(line for line in message.body.splitlines() if "/connexion/mot-de-passe/" in line).strip()
        path = link.split("testserver", 1)[1] if "testserver" in link else link
        response = client.get(path, follow=True)
        assert response.status_code == 200
        new_password = "un-nouveau-mot-de-passe-solide"
        response = client.post(
            response.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password}
        )
        assert response.status_code == 302
        prefecture_paris.refresh_from_db()
        assert prefecture_paris.check_password(new_password)

    def test_it_says_nothing_about_unknown_addresses(self, client):
        response = client.post(reverse("accounts:password_reset"), {"email": "inconnu@exemple.fr"})
        assert response.status_code == 302
        assert mail.outbox == []
