"""Benchmark of the audit log viewer (/gestion/journal/) and its CSV export on a large journal.

Creates a throw-away database (never the one in use), appends N audit events spread over 5 years from 2,000 actors,
then times the viewer (first page, filters, a deep page) and the CSV export through Django's test client, with the
number of SQL queries of each. Prints a table.

    .venv/bin/python -m bench.audit_log                                  # SQLite, 200,000 events
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cnum_bench .venv/bin/python -m bench.audit_log --events 1000000
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts import services  # noqa: E402
from accounts.enums import AuditAction, Role  # noqa: E402
from accounts.models import AuditEvent, User  # noqa: E402


def out(text: str = "") -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def use_throwaway_database() -> None:
    database = connection.settings_dict
    if database["ENGINE"].endswith("sqlite3"):
        database["TEST"]["NAME"] = "/tmp/bench_audit.sqlite3"
    else:
        database["TEST"]["NAME"] = f"bench_audit_{database['NAME']}"
    connection.creation.create_test_db(verbosity=0, autoclobber=True)


def generate(count: int, rng: random.Random) -> User:
    started = time.perf_counter()
    admin = User.objects.create_user(email="bench.admin@anct.gouv.fr", password="bench-password-123456")
    services.membership_grant(user=admin, role=Role.NATIONAL, granted_by=None)
    actors = User.objects.bulk_create(
        [User(email=f"agent{index}@bench.gouv.fr", password="!") for index in range(2000)], batch_size=1000
    )
    actions = AuditAction.values
    now = timezone.now()
    batch = []
    for index in range(count):
        actor = actors[rng.randrange(len(actors))]
        batch.append(
            AuditEvent(
                created_at=now - timedelta(seconds=rng.randrange(5 * 365 * 86400)),
                actor=actor,
                actor_label=actor.email,
                action=rng.choice(actions),
                target_type="workflows.recruitment",
                target_id=str(index),
                target_label=f"Dossier {index}",
                details={"step": "recrutement_validation_hub", "verdict": "validation"},
                ip_address=f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}",
                user_agent="Mozilla/5.0 (bench)",
            )
        )
        if len(batch) == 5000:
            AuditEvent.objects.bulk_create(batch)
            batch = []
    AuditEvent.objects.bulk_create(batch)
    out(f"{count:,} events generated in {time.perf_counter() - started:.1f} s".replace(",", " "))
    return admin


def measure(client: Client, params: dict, runs: int) -> tuple[float, float, int, int]:
    timings = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(reverse("accounts:audit_log"), params)
            size = len(b"".join(response.streaming_content)) if response.streaming else len(response.content)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    timings.sort()
    p95 = timings[min(len(timings) - 1, int(round(0.95 * (len(timings) - 1))))]
    return statistics.median(timings), p95, len(queries), size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    out(f"Database: {connection.vendor}")
    use_throwaway_database()
    admin = generate(args.events, random.Random(7))
    client = Client()
    client.force_login(admin)
    today = timezone.localdate()
    scenarios = [
        ("first page, no filter", {}),
        ("filter: action", {"action": AuditAction.DATA_EXPORTED}),
        ("filter: actor (e-mail part)", {"actor": "agent1234@"}),
        ("filter: last 30 days", {"start": (today - timedelta(days=30)).isoformat(), "end": today.isoformat()}),
        ("filter: object id", {"target": "4242"}),
        ("page 100", {"page": 100}),
        (
            "CSV: one action, last 30 days",
            {"action": AuditAction.DATA_EXPORTED, "start": (today - timedelta(days=30)).isoformat(), "format": "csv"},
        ),
        ("CSV: one action, all time", {"action": AuditAction.DATA_EXPORTED, "format": "csv"}),
    ]
    out(f"{'Scenario':<34} {'median ms':>10} {'p95 ms':>9} {'queries':>8} {'bytes':>11}")
    for name, params in scenarios:
        runs = 3 if params.get("format") == "csv" and "start" not in params else args.runs
        median, p95, queries, size = measure(client, params, runs)
        size_text = f"{size:,}".replace(",", " ")
        out(f"{name:<34} {median:>10.1f} {p95:>9.1f} {queries:>8} {size_text:>11}")
    connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)


if __name__ == "__main__":
    main()
