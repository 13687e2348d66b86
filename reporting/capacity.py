"""Capacity of the programme at any date: posts granted, held and vacant per region, department or structure, and
the contracts and conventions ending in the next 3 and 6 months (grouped aggregates: a constant number of queries).

Posts granted on a date are the sum of the dated convention events (directory.conventions); posts held are the
contracts running on that date. The scope is the pilotage's (reporting.scopes), so a prefecture of 13 reads only 13.
"""

import calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, F, Q, Sum

from directory.models import Contract, Convention, ConventionEvent, Structure
from reporting.scopes import Scope, scope_structures
from territories.models import Department, Region

LIST_LIMIT = 50  # rows of each "ending soon" list on the page, soonest first (the export has them all)
HORIZONS = (3, 6)  # months


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it is shorter)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


@dataclass
class CapacityRow:
    """One territory (or structure): posts and what ends soon."""

    key: str
    name: str
    granted: int = 0
    held: int = 0
    contracts_3: int = 0
    contracts_6: int = 0
    conventions_3: int = 0
    conventions_6: int = 0

    @property
    def vacant(self) -> int:
        return self.granted - self.held


@dataclass
class Capacity:
    """The capacity view of a scope on a date."""

    on: date
    by: str  # region, department or structure
    rows: list[CapacityRow] = field(default_factory=list)
    total: CapacityRow = field(default_factory=lambda: CapacityRow("", "Total"))


GROUP_KEYS = {
    # by → (key through a structure, from ConventionEvent, from Contract, from Convention)
    "region": "department__region_id",
    "department": "department_id",
    "structure": "id",
}


def capacity_by(scope: Scope, on: date, by: str) -> Capacity:
    """Posts granted / held / vacant on `on` and contracts and conventions ending within 3 and 6 months of `on`,
    per region, department or structure of the scope (5 queries whatever the size of the network)."""
    key = GROUP_KEYS[by]
    structures = scope_structures(scope)
    horizon = {months: add_months(on, months) for months in HORIZONS}
    result = Capacity(on=on, by=by)
    rows: dict[str, CapacityRow] = defaultdict(lambda: CapacityRow("", ""))

    granted = (
        ConventionEvent.objects.filter(
            convention__structure__in=structures,
            convention__start__lte=on,
            convention__end__gte=on,
            effective_on__lte=on,
        )
        .values(group=_through("convention__structure__", key))
        .annotate(posts=Sum("delta"))
        .order_by()
    )
    for row in granted:
        rows[str(row["group"])].granted = row["posts"] or 0

    contracts = (
        Contract.objects.filter(structure__in=structures)
        .held_on(on)
        .values(group=_through("structure__", key))
        .annotate(
            held=Count("pk"),
            ending_3=Count("pk", filter=Q(end__gte=on, end__lte=horizon[3])),
            ending_6=Count("pk", filter=Q(end__gte=on, end__lte=horizon[6])),
        )
        .order_by()
    )
    for row in contracts:
        target = rows[str(row["group"])]
        target.held, target.contracts_3, target.contracts_6 = row["held"], row["ending_3"], row["ending_6"]

    conventions = (
        Convention.objects.filter(structure__in=structures)
        .ending_between(on, horizon[6])
        .filter(start__lte=on)
        .values(group=_through("structure__", key))
        .annotate(ending_3=Count("pk", filter=Q(end__lte=horizon[3])), ending_6=Count("pk"))
        .order_by()
    )
    for row in conventions:
        target = rows[str(row["group"])]
        target.conventions_3, target.conventions_6 = row["ending_3"], row["ending_6"]

    names = _names(by, [k for k in rows if k not in ("", "None")])
    for code, row in rows.items():
        if code in ("", "None"):
            continue
        row.key, row.name = code, names.get(code, code)
        result.rows.append(row)
    result.rows.sort(key=lambda row: (row.name.lower(), row.key) if by == "structure" else row.key)
    for row in result.rows:
        for name in ("granted", "held", "contracts_3", "contracts_6", "conventions_3", "conventions_6"):
            setattr(result.total, name, getattr(result.total, name) + getattr(row, name))
    return result


def _through(prefix: str, key: str) -> F:
    """The grouping column reached from a row through its structure (`prefix`): e.g. structure__department_id."""
    return F(f"{prefix}{key}" if key != "id" else prefix.rstrip("_"))


def _names(by: str, keys: list[str]) -> dict[str, str]:
    if by == "region":
        return dict(Region.objects.filter(code__in=keys).values_list("code", "name"))
    if by == "department":
        return dict(Department.objects.filter(code__in=keys).values_list("code", "name"))
    return {str(pk): name for pk, name in Structure.objects.filter(pk__in=keys).values_list("pk", "name")}


def contracts_ending(scope: Scope, on: date, months: int = 6):
    """The contracts running on `on` whose end falls within `months` of it, soonest first."""
    return (
        Contract.objects.filter(structure__in=scope_structures(scope))
        .held_on(on)
        .filter(end__gte=on, end__lte=add_months(on, months))
        .select_related("advisor", "structure")
        .order_by("end", "pk")
    )


def conventions_ending(scope: Scope, on: date, months: int = 6):
    """The conventions in force on `on` (not renewed) whose end falls within `months` of it, soonest first."""
    return (
        Convention.objects.filter(structure__in=scope_structures(scope), start__lte=on)
        .ending_between(on, add_months(on, months))
        .select_related("structure")
        .order_by("end", "pk")
    )
