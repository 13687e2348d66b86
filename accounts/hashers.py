"""The password hasher of the platform: Argon2id with parameters sized for login bursts on small application nodes.

Design note (issue 17, item 5). Before, Django's default PBKDF2-SHA256 with 1,000,000 iterations cost ~0.45 s of CPU
per login (3.6 s wall on the loaded bench machine), holding a gunicorn thread: a burst of logins stalled every page.
Argon2id is memory-hard, so a GPU or ASIC attacker pays in memory what a CPU pays in time; it reaches OWASP's
recommended strength (m=19 MiB, t=2, p=1 at least, Password Storage Cheat Sheet) for a few tens of milliseconds.

Measured on this 2-core machine with `.venv/bin/python -m bench.password_hash --runs 21` (median of 21 hashes;
CPU = process time, stable whatever else runs; wall = what the user waits, here with a load average of 12–18 from
the other benches; a login verifies one hash, which costs the same as hashing):

    | t | m (MiB) | p | wall ms | CPU ms | note                      |
    |--:|--------:|--:|--------:|-------:|---------------------------|
    | 2 |      19 | 1 |    46.9 |   26.9 | OWASP minimum             |
    | 3 |      12 | 1 |    37.1 |   22.7 | OWASP, less memory        |
    | 1 |      46 | 1 |   114.5 |   68.0 | OWASP, one pass           |
    | 3 |      19 | 1 |    64.7 |   39.1 | chosen                    |
    | 2 |      32 | 1 |   142.2 |   69.0 |                           |
    | 2 |      19 | 2 |    60.8 |   26.4 | two lanes                 |
    | 3 |      64 | 1 |   316.7 |  199.1 |                           |
    | 2 |     100 | 8 |   715.3 |  243.3 | Django's Argon2 default   |
    PBKDF2-SHA256, 1,000,000 iterations: 3,590.9 ms wall, 443.4 ms CPU (the hasher before).

Chosen: t=3, m=19 MiB, p=1. It is OWASP's minimum memory with one more pass (1.5× the attacker's cost), ~40 ms of
CPU: inside the 30–60 ms aim, so login p50 stays well under 150 ms with logins queued behind other requests, and
11× cheaper than PBKDF2 was. More memory costs more time on this machine than it buys (m=32 MiB doubles the CPU),
and Django's default (100 MiB, p=8) is 6× dearer. p=1 because parallel lanes only shorten the wall time when cores
are idle: on nodes whose cores all serve requests they save no CPU and add threads (the p=2 row).
19 MiB is allocated per login being verified at that instant, released at once.

Changing a parameter here upgrades each stored hash at its owner's next successful login (`must_update`), as
PBKDF2 hashes are upgraded: PASSWORD_HASHERS lists this hasher first and the older ones after it.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class ProjectArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id, t=3, m=19 MiB, p=1 (the measurements above)."""

    time_cost = 3
    memory_cost = 19 * 1024
    parallelism = 1
