"""Benchmark of the statistics filtered by tag and of the « Étiquettes » breakdown (issue 15 part 3).

Tags are not in the rollups: a tag filter reads the raw reports. This script generates the network and reports of
bench.reporting_stats in a throw-away database, tags a share of them, and times the tagged statistics per scope.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cnum .venv/bin/python -m bench.tag_stats --reports 300000
"""

import argparse
import random
import statistics

from django.db import connection
from django.utils import timezone

from bench.reporting_stats import generate, out, p95, timed, use_throwaway_database
from directory.models import Advisor
from reporting import rollups
from reporting.enums import TagScope
from reporting.models import Activity, ActivityTag, Tag
from reporting.scopes import Scope
from reporting.selectors import Filters, Period, activity_statistics, activity_statistics_naive
from reporting.tag_statistics import tag_breakdown


def tag_reports(rng: random.Random) -> tuple[Tag, Tag, Tag, Advisor]:
    """A national tag on 10 % of the reports, a departmental one on 30 % of a department's, a personal one."""
    advisor = Advisor.objects.select_related("structure").order_by("pk").first()
    department = advisor.structure.department_id
    national = Tag.objects.create(name="France Services", scope=TagScope.NATIONAL)
    local = Tag.objects.create(name="Programme local", scope=TagScope.DEPARTMENT, department_id=department)
    personal = Tag.objects.create(name="Permanence", scope=TagScope.PERSONAL, owner=advisor)
    links = []
    for pk, department_id, advisor_id in Activity.objects.values_list("pk", "department_id", "advisor_id").iterator():
        if rng.random() < 0.10:
            links.append(ActivityTag(activity_id=pk, tag=national))
        if department_id == department and rng.random() < 0.30:
            links.append(ActivityTag(activity_id=pk, tag=local))
        if advisor_id == advisor.pk and rng.random() < 0.5:
            links.append(ActivityTag(activity_id=pk, tag=personal))
    ActivityTag.objects.bulk_create(links, batch_size=5000)
    out(f"Tagged: {len(links):,} links")
    return national, local, personal, advisor


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=300_000)
    parser.add_argument("--advisors", type=int, default=400)
    parser.add_argument("--structures", type=int, default=290)
    parser.add_argument("--years", type=int, default=4)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    out(f"Database: {connection.vendor}")
    original = use_throwaway_database(False)
    try:
        generate(args, rng)
        rollups.rebuild()
        national, local, personal, advisor = tag_reports(rng)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        twelve = Period.last_months(12, timezone.localdate())
        department = Scope.departments([local.department_id])
        cases = [
            ("national, 12 months, no filter (rollups)", lambda: activity_statistics(Scope.national(), twelve)),
            (
                "national, 12 months, national tag",
                lambda: activity_statistics(Scope.national(), twelve, Filters(tag=national.pk)),
            ),
            (
                "national, 12 months, national tag (naive)",
                lambda: activity_statistics_naive(Scope.national(), twelve, Filters(tag=national.pk)),
            ),
            (
                "department, 12 months, departmental tag",
                lambda: activity_statistics(department, twelve, Filters(tag=local.pk)),
            ),
            (
                "one advisor, 12 months, personal tag",
                lambda: activity_statistics(Scope.advisors([advisor.pk]), twelve, Filters(tag=personal.pk)),
            ),
            ("breakdown « Étiquettes », national, 12 months", lambda: tag_breakdown(Scope.national(), twelve)),
            ("breakdown « Étiquettes », department, 12 months", lambda: tag_breakdown(department, twelve)),
        ]
        out(f"Reports: {Activity.objects.count():,}")
        out(f"{'scenario':<52} {'median':>10} {'p95':>10}")
        for name, function in cases:
            durations = timed(function, args.runs)
            out(f"{name:<52} {statistics.median(durations):>7.1f} ms {p95(durations):>7.1f} ms")
    finally:
        connection.creation.destroy_test_db(original, verbosity=0)


if __name__ == "__main__":
    main()
