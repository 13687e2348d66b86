"""Read-side queries on territories: commune search and postal-code lookup, shared by views, forms and pages."""

import re

from django.db.models import Q

from territories.models import Commune, PostalCode
from territories.utils import normalize_search

DEFAULT_LIMIT = 20
MAX_LIMIT = 50
# The municipal arrondissements of Paris, Lyon and Marseille are loaded as communes (see territories/data/README.md),
# next to their city (75056, 69123, 13055). Their codes are fixed by the COG.
MUNICIPAL_ARRONDISSEMENT_CODES = frozenset(
    [f"751{n:02d}" for n in range(1, 21)] + [f"6938{n}" for n in range(1, 10)] + [f"132{n:02d}" for n in range(1, 17)]
)
_DIGITS = re.compile(r"[0-9]{2,5}")
_CORSICAN_CODE = re.compile(r"2[ab][0-9]{0,3}")
# Common abbreviations, expanded as whole words: "st etienne" → "saint etienne".
_ABBREVIATIONS = {"st": "saint", "ste": "sainte"}


def is_municipal_arrondissement(code: str) -> bool:
    """Whether an INSEE code is one of the 45 arrondissements municipaux of Paris, Lyon and Marseille."""
    return code in MUNICIPAL_ARRONDISSEMENT_CODES


def commune_label(commune: Commune, postal_code: str = "") -> str:
    """Human label 'Marseille (13001, …)': the name and a postal code (the one searched for, if given)."""
    codes = list(commune.postal_codes)
    if postal_code:
        first = next((code for code in codes if code.startswith(postal_code)), "")
        codes = [first, *(code for code in codes if code != first)] if first else codes
    if not codes:
        return f"{commune.name} ({commune.department_id})"
    return f"{commune.name} ({codes[0]}, …)" if len(codes) > 1 else f"{commune.name} ({codes[0]})"


def search_communes(q: str, limit: int = DEFAULT_LIMIT) -> list[Commune]:
    """Communes matching a name prefix (accents ignored, also a word inside the name) or a postal/INSEE code prefix.

    Most populous first, at most `limit` (capped at MAX_LIMIT), department joined: one SQL query.
    """
    limit = max(1, min(int(limit), MAX_LIMIT))
    text = q.strip()
    queryset = Commune.objects.select_related("department")
    if _DIGITS.fullmatch(text):
        postal = PostalCode.objects.filter(code__startswith=text).values("commune_id")
        queryset = queryset.filter(Q(pk__in=postal) | Q(pk__startswith=text))
    elif _CORSICAN_CODE.fullmatch(text.lower()):
        queryset = queryset.filter(pk__startswith=text.upper())
    else:
        name = " ".join(_ABBREVIATIONS.get(word, word) for word in normalize_search(text).split(" "))
        if not name:
            return []
        # A prefix of the name, or of a later word ("etienne" finds "saint etienne"); the second is a scan of
        # ~35,000 short strings: a few milliseconds.
        queryset = queryset.filter(Q(search_name__startswith=name) | Q(search_name__contains=f" {name}"))
    return list(queryset.order_by("-population", "name", "code")[:limit])


def commune_for_postal_code(code: str) -> Commune | None:
    """The commune that best locates a postal code, or None.

    An arrondissement municipal if one has the code (75011 → Paris 11e Arrondissement, a closer centre than Paris),
    otherwise the most populous commune having it (a postal code may cover several communes). One SQL query.
    """
    code = (code or "").strip()
    if not re.fullmatch(r"[0-9]{5}", code):
        return None
    queryset = Commune.objects.select_related("department").filter(postal_code_rows__code=code)
    communes = list(queryset.order_by("-population", "code"))
    arrondissements = [commune for commune in communes if is_municipal_arrondissement(commune.code)]
    return (arrondissements or communes or [None])[0]


# The three cities loaded next to their arrondissements municipaux, and the INSEE prefix of those arrondissements.
CITIES_WITH_ARRONDISSEMENTS = {"75056": "751", "69123": "6938", "13055": "132"}


def arrondissement_for(commune: Commune, postal_code: str) -> Commune:
    """The arrondissement of Paris, Lyon or Marseille that a postal code designates inside its city, else the commune.

    Paris + 75011 → Paris 11e Arrondissement (75111), so that distances and exports are right inside those cities;
    any other commune, or a postal code of no arrondissement of that city, gives the commune back unchanged.
    """
    prefix = CITIES_WITH_ARRONDISSEMENTS.get(commune.code)
    if prefix is None or not postal_code:
        return commune
    found = commune_for_postal_code(postal_code)
    if found is not None and is_municipal_arrondissement(found.code) and found.code.startswith(prefix):
        return found
    return commune


def communes_named_with_postal_code(name: str, postal_code: str) -> list[Commune]:
    """The communes called `name` (accents and case ignored) that have this postal code, each refined to its
    arrondissement: "Paris" + 75011 → [Paris 11e Arrondissement]. One or two SQL queries."""
    wanted = normalize_search(name)
    communes = Commune.objects.select_related("department").filter(postal_code_rows__code=postal_code).distinct()
    named = [
        commune for commune in communes.order_by("-population", "code") if normalize_search(commune.name) == wanted
    ]
    return [arrondissement_for(commune, postal_code) for commune in named]
