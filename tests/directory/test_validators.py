import pytest
from django.core.exceptions import ValidationError

from directory.demo import demo_siret
from directory.validators import luhn_valid, siret_is_valid, validate_siret


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
