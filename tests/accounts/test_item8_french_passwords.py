"""Issue 11 item 8: common French passwords are refused too, beside Django's English list."""

import gzip
from pathlib import Path

import pytest
from django.contrib.auth.password_validation import get_default_password_validators, validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.password_validation import FrenchCommonPasswordValidator
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[2] / "accounts" / "data"

FRENCH_COMMON = [
    "motdepasse123",  # three frequent words glued together
    "Azertyuiop123!",  # the French keyboard row
    "Marseille2024!",
    "Soleil2024!!!!",
    "chouchou1234",
    "Camille1990!!",
    "B0nj0ur-l3s-4mis",  # letter substitutions are undone
    "Élodie19871987",  # accents do not hide a name
]
STRONG = ["cheval-orbite-tulipe-47", "Zq8#rT2!mW9p", "Un-mot-de-passe-tres-solide-2026", "correct-agrafe-pile-cheval"]


class TestItem8FrenchPasswords:
    @pytest.mark.parametrize("password", FRENCH_COMMON)
    def test_item8_common_french_passwords_are_refused(self, password):
        with pytest.raises(ValidationError) as error:
            validate_password(password)
        codes = {item.code for item in error.value.error_list}
        assert "password_too_common_fr" in codes

    @pytest.mark.parametrize("password", STRONG)
    def test_item8_unrelated_words_and_random_passwords_pass(self, password):
        assert validate_password(password) is None

    def test_item8_the_validator_is_configured_beside_djangos_english_list(self):
        names = [type(validator).__name__ for validator in get_default_password_validators()]
        assert names.index("FrenchCommonPasswordValidator") == names.index("CommonPasswordValidator") + 1
        assert "français" in FrenchCommonPasswordValidator().get_help_text()

    def test_item8_the_committed_lists_are_compact_and_documented(self):
        with gzip.open(DATA / "french_common_words.txt.gz", "rt", encoding="ascii") as lines:
            words = [line.strip() for line in lines]
        assert 30_000 < len(words) < 40_000 and words == sorted(words)
        assert {"soleil", "marseille", "camille", "azerty"} <= set(words)
        assert (DATA / "french_common_words.txt.gz").stat().st_size < 150_000
        readme = (DATA / "README.md").read_text()
        assert "@zxcvbn-ts/language-fr" in readme and "ODC-BY" in readme and "MIT" in readme

    def test_item8_the_reset_form_shows_the_french_error_next_to_the_field(self, client):
        from django.contrib.auth.tokens import default_token_generator
        from django.utils.encoding import force_bytes
        from django.utils.http import urlsafe_base64_encode

        user = UserFactory()
        url = reverse(
            "accounts:password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
        form_url = client.get(url, follow=True).redirect_chain[-1][0]
        response = client.post(form_url, {"new_password1": "Marseille2024!", "new_password2": "Marseille2024!"})
        assert response.status_code == 200
        assert "trop courant" in response.text and 'id="erreurs"' in response.text
        user.refresh_from_db()
        assert not user.check_password("Marseille2024!")
