"""Rollups of the activity reports: the write path that keeps them exact, and the rebuild that recomputes them.

Design (for the national scale: 3,000,000 reports, 4,000 advisors, 101 departments, 4 years)
==============================================================================================

Every indicator is a sum of additive counters (reporting/counters.py), so a rollup row is one vector of 80 integer
counters for a key. One table, `ActivityRollup`, holds four levels; key columns a level does not use hold 0 or "",
so a single unique constraint serves the UPSERT of every level on both databases.

| level              | keys besides kind × place type              | theme rows | measured, 300 k | expected, 3 M |
|--------------------|---------------------------------------------|------------|-----------------|---------------|
| advisor × month    | advisor, structure, department, region,     | no         | 83 k            | ≈ 0.8 M       |
|                    | structure type, place, commune              |            |                 |               |
| department × month | department, region, structure type          | yes        | 396 k           | ≈ 1.5–2.5 M   |
| national × month   | structure type                              | yes        | 48 k            | ≤ 54 k        |
| national × day     | structure type                              | yes        | 381 k           | ≈ 1.2–1.6 M   |
| department total   | department, region (no kind, no place type) | yes        | —               | ≈ 0.1 M       |

The department total level (issue 6) serves the territorial views without a kind, place type or structure type
filter — the default ones: one row per department and month (per thématique) instead of up to 56, so a 4-year
table by department reads ≈ 5,000 rows instead of ≈ 270,000.

(Measured by bench/reporting_stats.py: 300,000 reports, 400 advisors, 290 structures, 4 years. The advisor level
grows with advisors × months — about 4.3 rows per advisor and month —, the others are bounded by their keys:
101 departments × 48 months × 7 structure types × 8 kind-place combinations × 20 theme keys at most.)

Kind (2) and place type (4) are keys at every level because they are dashboard filters; "thématique" is a filter
too, but a report has several: theme-keyed levels store the report's whole vector once under theme 0 ("all") and
once more under each of its thématiques, so a filter on one thématique reads only that theme's rows. Reads never sum
theme rows together, so this multiplies storage, not read cost. At the advisor grain a month holds ~16 reports, so
theme rows would not compress at all (≈ 3.5 M rows): advisor-level scopes filtered by thématique read the raw table
instead, through its (advisor, date) index — a cost bounded by the scope and the period shown.

Reads (reporting/selectors.py) split a period into whole months and at most two partial "edge" months:

- whole months come from the month level matching the scope: national → national × month (≈ 35 rows per month),
  regions and departments → department × month (≈ 35 rows per department and month), structures and advisors →
  advisor × month (a few rows per advisor and month);
- edges come from national × day for the national scope, and from the raw table through the (advisor, date),
  (structure, date) or (department, date) indexes otherwise (bounded by two months of that scope). Reports are never
  dated after today, so a period ending today or later reads its last month whole: the default periods
  (this month, this year, the last 12 months) have no edge at all.

The cost of a page therefore depends on the scope and period shown, never on the number of reports stored; each
source is one SQL query grouped by month, whatever the data size.

Writes: creating, editing or deleting a report applies `deltas(old, new)` — the old contribution subtracted, the new
one added, merged by key — in ONE multi-row `INSERT … ON CONFLICT … DO UPDATE SET c = c + excluded.c` statement, in
the same transaction as the report (≈ 1 + 3 × (1 + thématiques) rows, sorted by key so that concurrent writers lock
rows in the same order). Rows whose counters fall back to zero stay (they add nothing); `rebuild()` drops them.
"""

from collections import defaultdict, namedtuple
from dataclasses import dataclass

from django.db import connection, transaction

from reporting.counters import (
    CONTRIBUTION_FIELDS,
    COUNTER_NAMES,
    THEME_BITS,
    contribution,
    from_mask,
    raw_aggregate_sql,
)
from reporting.enums import Theme
from reporting.models import Activity, ActivityRollup, RollupLevel

KEY_COLUMNS = [
    "level",
    "period",
    "advisor_id",
    "structure_id",
    "department",
    "region",
    "structure_type",
    "place_id",
    "commune",
    "kind",
    "place_type",
    "theme",
]
# Rollup key of every thématique: its position in Theme, from 1 (0 means "all thématiques").
THEME_KEYS = {value: index for index, value in enumerate(Theme.values, start=1)}


@dataclass(frozen=True)
class LevelSpec:
    """Which keys a rollup level keeps, its grain, whether it has theme rows and kind × place type keys."""

    level: int
    keys: tuple[str, ...]
    daily: bool = False
    themes: bool = True
    detailed: bool = True


LEVELS = [
    LevelSpec(
        RollupLevel.ADVISOR_MONTH,
        ("advisor_id", "structure_id", "department", "region", "structure_type", "place_id", "commune"),
        themes=False,
    ),
    LevelSpec(RollupLevel.DEPARTMENT_MONTH, ("department", "region", "structure_type")),
    LevelSpec(RollupLevel.NATIONAL_MONTH, ("structure_type",)),
    LevelSpec(RollupLevel.NATIONAL_DAY, ("structure_type",), daily=True),
    LevelSpec(RollupLevel.DEPARTMENT_TOTAL, ("department", "region"), detailed=False),
]
NEUTRAL = {
    "advisor_id": 0,
    "structure_id": 0,
    "department": "",
    "region": "",
    "structure_type": "",
    "place_id": 0,
    "commune": "",
}


# What the rollups need of one report: its scope keys, then the fields its contribution depends on.
SCOPE_FIELDS = ["advisor_id", "structure_id", "department_id", "region_id", "structure_type", "place_id", "commune_id"]
SNAPSHOT_FIELDS = SCOPE_FIELDS + CONTRIBUTION_FIELDS
ActivitySnapshot = namedtuple("ActivitySnapshot", SNAPSHOT_FIELDS)


def snapshot(activity: Activity):
    """The rollup-relevant state of a report, or None for a deleted one (it contributes nothing)."""
    if activity is None or activity.deleted_at is not None:
        return None
    return ActivitySnapshot(*(getattr(activity, name) for name in SNAPSHOT_FIELDS))


def _key_values(spec: LevelSpec, snap) -> dict:
    values = {
        "advisor_id": snap.advisor_id,
        "structure_id": snap.structure_id or 0,
        "department": snap.department_id or "",
        "region": snap.region_id or "",
        "structure_type": snap.structure_type or "",
        "place_id": snap.place_id or 0,
        "commune": snap.commune_id or "",
    }
    return {name: (values[name] if name in spec.keys else neutral) for name, neutral in NEUTRAL.items()}


def rows_for(snap) -> list[tuple[tuple, dict[str, int]]]:
    """(key, counters) of every rollup row one report contributes to."""
    counters = contribution(snap)
    month = snap.date.replace(day=1)
    theme_keys = [THEME_KEYS[value] for value in from_mask(snap.themes, THEME_BITS)]
    rows = []
    for spec in LEVELS:
        keys = _key_values(spec, snap)
        period = snap.date if spec.daily else month
        for theme in [0, *theme_keys] if spec.themes else [0]:
            key = (
                spec.level,
                period,
                keys["advisor_id"],
                keys["structure_id"],
                keys["department"],
                keys["region"],
                keys["structure_type"],
                keys["place_id"],
                keys["commune"],
                snap.kind if spec.detailed else "",
                snap.place_type if spec.detailed else "",
                theme,
            )
            rows.append((key, counters))
    return rows


def deltas(old, new) -> dict[tuple, dict[str, int]]:
    """The per-key change of the rollups when a report goes from `old` to `new` (snapshots; None = absent)."""
    merged: dict[tuple, dict[str, int]] = defaultdict(dict)
    for snap, sign in ((old, -1), (new, 1)):
        if snap is None:
            continue
        for key, counters in rows_for(snap):
            row = merged[key]
            for name, value in counters.items():
                row[name] = row.get(name, 0) + sign * value
    return {key: row for key, row in merged.items() if any(row.values())}


def apply(*, old=None, new=None) -> int:
    """Bring the rollups in step with one report's change, in one statement; returns the number of rows touched."""
    changes = deltas(old, new)
    if changes:
        _upsert(sorted(changes.items()))
    return len(changes)


def _upsert(rows: list[tuple[tuple, dict[str, int]]]) -> None:
    quote = connection.ops.quote_name
    table = quote(ActivityRollup._meta.db_table)
    columns = KEY_COLUMNS + COUNTER_NAMES
    row_sql = "(" + ", ".join(["%s"] * len(columns)) + ")"
    updates = ", ".join(f"{quote(name)} = {table}.{quote(name)} + excluded.{quote(name)}" for name in COUNTER_NAMES)
    sql = (
        f"INSERT INTO {table} ({', '.join(quote(name) for name in columns)}) "
        f"VALUES {', '.join([row_sql] * len(rows))} "
        f"ON CONFLICT ({', '.join(quote(name) for name in KEY_COLUMNS)}) DO UPDATE SET {updates}"
    )
    params = []
    for key, counters in rows:
        key = list(key)
        key[1] = connection.ops.adapt_datefield_value(key[1])
        params.extend(key)
        params.extend(counters.get(name, 0) for name in COUNTER_NAMES)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


# Rebuild, in SQL: the reports are aggregated by the database (INSERT … SELECT … GROUP BY), with the same counter
# expressions as the naive selector. Tests check that a rebuild equals the history of incremental writes.

_RAW_KEYS = {
    "advisor_id": '"advisor_id"',
    "structure_id": 'COALESCE("structure_id", 0)',
    "department": "COALESCE(\"department_id\", '')",
    "region": "COALESCE(\"region_id\", '')",
    "structure_type": '"structure_type"',
    "place_id": 'COALESCE("place_id", 0)',
    "commune": "COALESCE(\"commune_id\", '')",
}


def _month_sql(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"CAST(DATE_TRUNC('month', {column}) AS date)"
    return f"STRFTIME('%%Y-%%m-01', {column})"


def _themes_table() -> str:
    """A derived table (k, b) of the theme keys and bits, with (0, 0) for the "all thématiques" rows."""
    rows = ["SELECT 0 AS k, 0 AS b", *(f"SELECT {THEME_KEYS[value]}, {bit}" for value, bit in THEME_BITS.items())]
    return f"({' UNION ALL '.join(rows)}) AS t"


def _insert_from_reports(spec: LevelSpec) -> None:
    quote = connection.ops.quote_name
    neutral_sql = {"advisor_id": "0", "structure_id": "0", "place_id": "0"}
    period = '"date"' if spec.daily else _month_sql('"date"')
    keys = {name: (_RAW_KEYS[name] if name in spec.keys else neutral_sql.get(name, "''")) for name in NEUTRAL}
    theme = "t.k" if spec.themes else "0"
    group_by = [period, *(_RAW_KEYS[name] for name in spec.keys), '"kind"', '"place_type"']
    if spec.themes:
        group_by.append("t.k")
    aggregates = raw_aggregate_sql(quote)
    select = [str(int(spec.level)), period, *keys.values(), '"kind"', '"place_type"', theme]
    select += [f"COALESCE({aggregates[name]}, 0)" for name in COUNTER_NAMES]
    source = quote(Activity._meta.db_table)
    if spec.themes:
        source += f' JOIN {_themes_table()} ON (t.k = 0 OR ("themes" & t.b) <> 0)'
    columns = ", ".join(quote(name) for name in KEY_COLUMNS + COUNTER_NAMES)
    sql = (
        f"INSERT INTO {quote(ActivityRollup._meta.db_table)} ({columns}) "
        f'SELECT {", ".join(select)} FROM {source} WHERE "deleted_at" IS NULL GROUP BY {", ".join(group_by)}'
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [])


def _insert_from_departments(level: int) -> None:
    """National × month and department total are sums of department × month (every report has one department row,
    "" if unknown)."""
    quote = connection.ops.quote_name
    table = quote(ActivityRollup._meta.db_table)
    if level == RollupLevel.NATIONAL_MONTH:
        keys = ["period", "structure_type", "kind", "place_type", "theme"]
    else:
        keys = ["period", "department", "region", "theme"]
    columns = KEY_COLUMNS + COUNTER_NAMES
    select = {name: quote(name) for name in keys}
    select.update(level=str(int(level)), advisor_id="0", structure_id="0", place_id="0", commune="''")
    for name in ("department", "region", "structure_type", "kind", "place_type"):
        select.setdefault(name, "''")
    select.update({name: f"SUM({quote(name)})" for name in COUNTER_NAMES})
    sql = (
        f"INSERT INTO {table} ({', '.join(quote(name) for name in columns)}) "
        f"SELECT {', '.join(select[name] for name in columns)} FROM {table} "
        f"WHERE {quote('level')} = {int(RollupLevel.DEPARTMENT_MONTH)} "
        f"GROUP BY {', '.join(quote(name) for name in keys)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [])


@transaction.atomic
def rebuild() -> int:
    """Recompute every rollup from the reports (repairs, bulk imports, demo data); returns the rows written.

    Three scans of the reports (advisor × month, department × month, national × day) and one pass over the
    department rows (national × month), all inside the database.
    """
    ActivityRollup.objects.all().delete()
    for spec in LEVELS:
        if spec.level in (RollupLevel.NATIONAL_MONTH, RollupLevel.DEPARTMENT_TOTAL):
            _insert_from_departments(spec.level)
        else:
            _insert_from_reports(spec)
    return ActivityRollup.objects.count()
