"""Load test on loopback: gunicorn (production settings) on a throw-away PostgreSQL database, N virtual users.

    .venv/bin/python -m bench.load --users 50 --duration 120            # the reference run (2 minutes)
    .venv/bin/python -m bench.load --users 5 --duration 10              # a quick smoke run
    .venv/bin/python -m bench.load --fresh                              # drop and re-seed the bench database

The script creates the database (default cnum_load) if it does not exist, migrates it, loads the territories, the
site content and the demo, prepares accounts (one per logged-in virtual user) and pending prefecture tasks, collects
the static files, starts gunicorn on a free port of 127.0.0.1, runs the users for --duration seconds (mix and weights:
bench/loadkit/mix.py), stops gunicorn and prints, per endpoint, requests, throughput, p50/p95/p99 latency and errors,
then checks that every acknowledged report and decision is stored exactly once. Nothing leaves 127.0.0.1.
Logs: bench/out/ (setup, gunicorn). Exit status 1 when there were errors or a lost/duplicated submission.
"""

import argparse
import json
import os
import sys
import time

from bench.loadkit import server
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
    return parser


def prepare(args) -> tuple[server.Gunicorn, dict, dict]:
    """Database, accounts and tasks, then gunicorn started: (gunicorn, accounts per persona, counts before)."""
    port = server.free_port()
    env = server.production_env(args.database, port)
    server.prepare_database(args.database, fresh=args.fresh, env=env)
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
    gunicorn = server.Gunicorn(env, port, args.workers, args.threads, args.database)
    gunicorn.start()
    return gunicorn, accounts_from(prepared), prepared["counts"]


def machine_load() -> str:
    """The CPU context of a run: other processes on the machine weigh on every latency."""
    return f"{os.cpu_count()} cœurs, charge moyenne 1/5 min {os.getloadavg()[0]:.1f}/{os.getloadavg()[1]:.1f}"


def integrity(env: dict, ledger, name: str) -> tuple[dict, str]:
    """Compare what the clients saw acknowledged with what the database holds; returns (result, table)."""
    path = server.OUT / f"{name}-ledger.json"
    path.write_text(json.dumps(ledger.as_dict()))
    result = server.django_helper(env, "verify", str(path))
    lines = []
    for kind, label in (("reports", "Comptes-rendus (CRA)"), ("decisions", "Décisions (avis du préfet)")):
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


def main() -> int:
    args = options(__doc__, "cnum_load", 120).parse_args()
    gunicorn, accounts, before = prepare(args)
    recorder = Recorder()
    try:
        server.log(f"Charge : {args.users} utilisateurs pendant {args.duration} s")
        ledger, seconds = run_load(
            gunicorn.base_url,
            recorder=recorder,
            accounts=accounts,
            users=args.users,
            duration=args.duration,
            shares=args.personas,
            think=args.think,
            spawn_rate=args.spawn_rate,
        )
    finally:
        gunicorn.stop()
    rows = recorder.rows(seconds=seconds)
    title = (
        f"Charge : {args.users} utilisateurs, {seconds:.0f} s, gunicorn {args.workers}×{args.threads}, PostgreSQL "
        f"({time.strftime('%Y-%m-%d %H:%M')} ; {machine_load()})"
    )
    out(format_table(rows, title))
    errors = recorder.error_kinds()
    if errors:
        out("\nErreurs par endpoint : " + json.dumps(errors, ensure_ascii=False, indent=1))
    result, table = integrity(gunicorn.env, ledger, args.database)
    out(table)
    out(
        f"\nEn base : {before['activities']} → {result['counts']['activities']} comptes-rendus, "
        f"{before['prefecture_opinions']} → {result['counts']['prefecture_opinions']} avis du préfet."
    )
    lost = sum(result[kind]["acknowledged_missing"] + result[kind]["duplicated"] for kind in ("reports", "decisions"))
    return 1 if rows[-1]["errors"] or lost else 0


if __name__ == "__main__":
    sys.exit(main())
