"""Timing and peak memory of the activity-report CSV export over N rows (1,000,000 by default).

Runs the real path of the view — pilotage_exports.csv_content: PostgreSQL's COPY (reporting/csv_copy.py), or on
SQLite Python rows over a chunked cursor — in a child process, consuming the streamed chunks, and
reports rows per second and the child's peak resident memory (ru_maxrss), before and after. Prints a table.

    .venv/bin/python -m bench.pilotage_export                       # SQLite: /tmp/bench_pilotage.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cnum .venv/bin/python -m bench.pilotage_export --rows 1000000
"""

import argparse
import json
import resource
import subprocess
import sys
import time

from bench.pilotage_common import out


def child(rows: int, db: str) -> dict:
    """In the child process: export `rows` reports (national scope, most recent first) and measure."""
    from bench.pilotage_common import setup_django, use_bench_database

    setup_django()
    use_bench_database(db, create=False)
    from reporting.enums import ExportKind
    from reporting.models import Activity
    from reporting.pilotage_exports import csv_content

    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queryset = Activity.objects.current().order_by()
    ids = queryset.values_list("pk", flat=True).order_by("-pk")[rows - 1 : rows]
    floor = ids[0] if ids else 0
    queryset = queryset.filter(pk__gte=floor)
    started = time.perf_counter()
    written = lines = 0
    for chunk in csv_content(ExportKind.ACTIVITIES, queryset):
        data = chunk.encode() if isinstance(chunk, str) else chunk
        written += len(data)
        lines += data.count(b"\n")
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"rows": lines - 1, "seconds": elapsed, "bytes": written, "baseline_mb": baseline, "peak_mb": peak}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--db", default="")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        sys.stdout.write(json.dumps(child(args.rows, args.db)) + "\n")
        return
    command = [sys.executable, "-m", "bench.pilotage_export", "--child", "--rows", str(args.rows), "--db", args.db]
    result = json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout.splitlines()[-1])
    rate = result["rows"] / result["seconds"]
    out(
        f"{'CSV export (activity reports)':<34} {'rows':>10} {'seconds':>8} {'rows/s':>9} {'MB written':>10} "
        f"{'RSS before':>10} {'peak RSS':>9}"
    )
    out(
        f"{'streamed, one row per report':<34} {result['rows']:>10,} {result['seconds']:>8.1f} {rate:>9,.0f} "
        f"{result['bytes'] / 1e6:>10.0f} {result['baseline_mb']:>8.0f}MB {result['peak_mb']:>7.0f}MB"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
