"""Benchmark of the switch-over import at national scale: exports generated once, imported into a fresh database.

Generates the existing system's exports into a directory (kept and reused: generation is not what is measured),
creates a throw-away database (never the one in use), runs the full import in the order of `import_legacy --all`,
then rebuilds the rollups, and prints one line per phase (rows, seconds, rows/s, peak resident memory so far), the
total and the peak memory (resident set size) of this process.

    .venv/bin/python -m bench.switchover                                   # SQLite, 2,700,000 reports
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cnum .venv/bin/python -m bench.switchover
    .venv/bin/python -m bench.switchover --reports 200000 --dir /tmp/sw_small   # a quick run

The exports come from switchover.generator (`generate_legacy_export`): every collection, with its few deliberate
defects. Every importer runs, exactly as `import_legacy --all` runs them. Options: --reports, --advisors,
--structures, --dir, --seed, --keep.
"""

import argparse
import os
import resource
import sys
import time
from datetime import date

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from reporting.models import Activity  # noqa: E402
from reporting.scopes import Scope  # noqa: E402
from reporting.selectors import Period, activity_statistics, activity_statistics_naive  # noqa: E402
from switchover.finalize import rollups_rebuild  # noqa: E402
from switchover.generator import generate  # noqa: E402
from switchover.importers import IMPORTERS  # noqa: E402
from switchover.management.commands.import_legacy import find_export  # noqa: E402
from switchover.pipeline import run_import  # noqa: E402


def out(text: str = "") -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def check_against_naive_recount() -> None:
    """Every indicator, from the rollups, against the naive recount over the imported reports (after the import)."""
    period = Period(date(2020, 1, 1), date(2024, 12, 31))
    department = Activity.objects.exclude(department=None).values_list("department", flat=True).first()
    for label, scope in (
        ("national", Scope.national()),
        (f"department {department}", Scope.departments([department])),
    ):
        started = time.monotonic()
        fast = activity_statistics(scope, period, today=date(2025, 1, 1))
        naive = activity_statistics_naive(scope, period, today=date(2025, 1, 1))
        verdict = "equal" if fast.totals == naive.totals else "DIFFERENT"
        out(f"indicators ({label}, 2020–2024) vs naive recount: {verdict} ({time.monotonic() - started:.1f} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=2_700_000)
    parser.add_argument("--advisors", type=int, default=4000)
    parser.add_argument("--structures", type=int, default=2900)
    parser.add_argument("--dir", default="/tmp/bench_switchover")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep", action="store_true", help="keep the bench database afterwards")
    args = parser.parse_args()

    database = connection.settings_dict
    original = database["NAME"]
    vendor = "SQLite" if database["ENGINE"].endswith("sqlite3") else "PostgreSQL"
    database["TEST"]["NAME"] = "/tmp/bench_switchover.sqlite3" if vendor == "SQLite" else f"bench_sw_{original}"
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        out(f"memory after the database set-up: {peak_mb():.0f} MB")
        call_command("load_territories", verbosity=0)
        cras_path = os.path.join(args.dir, "cras.json")
        if not os.path.exists(cras_path):
            started = time.monotonic()
            generate(
                args.dir, structures=args.structures, advisors=args.advisors, reports=args.reports, seed=args.seed
            )
            out(f"Export generated in {args.dir} ({time.monotonic() - started:.0f} s)")
        out(f"Switch-over bench ({vendor}): {os.path.getsize(cras_path) / 1e9:.2f} GB of cras in {args.dir}")
        phases = []
        for name, importer_class in IMPORTERS.items():
            path = find_export(args.dir, importer_class().source)
            if path is None:
                continue
            importer = importer_class()
            importer.print_ = out
            summary = run_import(importer, path, progress=name == "cras", print_=out)
            phases.append((name, summary.imported, summary.seconds, peak_mb()))
            if summary.rejected:
                out(f"{name}: {summary.rejected} rejected rows (deliberate defects of the generator)")
        count, seconds = rollups_rebuild(print_=out)
        phases.append(("rollups", count, seconds, peak_mb()))

        out("")
        out(f"{'phase':<22}{'rows':>12}{'seconds':>10}{'rows/s':>12}{'peak MB':>10}")
        for name, rows, seconds, peak in phases:
            out(f"{name:<22}{rows:>12,}{seconds:>10.1f}{rows / seconds if seconds else 0:>12,.0f}{peak:>10.0f}")
        total = sum(phase[2] for phase in phases)
        out(f"{'total':<22}{'':>12}{total:>10.1f}")
        out(f"peak memory (RSS): {peak_mb():.0f} MB")
        check_against_naive_recount()
    finally:
        if not args.keep:
            connection.creation.destroy_test_db(original, verbosity=0)


if __name__ == "__main__":
    main()
