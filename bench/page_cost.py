"""CPU cost of each endpoint of the load mix, measured in process: SQL queries, CPU and wall time, response bytes.

    .venv/bin/python -m bench.page_cost                          # 30 runs per action, table on stdout
    .venv/bin/python -m bench.page_cost --save bench/out/before.json
    .venv/bin/python -m bench.page_cost --compare bench/out/before.json
    .venv/bin/python -m bench.page_cost --actions coop-stats --profile "coop : statistiques"   # cProfile

On a shared machine, latency under load says more about the neighbours than about the code: this script times what
one request costs the application process instead (time.process_time, i.e. Python CPU, not PostgreSQL's). It runs
every action of bench/loadkit/mix.py (same paths, same report and decision POSTs) with Django's test client, logged
in (force_login) as the action's persona — an advisor with a principal place, a prefecture agent of Paris with
pending structure applications — on the load bench's database seed (bench/loadkit/server.py: created and seeded on
first use, default cnum_perf) with config.settings.production (DEBUG off, cached template loaders, manifest static
files collected by the seed step). The cache is the production default (local memory) unless REDIS_URL is set.
Each action runs --warmup times unmeasured (templates compiled, caches filled), then --runs times; the table shows
medians. Nothing is served over the network.
"""

import argparse
import cProfile
import json
import os
import pstats
import random
import statistics
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from bench.loadkit import server
from bench.loadkit.stats import format_pairs, out

REPORT_PATH = "/coop/activites/nouvelle/?type=individuel"
# Open prefecture tasks left once every decision run took one: the agents' queue shows the same list on every run.
QUEUE_AFTER_DECISIONS = 60


@dataclass
class Sample:
    """One measured request."""

    queries: int
    cpu_ms: float
    wall_ms: float
    size: int


@dataclass
class InProcessUser:
    """A persona driven through Django's test client; implements what the mix's actions call (get, submit, decide)."""

    persona: str
    client: object
    rng: random.Random
    place: int | None = None
    work_items: list[int] = field(default_factory=list)
    samples: dict[str, list[Sample]] = field(default_factory=lambda: defaultdict(list))
    measuring: bool = True
    profiler: cProfile.Profile | None = None
    profiled: str = ""
    dump: Path | None = None
    last_statements: list[tuple[float, str]] = field(default_factory=list)

    def request(self, endpoint: str, method: str, path: str, expected: int, **kwargs):
        from django.db import connection

        counter = QueryCounter()
        profiling = self.measuring and self.profiler is not None and endpoint == self.profiled
        with connection.execute_wrapper(counter):
            if profiling:
                self.profiler.enable()
            cpu, wall = time.process_time(), time.perf_counter()
            response = getattr(self.client, method)(path, **kwargs)
            size = len(b"".join(response.streaming_content) if response.streaming else response.content)
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            if profiling:
                self.profiler.disable()
        if response.status_code != expected:
            raise SystemExit(f"{endpoint} ({method.upper()} {path}) : HTTP {response.status_code}, {expected} attendu")
        if self.measuring:
            self.samples[endpoint].append(Sample(counter.count, cpu * 1000, wall * 1000, size))
        if profiling:
            self.last_statements = counter.statements
        if self.dump is not None and method == "get":
            (self.dump / f"{endpoint.replace(' ', '_').replace('/', '-')}.html").write_bytes(response.content)
        return response

    def get(self, endpoint: str, path: str):
        return self.request(endpoint, "get", path, 200)

    def submit_report(self) -> None:
        from bench.loadkit.client import TOKEN_INPUT

        page = self.get("coop : formulaire CRA", REPORT_PATH)
        token = TOKEN_INPUT.search(page.content.decode()).group(1)
        data = {
            "token": token,
            "date": time.strftime("%Y-%m-%d"),
            "duration": self.rng.choice(["15", "30", "45", "60", "90"]),
            "place_type": "lieu_activite",
            "place": str(self.place),
            "themes": self.rng.sample(["navigation_sur_internet", "email", "prendre_en_main_du_materiel"], 2),
            "materials": ["ordinateur"],
            "gender": "non_communique",
            "age": "non_communique",
            "status": "non_communique",
        }
        self.request("coop : envoi CRA (POST)", "post", REPORT_PATH, 302, data=data)

    def decide(self) -> bool:
        if not self.work_items:
            return False
        data = {"opinion": "favorable", "internal_note": "Avis du bench page_cost"}
        path = f"/espace/taches/{self.work_items.pop(0)}/decision/"
        self.request("espace : décision (POST)", "post", path, 302, data=data)
        return True


class QueryCounter:
    """A connection.execute_wrapper that counts statements and keeps their SQL and wall time (milliseconds)."""

    def __init__(self):
        self.count = 0
        self.statements: list[tuple[float, str]] = []

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.statements.append(((time.perf_counter() - started) * 1000, sql))


def setup(database: str, fresh: bool) -> None:
    """Seed the database and collect static files like the load bench (first use), then set Django up against it."""
    env = server.production_env(database, port=8000)
    env["DJANGO_ALLOWED_HOSTS"] = "testserver"
    env.setdefault("MEDIA_ROOT", str(server.OUT / f"{database}-media"))
    env.setdefault("PRIVATE_MEDIA_ROOT", str(server.OUT / f"{database}-private"))
    seeded = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{database}'") == "1"
    if fresh or not seeded or not (server.ROOT / "staticfiles" / "staticfiles.json").exists():
        server.prepare_database(database, fresh=fresh, env=env)  # migrate and collectstatic take minutes
    os.environ.update(env)
    import django

    django.setup()


def make_users(runs: int) -> dict[str, InProcessUser]:
    """The three personas of the mix, with enough open prefecture tasks for every decision run."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from bench.loadkit import fixtures

    advisor = fixtures.advisor_accounts(1)[0]
    agent = fixtures.agent_accounts(1)[0]
    fixtures.top_up_tasks(runs + QUEUE_AFTER_DECISIONS)
    work_items = list(fixtures.open_prefecture_tasks().order_by("pk").values_list("pk", flat=True)[:runs])
    users = {}
    for persona in ("visitor", "advisor", "agent"):
        client = Client(headers={"X-Forwarded-Proto": "https", "User-Agent": "cnum-bench-page-cost/1.0"})
        users[persona] = InProcessUser(persona, client, random.Random(2026))
    users["advisor"].client.force_login(get_user_model().objects.get(email=advisor["email"]))
    users["advisor"].place = advisor["place"]
    users["agent"].client.force_login(agent)
    users["agent"].work_items = work_items
    return users


def measure(users: dict[str, InProcessUser], runs: int, warmup: int, only: set[str]) -> tuple[dict, dict]:
    """Run every action of the mix (or those named) warmup + runs times.

    Returns the medians per endpoint, and per action the requests one run of it makes ({endpoint: count}).
    """
    from bench.loadkit.mix import ACTIONS

    requests_per_action = {}
    for action in ACTIONS:
        if only and action.name not in only:
            continue
        user = users[action.persona]
        user.measuring = False
        for _ in range(warmup):
            action.run(user)
        user.measuring = True
        counts = {endpoint: len(samples) for endpoint, samples in user.samples.items()}
        for _ in range(runs):
            action.run(user)
        requests_per_action[action.name] = {
            endpoint: (len(samples) - counts.get(endpoint, 0)) / runs
            for endpoint, samples in user.samples.items()
            if len(samples) > counts.get(endpoint, 0)
        }
    rows = {}
    for user in users.values():
        for endpoint, samples in user.samples.items():
            rows[endpoint] = {
                "requests": len(samples),
                "queries": statistics.median(sample.queries for sample in samples),
                "cpu_ms": statistics.median(sample.cpu_ms for sample in samples),
                "wall_ms": statistics.median(sample.wall_ms for sample in samples),
                "bytes": int(statistics.median(sample.size for sample in samples)),
            }
    return dict(sorted(rows.items())), requests_per_action


def mix_cpu_per_request(rows: dict[str, dict], requests_per_action: dict[str, dict]) -> float:
    """Mean CPU of a request of the load mix: actions weighted by persona share and action weight (mix.py)."""
    from bench.loadkit.mix import ACTIONS, PERSONAS

    cpu = requests = 0.0
    for persona, share in PERSONAS.items():
        actions = [action for action in ACTIONS if action.persona == persona and action.name in requests_per_action]
        weights = sum(action.weight for action in actions)
        for action in actions:
            probability = share * action.weight / weights
            for endpoint, count in requests_per_action[action.name].items():
                cpu += probability * count * rows[endpoint]["cpu_ms"]
                requests += probability * count
    return cpu / requests if requests else 0.0


def number(value: float) -> str:
    return f"{value:.1f}" if isinstance(value, float) and not value.is_integer() else f"{int(value)}"


def table(rows: dict[str, dict], before: dict[str, dict] | None) -> str:
    """Per endpoint: queries, CPU and wall medians, bytes; "before → after" cells when a saved run is given."""
    columns = [("queries", "SQL"), ("cpu_ms", "CPU (ms)"), ("wall_ms", "Mur (ms)"), ("bytes", "Octets")]
    lines = []
    for endpoint, row in rows.items():
        old = (before or {}).get(endpoint)
        cells = [number(row[key]) if old is None else f"{number(old[key])} → {number(row[key])}" for key, _ in columns]
        lines.append((endpoint, *cells))
    total_cpu = sum(row["cpu_ms"] for row in rows.values())
    cpu_cell = f"{total_cpu:.1f}"
    if before:
        cpu_cell = f"{sum(row['cpu_ms'] for row in before.values()):.1f} → {cpu_cell}"
    lines.append(("Somme des médianes", "", cpu_cell, "", ""))
    return format_pairs(("Endpoint", *(label for _, label in columns)), lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=30, help="exécutions mesurées par action (30)")
    parser.add_argument("--warmup", type=int, default=3, help="exécutions de chauffe non mesurées par action (3)")
    parser.add_argument("--database", default="cnum_perf", help="base PostgreSQL de bench (cnum_perf)")
    parser.add_argument("--fresh", action="store_true", help="supprimer et recréer la base de bench")
    parser.add_argument("--save", type=Path, help="écrire les médianes dans ce fichier JSON")
    parser.add_argument("--compare", type=Path, help="afficher « avant → après » avec ce fichier JSON")
    parser.add_argument("--actions", default="", help="actions du mélange à mesurer, séparées par des virgules")
    parser.add_argument("--dump", type=Path, help="écrire la dernière réponse de chaque page GET dans ce dossier")
    parser.add_argument("--profile", metavar="ENDPOINT", help="profiler (cProfile) les requêtes de ce endpoint")
    args = parser.parse_args()
    setup(args.database, args.fresh)
    users = make_users(args.runs + args.warmup)
    if args.dump:
        args.dump.mkdir(parents=True, exist_ok=True)
        for user in users.values():
            user.dump = args.dump
    profiler = None
    if args.profile:
        profiler = cProfile.Profile(time.process_time)  # CPU, not wall time: the machine is shared
        for user in users.values():
            user.profiler, user.profiled = profiler, args.profile
    from django.db import connection

    server.log(f"{connection.vendor}, {args.runs} exécutions mesurées par action (+{args.warmup} de chauffe)")
    rows, requests_per_action = measure(users, args.runs, args.warmup, {n for n in args.actions.split(",") if n})
    before = json.loads(args.compare.read_text()) if args.compare else None
    out(f"Coût par requête (médianes de {args.runs} exécutions, CPU du processus Django ; {connection.vendor})")
    out(table(rows, before))
    mean = mix_cpu_per_request(rows, requests_per_action)
    summary = f"{mean:.1f} ms"
    if before:
        summary = f"{mix_cpu_per_request(before, requests_per_action):.1f} → {summary}"
    out(f"\nCPU moyen d'une requête du mélange (poids de bench/loadkit/mix.py) : {summary}, soit au mieux ")
    out(f"≈ {1000 / mean:.0f} requêtes/s par cœur pour le code Python seul (sans PostgreSQL, nginx ni clients).")
    if args.save:
        args.save.parent.mkdir(parents=True, exist_ok=True)
        args.save.write_text(json.dumps(rows, indent=1, ensure_ascii=False))
    if profiler is not None:
        stats = pstats.Stats(profiler, stream=sys.stdout)
        stats.sort_stats("cumulative").print_stats(45)
        stats.sort_stats("tottime").print_stats(25)
        out(f"Requêtes SQL de la dernière requête « {args.profile} » (ms, SQL) :")
        for user in users.values():
            for milliseconds, sql in user.last_statements:
                out(f"{milliseconds:8.1f}  {sql[:400]}")


if __name__ == "__main__":
    main()
