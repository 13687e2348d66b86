import pytest
from django.core.exceptions import ValidationError

from directory.demo import demo_siret
from directory.validators import luhn_valid, siren_is_valid, siret_is_valid, siret_key_is_valid, validate_siret


class TestSiret:
    @pytest.mark.parametrize(
        "siret",
        [
            "73282932000074",  # a real, Luhn-valid SIRET
            "35600000000001",  # La Poste: digit sum divisible by 5, not Luhn
            "356 000 000 00001",  # typed with spaces
        ],
    )
    def test_it_accepts_valid_sirets(self, siret):
        validate_siret(siret)

    def test_it_applies_the_la_poste_exception_only_to_la_poste(self):
        assert siret_is_valid("35600000000001") and not luhn_valid("35600000000001")
        # Luhn-valid but a La Poste SIREN with a digit sum not divisible by 5: refused.
        assert luhn_valid("35600000000048") and not siret_is_valid("35600000000048")

    def test_it_rejects_a_bad_checksum(self):
        with pytest.raises(ValidationError) as error:
            validate_siret("73282932000075")
        assert error.value.code == "siret_checksum"
        assert "clé de contrôle" in error.value.messages[0]

    @pytest.mark.parametrize("siret", ["7328293200007", "732829320000741", ""])
    def test_it_rejects_a_wrong_length(self, siret):
        with pytest.raises(ValidationError) as error:
            validate_siret(siret)
        assert error.value.code in {"siret_length", "siret_digits"}

    def test_it_rejects_letters(self):
        with pytest.raises(ValidationError) as error:
            validate_siret("7328293200007A")
        assert error.value.code == "siret_digits"

    def test_demo_sirets_are_valid_and_distinct(self):
        sirets = {demo_siret(index) for index in range(1, 200)}
        assert len(sirets) == 199
        assert all(siret_is_valid(siret) for siret in sirets)


class TestSirenKey:
    """A SIRET passes both keys: the SIREN's (9th digit) and the SIRET's (14th)."""

    def test_a_siret_whose_siren_key_is_wrong_is_refused_with_its_own_message(self):
        # 732829321 fails Luhn; the 14th digit was chosen so that the whole SIRET passes it.
        assert siret_key_is_valid("73282932100072") and not siren_is_valid("732829321")
        assert not siret_is_valid("73282932100072")
        with pytest.raises(ValidationError) as error:
            validate_siret("73282932100072")
        assert error.value.code == "siren_checksum"
        assert "numéro SIREN (ses 9 premiers chiffres)" in error.value.messages[0]

    @pytest.mark.parametrize(
        "siret",
        [
            "73282932000074",
            "43493312300029",  # the lieux schema's own example
            "35600000000001",  # La Poste: its SIREN 356000000 is Luhn-valid too
            "21750001600019",  # a commune's shape (public bodies start with 2)
        ],
    )
    def test_real_shaped_numbers_pass_both_keys(self, siret):
        assert siren_is_valid(siret[:9])
        validate_siret(siret)

    def test_a_wrong_siret_key_keeps_its_message(self):
        with pytest.raises(ValidationError) as error:
            validate_siret("43493312300028")
        assert error.value.code == "siret_checksum"

    @pytest.mark.parametrize("siren", ["", "12345678", "1234567890", "12345678A", "732829321"])
    def test_bad_sirens(self, siren):
        assert not siren_is_valid(siren)
