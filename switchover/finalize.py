"""The last phase of a switch-over: the rollups rebuilt set-based from every imported report, timed."""

import time
from collections.abc import Callable

from django.db import connection, transaction

from reporting import rollups
from reporting.models import ActivityRollup
from switchover import bulkindexes


def rollups_rebuild(*, print_: Callable[[str], None] | None = None) -> tuple[int, float]:
    """Recompute every rollup from the reports; returns (rows written, seconds).

    Same result as reporting.rollups.rebuild(); for the bulk case the table is emptied with TRUNCATE, its secondary
    indexes are built once after the INSERT … SELECT instead of row by row, and PostgreSQL gets the memory to hash
    its GROUP BY (work_mem) instead of sorting on disk.
    """
    started = time.monotonic()
    with transaction.atomic():
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL work_mem = '256MB'")
                cursor.execute(f"TRUNCATE {connection.ops.quote_name(ActivityRollup._meta.db_table)}")
        bulkindexes.drop_indexes(ActivityRollup)
        count = rollups.rebuild()
        bulkindexes.rebuild_indexes(ActivityRollup)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(ActivityRollup._meta.db_table)}")
    seconds = time.monotonic() - started
    if print_ is not None:
        print_(f"Agrégats reconstruits : {count:,} lignes en {seconds:.1f} s.".replace(",", " "))
    return count, seconds
