"""Statistics of coordinators' activities for any queryset of them, in two queries whatever their number.

A coordinator records a few activities a week: the answers (lists of enum values) are read in one query and counted
in Python; the tags in a second one. Percentages use largest-remainder rounding (reporting.indicators).
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Sum
from django.db.models.functions import Coalesce

from reporting import charts
from reporting.enums import (
    AnimationTheme,
    AnimationType,
    CoordinationKind,
    EventType,
    Initiative,
    Organiser,
    PartnershipNature,
    TerritorialLevel,
)
from reporting.indicators import Distribution, KeyFigure, Share, format_minutes, fr_number, largest_remainder
from reporting.models import CoordinationActivity
from reporting.selectors import Period, month_start, next_month

COLUMNS = (
    "pk",
    "kind",
    "date",
    "duration",
    "territorial_level",
    "advisors_count",
    "structures_count",
    "other_actors_count",
    "animation_type",
    "initiative",
    "animation_themes",
    "participants",
    "event_type",
    "organisers",
    "partnership_natures",
)
NOT_ANSWERED = "Non renseigné"
MULTI = "Une activité peut en compter plusieurs : les parts portent sur l'ensemble des réponses."


@dataclass
class CoordinationStatistics:
    """Counts of a set of coordination activities over a period."""

    period: Period
    total: int = 0
    minutes: int = 0
    advisors: int = 0
    structures: int = 0
    other_actors: int = 0
    event_participants: int = 0
    counters: dict[str, Counter] = field(default_factory=dict)
    months: list[tuple[date, int]] = field(default_factory=list)
    tags: list[tuple[str, int]] = field(default_factory=list)

    @property
    def reached(self) -> int:
        """People reached: an animation's advisors, structures and other actors, an event's participants."""
        return self.advisors + self.structures + self.other_actors + self.event_participants

    def count(self, name: str, value: str) -> int:
        return self.counters.get(name, Counter())[value]


def _months(period: Period) -> list[date]:
    months, current = [], month_start(period.start)
    while current <= period.end:
        months.append(current)
        current = next_month(current)
    return months


def coordination_statistics(activities, period: Period) -> CoordinationStatistics:
    """Everything the coordination statistics show, for the activities (a queryset) dated in the period."""
    activities = activities.filter(date__range=(period.start, period.end))
    statistics = CoordinationStatistics(period=period)
    counters = {name: Counter() for name in ("kind", "level", "animation_type", "initiative", "event_type")}
    counters.update({name: Counter() for name in ("animation_themes", "organisers", "partnership_natures")})
    monthly = Counter()
    ids = []
    for row in activities.order_by().values(*COLUMNS):
        ids.append(row["pk"])
        statistics.total += 1
        statistics.minutes += row["duration"] or 0
        counters["kind"][row["kind"]] += 1
        counters["level"][row["territorial_level"]] += 1
        monthly[month_start(row["date"])] += 1
        if row["kind"] == CoordinationKind.ANIMATION:
            statistics.advisors += row["advisors_count"]
            statistics.structures += row["structures_count"]
            statistics.other_actors += row["other_actors_count"]
            counters["animation_type"][row["animation_type"]] += 1
            counters["initiative"][row["initiative"]] += 1
            counters["animation_themes"].update(row["animation_themes"] or [])
        elif row["kind"] == CoordinationKind.EVENT:
            statistics.event_participants += row["participants"]
            counters["event_type"][row["event_type"]] += 1
            counters["organisers"].update(row["organisers"] or [])
        else:
            counters["partnership_natures"].update(row["partnership_natures"] or [])
    statistics.counters = counters
    statistics.months = [(month, monthly[month]) for month in _months(period)]
    if ids:
        through = CoordinationActivity.tags.through.objects.filter(coordinationactivity_id__in=activities.values("pk"))
        tag_counts = Counter(through.values_list("tag__name", flat=True))
        statistics.tags = sorted(tag_counts.items(), key=lambda item: (-item[1], item[0]))
    return statistics


def coordination_summary(activities, period: Period) -> CoordinationStatistics:
    """The totals and counts by type only, aggregated by the database (one query, for the pilotage's wide scopes)."""
    statistics = CoordinationStatistics(period=period, counters={"kind": Counter()})
    rows = (
        activities.filter(date__range=(period.start, period.end))
        .order_by()
        .values("kind")
        .annotate(
            count=Count("pk"),
            minutes=Coalesce(Sum("duration"), 0),
            advisors=Sum("advisors_count"),
            structures=Sum("structures_count"),
            other_actors=Sum("other_actors_count"),
            participants=Sum("participants"),
        )
    )
    for row in rows:
        statistics.counters["kind"][row["kind"]] = row["count"]
        statistics.total += row["count"]
        statistics.minutes += row["minutes"]
        if row["kind"] == CoordinationKind.ANIMATION:
            statistics.advisors += row["advisors"]
            statistics.structures += row["structures"]
            statistics.other_actors += row["other_actors"]
        elif row["kind"] == CoordinationKind.EVENT:
            statistics.event_participants += row["participants"]
    return statistics


def kind_distribution(statistics: CoordinationStatistics) -> Distribution:
    return _distribution("coordination-types", "Types d'activité", _enum_items(statistics, "kind", CoordinationKind))


def _distribution(key: str, title: str, items, *, unit="activités", note="") -> Distribution:
    items = list(items)
    percents = largest_remainder([count for _, _, count in items])
    shares = [
        Share(value, label, count, percent) for (value, label, count), percent in zip(items, percents, strict=True)
    ]
    return Distribution(key, title, shares, unit=unit, note=note)


def _enum_items(statistics, name: str, enum, *, rest_of: int | None = None):
    items = [(value, label, statistics.count(name, value)) for value, label in enum.choices]
    if rest_of is not None:
        items.append(("", NOT_ANSWERED, max(0, rest_of - sum(count for _, _, count in items))))
    return items


def key_figures(statistics: CoordinationStatistics) -> list[KeyFigure]:
    """The headline numbers of the period."""
    s = statistics
    kinds = ", ".join(
        f"{s.count('kind', value)} {label.lower()}{'s' if s.count('kind', value) > 1 else ''}"
        for value, label in CoordinationKind.choices
    )
    return [
        KeyFigure("Activités de coordination", fr_number(s.total), kinds, number=s.total),
        KeyFigure(
            "Personnes touchées",
            fr_number(s.reached),
            f"{s.advisors} médiateurs, {s.structures} structures et {s.other_actors} autres acteurs en animation ; "
            f"{s.event_participants} participants aux événements",
            number=s.reached,
        ),
        KeyFigure(
            "Temps de coordination",
            format_minutes(s.minutes),
            "durée cumulée des activités dont la durée est indiquée",
            number=s.minutes,
            unit="minutes",
        ),
    ]


def distributions(statistics: CoordinationStatistics) -> list[Distribution]:
    """Every breakdown of the coordination statistics, in page order."""
    s = statistics
    animations = s.count("kind", CoordinationKind.ANIMATION)
    events = s.count("kind", CoordinationKind.EVENT)
    reached = [
        ("mediateurs", "Médiateurs (animations)", s.advisors),
        ("structures", "Structures (animations)", s.structures),
        ("autres", "Autres acteurs (animations)", s.other_actors),
        ("participants", "Participants aux événements", s.event_participants),
    ]
    result = [
        kind_distribution(s),
        _distribution("coordination-personnes", "Personnes touchées", reached, unit="personnes"),
        _distribution("coordination-animations", "Types d'animation", _enum_items(s, "animation_type", AnimationType)),
        _distribution(
            "coordination-initiative",
            "Initiative des animations",
            _enum_items(s, "initiative", Initiative, rest_of=animations),
        ),
        _distribution(
            "coordination-thematiques",
            "Thématiques des animations",
            _enum_items(s, "animation_themes", AnimationTheme),
            unit="réponses",
            note=MULTI,
        ),
        _distribution("coordination-evenements", "Types d'événement", _enum_items(s, "event_type", EventType)),
        _distribution(
            "coordination-organisateurs",
            "Organisateurs des événements",
            _enum_items(s, "organisers", Organiser),
            unit="réponses",
            note=MULTI if events else "",
        ),
        _distribution(
            "coordination-partenariats",
            "Natures des partenariats",
            _enum_items(s, "partnership_natures", PartnershipNature),
            unit="réponses",
            note=MULTI,
        ),
        _distribution(
            "coordination-echelons",
            "Échelon territorial",
            _enum_items(s, "level", TerritorialLevel, rest_of=s.total),
        ),
    ]
    if s.tags:
        result.append(
            _distribution(
                "coordination-etiquettes",
                "Étiquettes",
                [(name, name, count) for name, count in s.tags],
                unit="activités",
                note=MULTI,
            )
        )
    return result


def monthly_chart(statistics: CoordinationStatistics) -> charts.ColumnChart:
    points = [
        (
            f"{charts.MONTHS[month.month - 1]} {month:%y}",
            f"{charts.MONTH_NAMES[month.month - 1]} {month.year}",
            count,
        )
        for month, count in statistics.months
    ]
    return charts.column_chart("coordination-par-mois", "Activités de coordination par mois", points, unit="activités")
