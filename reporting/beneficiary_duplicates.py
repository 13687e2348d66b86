"""Duplicate followed beneficiaries, La Coop's rule: one point each for the same last name, first name (compared
without accents, case, spaces or hyphens), phone and e-mail; two points or more make a likely duplicate.

How it scales: one query reads five short columns of the advisor's followed people; each person goes into the
buckets of the six pairs of fields she has (last+first, last+phone, … phone+e-mail), so that two people with two
equal fields always share a bucket. Time and memory are linear in the number of people plus the pairs found; a
bucket is read up to BUCKET_CAP people (a family of homonyms sharing one phone does not explode into thousands of
pairs) and the page shows at most PAIRS_SHOWN pairs. A few thousand people take milliseconds, in Python or SQL alike.
"""

from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations

from reporting.beneficiary_rules import name_key, normalise_phone

FIELDS = ("last", "first", "phone", "email")
FIELD_LABELS = {"last": "même nom", "first": "même prénom", "phone": "même téléphone", "email": "même e-mail"}
KEY_PAIRS = tuple(combinations(FIELDS, 2))
THRESHOLD = 2
BUCKET_CAP = 50
PAIRS_SHOWN = 100


@dataclass(frozen=True)
class Person:
    """The comparison keys of one person (pk None for a row of a file being imported)."""

    pk: int | None
    last: str
    first: str
    phone: str
    email: str

    COLUMNS = ("last_name", "first_name", "phone", "email")

    @classmethod
    def of(cls, pk, last_name, first_name, phone, email) -> "Person":
        return cls(pk, name_key(last_name), name_key(first_name), normalise_phone(phone), (email or "").lower())


def reasons(a: Person, b: Person) -> list[str]:
    """The fields two people share (non-empty and equal)."""
    return [field for field in FIELDS if getattr(a, field) and getattr(a, field) == getattr(b, field)]


def _bucket_keys(person: Person):
    for fields in KEY_PAIRS:
        values = tuple(getattr(person, field) for field in fields)
        if all(values):
            yield fields, values


class DuplicateIndex:
    """People indexed by their pairs of fields, to find the likely duplicates of one person in constant time."""

    def __init__(self, people=()):
        self.buckets = defaultdict(list)
        for person in people:
            self.add(person)

    def add(self, person: Person) -> None:
        for key in _bucket_keys(person):
            self.buckets[key].append(person)

    def matches(self, person: Person) -> list[tuple[Person, list[str]]]:
        """The indexed people sharing at least THRESHOLD fields with `person`, most similar first."""
        found = {}
        for key in _bucket_keys(person):
            for other in self.buckets.get(key, [])[:BUCKET_CAP]:
                if other is not person and id(other) not in found:
                    found[id(other)] = (other, reasons(person, other))
        return sorted(found.values(), key=lambda item: -len(item[1]))

    def pairs(self) -> list[tuple[Person, Person, list[str]]]:
        """Every pair of indexed people sharing at least THRESHOLD fields, most similar first."""
        seen, result = set(), []
        for members in self.buckets.values():
            for a, b in combinations(members[:BUCKET_CAP], 2):
                key = (min(a.pk, b.pk), max(a.pk, b.pk))
                if key not in seen:
                    seen.add(key)
                    result.append((a, b, reasons(a, b)) if a.pk < b.pk else (b, a, reasons(a, b)))
        result.sort(key=lambda pair: (-len(pair[2]), pair[0].pk, pair[1].pk))
        return result


def duplicate_pairs(beneficiaries) -> list[tuple[int, int, list[str]]]:
    """The likely duplicate pairs (pk, pk, shared fields) among a queryset of beneficiaries (one query)."""
    rows = beneficiaries.values_list("pk", *Person.COLUMNS)
    index = DuplicateIndex(Person.of(*row) for row in rows)
    return [(a.pk, b.pk, shared) for a, b, shared in index.pairs()]
