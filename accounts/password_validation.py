"""Refuse passwords built on common French words and names (Django's own list is English)."""

import gzip
import re
import unicodedata
from functools import cache
from pathlib import Path

from django.core.exceptions import ValidationError

DATA = Path(__file__).resolve().parent / "data"
# Digits and symbols people use for letters; applied once the digits around the word are set aside.
LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "€": "e"})


@cache
def _words(name: str) -> frozenset[str]:
    with gzip.open(DATA / f"{name}.txt.gz", "rt", encoding="ascii") as lines:
        return frozenset(line.strip() for line in lines if line.strip())


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in text if not unicodedata.combining(char))


def _core(password: str) -> str:
    """The letters left once the digits and symbols around the password are set aside: « Soleil2024! » → soleil."""
    folded = re.sub(r"^[^a-z]+|[^a-z]+$", "", _fold(password))
    return re.sub(r"[^a-z]", "", folded.translate(LEET))


def _is_few_frequent_words(core: str, parts: int = 3) -> bool:
    """True when the letters are at most `parts` very frequent words glued together (« motdepasse »)."""
    frequent = _words("french_frequent_words")
    if core in frequent:
        return True
    if parts == 1:
        return False
    return any(
        core[:cut] in frequent and _is_few_frequent_words(core[cut:], parts - 1) for cut in range(2, len(core) - 1)
    )


class FrenchCommonPasswordValidator:
    """Refuse a common French word, name or up to three frequent words, whatever digits and symbols surround it."""

    def validate(self, password, user=None):
        core = _core(password)
        if len(core) >= 4 and (core in _words("french_common_words") or _is_few_frequent_words(core)):
            raise ValidationError(
                "Ce mot de passe repose sur un mot ou un prénom français trop courant, même avec des chiffres ou des "
                "symboles autour. Choisissez par exemple plusieurs mots sans lien entre eux.",
                code="password_too_common_fr",
            )

    def get_help_text(self):
        return "Votre mot de passe ne peut pas reposer sur un mot ou un prénom français courant."
