"""Validators for French business identifiers."""

from django.core.exceptions import ValidationError

from common.text import normalize_siret

LA_POSTE_SIREN = "356000000"


def luhn_valid(digits: str) -> bool:
    """Return True when a string of digits passes the Luhn checksum."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def siret_is_valid(siret: str) -> bool:
    """14 digits with a valid Luhn key; La Poste's establishments use a digit sum divisible by 5 instead."""
    if len(siret) != 14 or not siret.isdigit():
        return False
    if siret.startswith(LA_POSTE_SIREN):
        return sum(int(char) for char in siret) % 5 == 0
    return luhn_valid(siret)


def validate_siret(value: str) -> None:
    """Raise a French validation error when the SIRET is malformed or its checksum is wrong."""
    siret = normalize_siret(value)
    if not siret.isdigit():
        raise ValidationError("Le SIRET ne doit contenir que des chiffres.", code="siret_digits")
    if len(siret) != 14:
        raise ValidationError(
            "Le SIRET doit comporter 14 chiffres (%(count)s saisis).",
            code="siret_length",
            params={"count": len(siret)},
        )
    if not siret_is_valid(siret):
        raise ValidationError(
            "Ce SIRET n'est pas valide : vérifiez les chiffres (clé de contrôle incorrecte).", code="siret_checksum"
        )


def validate_ridet(value: str) -> None:
    """A RIDET (New Caledonia) is 7 digits, optionally followed by a 3-digit establishment number."""
    ridet = normalize_siret(value)
    if not ridet.isdigit() or len(ridet) not in (7, 10):
        raise ValidationError("Le RIDET doit comporter 7 chiffres (ou 10 avec l'établissement).", code="ridet")
