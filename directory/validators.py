"""Validators for French business identifiers.

A SIRET is a SIREN (9 digits, its own Luhn key in the 9th) followed by a 5-digit establishment number, the 14th
digit making the whole SIRET Luhn-valid. Both keys are checked, each with its message: a SIRET mistyped in the
SIREN part can pass the SIRET key alone. La Poste's establishments (SIREN 356000000, itself Luhn-valid) are
numbered beyond what the SIRET key allows, so INSEE uses a digit sum divisible by 5 for them instead.
"""

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


def siren_is_valid(siren: str) -> bool:
    """9 digits with a valid Luhn key."""
    return len(siren) == 9 and siren.isdigit() and luhn_valid(siren)


def siret_key_is_valid(siret: str) -> bool:
    """14 digits whose SIRET key (the 14th) is right; La Poste's establishments use a digit sum divisible by 5."""
    if len(siret) != 14 or not siret.isdigit():
        return False
    if siret.startswith(LA_POSTE_SIREN):
        return sum(int(char) for char in siret) % 5 == 0
    return luhn_valid(siret)


def siret_is_valid(siret: str) -> bool:
    """14 digits whose SIREN key and SIRET key are both right."""
    return siret_key_is_valid(siret) and siren_is_valid(siret[:9])


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
    if not siren_is_valid(siret[:9]):
        raise ValidationError(
            "Ce SIRET n'est pas valide : le numéro SIREN (ses 9 premiers chiffres) a une clé de contrôle incorrecte. "
            "Vérifiez-le sur annuaire-entreprises.data.gouv.fr.",
            code="siren_checksum",
        )
    if not siret_key_is_valid(siret):
        raise ValidationError(
            "Ce SIRET n'est pas valide : vérifiez les chiffres (clé de contrôle incorrecte).", code="siret_checksum"
        )


def validate_ridet(value: str) -> None:
    """A RIDET (New Caledonia) is 7 digits, optionally followed by a 3-digit establishment number."""
    ridet = normalize_siret(value)
    if not ridet.isdigit() or len(ridet) not in (7, 10):
        raise ValidationError("Le RIDET doit comporter 7 chiffres (ou 10 avec l'établissement).", code="ridet")
