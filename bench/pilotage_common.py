"""Shared helpers of the pilotage benchmarks: Django set-up, the dedicated bench database, timing and tables."""

import os
import statistics
import sys
import time


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()


def out(text: str = "") -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def default_bench_name(vendor: str) -> str:
    return "/tmp/bench_pilotage.sqlite3" if vendor == "sqlite" else "cnum_bench_pilotage"


def use_bench_database(name: str = "", *, create: bool) -> str:
    """Point Django at the bench database (created from scratch when `create`), never at the one in use."""
    from django.db import connection

    name = name or default_bench_name(connection.vendor)
    connection.settings_dict["TEST"]["NAME"] = name
    if create:
        connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    else:
        connection.close()
        connection.settings_dict["NAME"] = name
        if connection.vendor == "sqlite" and not os.path.exists(name):
            raise SystemExit(f"No bench database at {name}: run python -m bench.pilotage_data first.")
        connection.ensure_connection()
    return name


def timed(function, runs: int) -> tuple[float, list[float]]:
    """(cold time of the first call, warm times of `runs` more calls), in milliseconds."""
    started = time.perf_counter()
    function()
    cold = (time.perf_counter() - started) * 1000
    warm = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        warm.append((time.perf_counter() - started) * 1000)
    return cold, warm


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def median(values: list[float]) -> float:
    return statistics.median(values)
