"""Rules on a followed beneficiary's data: age band from the birth year, phone and name keys, search folding."""

import re
import unicodedata

from django.utils import timezone

from reporting.enums import AgeBand
from territories.utils import normalize_search

FIRST_BIRTH_YEAR = 1900
# (minimum age, band): La Coop's thresholds 12/18/25/40/60/70, oldest first.
AGE_THRESHOLDS = (
    (70, AgeBand.FROM_70),
    (60, AgeBand.FROM_60),
    (40, AgeBand.FROM_40),
    (25, AgeBand.FROM_25),
    (18, AgeBand.FROM_18),
    (12, AgeBand.FROM_12),
    (0, AgeBand.UNDER_12),
)
_PHONE_SEPARATORS = re.compile(r"[\s.\-()]")


def age_band_for(birth_year: int | None, *, year: int | None = None) -> str:
    """The age band of someone born in `birth_year`, this year (or `year`); « non communiqué » without a year."""
    if not birth_year:
        return AgeBand.UNKNOWN
    age = (year or timezone.localdate().year) - birth_year
    return next(band for minimum, band in AGE_THRESHOLDS if age >= minimum)


def normalise_phone(text: str) -> str:
    """A phone number without separators, French numbers written 0XXXXXXXXX: « +33 6 12 » → « 0612… »."""
    compact = _PHONE_SEPARATORS.sub("", text or "")
    if compact.startswith("+33") and len(compact) == 12:
        return "0" + compact[3:]
    return compact


def format_phone(phone: str) -> str:
    """A stored French number shown in pairs (« 06 12 34 56 78 »); other numbers as stored."""
    if len(phone) == 10 and phone.isdigit():
        return " ".join(phone[index : index + 2] for index in range(0, 10, 2))
    return phone


def name_key(text: str) -> str:
    """A name compared for duplicates: lower case, no accents, no spaces, hyphens or apostrophes."""
    return normalize_search(text or "").replace(" ", "")


def fold(text: str | None) -> str | None:
    """Lower case without accents (the Python twin of the SQL folding used by the search)."""
    if text is None:
        return None
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).lower()
