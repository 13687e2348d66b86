"""Indicators as people read them: key figures and distributions with percentages, derived from a Statistics result.

Shared by the statistics pages and their exports (and by the pilotage dashboards), so that a figure reads the same
everywhere. Percentages use largest-remainder rounding: the parts of a distribution sum to 100.
"""

from dataclasses import dataclass

from reporting.counters import GROUPS
from reporting.selectors import Statistics


def largest_remainder(counts: list[int]) -> list[int]:
    """Whole percentages of each count that sum to 100 (all zeros when the total is 0)."""
    total = sum(counts)
    if total <= 0:
        return [0] * len(counts)
    floors = [count * 100 // total for count in counts]
    remainders = [count * 100 % total for count in counts]
    missing = 100 - sum(floors)
    for index in sorted(range(len(counts)), key=lambda i: (-remainders[i], i))[:missing]:
        floors[index] += 1
    return floors


def fr_number(value: int) -> str:
    """12345 → "12 345" (narrow no-break space, as French typography wants)."""
    return f"{value:,}".replace(",", "\u202f")


def format_minutes(minutes: int) -> str:
    """1 530 → "25 h 30 min"."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{fr_number(hours)} h {rest:02d} min" if rest else f"{fr_number(hours)} h"


@dataclass(frozen=True)
class Share:
    """One line of a distribution."""

    value: str
    label: str
    count: int
    percent: int


@dataclass(frozen=True)
class Distribution:
    """A distribution of accompaniments (or of reports) over the values of one question."""

    key: str
    title: str
    shares: list[Share]
    unit: str = "accompagnements"
    note: str = ""

    @property
    def total(self) -> int:
        return sum(share.count for share in self.shares)

    @property
    def top(self) -> Share | None:
        ranked = [share for share in self.shares if share.count]
        return max(ranked, key=lambda share: share.count) if ranked else None

    @property
    def summary(self) -> str:
        """One sentence for screen readers and print: the largest part."""
        top = self.top
        if top is None:
            return f"{self.title} : aucune donnée sur la période."
        return f"{self.title} : « {top.label} » arrive en tête avec {top.count} {self.unit} ({top.percent} %)."


def _distribution(key, title, items: list[tuple[str, str, int]], *, unit="accompagnements", note="") -> Distribution:
    percents = largest_remainder([count for _, _, count in items])
    shares = [
        Share(value, label, count, percent) for (value, label, count), percent in zip(items, percents, strict=True)
    ]
    return Distribution(key, title, shares, unit=unit, note=note)


def group_distribution(statistics: Statistics, name: str, *, rest_label: str = "", rest_of: str = "", note=""):
    """The distribution of one counter group; `rest_of` adds "not answered" = that counter minus the group's sum."""
    group = GROUPS[name]
    items = [(value, label, statistics[group.column(value)]) for value, label in group.enum.choices]
    if rest_of:
        answered = sum(count for _, _, count in items)
        items.append(("", rest_label, max(0, statistics[rest_of] - answered)))
    return _distribution(name, group.title, items, note=note)


@dataclass(frozen=True)
class KeyFigure:
    label: str
    value: str
    detail: str = ""
    # The raw number behind `value`, written as a number in exports (`unit` names it when the text carried it).
    number: int | None = None
    unit: str = ""


def key_figures(statistics: Statistics) -> list[KeyFigure]:
    """The headline numbers of a period."""
    s = statistics
    new_people = s["accompaniments"] - s["already_accompanied"]
    return [
        KeyFigure(
            "Accompagnements",
            fr_number(s["accompaniments"]),
            f"dont {s['individual']} individuels et {s['workshop_participants']} participations à "
            f"{s['workshops']} atelier{'s' if s['workshops'] > 1 else ''}",
            number=s["accompaniments"],
        ),
        KeyFigure("Activités enregistrées", fr_number(s["activities"]), "comptes-rendus", number=s["activities"]),
        KeyFigure(
            "Personnes nouvellement accompagnées",
            fr_number(new_people),
            f"et {s['already_accompanied']} déjà accompagnées auparavant",
            number=new_people,
        ),
        KeyFigure(
            "Temps d'accompagnement",
            format_minutes(s["minutes"]),
            "durée cumulée des activités",
            number=s["minutes"],
            unit="minutes",
        ),
        KeyFigure(
            "Réorientations", fr_number(s["redirections"]), "vers une autre structure", number=s["redirections"]
        ),
    ]


def distributions(statistics: Statistics) -> list[Distribution]:
    """Every distribution shown on a statistics page, in page order."""
    s = statistics
    multi = "Une activité peut en compter plusieurs : les parts portent sur l'ensemble des réponses."
    return [
        _distribution(
            "kinds",
            "Types d'accompagnement",
            [
                ("individuel", "Accompagnements individuels", s["individual"]),
                ("collectif", "Participants aux ateliers collectifs", s["workshop_participants"]),
            ],
        ),
        _distribution(
            "new",
            "Personnes nouvelles ou déjà accompagnées",
            [
                ("nouveau", "Nouvellement accompagnées", s["accompaniments"] - s["already_accompanied"]),
                ("deja", "Déjà accompagnées", s["already_accompanied"]),
            ],
        ),
        group_distribution(s, "theme", note=multi),
        group_distribution(s, "procedure", note=multi),
        group_distribution(s, "material", note=multi),
        group_distribution(s, "place_type"),
        group_distribution(s, "duration"),
        group_distribution(s, "gender"),
        group_distribution(s, "age"),
        group_distribution(s, "status"),
        group_distribution(s, "autonomy", rest_label="Non renseigné", rest_of="individual"),
        group_distribution(s, "redirection"),
        group_distribution(s, "level", rest_label="Non renseigné", rest_of="workshop_participants"),
    ]


SECTION_TITLES = {
    "Activités": ("kinds", "new", "theme", "procedure", "material", "place_type", "duration"),
    "Personnes accompagnées": ("gender", "age", "status"),
    "Autonomie, réorientations et ateliers": ("autonomy", "redirection", "level"),
}


def distribution_sections(statistics: Statistics) -> list[tuple[str, list[Distribution]]]:
    """The distributions grouped under the headings of a statistics page."""
    by_key = {distribution.key: distribution for distribution in distributions(statistics)}
    return [(title, [by_key[key] for key in keys]) for title, keys in SECTION_TITLES.items()]


def location_groups(statistics: Statistics) -> list[tuple[str, list]]:
    """[(title, rows)] of the breakdowns by place, commune or department that have rows."""
    titles = {"place": "Par lieu d'activité", "commune": "Par commune", "department": "Par département"}
    groups = []
    for kind, title in titles.items():
        rows = [row for row in statistics.locations if row.kind == kind]
        if rows:
            percents = largest_remainder([row.accompaniments for row in rows])
            groups.append((title, list(zip(rows, percents, strict=True))))
    return groups
