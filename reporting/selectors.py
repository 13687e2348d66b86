"""Read-side queries of activity reports: the indicator engine shared by the Espace Coop and the pilotage dashboards.

`activity_statistics()` computes every indicator for a scope (reporting.scopes.Scope) and a period from the rollups
with a constant number of SQL queries (see reporting/rollups.py for the design). `activity_statistics_naive()` gives
the same result from the raw reports: tests compare the two, and the benchmarks time them.
"""

import calendar
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Max, Sum
from django.utils import timezone

from directory.enums import AdvisorStatus
from directory.models import Place
from reporting import aggregation
from reporting.counters import COUNTER_NAMES, THEME_BITS, from_mask
from reporting.enums import DURATION_PRESETS, ReminderThreshold, ReportingStatus
from reporting.models import Activity, ActivityRollup, RollupLevel
from reporting.scopes import Scope
from territories.models import Commune, Department

PROGRAMME_START = date(2020, 1, 1)
DAILY_SERIES_MAX_DAYS = 92


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def next_month(day: date) -> date:
    return month_end(day) + timedelta(days=1)


def months_between(start: date, end: date) -> list[date]:
    """The first days of the months from start's month to end's month."""
    months, current = [], month_start(start)
    while current <= end:
        months.append(current)
        current = next_month(current)
    return months


@dataclass(frozen=True)
class Period:
    """An inclusive range of days."""

    start: date
    end: date

    @classmethod
    def year_to_date(cls, today: date | None = None) -> "Period":
        today = today or timezone.localdate()
        return cls(today.replace(month=1, day=1), today)

    @classmethod
    def last_months(cls, count: int, today: date | None = None) -> "Period":
        today = today or timezone.localdate()
        start = month_start(today)
        for _ in range(count - 1):
            start = month_start(start - timedelta(days=1))
        return cls(start, today)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def split(self, today: date) -> tuple[tuple[date, date] | None, list[tuple[date, date]]]:
        """(first and last whole month, or None; the partial "edge" ranges, at most two).

        No report is dated after today: a period reaching today or later reads its last month whole.
        """
        start, end = self.start, self.end
        if start > end:
            return None, []
        read_end = month_end(end) if end >= today else end
        first_whole = start if start.day == 1 else next_month(start)
        if read_end == month_end(read_end):
            last_whole = month_start(read_end)
        else:
            last_whole = month_start(month_start(read_end) - timedelta(days=1))
        if first_whole > last_whole:
            return None, [(start, end)]
        edges = []
        if start < first_whole:
            edges.append((start, first_whole - timedelta(days=1)))
        if month_end(last_whole) < end:
            edges.append((next_month(last_whole), end))
        return (first_whole, last_whole), edges


@dataclass(frozen=True)
class Filters:
    """Optional narrowing of the reports counted (empty string = no filter)."""

    kind: str = ""
    theme: str = ""
    place_type: str = ""
    structure_type: str = ""
    tag: int | None = None  # a Tag id: only the reports carrying it (always read from the raw reports)

    def __bool__(self) -> bool:
        return bool(self.kind or self.theme or self.place_type or self.structure_type or self.tag)


@dataclass(frozen=True)
class LocationRow:
    """Activities and accompaniments at one place, commune or department."""

    kind: str  # "place", "commune" or "department"
    key: str
    label: str
    activities: int
    accompaniments: int


@dataclass
class Statistics:
    """Every counter of a scope over a period, with the monthly (and optionally daily) series and the locations."""

    period: Period
    totals: dict[str, int]
    months: list[tuple[date, int, int]]  # (month, accompaniments, activities)
    days: list[tuple[date, int, int]] | None = None
    locations: list[LocationRow] = field(default_factory=list)

    def __getitem__(self, name: str) -> int:
        return self.totals[name]


def _zero() -> dict[str, int]:
    return dict.fromkeys(COUNTER_NAMES, 0)


def _add(target: dict[str, int], row: dict) -> None:
    for name in COUNTER_NAMES:
        target[name] += row[name]


# Sources


def department_level(filters: Filters) -> int:
    """Department × month, or its compact total when no kind, place type or structure type filter needs the keys."""
    if filters.kind or filters.place_type or filters.structure_type:
        return RollupLevel.DEPARTMENT_MONTH
    return RollupLevel.DEPARTMENT_TOTAL


def _month_level(scope: Scope, filters: Filters) -> int | None:
    """The rollup level that serves whole months of this scope, or None when the raw reports must be read."""
    if filters.tag:
        return None  # no rollup has tag keys: the tagged reports are read directly
    if scope.level == Scope.NATIONAL:
        return RollupLevel.NATIONAL_MONTH
    if scope.level in (Scope.REGIONS, Scope.DEPARTMENTS):
        return department_level(filters)
    if filters.theme:
        # The advisor level has no theme rows (they would not compress, see reporting/rollups.py).
        return None
    return RollupLevel.ADVISOR_MONTH


def _into_months(rows: list[dict], date_key: str, by_month: dict[date, dict[str, int]]) -> None:
    for row in rows:
        _add(by_month[month_start(row[date_key])], row)


def _assemble(period: Period, by_month: dict[date, dict[str, int]]) -> Statistics:
    totals = _zero()
    months = []
    for month in months_between(period.start, period.end):
        row = by_month.get(month)
        if row is None:
            months.append((month, 0, 0))
            continue
        _add(totals, row)
        months.append((month, row["accompaniments"], row["activities"]))
    return Statistics(period=period, totals=totals, months=months)


def _days(period: Period, rows: list[dict], date_key: str) -> list[tuple[date, int, int]]:
    by_day: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        by_day[row[date_key]][0] += row["accompaniments"]
        by_day[row[date_key]][1] += row["activities"]
    return [(day, *by_day.get(day, (0, 0))) for day in (period.start + timedelta(days=n) for n in range(period.days))]


SERIES_COUNTERS = ("accompaniments", "activities")


# Locations


def _location_rows(counts: dict[tuple[str, str], list[int]]) -> list[LocationRow]:
    """Label and sort (accompaniments, then label) the (kind, key) → [activities, accompaniments] counts."""
    place_ids = [int(key) for kind, key in counts if kind == "place"]
    commune_codes = [key for kind, key in counts if kind == "commune"]
    department_codes = [key for kind, key in counts if kind == "department"]
    labels = {}
    if place_ids:
        places = Place.objects.filter(pk__in=place_ids).values_list("pk", "name")
        labels.update({("place", str(pk)): name for pk, name in places})
    if commune_codes:
        communes = Commune.objects.filter(code__in=commune_codes).values_list("code", "name")
        labels.update({("commune", code): f"{name} ({code})" for code, name in communes})
    if department_codes:
        departments = Department.objects.filter(code__in=department_codes)
        labels.update({("department", department.code): str(department) for department in departments})
    rows = [
        LocationRow(kind, key, labels.get((kind, key), key), activities, accompaniments)
        for (kind, key), (activities, accompaniments) in counts.items()
        if activities or accompaniments
    ]
    return sorted(rows, key=lambda row: (row.kind, -row.accompaniments, row.label))


def _count_locations(rows: list[dict], columns: dict[str, str], counts) -> None:
    """Add rows grouped by location columns to counts; `columns` maps a row column to a location kind."""
    for row in rows:
        for column, kind in columns.items():
            if row[column]:
                counts[(kind, str(row[column]))][0] += row["activities"]
                counts[(kind, str(row[column]))][1] += row["accompaniments"]


def _advisor_based(scope: Scope) -> bool:
    return scope.level in (Scope.STRUCTURES, Scope.ADVISORS)


def _raw_locations(scope, filters, ranges, counts) -> None:
    if _advisor_based(scope):
        rows = aggregation.raw_totals(scope, filters, ranges, ["place_id", "commune_id"], SERIES_COUNTERS)
        _count_locations(rows, {"place_id": "place", "commune_id": "commune"}, counts)
    else:
        rows = aggregation.raw_totals(scope, filters, ranges, ["department_id"], SERIES_COUNTERS)
        _count_locations(rows, {"department_id": "department"}, counts)


def _rollup_locations(level, scope, filters, months: tuple[date, date], counts) -> None:
    if level == RollupLevel.ADVISOR_MONTH:
        rows = aggregation.rollup_totals(level, scope, filters, *months, ["place_id", "commune"], SERIES_COUNTERS)
        _count_locations(rows, {"place_id": "place", "commune": "commune"}, counts)
    else:
        if level == RollupLevel.NATIONAL_MONTH:
            level = department_level(filters)
        rows = aggregation.rollup_totals(level, scope, filters, *months, ["department"], SERIES_COUNTERS)
        _count_locations(rows, {"department": "department"}, counts)


# The engine


def activity_statistics(
    scope: Scope,
    period: Period,
    filters: Filters = Filters(),
    *,
    daily: bool = False,
    locations: bool = False,
    today: date | None = None,
) -> Statistics:
    """Every indicator of a scope over a period, from the rollups: a constant number of queries (at most 6).

    `daily` adds the series per day (periods of at most DAILY_SERIES_MAX_DAYS days); `locations` adds the breakdown
    by place and commune (advisors, structures) or by department (territories).
    """
    if scope.is_empty or period.start > period.end:
        return _assemble(period, {})
    today = today or timezone.localdate()
    whole, edges = period.split(today)
    level = _month_level(scope, filters)
    if level is None:
        whole, edges = None, [(period.start, period.end)]
    by_month: dict[date, dict[str, int]] = defaultdict(_zero)
    if whole:
        _into_months(aggregation.rollup_totals(level, scope, filters, *whole, ["period"]), "period", by_month)
    if edges and scope.level == Scope.NATIONAL and not filters.tag:
        for start, end in edges:
            rows = aggregation.rollup_totals(RollupLevel.NATIONAL_DAY, scope, filters, start, end, ["period"])
            _into_months(rows, "period", by_month)
    elif edges:
        _into_months(aggregation.raw_totals(scope, filters, edges, ["date"]), "date", by_month)
    statistics = _assemble(period, by_month)
    if daily and period.days <= DAILY_SERIES_MAX_DAYS:
        if scope.level == Scope.NATIONAL and not filters.tag:
            level_day = RollupLevel.NATIONAL_DAY
            rows = aggregation.rollup_totals(
                level_day, scope, filters, period.start, period.end, ["period"], SERIES_COUNTERS
            )
            statistics.days = _days(period, rows, "period")
        else:
            rows = aggregation.raw_totals(scope, filters, [(period.start, period.end)], ["date"], SERIES_COUNTERS)
            statistics.days = _days(period, rows, "date")
    if locations:
        counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
        if whole:
            _rollup_locations(level, scope, filters, whole, counts)
        if edges:
            _raw_locations(scope, filters, edges, counts)
        statistics.locations = _location_rows(counts)
    return statistics


def activity_statistics_naive(
    scope: Scope,
    period: Period,
    filters: Filters = Filters(),
    *,
    daily: bool = False,
    locations: bool = False,
    today: date | None = None,
) -> Statistics:
    """The same result as activity_statistics(), aggregated from the raw reports (reference and benchmark baseline)."""
    if scope.is_empty or period.start > period.end:
        return _assemble(period, {})
    ranges = [(period.start, period.end)]
    by_month: dict[date, dict[str, int]] = defaultdict(_zero)
    _into_months(aggregation.raw_totals(scope, filters, ranges, ["date"]), "date", by_month)
    statistics = _assemble(period, by_month)
    if daily and period.days <= DAILY_SERIES_MAX_DAYS:
        rows = aggregation.raw_totals(scope, filters, ranges, ["date"], SERIES_COUNTERS)
        statistics.days = _days(period, rows, "date")
    if locations:
        counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
        _raw_locations(scope, filters, ranges, counts)
        statistics.locations = _location_rows(counts)
    return statistics


def national_key_figures() -> dict[str, int]:
    """Programme-wide figures for the public home page: accompaniments, activities, workshops (one query)."""
    totals = ActivityRollup.objects.filter(level=RollupLevel.NATIONAL_MONTH, theme=0).aggregate(
        accompaniments=Sum("accompaniments"),
        activities=Sum("activities"),
        workshops=Sum("workshops"),
        workshop_participants=Sum("workshop_participants"),
    )
    return {name: value or 0 for name, value in totals.items()}


# Espace Coop helpers


def usual_durations(advisor_id: int, kind: str = "", *, limit: int = 8, min_uses: int = 3) -> list[int]:
    """The advisor's durations for this kind of activity, most used first: presets, plus custom durations used at
    least `min_uses` times."""
    used = Activity.objects.current().filter(advisor_id=advisor_id)
    if kind:
        used = used.filter(kind=kind)
    used = used.values("duration").annotate(uses=Count("pk")).order_by("-uses", "duration")[:20]
    usage = Counter({row["duration"]: row["uses"] for row in used})
    customs = [minutes for minutes, uses in usage.most_common() if uses >= min_uses]
    customs = [minutes for minutes in customs if minutes not in DURATION_PRESETS]
    options = DURATION_PRESETS + customs[: max(0, limit - len(DURATION_PRESETS))]
    return sorted(options, key=lambda minutes: (-usage[minutes], minutes))


def usual_place_id(advisor_id: int, place_ids: list[int]) -> int | None:
    """The advisor's most used place among `place_ids` (their current places), from the rollups."""
    if not place_ids:
        return None
    used = (
        ActivityRollup.objects.filter(level=RollupLevel.ADVISOR_MONTH, advisor_id=advisor_id, place_id__in=place_ids)
        .values("place_id")
        .annotate(uses=Sum("activities"))
        .order_by("-uses", "place_id")
        .first()
    )
    return used["place_id"] if used and used["uses"] else None


def usual_themes(advisor_id: int, kind: str = "", *, recent: int = 50, limit: int = 4, min_uses: int = 3) -> list[str]:
    """The thématiques the advisor ticked at least `min_uses` times in her last `recent` reports of this kind, most
    used first (at most `limit`), in one query on the (advisor, date) index."""
    reports = Activity.objects.current().filter(advisor_id=advisor_id)
    if kind:
        reports = reports.filter(kind=kind)
    masks = reports.order_by("-date", "-created_at").values_list("themes", flat=True)[:recent]
    usage = Counter(value for mask in masks for value in from_mask(mask, THEME_BITS))
    return [value for value, uses in usage.most_common() if uses >= min_uses][:limit]


def last_report_dates(advisor_ids) -> dict[int, date]:
    """{advisor id: local date of their last recorded report} (reports not deleted), one query."""
    rows = (
        Activity.objects.current()
        .filter(advisor_id__in=advisor_ids)
        .values("advisor_id")
        .annotate(last=Max("created_at"))
    )
    return {row["advisor_id"]: timezone.localdate(row["last"]) for row in rows}


def monthly_activity_counts(advisor_ids, months: list[date]) -> dict[int, dict[date, int]]:
    """{advisor id: {month: reports}} over the given months, from the advisor rollups (one query)."""
    counts: dict[int, dict[date, int]] = defaultdict(lambda: dict.fromkeys(months, 0))
    if not months:
        return counts
    rows = (
        ActivityRollup.objects.filter(
            level=RollupLevel.ADVISOR_MONTH, advisor_id__in=advisor_ids, period__gte=months[0], period__lte=months[-1]
        )
        .values("advisor_id", "period")
        .annotate(reports=Sum("activities"))
    )
    for row in rows:
        counts[row["advisor_id"]][row["period"]] = row["reports"] or 0
    return counts


def silence_start(advisor, last_report: date | None) -> date:
    """Since when an advisor has recorded no report: their last report, else their start (or account creation)."""
    if last_report is not None:
        return last_report
    return advisor.started_at or timezone.localdate(advisor.created_at)


def reporting_status(advisor, last_report: date | None, today: date) -> str:
    """Active, or silent for 30 or 45 days (ended contracts aside)."""
    if advisor.status == AdvisorStatus.ENDED:
        return ReportingStatus.ENDED
    silence = (today - silence_start(advisor, last_report)).days
    if silence >= ReminderThreshold.SECOND:
        return ReportingStatus.SILENT_45
    if silence >= ReminderThreshold.FIRST:
        return ReportingStatus.SILENT_30
    return ReportingStatus.ACTIVE


@dataclass(frozen=True)
class TeamMember:
    """One advisor of a coordinator's team, with their reporting activity."""

    advisor: object
    last_report: date | None
    status: str
    monthly: list[tuple[date, int]]

    @property
    def status_label(self) -> str:
        return ReportingStatus(self.status).label

    @property
    def reports(self) -> int:
        return sum(count for _, count in self.monthly)


def team_overview(advisors, *, months: int = 6, today: date | None = None) -> list[TeamMember]:
    """Each advisor's last report date, reports per month over the last `months` months and status (2 queries)."""
    today = today or timezone.localdate()
    advisors = list(advisors)
    ids = [advisor.pk for advisor in advisors]
    month_list = months_between(Period.last_months(months, today).start, today)
    last = last_report_dates(ids)
    counts = monthly_activity_counts(ids, month_list)
    return [
        TeamMember(
            advisor=advisor,
            last_report=last.get(advisor.pk),
            status=reporting_status(advisor, last.get(advisor.pk), today),
            monthly=[(month, counts[advisor.pk][month]) for month in month_list],
        )
        for advisor in advisors
    ]
