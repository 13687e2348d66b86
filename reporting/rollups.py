"""Rollups of the activity reports: the write path that keeps them exact, and the rebuild that recomputes them.

Design (for the national scale: 3,000,000 reports, 4,000 advisors, 101 departments, 4 years)
==============================================================================================

Every indicator is a sum of additive counters (reporting/counters.py), so a rollup row is one vector of 80 integer
counters for a key. One table, `ActivityRollup`, holds four levels; key columns a level does not use hold 0 or "",
so a single unique constraint serves the UPSERT of every level on both databases.

| level              | keys besides kind × place type                         | theme rows | rows at 3 M reports |
|--------------------|--------------------------------------------------------|------------|---------------------|
| advisor × month    | advisor, structure, department, region, structure type, | no         | ≈ 0.8 M             |
|                    | place, commune                                          |            |                     |
| department × month | department, region, structure type                      | yes        | ≈ 1.5–2.5 M         |
| national × month   | structure type                                          | yes        | ≤ 54 k              |
| national × day     | structure type                                          | yes        | ≈ 0.7 M             |

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

from reporting.counters import CONTRIBUTION_FIELDS, COUNTER_NAMES, THEME_BITS, contribution, from_mask
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
    """Which keys a rollup level keeps, its grain, and whether it has theme rows."""

    level: int
    keys: tuple[str, ...]
    daily: bool = False
    themes: bool = True


LEVELS = [
    LevelSpec(
        RollupLevel.ADVISOR_MONTH,
        ("advisor_id", "structure_id", "department", "region", "structure_type", "place_id", "commune"),
        themes=False,
    ),
    LevelSpec(RollupLevel.DEPARTMENT_MONTH, ("department", "region", "structure_type")),
    LevelSpec(RollupLevel.NATIONAL_MONTH, ("structure_type",)),
    LevelSpec(RollupLevel.NATIONAL_DAY, ("structure_type",), daily=True),
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
                snap.kind,
                snap.place_type,
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


def _flush(accumulated: dict[tuple, dict[str, int]], batch_size: int) -> int:
    objects = []
    for key, counters in accumulated.items():
        values = dict(zip(KEY_COLUMNS, key, strict=True))
        objects.append(ActivityRollup(**values, **counters))
    ActivityRollup.objects.bulk_create(objects, batch_size=batch_size)
    return len(objects)


@transaction.atomic
def rebuild(*, batch_size: int = 2000) -> int:
    """Recompute every rollup from the reports (repairs, bulk imports, demo data); returns the rows written.

    Reads the reports month by month (memory is bounded by one month's keys) and derives rows with the same code as
    the write path, so a rebuild and a history of writes give the same rollups.
    """
    ActivityRollup.objects.all().delete()
    reports = Activity.objects.current().order_by("date", "pk").values_list(*SNAPSHOT_FIELDS).iterator(chunk_size=5000)
    written = 0
    month = None
    accumulated: dict[tuple, dict[str, int]] = {}
    for values in reports:
        snap = ActivitySnapshot(*values)
        if snap.date.replace(day=1) != month:
            written += _flush(accumulated, batch_size)
            accumulated = {}
            month = snap.date.replace(day=1)
        for key, counters in rows_for(snap):
            row = accumulated.setdefault(key, {})
            for name, value in counters.items():
                row[name] = row.get(name, 0) + value
    return written + _flush(accumulated, batch_size)
