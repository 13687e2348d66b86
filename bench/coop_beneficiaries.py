"""Benchmark of the statistics pages with followed beneficiaries (issue 15): do they cost the same with 100,000?

Creates a throw-away database (never the one in use), the network and reports of bench/reporting_stats.py, then
requests « Mes statistiques », the coordinator's team statistics and the pilotage dashboard (national and one
department) through the test client, before and after adding N followed beneficiaries linked to reports. Prints
the median and p95 time and the query count of each page, before and after.

    .venv/bin/python -m bench.coop_beneficiaries                     # SQLite, 100,000 reports, 100,000 people
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_people .venv/bin/python -m bench.coop_beneficiaries

Options: --reports, --advisors, --structures, --years, --beneficiaries, --runs, --seed.
The links are inserted in bulk with their contribution (the write path is measured by tests, not here).
"""

import argparse
import os
import random
import statistics
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts import services as account_services  # noqa: E402
from accounts.enums import Role  # noqa: E402
from accounts.models import User  # noqa: E402
from bench.reporting_stats import generate, out, p95, timed, use_throwaway_database  # noqa: E402
from directory.models import Advisor  # noqa: E402
from reporting import rollups  # noqa: E402
from reporting.enums import ActivityKind, AgeBand, Gender, SocialStatus  # noqa: E402
from reporting.models import Activity, ActivityBeneficiary, Beneficiary  # noqa: E402


def user_for(email: str, role: str, **scope) -> User:
    user = User.objects.create_user(email=email, password="bench-password-not-secret")
    account_services.membership_grant(user=user, role=role, granted_by=None, **scope)
    user.refresh_from_db()
    return user


def clients(rng: random.Random) -> list[tuple[str, Client, str]]:
    """(page, logged-in client, url) of the pages measured."""
    advisors = list(Advisor.objects.select_related("structure").order_by("pk"))
    advisor = advisors[rng.randrange(len(advisors))]
    coordinator = advisors[(advisors.index(advisor) + 1) % len(advisors)]
    coordinator.is_coordinator = True
    coordinator.save(update_fields=["is_coordinator"])
    coordinator.coordinated_advisors.add(*advisors[:10])
    users = [
        (
            "« Mes statistiques » (one advisor)",
            user_for("a@bench.test", Role.ADVISOR, advisor=advisor),
            "coop:statistics",
        ),
        (
            "team statistics (10 advisors)",
            user_for("c@bench.test", Role.COORDINATOR, advisor=coordinator),
            "coop:team_statistics",
        ),
        ("pilotage dashboard, national", user_for("n@bench.test", Role.NATIONAL), "pilotage:dashboard"),
        (
            "pilotage dashboard, one department",
            user_for("p@bench.test", Role.PREFECTURE, department=advisor.structure.department),
            "pilotage:dashboard",
        ),
    ]
    result = []
    for name, user, url in users:
        client = Client()
        client.force_login(user)
        result.append((name, client, reverse(url)))
    return result


def measure(pages, runs: int) -> dict[str, tuple[float, float, int]]:
    results = {}
    for name, client, url in pages:
        durations = timed(lambda: client.get(url), runs)  # noqa: B023
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        results[name] = (statistics.median(durations), p95(durations), len(queries.captured_queries))
    return results


def follow(count: int, rng: random.Random) -> int:
    """`count` followed people spread over the advisors, each linked to 1–3 of her advisor's reports."""
    started = time.perf_counter()
    advisors = list(Advisor.objects.values_list("pk", flat=True))
    reports: dict[int, list[tuple[int, str]]] = {}
    for pk, advisor, kind in Activity.objects.values_list("pk", "advisor_id", "kind").iterator(chunk_size=20000):
        reports.setdefault(advisor, []).append((pk, kind))
    now = timezone.now()
    people = [
        Beneficiary(
            advisor_id=advisors[index % len(advisors)],
            first_name=f"Prénom{index}",
            last_name=f"Nom{index}",
            gender=rng.choice(Gender.values),
            age_band=rng.choice(AgeBand.values),
            status=rng.choice(SocialStatus.values),
            informed_at=now,
        )
        for index in range(count)
    ]
    Beneficiary.objects.bulk_create(people, batch_size=5000)
    taken: set[int] = set()  # individual reports already linked to someone
    links = []
    for person in Beneficiary.objects.values("pk", "advisor_id", "gender", "age_band", "status").iterator(
        chunk_size=20000
    ):
        mine = reports.get(person["advisor_id"], [])
        for position, (report, kind) in enumerate(rng.sample(mine, min(len(mine), rng.randint(1, 3)))):
            if kind == ActivityKind.INDIVIDUAL and report in taken:
                continue
            taken.add(report)
            links.append(
                ActivityBeneficiary(
                    activity_id=report,
                    beneficiary_id=person["pk"],
                    gender=person["gender"],
                    age_band=person["age_band"],
                    status=person["status"],
                    already_accompanied=position > 0,
                )
            )
    ActivityBeneficiary.objects.bulk_create(links, batch_size=5000, ignore_conflicts=True)
    out(f"Followed people: {count:,}, links: {len(links):,} ({time.perf_counter() - started:.1f} s)")
    return len(links)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--advisors", type=int, default=400)
    parser.add_argument("--structures", type=int, default=290)
    parser.add_argument("--years", type=int, default=2)
    parser.add_argument("--beneficiaries", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    out(f"Database: {connection.vendor}")
    original = use_throwaway_database(False)
    try:
        generate(args, rng)
        rollups.rebuild()
        pages = clients(rng)
        before = measure(pages, args.runs)
        follow(args.beneficiaries, rng)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        after = measure(pages, args.runs)
        out()
        out(
            f"{'page':<40} {'without: median':>15} {'p95':>8} {'queries':>8} {'with: median':>13} {'p95':>8}"
            f" {'queries':>8}"
        )
        out("-" * 106)
        for name, _, _ in pages:
            (m0, p0, q0), (m1, p1, q1) = before[name], after[name]
            out(f"{name:<40} {m0:>12.1f} ms {p0:>5.1f} ms {q0:>8} {m1:>10.1f} ms {p1:>5.1f} ms {q1:>8}")
    finally:
        connection.creation.destroy_test_db(original, verbosity=0)


if __name__ == "__main__":
    main()
