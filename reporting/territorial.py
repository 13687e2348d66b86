"""Territorial indicators of the pilotage: activity by region, department, structure or advisor, and the network
(posts granted, advisors recruited, active, activated, structures by type, QPV/ZRR), with a constant number of queries.

Activity comes from the rollups like every indicator (reporting/selectors.py); the network comes from the directory
through reporting.scopes.scope_structures / scope_advisors, so a dashboard and its territorial table always agree.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from directory.enums import AdvisorStatus, StructureStatus, StructureType
from directory.models import Advisor, Structure
from reporting import aggregation
from reporting.indicators import fr_number
from reporting.models import Activity, RollupLevel
from reporting.scopes import Scope, scope_advisors, scope_structures
from reporting.selectors import Filters, Period, department_level
from territories.models import Department, Region

ACTIVATION_DAYS = 30
BREAKDOWN_COUNTERS = ("activities", "accompaniments", "already_accompanied")
# Breakdown key → (rollup column, raw column).
BREAKDOWN_COLUMNS = {
    "region": ("region", "region_id"),
    "department": ("department", "department_id"),
    "structure": ("structure_id", "structure_id"),
    "advisor": ("advisor_id", "advisor_id"),
}


def _level(scope: Scope, filters: Filters, by: str) -> int | None:
    """The month rollup that has the `by` key for this scope, or None when the raw reports must be read."""
    if getattr(filters, "tag", None):
        return None  # no rollup has tag keys
    territorial = scope.level in (Scope.NATIONAL, Scope.REGIONS, Scope.DEPARTMENTS)
    if by in ("region", "department") and territorial:
        return department_level(filters)
    if filters.theme:
        return None  # the advisor level has no theme rows (reporting/rollups.py)
    return RollupLevel.ADVISOR_MONTH


def activity_by(scope: Scope, period: Period, filters: Filters, by: str, *, today: date | None = None) -> dict:
    """{key: {activities, accompaniments, already_accompanied}} of a scope over a period, per region, department,
    structure or advisor (at most 2 queries: whole months from a rollup, edges from the raw reports)."""
    totals: dict = defaultdict(lambda: dict.fromkeys(BREAKDOWN_COUNTERS, 0))
    if scope.is_empty or period.start > period.end:
        return totals
    today = today or timezone.localdate()
    rollup_column, raw_column = BREAKDOWN_COLUMNS[by]
    level = _level(scope, filters, by)
    whole, edges = period.split(today)
    if level is None:
        whole, edges = None, [(period.start, period.end)]
    sources = []
    if whole:
        rows = aggregation.rollup_totals(level, scope, filters, *whole, [rollup_column], BREAKDOWN_COUNTERS)
        sources.append((rows, rollup_column))
    if edges:
        sources.append((aggregation.raw_totals(scope, filters, edges, [raw_column], BREAKDOWN_COUNTERS), raw_column))
    for rows, column in sources:
        for row in rows:
            key = str(row[column] or "")
            if not key or key == "0":
                continue
            for name in BREAKDOWN_COUNTERS:
                totals[key][name] += row[name] or 0
    return totals


@dataclass
class NetworkCounts:
    """The network of one territory (or of a whole scope)."""

    posts_granted: int = 0
    recruited: int = 0
    active: int = 0
    activated: int = 0

    @property
    def pending(self) -> int:
        return max(0, self.active - self.activated)

    @property
    def activation_rate(self) -> int | None:
        """Share (%) of active advisors with a report in the last 30 days; None without active advisors."""
        return round(100 * self.activated / self.active) if self.active else None


def _structure_filter(filters: Filters) -> Q:
    return Q(type=filters.structure_type) if filters.structure_type else Q()


def _advisor_filter(filters: Filters) -> Q:
    return Q(structure__type=filters.structure_type) if filters.structure_type else Q()


def network_by(scope: Scope, filters: Filters, by: str, *, today: date | None = None) -> dict[str, NetworkCounts]:
    """{region or department code: NetworkCounts} of a scope (2 queries)."""
    today = today or timezone.localdate()
    key = "department_id" if by == "department" else "department__region_id"
    counts: dict[str, NetworkCounts] = defaultdict(NetworkCounts)
    structures = scope_structures(scope).filter(_structure_filter(filters), status=StructureStatus.VALIDATED)
    for row in structures.values(key).annotate(posts=Coalesce(Sum("posts_granted"), 0)).order_by():
        counts[row[key]].posts_granted = row["posts"]
    recent = Activity.objects.current().filter(
        advisor=OuterRef("pk"), date__gte=today - timedelta(days=ACTIVATION_DAYS)
    )
    advisors = scope_advisors(scope).filter(_advisor_filter(filters), structure__isnull=False)
    rows = (
        advisors.values(f"structure__{key}")
        .annotate(
            recruited=Count("pk"),
            active=Count("pk", filter=Q(status=AdvisorStatus.ACTIVE)),
            activated=Count("pk", filter=Q(Exists(recent), status=AdvisorStatus.ACTIVE)),
        )
        .order_by()
    )
    for row in rows:
        entry = counts[row[f"structure__{key}"]]
        entry.recruited, entry.active, entry.activated = row["recruited"], row["active"], row["activated"]
    return counts


@dataclass
class TerritoryRow:
    """One line of the territorial table."""

    code: str
    name: str
    activities: int
    accompaniments: int
    people: int
    network: NetworkCounts

    @property
    def posts_granted(self) -> int:
        return self.network.posts_granted

    @property
    def recruited(self) -> int:
        return self.network.recruited

    @property
    def active(self) -> int:
        return self.network.active

    @property
    def activated(self) -> int:
        return self.network.activated

    @property
    def activation_rate(self) -> int | None:
        return self.network.activation_rate


SORT_KEYS = {
    "code": lambda row: row.code,
    "nom": lambda row: row.name,
    "cra": lambda row: row.activities,
    "personnes": lambda row: row.people,
    "accompagnements": lambda row: row.accompaniments,
    "postes": lambda row: row.posts_granted,
    "recrutes": lambda row: row.recruited,
    "actifs": lambda row: row.active,
    "activation": lambda row: -1 if row.activation_rate is None else row.activation_rate,
}


def territories(scope: Scope, by: str) -> list[tuple[str, str]]:
    """[(code, name)] of the departments or regions a scope covers (1 query)."""
    if by == "region":
        regions = Region.objects.order_by("code")
        if scope.level == Scope.REGIONS:
            regions = regions.filter(code__in=scope.ids)
        elif scope.level == Scope.DEPARTMENTS:
            regions = regions.filter(departments__in=scope.ids).distinct()
        elif scope.level != Scope.NATIONAL:
            regions = regions.filter(departments__structures__in=scope_structures(scope)).distinct()
        return list(regions.values_list("code", "name"))
    departments = Department.objects.order_by("code")
    if scope.level == Scope.REGIONS:
        departments = departments.filter(region__in=scope.ids)
    elif scope.level == Scope.DEPARTMENTS:
        departments = departments.filter(code__in=scope.ids)
    elif scope.level != Scope.NATIONAL:
        departments = departments.filter(structures__in=scope_structures(scope)).distinct()
    return list(departments.values_list("code", "name"))


def territorial_table(
    scope: Scope, period: Period, filters: Filters, by: str, *, sort: str = "code", descending: bool = False
) -> list[TerritoryRow]:
    """Activity and network per department or region of a scope, sorted (5 queries at most)."""
    activity = activity_by(scope, period, filters, by)
    network = network_by(scope, filters, by)
    rows = []
    for code, name in territories(scope, by):
        counts = activity.get(code) or dict.fromkeys(BREAKDOWN_COUNTERS, 0)
        rows.append(
            TerritoryRow(
                code=code,
                name=name,
                activities=counts["activities"],
                accompaniments=counts["accompaniments"],
                people=counts["accompaniments"] - counts["already_accompanied"],
                network=network.get(code) or NetworkCounts(),
            )
        )
    rows.sort(key=SORT_KEYS.get(sort, SORT_KEYS["code"]), reverse=descending)
    return rows


def network_totals(scope: Scope, filters: Filters, *, today: date | None = None) -> NetworkCounts:
    """The network of a whole scope (2 queries)."""
    total = NetworkCounts()
    for counts in network_by(scope, filters, "department", today=today).values():
        total.posts_granted += counts.posts_granted
        total.recruited += counts.recruited
        total.active += counts.active
        total.activated += counts.activated
    return total


@dataclass(frozen=True)
class StructureProfile:
    """Validated structures of a scope by type, and those in QPV, in ZRR or labelled France Services."""

    by_type: list[tuple[str, int]]
    total: int
    qpv: int
    zrr: int
    france_services: int
    advisors_qpv: int
    advisors_zrr: int


def structure_profile(scope: Scope, filters: Filters) -> StructureProfile:
    """Structures by type and QPV/ZRR counts (2 queries)."""
    structures = scope_structures(scope).filter(_structure_filter(filters), status=StructureStatus.VALIDATED)
    counts = dict(structures.values_list("type").annotate(n=Count("pk")).order_by())
    flags = structures.aggregate(
        in_qpv=Count("pk", distinct=True, filter=Q(qpv=True)),
        in_zrr=Count("pk", distinct=True, filter=Q(zrr=True)),
        labelled=Count("pk", distinct=True, filter=Q(france_services_label=True)),
        advisors_in_qpv=Count("advisors", filter=Q(qpv=True, advisors__status=AdvisorStatus.ACTIVE)),
        advisors_in_zrr=Count("advisors", filter=Q(zrr=True, advisors__status=AdvisorStatus.ACTIVE)),
    )
    by_type = [(label, counts.get(value, 0)) for value, label in StructureType.choices]
    return StructureProfile(
        by_type=by_type,
        total=sum(counts.values()),
        qpv=flags["in_qpv"],
        zrr=flags["in_zrr"],
        france_services=flags["labelled"],
        advisors_qpv=flags["advisors_in_qpv"],
        advisors_zrr=flags["advisors_in_zrr"],
    )


@dataclass(frozen=True)
class DrillRow:
    """One child of the current scope in the drill-down: a link to its dashboard and its activity."""

    key: str
    label: str
    activities: int
    accompaniments: int


def _labels(by: str, keys: list[str]) -> dict[str, str]:
    if by == "region":
        return dict(Region.objects.filter(code__in=keys).values_list("code", "name"))
    if by == "department":
        return {
            code: f"{name} ({code})"
            for code, name in Department.objects.filter(code__in=keys).values_list("code", "name")
        }
    if by == "structure":
        return {str(pk): name for pk, name in Structure.objects.filter(pk__in=keys).values_list("pk", "name")}
    advisors = Advisor.objects.filter(pk__in=keys).values_list("pk", "first_name", "last_name")
    return {str(pk): f"{first} {last}".strip() for pk, first, last in advisors}


def drill_down(scope: Scope, period: Period, filters: Filters, by: str) -> list[DrillRow]:
    """The children (regions, departments, structures or advisors) of a scope with their activity (≤ 3 queries)."""
    activity = activity_by(scope, period, filters, by)
    labels = _labels(by, list(activity))
    rows = [
        DrillRow(key, labels.get(key, key), counts["activities"], counts["accompaniments"])
        for key, counts in activity.items()
        if counts["activities"] and key in labels
    ]
    return sorted(rows, key=lambda row: (-row.accompaniments, row.label))


def network_figures(network: NetworkCounts) -> list[tuple[str, str, str]]:
    """(label, value, detail) of the network tiles."""
    rate = network.activation_rate
    return [
        ("Postes attribués", fr_number(network.posts_granted), "dotation des structures validées"),
        ("Conseillers recrutés", fr_number(network.recruited), "en poste ou partis"),
        ("Conseillers en poste", fr_number(network.active), "contrat en cours"),
        (
            "Taux d'activation",
            "—" if rate is None else f"{rate} %",
            f"{fr_number(network.activated)} conseillers en poste avec un compte-rendu depuis {ACTIVATION_DAYS} jours",
        ),
    ]
