#!/usr/bin/env bash
# Run the browser tests many times in a row on PostgreSQL while the machine is kept busy, and count the failures.
# A test that passes idle but fails under load is a flaky test: CI must never flake (issue 19).
#
#   scripts/stress_browser_tests.sh [RUNS]          (default 20)
#
# STRESS_LOAD        CPU-bound processes kept busy during the runs (default: the number of cores; 0 for none)
# STRESS_STREAMS     how many series run side by side, each on its own database, each loading the others
#                    (default 1); the RUNS are shared between them
# STRESS_PG          PostgreSQL server URL without database (default postgres://postgres@127.0.0.1:5432)
# STRESS_PYTEST_ARGS extra pytest arguments (default: -m browser tests/browser)
#
# Creates a throwaway database, drops it at the end; the per-run logs stay in the printed folder. Exits non-zero when
# any run failed.
set -euo pipefail
cd "$(dirname "$0")/.."

runs="${1:-20}"
case "$runs" in ''|*[!0-9]*) echo "stress_browser_tests.sh : RUNS doit être un nombre entier." >&2; exit 2 ;; esac
load="${STRESS_LOAD:-$(nproc)}"
streams="${STRESS_STREAMS:-1}"
case "$streams" in ''|*[!0-9]*|0) echo "stress_browser_tests.sh : STRESS_STREAMS doit être un entier positif." >&2; exit 2 ;; esac
if [ "$streams" -gt 1 ]; then
    # One series per stream, in the background; the burners are started once, by the first series.
    pids=()
    for stream in $(seq 1 "$streams"); do
        share=$(( runs / streams + (stream <= runs % streams ? 1 : 0) ))
        stream_load=$([ "$stream" -eq 1 ] && echo "$load" || echo 0)
        STRESS_STREAMS=1 STRESS_LOAD="$stream_load" STRESS_LABEL="$stream." "$0" "$share" &
        pids+=("$!")
    done
    failed=0
    for pid in "${pids[@]}"; do wait "$pid" || failed=$((failed + 1)); done
    echo "$streams séries côte à côte, $runs exécutions en tout : $failed série(s) en échec"
    exit $(( failed > 0 ))
fi
label="${STRESS_LABEL:-}"
server="${STRESS_PG:-postgres://postgres@127.0.0.1:5432}"
read -r -a pytest_args <<< "${STRESS_PYTEST_ARGS:--m browser tests/browser}"
db="cnum_stress_$$"
logs="$(mktemp -d -t stress-browser-XXXXXX)"
burners=()

cleanup() {
    for pid in "${burners[@]}"; do kill "$pid" 2>/dev/null || true; done
    psql "$server/postgres" -qc "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true
    psql "$server/postgres" -qc "DROP DATABASE IF EXISTS test_$db" >/dev/null 2>&1 || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM  # through the EXIT trap: an interrupted run drops its databases too

psql "$server/postgres" -v ON_ERROR_STOP=1 -qc "CREATE DATABASE $db"
for _ in $(seq 1 "$load"); do
    # Bounded in time: a burner outlives this script by at most four hours even if the trap never runs.
    timeout 4h python3 -c "while True: pass" &
    burners+=("$!")
done

printf '%-5s %-8s %8s %6s  %s\n' "run" "result" "seconds" "load" "summary"
failures=0
for run in $(seq 1 "$runs"); do
    started=$(date +%s)
    # The first run builds the test database; the others reuse it (the migrations are not what is under test).
    reuse=(--reuse-db); [ "$run" -eq 1 ] && reuse+=(--create-db)
    if DATABASE_URL="$server/$db" .venv/bin/pytest -q -n 0 "${reuse[@]}" "${pytest_args[@]}" > "$logs/run-$run.log" 2>&1; then
        result="ok"
    else
        result="ÉCHEC"
        failures=$((failures + 1))
    fi
    # The 1-minute load average at the end of the run: the proof that the machine was busy.
    printf '%-5s %-8s %8s %6s  %s\n' "$label$run" "$result" "$(( $(date +%s) - started ))" \
        "$(cut -d ' ' -f 1 /proc/loadavg)" "$(tail -n 1 "$logs/run-$run.log")"
done
echo "$runs exécutions, $failures échec(s), $load processus de charge ; journaux : $logs"
[ "$failures" -eq 0 ]
