"""Benchmark of the statistics engine: rollups versus the naive aggregation of the raw reports.

Creates a throw-away database (never the one in use), generates a national-like network and N activity reports over
several years, rebuilds the rollups, then times reporting.selectors.activity_statistics (rollups) and
activity_statistics_naive (raw reports) for several scopes and periods, and the write path. Prints tables.

    .venv/bin/python -m bench.reporting_stats                      # SQLite, 300,000 reports
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cnum .venv/bin/python -m bench.reporting_stats --reports 300000
    .venv/bin/python -m bench.reporting_stats --reports 3000000 --advisors 4000 --structures 2900   # issue 6 scale

Options: --reports, --advisors, --structures, --years, --runs, --seed, --keep (keep the database for another run:
then --reuse skips the generation).
"""

import argparse
import os
import random
import statistics
import sys
import time
import uuid
from datetime import timedelta

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from directory.demo import demo_siret  # noqa: E402
from directory.enums import StructureStatus, StructureType  # noqa: E402
from directory.models import Advisor, Place, PlaceAssignment, Structure  # noqa: E402
from reporting import rollups, services  # noqa: E402
from reporting.counters import MATERIAL_BITS, PROCEDURE_BITS, THEME_BITS  # noqa: E402
from reporting.enums import ActivityKind, PlaceType, Theme  # noqa: E402
from reporting.models import Activity, ActivityRollup, RollupLevel  # noqa: E402
from reporting.scopes import Scope  # noqa: E402
from reporting.selectors import Filters, Period, activity_statistics, activity_statistics_naive  # noqa: E402
from territories.models import Commune, Department  # noqa: E402

THEMES = list(THEME_BITS.values())
PROCEDURES = list(PROCEDURE_BITS.values())
MATERIALS = [bit for value, bit in MATERIAL_BITS.items() if value != "aucun"]
STRUCTURE_TYPES = list(StructureType.values)


def out(text: str = "") -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def use_throwaway_database(reuse: bool) -> str:
    """Point Django at a bench database (created and migrated here) so the real one is never touched.

    Returns the name of the database in use before, to restore it at the end.
    """
    database = connection.settings_dict
    original = database["NAME"]
    if database["ENGINE"].endswith("sqlite3"):
        database["TEST"]["NAME"] = "/tmp/bench_reporting.sqlite3"
    else:
        database["TEST"]["NAME"] = f"bench_{database['NAME']}"
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=reuse)
    return original


def generate(args, rng: random.Random) -> None:
    """Structures over every department, advisors with one place each, and reports spread over the years."""
    started = time.perf_counter()
    call_command("load_territories", verbosity=0)
    departments = list(Department.objects.select_related("region"))
    communes_by_department: dict[str, list[str]] = {}
    for code, department in Commune.objects.order_by("-population").values_list("code", "department_id"):
        communes_by_department.setdefault(department, []).append(code)
    structures = []
    for index in range(args.structures):
        department = departments[index % len(departments)]
        commune = rng.choice(communes_by_department[department.code][:20])
        structures.append(
            Structure(
                siret=demo_siret(700_000 + index),
                name=f"Structure {index}",
                type=rng.choice(STRUCTURE_TYPES),
                status=StructureStatus.VALIDATED,
                commune_id=commune,
                department_id=department.code,
                posts_granted=2,
            )
        )
    Structure.objects.bulk_create(structures, batch_size=1000)
    structures = list(Structure.objects.select_related("department"))
    advisors = [
        Advisor(first_name="Conseiller", last_name=str(index), structure=structures[index % len(structures)])
        for index in range(args.advisors)
    ]
    Advisor.objects.bulk_create(advisors, batch_size=1000)
    advisors = list(Advisor.objects.select_related("structure__department"))
    places = [
        Place(
            name=f"Lieu {advisor.pk}",
            address="1 place de la Mairie",
            commune_id=advisor.structure.commune_id,
            department_id=advisor.structure.department_id,
            structure=advisor.structure,
        )
        for advisor in advisors
    ]
    Place.objects.bulk_create(places, batch_size=1000)
    places = {place.structure_id: place for place in Place.objects.all()}
    assignments = [PlaceAssignment(advisor=a, place=places[a.structure_id], is_principal=True) for a in advisors]
    PlaceAssignment.objects.bulk_create(assignments, batch_size=1000)
    out(f"Network: {len(structures)} structures, {len(advisors)} advisors ({time.perf_counter() - started:.1f} s)")

    started = time.perf_counter()
    today = timezone.localdate()
    days = 365 * args.years
    batch = []
    for number in range(args.reports):
        advisor = advisors[rng.randrange(len(advisors))]
        structure = advisor.structure
        individual = rng.random() < 0.8
        participants = 1 if individual else rng.randint(2, 15)
        place_type = rng.choices(PlaceType.values, weights=[78, 7, 5, 10])[0]
        themes = 0
        for _ in range(rng.choice((1, 1, 2, 3))):
            themes |= rng.choice(THEMES)
        procedures = rng.choice(PROCEDURES) if themes & THEME_BITS[Theme.ADMINISTRATIVE] else 0
        known = rng.randint(0, participants)
        batch.append(
            Activity(
                advisor_id=advisor.pk,
                structure_id=structure.pk,
                department_id=structure.department_id,
                region_id=structure.department.region_id,
                structure_type=structure.type,
                kind=ActivityKind.INDIVIDUAL if individual else ActivityKind.COLLECTIVE,
                date=today - timedelta(days=rng.randrange(days)),
                duration=rng.choice((15, 30, 45, 60, 90, 120, 150)),
                place_type=place_type,
                place_id=places[structure.pk].pk if place_type == PlaceType.ACTIVITY_PLACE else None,
                commune_id=structure.commune_id,
                themes=themes,
                procedures=procedures,
                materials=rng.choice(MATERIALS),
                participants=participants,
                already_accompanied=rng.randint(0, participants),
                redirected=rng.random() < 0.15 if individual else None,
                gender_feminin=known,
                gender_non_communique=participants - known,
                age_non_communique=participants,
                status_non_communique=participants,
                idempotency_token=uuid.uuid4(),
            )
        )
        if len(batch) == 20_000 or number == args.reports - 1:
            Activity.objects.bulk_create(batch, batch_size=5000)
            batch = []
    out(f"Reports: {args.reports:,} inserted ({time.perf_counter() - started:.1f} s)")


def timed(function, runs: int) -> list[float]:
    function()  # warm caches and the connection
    durations = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        durations.append((time.perf_counter() - started) * 1000)
    return durations


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def scenarios(rng: random.Random) -> list[tuple[str, Scope, Period, Filters, dict]]:
    today = timezone.localdate()
    advisor = Advisor.objects.order_by("pk")[rng.randrange(Advisor.objects.count())]
    department = advisor.structure.department_id
    region = advisor.structure.department.region_id
    twelve = Period.last_months(12, today)
    unaligned = Period(twelve.start + timedelta(days=14), today - timedelta(days=40))
    return [
        ("national, 12 months", Scope.national(), twelve, Filters(), {}),
        ("national, unaligned period (two edge months)", Scope.national(), unaligned, Filters(), {}),
        ("national, 12 months, thématique filter", Scope.national(), twelve, Filters(theme=Theme.HEALTH), {}),
        (
            "national, 4 years + by department",
            Scope.national(),
            Period(today - timedelta(days=4 * 365), today),
            Filters(),
            {"locations": True},
        ),
        ("region, 12 months", Scope.regions([region]), twelve, Filters(), {}),
        ("department, 12 months, unaligned", Scope.departments([department]), unaligned, Filters(), {}),
        ("one advisor, 12 months + locations", Scope.advisors([advisor.pk]), twelve, Filters(), {"locations": True}),
        (
            "one advisor, year to date, kind filter",
            Scope.advisors([advisor.pk]),
            Period.year_to_date(today),
            Filters(kind="collectif"),
            {},
        ),
    ]


def bench_reads(args, rng) -> None:
    out()
    out(
        f"{'scenario':<52} {'rollups median':>14} {'p95':>8} {'naive median':>13} {'p95':>9} {'speed-up':>9}"
        f" {'equal':>6}"
    )
    out("-" * 116)
    for name, scope, period, filters, options in scenarios(rng):
        arguments = (scope, period, filters)
        fast = timed(lambda: activity_statistics(*arguments, **options), args.runs)  # noqa: B023
        slow = timed(lambda: activity_statistics_naive(*arguments, **options), max(3, args.runs // 4))  # noqa: B023
        equal = activity_statistics(*arguments, **options) == activity_statistics_naive(*arguments, **options)
        speed_up = statistics.median(slow) / statistics.median(fast)
        out(
            f"{name:<52} {statistics.median(fast):>11.1f} ms {p95(fast):>5.1f} ms {statistics.median(slow):>10.1f} ms"
            f" {p95(slow):>6.1f} ms {speed_up:>8.0f}× {'yes' if equal else 'NO':>6}"
        )


def bench_writes(args, rng) -> None:
    advisors = list(Advisor.objects.select_related("structure").order_by("?")[:50])
    today = timezone.localdate()
    durations = []
    for index in range(200):
        advisor = advisors[index % len(advisors)]
        values = {
            "kind": ActivityKind.INDIVIDUAL,
            "date": today - timedelta(days=rng.randrange(30)),
            "duration": 45,
            "place_type": PlaceType.REMOTE,
            "themes": THEME_BITS[Theme.EMAIL] | THEME_BITS[Theme.HEALTH],
            "gender_non_communique": 1,
            "age_non_communique": 1,
            "status_non_communique": 1,
        }
        started = time.perf_counter()
        services.activity_create(advisor=advisor, values=values, token=uuid.uuid4())
        durations.append((time.perf_counter() - started) * 1000)
    out()
    out(
        f"Write path (create a report and its rollups, 200 runs): median {statistics.median(durations):.1f} ms,"
        f" p95 {p95(durations):.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=300_000)
    parser.add_argument("--advisors", type=int, default=400)
    parser.add_argument("--structures", type=int, default=290)
    parser.add_argument("--years", type=int, default=4)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep", action="store_true", help="keep the bench database afterwards")
    parser.add_argument("--reuse", action="store_true", help="reuse a kept bench database (no generation)")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    out(f"Database: {connection.vendor} ({settings.DATABASES['default']['ENGINE']})")
    original = use_throwaway_database(args.reuse or args.keep)
    try:
        if not args.reuse:
            generate(args, rng)
            started = time.perf_counter()
            rows = rollups.rebuild()
            out(f"Rollups rebuilt: {rows:,} rows ({time.perf_counter() - started:.1f} s)")
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("VACUUM ANALYZE")
            else:
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
        reports = Activity.objects.count()
        out(f"Reports in the database: {reports:,}")
        counts = [
            f"{RollupLevel(level).label} {ActivityRollup.objects.filter(level=level).count():,}"
            for level in RollupLevel.values
        ]
        out("Rollup rows per level: " + ", ".join(counts))
        bench_reads(args, rng)
        bench_writes(args, rng)
    finally:
        if not args.keep:
            connection.creation.destroy_test_db(original, verbosity=0)


if __name__ == "__main__":
    main()
