"""Fault run: the load of bench/load.py, and meanwhile a gunicorn worker killed, then PostgreSQL restarted.

    .venv/bin/python -m bench.faults --users 50 --duration 120
    .venv/bin/python -m bench.faults --users 20 --duration 60 --no-postgres-restart   # worker kill only

Same set-up as bench.load (throw-away database cnum_faults, gunicorn with production settings on 127.0.0.1).
Schedule: at 1/4 of the run one worker gets SIGKILL (the master forks a new one); at 1/2 the PostgreSQL cluster is
restarted (`pg_ctlcluster 15 main restart`: every connection of the server is cut, other databases included).
Clients resubmit a report or a decision after a network error or a 5xx with the same token, as a person pressing
« Envoyer » again would. At the end: every acknowledged report and decision must be stored exactly once, the database
counts must have grown by exactly what was stored, and requests must succeed again after each fault without anyone
restarting anything (Django reconnects: CONN_HEALTH_CHECKS with persistent connections).
Exit status 1 when a submission was lost or duplicated, or when the service did not recover.
"""

import sys
import time
from collections import Counter

from bench.load import integrity, machine_load, options, prepare
from bench.loadkit import server
from bench.loadkit.runner import run_load
from bench.loadkit.stats import Recorder, format_pairs, format_table, out

RECOVERY_WINDOW = 10  # seconds after a fault during which failures are attributed to it


def schedule(gunicorn, recorder: Recorder, args, events: dict):
    """The faults, run in the main thread while the users run: returns the callback for run_load."""

    def during(stop_at: float) -> None:
        start = stop_at - args.duration
        sleep_until(start + args.duration / 4)
        recorder.set_phase("1. worker tué")
        pid = gunicorn.kill_worker()
        events["worker_killed_at"] = time.monotonic()
        server.log(f"SIGKILL du worker gunicorn {pid}")
        sleep_until(start + args.duration / 4 + RECOVERY_WINDOW)
        recorder.set_phase("2. entre les pannes")
        if args.postgres_restart:
            sleep_until(start + args.duration / 2)
            recorder.set_phase("3. redémarrage PostgreSQL")
            server.log("Redémarrage de PostgreSQL (pg_ctlcluster 15 main restart)")
            events["postgres_down_at"] = time.monotonic()
            events["postgres_restart_seconds"] = server.restart_postgresql()
            events["postgres_up_at"] = time.monotonic()
            server.log(f"PostgreSQL redémarré en {events['postgres_restart_seconds']:.1f} s")
            sleep_until(events["postgres_up_at"] + RECOVERY_WINDOW)
        recorder.set_phase("4. après les pannes")

    return during


def sleep_until(moment: float) -> None:
    time.sleep(max(0.0, moment - time.monotonic()))


def phase_table(recorder: Recorder) -> str:
    lines = []
    for phase in recorder.phases:
        total = recorder.rows(phase=phase)[-1]
        if total["requests"]:
            lines.append((phase, total["requests"], total["errors"], f"{total['p50']:.0f}", f"{total['p95']:.0f}"))
    return format_pairs(("Phase", "Requêtes", "Erreurs", "p50 (ms)", "p95 (ms)"), lines, "Requêtes par phase")


def main() -> int:
    parser = options(__doc__, "cnum_faults", 120)
    parser.add_argument("--no-postgres-restart", dest="postgres_restart", action="store_false")
    parser.set_defaults(personas={"visitor": 20, "advisor": 60, "agent": 20})
    args = parser.parse_args()
    gunicorn, accounts, before = prepare(args)
    recorder, events = Recorder(), {}
    recorder.set_phase("0. avant les pannes")
    workers_before = gunicorn.worker_pids()
    try:
        ledger, seconds = run_load(
            gunicorn.base_url,
            recorder=recorder,
            accounts=accounts,
            users=args.users,
            duration=args.duration,
            shares=args.personas,
            think=args.think,
            spawn_rate=args.spawn_rate,
            during=schedule(gunicorn, recorder, args, events),
        )
        workers_after = gunicorn.worker_pids()
    finally:
        gunicorn.stop()

    title = f"Pannes : {args.users} utilisateurs, {seconds:.0f} s ({machine_load()})"
    out(format_table(recorder.rows(seconds=seconds), title))
    out(phase_table(recorder))
    kinds = Counter()
    for counts in recorder.error_kinds().values():
        kinds.update(counts)
    if kinds:
        out("\nErreurs par type : " + ", ".join(f"{kind} × {count}" for kind, count in kinds.most_common()))
    result, table = integrity(gunicorn.env, ledger, args.database)
    out(table)

    after = result["counts"]
    stored_reports = result["reports"]["acknowledged_found_once"] + result["reports"]["unacknowledged_stored"]
    stored_decisions = result["decisions"]["acknowledged_found_once"] + result["decisions"]["unacknowledged_stored"]
    counts = [
        ("Comptes-rendus (CRA)", before["activities"], after["activities"], stored_reports),
        ("Avis du préfet", before["prefecture_opinions"], after["prefecture_opinions"], stored_decisions),
    ]
    lines = [
        (label, was, now, f"+{now - was}", f"+{stored}", "oui" if now - was == stored else "NON")
        for label, was, now, stored in counts
    ]
    header = ("En base", "Avant", "Après", "Écart", "Envois des clients en base", "Concorde")
    out(format_pairs(header, lines, "Comptes avant / après"))

    recovery = []
    if "worker_killed_at" in events:
        back = recorder.first_success_after(events["worker_killed_at"])
        recovery.append(("Worker tué (SIGKILL)", "-", fmt(back)))
    if "postgres_up_at" in events:
        back = recorder.first_success_after(events["postgres_up_at"])
        recovery.append(("Redémarrage PostgreSQL", f"{events['postgres_restart_seconds']:.1f}", fmt(back)))
    out(format_pairs(("Panne", "Durée (s)", "1re requête réussie après (s)"), recovery, "Reprise"))
    out(
        f"\nWorkers gunicorn : {len(workers_before)} avant, {len(workers_after)} après ; {sorted(workers_before)} → "
        f"{sorted(workers_after)}"
    )

    last_phase = recorder.rows(phase="4. après les pannes")[-1]
    out(f"Après les pannes : {last_phase['requests']} requêtes, {last_phase['errors']} erreurs.")
    broken = sum(
        result[kind]["acknowledged_missing"] + result[kind]["duplicated"] for kind in ("reports", "decisions")
    )
    mismatch = any(line[-1] != "oui" for line in lines)
    recovered = last_phase["requests"] > 0 and last_phase["errors"] == 0
    return 1 if broken or mismatch or not recovered else 0


def fmt(seconds: float | None) -> str:
    return "jamais" if seconds is None else f"{seconds:.2f}"


if __name__ == "__main__":
    sys.exit(main())
