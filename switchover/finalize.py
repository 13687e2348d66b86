"""The last phase of a switch-over: the rollups rebuilt set-based from every imported report, timed.

Measured (bench/switchover.py, PostgreSQL, 1,000,000 reports → 2.29 M rollup rows, 2 cores): reporting.rollups.rebuild
takes 64 s, of which the department × month level 21 s, national × day 14 s, advisor × month 8 s: each is one
INSERT … SELECT that PostgreSQL runs on one core (no parallel plan for an INSERT), ~60 % evaluating the 80 counter
aggregates and ~40 % writing the wide rollup rows. Outside a transaction the three levels read from the reports run
side by side on two connections (the two derived levels follow), and the secondary indexes are built once at the
end: same rows, about half the time. Inside a transaction (tests, a caller's atomic block) it is the plain rebuild.
"""

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from django.db import connection, transaction

from reporting import rollups
from reporting.models import ActivityRollup, RollupLevel
from switchover import bulkindexes

DERIVED = (RollupLevel.NATIONAL_MONTH, RollupLevel.DEPARTMENT_TOTAL)


def _level_on_own_connection(spec) -> None:
    """One level from the reports, on this thread's own connection (its own transaction)."""
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL work_mem = '256MB'")
            rollups._insert_from_reports(spec)
    finally:
        connection.close()


def _parallel_rebuild() -> int:
    table = connection.ops.quote_name(ActivityRollup._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {table}")
    bulkindexes.drop_indexes(ActivityRollup)
    # Largest first: one worker takes department × month, the other advisor × month then national × day.
    order = {RollupLevel.DEPARTMENT_MONTH: 0, RollupLevel.ADVISOR_MONTH: 1, RollupLevel.NATIONAL_DAY: 2}
    levels = sorted((spec for spec in rollups.LEVELS if spec.level not in DERIVED), key=lambda s: order[s.level])
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(_level_on_own_connection, levels))
    with transaction.atomic():
        for level in DERIVED:
            rollups._insert_from_departments(level)
    bulkindexes.rebuild_indexes(ActivityRollup)
    return ActivityRollup.objects.count()


def rollups_rebuild(*, print_: Callable[[str], None] | None = None) -> tuple[int, float]:
    """Recompute every rollup from the reports (same rows as reporting.rollups.rebuild); returns (rows, seconds)."""
    started = time.monotonic()
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        count = _parallel_rebuild()
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(ActivityRollup._meta.db_table)}")
    else:
        with transaction.atomic():
            bulkindexes.drop_indexes(ActivityRollup)
            count = rollups.rebuild()
            bulkindexes.rebuild_indexes(ActivityRollup)
    seconds = time.monotonic() - started
    if print_ is not None:
        print_(f"Agrégats reconstruits : {count:,} lignes en {seconds:.1f} s.".replace(",", " "))
    return count, seconds
