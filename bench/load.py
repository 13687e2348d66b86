"""Load test on loopback: gunicorn (production settings) on a throw-away PostgreSQL database, N virtual users.

    .venv/bin/python -m bench.load --users 50 --duration 120            # the reference run (2 minutes)
    .venv/bin/python -m bench.load --users 5 --duration 10              # a quick smoke run
    .venv/bin/python -m bench.load --fresh                              # drop and re-seed the bench database
    .venv/bin/python -m bench.load --nodes 2 --users 100 --duration 300  # two nodes behind nginx (the issue's target)
    .venv/bin/python -m bench.load --nodes 2 --users 100 --duration 120 --think 0   # capacity: no pause at all

The script creates the database (default cnum_load) if it does not exist, migrates it, loads the territories, the
site content and the demo, prepares accounts (one per logged-in virtual user) and pending prefecture tasks, collects
the static files, starts gunicorn on a free port of 127.0.0.1, runs the users for --duration seconds (mix and weights:
bench/loadkit/mix.py), stops gunicorn and prints, per endpoint, requests, throughput, p50/p95/p99 latency and errors,
then checks that every acknowledged report, decision and attachment is stored exactly once. Nothing leaves 127.0.0.1.
With --nodes N > 1 (bench/loadkit/cluster.py): N gunicorn nodes behind Debian's nginx (deploy/nginx/cnum.conf),
sharing PostgreSQL, a Redis database of the bench's own (--redis-db) and an S3 server (moto), plus --task-workers
`manage.py db_worker` processes; the logged-in users all log in at once at the start (a login wave).
Logs: bench/out/ (setup, gunicorn). Exit status 1 when there were errors or a lost/duplicated submission.
"""

import argparse
import json
import os
import sys
import time

from bench.loadkit import server
from bench.loadkit.cluster import Cluster
from bench.loadkit.mix import PERSONAS, parse_shares, persona_counts
from bench.loadkit.runner import accounts_from, run_load
from bench.loadkit.stats import Recorder, format_pairs, format_table, out


def options(description: str, default_database: str, default_duration: int) -> argparse.ArgumentParser:
    """The options shared by the load and the fault scripts."""
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=50, help="utilisateurs virtuels simultanés (50)")
    parser.add_argument("--duration", type=int, default=default_duration, help="durée en secondes")
    parser.add_argument("--workers", type=int, default=3, help="workers gunicorn (3)")
    parser.add_argument("--threads", type=int, default=2, help="threads par worker gunicorn (2)")
    parser.add_argument("--think", type=float, default=1.0, help="pause moyenne entre deux actions, secondes (1.0)")
    parser.add_argument("--spawn-rate", type=float, default=10.0, help="utilisateurs démarrés par seconde (10)")
    parser.add_argument(
        "--personas",
        type=parse_shares,
        default=dict(PERSONAS),
        help="répartition en %% (visitor=40,advisor=50,agent=10)",
    )
    parser.add_argument("--database", default=default_database, help=f"base PostgreSQL jetable ({default_database})")
    parser.add_argument("--fresh", action="store_true", help="supprimer et recréer la base de bench")
    parser.add_argument(
        "--skip-collectstatic",
        dest="collectstatic",
        action="store_false",
        help="garder les fichiers statiques déjà collectés (plusieurs minutes de moins sur une machine chargée)",
    )
    parser.add_argument("--nodes", type=positive, default=1, help="nœuds gunicorn ; au-delà de 1, nginx devant (1)")
    parser.add_argument(
        "--task-workers",
        type=int,
        default=None,
        help="processus `manage.py db_worker` (2 avec plusieurs nœuds, 0 sinon)",
    )
    parser.add_argument(
        "--redis-db", type=int, default=13, help="base Redis du bench, vidée au départ (13 ; avec --nodes > 1)"
    )
    return parser


def positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("au moins 1")
    return value


def prepare(args) -> tuple[Cluster, dict, dict]:
    """Database, accounts and tasks, then the nodes started: (cluster, accounts per persona, counts before)."""
    port = server.free_port()
    env = server.production_env(args.database, port)
    if args.nodes > 1:
        env["REDIS_URL"] = server.redis_url(args.redis_db)
    server.prepare_database(args.database, fresh=args.fresh, env=env, collectstatic=args.collectstatic)
    wanted = persona_counts(args.users, args.personas)
    agents = max(1, wanted.get("agent", 0))
    server.log("Comptes et tâches en attente (fixtures prepare)")
    prepared = server.django_helper(
        env,
        "prepare",
        f"--advisors={max(1, wanted.get('advisor', 0))}",
        f"--agents={agents}",
        f"--tasks={agents * 50}",
    )
    task_workers = args.task_workers if args.task_workers is not None else (2 if args.nodes > 1 else 0)
    cluster = Cluster(
        env,
        name=args.database,
        front_port=port,
        nodes=args.nodes,
        workers=args.workers,
        threads=args.threads,
        task_workers=task_workers,
    )
    cluster.start()
    return cluster, accounts_from(prepared), prepared["counts"]


def machine_load() -> str:
    """The CPU context of a run: other processes on the machine weigh on every latency."""
    return f"{os.cpu_count()} cœurs, charge moyenne 1/5 min {os.getloadavg()[0]:.1f}/{os.getloadavg()[1]:.1f}"


def setup_line(args, cluster: Cluster) -> str:
    """What ran: nodes, processes, think time (the same users with no pause measure capacity, not latency)."""
    front = "nginx devant " if cluster.nginx else ""
    store = ", stockage objet S3 (moto)" if cluster.store else ""
    redis = ", Redis partagé" if cluster.nginx else ""
    return (
        f"{front}{args.nodes} nœud(s) gunicorn {args.workers}×{args.threads}, {len(cluster.task_workers)} worker(s) "
        f"de tâches, PostgreSQL{redis}{store} ; pause moyenne entre deux actions {args.think:g} s"
    )


def throughput_line(total: dict) -> str:
    cores = os.cpu_count() or 1
    return (
        f"Débit : {total['rps']:.1f} req/s, soit {total['rps'] / cores:.1f} req/s par cœur ({cores} cœurs, partagés "
        "avec les clients virtuels et les services du banc)"
    )


def integrity(env: dict, ledger, name: str) -> tuple[dict, str]:
    """Compare what the clients saw acknowledged with what the database holds; returns (result, table)."""
    path = server.OUT / f"{name}-ledger.json"
    path.write_text(json.dumps(ledger.as_dict()))
    result = server.django_helper(env, "verify", str(path))
    lines = []
    kinds = (
        ("reports", "Comptes-rendus (CRA)"),
        ("decisions", "Décisions (avis du préfet)"),
        ("attachments", "Messages avec pièce jointe"),
    )
    for kind, label in kinds:
        row = result[kind]
        lines.append(
            (
                label,
                row["submitted"],
                row["acknowledged"],
                row["acknowledged_found_once"],
                row["acknowledged_missing"],
                row["duplicated"],
                row["unacknowledged_stored"],
            )
        )
    header = ("Envois", "Soumis", "Acquittés", "En base 1 fois", "Perdus", "Dupliqués", "Non acquittés mais en base")
    return result, format_pairs(header, lines, "Intégrité des envois (jeton par envoi)")


def broken_submissions(result: dict) -> int:
    """Acknowledged submissions missing, submissions stored twice, messages stored without their one file."""
    kinds = ("reports", "decisions", "attachments")
    broken = sum(result[kind]["acknowledged_missing"] + result[kind]["duplicated"] for kind in kinds)
    return broken + result["attachments"]["incomplete"]


WAVE_PHASE, STEADY_PHASE = "arrivée et vague de connexions", "régime établi"


def steady_after(recorder: Recorder, wave_seconds: int):
    """The `during` callback of run_load: requests ending after the first `wave_seconds` count as steady state."""

    def during(stop_at: float) -> None:
        time.sleep(wave_seconds)
        recorder.set_phase(STEADY_PHASE)

    return during


def main() -> int:
    parser = options(__doc__, "cnum_load", 120)
    parser.add_argument(
        "--wave-seconds",
        type=int,
        default=30,
        help="durée comptée comme arrivée des utilisateurs (tableau séparé du régime établi) (30)",
    )
    args = parser.parse_args()
    cluster, accounts, before = prepare(args)
    recorder = Recorder()
    recorder.set_phase(WAVE_PHASE)
    try:
        server.log(f"Charge : {args.users} utilisateurs pendant {args.duration} s, pause moyenne {args.think:g} s")
        ledger, seconds = run_load(
            cluster.base_url,
            recorder=recorder,
            accounts=accounts,
            users=args.users,
            duration=args.duration,
            shares=args.personas,
            think=args.think,
            spawn_rate=args.spawn_rate,
            login_wave=args.nodes > 1,
            during=steady_after(recorder, args.wave_seconds),
        )
        load_after = os.getloadavg()
    finally:
        cluster.stop()
    rows = recorder.rows(seconds=seconds)
    title = (
        f"Charge : {args.users} utilisateurs, {seconds:.0f} s, {setup_line(args, cluster)} "
        f"({time.strftime('%Y-%m-%d %H:%M')} ; {machine_load()} ; en fin de charge 1 min {load_after[0]:.1f})"
    )
    out(format_table(rows, title))
    out("\n" + throughput_line(rows[-1]))
    steady = recorder.rows(phase=STEADY_PHASE, seconds=max(1.0, seconds - args.wave_seconds))
    wave = f"Après les {args.wave_seconds} premières secondes (arrivée des utilisateurs, vague de connexions)"
    out(format_table(steady, wave))
    errors = recorder.error_kinds()
    if errors:
        out("\nErreurs par endpoint : " + json.dumps(errors, ensure_ascii=False, indent=1))
    result, table = integrity(cluster.env, ledger, args.database)
    out(table)
    counts = result["counts"]
    out(
        f"\nEn base : {before['activities']} → {counts['activities']} comptes-rendus, "
        f"{before['prefecture_opinions']} → {counts['prefecture_opinions']} avis du préfet, "
        f"{before['attachments']} → {counts['attachments']} pièces jointes."
    )
    return 1 if rows[-1]["errors"] or broken_submissions(result) else 0


if __name__ == "__main__":
    sys.exit(main())
