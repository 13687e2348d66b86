"""The additive counters every indicator is derived from, and how one activity report contributes to them.

One definition serves three readers, so that they cannot drift apart:
- `contribution()` — the Python contribution of one report, used by the write path and by `rebuild`;
- `raw_aggregate_sql()` — the same counters as SQL aggregates over the raw Activity table (the naive selector);
- the rollup table, which has one integer column per counter (see reporting/rollups.py).

Weights: statistics count **accompaniments** (a workshop with 10 participants = 10), so every distribution
counter adds the report's participants; only `activities`, `individual`, `workshops` and `minutes` (time spent by
the advisor) count reports. Genre, tranche d'âge and statut add the breakdown counts, which sum to the participants
(the remainder is « non communiqué »).

Multi-valued fields (thématiques, démarches, matériel) are bitmasks on Activity: bit i is the i-th value of the enum.
Never reorder an enum; append new values at the end.
"""

from dataclasses import dataclass

from reporting.enums import (
    DURATION_BUCKET_BOUNDS,
    ActivityKind,
    AgeBand,
    Autonomy,
    DurationBucket,
    Gender,
    Material,
    PlaceType,
    Procedure,
    RedirectionStructure,
    SocialStatus,
    Theme,
    WorkshopLevel,
    duration_bucket,
)


def bits(enum) -> dict[str, int]:
    """{value: bit} of a multi-valued enum."""
    return {value: 1 << index for index, value in enumerate(enum.values)}


THEME_BITS = bits(Theme)
PROCEDURE_BITS = bits(Procedure)
MATERIAL_BITS = bits(Material)


def to_mask(values, enum_bits: dict[str, int]) -> int:
    mask = 0
    for value in values:
        mask |= enum_bits[value]
    return mask


def from_mask(mask: int, enum_bits: dict[str, int]) -> list[str]:
    return [value for value, bit in enum_bits.items() if mask & bit]


@dataclass(frozen=True)
class Group:
    """A family of counters: one per value of an enum (e.g. theme_sante, theme_email…)."""

    name: str
    enum: type
    title: str

    def column(self, value: str) -> str:
        return f"{self.name}_{value}"

    @property
    def columns(self) -> list[str]:
        return [self.column(value) for value in self.enum.values]


BASE_COUNTERS = {
    "activities": "Activités enregistrées",
    "accompaniments": "Accompagnements",
    "individual": "Accompagnements individuels",
    "workshops": "Ateliers collectifs",
    "workshop_participants": "Participants aux ateliers",
    "already_accompanied": "Personnes déjà accompagnées",
    "minutes": "Temps d'accompagnement (minutes)",
    "redirections": "Personnes réorientées",
}

GROUPS = {
    "theme": Group("theme", Theme, "Thématiques de médiation numérique"),
    "procedure": Group("procedure", Procedure, "Démarches administratives"),
    "material": Group("material", Material, "Matériel utilisé"),
    "place_type": Group("place_type", PlaceType, "Types de lieu"),
    "duration": Group("duration", DurationBucket, "Durées des accompagnements"),
    "gender": Group("gender", Gender, "Genre des personnes accompagnées"),
    "age": Group("age", AgeBand, "Tranches d'âge"),
    "status": Group("status", SocialStatus, "Statut des personnes accompagnées"),
    "autonomy": Group("autonomy", Autonomy, "Autonomie des personnes (accompagnements individuels)"),
    "redirection": Group("redirection", RedirectionStructure, "Réorientations par type de structure"),
    "level": Group("level", WorkshopLevel, "Niveau des ateliers (participants)"),
}

# The breakdown of the people accompanied: stored on Activity with the same column names as the counters.
BREAKDOWN_GROUPS = ("gender", "age", "status")
BREAKDOWN_FIELDS = [column for name in BREAKDOWN_GROUPS for column in GROUPS[name].columns]

COUNTER_NAMES = [*BASE_COUNTERS, *(column for group in GROUPS.values() for column in group.columns)]

# The fields of an Activity that its contribution depends on (snapshots for edits hold exactly these).
CONTRIBUTION_FIELDS = [
    "kind",
    "date",
    "duration",
    "place_type",
    "themes",
    "procedures",
    "materials",
    "autonomy",
    "redirected",
    "redirection_structure",
    "level",
    "participants",
    "already_accompanied",
    *BREAKDOWN_FIELDS,
]


def contribution(activity) -> dict[str, int]:
    """The non-zero counters one report adds to every indicator (`activity` is an Activity or a snapshot)."""
    participants = activity.participants
    individual = activity.kind == ActivityKind.INDIVIDUAL
    counters = {
        "activities": 1,
        "accompaniments": participants,
        "individual": 1 if individual else 0,
        "workshops": 0 if individual else 1,
        "workshop_participants": 0 if individual else participants,
        "already_accompanied": activity.already_accompanied,
        "minutes": activity.duration,
        "redirections": 1 if individual and activity.redirected else 0,
    }
    groups = GROUPS
    for value in from_mask(activity.themes, THEME_BITS):
        counters[groups["theme"].column(value)] = participants
    for value in from_mask(activity.procedures, PROCEDURE_BITS):
        counters[groups["procedure"].column(value)] = participants
    for value in from_mask(activity.materials, MATERIAL_BITS):
        counters[groups["material"].column(value)] = participants
    counters[groups["place_type"].column(activity.place_type)] = participants
    counters[groups["duration"].column(duration_bucket(activity.duration))] = participants
    for column in BREAKDOWN_FIELDS:
        counters[column] = getattr(activity, column)
    if individual and activity.autonomy:
        counters[groups["autonomy"].column(activity.autonomy)] = participants
    if individual and activity.redirected and activity.redirection_structure:
        counters[groups["redirection"].column(activity.redirection_structure)] = participants
    if not individual and activity.level:
        counters[groups["level"].column(activity.level)] = participants
    return {name: value for name, value in counters.items() if value}


def _literal(value: str) -> str:
    """An enum value as an SQL literal (values are lower-case identifiers: nothing to escape)."""
    if not value.replace("_", "").isalnum():
        raise ValueError(f"Unexpected enum value: {value!r}")
    return f"'{value}'"


def _sum_when(condition: str, then: str) -> str:
    return f"SUM(CASE WHEN {condition} THEN {then} ELSE 0 END)"


def raw_aggregate_sql(quote) -> dict[str, str]:
    """{counter: SQL aggregate} over Activity rows: the naive computation of every counter.

    `quote` is the connection's quote_name. Plain SQL (not ORM expressions): compiling 80 ORM aggregates costs
    ~30 ms of Python per query, more than the query itself.
    """
    q = quote
    participants = q("participants")
    individual = f"{q('kind')} = {_literal(ActivityKind.INDIVIDUAL)}"
    collective = f"{q('kind')} = {_literal(ActivityKind.COLLECTIVE)}"
    aggregates = {
        "activities": "COUNT(*)",
        "accompaniments": f"SUM({participants})",
        "individual": _sum_when(individual, "1"),
        "workshops": _sum_when(collective, "1"),
        "workshop_participants": _sum_when(collective, participants),
        "already_accompanied": f"SUM({q('already_accompanied')})",
        "minutes": f"SUM({q('duration')})",
        "redirections": _sum_when(f"{individual} AND {q('redirected')}", "1"),
    }
    for group, column, enum_bits in (
        ("theme", "themes", THEME_BITS),
        ("procedure", "procedures", PROCEDURE_BITS),
        ("material", "materials", MATERIAL_BITS),
    ):
        for value, bit in enum_bits.items():
            aggregates[GROUPS[group].column(value)] = _sum_when(f"({q(column)} & {bit}) <> 0", participants)
    for value in PlaceType.values:
        condition = f"{q('place_type')} = {_literal(value)}"
        aggregates[GROUPS["place_type"].column(value)] = _sum_when(condition, participants)
    for bucket, (low, high) in DURATION_BUCKET_BOUNDS.items():
        condition = f"{q('duration')} >= {low}" + ("" if high is None else f" AND {q('duration')} < {high}")
        aggregates[GROUPS["duration"].column(bucket.value)] = _sum_when(condition, participants)
    for column in BREAKDOWN_FIELDS:
        aggregates[column] = f"SUM({q(column)})"
    for value in Autonomy.values:
        condition = f"{individual} AND {q('autonomy')} = {_literal(value)}"
        aggregates[GROUPS["autonomy"].column(value)] = _sum_when(condition, participants)
    for value in RedirectionStructure.values:
        condition = f"{individual} AND {q('redirected')} AND {q('redirection_structure')} = {_literal(value)}"
        aggregates[GROUPS["redirection"].column(value)] = _sum_when(condition, participants)
    for value in WorkshopLevel.values:
        condition = f"{collective} AND {q('level')} = {_literal(value)}"
        aggregates[GROUPS["level"].column(value)] = _sum_when(condition, participants)
    return {name: aggregates[name] for name in COUNTER_NAMES}
