"""Benchmark of the password hashers: median time to hash one password for several Argon2 parameter sets.

Argon2id candidates (time_cost t, memory_cost m in KiB, parallelism p), OWASP's minimums among them, against
Django's default Argon2 parameters and the PBKDF2 hasher that logins used before. A login verifies one hash, which
costs the same as hashing. Prints a table and the load average, since the machine is shared.

    .venv/bin/python -m bench.password_hash              # 15 hashes per candidate
    .venv/bin/python -m bench.password_hash --runs 41
"""

import argparse
import os
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.contrib.auth.hashers import Argon2PasswordHasher, PBKDF2PasswordHasher  # noqa: E402

from accounts.hashers import ProjectArgon2PasswordHasher  # noqa: E402

CANDIDATES = [  # (t, m KiB, p, note)
    (2, 19 * 1024, 1, "OWASP minimum"),
    (3, 12 * 1024, 1, "OWASP, less memory"),
    (1, 46 * 1024, 1, "OWASP, one pass"),
    (3, 19 * 1024, 1, ""),
    (2, 32 * 1024, 1, ""),
    (2, 19 * 1024, 2, "two lanes"),
    (3, 64 * 1024, 1, ""),
    (2, 100 * 1024, 8, "Django's default"),
]
PASSWORD = "Tr0ub4dor-et-3-chevaux-sur-la-colline"


def out(text: str = "") -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def median_ms(hasher, runs: int) -> tuple[float, float]:
    """Median wall time and median CPU time (every thread of the process) of `runs` hashes, in milliseconds.

    CPU time is what a hash costs the machine whatever else runs on it; wall time is what a user waits."""
    hasher.encode(PASSWORD, hasher.salt())
    wall, cpu = [], []
    for _ in range(runs):
        salt = hasher.salt()
        start, start_cpu = time.perf_counter(), time.process_time()
        hasher.encode(PASSWORD, salt)
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def argon2_hasher(time_cost: int, memory_cost: int, parallelism: int) -> Argon2PasswordHasher:
    hasher = Argon2PasswordHasher()
    hasher.time_cost, hasher.memory_cost, hasher.parallelism = time_cost, memory_cost, parallelism
    return hasher


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    chosen = ProjectArgon2PasswordHasher()
    out(f"Password hashing, median of {args.runs} hashes · load average before {os.getloadavg()[0]:.1f}")
    out()
    out("| hasher | t | m (MiB) | p | wall ms | CPU ms | note |")
    out("|---|---:|---:|---:|---:|---:|---|")
    for time_cost, memory_cost, parallelism, note in CANDIDATES:
        wall, cpu = median_ms(argon2_hasher(time_cost, memory_cost, parallelism), args.runs)
        is_chosen = (time_cost, memory_cost, parallelism) == (chosen.time_cost, chosen.memory_cost, chosen.parallelism)
        note = ", ".join(filter(None, [note, "**chosen**" if is_chosen else ""]))
        out(f"| argon2id | {time_cost} | {memory_cost // 1024} | {parallelism} | {wall:.1f} | {cpu:.1f} | {note} |")
    pbkdf2 = PBKDF2PasswordHasher()
    wall, cpu = median_ms(pbkdf2, max(3, args.runs // 3))
    out(f"| pbkdf2_sha256 | {pbkdf2.iterations:,} iterations | | | {wall:.1f} | {cpu:.1f} | before |")
    out()
    out(f"load average after {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
