"""Timings of the pilotage dashboards on the national data set (run bench.pilotage_data first).

For the national, one-department, one-structure and one-advisor dashboards and the territorial table, times what the
page computes from the rollups (engine) and the same indicators aggregated from the raw reports (naive), in the same
run: median and p95 of warm runs, the cold first run, and the ratio. Also times the rendered national page (HTTP
through the test client, template included). Prints tables.

    .venv/bin/python -m bench.pilotage_dashboards                       # SQLite: /tmp/bench_pilotage.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cnum .venv/bin/python -m bench.pilotage_dashboards

Options: --runs (warm runs, default 20), --naive-runs (default 5), --db.
"""

import argparse
import sys
from datetime import timedelta

from bench.pilotage_common import median, out, p95, setup_django, timed, use_bench_database

setup_django()

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts import services as account_services  # noqa: E402
from accounts.enums import Role  # noqa: E402
from accounts.models import User  # noqa: E402
from reporting import aggregation, territorial  # noqa: E402
from reporting.models import Activity  # noqa: E402
from reporting.scopes import Scope  # noqa: E402
from reporting.selectors import Filters, Period, activity_statistics, activity_statistics_naive  # noqa: E402

BY_RAW = {"region": "region_id", "department": "department_id", "structure": "structure_id", "advisor": "advisor_id"}


def engine_dashboard(scope, period, filters, by):
    """What /pilotage/ computes: every indicator, the network, structures by type, the drill-down."""
    result = activity_statistics(scope, period, filters)
    network = territorial.network_totals(scope, filters)
    profile = territorial.structure_profile(scope, filters)
    drill = territorial.drill_down(scope, period, filters, by) if by else None
    return result, network, profile, drill


def naive_dashboard(scope, period, filters, by):
    """The same indicators from the raw reports (the network is directory data: the same queries)."""
    result = activity_statistics_naive(scope, period, filters)
    network = territorial.network_totals(scope, filters)
    profile = territorial.structure_profile(scope, filters)
    drill = None
    if by:
        drill = aggregation.raw_totals(
            scope, filters, [(period.start, period.end)], [BY_RAW[by]], territorial.BREAKDOWN_COUNTERS
        )
    return result, network, profile, drill


def naive_table(scope, period, filters, by):
    rows = aggregation.raw_totals(
        scope, filters, [(period.start, period.end)], [BY_RAW[by]], territorial.BREAKDOWN_COUNTERS
    )
    return rows, territorial.network_by(scope, filters, by), territorial.territories(scope, by)


def pick_scopes():
    """The busiest department, its busiest structure, that structure's busiest advisor (one query each)."""
    recent = Activity.objects.current().filter(date__gte=timezone.localdate() - timedelta(days=90))
    department = recent.values("department_id").annotate(n=Count("pk")).order_by("-n").first()["department_id"]
    structure = (
        recent.filter(department_id=department).values("structure_id").annotate(n=Count("pk")).order_by("-n").first()
    )["structure_id"]
    advisor = (
        recent.filter(structure_id=structure).values("advisor_id").annotate(n=Count("pk")).order_by("-n").first()
    )["advisor_id"]
    return department, structure, advisor


def scenarios():
    today = timezone.localdate()
    twelve = Period.last_months(12, today)
    four_years = Period(today - timedelta(days=4 * 365), today)
    department, structure, advisor = pick_scopes()
    none = Filters()
    return [
        ("national dashboard, 12 months", "dashboard", Scope.national(), twelve, none, "region"),
        (
            "national dashboard, 12 months, thématique",
            "dashboard",
            Scope.national(),
            twelve,
            Filters(theme="sante"),
            "region",
        ),
        ("national dashboard, 4 years", "dashboard", Scope.national(), four_years, none, "region"),
        (
            f"department {department} dashboard, 12 months",
            "dashboard",
            Scope.departments([department]),
            twelve,
            none,
            "structure",
        ),
        (
            f"structure {structure} dashboard, 12 months",
            "dashboard",
            Scope.structures([structure]),
            twelve,
            none,
            "advisor",
        ),
        (f"advisor {advisor} dashboard, 12 months", "dashboard", Scope.advisors([advisor]), twelve, none, None),
        ("territorial table by department, 12 months", "table", Scope.national(), twelve, none, "department"),
        ("territorial table by department, 4 years", "table", Scope.national(), four_years, none, "department"),
        ("territorial table by region, 12 months", "table", Scope.national(), twelve, none, "region"),
    ]


def fresh_connection() -> None:
    connection.close()
    connection.ensure_connection()


def bench(args) -> list[tuple]:
    results = []
    header = (
        f"{'scenario':<52} {'cold':>8} {'median':>8} {'p95':>8} │ {'naive cold':>10} {'median':>8} {'p95':>8} │ "
        f"{'ratio':>6}"
    )
    out()
    out(header)
    out("─" * len(header))
    for name, kind, scope, period, filters, by in scenarios():
        if kind == "dashboard":
            fast_fn = lambda: engine_dashboard(scope, period, filters, by)  # noqa: E731, B023
            slow_fn = lambda: naive_dashboard(scope, period, filters, by)  # noqa: E731, B023
        else:
            fast_fn = lambda: territorial.territorial_table(scope, period, filters, by)  # noqa: E731, B023
            slow_fn = lambda: naive_table(scope, period, filters, by)  # noqa: E731, B023
        fresh_connection()
        fast_cold, fast = timed(fast_fn, args.runs)
        fresh_connection()
        slow_cold, slow = timed(slow_fn, args.naive_runs)
        if kind == "dashboard":
            assert activity_statistics(scope, period, filters) == activity_statistics_naive(scope, period, filters)
        ratio = median(slow) / median(fast)
        out(
            f"{name:<52} {fast_cold:>6.1f}ms {median(fast):>6.1f}ms {p95(fast):>6.1f}ms │ {slow_cold:>8.1f}ms "
            f"{median(slow):>6.1f}ms {p95(slow):>6.1f}ms │ {ratio:>5.0f}×"
        )
        results.append((name, median(fast), p95(fast), median(slow), ratio))
    return results


def bench_page(args) -> None:
    """The national dashboard page through the test client (middleware, session, template)."""
    user, _ = User.objects.get_or_create(email="bench.national@anct.gouv.fr")
    if not user.memberships.exists():
        account_services.membership_grant(user=user, role=Role.NATIONAL, granted_by=None)
    client = Client()
    client.force_login(user)
    for label, url in (
        ("page /pilotage/ (national, 12 months)", "/pilotage/"),
        ("page /pilotage/territoires/ (by department)", "/pilotage/territoires/"),
    ):
        fresh_connection()
        cold, warm = timed(lambda: client.get(url), args.runs)  # noqa: B023
        status = client.get(url).status_code
        out(f"{label:<52} {cold:>6.1f}ms {median(warm):>6.1f}ms {p95(warm):>6.1f}ms   (HTTP {status})")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--naive-runs", type=int, default=5)
    parser.add_argument("--db", default="")
    args = parser.parse_args(argv)
    name = use_bench_database(args.db, create=False)
    reports = Activity.objects.count()
    out(f"Database: {connection.vendor} {name}, {reports:,} reports")
    bench(args)
    out()
    out(f"{'rendered pages':<52} {'cold':>8} {'median':>8} {'p95':>8}")
    bench_page(args)


if __name__ == "__main__":
    main(sys.argv[1:])
