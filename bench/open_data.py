"""Timings of the open data and the API at national scale (run bench.pilotage_data first: 2,900 structures,
4,000 advisors and their places).

Times, through the test client with production-like middleware (JSON errors, ETag, gzip off): the change feed's
synchronisation (first, nothing to do, after 100 places left), the whole places CSV in the national schema, the
structures CSV and XLSX, a page of each JSON list (public, data·inclusion, partners), the same with `updated_since`,
a conditional request answered 304, and the partners' national statistics. Prints a table: cold first call, median
and p95 of warm calls, queries, bytes.

    .venv/bin/python -m bench.pilotage_data --reports 20000      # once: /tmp/bench_pilotage.sqlite3
    .venv/bin/python -m bench.open_data                          # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cnum .venv/bin/python -m bench.open_data

Options: --runs (warm runs, default 10), --db.
"""

import argparse
import sys
import time
from datetime import timedelta
from urllib.parse import quote

from bench.pilotage_common import median, out, p95, setup_django, timed, use_bench_database

setup_django()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from directory import changefeed  # noqa: E402
from directory.models import Place, Publication  # noqa: E402
from partners import keys  # noqa: E402
from partners.enums import Right, ScopeLevel  # noqa: E402
from partners.models import ApiToken  # noqa: E402

PLACES = "/api/lieux-mediation-numerique/"
STATS = "/api/partenaires/statistiques/"


def _token() -> str:
    secret = keys.new_secret()
    now = timezone.now()
    ApiToken.objects.create(
        name="Banc d'essai",
        organisation="Banc d'essai",
        contact_email="banc@essai.test",
        level=ScopeLevel.NATIONAL,
        rights=[right.value for right in Right],
        rate_limit=1_000_000,
        valid_from=now - timedelta(days=1),
        expires_at=now + timedelta(days=1),
        prefix=keys.prefix_of(secret),
        secret_hash=keys.hash_of(secret),
    )
    return secret


def _fetch(client: Client, url: str, **headers):
    response = client.get(url, **headers)
    if response.status_code not in (200, 304):
        raise SystemExit(f"{url}: HTTP {response.status_code} {response.content[:300]!r}")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, len(body)


def row(label: str, function, runs: int) -> None:
    """One line of the table: the first call (cold, its queries and size), then `runs` warm calls."""
    connection.queries_log.clear()  # a full log (DEBUG) would count nothing new
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = function()
        cold = (time.perf_counter() - started) * 1000
    size = result if isinstance(result, int) else 0
    count = len(queries)  # before the warm calls, which may reopen the connection and empty its log
    warm = timed(function, runs - 1)[1] + [timed(function, 0)[0]] if runs else []
    spread = f"{median(warm):,.0f} | {p95(warm):,.0f}" if warm else "— | —"
    out(f"| {label} | {cold:,.0f} | {spread} | {count} | {size / 1024:,.0f} |")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--db", default="")
    args = parser.parse_args(argv)
    name = use_bench_database(args.db, create=False)
    client = Client()
    secret = _token()
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    since = quote((timezone.now() - timedelta(days=30)).isoformat())
    places = Place.objects.count()
    Publication.objects.all().delete()
    out(f"Bench database: {name} ({connection.vendor}); {places:,} places; warm runs: {args.runs}")
    out()
    out("| What | cold ms | median ms | p95 ms | queries | kB |")
    out("|---|---:|---:|---:|---:|---:|")

    row("change feed: first synchronisation of the places", lambda: changefeed.synchronise("lieux"), 0)
    row("change feed: synchronisation, nothing changed", lambda: changefeed.synchronise("lieux"), args.runs)
    leaving = list(Place.objects.order_by("pk").values_list("pk", flat=True)[:100])

    def hundred_leave():
        Place.objects.filter(pk__in=leaving).update(is_public=False)
        changefeed.synchronise("lieux")
        Place.objects.filter(pk__in=leaving).update(is_public=True)
        changefeed.synchronise("lieux")

    row("change feed: 100 places leave, then come back (2 synchronisations)", hundred_leave, args.runs)
    for label, url, headers in [
        ("places CSV, national schema (whole file)", "/api/lieux-mediation-numerique.csv", {}),
        ("places JSON, page of 500", "/api/lieux-mediation-numerique/?limit=500", {}),
        (
            "places JSON, updated_since, page of 500",
            PLACES + f"?limit=500&updated_since={since}",
            {},
        ),
        ("places removals", "/api/lieux-mediation-numerique/suppressions/", {}),
        ("structures CSV, historical format (whole file)", "/open-data/structures.csv", {}),
        ("structures XLSX (whole file)", "/open-data/structures.xlsx", {}),
        ("data·inclusion services, page of 500", "/api/data-inclusion/services/?limit=500", {}),
        ("data·inclusion structures, page of 500", "/api/data-inclusion/structures/?limit=500", {}),
        ("partners: places, page of 500", "/api/partenaires/lieux/?limit=500", bearer),
        ("partners: structures, page of 500", "/api/partenaires/structures/?limit=500", bearer),
        ("partners: advisors, page of 500", "/api/partenaires/conseillers/?limit=500", bearer),
        ("partners: national statistics, 12 months", STATS + "?niveau=national", bearer),
        (
            "partners: statistics by region, 12 months",
            STATS + "?niveau=national&detail=true",
            bearer,
        ),
    ]:
        row(label, lambda url=url, headers=headers: _fetch(client, url, **headers)[1], args.runs)
    etag = client.get("/api/lieux-mediation-numerique/?limit=500")["ETag"]
    row(
        "places JSON, If-None-Match → 304",
        lambda: _fetch(client, "/api/lieux-mediation-numerique/?limit=500", HTTP_IF_NONE_MATCH=etag)[1],
        args.runs,
    )
    ApiToken.objects.filter(name="Banc d'essai").delete()


if __name__ == "__main__":
    main(sys.argv[1:])
