"""SQL of the statistics: counters summed over the rollups or the raw reports, grouped by a few columns.

Plain SQL with bound parameters: the statements are generated once per shape from counters.py, because compiling 80
ORM aggregates costs more Python time than the query itself. Scopes and filters are the same for both sources.
"""

from datetime import date
from functools import cache

from django.db import connection

from reporting.counters import COUNTER_NAMES, THEME_BITS, raw_aggregate_sql
from reporting.enums import TagScope
from reporting.models import Activity, ActivityRollup, ActivityTag, RollupLevel, Tag
from reporting.rollups import THEME_KEYS
from reporting.scopes import Scope

# Scope level → (rollup column, raw column).
SCOPE_COLUMNS = {
    Scope.REGIONS: ("region", "region_id"),
    Scope.DEPARTMENTS: ("department", "department_id"),
    Scope.STRUCTURES: ("structure_id", "structure_id"),
    Scope.ADVISORS: ("advisor_id", "advisor_id"),
}
DATE_COLUMNS = {"period", "date"}


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _in(column: str, values) -> tuple[str, list]:
    values = list(values)
    return f"{_q(column)} IN ({', '.join(['%s'] * len(values))})", values


def _date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def _run(sql: str, params: list, columns: list[str]) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    results = []
    for row in rows:
        record = dict(zip(columns, row, strict=True))
        for name in DATE_COLUMNS & record.keys():
            record[name] = _date(record[name])
        results.append(record)
    return results


@cache
def _raw_select(vendor: str, counters: tuple[str, ...]) -> str:
    aggregates = raw_aggregate_sql(connection.ops.quote_name)
    return ", ".join(f"COALESCE({aggregates[name]}, 0)" for name in counters)


@cache
def _rollup_select(vendor: str, counters: tuple[str, ...]) -> str:
    return ", ".join(f"SUM({_q(name)})" for name in counters)


def raw_totals(
    scope: Scope, filters, ranges: list[tuple[date, date]], group_by: list[str], counters=tuple(COUNTER_NAMES)
) -> list[dict]:
    """Counters (all by default) of the current reports of a scope within date ranges, grouped by raw columns."""
    conditions, params = _raw_where(scope, filters, ranges)
    keys = ", ".join(_q(column) for column in group_by)
    sql = (
        f"SELECT {keys}, {_raw_select(connection.vendor, tuple(counters))} FROM {_q(Activity._meta.db_table)} "
        f"WHERE {' AND '.join(conditions)} GROUP BY {keys}"
    )
    return _run(sql, params, [*group_by, *counters])


def tag_totals(scope: Scope, filters, ranges: list[tuple[date, date]], counters, *, personal_owner=None) -> list[dict]:
    """Counters of the current tagged reports of a scope within date ranges, per tag (a report counts once per tag).

    Personal tags are private to their author: only those of `personal_owner` (an advisor id) are counted.
    """
    conditions, params = _raw_where(scope, filters, ranges)
    link, tag = _q(ActivityTag._meta.db_table), _q(Tag._meta.db_table)
    shared = f"{tag}.{_q('scope')} <> %s"
    tag_params = [TagScope.PERSONAL]
    if personal_owner is not None:
        shared = f"({shared} OR {tag}.{_q('owner_id')} = %s)"
        tag_params.append(personal_owner)
    conditions.append(f"{link}.{_q('tag_id')} IN (SELECT {tag}.{_q('id')} FROM {tag} WHERE {shared})")
    sql = (
        f"SELECT {link}.{_q('tag_id')}, {_raw_select(connection.vendor, tuple(counters))} "
        f"FROM {_q(Activity._meta.db_table)} INNER JOIN {link} "
        f"ON {link}.{_q('activity_id')} = {_q(Activity._meta.db_table)}.{_q('id')} "
        f"WHERE {' AND '.join(conditions)} GROUP BY {link}.{_q('tag_id')}"
    )
    return _run(sql, [*params, *tag_params], ["tag_id", *counters])


def _raw_where(scope: Scope, filters, ranges: list[tuple[date, date]]) -> tuple[list[str], list]:
    """The WHERE conditions (and parameters) on the raw reports of a scope, filters and date ranges."""
    conditions, params = [f"{_q('deleted_at')} IS NULL"], []
    if scope.level in SCOPE_COLUMNS:
        sql, values = _in(SCOPE_COLUMNS[scope.level][1], scope.ids)
        conditions.append(sql)
        params.extend(values)
    if filters.kind:
        conditions.append(f"{_q('kind')} = %s")
        params.append(filters.kind)
    if filters.place_type:
        conditions.append(f"{_q('place_type')} = %s")
        params.append(filters.place_type)
    if getattr(filters, "structure_type", ""):
        conditions.append(f"{_q('structure_type')} = %s")
        params.append(filters.structure_type)
    if filters.theme:
        conditions.append(f"({_q('themes')} & {THEME_BITS[filters.theme]}) <> 0")
    if getattr(filters, "tag", None):
        conditions.append(
            f"{_q(Activity._meta.db_table)}.{_q('id')} IN "
            f"(SELECT {_q('activity_id')} FROM {_q(ActivityTag._meta.db_table)} WHERE {_q('tag_id')} = %s)"
        )
        params.append(int(filters.tag))
    spans = []
    for start, end in ranges:
        spans.append(f"({_q('date')} >= %s AND {_q('date')} <= %s)")
        params.extend([connection.ops.adapt_datefield_value(start), connection.ops.adapt_datefield_value(end)])
    conditions.append(f"({' OR '.join(spans)})")
    return conditions, params


def rollup_totals(
    level: int, scope: Scope, filters, start: date, end: date, group_by: list[str], counters=tuple(COUNTER_NAMES)
) -> list[dict]:
    """Counters (all by default) summed over a rollup level's rows of a scope between two periods, grouped by keys."""
    if getattr(filters, "tag", None):
        raise ValueError("The rollups have no tag keys: a tag filter reads the raw reports.")
    conditions = [f"{_q('level')} = %s", f"{_q('period')} >= %s", f"{_q('period')} <= %s"]
    params = [level, connection.ops.adapt_datefield_value(start), connection.ops.adapt_datefield_value(end)]
    if scope.level in SCOPE_COLUMNS:
        sql, values = _in(SCOPE_COLUMNS[scope.level][0], scope.ids)
        conditions.append(sql)
        params.extend(values)
    if level != RollupLevel.ADVISOR_MONTH:
        conditions.append(f"{_q('theme')} = %s")
        params.append(THEME_KEYS[filters.theme] if filters.theme else 0)
    if filters.kind:
        conditions.append(f"{_q('kind')} = %s")
        params.append(filters.kind)
    if filters.place_type:
        conditions.append(f"{_q('place_type')} = %s")
        params.append(filters.place_type)
    if getattr(filters, "structure_type", ""):
        conditions.append(f"{_q('structure_type')} = %s")
        params.append(filters.structure_type)
    keys = ", ".join(_q(column) for column in group_by)
    sql = (
        f"SELECT {keys}, {_rollup_select(connection.vendor, tuple(counters))} "
        f"FROM {_q(ActivityRollup._meta.db_table)} WHERE {' AND '.join(conditions)} GROUP BY {keys}"
    )
    return _run(sql, params, [*group_by, *counters])
