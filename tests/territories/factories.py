"""Get-or-create factories for regions, departments and communes, with real codes and names from territories/data/.

Fast: nothing is bulk-loaded; a real commune row is created on demand from the committed data file (read once per
process). Shortcuts: paris(), marseille(), ile_de_france(), paca(), paris_department(), bouches_du_rhone().
Arbitrary communes: CommuneFactory(department_code="13") makes a fictitious commune with a free code in department 13.
"""

import csv
import functools
import gzip

import factory
from factory.django import DjangoModelFactory

from territories.management.commands.load_territories import DATA_DIR
from territories.models import Commune, Department, PostalCode, Region
from territories.utils import department_code_for_commune, normalize_search


@functools.cache
def real_regions() -> dict[str, str]:
    """{code: name} of the 18 regions."""
    with (DATA_DIR / "regions.csv").open(encoding="utf-8", newline="") as handle:
        return {row["code"]: row["name"] for row in csv.DictReader(handle)}


@functools.cache
def real_departments() -> dict[str, tuple[str, str]]:
    """{code: (name, region code)} of the 101 departments."""
    with (DATA_DIR / "departments.csv").open(encoding="utf-8", newline="") as handle:
        return {row["code"]: (row["name"], row["region"]) for row in csv.DictReader(handle)}


@functools.cache
def real_communes() -> dict[str, dict]:
    """{code: row} of every commune of the data file (about 0.2 s, once per process)."""
    with gzip.open(DATA_DIR / "communes.csv.gz", "rt", encoding="utf-8", newline="") as handle:
        return {row["code"]: row for row in csv.DictReader(handle)}


@functools.cache
def _free_codes(department_code: str) -> tuple[str, ...]:
    """The commune codes of a department that no real commune has, highest first."""
    width = 5 - len(department_code)
    taken = real_communes()
    codes = (f"{department_code}{number:0{width}d}" for number in range(10**width - 1, -1, -1))
    return tuple(code for code in codes if code not in taken)


def _free_code(department_code: str, n: int) -> str:
    """The n-th free code of that department: no real commune has it, and consecutive n never share one (a batch of
    fictitious communes gets distinct rows whatever the factory sequence has reached)."""
    free = _free_codes(department_code)
    if not free:
        raise ValueError(f"Plus de code libre dans le département {department_code}")
    return free[n % len(free)]


def _real(code: str, key: str, default):
    row = real_communes().get(code)
    return row[key] if row else default


class RegionFactory(DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["code"]

    code = "11"
    name = factory.LazyAttribute(lambda o: real_regions().get(o.code, f"Région {o.code}"))


class DepartmentFactory(DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ["code"]

    code = "75"
    name = factory.LazyAttribute(lambda o: real_departments().get(o.code, (f"Département {o.code}", ""))[0])
    region = factory.LazyAttribute(lambda o: RegionFactory(code=real_departments().get(o.code, ("", "11"))[1]))


class CommuneFactory(DjangoModelFactory):
    """A real commune when `code` is a real INSEE code, else a fictitious one in `department_code` (default 75)."""

    class Meta:
        model = Commune
        django_get_or_create = ["code"]
        skip_postgeneration_save = True

    class Params:
        department_code = "75"

    code = factory.LazyAttributeSequence(lambda o, n: _free_code(o.department_code, n))
    department = factory.LazyAttribute(lambda o: DepartmentFactory(code=department_code_for_commune(o.code)))
    name = factory.LazyAttribute(lambda o: _real(o.code, "name", f"Commune test {o.code}"))
    search_name = factory.LazyAttribute(lambda o: normalize_search(o.name))
    postal_codes = factory.LazyAttribute(lambda o: _real(o.code, "postal_codes", o.code).split())
    population = factory.LazyAttribute(lambda o: int(_real(o.code, "population", 1000)))
    latitude = factory.LazyAttribute(lambda o: float(_real(o.code, "latitude", 0)) or None)
    longitude = factory.LazyAttribute(lambda o: float(_real(o.code, "longitude", 0)) or None)

    @factory.post_generation
    def postal_code_rows(self, create, extracted, **kwargs):
        """Create the PostalCode rows matching postal_codes (skipped when the commune already existed)."""
        if create:
            rows = [PostalCode(code=code, commune=self) for code in self.postal_codes]
            PostalCode.objects.bulk_create(rows, ignore_conflicts=True)


def ile_de_france() -> Region:
    return RegionFactory(code="11")


def paca() -> Region:
    return RegionFactory(code="93")


def paris_department() -> Department:
    return DepartmentFactory(code="75")


def bouches_du_rhone() -> Department:
    return DepartmentFactory(code="13")


def paris() -> Commune:
    return CommuneFactory(code="75056")


def marseille() -> Commune:
    return CommuneFactory(code="13055")


def region(code: str) -> Region:
    """The real region with this INSEE code."""
    return RegionFactory(code=code)


def department(code: str) -> Department:
    """The real department with this code."""
    return DepartmentFactory(code=code)


def commune(code: str) -> Commune:
    """The real commune with this INSEE code (from the committed data file)."""
    return CommuneFactory(code=code)
