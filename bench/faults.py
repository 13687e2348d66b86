"""Fault run: the load of bench/load.py, and meanwhile a gunicorn worker (or a whole node) killed, PostgreSQL
restarted and, with several nodes, the object store stopped for 10 s.

    .venv/bin/python -m bench.faults --users 50 --duration 120
    .venv/bin/python -m bench.faults --users 20 --duration 60 --no-postgres-restart   # worker kill only
    .venv/bin/python -m bench.faults --nodes 2 --users 100 --duration 300           # the issue's target

Same set-up as bench.load (throw-away database cnum_faults, gunicorn with production settings on 127.0.0.1).
Schedule: at 1/4 of the run one worker gets SIGKILL (the master forks a new one); at 1/2 the PostgreSQL cluster is
restarted (`pg_ctlcluster 15 main restart`: every connection of the server is cut, other databases included).
Clients resubmit a report or a decision after a network error or a 5xx with the same token, as a person pressing
« Envoyer » again would. At the end: every acknowledged report and decision must be stored exactly once, the database
counts must have grown by exactly what was stored, and requests must succeed again after each fault without anyone
restarting anything (Django reconnects: CONN_HEALTH_CHECKS with persistent connections).
With --nodes 2 (bench/loadkit/cluster.py): at 1/5 of the run node 2 is killed whole (SIGKILL of its gunicorn master
and workers: nginx sends its traffic to node 1), and started again 5 s later as a PaaS supervisor would; at 2/5
PostgreSQL is restarted; at 3/5 the object store (moto_server) is paused (SIGSTOP) for 10 s, then resumed (SIGCONT:
its objects survive). Errors must stay inside the fault windows (a fault and the RECOVERY_WINDOW after it); while
the store is down, the pages that need it must fail with the French error page, not hang or answer garbage.
Exit status 1 when a submission was lost or duplicated, or when the service did not recover.
"""

import sys
import threading
import time
from collections import Counter

from bench.load import broken_submissions, integrity, machine_load, options, prepare, setup_line
from bench.loadkit import server
from bench.loadkit.runner import run_load
from bench.loadkit.stats import Recorder, format_pairs, format_table, out

RECOVERY_WINDOW = 10  # seconds after a fault during which failures are attributed to it
NODE_RESTART_DELAY = 5  # seconds before the "supervisor" starts a killed node again
STORE_PAUSE = 10  # seconds the object store stays stopped
STORE_ENDPOINTS = ("espace : pièce jointe (POST)", "espace : pièce jointe (GET)")


def schedule(cluster, recorder: Recorder, args, events: dict):
    """The faults, run in the main thread while the users run: returns the callback for run_load."""
    if len(cluster.nodes) > 1:
        return cluster_schedule(cluster, recorder, args, events)
    gunicorn = cluster.nodes[0]

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
            restart_postgresql(recorder, events, "3. redémarrage PostgreSQL")
        recorder.set_phase("4. après les pannes")

    return during


def restart_postgresql(recorder: Recorder, events: dict, phase: str) -> None:
    recorder.set_phase(phase)
    server.log("Redémarrage de PostgreSQL (pg_ctlcluster 15 main restart)")
    events["postgres_down_at"] = time.monotonic()
    events["postgres_restart_seconds"] = server.restart_postgresql()
    events["postgres_up_at"] = time.monotonic()
    events.setdefault("windows", []).append((events["postgres_down_at"], events["postgres_up_at"] + RECOVERY_WINDOW))
    server.log(f"PostgreSQL redémarré en {events['postgres_restart_seconds']:.1f} s")
    sleep_until(events["postgres_up_at"] + RECOVERY_WINDOW)


def cluster_schedule(cluster, recorder: Recorder, args, events: dict):
    """Several nodes: a whole node killed then restarted, PostgreSQL restarted, the object store paused."""

    def during(stop_at: float) -> None:
        start = stop_at - args.duration
        windows = events.setdefault("windows", [])
        sleep_until(start + args.duration / 5)
        recorder.set_phase("1. nœud 2 tué")
        events["node_killed_at"] = time.monotonic()
        pids = cluster.kill_node(1)
        server.log(f"SIGKILL du nœud 2 (maître et workers gunicorn {pids})")
        supervisor = threading.Thread(target=restart_node, args=(cluster, events), daemon=True)
        supervisor.start()
        sleep_until(events["node_killed_at"] + NODE_RESTART_DELAY + RECOVERY_WINDOW)
        recorder.set_phase("2. entre les pannes")
        if args.postgres_restart:
            sleep_until(start + 2 * args.duration / 5)
            restart_postgresql(recorder, events, "3. redémarrage PostgreSQL")
            recorder.set_phase("4. entre les pannes")
        sleep_until(start + 3 * args.duration / 5)
        recorder.set_phase("5. stockage objet arrêté")
        events["store_down_at"] = time.monotonic()
        cluster.store.pause()
        server.log(f"Stockage objet arrêté (SIGSTOP) pour {STORE_PAUSE} s")
        sleep_until(events["store_down_at"] + STORE_PAUSE)
        cluster.store.resume()
        events["store_up_at"] = time.monotonic()
        windows.append((events["store_down_at"], events["store_up_at"] + RECOVERY_WINDOW))
        server.log("Stockage objet repris (SIGCONT)")
        sleep_until(events["store_up_at"] + RECOVERY_WINDOW)
        supervisor.join()
        windows.append((events["node_killed_at"], events["node_back_at"] + RECOVERY_WINDOW))
        if events["node_back_at"] < float("inf"):
            sleep_until(events["node_back_at"] + RECOVERY_WINDOW)
        recorder.set_phase("6. après les pannes")

    return during


def restart_node(cluster, events: dict) -> None:
    """The PaaS supervisor: a few seconds after the crash, the node is started again on its port."""
    time.sleep(NODE_RESTART_DELAY)
    try:
        cluster.restart_node(1)
    except SystemExit as error:
        events["node_back_at"] = float("inf")
        server.log(f"Le nœud 2 ne redémarre pas : {error}")
        return
    events["node_back_at"] = time.monotonic()
    server.log(f"Nœud 2 redémarré, prêt {events['node_back_at'] - events['node_killed_at']:.1f} s après l'arrêt")


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
    cluster, accounts, before = prepare(args)
    gunicorn = cluster.nodes[0]
    recorder, events = Recorder(), {}
    recorder.set_phase("0. avant les pannes")
    workers_before = gunicorn.worker_pids()
    try:
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
            during=schedule(cluster, recorder, args, events),
        )
        workers_after = gunicorn.worker_pids()
    finally:
        cluster.stop()

    title = f"Pannes : {args.users} utilisateurs, {seconds:.0f} s, {setup_line(args, cluster)} ({machine_load()})"
    out(format_table(recorder.rows(seconds=seconds), title))
    out(phase_table(recorder))
    kinds = Counter()
    for counts in recorder.error_kinds().values():
        kinds.update(counts)
    if kinds:
        out("\nErreurs par type : " + ", ".join(f"{kind} × {count}" for kind, count in kinds.most_common()))
    result, table = integrity(cluster.env, ledger, args.database)
    out(table)

    after = result["counts"]

    def stored(kind: str) -> int:
        return result[kind]["acknowledged_found_once"] + result[kind]["unacknowledged_stored"]

    counts = [
        ("Comptes-rendus (CRA)", before["activities"], after["activities"], stored("reports")),
        ("Avis du préfet", before["prefecture_opinions"], after["prefecture_opinions"], stored("decisions")),
        ("Pièces jointes", before["attachments"], after["attachments"], stored("attachments")),
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
    if "node_killed_at" in events:
        back = recorder.first_success_after(events["node_killed_at"])
        down = events["node_back_at"] - events["node_killed_at"]
        recovery.append(("Nœud 2 tué (SIGKILL), redémarré", fmt(down), fmt(back)))
    if "postgres_up_at" in events:
        back = recorder.first_success_after(events["postgres_up_at"])
        recovery.append(("Redémarrage PostgreSQL", f"{events['postgres_restart_seconds']:.1f}", fmt(back)))
    if "store_up_at" in events:
        back = recorder.first_success_after(events["store_up_at"], STORE_ENDPOINTS)
        recovery.append(("Stockage objet arrêté (SIGSTOP)", f"{STORE_PAUSE}", fmt(back)))
    out(format_pairs(("Panne", "Durée (s)", "1re requête réussie après (s)"), recovery, "Reprise"))
    if len(cluster.nodes) == 1:
        out(
            f"\nWorkers gunicorn : {len(workers_before)} avant, {len(workers_after)} après ; "
            f"{sorted(workers_before)} → {sorted(workers_after)}"
        )

    outside = recorder.failures_outside(events.get("windows", []))
    out(f"Erreurs hors des fenêtres de panne (panne + {RECOVERY_WINDOW} s) : {outside}.")
    foreign = sum(count for kind, count in kinds.items() if "NON française" in kind)
    if "store_down_at" in events:
        out(f"Pendant l'arrêt du stockage, pages d'erreur non françaises : {foreign}.")
    last_phase = recorder.rows(phase=recorder.phases[-1])[-1]
    out(f"Après les pannes : {last_phase['requests']} requêtes, {last_phase['errors']} erreurs.")
    mismatch = any(line[-1] != "oui" for line in lines)
    recovered = last_phase["requests"] > 0 and last_phase["errors"] == 0
    node_back = events.get("node_back_at", 0) < float("inf")
    cluster_ok = len(cluster.nodes) == 1 or (outside == 0 and foreign == 0 and node_back)
    return 1 if broken_submissions(result) or mismatch or not recovered or not cluster_ok else 0


def fmt(seconds: float | None) -> str:
    return "jamais" if seconds is None or seconds == float("inf") else f"{seconds:.2f}"


if __name__ == "__main__":
    sys.exit(main())
