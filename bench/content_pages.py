"""Time the public site's pages and APIs (median and p95 over N runs, cold and warm cache) and print a table.

Usage (a throw-away SQLite database is built in a temporary folder; ~1 min):
    .venv/bin/python -m bench.content_pages [--runs 30]
On PostgreSQL (the database is created and dropped by the script):
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/cnum_bench .venv/bin/python -m bench.content_pages
Absolute times depend on the machine; the query counts are the stable numbers (tests assert them).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time

URLS = [
    ("/", "Accueil"),
    ("/ressources/", "Bibliothèque"),
    ("/ressources/?q=arnaques&thematique=securite-numerique&type=guide", "Bibliothèque : recherche + filtres"),
    ("/ressources/guide-franceconnect/", "Ressource"),
    ("/actualites/", "Actualités"),
    ("/faq/", "Page standard (FAQ)"),
    ("/trouver-un-conseiller/?q=75011", "Trouver un conseiller (75011)"),
    ("/api/v2/pages/?type=content.ResourcePage&fields=resource_type,thematiques,tags,document", "API v2 pages"),
    ("/api/ressources/?limit=20", "API ressources"),
    ("/api/ressources/?q=arnaques&thematique=securite-numerique", "API ressources : recherche"),
    ("/api/ressources/facettes/", "API facettes"),
    ("/api/lieux-mediation-numerique/", "API lieux (open data)"),
]


def out(line: str) -> None:
    sys.stdout.write(line + "\n")


def _setup(database_url: str):
    """Build the demo site in a fresh database; return what teardown_databases needs (PostgreSQL) or None."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    old_config = None
    if connection.vendor == "postgresql":
        from django.test.utils import setup_databases

        old_config = setup_databases(verbosity=0, interactive=False, keepdb=False)
    else:
        call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as quiet:
        for command in ("load_territories", "seed_content", "seed_demo"):
            call_command(command, verbosity=0, stdout=quiet)
    return old_config


def _measure(client, url: str, runs: int, *, cold: bool) -> tuple[float, float, int]:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings, queries = [], 0
    for _ in range(runs):
        if cold:
            cache.clear()
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(captured)
    timings.sort()
    return statistics.median(timings), timings[max(0, int(len(timings) * 0.95) - 1)], queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{folder}/bench.sqlite3"
        os.environ["MEDIA_ROOT"] = f"{folder}/media"
        old_config = _setup(url)
        from django.db import connection
        from django.test import Client

        client = Client()
        out(f"{connection.vendor}, {args.runs} runs per URL (ms: median / p95; SQL queries per request)\n")
        columns = ["cold médiane", "cold p95", "warm médiane", "warm p95", "SQL cold", "SQL warm"]
        out(f"| {'Page':<38} | " + " | ".join(f"{column:>12}" for column in columns) + " |")
        out(f"|{'-' * 40}|" + "|".join("-" * 14 for _ in columns) + "|")
        for path, label in URLS:
            client.get(path)  # first hit: templates compiled, site root paths loaded
            cold = _measure(client, path, args.runs, cold=True)
            warm = _measure(client, path, args.runs, cold=False)
            cells = [f"{cold[0]:.1f}", f"{cold[1]:.1f}", f"{warm[0]:.1f}", f"{warm[1]:.1f}", cold[2], warm[2]]
            out(f"| {label:<38} | " + " | ".join(f"{cell:>12}" for cell in cells) + " |")
        if old_config is not None:
            from django.test.utils import teardown_databases

            teardown_databases(old_config, verbosity=0)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
